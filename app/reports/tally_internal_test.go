package reports

import (
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

// TestTallyLineLedger: the sales or purchase ledger of each kind of line.
// Bills of unregistered suppliers saved before lines kept their rate have
// taxable lines at 0%: they are not nil-rated purchases either.
func TestTallyLineLedger(t *testing.T) {
	b := &tallyBook{ledgers: map[string]*TallyLedger{}, created: map[string]bool{}, owner: map[string]string{}}
	for _, c := range []struct {
		line         books.Line
		sales, urd   bool
		want, taxing string
	}{
		{books.Line{Category: gst.Taxable, Rate: 1800}, true, false, "Sales @ 18%", "Taxable"},
		{books.Line{Category: gst.Taxable, Rate: 25}, false, false, "Purchase @ 0.25%", "Taxable"},
		{books.Line{Category: gst.Taxable, Rate: 1800}, false, true, "Purchase @ 18%", "Taxable"},
		{books.Line{Category: gst.Taxable, Rate: 0}, false, true, "Purchase Unregistered", "Taxable"},
		{books.Line{Category: "", Rate: 0}, false, true, "Purchase Unregistered", "Taxable"},
		{books.Line{Category: gst.Nil}, false, true, "Purchase Nil Rated", "Nil Rated"},
		{books.Line{Category: gst.Taxable, Rate: 0}, false, false, "Purchase Nil Rated", "Nil Rated"},
		{books.Line{Category: gst.Exempt}, true, false, "Sales Exempt", "Exempt"},
		{books.Line{Category: gst.NonGST}, true, false, "Sales Non-GST", "Non-GST"},
	} {
		got := b.lineLedger(&c.line, c.sales, c.urd)
		if got != c.want || b.ledgers[got].GSTDetails.Taxability != c.taxing {
			t.Errorf("%+v (sales %v, unregistered %v): %q %+v, want %q %s", c.line, c.sales, c.urd, got, b.ledgers[got].GSTDetails, c.want, c.taxing)
		}
	}
	if sw := b.ledgers["Purchase @ 0.25%"].GSTDetails.StateWise; sw.Rates[0].Rate != "0.125" || sw.Rates[2].Rate != "0.25" {
		t.Errorf("0.25%% rates: %+v", sw)
	}
}

// TestTallyReservedNames: the names a party or category may not take.
func TestTallyReservedNames(t *testing.T) {
	for _, n := range []string{"cash", "ROUND  off", "Sales @ 18%", "purchase @ 0.25%", "Output cgst", "Input Cess",
		"sundry debtors", "Duties & Taxes", "Profit & Loss A/c", "Purchase Unregistered", "UPI Account", "walk-in customers"} {
		if !reservedName(foldName(n)) {
			t.Errorf("%q is not reserved", n)
		}
	}
	for _, n := range []string{"Cashew Traders", "Sales Agency", "Sales @ Mehta", "Rent", "राम & सन्स"} {
		if reservedName(foldName(n)) {
			t.Errorf("%q is reserved", n)
		}
	}
}
