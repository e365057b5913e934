package books_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

var (
	date = time.Date(2026, 10, 5, 11, 0, 0, 0, time.Local)
	reg  = books.Business{Name: "Sharma", GSTIN: "27AAPFU0939F1ZV", StateCode: "27"}
)

func dl(p books.Product, qtyMilli int64) books.DraftLine {
	if p.Unit == "" {
		p.Unit = "NOS"
	}
	return books.DraftLine{ProductID: "p-" + p.Name, Product: p, Qty: qtyMilli}
}

func TestPriceSale(t *testing.T) {
	soap := books.Product{Name: "Soap", SalePrice: 4000, GSTRate: 1800}
	rice := books.Product{Name: "Rice", SalePrice: 6000, GSTRate: 500, PriceIncludesTax: true}
	milk := books.Product{Name: "Milk", SalePrice: 3000, Category: gst.Exempt}
	t.Run("MultiRateAllocatesExactly", func(t *testing.T) {
		inv, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Lines: []books.DraftLine{dl(soap, 3000), dl(rice, 1500), dl(soap, 1000), dl(milk, 2000)}})
		if err != nil {
			t.Fatal(err)
		}
		var tax, taxable int64
		for _, l := range inv.Lines {
			tax += l.CGST + l.SGST + l.IGST
			taxable += l.Taxable
		}
		if tax != inv.Tax() || taxable != inv.Taxable {
			t.Fatalf("lines %d/%d vs totals %d/%d", tax, taxable, inv.Tax(), inv.Taxable)
		}
		// Soap group 160.00 @18%: CGST 14.40 + SGST 14.40; rice 90.00 incl 5% → 85.71 taxable, 2.14 + 2.14.
		if inv.Taxable != 16000+8571+6000 || inv.CGST != 1440+214 || inv.SGST != 1440+214 {
			t.Fatalf("totals %+v", inv.Totals)
		}
		if inv.Kind != books.TaxInvoice || inv.GrandTotal%100 != 0 {
			t.Fatalf("kind %s grand %d", inv.Kind, inv.GrandTotal)
		}
	})
	t.Run("DiscountPercent", func(t *testing.T) {
		d := dl(soap, 2000)
		d.DiscountBP = 1000
		inv, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Lines: []books.DraftLine{d}})
		if err != nil {
			t.Fatal(err)
		}
		if inv.Lines[0].Discount != 800 || inv.Taxable != 7200 || inv.CGST != 648 {
			t.Fatalf("discounted %+v", inv.Lines[0])
		}
	})
	t.Run("CompositionIssuesBillOfSupply", func(t *testing.T) {
		comp := reg
		comp.Composition = true
		inv, err := books.PriceSale(&comp, &books.SaleDraft{Date: date, Lines: []books.DraftLine{dl(soap, 1000)}})
		if err != nil {
			t.Fatal(err)
		}
		if inv.Kind != books.BillOfSupply || inv.Tax() != 0 || inv.GrandTotal != 4000 || inv.Lines[0].Rate != 0 {
			t.Fatalf("bill of supply %+v", inv)
		}
	})
	t.Run("UnregisteredShopBillOfSupply", func(t *testing.T) {
		inv, err := books.PriceSale(&books.Business{Name: "Kirana", StateCode: "07"}, &books.SaleDraft{Date: date, Lines: []books.DraftLine{dl(rice, 1000)}})
		if err != nil || inv.Kind != books.BillOfSupply || inv.GrandTotal != 6000 {
			t.Fatalf("%+v %v", inv, err)
		}
	})
	t.Run("AllExemptBillOfSupply", func(t *testing.T) {
		inv, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Lines: []books.DraftLine{dl(milk, 1000)}})
		if err != nil || inv.Kind != books.BillOfSupply {
			t.Fatalf("%+v %v", inv, err)
		}
	})
	t.Run("WalkInPlaceOfSupplyIsShop", func(t *testing.T) {
		inv, _ := books.PriceSale(&reg, &books.SaleDraft{Date: date, Lines: []books.DraftLine{dl(soap, 1000)}})
		if inv.PlaceOfSupply != "27" || inv.SupplyType != gst.Intra {
			t.Fatalf("pos %s %s", inv.PlaceOfSupply, inv.SupplyType)
		}
	})
	t.Run("UnregisteredBuyerOtherStateIGST", func(t *testing.T) {
		inv, _ := books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: &books.PartySnapshot{Name: "Tourist", StateCode: "Goa"}, Lines: []books.DraftLine{dl(soap, 1000)}})
		if inv.PlaceOfSupply != "30" || inv.IGST != 720 {
			t.Fatalf("pos %s igst %d", inv.PlaceOfSupply, inv.IGST)
		}
	})
	t.Run("UTGSTStateStillIntraForUTShop", func(t *testing.T) {
		chd := books.Business{Name: "Chandigarh Mart", StateCode: "04"}
		chd.GSTIN = ""
		inv, _ := books.PriceSale(&chd, &books.SaleDraft{Date: date, Lines: []books.DraftLine{dl(soap, 1000)}})
		if inv.SupplyType != gst.Intra || !gst.IsUT(inv.PlaceOfSupply) {
			t.Fatalf("%s %s", inv.SupplyType, inv.PlaceOfSupply)
		}
	})
	t.Run("ErrOldRateAfterGST2", func(t *testing.T) {
		old := books.Product{Name: "Old 12", SalePrice: 100, GSTRate: 1200}
		_, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Lines: []books.DraftLine{dl(old, 1000)}})
		if books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), "12%") {
			t.Fatalf("got %v", err)
		}
		if _, err := books.PriceSale(&reg, &books.SaleDraft{Date: time.Date(2025, 9, 1, 10, 0, 0, 0, time.Local), Lines: []books.DraftLine{dl(old, 1000)}}); err != nil {
			t.Fatalf("12%% before 22-9-2025: %v", err)
		}
	})
	t.Run("ErrNoLines", func(t *testing.T) {
		_, err := books.PriceSale(&reg, &books.SaleDraft{Date: date})
		if books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), "at least one item") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrDiscountMoreThanLine", func(t *testing.T) {
		d := dl(soap, 1000)
		d.Discount = 5000
		_, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Lines: []books.DraftLine{d}})
		if books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), "more than the line value") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrPartyGSTIN", func(t *testing.T) {
		_, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: &books.PartySnapshot{Name: "X", GSTIN: "27AAPFU0939F0ZV"}, Lines: []books.DraftLine{dl(soap, 1000)}})
		if books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), "Customer GSTIN") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestPriceReturnProRata(t *testing.T) {
	p := books.Product{Name: "Oil", SalePrice: 15000, GSTRate: 500}
	d := dl(p, 3000)
	d.Discount = 1500
	inv, err := books.PriceSale(&reg, &books.SaleDraft{Date: date, Party: &books.PartySnapshot{ID: "x", Name: "Ravi"}, Lines: []books.DraftLine{d}})
	if err != nil {
		t.Fatal(err)
	}
	cn, err := books.PriceReturn(&reg, inv, false, nil, []books.ReturnLine{{Index: 0, Qty: 1000}}, date, "leak", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	if cn.Lines[0].Discount != 500 || cn.Taxable != 14500 || cn.CGST != 363 || cn.Refunded != 0 {
		t.Fatalf("credit note %+v", cn)
	}
	if _, err := books.PriceReturn(&reg, inv, true, nil, []books.ReturnLine{{Index: 0, Qty: 1000}}, date, "", nil, true); err == nil || !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("return on cancelled: %v", err)
	}
	if _, err := books.PriceReturn(&reg, inv, false, nil, []books.ReturnLine{{Index: 0, Qty: 1000}}, date.AddDate(0, 0, -1), "", nil, true); err == nil || !strings.Contains(err.Error(), "before the invoice date") {
		t.Fatalf("return before sale: %v", err)
	}
}

func TestPartyPhone(t *testing.T) {
	for in, want := range map[string]string{"+91 98765-43210": "9876543210", "09876543210": "9876543210", "919876543210": "9876543210", "98765 43210": "9876543210"} {
		p := books.Party{Name: "Ramesh", Phone: in}
		p.Normalize()
		if err := p.Validate(); err != nil || p.Phone != want {
			t.Errorf("%q → %q (%v), want %q", in, p.Phone, err, want)
		}
	}
	p := books.Party{Name: "Ramesh", Phone: " 98765 ext 2 "}
	p.Normalize()
	if err := p.Validate(); books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), `"98765 ext 2" is not a 10-digit Indian mobile number`) {
		t.Fatalf("bad phone: %v", err)
	}
}

// TestPricePurchaseUnregistered: a supplier without a GSTIN charges no tax,
// but the line keeps the item's rate (an 18% item stays an 18% item; it is
// not nil-rated), so the books and exports classify the purchase rightly.
func TestPricePurchaseUnregistered(t *testing.T) {
	pan := books.Product{Name: "Steel Pan", PurchasePrice: 50000, GSTRate: 1800}
	veg := books.Product{Name: "Vegetables", PurchasePrice: 2000, Category: gst.Nil}
	p, err := books.PricePurchase(&reg, &books.PurchaseDraft{Date: date, BillNumber: "K-9",
		Party: &books.PartySnapshot{Name: "Local Farm", StateCode: "27"}, Lines: []books.DraftLine{dl(pan, 2000), dl(veg, 1000)}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Tax() != 0 || p.Taxable != 102000 || p.GrandTotal != 102000 {
		t.Fatalf("totals %+v", p.Totals)
	}
	if l := p.Lines[0]; l.Rate != 1800 || l.Category != gst.Taxable || l.CGST+l.SGST+l.IGST != 0 {
		t.Errorf("taxable line %+v", l)
	}
	if l := p.Lines[1]; l.Rate != 0 || l.Category != gst.Nil {
		t.Errorf("nil-rated line %+v", l)
	}
}
