package gst_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ainaukar/naukar/app/gst"
)

// randomMonth makes a month of invoices and credit notes of every kind the
// return treats apart: registered and unregistered buyers, large
// inter-state sales, exports and SEZ supplies, cancelled invoices, nil and
// exempt supplies, short and missing HSN codes, bad places of supply, gaps
// and two series; with the HSN sums of their lines by day.
func randomMonth(r *rand.Rand) (invs, notes []gst.Doc, hsnByDay map[string][]gst.HSNLine) {
	hsnByDay = map[string][]gst.HSNLine{}
	seq := map[string]int64{"A": 10, "B": 3}
	gstins := []string{"27AAPFU0939F1ZV", "24AANFA2641L1ZF", "27AAPFU0939F1ZW"}
	pos := []string{"27", "29", "07", "", "99"}
	for day := 1; day <= 12; day++ {
		date := fmt.Sprintf("2026-10-%02d", day)
		var sum gst.HSNSummary
		for range r.IntN(40) {
			s := []string{"A", "B"}[r.IntN(2)]
			seq[s] += int64(1 + r.IntN(20)/18) // a gap now and then
			d := gst.Doc{Number: fmt.Sprintf("%s-%d", s, seq[s]), Series: s, FY: 2026, Seq: seq[s], Date: date,
				PlaceOfSupply: pos[r.IntN(len(pos))], SupplyType: gst.Intra, Cancelled: r.IntN(15) == 0, ShortestHSN: []int{0, 2, 4, 4, 6, 8}[r.IntN(6)]}
			if d.PlaceOfSupply != "27" {
				d.SupplyType = gst.Inter
			}
			if r.IntN(5) == 0 {
				d.GSTIN = gstins[r.IntN(len(gstins))]
			}
			if r.IntN(20) == 0 {
				d.ZeroRated = gst.ZeroRatedKinds()[r.IntN(4)]
			}
			for _, rate := range []gst.RateBP{500, 1800, 0} {
				if r.IntN(2) == 0 {
					continue
				}
				taxable := int64(1000 + r.IntN(20_000_000))
				ra := gst.RateAmounts{Rate: rate, Taxable: taxable, Cess: int64(r.IntN(3))}
				if d.SupplyType == gst.Inter {
					ra.IGST = taxable * int64(rate) / 10000
				} else {
					ra.CGST, ra.SGST = taxable*int64(rate)/20000, taxable*int64(rate)/20000
				}
				d.Value += taxable + ra.IGST + ra.CGST + ra.SGST
				if rate == 0 {
					d.AddSupply([]gst.Category{gst.Nil, gst.Exempt, gst.NonGST}[r.IntN(3)], ra)
				} else {
					d.AddSupply(gst.Taxable, ra)
				}
				if !d.Cancelled {
					sum.Add(gst.HSNLine{B2B: d.GSTIN != "", HSN: []string{"1006", "", "99", "190590"}[r.IntN(4)], UQC: "NOS", Rate: rate,
						Qty: 1000, Taxable: ra.Taxable, CGST: ra.CGST, SGST: ra.SGST, IGST: ra.IGST, Cess: ra.Cess, Lines: 1, Ref: fmt.Sprint("p", r.IntN(5))})
				}
			}
			invs = append(invs, d)
			if r.IntN(8) == 0 {
				n := d
				n.Series, n.Number, n.Seq, n.Cancelled = "CN", fmt.Sprintf("CN-%d", len(notes)+1), int64(len(notes)+1), false
				n.InvoiceNumber, n.InvoiceDate, n.InvoiceValue = d.Number, d.Date, d.Value
				notes = append(notes, n)
			}
		}
		hsnByDay[date] = sum.Rows()
	}
	return invs, notes, hsnByDay
}

// TestGSTR1FromDaySummaries: a return built from day summaries (with the
// listed invoices of those days) is the return built from every invoice,
// for any set of summarised days.
func TestGSTR1FromDaySummaries(t *testing.T) {
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 7))
		invs, notes, hsnByDay := randomMonth(r)
		var allHSN []gst.HSNLine
		for d := 1; d <= 12; d++ {
			allHSN = append(allHSN, hsnByDay[fmt.Sprintf("2026-10-%02d", d)]...)
		}
		in := gst.GSTR1Input{GSTIN: "27AAPFU0939F1ZV", FP: "102026", Invoices: invs, CreditNotes: notes, HSN: allHSN,
			LastSeqBefore: map[gst.SeriesFY]int64{{Series: "A", FY: 2026}: 9}, HSNDigits: []int{0, 4, 6}[seed%3]}
		want, wantWarn := gst.BuildGSTR1(in)

		// Summarise a random set of days.
		byDay := map[string][]gst.Doc{}
		for _, d := range invs {
			byDay[d.Date] = append(byDay[d.Date], d)
		}
		sin := in
		sin.Invoices, sin.HSN = nil, nil
		for d := 1; d <= 12; d++ {
			date := fmt.Sprintf("2026-10-%02d", d)
			if r.IntN(3) == 0 {
				for _, doc := range byDay[date] {
					sin.Invoices = append(sin.Invoices, doc)
				}
				sin.HSN = append(sin.HSN, hsnByDay[date]...)
				continue
			}
			day := gst.SummariseGSTR1Day(date, append([]gst.Doc(nil), byDay[date]...), hsnByDay[date])
			// A summary is kept as JSON in the books.
			b, err := json.Marshal(day)
			if err != nil {
				t.Fatal(err)
			}
			var back gst.GSTR1Day
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			sin.Days = append(sin.Days, back)
			sin.HSN = append(sin.HSN, back.HSN...)
			for _, doc := range byDay[date] {
				if gst.ListedInGSTR1(&doc) {
					sin.Invoices = append(sin.Invoices, doc)
				}
			}
		}
		got, gotWarn := gst.BuildGSTR1(sin)
		if !reflect.DeepEqual(got, want) {
			a, _ := json.Marshal(want)
			b, _ := json.Marshal(got)
			t.Fatalf("seed %d: return from summaries differs:\nwant %s\ngot  %s", seed, a, b)
		}
		if !reflect.DeepEqual(gotWarn, wantWarn) {
			t.Fatalf("seed %d: warnings from summaries differ:\nwant %+v\ngot  %+v", seed, wantWarn, gotWarn)
		}
		if len(want.B2CS) == 0 || want.DocIssue == nil || len(wantWarn) == 0 {
			t.Fatalf("seed %d: the month tests little: %d b2cs rows, %d warnings", seed, len(want.B2CS), len(wantWarn))
		}
	}
}
