package gst

import (
	"math/bits"
	"sort"
)

// RoundDiv returns num/den rounded to the nearest integer, with halves rounded
// away from zero (so half up for positive amounts). It panics if den is 0; a
// negative den is treated by flipping both signs.
func RoundDiv(num, den int64) int64 {
	if den == 0 {
		panic("gst: RoundDiv by zero")
	}
	if den < 0 {
		num, den = -num, -den
	}
	q, r := num/den, num%den
	if r < 0 {
		r = -r
	}
	// r < den, so comparing r >= den-r avoids overflow in 2*r.
	if r >= den-r {
		if num < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

// RoundOff rounds an invoice total in paise to whole rupees, halves away from
// zero (x.50 goes up, x.49 goes down). It returns the round-off adjustment and
// the grand total, with grand = total + roundOff; for a positive total roundOff
// lies in [-49, +50] paise.
func RoundOff(total int64) (roundOff, grand int64) {
	grand = RoundDiv(total, 100) * 100
	return grand - total, grand
}

// LineInput is one invoice line as given to Compute.
type LineInput struct {
	Amount    int64    // line value after discount, in paise; tax-inclusive if Inclusive
	Inclusive bool     // Amount includes GST (and cess)
	Rate      RateBP   // GST rate
	CessRate  RateBP   // compensation cess rate
	Category  Category // non-Taxable categories carry no tax (rate treated as 0); "" means Taxable
}

// LineTax is the tax of one line, allocated from its rate group.
type LineTax struct {
	Taxable, CGST, SGST, IGST, Cess int64
	// Total is the line's amount: Taxable plus all taxes, and for a
	// tax-inclusive line always its Amount (what the customer was shown).
	Total int64
}

// RateGroup is the tax of all lines of one category, rate and cess rate.
type RateGroup struct {
	Rate, CessRate                  RateBP
	Category                        Category
	Taxable, CGST, SGST, IGST, Cess int64
}

// Result is the tax of a whole invoice.
type Result struct {
	Lines                           []LineTax   // one per input line, in input order
	Groups                          []RateGroup // one per (category, rate, cess rate), in first-appearance order
	Taxable, CGST, SGST, IGST, Cess int64
	Total                           int64 // Taxable + all taxes, before round off
	RoundOff                        int64 // GrandTotal - Total
	GrandTotal                      int64 // Total rounded to whole rupees (a multiple of 100)
}

type groupKey struct {
	cat        Category
	rate, cess RateBP
}

// Compute works out the GST of an invoice the way the GST portal checks it:
// per invoice per rate per head. Each line's taxable value is its Amount, or
// for an inclusive line RoundDiv(Amount*10000, 10000+Rate+CessRate). Lines are
// grouped by (Category, Rate, CessRate) and each group's tax is computed on the
// group's taxable value: for Intra supplies CGST and SGST each at half the rate
// (RoundDiv(taxable*Rate, 20000) each), for Inter supplies IGST at the full
// rate, and cess at CessRate. Each group amount is then allocated to the
// group's lines in proportion to their taxable values by largest remainder
// (ties to the earlier line), so line amounts add up exactly to the group.
//
// A tax-inclusive line's Total is its Amount, whatever the rounding of the
// group: ₹100.00 incl. 18% is a line of 100.00 (taxable 84.75 + CGST 7.63
// + SGST 7.63 is 100.01 for the invoice, and the round off takes the
// paisa). Its Taxable is the Amount less its allocated tax; the paise by
// which those differ from the group's taxable value go back one each to the
// group's largest inclusive lines, so the lines' taxable values still add up
// exactly to the group's (the figure the returns report).
//
// Lines that are not Taxable carry no tax. Amounts must not be negative; the
// caller validates them.
func Compute(lines []LineInput, supply SupplyType) Result {
	res := Result{Lines: make([]LineTax, len(lines))}
	groupOf := make([]int, len(lines))
	index := make(map[groupKey]int, 4)
	for i, l := range lines {
		cat := l.Category
		if cat == "" {
			cat = Taxable
		}
		rate, cess := l.Rate, l.CessRate
		if cat != Taxable {
			rate, cess = 0, 0
		}
		taxable := l.Amount
		if l.Inclusive {
			taxable = RoundDiv(l.Amount*10000, int64(10000+rate+cess))
		}
		res.Lines[i].Taxable = taxable
		k := groupKey{cat, rate, cess}
		g, ok := index[k]
		if !ok {
			g = len(res.Groups)
			index[k] = g
			res.Groups = append(res.Groups, RateGroup{Rate: rate, CessRate: cess, Category: cat})
		}
		groupOf[i] = g
		res.Groups[g].Taxable += taxable
	}

	var members []int
	var weights []int64
	for g := range res.Groups {
		grp := &res.Groups[g]
		if supply == Inter {
			grp.IGST = RoundDiv(grp.Taxable*int64(grp.Rate), 10000)
		} else {
			grp.CGST = RoundDiv(grp.Taxable*int64(grp.Rate), 20000)
			grp.SGST = grp.CGST
		}
		grp.Cess = RoundDiv(grp.Taxable*int64(grp.CessRate), 10000)

		members, weights = members[:0], weights[:0]
		for i, gi := range groupOf {
			if gi == g {
				members = append(members, i)
				weights = append(weights, res.Lines[i].Taxable)
			}
		}
		heads := [...]struct {
			amount int64
			set    func(*LineTax, int64)
		}{
			{grp.CGST, func(l *LineTax, v int64) { l.CGST = v }},
			{grp.SGST, func(l *LineTax, v int64) { l.SGST = v }},
			{grp.IGST, func(l *LineTax, v int64) { l.IGST = v }},
			{grp.Cess, func(l *LineTax, v int64) { l.Cess = v }},
		}
		for _, h := range heads {
			if h.amount == 0 {
				continue
			}
			shares := Allocate(h.amount, weights)
			for j, i := range members {
				h.set(&res.Lines[i], shares[j])
			}
		}
		inclusiveLineTaxable(lines, res.Lines, members)
		res.Taxable += grp.Taxable
		res.CGST += grp.CGST
		res.SGST += grp.SGST
		res.IGST += grp.IGST
		res.Cess += grp.Cess
	}
	for i := range res.Lines {
		l := &res.Lines[i]
		l.Total = l.Taxable + l.CGST + l.SGST + l.IGST + l.Cess
		if lines[i].Inclusive {
			l.Total = lines[i].Amount
		}
	}
	res.Total = res.Taxable + res.CGST + res.SGST + res.IGST + res.Cess
	res.RoundOff, res.GrandTotal = RoundOff(res.Total)
	return res
}

// inclusiveLineTaxable makes the taxable value of each tax-inclusive line
// of one group its Amount less its allocated tax, then hands the paise that
// leaves over (or short) of the group's taxable value back one each to the
// largest of those lines, so the group's lines keep adding up to it.
func inclusiveLineTaxable(in []LineInput, out []LineTax, members []int) {
	var incl []int
	var left int64
	for _, i := range members {
		if !in[i].Inclusive {
			continue
		}
		l := &out[i]
		want := in[i].Amount - (l.CGST + l.SGST + l.IGST + l.Cess)
		left += l.Taxable - want
		l.Taxable = want
		incl = append(incl, i)
	}
	if left == 0 {
		return
	}
	sort.SliceStable(incl, func(a, b int) bool { return out[incl[a]].Taxable > out[incl[b]].Taxable })
	step := int64(1)
	if left < 0 {
		step = -1
	}
	for k := 0; left != 0; k = (k + 1) % len(incl) {
		out[incl[k]].Taxable += step
		left -= step
	}
}

// Allocate splits amount over weights in proportion, by the largest-remainder
// method: each share is first floor(amount*w/sum), and the paise left over go
// one each to the largest remainders, ties to the earlier index. The shares
// always add up exactly to amount. With no positive total weight, or with a
// negative weight or amount, proportions are not meaningful and the whole
// amount goes to the first share.
func Allocate(amount int64, weights []int64) []int64 {
	shares := make([]int64, len(weights))
	if len(weights) == 0 {
		return shares
	}
	var sum uint64
	ok := amount >= 0
	for _, w := range weights {
		if w < 0 {
			ok = false
			break
		}
		var carry uint64
		sum, carry = bits.Add64(sum, uint64(w), 0)
		if carry != 0 {
			ok = false
			break
		}
	}
	if !ok || sum == 0 {
		shares[0] = amount
		return shares
	}
	rems := make([]uint64, len(weights))
	var given uint64
	for i, w := range weights {
		hi, lo := bits.Mul64(uint64(amount), uint64(w))
		// w <= sum, so amount*w/sum <= amount and hi < sum: Div64 cannot overflow.
		q, r := bits.Div64(hi, lo, sum)
		shares[i], rems[i] = int64(q), r
		given += q
	}
	left := int(uint64(amount) - given) // fewer than len(weights)
	if left == 0 {
		return shares
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rems[order[a]] > rems[order[b]] })
	for _, i := range order[:left] {
		shares[i]++
	}
	return shares
}
