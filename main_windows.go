package main

import (
	"os"
	"syscall"
)

// The Windows build is a GUI program (no console window of its own). When
// it is run with arguments from a command prompt, it writes to that prompt:
// `naukar --version`, `naukar backup now` and the rest print as on Linux.
// Streams already redirected (a pipe, a file) are left as they are.
func init() {
	if len(os.Args) < 2 {
		return
	}
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	r, _, _ := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole").Call(attachParentProcess)
	if r == 0 {
		return // not started from a console
	}
	unset := func(std int) bool {
		h, err := syscall.GetStdHandle(std)
		return err != nil || h == 0 || h == syscall.InvalidHandle
	}
	if unset(syscall.STD_OUTPUT_HANDLE) || unset(syscall.STD_ERROR_HANDLE) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			if unset(syscall.STD_OUTPUT_HANDLE) {
				os.Stdout = f
			}
			if unset(syscall.STD_ERROR_HANDLE) {
				os.Stderr = f
			}
		}
	}
	if unset(syscall.STD_INPUT_HANDLE) {
		if f, err := os.OpenFile("CONIN$", os.O_RDONLY, 0); err == nil {
			os.Stdin = f
		}
	}
}
