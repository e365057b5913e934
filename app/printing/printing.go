// Package printing puts invoices on paper: the A4 (and A5) GST tax invoice,
// bill of supply and credit note as PDF; 58 mm and 80 mm receipts as a
// narrow PDF and as raw ESC/POS bytes for thermal printers; and sending
// either to a printer through the operating system (CUPS `lp` on Linux and
// macOS, the spooler on Windows) or straight to a raw ESC/POS printer (a
// CUPS raw queue, a USB device file or a network printer on port 9100).
//
// Text is set in the embedded Noto Sans fonts. Devanagari (Hindi product
// and party names) is shaped with go-text's HarfBuzz port, so conjuncts such
// as "क्षत्रिय" and "आशीर्वाद" print correctly: in PDFs as glyph outlines
// with the text underneath for search and copy, on thermal printers as a
// raster image, since their code pages have no Devanagari (nor ₹).
//
// Fonts are parsed once per process; rendering is safe for concurrent use.
package printing

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/ainaukar/naukar/app/books"
)

// Format is a paper format.
type Format string

// The paper formats.
const (
	A4     Format = "a4"
	A5     Format = "a5" // half an A4 sheet, landscape
	Roll80 Format = "80mm"
	Roll58 Format = "58mm"
)

// Formats lists the paper formats.
func Formats() []Format { return []Format{A4, A5, Roll80, Roll58} }

// ParseFormat reads a paper format name: a4, a5, 80mm or 58mm (also 80 and 58).
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "a4", "":
		return A4, nil
	case "a5":
		return A5, nil
	case "80mm", "80", "80 mm":
		return Roll80, nil
	case "58mm", "58", "58 mm":
		return Roll58, nil
	}
	return "", books.Invalid("format", "Paper format %q is not known; use a4, a5, 80mm or 58mm.", s)
}

// Thermal reports whether f is a receipt roll.
func (f Format) Thermal() bool { return f == Roll80 || f == Roll58 }

// Columns is the number of characters a line holds on a receipt roll in
// the printer's standard font: 48 on 80 mm paper, 32 on 58 mm.
func (f Format) Columns() int {
	if f == Roll58 {
		return 32
	}
	return 48
}

// Copy is one of the copies of a goods invoice (CGST Rule 48).
type Copy uint8

// The copies.
const (
	Original   Copy = iota // ORIGINAL FOR RECIPIENT
	Duplicate              // DUPLICATE FOR TRANSPORTER
	Triplicate             // TRIPLICATE FOR SUPPLIER
)

// Label is the text printed on the copy.
func (c Copy) Label() string {
	switch c {
	case Duplicate:
		return labelDuplicate
	case Triplicate:
		return labelTriplicate
	}
	return labelOriginal
}

// ParseCopies reads a comma-separated list such as "original,duplicate";
// "all" means all three. Empty means the original only.
func ParseCopies(s string) ([]Copy, error) {
	var out []Copy
	for _, p := range strings.Split(s, ",") {
		switch strings.ToLower(strings.TrimSpace(p)) {
		case "":
		case "original", "o", "1":
			out = append(out, Original)
		case "duplicate", "d", "2":
			out = append(out, Duplicate)
		case "triplicate", "t", "3":
			out = append(out, Triplicate)
		case "all":
			out = append(out, Original, Duplicate, Triplicate)
		default:
			return nil, books.Invalid("copies", "Copy %q is not known; use original, duplicate, triplicate or all.", p)
		}
	}
	if len(out) == 0 {
		out = []Copy{Original}
	}
	return out, nil
}

// Options say how to render a document.
type Options struct {
	// Format is the paper; default A4.
	Format Format
	// Copies to print one after the other (A4 and A5); default the original.
	Copies []Copy
	// Business is the shop's current profile, for what invoices do not keep
	// in their snapshot: bank details, terms and email. May be nil.
	Business *books.Business
	// Logo is a PNG or JPEG printed beside the shop's name (A4 and A5).
	Logo []byte
	// Cancelled prints a CANCELLED mark across the document.
	Cancelled bool
	// PayLink is the invoice's online payment link (a pay_links row's
	// short_url): printed, and as the QR code, while something is due.
	PayLink string
}

// InvoicePDF writes a tax invoice or bill of supply as a PDF in opt.Format.
func InvoicePDF(w io.Writer, inv *books.Invoice, opt Options) error {
	d, err := newInvoiceDocument(inv, &opt)
	if err != nil {
		return err
	}
	return renderPDF(w, d, &opt)
}

// CreditNotePDF writes a credit note as a PDF in opt.Format.
func CreditNotePDF(w io.Writer, cn *books.CreditNote, opt Options) error {
	d, err := newCreditNoteDocument(cn, &opt)
	if err != nil {
		return err
	}
	return renderPDF(w, d, &opt)
}

// InvoicePDFBytes is InvoicePDF into memory.
func InvoicePDFBytes(inv *books.Invoice, opt Options) ([]byte, error) {
	var b bytes.Buffer
	if err := InvoicePDF(&b, inv, opt); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func renderPDF(w io.Writer, d *document, opt *Options) error {
	switch opt.Format {
	case "", A4, A5:
		copies := opt.Copies
		if len(copies) == 0 {
			copies = []Copy{Original}
		}
		return renderSheet(w, d, opt.Format, copies)
	case Roll80, Roll58:
		return renderReceiptPDF(w, d, opt.Format)
	}
	return fmt.Errorf("printing: unknown format %q", opt.Format)
}
