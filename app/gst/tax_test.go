package gst_test

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ainaukar/naukar/app/gst"
)

func TestRoundDiv(t *testing.T) {
	cases := []struct{ num, den, want int64 }{
		{10, 4, 3},   // 2.5 rounds up
		{9, 4, 2},    // 2.25 rounds down
		{-10, 4, -3}, // -2.5 rounds away from zero
		{-9, 4, -2},
		{0, 7, 0},
		{250, 20000 / 100, 1}, // 1.25
		{12, 6, 2},
		{5, -2, -3}, // negative den flips signs
	}
	for _, tc := range cases {
		if got := gst.RoundDiv(tc.num, tc.den); got != tc.want {
			t.Errorf("RoundDiv(%d, %d) = %d, want %d", tc.num, tc.den, got, tc.want)
		}
	}
	t.Run("PanicsOnZero", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("RoundDiv(1, 0) did not panic")
			}
		}()
		gst.RoundDiv(1, 0)
	})
}

func TestRoundOff(t *testing.T) {
	cases := []struct {
		name              string
		total, off, grand int64
	}{
		{"HalfRoundsUp", 12350, 50, 12400},
		{"BelowHalfRoundsDown", 12349, -49, 12300},
		{"Whole", 12300, 0, 12300},
		{"OnePaisaOver", 10001, -1, 10000},
		{"NinetyNine", 10099, 1, 10100},
		{"Zero", 0, 0, 0},
		{"NegativeHalfAwayFromZero", -12350, -50, -12400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			off, grand := gst.RoundOff(tc.total)
			if off != tc.off || grand != tc.grand {
				t.Errorf("RoundOff(%d) = %d, %d; want %d, %d", tc.total, off, grand, tc.off, tc.grand)
			}
		})
	}
}

func TestCompute(t *testing.T) {
	cases := []struct {
		name   string
		lines  []gst.LineInput
		supply gst.SupplyType
		want   gst.Result
	}{
		{
			name:   "InclusiveHundredRupeesIntra",
			lines:  []gst.LineInput{{Amount: 10000, Inclusive: true, Rate: 1800}},
			supply: gst.Intra,
			want: gst.Result{
				Lines:   []gst.LineTax{{Taxable: 8475, CGST: 763, SGST: 763, Total: 10000}},
				Groups:  []gst.RateGroup{{Rate: 1800, Category: gst.Taxable, Taxable: 8475, CGST: 763, SGST: 763}},
				Taxable: 8475, CGST: 763, SGST: 763, Total: 10001, RoundOff: -1, GrandTotal: 10000,
			},
		},
		{
			name:   "Rs24_63At18Intra",
			lines:  []gst.LineInput{{Amount: 2463, Rate: 1800}},
			supply: gst.Intra,
			want: gst.Result{
				Lines:   []gst.LineTax{{Taxable: 2463, CGST: 222, SGST: 222, Total: 2907}},
				Groups:  []gst.RateGroup{{Rate: 1800, Category: gst.Taxable, Taxable: 2463, CGST: 222, SGST: 222}},
				Taxable: 2463, CGST: 222, SGST: 222, Total: 2907, RoundOff: -7, GrandTotal: 2900,
			},
		},
		{
			name:   "Rs24_63At18Inter",
			lines:  []gst.LineInput{{Amount: 2463, Rate: 1800}},
			supply: gst.Inter,
			want: gst.Result{
				Lines:   []gst.LineTax{{Taxable: 2463, IGST: 443, Total: 2906}},
				Groups:  []gst.RateGroup{{Rate: 1800, Category: gst.Taxable, Taxable: 2463, IGST: 443}},
				Taxable: 2463, IGST: 443, Total: 2906, RoundOff: -6, GrandTotal: 2900,
			},
		},
		{
			// 0.25% on ₹300: each half is 37.5 paise, rounded up separately to 38; IGST is 75.
			name:   "QuarterPercentHalvesIntra",
			lines:  []gst.LineInput{{Amount: 30000, Rate: 25}},
			supply: gst.Intra,
			want: gst.Result{
				Lines:   []gst.LineTax{{Taxable: 30000, CGST: 38, SGST: 38, Total: 30076}},
				Groups:  []gst.RateGroup{{Rate: 25, Category: gst.Taxable, Taxable: 30000, CGST: 38, SGST: 38}},
				Taxable: 30000, CGST: 38, SGST: 38, Total: 30076, RoundOff: 24, GrandTotal: 30100,
			},
		},
		{
			name:   "QuarterPercentInter",
			lines:  []gst.LineInput{{Amount: 30000, Rate: 25}},
			supply: gst.Inter,
			want: gst.Result{
				Lines:   []gst.LineTax{{Taxable: 30000, IGST: 75, Total: 30075}},
				Groups:  []gst.RateGroup{{Rate: 25, Category: gst.Taxable, Taxable: 30000, IGST: 75}},
				Taxable: 30000, IGST: 75, Total: 30075, RoundOff: 25, GrandTotal: 30100,
			},
		},
		{
			// 14000 inclusive of 28% GST and 12% cess is 10000 taxable.
			name:   "CessInclusiveIntra",
			lines:  []gst.LineInput{{Amount: 14000, Inclusive: true, Rate: 2800, CessRate: 1200}},
			supply: gst.Intra,
			want: gst.Result{
				Lines:   []gst.LineTax{{Taxable: 10000, CGST: 1400, SGST: 1400, Cess: 1200, Total: 14000}},
				Groups:  []gst.RateGroup{{Rate: 2800, CessRate: 1200, Category: gst.Taxable, Taxable: 10000, CGST: 1400, SGST: 1400, Cess: 1200}},
				Taxable: 10000, CGST: 1400, SGST: 1400, Cess: 1200, Total: 14000, RoundOff: 0, GrandTotal: 14000,
			},
		},
		{
			name:   "ExemptCarriesNoTax",
			lines:  []gst.LineInput{{Amount: 5000, Rate: 1800, CessRate: 100, Category: gst.Exempt}},
			supply: gst.Intra,
			want: gst.Result{
				Lines:   []gst.LineTax{{Taxable: 5000, Total: 5000}},
				Groups:  []gst.RateGroup{{Category: gst.Exempt, Taxable: 5000}},
				Taxable: 5000, Total: 5000, RoundOff: 0, GrandTotal: 5000,
			},
		},
		{
			name:   "ZeroLine",
			lines:  []gst.LineInput{{Amount: 0, Rate: 1800}},
			supply: gst.Intra,
			want: gst.Result{
				Lines:  []gst.LineTax{{}},
				Groups: []gst.RateGroup{{Rate: 1800, Category: gst.Taxable}},
			},
		},
		{
			name:   "NoLines",
			supply: gst.Intra,
			want:   gst.Result{Lines: []gst.LineTax{}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := gst.Compute(tc.lines, tc.supply)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Compute =\n  %+v\nwant\n  %+v", got, tc.want)
			}
		})
	}
}

// TestInclusiveLineAmounts: a tax-inclusive line shows qty × inclusive
// price, exactly; the tax per invoice per rate is what the portal checks,
// and the round off takes the paisa the per-rate rounding leaves.
func TestInclusiveLineAmounts(t *testing.T) {
	type line struct {
		amount int64
		rate   gst.RateBP
		incl   bool
	}
	cases := []struct {
		name   string
		lines  []line
		supply gst.SupplyType
		// per group, as the portal checks it: taxable, CGST (= SGST) or IGST
		groups    [][3]int64
		lineTotal []int64
		grand     int64
	}{
		{"HundredAt18", []line{{10000, 1800, true}}, gst.Intra,
			[][3]int64{{8475, 763, 0}}, []int64{10000}, 10000},
		{"TwoAt28RupeesAt5", []line{{5600, 500, true}}, gst.Intra,
			[][3]int64{{5333, 133, 0}}, []int64{5600}, 5600},
		{"ThreeAt10RupeesAt40", []line{{3000, 4000, true}}, gst.Intra,
			[][3]int64{{2143, 429, 0}}, []int64{3000}, 3000},
		{"ThreeAt10RupeesAt12", []line{{3000, 1200, true}}, gst.Intra,
			[][3]int64{{2679, 161, 0}}, []int64{3000}, 3000},
		{"HundredAt18Inter", []line{{10000, 1800, true}}, gst.Inter,
			[][3]int64{{8475, 0, 1526}}, []int64{10000}, 10000},
		{"MixedRates", []line{
			{10000, 1800, true}, // ₹100 incl. 18%
			{5600, 500, true},   // 2 × ₹28 incl. 5%
			{10000, 1800, true}, // another ₹100 incl. 18%
			{5000, 1800, false}, // ₹50 + 18%
			{3000, 4000, true},  // 3 × ₹10 incl. 40%
			{999, 1800, true},   // ₹9.99 incl. 18%
		}, gst.Intra,
			// 18%: 8475 + 8475 + 5000 + 847 = 22797 → 2051.73 each half → 2052
			[][3]int64{{22797, 2052, 0}, {5333, 133, 0}, {2143, 429, 0}},
			[]int64{10000, 5600, 10000, 5900, 3000, 999}, 35500},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := make([]gst.LineInput, len(tc.lines))
			for i, l := range tc.lines {
				in[i] = gst.LineInput{Amount: l.amount, Rate: l.rate, Inclusive: l.incl}
			}
			got := gst.Compute(in, tc.supply)
			for i, want := range tc.lineTotal {
				if got.Lines[i].Total != want {
					t.Errorf("line %d shows %d, want %d (%+v)", i+1, got.Lines[i].Total, want, got.Lines[i])
				}
			}
			if len(got.Groups) != len(tc.groups) {
				t.Fatalf("%d groups, want %d", len(got.Groups), len(tc.groups))
			}
			for g, want := range tc.groups {
				gr := got.Groups[g]
				if gr.Taxable != want[0] || gr.CGST != want[1] || gr.SGST != want[1] || gr.IGST != want[2] {
					t.Errorf("group %s%%: taxable %d CGST %d SGST %d IGST %d, want %v", gr.Rate, gr.Taxable, gr.CGST, gr.SGST, gr.IGST, want)
				}
				// The portal's check: tax = taxable × rate per invoice per rate.
				if tc.supply == gst.Intra && gr.CGST != gst.RoundDiv(gr.Taxable*int64(gr.Rate), 20000) ||
					tc.supply == gst.Inter && gr.IGST != gst.RoundDiv(gr.Taxable*int64(gr.Rate), 10000) {
					t.Errorf("group %s%%: tax is not taxable × rate", gr.Rate)
				}
			}
			if got.GrandTotal != tc.grand {
				t.Errorf("grand total %d, want %d", got.GrandTotal, tc.grand)
			}
			assertLinesSumToGroups(t, in, got)
		})
	}
}

func TestComputeMultiRateInvoice(t *testing.T) {
	lines := []gst.LineInput{
		{Amount: 100, Rate: 500},                     // group 5%
		{Amount: 3333, Rate: 1800},                   // group 18%
		{Amount: 100, Rate: 500},                     // group 5%
		{Amount: 3333, Rate: 1800},                   // group 18%
		{Amount: 1000, Category: gst.NonGST},         // group non-GST
		{Amount: 100, Rate: 500},                     // group 5%
		{Amount: 3334, Rate: 1800},                   // group 18%
		{Amount: 11800, Inclusive: true, Rate: 1800}, // group 18%, taxable 10000
	}
	got := gst.Compute(lines, gst.Intra)

	wantGroups := []gst.RateGroup{
		// 300 at 5%: each half 7.5 paise -> 8.
		{Rate: 500, Category: gst.Taxable, Taxable: 300, CGST: 8, SGST: 8},
		// 20000 at 18%: each half 1800.
		{Rate: 1800, Category: gst.Taxable, Taxable: 20000, CGST: 1800, SGST: 1800},
		{Category: gst.NonGST, Taxable: 1000},
	}
	if !reflect.DeepEqual(got.Groups, wantGroups) {
		t.Fatalf("Groups =\n  %+v\nwant\n  %+v", got.Groups, wantGroups)
	}
	// The 5% lines are equal: 8 paise split 3, 3, 2, the extra paise going to the earlier lines.
	// The 18% lines: 1800*3333/20000 = 299.97 -> 299 + remainder; 1800*10000/20000 = 900 exact.
	wantCGST := []int64{3, 300, 3, 300, 0, 2, 300, 900}
	for i, l := range got.Lines {
		if l.CGST != wantCGST[i] || l.SGST != wantCGST[i] {
			t.Errorf("line %d CGST/SGST = %d/%d, want %d", i, l.CGST, l.SGST, wantCGST[i])
		}
		if l.Total != l.Taxable+l.CGST+l.SGST+l.IGST+l.Cess {
			t.Errorf("line %d Total %d does not add up", i, l.Total)
		}
	}
	if got.Taxable != 21300 || got.CGST != 1808 || got.SGST != 1808 || got.Total != 24916 {
		t.Errorf("totals = %d %d %d %d, want 21300 1808 1808 24916", got.Taxable, got.CGST, got.SGST, got.Total)
	}
	if got.RoundOff != -16 || got.GrandTotal != 24900 {
		t.Errorf("round off = %d grand %d, want -16 24900", got.RoundOff, got.GrandTotal)
	}
	assertLinesSumToGroups(t, lines, got)
}

// assertLinesSumToGroups checks that every head of every group equals the sum
// of its lines, and the invoice totals equal the sum of the groups.
func assertLinesSumToGroups(t *testing.T, lines []gst.LineInput, r gst.Result) {
	t.Helper()
	type sums struct{ taxable, cgst, sgst, igst, cess int64 }
	per := map[[3]string]*sums{}
	for i, l := range lines {
		cat := l.Category
		if cat == "" {
			cat = gst.Taxable
		}
		rate, cess := l.Rate, l.CessRate
		if cat != gst.Taxable {
			rate, cess = 0, 0
		}
		k := [3]string{string(cat), rate.String(), cess.String()}
		if per[k] == nil {
			per[k] = &sums{}
		}
		s, lt := per[k], r.Lines[i]
		s.taxable += lt.Taxable
		s.cgst += lt.CGST
		s.sgst += lt.SGST
		s.igst += lt.IGST
		s.cess += lt.Cess
	}
	var tot sums
	for _, g := range r.Groups {
		s := per[[3]string{string(g.Category), g.Rate.String(), g.CessRate.String()}]
		if s == nil || *s != (sums{g.Taxable, g.CGST, g.SGST, g.IGST, g.Cess}) {
			t.Errorf("group %+v: lines sum to %+v", g, s)
		}
		tot.taxable += g.Taxable
		tot.cgst += g.CGST
		tot.sgst += g.SGST
		tot.igst += g.IGST
		tot.cess += g.Cess
	}
	if tot != (sums{r.Taxable, r.CGST, r.SGST, r.IGST, r.Cess}) {
		t.Errorf("invoice totals %+v differ from group sums %+v", r, tot)
	}
	if r.Total != r.Taxable+r.CGST+r.SGST+r.IGST+r.Cess || r.GrandTotal%100 != 0 || r.GrandTotal-r.Total != r.RoundOff {
		t.Errorf("bad totals: %+v", r)
	}
	// A line shows what the customer was shown: an inclusive line its
	// amount, and its own figures add up to it within a paisa or two.
	for i, l := range lines {
		lt := r.Lines[i]
		sum := lt.Taxable + lt.CGST + lt.SGST + lt.IGST + lt.Cess
		if !l.Inclusive && lt.Total != sum {
			t.Errorf("line %d total %d is not its taxable and tax %d", i, lt.Total, sum)
		}
		if l.Inclusive && (lt.Total != l.Amount || sum-lt.Total > 2 || lt.Total-sum > 2) {
			t.Errorf("inclusive line %d of %d: total %d, taxable and tax %d", i, l.Amount, lt.Total, sum)
		}
	}
}

func TestComputeAllocationAlwaysSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	rates := []gst.RateBP{0, 10, 25, 150, 300, 500, 1200, 1800, 2800, 4000}
	cats := []gst.Category{gst.Taxable, gst.Taxable, gst.Taxable, gst.Nil, gst.Exempt, gst.NonGST, ""}
	for n := 0; n < 500; n++ {
		lines := make([]gst.LineInput, 1+rng.IntN(20))
		for i := range lines {
			lines[i] = gst.LineInput{
				Amount:    rng.Int64N(10_00_000_00),
				Inclusive: rng.IntN(2) == 0,
				Rate:      rates[rng.IntN(len(rates))],
				Category:  cats[rng.IntN(len(cats))],
			}
			if rng.IntN(5) == 0 {
				lines[i].CessRate = 1200
			}
		}
		supply := gst.Intra
		if n%2 == 1 {
			supply = gst.Inter
		}
		assertLinesSumToGroups(t, lines, gst.Compute(lines, supply))
	}
}

func TestAllocate(t *testing.T) {
	cases := []struct {
		name    string
		amount  int64
		weights []int64
		want    []int64
	}{
		{"EqualWeightsTieToEarlier", 8, []int64{100, 100, 100}, []int64{3, 3, 2}},
		{"LargestRemainderWins", 10, []int64{1, 2, 7}, []int64{1, 2, 7}},
		{"Remainders", 100, []int64{1, 1, 1}, []int64{34, 33, 33}},
		{"ZeroWeightsGoToFirst", 5, []int64{0, 0}, []int64{5, 0}},
		{"Empty", 5, nil, []int64{}},
		{"HugeNoOverflow", 9_000_000_000_000_000, []int64{9_000_000_000_000_000, 1}, []int64{8_999_999_999_999_999, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := gst.Allocate(tc.amount, tc.weights); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Allocate(%d, %v) = %v, want %v", tc.amount, tc.weights, got, tc.want)
			}
		})
	}
}

func BenchmarkCompute8Lines(b *testing.B) {
	lines := []gst.LineInput{
		{Amount: 24500, Rate: 500},
		{Amount: 11800, Inclusive: true, Rate: 1800},
		{Amount: 3333, Rate: 1800},
		{Amount: 99900, Rate: 1800, CessRate: 0},
		{Amount: 1500, Category: gst.Exempt},
		{Amount: 120000, Inclusive: true, Rate: 4000},
		{Amount: 4999, Rate: 500},
		{Amount: 250000, Rate: 300},
	}
	b.ReportAllocs()
	for b.Loop() {
		gst.Compute(lines, gst.Intra)
	}
}
