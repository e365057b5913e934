package books_test

import (
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

// mustInvalid checks that err is an EINVALID error on field whose message
// holds want.
func mustInvalid(t *testing.T, err error, field, want string) {
	t.Helper()
	var e *books.Error
	if err == nil {
		t.Fatalf("want an error on %s (%q), got nil", field, want)
	}
	if books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), want) {
		t.Fatalf("want %s error with %q, got %v", field, want, err)
	}
	if e, _ = err.(*books.Error); e != nil && e.Field != field {
		t.Errorf("error field %q, want %q (%v)", e.Field, field, err)
	}
}

var (
	bottle  = books.Product{Name: "Steel Bottle", HSN: "73239310", Unit: "NOS", SalePrice: 1000_00, GSTRate: 1800}
	cover   = books.Product{Name: "Mobile Cover", HSN: "39269099", Unit: "PCS", SalePrice: 236_00, GSTRate: 1800, PriceIncludesTax: true}
	foreign = &books.PartySnapshot{Name: "Acme Imports LLC", Address: "12 Harbour St, Dubai, UAE"}
	sezUnit = &books.PartySnapshot{Name: "Pune SEZ Unit", GSTIN: "27AABCR1718E1ZP"}
	builder = &books.PartySnapshot{Name: "Reddy Builders", GSTIN: "29AABCR1718E1ZL", StateCode: "29"}
)

func TestSaleTerms(t *testing.T) {
	t.Run("ExportUnderLUTCarriesNoTax", func(t *testing.T) {
		// 2 bottles at ₹1,000 = ₹2,000 taxable; the cover's ₹236 includes
		// 18%: 236 / 1.18 = ₹200.00 taxable. Under LUT no IGST is paid
		// (IGST Act s.16(3)(a)): tax 0, grand total ₹2,200, place of supply
		// 96 and inter-state although the buyer has no state.
		inv, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: foreign, ZeroRated: gst.ExportUnderLUT,
			Lines: []books.DraftLine{dl(bottle, 2000), dl(cover, 1000)}})
		if err != nil {
			t.Fatal(err)
		}
		if inv.PlaceOfSupply != "96" || inv.SupplyType != gst.Inter || inv.ZeroRated != gst.ExportUnderLUT || inv.Kind != books.TaxInvoice {
			t.Fatalf("export: pos %s %s %s %s", inv.PlaceOfSupply, inv.SupplyType, inv.ZeroRated, inv.Kind)
		}
		if inv.Taxable != 2200_00 || inv.Tax() != 0 || inv.GrandTotal != 2200_00 || inv.Lines[1].Taxable != 200_00 || inv.Lines[1].Total != 200_00 {
			t.Fatalf("totals %+v lines %+v", inv.Totals, inv.Lines)
		}
		if inv.Lines[0].Rate != 1800 {
			t.Errorf("a line under LUT keeps its rate (GSTR-1 reports it): %v", inv.Lines[0].Rate)
		}
	})
	t.Run("ExportWithIGST", func(t *testing.T) {
		// ₹2,000 at 18% IGST = ₹360.00; grand total ₹2,360.
		sb := &books.ShippingBill{PortCode: "innsa1", Number: "1234567", Date: "07-10-2026"}
		inv, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: foreign, ZeroRated: gst.ExportWithIGST,
			ShippingBill: sb, Lines: []books.DraftLine{dl(bottle, 2000)}})
		if err != nil {
			t.Fatal(err)
		}
		if inv.IGST != 360_00 || inv.CGST != 0 || inv.GrandTotal != 2360_00 {
			t.Fatalf("totals %+v", inv.Totals)
		}
		if inv.ShippingBill == nil || *inv.ShippingBill != (books.ShippingBill{PortCode: "INNSA1", Number: "1234567", Date: "2026-10-07"}) {
			t.Fatalf("shipping bill %+v", inv.ShippingBill)
		}
	})
	t.Run("SEZWithinTheStateIsInterState", func(t *testing.T) {
		// A supply to an SEZ is inter-state (IGST Act s.7(5)(b)) even in the
		// shop's own state 27: ₹1,000 at 18% is IGST ₹180, not CGST+SGST.
		inv, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: sezUnit, ZeroRated: gst.SEZWithIGST, Lines: []books.DraftLine{dl(bottle, 1000)}})
		if err != nil {
			t.Fatal(err)
		}
		if inv.PlaceOfSupply != "27" || inv.SupplyType != gst.Inter || inv.IGST != 180_00 || inv.CGST != 0 {
			t.Fatalf("SEZ with IGST: %s %s %+v", inv.PlaceOfSupply, inv.SupplyType, inv.Totals)
		}
		lut, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: sezUnit, ZeroRated: gst.SEZUnderLUT, Lines: []books.DraftLine{dl(bottle, 1000)}})
		if err != nil || lut.Tax() != 0 || lut.GrandTotal != 1000_00 {
			t.Fatalf("SEZ under LUT: %+v %v", lut, err)
		}
	})
	t.Run("ReverseChargeTaxShownNotCollected", func(t *testing.T) {
		// ₹1,000 to Karnataka at 18%: IGST ₹180 shown on the invoice, payable
		// by the recipient (CGST Act s.9(3)); the buyer pays us ₹1,000.
		inv, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: builder, ReverseCharge: true, Lines: []books.DraftLine{dl(bottle, 1000)}})
		if err != nil {
			t.Fatal(err)
		}
		if inv.IGST != 180_00 || inv.GrandTotal != 1000_00 || inv.Lines[0].IGST != 180_00 || inv.Lines[0].Total != 1000_00 {
			t.Fatalf("reverse charge %+v lines %+v", inv.Totals, inv.Lines)
		}
		// The cover's ₹236 includes tax: taxable 200, tax 36 to be paid by
		// the buyer, so the buyer owes us ₹200.
		inc, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: builder, ReverseCharge: true, Lines: []books.DraftLine{dl(cover, 1000)}})
		if err != nil || inc.IGST != 36_00 || inc.GrandTotal != 200_00 {
			t.Fatalf("inclusive on reverse charge: %+v %v", inc, err)
		}
	})
	t.Run("CreditNotesFollowTheInvoice", func(t *testing.T) {
		lut, _ := books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: foreign, ZeroRated: gst.ExportUnderLUT, Lines: []books.DraftLine{dl(bottle, 2000)}})
		cn, err := books.PriceReturn(&reg, lut, false, nil, []books.ReturnLine{{Index: 0, Qty: 1000}}, date, "damaged", []books.PaymentPart{{Mode: books.ModeBank, Amount: 1000_00}}, false)
		if err != nil || cn.Tax() != 0 || cn.GrandTotal != 1000_00 || cn.ZeroRated != gst.ExportUnderLUT {
			t.Fatalf("note against an LUT export: %+v %v", cn, err)
		}
		rc, _ := books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: builder, ReverseCharge: true, Lines: []books.DraftLine{dl(bottle, 1000)}})
		cn, err = books.PriceReturn(&reg, rc, false, nil, []books.ReturnLine{{Index: 0, Qty: 1000}}, date, "", []books.PaymentPart{{Mode: books.ModeBank, Amount: 1000_00}}, true)
		if err != nil || !cn.ReverseCharge || cn.IGST != 180_00 || cn.GrandTotal != 1000_00 {
			t.Fatalf("note against a reverse-charge invoice: %+v %v", cn, err)
		}
	})
	t.Run("ErrOwnGSTIN", func(t *testing.T) {
		own := &books.PartySnapshot{Name: "Ourselves", GSTIN: reg.GSTIN}
		_, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: own, Lines: []books.DraftLine{dl(bottle, 1000)}})
		mustInvalid(t, err, "party.gstin", "GSTIN 27AAPFU0939F1ZV is this shop's own: a shop cannot bill itself. A branch in another state has a GSTIN of its own")
		// Typed in small letters it is still the shop's own.
		own.GSTIN = "27aapfu0939f1zv"
		_, err = books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: own, Lines: []books.DraftLine{dl(bottle, 1000)}})
		mustInvalid(t, err, "party.gstin", "this shop's own")
	})
	t.Run("ErrExportChecks", func(t *testing.T) {
		_, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, ZeroRated: gst.ExportUnderLUT, Lines: []books.DraftLine{dl(bottle, 1000)}})
		mustInvalid(t, err, "party", "foreign buyer's name")
		_, err = books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: builder, ZeroRated: gst.ExportWithIGST, Lines: []books.DraftLine{dl(bottle, 1000)}})
		mustInvalid(t, err, "party.gstin", "has no GSTIN")
		_, err = books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: foreign, PlaceOfSupply: "29", ZeroRated: gst.ExportWithIGST, Lines: []books.DraftLine{dl(bottle, 1000)}})
		mustInvalid(t, err, "place_of_supply", "96 (Other Countries), not 29")
		_, err = books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: foreign, PlaceOfSupply: "96", Lines: []books.DraftLine{dl(bottle, 1000)}})
		mustInvalid(t, err, "zero_rated", "is an export: choose export with IGST or export under LUT")
		_, err = books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: sezUnit, ZeroRated: gst.SEZUnderLUT, ShippingBill: &books.ShippingBill{PortCode: "INNSA1"}, Lines: []books.DraftLine{dl(bottle, 1000)}})
		mustInvalid(t, err, "shipping_bill", "Only an export has a shipping bill")
		_, err = books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: &books.PartySnapshot{Name: "No GSTIN SEZ"}, ZeroRated: gst.SEZUnderLUT, Lines: []books.DraftLine{dl(bottle, 1000)}})
		mustInvalid(t, err, "party.gstin", "needs the buyer's GSTIN")
		comp := reg
		comp.Composition = true
		_, err = books.PriceSale(&comp, &books.SaleDraft{Date: date, Party: foreign, ZeroRated: gst.ExportUnderLUT, Lines: []books.DraftLine{dl(bottle, 1000)}})
		mustInvalid(t, err, "zero_rated", "outside the composition scheme can bill export under lut")
		_, err = books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: sezUnit, ZeroRated: gst.SEZWithIGST, ReverseCharge: true, Lines: []books.DraftLine{dl(bottle, 1000)}})
		mustInvalid(t, err, "reverse_charge", "choose one")
		_, err = books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: foreign, ZeroRated: "deemed", Lines: []books.DraftLine{dl(bottle, 1000)}})
		mustInvalid(t, err, "zero_rated", `"deemed" is not known`)
	})
	t.Run("ErrReverseChargeNeedsRegisteredBuyer", func(t *testing.T) {
		_, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: &books.PartySnapshot{Name: "Walk"}, ReverseCharge: true, Lines: []books.DraftLine{dl(bottle, 1000)}})
		mustInvalid(t, err, "reverse_charge", "pick a customer with a GSTIN")
		milk := books.Product{Name: "Milk", SalePrice: 30_00, Category: gst.Exempt}
		_, err = books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: builder, ReverseCharge: true, Lines: []books.DraftLine{dl(milk, 1000)}})
		mustInvalid(t, err, "reverse_charge", "needs taxable items")
	})
	t.Run("ErrUnsupported", func(t *testing.T) {
		_, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, ECommerceGSTIN: "29AABCR1718E1ZL", Lines: []books.DraftLine{dl(bottle, 1000)}})
		mustInvalid(t, err, "ecommerce_gstin", "e-commerce operator")
		_, err = books.PriceSale(&reg, &books.SaleDraft{Date: date, Advance: true, Lines: []books.DraftLine{dl(bottle, 1000)}})
		mustInvalid(t, err, "advance", "Advances received before the supply")
		if _, err := gst.ParseZeroRated("deemed export"); err == nil || !strings.Contains(err.Error(), "deemed exports") {
			t.Errorf("deemed exports: %v", err)
		}
	})
}

func TestShippingBill(t *testing.T) {
	ok := books.ShippingBill{PortCode: " innsa1 ", Number: "1234567", Date: "08-10-2026"}
	ok.Normalize()
	if ok != (books.ShippingBill{PortCode: "INNSA1", Number: "1234567", Date: "2026-10-08"}) {
		t.Fatalf("normalized %+v", ok)
	}
	if err := ok.Validate("2026-10-05"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, field, want string
		sb                books.ShippingBill
	}{
		{"ErrMissingNumber", "shipping_bill", "together", books.ShippingBill{PortCode: "INNSA1", Date: "2026-10-08"}},
		{"ErrPortCode", "shipping_bill.port_code", "must be 6 letters or digits", books.ShippingBill{PortCode: "INNSA", Number: "1", Date: "2026-10-08"}},
		{"ErrNumber", "shipping_bill.number", "up to 7 digits", books.ShippingBill{PortCode: "INNSA1", Number: "12345678", Date: "2026-10-08"}},
		{"ErrBeforeInvoice", "shipping_bill.date", "before the invoice date 2026-10-05", books.ShippingBill{PortCode: "INNSA1", Number: "1", Date: "2026-10-04"}},
	} {
		t.Run(c.name, func(t *testing.T) { mustInvalid(t, c.sb.Validate("2026-10-05"), c.field, c.want) })
	}
	inv, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: foreign, ZeroRated: gst.ExportUnderLUT, Lines: []books.DraftLine{dl(bottle, 1000)}})
	if err != nil {
		t.Fatal(err)
	}
	inv.Number = "A-2627-1"
	e := books.ExportDetails{Date: "2026-10-09", ShippingBill: books.ShippingBill{PortCode: "INBOM4", Number: "7654321", Date: "2026-10-08"}}
	if err := e.Validate(inv, false); err != nil {
		t.Fatal(err)
	}
	mustInvalid(t, e.Validate(inv, true), "invoice", "cancelled")
	e.Date = "2026-10-07"
	mustInvalid(t, e.Validate(inv, false), "shipping_bill.date", "after today")
	local, _ := books.PriceSale(&reg, &books.SaleDraft{Date: date, Lines: []books.DraftLine{dl(bottle, 1000)}})
	mustInvalid(t, e.Validate(local, false), "invoice", "is not an export")
}

func TestPurchaseReverseCharge(t *testing.T) {
	// Raw cotton from an unregistered farmer in Gujarat (24) is notified
	// for reverse charge: the shop pays IGST on ₹10,000 at 5% = ₹500 itself
	// and owes the farmer ₹10,000.
	cotton := books.Product{Name: "Raw cotton", HSN: "5201", Unit: "KGS", PurchasePrice: 100_00, GSTRate: 500}
	farmer := &books.PartySnapshot{Name: "Farmer", StateCode: "24"}
	p, err := books.PricePurchase(&reg, &books.PurchaseDraft{Date: date, BillNumber: "F-1", Party: farmer, ReverseCharge: true, Lines: []books.DraftLine{dl(cotton, 100_000)}})
	if err != nil {
		t.Fatal(err)
	}
	if !p.ReverseCharge || p.SupplyType != gst.Inter || p.Taxable != 10_000_00 || p.IGST != 500_00 || p.GrandTotal != 10_000_00 {
		t.Fatalf("reverse charge purchase %+v", p)
	}
	// Without reverse charge an unregistered supplier charges nothing.
	p, err = books.PricePurchase(&reg, &books.PurchaseDraft{Date: date, BillNumber: "F-2", Party: farmer, Lines: []books.DraftLine{dl(cotton, 100_000)}})
	if err != nil || p.Tax() != 0 || p.GrandTotal != 10_000_00 {
		t.Fatalf("plain unregistered purchase %+v %v", p, err)
	}
	comp := reg
	comp.Composition = true
	_, err = books.PricePurchase(&comp, &books.PurchaseDraft{Date: date, BillNumber: "F-3", Party: farmer, ReverseCharge: true, Lines: []books.DraftLine{dl(cotton, 1000)}})
	mustInvalid(t, err, "reverse_charge", "composition")
}
