package ui_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/ui"
)

// radio returns the radio group of the top dialog.
func (h *harness) radio() *widget.RadioGroup {
	h.t.Helper()
	var r *widget.RadioGroup
	walk(h.Win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if g, ok := o.(*widget.RadioGroup); ok && r == nil {
			r = g
		}
	})
	if r == nil {
		h.t.Fatal("the dialog has no choice")
	}
	return r
}

// taxedProduct is a demo product taxed above 0%.
func (h *harness) taxedProduct() books.Product {
	h.t.Helper()
	for i := 0; i < 50; i++ {
		if p := h.product(i); p.GSTRate > 0 && p.Category == gst.Taxable && !p.PriceIncludesTax && len(p.Barcodes) > 0 {
			return p
		}
	}
	h.t.Fatal("no taxed product in the demo books")
	return books.Product{}
}

// TestBillAnExportUnderLUT: the cashier picks "Export under LUT" for a
// foreign buyer, gives the shipping bill, and saves: the invoice carries no
// tax and is reported as an export; the counter is back to regular after.
func TestBillAnExportUnderLUT(t *testing.T) {
	h := demoHarness(t)
	b := h.App.Billing
	p := h.taxedProduct()
	h.scan(p.Barcodes[0])
	h.settle("line", func() bool { return len(b.Bill.Lines) == 1 })
	if !strings.HasPrefix(b.TermsButton().Text, "GST: Regular") {
		t.Fatalf("the bill starts regular: %q", b.TermsButton().Text)
	}

	// Without a customer the books refuse an export; the dialog says why
	// and the bill stays regular.
	test.Tap(b.TermsButton())
	h.radio().SetSelected(gst.ExportUnderLUT.Label())
	test.Tap(h.button("Apply"))
	if !h.App.DialogOpen() || b.Bill.Terms.ZeroRated != "" {
		t.Fatal("an export without a buyer was taken")
	}
	var msg string
	walk(h.Win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "foreign buyer's name") {
			msg = l.Text
		}
	})
	if msg == "" {
		t.Fatal("the dialog does not say an export needs the buyer")
	}
	test.Tap(h.button("Close"))

	b.SetCustomer(&books.PartySnapshot{Name: "Acme Imports LLC", Address: "12 Harbour Street, Dubai"}, 0)
	test.Tap(b.TermsButton())
	h.radio().SetSelected(gst.ExportUnderLUT.Label())
	h.typeInto(h.dialogEntry(0), "innsa1")
	h.typeInto(h.dialogEntry(1), "1234567")
	h.typeInto(h.dialogEntry(2), demo.Today.Format(books.DateLayout))
	test.Tap(h.button("Apply"))
	if h.App.DialogOpen() || b.Bill.Terms.ZeroRated != gst.ExportUnderLUT {
		t.Fatalf("terms not taken (%+v)", b.Bill.Terms)
	}
	inv := b.Bill.Priced()
	if inv == nil || inv.Tax() != 0 || inv.PlaceOfSupply != "96" {
		t.Fatalf("export under LUT priced as %+v", inv)
	}
	if b.Total() != gst.FormatINR(inv.GrandTotal) || !strings.Contains(b.TermsNote(), "without payment of integrated tax") {
		t.Fatalf("total %q, note %q", b.Total(), b.TermsNote())
	}

	h.press(ui.ActSaveBill)
	h.settle("saved", func() bool { return !b.Saving() && b.LastInvoice() != "" })
	saved, _, err := h.Books.Invoice(b.LastInvoice())
	if err != nil {
		t.Fatal(err)
	}
	if saved.ZeroRated != gst.ExportUnderLUT || saved.ShippingBill == nil || saved.ShippingBill.PortCode != "INNSA1" || saved.Tax() != 0 {
		t.Fatalf("saved invoice %+v", saved)
	}
	if !strings.HasPrefix(b.TermsButton().Text, "GST: Regular") || b.Bill.Terms != (ui.SaleTerms{}) {
		t.Fatalf("the next bill starts regular again: %q", b.TermsButton().Text)
	}
}

// TestBillReverseChargeAndOwnGSTIN: reverse charge shows the buyer's tax
// outside the total; a sale to the shop's own GSTIN is refused in the
// window as in the books.
func TestBillReverseChargeAndOwnGSTIN(t *testing.T) {
	h := demoHarness(t)
	b := h.App.Billing
	p := h.taxedProduct()
	h.scan(p.Barcodes[0])
	h.settle("line", func() bool { return len(b.Bill.Lines) == 1 })

	b.SetCustomer(&books.PartySnapshot{Name: "Us", GSTIN: h.App.Biz.GSTIN}, 0)
	if !strings.Contains(b.LineMessage(), "this shop's own") {
		t.Fatalf("own GSTIN: message %q", b.LineMessage())
	}
	h.press(ui.ActSaveBill)
	if b.Bill.Empty() {
		t.Fatal("a bill to the shop's own GSTIN was saved")
	}

	b.SetCustomer(&books.PartySnapshot{Name: "Reddy Builders", GSTIN: "29AABCR1718E1ZL", StateCode: "29"}, 0)
	test.Tap(b.TermsButton())
	h.radio().SetSelected("Reverse charge (buyer pays the GST)")
	test.Tap(h.button("Apply"))
	inv := b.Bill.Priced()
	if inv == nil || !inv.ReverseCharge || inv.IGST == 0 || inv.GrandTotal != inv.Taxable+inv.RoundOff {
		t.Fatalf("reverse charge priced as %+v", inv)
	}
	if b.Total() != gst.FormatINR(inv.GrandTotal) || !strings.Contains(b.TermsNote(), gst.FormatINR(inv.Tax())) {
		t.Fatalf("total %q note %q", b.Total(), b.TermsNote())
	}
}
