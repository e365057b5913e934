package printing_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/ainaukar/naukar/app/printing"
)

// Targets (issue 4): an A4 invoice of 30 lines in at most 20 ms, a receipt
// in at most 10 ms. Fonts are parsed once per process, before the timer.

func BenchmarkInvoiceA4_30Lines(b *testing.B) {
	biz := shop()
	inv := sale(b, biz, registeredBuyer, manyItems(30), "SGS/26-27/A/0042")
	opt := printing.Options{Business: biz}
	if err := printing.InvoicePDF(io.Discard, inv, opt); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := printing.InvoicePDF(io.Discard, inv, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInvoiceA4_30LinesNewNumber gives every render a new invoice
// number, so the UPI QR code is encoded afresh each time (the others hit
// the QR cache after the first render, as a reprint does).
func BenchmarkInvoiceA4_30LinesNewNumber(b *testing.B) {
	biz := shop()
	inv := sale(b, biz, registeredBuyer, manyItems(30), "SGS/26-27/A/0042")
	opt := printing.Options{Business: biz}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		inv.Number = fmt.Sprintf("SGS/26-27/B/%04d", n)
		if err := printing.InvoicePDF(io.Discard, inv, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInvoiceA4_30LinesHindi(b *testing.B) {
	biz := shop()
	var items []item
	for len(items) < 30 {
		items = append(items, hindiItems...)
	}
	inv := sale(b, biz, hindiBuyer, items[:30], "SGS/26-27/A/0043")
	opt := printing.Options{Business: biz}
	if err := printing.InvoicePDF(io.Discard, inv, opt); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := printing.InvoicePDF(io.Discard, inv, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInvoiceA4_150Lines(b *testing.B) {
	biz := shop()
	inv := sale(b, biz, localBuyer, manyItems(150), "SGS/26-27/A/0044")
	opt := printing.Options{Business: biz}
	b.ReportAllocs()
	for b.Loop() {
		if err := printing.InvoicePDF(io.Discard, inv, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReceiptPDF80mm(b *testing.B) {
	biz := shop()
	inv := sale(b, biz, nil, catalogue, "SGS/26-27/A/0001")
	opt := printing.Options{Business: biz, Format: printing.Roll80}
	if err := printing.InvoicePDF(io.Discard, inv, opt); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := printing.InvoicePDF(io.Discard, inv, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReceiptPDF80mmNewNumber(b *testing.B) {
	biz := shop()
	inv := sale(b, biz, nil, catalogue, "SGS/26-27/A/0001")
	opt := printing.Options{Business: biz, Format: printing.Roll80}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		inv.Number = fmt.Sprintf("SGS/26-27/B/%04d", n)
		if err := printing.InvoicePDF(io.Discard, inv, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReceiptESCPOS48(b *testing.B) {
	biz := shop()
	inv := sale(b, biz, hindiBuyer, hindiItems, "SGS/26-27/A/0043")
	opt := printing.ReceiptOptions{Width: 48, Business: biz}
	if _, err := printing.InvoiceESCPOS(inv, opt); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := printing.InvoiceESCPOS(inv, opt); err != nil {
			b.Fatal(err)
		}
	}
}
