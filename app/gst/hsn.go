package gst

import (
	"sort"
	"strings"
)

// HSNKey names one row of an HSN summary: an HSN (or SAC) code, a unit and
// a rate, of supplies to registered buyers (B2B) or to others.
type HSNKey struct {
	B2B  bool
	HSN  string
	UQC  string
	Rate RateBP
}

// HSNSummary sums document lines into rows by HSNKey: the one home of the
// HSN aggregation behind GSTR-1 table 12, the HSN report and the store's
// GST view. The zero value is ready to use.
type HSNSummary struct {
	index map[HSNKey]int
	rows  []HSNLine
}

// Add sums l into the row of its key (l.B2B, l.HSN, l.UQC, l.Rate), signed
// as given (credit notes come negative). A row keeps the first non-empty
// Desc and Ref it is given.
func (s *HSNSummary) Add(l HSNLine) {
	k := HSNKey{B2B: l.B2B, HSN: l.HSN, UQC: l.UQC, Rate: l.Rate}
	i, ok := s.index[k]
	if !ok {
		if s.index == nil {
			s.index = map[HSNKey]int{}
		}
		i = len(s.rows)
		s.index[k] = i
		s.rows = append(s.rows, HSNLine{B2B: l.B2B, HSN: l.HSN, UQC: l.UQC, Rate: l.Rate})
	}
	a := &s.rows[i]
	if a.Desc == "" {
		a.Desc = l.Desc
	}
	if a.Ref == "" {
		a.Ref = l.Ref
	}
	a.Qty += l.Qty
	a.Taxable += l.Taxable
	a.CGST += l.CGST
	a.SGST += l.SGST
	a.IGST += l.IGST
	a.Cess += l.Cess
	a.Lines += l.Lines
}

// Len is the number of rows.
func (s *HSNSummary) Len() int { return len(s.rows) }

// Rows returns the rows in the order of the returns: B2B rows first, then
// by HSN, unit and rate. The slice is the summary's own; adding more lines
// after Rows may reorder it.
func (s *HSNSummary) Rows() []HSNLine {
	sort.Slice(s.rows, func(i, j int) bool {
		a, b := &s.rows[i], &s.rows[j]
		if a.B2B != b.B2B {
			return a.B2B
		}
		if a.HSN != b.HSN {
			return a.HSN < b.HSN
		}
		if a.UQC != b.UQC {
			return a.UQC < b.UQC
		}
		return a.Rate < b.Rate
	})
	for i := range s.rows {
		s.index[HSNKey{B2B: s.rows[i].B2B, HSN: s.rows[i].HSN, UQC: s.rows[i].UQC, Rate: s.rows[i].Rate}] = i
	}
	return s.rows
}

// Empty reports whether the row nets to nothing (fully returned).
func (l *HSNLine) Empty() bool {
	return l.Qty == 0 && l.Taxable == 0 && l.CGST == 0 && l.SGST == 0 && l.IGST == 0 && l.Cess == 0
}

// IsSAC reports whether code is a services accounting code (it starts
// with 99); goods codes (HSN) do not.
func IsSAC(code string) bool { return strings.HasPrefix(code, "99") }
