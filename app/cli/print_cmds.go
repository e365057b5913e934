package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/printing"
	"github.com/ainaukar/naukar/app/store"
)

func init() {
	register("invoice pdf", "invoice pdf NUMBER [--format a4|a5|80mm|58mm] [--copies original,duplicate,triplicate] [--credit-note N] [--logo FILE] -o FILE", cmdInvoicePDF)
	register("invoice escpos", "invoice escpos NUMBER [--width 32|48] [--drawer] [--qr native|raster|none] -o FILE", cmdInvoiceESCPOS)
	register("invoice print", "invoice print NUMBER [--printer NAME] [--format a4|a5|80mm|58mm] [--raw DEVICE|HOST:9100] [--copies …]", cmdInvoicePrint)
	register("printer set", "printer set [--name NAME] [--format a4|a5|80mm|58mm] [--raw DEVICE|HOST:9100|cups:QUEUE] [--auto] [--drawer] [--logo FILE]", cmdPrinterSet)
	register("printer show", "printer show", cmdPrinterShow)
	register("printer test", "printer test [--printer NAME] [--format …] [--raw …] [-o FILE]", cmdPrinterTest)
	register("printer list", "printer list", cmdPrinterList)
}

// printTimeout bounds how long a print job may take to hand over.
const printTimeout = 60 * time.Second

// numberArg takes the document number given before or after the flags.
func numberArg(num, cmd string) (string, error) {
	if num == "" {
		return "", usagef("say which invoice: naukar %s NUMBER", cmd)
	}
	return num, nil
}

// writeOut writes data to the file named by -o, or standard output for "-".
func writeOut(env *Env, path string, data []byte) error {
	if path == "-" {
		_, err := env.Stdout.Write(data)
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return books.Errorf(books.EINVALID, "Cannot write %s: %v", path, err)
	}
	return nil
}

// loadInvoice opens the books and reads an invoice with what printing
// needs from the shop's profile.
func loadInvoice(env *Env, num string) (*store.Store, *books.Invoice, bool, *books.Business, error) {
	s, err := openExisting(env)
	if err != nil {
		return nil, nil, false, nil, err
	}
	inv, cancelled, err := s.Invoice(num)
	if err != nil {
		s.Close()
		return nil, nil, false, nil, err
	}
	biz, err := s.Business()
	if err != nil {
		s.Close()
		return nil, nil, false, nil, err
	}
	return s, inv, cancelled, &biz, nil
}

func readLogo(path string) ([]byte, error) {
	if path == "" {
		return nil, nil
	}
	return printing.Settings{Logo: path}.LoadLogo()
}

func cmdInvoicePDF(env *Env, args []string) error {
	fs := newFlags(env, "invoice pdf", "invoice pdf NUMBER [--format a4|a5|80mm|58mm] [--copies …] -o FILE")
	format := fs.String("format", "", "paper: a4, a5 (half sheet), 80mm or 58mm receipt (default: this counter's printer setting, else a4)")
	copies := fs.String("copies", "original", "copies one after another: original, duplicate, triplicate or all (a4/a5)")
	cnIndex := fs.Int("credit-note", 0, "print the Nth credit note against the invoice instead (1 = the first)")
	logo := fs.String("logo", "", "PNG or JPEG logo beside the shop's name (default: the printer setting)")
	out := fs.String("o", "", "file to write, or - for standard output (required)")
	num, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	num, err = numberArg(num, "invoice pdf NUMBER -o FILE")
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("say where to write the PDF: -o FILE (or -o - for standard output)")
	}
	cps, err := printing.ParseCopies(*copies)
	if err != nil {
		return err
	}
	s, inv, cancelled, biz, err := loadInvoice(env, num)
	if err != nil {
		return err
	}
	defer s.Close()
	set, err := printing.LoadSettings(s)
	if err != nil {
		return err
	}
	f := set.Format
	if *format != "" {
		if f, err = printing.ParseFormat(*format); err != nil {
			return err
		}
	}
	if *logo == "" {
		*logo = set.Logo
	}
	lg, err := readLogo(*logo)
	if err != nil {
		return err
	}
	link, err := s.PayLinkURL(inv.ID)
	if err != nil {
		return err
	}
	opt := printing.Options{Format: f, Copies: cps, Business: biz, Logo: lg, Cancelled: cancelled, PayLink: link}
	var buf bytes.Buffer
	what := "Invoice " + inv.Number
	if *cnIndex > 0 {
		cns, err := s.CreditNotes(inv.ID)
		if err != nil {
			return err
		}
		if *cnIndex > len(cns) {
			return books.Errorf(books.ENOTFOUND, "Invoice %s has %d credit note(s), not %d.", inv.Number, len(cns), *cnIndex)
		}
		cn := cns[*cnIndex-1]
		what = "Credit note " + cn.Number
		opt.Cancelled = false
		err = printing.CreditNotePDF(&buf, &cn, opt)
		if err != nil {
			return err
		}
	} else if err := printing.InvoicePDF(&buf, inv, opt); err != nil {
		return err
	}
	if err := writeOut(env, *out, buf.Bytes()); err != nil {
		return err
	}
	if *out != "-" {
		fmt.Fprintf(env.Stdout, "%s written to %s (%s).\n", what, *out, f)
	}
	return nil
}

func parseQRMode(s string) (printing.QRMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "native":
		return printing.QRNative, nil
	case "raster", "image":
		return printing.QRRaster, nil
	case "none", "off":
		return printing.QRNone, nil
	}
	return 0, usagef("--qr must be native, raster or none, not %q", s)
}

func cmdInvoiceESCPOS(env *Env, args []string) error {
	fs := newFlags(env, "invoice escpos", "invoice escpos NUMBER [--width 32|48] [--drawer] -o FILE")
	width := fs.Int("width", 48, "characters a line: 48 for 80 mm paper, 32 for 58 mm")
	drawer := fs.Bool("drawer", false, "open the cash drawer after printing")
	qr := fs.String("qr", "native", "UPI QR code: native (GS ( k), raster (image, for printers without QR support) or none")
	noCut := fs.Bool("no-cut", false, "do not cut the paper")
	out := fs.String("o", "", "file to write, or - for standard output; a printer device such as /dev/usb/lp0 works too (required)")
	num, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	num, err = numberArg(num, "invoice escpos NUMBER -o FILE")
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("say where to write the ESC/POS bytes: -o FILE (or -o - for standard output)")
	}
	mode, err := parseQRMode(*qr)
	if err != nil {
		return err
	}
	s, inv, cancelled, biz, err := loadInvoice(env, num)
	if err != nil {
		return err
	}
	defer s.Close()
	link, err := s.PayLinkURL(inv.ID)
	if err != nil {
		return err
	}
	b, err := printing.InvoiceESCPOS(inv, printing.ReceiptOptions{Width: *width, Drawer: *drawer, NoCut: *noCut, QR: mode, Business: biz, Cancelled: cancelled, PayLink: link})
	if err != nil {
		return err
	}
	if err := writeOut(env, *out, b); err != nil {
		return err
	}
	if *out != "-" {
		fmt.Fprintf(env.Stdout, "Receipt for invoice %s written to %s (%d columns, %d bytes).\n", inv.Number, *out, *width, len(b))
	}
	return nil
}

// overrideSettings applies command-line flags over the saved settings.
func overrideSettings(set printing.Settings, printer, format, raw string) (printing.Settings, error) {
	if printer != "" {
		set.Printer = printer
		if raw == "" {
			set.Raw = "" // a named OS printer takes PDFs
		}
	}
	if format != "" {
		f, err := printing.ParseFormat(format)
		if err != nil {
			return set, err
		}
		set.Format = f
		if !f.Thermal() {
			set.Raw = ""
		}
	}
	if raw != "" {
		set.Raw = raw
	}
	return set, set.Validate()
}

func describeTarget(set printing.Settings) string {
	switch {
	case set.Raw != "" && set.Format.Thermal():
		return "raw printer " + set.Raw
	case set.Printer != "":
		return "printer " + set.Printer
	}
	return "the default printer"
}

func cmdInvoicePrint(env *Env, args []string) error {
	fs := newFlags(env, "invoice print", "invoice print NUMBER [--printer NAME] [--format …]")
	printer := fs.String("printer", "", "OS printer (CUPS queue or Windows printer); default: this counter's setting, else the system default")
	format := fs.String("format", "", "paper: a4, a5, 80mm or 58mm (default: this counter's setting)")
	raw := fs.String("raw", "", "send ESC/POS to a receipt printer: /dev/usb/lp0, 192.168.1.50:9100 or cups:QUEUE")
	copies := fs.String("copies", "original", "copies: original, duplicate, triplicate or all (a4/a5)")
	num, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	num, err = numberArg(num, "invoice print NUMBER")
	if err != nil {
		return err
	}
	cps, err := printing.ParseCopies(*copies)
	if err != nil {
		return err
	}
	s, inv, cancelled, biz, err := loadInvoice(env, num)
	if err != nil {
		return err
	}
	defer s.Close()
	set, err := printing.LoadSettings(s)
	if err != nil {
		return err
	}
	if set, err = overrideSettings(set, *printer, *format, *raw); err != nil {
		return err
	}
	lg, err := set.LoadLogo()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), printTimeout)
	defer cancel()
	link, err := s.PayLinkURL(inv.ID)
	if err != nil {
		return err
	}
	id, err := printing.PrintInvoice(ctx, inv, set, printing.Options{Copies: cps, Business: biz, Logo: lg, Cancelled: cancelled, PayLink: link})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Invoice %s sent to %s (%s)", inv.Number, describeTarget(set), set.Format)
	if id != "" {
		fmt.Fprintf(env.Stdout, ", job %s", id)
	}
	fmt.Fprintln(env.Stdout, ".")
	return nil
}

func cmdPrinterSet(env *Env, args []string) error {
	fs := newFlags(env, "printer set", "printer set [--name NAME] [--format …] [--raw …] [--auto] [--drawer] [--logo FILE]")
	name := fs.String("name", "", "OS printer for PDFs (CUPS queue or Windows printer name); empty: system default")
	format := fs.String("format", "", "paper: a4, a5, 80mm or 58mm")
	raw := fs.String("raw", "", "receipt printer for raw ESC/POS: /dev/usb/lp0, COM3, 192.168.1.50:9100 or cups:QUEUE; \"none\" to clear")
	auto := fs.Bool("auto", false, "print each bill as soon as it is saved, without a dialog")
	drawer := fs.Bool("drawer", false, "open the cash drawer with each receipt")
	logo := fs.String("logo", "", "PNG or JPEG logo for A4/A5 invoices; \"none\" to clear")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	set, err := printing.LoadSettings(s)
	if err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if given["name"] {
		set.Printer = *name
	}
	if given["format"] {
		if set.Format, err = printing.ParseFormat(*format); err != nil {
			return err
		}
	}
	if given["raw"] {
		set.Raw = *raw
		if strings.EqualFold(*raw, "none") {
			set.Raw = ""
		}
	}
	if given["auto"] {
		set.Auto = *auto
	}
	if given["drawer"] {
		set.Drawer = *drawer
	}
	if given["logo"] {
		set.Logo = *logo
		if strings.EqualFold(*logo, "none") {
			set.Logo = ""
		}
		if _, err := set.LoadLogo(); err != nil {
			return err
		}
	}
	if err := printing.SaveSettings(s, set); err != nil {
		return err
	}
	return showSettings(env.Stdout, set)
}

func showSettings(w io.Writer, set printing.Settings) error {
	orNone := func(s, none string) string {
		if s == "" {
			return none
		}
		return s
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	fmt.Fprintf(w, "Printer:    %s\n", orNone(set.Printer, "(system default)"))
	fmt.Fprintf(w, "Paper:      %s\n", set.Format)
	fmt.Fprintf(w, "Raw ESC/POS: %s\n", orNone(set.Raw, "(none: print PDFs)"))
	fmt.Fprintf(w, "Auto-print: %s\n", yes(set.Auto))
	fmt.Fprintf(w, "Cash drawer: %s\n", yes(set.Drawer))
	fmt.Fprintf(w, "Logo:       %s\n", orNone(set.Logo, "(none)"))
	return nil
}

func cmdPrinterShow(env *Env, args []string) error {
	fs := newFlags(env, "printer show", "printer show")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	set, err := printing.LoadSettings(s)
	if err != nil {
		return err
	}
	return showSettings(env.Stdout, set)
}

func cmdPrinterTest(env *Env, args []string) error {
	fs := newFlags(env, "printer test", "printer test [--printer NAME] [--format …] [--raw …] [-o FILE]")
	printer := fs.String("printer", "", "OS printer; default: this counter's setting")
	format := fs.String("format", "", "paper: a4, a5, 80mm or 58mm")
	raw := fs.String("raw", "", "raw ESC/POS printer: /dev/usb/lp0, 192.168.1.50:9100 or cups:QUEUE")
	out := fs.String("o", "", "write the test page to a file instead of printing it")
	if err := parse(fs, args); err != nil {
		return err
	}
	set := printing.Settings{Format: printing.A4}
	if _, err := os.Stat(env.Books); err == nil {
		s, err := openBooks(env)
		if err != nil {
			return err
		}
		set, err = printing.LoadSettings(s)
		s.Close()
		if err != nil {
			return err
		}
	}
	set, err := overrideSettings(set, *printer, *format, *raw)
	if err != nil {
		return err
	}
	if *out != "" {
		job, err := printing.TestPage(set)
		if err != nil {
			return err
		}
		if err := writeOut(env, *out, job.Data); err != nil {
			return err
		}
		if *out != "-" {
			fmt.Fprintf(env.Stdout, "Test page written to %s.\n", *out)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), printTimeout)
	defer cancel()
	id, err := printing.PrintTestPage(ctx, set)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Test page sent to %s (%s)", describeTarget(set), set.Format)
	if id != "" {
		fmt.Fprintf(env.Stdout, ", job %s", id)
	}
	fmt.Fprintln(env.Stdout, ".")
	return nil
}

func cmdPrinterList(env *Env, args []string) error {
	fs := newFlags(env, "printer list", "printer list")
	if err := parse(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ps, err := printing.Printers(ctx)
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		fmt.Fprintln(env.Stdout, "No printers are set up in the system.")
		return nil
	}
	for _, p := range ps {
		fmt.Fprintln(env.Stdout, p)
	}
	return nil
}
