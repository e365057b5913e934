package store_test

import (
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/store"
)

// TestExportDetailsAreDocuments: an export's shipping bill added after the
// invoice is a document of its own that names the invoice: the invoice is
// never changed, the record syncs like any document, and on every replica
// the newest record counts.
func TestExportDetailsAreDocuments(t *testing.T) {
	a := MustBooks(t)
	p := MustProduct(t, a, books.Product{Name: "Bottle", SKU: "B", HSN: "73239310", SalePrice: 1000_00, GSTRate: 1800})
	inv, err := a.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-03"), Party: &books.PartySnapshot{Name: "Acme Imports", Address: "Dubai"},
		ZeroRated: gst.ExportUnderLUT, Lines: []books.DraftLine{line(p, 2)}, Payments: []books.PaymentPart{{Mode: books.ModeBank, Amount: 2000_00}}})
	if err != nil {
		t.Fatal(err)
	}
	before := count(t, a, `SELECT count(*) FROM invoices WHERE id = ? AND zero_rated = 'export_lut'`, inv.ID)
	if before != 1 {
		t.Fatal("the invoice's zero_rated column is not set")
	}
	var data string
	readData := func() string {
		t.Helper()
		i, _, err := a.Invoice(inv.Number)
		if err != nil {
			t.Fatal(err)
		}
		return i.Number + string(i.ZeroRated) + i.Date
	}
	data = readData()
	if sb, err := a.ShippingBill(inv); err != nil || sb != nil {
		t.Fatalf("no shipping bill yet: %+v %v", sb, err)
	}
	for _, n := range []string{"1111111", "1234567"} {
		if _, err := a.AddExportDetails(ctx, inv.Number, books.ShippingBill{PortCode: "innsa1", Number: n, Date: "2026-10-04"}, day("2026-10-05")); err != nil {
			t.Fatal(err)
		}
	}
	sb, err := a.ShippingBill(inv)
	if err != nil || sb == nil || *sb != (books.ShippingBill{PortCode: "INNSA1", Number: "1234567", Date: "2026-10-04"}) {
		t.Fatalf("the newest record counts: %+v %v", sb, err)
	}
	if readData() != data {
		t.Fatal("adding export details changed the invoice")
	}
	if _, err := a.AddExportDetails(ctx, inv.Number, books.ShippingBill{PortCode: "INNSA1", Number: "1", Date: "2026-10-02"}, day("2026-10-05")); err == nil ||
		!strings.Contains(err.Error(), "before the invoice date") {
		t.Fatalf("a shipping bill before the invoice: %v", err)
	}

	// Everything syncs to another counter: apply A's outbox on B.
	muts, changes := outboxChanges(t, a)
	var details int
	for _, m := range muts {
		if m.Table == "export_details" {
			details++
		}
	}
	if details != 2 {
		t.Fatalf("the outbox holds %d export_details documents, want 2", details)
	}
	b := MustBooks(t)
	if _, err := b.ApplyChanges(ctx, changes, int64(len(changes))); err != nil {
		t.Fatal(err)
	}
	binv, _, err := b.Invoice(inv.Number)
	if err != nil {
		t.Fatal(err)
	}
	if sb, err := b.ShippingBill(binv); err != nil || sb == nil || sb.Number != "1234567" {
		t.Fatalf("on the other counter: %+v %v", sb, err)
	}
	data2, err := b.GSTData(ctx, "2026-10-01", "2026-10-31")
	if err != nil {
		t.Fatal(err)
	}
	if len(data2.Invoices) != 1 || data2.Invoices[0].ZeroRated != gst.ExportUnderLUT || data2.Invoices[0].ShippingBillNumber != "1234567" ||
		data2.Invoices[0].PortCode != "INNSA1" || data2.Invoices[0].ShippingBillDate != "2026-10-04" {
		t.Fatalf("GST view on the other counter: %+v", data2.Invoices)
	}
	// Only an export takes a shipping bill; a cancelled one takes none.
	local, err := a.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"), Lines: []books.DraftLine{line(p, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddExportDetails(ctx, local.Number, books.ShippingBill{PortCode: "INNSA1", Number: "1", Date: "2026-10-05"}, day("2026-10-05")); err == nil ||
		!strings.Contains(err.Error(), "is not an export") {
		t.Fatalf("export details on a local sale: %v", err)
	}
	if _, err := a.CancelInvoice(ctx, inv.Number, "wrong buyer", day("2026-10-05")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddExportDetails(ctx, inv.Number, books.ShippingBill{PortCode: "INNSA1", Number: "2", Date: "2026-10-05"}, day("2026-10-05")); err == nil ||
		!strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("export details on a cancelled invoice: %v", err)
	}
}

// TestCreditNoteGSTViewFollowsInvoice: a credit note is reported as the
// supply it corrects, including invoices from before notes carried the
// marks themselves (read from the invoice).
func TestCreditNoteGSTViewFollowsInvoice(t *testing.T) {
	s := MustBooks(t)
	p := MustProduct(t, s, books.Product{Name: "Sponsorship", SKU: "S", HSN: "998397", SalePrice: 5000_00, GSTRate: 1800})
	inv, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-03"), ReverseCharge: true,
		Party: &books.PartySnapshot{Name: "Reddy Builders", GSTIN: "29AABCR1718E1ZL"}, Lines: []books.DraftLine{line(p, 1)},
		Payments: []books.PaymentPart{{Mode: books.ModeBank, Amount: 5000_00}}})
	if err != nil {
		t.Fatal(err)
	}
	if inv.GrandTotal != 5000_00 || inv.IGST != 900_00 {
		t.Fatalf("reverse charge invoice: %+v", inv.Totals)
	}
	if _, err := s.CreateReturn(ctx, store.ReturnInput{Invoice: inv.Number, Items: []books.ReturnLine{{Index: 0, Qty: 1000}},
		Date: day("2026-10-04"), Refunds: []books.PaymentPart{{Mode: books.ModeBank, Amount: 5000_00}}}); err != nil {
		t.Fatal(err)
	}
	d, err := s.GSTData(ctx, "2026-10-01", "2026-10-31")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.CreditNotes) != 1 || !d.CreditNotes[0].ReverseCharge || d.CreditNotes[0].InvoiceValue != 5000_00 {
		t.Fatalf("note: %+v", d.CreditNotes)
	}
}
