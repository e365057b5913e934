package gst

import "sort"

// A month of a big shop's books holds hundreds of thousands of invoices,
// nearly all of them sales to unregistered buyers that GSTR-1 only sums
// (b2cs, nil, hsn, doc_issue). The books keep, per closed day, what that
// day's invoices contribute to the return (GSTR1Day), so that a return
// reads a few sums a day instead of every invoice and line. The invoices
// the return lists one by one are kept as they are (ListedInGSTR1); the
// caller passes them with the return's other invoices. A return built from
// day summaries is the same, byte for byte, as one built from every invoice.

// GSTR1DayVersion names the rules SummariseGSTR1Day and BuildGSTR1 apply
// to day summaries. Change it with any change to what a summary holds or
// to how a return is built from documents: summaries made by other rules
// are then made again, never read.
const GSTR1DayVersion = 1

// GSTR1Day is what one day's invoices contribute to GSTR-1 beyond the
// invoices it lists one by one.
type GSTR1Day struct {
	Date string `json:"date"`
	// B2CS sums the unlisted invoices not cancelled by supply type, place
	// of supply and rate (table 7); Nil sums their nil-rated, exempt and
	// non-GST supplies (table 8).
	B2CS []B2CSSum `json:"b2cs,omitempty"`
	Nil  []NilSum  `json:"nil,omitempty"`
	// HSN sums the lines of every invoice of the day not cancelled (listed
	// ones too), as the caller summed them into HSNLines.
	HSN []HSNLine `json:"hsn,omitempty"`
	// Series holds the numbers of every invoice of the day (cancelled and
	// listed ones too), per series and year: table 13 and the gap check.
	Series []SeriesDay `json:"series,omitempty"`
	// Checks are the day's findings of the checks that apply to every
	// invoice not cancelled (listed ones too).
	Checks DayChecks `json:"checks"`
}

// B2CSSum is the b2cs sum of one supply type, place of supply and rate.
type B2CSSum struct {
	SplyTy string `json:"sply_ty"`
	Pos    string `json:"pos"`
	RateAmounts
}

// NilSum is table 8's sum of one kind of supply.
type NilSum struct {
	Inter               bool  `json:"inter,omitempty"`
	B2B                 bool  `json:"b2b,omitempty"`
	Nil, Exempt, NonGST int64 `json:",omitempty"`
}

// SeriesDay is the numbers of one series and year issued on one day.
type SeriesDay struct {
	SeriesFY
	// First and Last are the lowest and highest numbers (on a tie, the
	// first and the last in date and number order).
	FirstSeq  int64  `json:"first_seq"`
	First     string `json:"first"`
	LastSeq   int64  `json:"last_seq"`
	Last      string `json:"last"`
	Count     int    `json:"count"`
	Cancelled int    `json:"cancelled,omitempty"`
	// Runs are the numbers used, as ranges of consecutive numbers in order.
	Runs [][2]int64 `json:"runs"`
}

// DayChecks are the documents of one day that fail a check, as a warning
// lists them.
type DayChecks struct {
	NoHSN WarnCount `json:"no_hsn"`
	NoPOS WarnCount `json:"no_pos"`
	// ShortHSN[t-1] holds the documents whose shortest HSN has fewer than t
	// digits (t = 1…8): the check depends on the turnover of the return's year.
	ShortHSN [maxHSNDigits]WarnCount `json:"short_hsn"`
}

const maxHSNDigits = 8

// WarnCount is how many documents a check found, and the first few of them.
type WarnCount struct {
	Count int      `json:"n,omitempty"`
	Docs  []string `json:"docs,omitempty"`
}

func (w *WarnCount) add(doc string) {
	w.Count++
	if len(w.Docs) < maxWarnDocs {
		w.Docs = append(w.Docs, doc)
	}
}

// ListedInGSTR1 reports whether GSTR-1 shows an invoice one by one (b2b,
// b2cl, exports, SEZ supplies) rather than only summing it: a day summary
// leaves such invoices (cancelled ones too, whose buyers still name the
// registered parties) to be read as they are.
func ListedInGSTR1(d *Doc) bool {
	return d.GSTIN != "" || d.ZeroRated != "" || isB2CL(d.SupplyType, d.Value, d.Date)
}

// SummariseGSTR1Day sums one day's invoices (every invoice dated date,
// cancelled ones too) and hsn (the HSN sums of their lines, cancelled ones
// left out) into the day's summary. The invoices ListedInGSTR1 keeps out
// of the sums are the caller's to keep and to pass to BuildGSTR1 with the
// day's summary.
func SummariseGSTR1Day(date string, docs []Doc, hsn []HSNLine) GSTR1Day {
	day := GSTR1Day{Date: date, HSN: hsn}
	ds := make([]*Doc, len(docs))
	for i := range docs {
		ds[i] = &docs[i]
	}
	byDateNumber(ds)
	b2cs := map[b2csKey]int{}
	nils := map[nilKey]int{}
	for _, d := range ds {
		if d.Cancelled {
			continue
		}
		checkDay(&day.Checks, d)
		if ListedInGSTR1(d) {
			continue
		}
		if d.Nil != 0 || d.Exempt != 0 || d.NonGST != 0 {
			k := nilKey{inter: d.SupplyType == Inter, b2b: false}
			i, ok := nils[k]
			if !ok {
				i = len(day.Nil)
				nils[k] = i
				day.Nil = append(day.Nil, NilSum{Inter: k.inter})
			}
			n := &day.Nil[i]
			n.Nil += d.Nil
			n.Exempt += d.Exempt
			n.NonGST += d.NonGST
		}
		for _, r := range d.Rates {
			k := b2csKey{splyTy(d.SupplyType), d.PlaceOfSupply, r.Rate}
			i, ok := b2cs[k]
			if !ok {
				i = len(day.B2CS)
				b2cs[k] = i
				day.B2CS = append(day.B2CS, B2CSSum{SplyTy: k.sply, Pos: k.pos, RateAmounts: RateAmounts{Rate: r.Rate}})
			}
			g := &day.B2CS[i].RateAmounts
			g.Taxable += r.Taxable
			g.CGST += r.CGST
			g.SGST += r.SGST
			g.IGST += r.IGST
			g.Cess += r.Cess
		}
	}
	keys, g := seriesGroups(ds)
	for _, k := range keys {
		day.Series = append(day.Series, seriesDay(k, g[k]))
	}
	return day
}

// checkDay runs the checks of gstr1Warnings that apply to every invoice.
func checkDay(c *DayChecks, d *Doc) {
	if d.ShortestHSN == 0 {
		c.NoHSN.add(d.Number)
	} else {
		for t := d.ShortestHSN + 1; t <= maxHSNDigits; t++ {
			c.ShortHSN[t-1].add(d.Number)
		}
	}
	if d.SupplyType == Inter && !ValidStateCode(d.PlaceOfSupply) {
		c.NoPOS.add(d.Number)
	}
}

// seriesDay sums the documents of one series, ordered by number (ties in
// date and number order).
func seriesDay(k SeriesFY, l []*Doc) SeriesDay {
	s := SeriesDay{SeriesFY: k, FirstSeq: l[0].Seq, First: l[0].Number, LastSeq: l[len(l)-1].Seq, Last: l[len(l)-1].Number, Count: len(l)}
	for _, d := range l {
		if d.Cancelled {
			s.Cancelled++
		}
		if n := len(s.Runs); n > 0 && d.Seq <= s.Runs[n-1][1]+1 {
			s.Runs[n-1][1] = max(s.Runs[n-1][1], d.Seq)
		} else {
			s.Runs = append(s.Runs, [2]int64{d.Seq, d.Seq})
		}
	}
	return s
}

// seriesOf turns documents into per-series sums, one per document, in
// their order.
func seriesOf(ds []*Doc) []SeriesDay {
	out := make([]SeriesDay, 0, len(ds))
	for _, d := range ds {
		out = append(out, seriesDay(SeriesFY{d.Series, d.FY}, []*Doc{d}))
	}
	return out
}

// mergeSeries adds per-series sums, given in date and number order, into
// one sum per series and year, ordered by year and series.
func mergeSeries(parts []SeriesDay) []SeriesDay {
	idx := map[SeriesFY]int{}
	var out []SeriesDay
	for _, p := range parts {
		i, ok := idx[p.SeriesFY]
		if !ok {
			idx[p.SeriesFY] = len(out)
			p.Runs = append([][2]int64(nil), p.Runs...)
			out = append(out, p)
			continue
		}
		s := &out[i]
		if p.FirstSeq < s.FirstSeq {
			s.FirstSeq, s.First = p.FirstSeq, p.First
		}
		if p.LastSeq >= s.LastSeq {
			s.LastSeq, s.Last = p.LastSeq, p.Last
		}
		s.Count += p.Count
		s.Cancelled += p.Cancelled
		s.Runs = append(s.Runs, p.Runs...)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].FY != out[j].FY {
			return out[i].FY < out[j].FY
		}
		return out[i].Series < out[j].Series
	})
	for i := range out {
		r := out[i].Runs
		sort.SliceStable(r, func(a, b int) bool { return r[a][0] < r[b][0] })
	}
	return out
}
