package printing

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
)

// Printing through the operating system (PDF to a printer queue) or raw
// (ESC/POS bytes straight to a thermal printer).

// Settings are how one counter prints. They belong to the device, not to
// the books: each billing PC has its own printer. They are kept in the
// store's local meta table (see LoadSettings).
type Settings struct {
	// Printer is the OS printer (CUPS queue or Windows printer name) for
	// PDFs; empty means the system's default printer.
	Printer string
	// Format is the paper: a4, a5, 80mm or 58mm.
	Format Format
	// Raw, when set for a receipt format, sends ESC/POS bytes instead of a
	// PDF: a device file (/dev/usb/lp0, COM3), a network printer
	// (192.168.1.50:9100) or a raw print queue (cups:Thermal, or on Windows
	// the printer's name).
	Raw string
	// Auto prints every bill as soon as it is saved, with no dialog.
	Auto bool
	// Drawer opens the cash drawer (wired to the receipt printer) with each
	// raw receipt.
	Drawer bool
	// Logo is the path of a PNG or JPEG of the shop's logo for A4 and A5
	// invoices; empty for none.
	Logo string
}

// The meta keys of the settings.
const (
	MetaPrinter = "printer.name"
	MetaFormat  = "printer.format"
	MetaRaw     = "printer.raw"
	MetaAuto    = "printer.auto"
	MetaDrawer  = "printer.drawer"
	MetaLogo    = "printer.logo"
)

// MetaStore is where settings live: store.Store satisfies it.
type MetaStore interface {
	Meta(key string) (string, error)
	SetMeta(kv map[string]string) error
}

// LoadSettings reads the printer settings; unset ones take their defaults
// (system printer, A4, no raw printer, no auto-print).
func LoadSettings(m MetaStore) (Settings, error) {
	var s Settings
	get := func(k string) string {
		v, err := m.Meta(k)
		if err != nil {
			return ""
		}
		return v
	}
	if _, err := m.Meta(MetaPrinter); err != nil {
		return s, fmt.Errorf("read printer settings: %w", err)
	}
	s.Printer = get(MetaPrinter)
	f, err := ParseFormat(get(MetaFormat))
	if err != nil {
		f = A4
	}
	s.Format = f
	s.Raw = get(MetaRaw)
	s.Auto = get(MetaAuto) == "1"
	s.Drawer = get(MetaDrawer) == "1"
	s.Logo = get(MetaLogo)
	return s, nil
}

// SaveSettings writes the printer settings after checking them.
func SaveSettings(m MetaStore, s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	return m.SetMeta(map[string]string{
		MetaPrinter: strings.TrimSpace(s.Printer),
		MetaFormat:  string(s.Format),
		MetaRaw:     strings.TrimSpace(s.Raw),
		MetaAuto:    flag(s.Auto),
		MetaDrawer:  flag(s.Drawer),
		MetaLogo:    strings.TrimSpace(s.Logo),
	})
}

// Validate checks the settings.
func (s Settings) Validate() error {
	if _, err := ParseFormat(string(s.Format)); err != nil || s.Format == "" {
		return books.Invalid("format", "Paper format %q is not known; use a4, a5, 80mm or 58mm.", s.Format)
	}
	if s.Raw != "" {
		if !s.Format.Thermal() {
			return books.Invalid("raw", "A raw (ESC/POS) printer needs a receipt format, 80mm or 58mm, not %s.", s.Format)
		}
		if _, err := ParseRawTarget(s.Raw); err != nil {
			return err
		}
	}
	return nil
}

// RawTarget is where raw ESC/POS bytes go.
type RawTarget struct {
	Kind string // "tcp", "device" or "queue"
	Addr string // host:port, file path or queue name
}

var comPort = regexp.MustCompile(`(?i)^(com\d+|lpt\d+)$`)

// ParseRawTarget reads a raw printer address: "192.168.1.50:9100" or
// "tcp://host:9100" (network), "/dev/usb/lp0", "COM3" or "\\.\COM3"
// (device), "cups:QUEUE" or a bare queue name (print queue).
func ParseRawTarget(s string) (RawTarget, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return RawTarget{}, books.Invalid("raw", "Give the raw printer: a device such as /dev/usb/lp0, an address such as 192.168.1.50:9100, or a queue such as cups:Thermal.")
	case strings.HasPrefix(s, "tcp://"):
		s = strings.TrimPrefix(s, "tcp://")
		if _, _, err := net.SplitHostPort(s); err != nil {
			return RawTarget{}, books.Invalid("raw", "Network printer %q must look like 192.168.1.50:9100.", s)
		}
		return RawTarget{"tcp", s}, nil
	case strings.HasPrefix(s, "cups:"), strings.HasPrefix(s, "queue:"):
		_, q, _ := strings.Cut(s, ":")
		if q == "" {
			return RawTarget{}, books.Invalid("raw", "Say which print queue, as in cups:Thermal.")
		}
		return RawTarget{"queue", q}, nil
	case strings.HasPrefix(s, "/"), strings.HasPrefix(s, `\\`), comPort.MatchString(s):
		return RawTarget{"device", s}, nil
	}
	if host, port, err := net.SplitHostPort(s); err == nil && host != "" {
		if _, err := strconv.Atoi(port); err == nil {
			return RawTarget{"tcp", s}, nil
		}
	}
	if strings.ContainsAny(s, ` /\`) {
		return RawTarget{}, books.Invalid("raw", "%q is neither a device, a network address nor a queue name.", s)
	}
	return RawTarget{"queue", s}, nil
}

// Job is one thing to print.
type Job struct {
	// Title names the job in the print queue.
	Title string
	// Data is a PDF, or ESC/POS bytes when Raw.
	Data []byte
	Raw  bool
	// Copies of a PDF; 0 means 1.
	Copies int
	// Format of a PDF, to pick the paper.
	Format Format
}

// ErrNoPrintSystem says the OS print tools are missing.
var ErrNoPrintSystem = errors.New("printing: no print system")

// SetupField is the Field of the errors that a change of this counter's
// printer settings puts right (no printer chosen, a printer that is not
// there): the window points to Settings, the CLI to `naukar printer set`.
const SetupField = "printer"

// setupErr is an error of the printer settings, in words that suit both
// the window and the command line.
func setupErr(code, format string, args ...any) error {
	return &books.Error{Code: code, Field: SetupField, Msg: fmt.Sprintf(format, args...)}
}

// IsSetupError reports whether err is put right in the printer settings.
func IsSetupError(err error) bool {
	var be *books.Error
	return errors.As(err, &be) && be.Field == SetupField
}

// PrintPDF sends a PDF job to an OS printer (empty: the default printer)
// and returns the job's id in the queue.
func PrintPDF(ctx context.Context, printer string, job Job) (string, error) {
	if len(job.Data) == 0 {
		return "", fmt.Errorf("printing: nothing to print")
	}
	return osPrint(ctx, printer, job)
}

// SendRaw sends ESC/POS bytes to a raw printer target.
func SendRaw(ctx context.Context, target string, data []byte) error {
	t, err := ParseRawTarget(target)
	if err != nil {
		return err
	}
	switch t.Kind {
	case "tcp":
		return sendTCP(ctx, t.Addr, data)
	case "device":
		return sendDevice(t.Addr, data)
	}
	_, err = osPrint(ctx, t.Addr, Job{Title: "receipt", Data: data, Raw: true})
	return err
}

// sendTCP writes to a network printer (port 9100, "JetDirect" raw).
func sendTCP(ctx context.Context, addr string, data []byte) error {
	d := net.Dialer{Timeout: 5 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return setupErr(books.EINVALID, "Cannot reach the printer at %s: %v. Check that it is on and on the same network.", addr, err)
	}
	defer conn.Close()
	deadline := time.Now().Add(30 * time.Second)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	_ = conn.SetDeadline(deadline)
	if _, err := conn.Write(data); err != nil {
		return books.Errorf(books.EINVALID, "The printer at %s stopped taking data: %v", addr, err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	return nil
}

// sendDevice writes to a printer device file (USB or serial port).
func sendDevice(path string, data []byte) error {
	if comPort.MatchString(path) {
		path = `\\.\` + path
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return setupErr(books.ENOTFOUND, "No printer at %s: is it plugged in and switched on?", path)
		}
		if errors.Is(err, os.ErrPermission) {
			return books.Errorf(books.EINVALID, "Not allowed to write to %s: add this user to the lp group (sudo usermod -aG lp $USER) and log in again.", path)
		}
		return books.Errorf(books.EINVALID, "Cannot open the printer %s: %v", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return books.Errorf(books.EINVALID, "Writing to the printer %s failed: %v", path, err)
	}
	return f.Close()
}

// LoadLogo reads the logo file the settings name (nil if none).
func (s Settings) LoadLogo() ([]byte, error) {
	if s.Logo == "" {
		return nil, nil
	}
	b, err := os.ReadFile(s.Logo)
	if err != nil {
		return nil, books.Errorf(books.ENOTFOUND, "Cannot read the logo %s: %v", s.Logo, errors.Unwrap(err))
	}
	return b, nil
}

// Render makes what the settings print for an invoice: a PDF, or ESC/POS
// bytes when a raw receipt printer is set.
func Render(inv *books.Invoice, s Settings, opt Options) (Job, error) {
	title := "Invoice " + inv.Number
	if s.Raw != "" && s.Format.Thermal() {
		b, err := InvoiceESCPOS(inv, ReceiptOptions{Width: s.Format.Columns(), Drawer: s.Drawer, Business: opt.Business, Cancelled: opt.Cancelled})
		return Job{Title: title, Data: b, Raw: true}, err
	}
	opt.Format = s.Format
	b, err := InvoicePDFBytes(inv, opt)
	return Job{Title: title, Data: b, Format: s.Format}, err
}

// PrintInvoice prints an invoice as the settings say, with no dialog, and
// returns the print queue's job id (empty for raw printers).
func PrintInvoice(ctx context.Context, inv *books.Invoice, s Settings, opt Options) (string, error) {
	job, err := Render(inv, s, opt)
	if err != nil {
		return "", err
	}
	return PrintJob(ctx, s, job)
}

// PrintJob sends a rendered job where the settings say.
func PrintJob(ctx context.Context, s Settings, job Job) (string, error) {
	if job.Raw {
		return "", SendRaw(ctx, s.Raw, job.Data)
	}
	return PrintPDF(ctx, s.Printer, job)
}

// TestPage renders a printer test page for the settings.
func TestPage(s Settings) (Job, error) {
	if s.Raw != "" && s.Format.Thermal() {
		b, err := TestPageESCPOS(s.Format.Columns(), s.Drawer)
		return Job{Title: "AI Naukar test page", Data: b, Raw: true}, err
	}
	b, err := testPagePDF(s.Format)
	return Job{Title: "AI Naukar test page", Data: b, Format: s.Format}, err
}

// PrintTestPage prints a test page where the settings say.
func PrintTestPage(ctx context.Context, s Settings) (string, error) {
	job, err := TestPage(s)
	if err != nil {
		return "", err
	}
	return PrintJob(ctx, s, job)
}
