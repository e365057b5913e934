package printing_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/printing"
)

var foreignBuyer = &books.PartySnapshot{Name: "Acme Imports LLC", Address: "12 Harbour Street, Jebel Ali", City: "Dubai, UAE"}

// exportSale prices an export of the first three catalogue items under
// LUT (or with IGST), with a shipping bill.
func exportSale(t testing.TB, z gst.ZeroRated) *books.Invoice {
	t.Helper()
	d := &books.SaleDraft{Date: saleDate, Party: foreignBuyer, ZeroRated: z,
		ShippingBill: &books.ShippingBill{PortCode: "INNSA1", Number: "1234567", Date: "2026-11-21"}}
	for _, it := range catalogue[:3] {
		d.Lines = append(d.Lines, books.DraftLine{Product: product(it), Qty: it.qty, DiscountBP: it.disc})
	}
	d.Payments = []books.PaymentPart{{Mode: books.ModeCredit, Amount: 0}}
	inv, err := books.PriceSale(shop(), d)
	if err != nil {
		t.Fatal(err)
	}
	d.Payments = []books.PaymentPart{{Mode: books.ModeCredit, Amount: inv.GrandTotal}}
	if inv, err = books.PriceSale(shop(), d); err != nil {
		t.Fatal(err)
	}
	inv.Number, inv.Series, inv.FY, inv.Seq = "SGS/26-27/A/0050", "A", 2026, 50
	return inv
}

// TestExportInvoiceUnderLUT: an export under LUT prints the declaration
// CGST Rule 46 asks for, place of supply 96, the shipping bill, IGST 0 and
// a total without tax, on A4 and on a receipt.
func TestExportInvoiceUnderLUT(t *testing.T) {
	inv := exportSale(t, gst.ExportUnderLUT)
	// Salt 2 × 28 = 56.00, atta 485 − 5% = 460.75, oil 3 × 165 = 495.00:
	// ₹1,011.75 taxable, no IGST, grand total ₹1,012.
	if inv.Taxable != 1011_75 || inv.Tax() != 0 || inv.GrandTotal != 1012_00 {
		t.Fatalf("export totals %+v", inv.Totals)
	}
	txt := text(t, invoicePDF(t, inv, printing.Options{Business: shop()}))
	wantAll(t, "export invoice", txt, "TAX INVOICE", "Place of Supply 96-Other Countries", "Supply Export under LUT (no IGST)",
		"Shipping Bill No. 1234567 dt 21-11-2026, port INNSA1", "IGST 0.00", "Grand Total ₹1,012.00",
		"Supply meant for export under bond or letter of undertaking (LUT) without payment of integrated tax (IGST).")
	var b bytes.Buffer
	if err := printing.InvoicePDF(&b, inv, printing.Options{Business: shop(), Format: printing.Roll80}); err != nil {
		t.Fatal(err)
	}
	rt := text(t, pdfFile(t, func(w *bytes.Buffer) error { _, err := w.Write(b.Bytes()); return err }))
	wantAll(t, "export receipt", rt, "Export under LUT (no IGST)", "Shipping bill No. 1234567", "without payment of integrated tax")

	igst := exportSale(t, gst.ExportWithIGST)
	// 56.00 + 495.00 + 460.75 at 5% IGST: 1011.75 × 5% = 50.59 (50.5875).
	if igst.IGST != 50_59 || igst.GrandTotal != 1062_00 {
		t.Fatalf("export with IGST %+v", igst.Totals)
	}
	wantAll(t, "export with IGST", text(t, invoicePDF(t, igst, printing.Options{Business: shop()})),
		"IGST 50.59", "Supply meant for export on payment of integrated tax (IGST).")
}

// TestReverseChargeCreditNote: a credit note against a reverse-charge
// invoice prints, like its invoice, the tax as the recipient's to pay.
func TestReverseChargeCreditNote(t *testing.T) {
	biz := shop()
	d := &books.SaleDraft{Date: saleDate, ReverseCharge: true, Party: registeredBuyer,
		Lines: []books.DraftLine{{Product: product(catalogue[3]), Qty: 2000}}}
	inv, err := books.PriceSale(biz, d)
	if err != nil {
		t.Fatal(err)
	}
	inv.Number = "SGS/26-27/A/0051"
	cn, err := books.PriceReturn(biz, inv, false, nil, []books.ReturnLine{{Index: 0, Qty: 1000}}, saleDate, "Damaged", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	cn.Number = "CN/26-27/A/0009"
	// One detergent at ₹210, 18% IGST to Gujarat = ₹37.80, not in the total.
	if cn.IGST != 37_80 || cn.GrandTotal != 210_00 {
		t.Fatalf("note totals %+v", cn.Totals)
	}
	p := pdfFile(t, func(b *bytes.Buffer) error { return printing.CreditNotePDF(b, cn, printing.Options{Business: biz}) })
	txt := text(t, p)
	wantAll(t, "credit note", txt, "CREDIT NOTE", "Reverse Charge Yes", "IGST (payable by recipient) 37.80", "Grand Total ₹210.00",
		"payable by the recipient on reverse charge basis")
	if strings.Contains(txt, "247.80") {
		t.Error("the note's total must not include the recipient's tax")
	}
}
