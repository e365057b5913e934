//go:build windows

package printing

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"github.com/ainaukar/naukar/app/books"
)

// The Windows spooler: raw jobs (ESC/POS) are written with the winspool
// API in the RAW datatype; PDFs are handed to the PDF app registered for
// the "printto" verb, which renders and spools them.

var (
	winspool             = syscall.NewLazyDLL("winspool.drv")
	procOpenPrinter      = winspool.NewProc("OpenPrinterW")
	procClosePrinter     = winspool.NewProc("ClosePrinter")
	procStartDocPrinter  = winspool.NewProc("StartDocPrinterW")
	procEndDocPrinter    = winspool.NewProc("EndDocPrinter")
	procStartPagePrinter = winspool.NewProc("StartPagePrinter")
	procEndPagePrinter   = winspool.NewProc("EndPagePrinter")
	procWritePrinter     = winspool.NewProc("WritePrinter")
	procGetDefault       = winspool.NewProc("GetDefaultPrinterW")
)

type docInfo1 struct {
	docName    *uint16
	outputFile *uint16
	datatype   *uint16
}

func defaultPrinter() (string, error) {
	var n uint32
	procGetDefault.Call(0, uintptr(unsafe.Pointer(&n)))
	if n == 0 {
		return "", setupErr(books.ENOTFOUND, "No printer is chosen for this counter and Windows has no default printer.")
	}
	buf := make([]uint16, n)
	r, _, err := procGetDefault.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)))
	if r == 0 {
		return "", fmt.Errorf("printing: default printer: %v", err)
	}
	return syscall.UTF16ToString(buf), nil
}

func osPrint(ctx context.Context, printer string, job Job) (string, error) {
	if printer == "" {
		p, err := defaultPrinter()
		if err != nil {
			return "", err
		}
		printer = p
	}
	if job.Raw {
		return spoolRaw(printer, job.Title, job.Data)
	}
	return printPDFShell(ctx, printer, job)
}

// spoolRaw writes data to a printer queue unchanged.
func spoolRaw(printer, title string, data []byte) (string, error) {
	name, err := syscall.UTF16PtrFromString(printer)
	if err != nil {
		return "", err
	}
	var h syscall.Handle
	if r, _, err := procOpenPrinter.Call(uintptr(unsafe.Pointer(name)), uintptr(unsafe.Pointer(&h)), 0); r == 0 {
		return "", setupErr(books.ENOTFOUND, "Cannot open the printer %q: %v", printer, err)
	}
	defer procClosePrinter.Call(uintptr(h))
	doc, _ := syscall.UTF16PtrFromString(title)
	raw, _ := syscall.UTF16PtrFromString("RAW")
	di := docInfo1{docName: doc, datatype: raw}
	job, _, err := procStartDocPrinter.Call(uintptr(h), 1, uintptr(unsafe.Pointer(&di)))
	if job == 0 {
		return "", fmt.Errorf("printing: start job on %s: %v", printer, err)
	}
	defer procEndDocPrinter.Call(uintptr(h))
	if r, _, err := procStartPagePrinter.Call(uintptr(h)); r == 0 {
		return "", fmt.Errorf("printing: start page on %s: %v", printer, err)
	}
	defer procEndPagePrinter.Call(uintptr(h))
	for len(data) > 0 {
		var written uint32
		r, _, err := procWritePrinter.Call(uintptr(h), uintptr(unsafe.Pointer(&data[0])), uintptr(len(data)), uintptr(unsafe.Pointer(&written)))
		if r == 0 || written == 0 {
			return "", fmt.Errorf("printing: write to %s: %v", printer, err)
		}
		data = data[written:]
	}
	return strconv.FormatUint(uint64(job), 10), nil
}

// printPDFShell prints a PDF through the PDF app's "printto" verb. The
// file stays in the temporary folder: the app reads it after we return,
// and some apps never exit, so there is no moment to delete it safely.
func printPDFShell(ctx context.Context, printer string, job Job) (string, error) {
	dir, err := os.MkdirTemp("", "naukar-print-")
	if err != nil {
		return "", err
	}
	file := filepath.Join(dir, "invoice.pdf")
	if err := os.WriteFile(file, job.Data, 0o600); err != nil {
		return "", err
	}
	copies := max(job.Copies, 1)
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	script := fmt.Sprintf(`for ($i = 0; $i -lt %d; $i++) { Start-Process -FilePath %s -Verb PrintTo -ArgumentList %s -WindowStyle Hidden }`,
		copies, quote(file), quote(`"`+printer+`"`))
	cmd := exec.CommandContext(ctx, "powershell", "-NoProfile", "-NonInteractive", "-Command", script)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", books.Errorf(books.EINVALID, "Printing the PDF failed (is a PDF reader installed?): %s", strings.TrimSpace(string(out)))
	}
	return "", nil
}

// Printers lists the Windows printers.
func Printers(ctx context.Context) ([]string, error) {
	out, err := exec.CommandContext(ctx, "powershell", "-NoProfile", "-NonInteractive", "-Command",
		"Get-Printer | Select-Object -ExpandProperty Name").Output()
	if err != nil {
		return nil, fmt.Errorf("list printers: %w", err)
	}
	var names []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			names = append(names, l)
		}
	}
	return names, nil
}
