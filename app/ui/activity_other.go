//go:build wasm || test_web_driver || mobile || android || ios

package ui

import "fyne.io/fyne/v2"

// watchInput: only keys count as activity where the window is not GLFW's.
func watchInput(fyne.Window, func()) bool { return false }
