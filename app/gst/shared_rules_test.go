package gst_test

import (
	"testing"

	"github.com/ainaukar/naukar/app/gst"
)

// TestReturnCategory: the one rule the returns use to sort a line: above
// 0% it is taxable whatever its category says; at 0% it is exempt or
// non-GST when the line says so, else nil-rated (a 0% taxable line too).
func TestReturnCategory(t *testing.T) {
	for _, c := range []struct {
		rate gst.RateBP
		cat  gst.Category
		want gst.Category
	}{
		{1800, "", gst.Taxable},
		{1800, gst.Taxable, gst.Taxable},
		{500, gst.Exempt, gst.Taxable},
		{0, "", gst.Nil},
		{0, gst.Taxable, gst.Nil},
		{0, gst.Nil, gst.Nil},
		{0, gst.Exempt, gst.Exempt},
		{0, gst.NonGST, gst.NonGST},
	} {
		if got := gst.ReturnCategory(c.rate, c.cat); got != c.want {
			t.Errorf("ReturnCategory(%s%%, %q) = %q, want %q", c.rate, c.cat, got, c.want)
		}
	}
}

func TestFinancialYearHelpers(t *testing.T) {
	for date, want := range map[string]int{"2026-03-31": 2025, "2026-04-01": 2026, "2025-12-31": 2025} {
		if fy, ok := gst.FinancialYearOf(date); !ok || fy != want {
			t.Errorf("FinancialYearOf(%s) = %d, %v; want %d", date, fy, ok, want)
		}
	}
	if _, ok := gst.FinancialYearOf("31-03-2026"); ok {
		t.Error("FinancialYearOf takes YYYY-MM-DD only")
	}
	if s, e := gst.FYStart(2026).Format("2006-01-02"), gst.FYEnd(2026).Format("2006-01-02"); s != "2026-04-01" || e != "2027-03-31" {
		t.Errorf("FY 2026-27 runs %s to %s", s, e)
	}
	for date, want := range map[string][2]int{"01-04-2026": {2026, 1}, "30-06-2026": {2026, 1}, "01-07-2026": {2026, 2},
		"31-12-2026": {2026, 3}, "01-01-2027": {2026, 4}, "31-03-2027": {2026, 4}} {
		fy, q := gst.FYQuarter(MustDate(t, date))
		if fy != want[0] || q != want[1] {
			t.Errorf("FYQuarter(%s) = %d Q%d, want %d Q%d", date, fy, q, want[0], want[1])
		}
	}
	if got := gst.FYQuarterStart(2026, 4).Format("2006-01-02"); got != "2027-01-01" {
		t.Errorf("Q4 of 2026-27 starts %s", got)
	}
	for s, want := range map[string]int{"2026-27": 2026, "2026-2027": 2026, " 2099-00 ": 2099} {
		if fy, ok := gst.ParseFYLabel(s); !ok || fy != want {
			t.Errorf("ParseFYLabel(%q) = %d, %v", s, fy, ok)
		}
	}
	for _, s := range []string{"2026-28", "2026", "26-27", "2026-027", "abcd-ef"} {
		if _, ok := gst.ParseFYLabel(s); ok {
			t.Errorf("ParseFYLabel(%q) accepted", s)
		}
	}
}

// TestHSNSummary: lines of one HSN, unit, rate and buyer kind sum into one
// row (credit notes negative), rows come B2B first then by HSN, unit and
// rate, and a row keeps its first description and reference.
func TestHSNSummary(t *testing.T) {
	var s gst.HSNSummary
	s.Add(gst.HSNLine{HSN: "1006", UQC: "BAG", Rate: 500, Qty: 3000, Taxable: 1950_00, CGST: 48_75, SGST: 48_75, Lines: 1, Ref: "p1"})
	s.Add(gst.HSNLine{B2B: true, HSN: "7323", UQC: "NOS", Rate: 1800, Qty: 1000, Taxable: 1000_00, IGST: 180_00, Lines: 1})
	s.Add(gst.HSNLine{HSN: "1006", UQC: "BAG", Rate: 500, Qty: -1000, Taxable: -650_00, CGST: -16_25, SGST: -16_25, Lines: 1, Ref: "p2", Desc: "Rice"})
	s.Add(gst.HSNLine{HSN: "1006", UQC: "KGS", Rate: 500, Qty: 500, Taxable: 30_00, CGST: 75, SGST: 75, Lines: 1})
	rows := s.Rows()
	if len(rows) != 3 || s.Len() != 3 {
		t.Fatalf("rows: %+v", rows)
	}
	if !rows[0].B2B || rows[0].HSN != "7323" {
		t.Errorf("B2B rows come first: %+v", rows[0])
	}
	r := rows[1]
	if r.HSN != "1006" || r.UQC != "BAG" || r.Qty != 2000 || r.Taxable != 1300_00 || r.CGST != 32_50 || r.Lines != 2 || r.Ref != "p1" || r.Desc != "Rice" {
		t.Errorf("1006 BAG 5%%: %+v", r)
	}
	if rows[2].UQC != "KGS" {
		t.Errorf("a second unit is a row of its own: %+v", rows[2])
	}
	// Adding after Rows keeps summing into the same rows.
	s.Add(gst.HSNLine{B2B: true, HSN: "7323", UQC: "NOS", Rate: 1800, Qty: -1000, Taxable: -1000_00, IGST: -180_00, Lines: 1})
	if rows = s.Rows(); len(rows) != 3 || !rows[0].Empty() {
		t.Errorf("the returned bottle nets the B2B row to nothing: %+v", rows)
	}
}

// TestDocAddSupply: taxable supplies sum by rate; nil, exempt and non-GST
// supplies by value.
func TestDocAddSupply(t *testing.T) {
	var d gst.Doc
	d.AddSupply(gst.Taxable, gst.RateAmounts{Rate: 1800, Taxable: 100_00, CGST: 9_00, SGST: 9_00})
	d.AddSupply(gst.Taxable, gst.RateAmounts{Rate: 500, Taxable: 50_00, CGST: 1_25, SGST: 1_25})
	d.AddSupply(gst.Taxable, gst.RateAmounts{Rate: 1800, Taxable: 10_00, CGST: 90, SGST: 90})
	d.AddSupply(gst.Nil, gst.RateAmounts{Taxable: 7_00})
	d.AddSupply(gst.Exempt, gst.RateAmounts{Taxable: 8_00})
	d.AddSupply(gst.NonGST, gst.RateAmounts{Taxable: 9_00})
	if len(d.Rates) != 2 || d.Rates[0] != (gst.RateAmounts{Rate: 1800, Taxable: 110_00, CGST: 9_90, SGST: 9_90}) {
		t.Errorf("rates: %+v", d.Rates)
	}
	if d.Nil != 7_00 || d.Exempt != 8_00 || d.NonGST != 9_00 {
		t.Errorf("untaxed: nil %d exempt %d non-GST %d", d.Nil, d.Exempt, d.NonGST)
	}
}
