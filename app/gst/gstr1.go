package gst

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file builds GSTR-1 in the GSTN offline tool's JSON format from
// document summaries the caller computed. It is pure: no I/O, no clock.

// Amount is paise that marshals to JSON as a rupee number with two
// decimals (1234.50), as the GSTN offline tool writes amounts.
type Amount int64

// MarshalJSON writes the amount as a JSON number in rupees.
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(FormatAmount(int64(a))), nil }

// UnmarshalJSON reads a JSON number in rupees.
func (a *Amount) UnmarshalJSON(b []byte) error {
	v, err := ParseAmount(strings.Trim(string(b), `"`))
	if err != nil {
		return err
	}
	*a = Amount(v)
	return nil
}

// Rate is a rate in basis points that marshals to JSON as a percent number
// (18, 0.25, 1.5), as the returns write `rt`.
type Rate RateBP

// MarshalJSON writes the rate as a JSON number in percent.
func (r Rate) MarshalJSON() ([]byte, error) { return []byte(RateBP(r).String()), nil }

// UnmarshalJSON reads a JSON number in percent.
func (r *Rate) UnmarshalJSON(b []byte) error {
	v, err := ParseRate(strings.Trim(string(b), `"`))
	if err != nil {
		return err
	}
	*r = Rate(v)
	return nil
}

// Quantity is thousandths of a unit that marshals to JSON as a trimmed
// decimal number (1.5).
type Quantity int64

// MarshalJSON writes the quantity as a JSON number.
func (q Quantity) MarshalJSON() ([]byte, error) { return []byte(FormatQty(int64(q))), nil }

// UnmarshalJSON reads a JSON number.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	v, err := ParseQty(strings.Trim(string(b), `"`))
	if err != nil {
		return err
	}
	*q = Quantity(v)
	return nil
}

// B2CLLimit returns the invoice value (paise) above which an inter-state
// sale to an unregistered buyer is reported invoice-wise in b2cl: ₹1,00,000
// for invoices dated from 1-8-2024, ₹2,50,000 before. date is YYYY-MM-DD.
func B2CLLimit(date string) int64 {
	if date >= "2024-08-01" {
		return 1_00_000 * 100
	}
	return 2_50_000 * 100
}

// HSNSplitFrom is the first return period whose HSN summary is split into
// hsn_b2b and hsn_b2c (May 2025).
const HSNSplitFrom = "052025"

// HSNSplit reports whether the return period fp (MMYYYY) reports HSN split
// into B2B and B2C tables: from May 2025.
func HSNSplit(fp string) bool { return fpKey(fp) >= fpKey(HSNSplitFrom) }

// fpKey turns MMYYYY into YYYYMM for comparison; a malformed fp gives 0.
func fpKey(fp string) int {
	if len(fp) != 6 {
		return 0
	}
	m, err1 := strconv.Atoi(fp[:2])
	y, err2 := strconv.Atoi(fp[2:])
	if err1 != nil || err2 != nil {
		return 0
	}
	return y*100 + m
}

// PortalDate turns YYYY-MM-DD into the returns' dd-mm-yyyy; other text is
// returned as it is.
func PortalDate(iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return t.Format("02-01-2006")
}

// RateAmounts is the tax of one document at one rate: the sum of its line
// heads at that rate (they were allocated from the per-invoice-per-rate
// amounts, so they add up to them exactly).
type RateAmounts struct {
	Rate                            RateBP
	Taxable, CGST, SGST, IGST, Cess int64
}

// Doc is the GST summary of one outward document (invoice, bill of supply
// or credit note), computed by the caller from the stored document.
type Doc struct {
	Number        string
	Series        string // document series; with FY it keys doc_issue rows and gap checks
	FY            int
	Seq           int64
	Date          string // YYYY-MM-DD
	GSTIN         string // the buyer's GSTIN; "" for an unregistered buyer
	PlaceOfSupply string // state code
	SupplyType    SupplyType
	// ReverseCharge: the recipient pays the tax (a credit note carries its
	// invoice's). ZeroRated: an export or SEZ supply (likewise).
	ReverseCharge bool
	ZeroRated     ZeroRated
	Value         int64 // document value (grand total), paise
	Cancelled     bool
	// Exports: the shipping bill, when known (port code, number, YYYY-MM-DD).
	PortCode, ShippingBillNumber, ShippingBillDate string
	// Rates holds the taxable supplies with a rate above zero, one row per
	// rate. Supplies at 0% and untaxed supplies go in Nil, Exempt, NonGST.
	Rates               []RateAmounts
	Nil, Exempt, NonGST int64
	// ShortestHSN is the number of digits of the shortest HSN on the
	// document; 0 means a line has no HSN at all.
	ShortestHSN int
	// Credit notes only: the original invoice.
	InvoiceNumber string
	InvoiceDate   string
	InvoiceValue  int64
}

// AddSupply adds a document's supplies of one category and rate (as
// ReturnCategory decides it) to the summary: Taxable ones to the row of
// their rate, the others to Nil, Exempt or NonGST by taxable value.
func (d *Doc) AddSupply(cat Category, r RateAmounts) {
	switch cat {
	case Taxable:
		for i := range d.Rates {
			if x := &d.Rates[i]; x.Rate == r.Rate {
				x.Taxable += r.Taxable
				x.CGST += r.CGST
				x.SGST += r.SGST
				x.IGST += r.IGST
				x.Cess += r.Cess
				return
			}
		}
		d.Rates = append(d.Rates, r)
	case Exempt:
		d.Exempt += r.Taxable
	case NonGST:
		d.NonGST += r.Taxable
	default:
		d.Nil += r.Taxable
	}
}

// HSNLine is an aggregate of lines of one HSN, unit and rate. Credit notes
// come as negative quantities and amounts; BuildGSTR1 nets them.
type HSNLine struct {
	B2B                             bool // sold to a registered buyer
	HSN                             string
	Desc                            string
	UQC                             string
	Qty                             int64 // thousandths
	Rate                            RateBP
	Taxable, CGST, SGST, IGST, Cess int64
	Lines                           int    // how many document lines it sums
	Ref                             string // the caller's tag for the row, e.g. a product to name a line without HSN
}

// SeriesFY names a document series in a financial year.
type SeriesFY struct {
	Series string
	FY     int
}

// GSTR1Input is everything BuildGSTR1 needs for one return period.
type GSTR1Input struct {
	GSTIN       string
	FP          string // return period MMYYYY (for a quarter: its last month)
	Invoices    []Doc  // every invoice and bill of supply of the period, cancelled ones too
	CreditNotes []Doc
	HSN         []HSNLine
	// LastSeqBefore holds, per series and year, the last number issued
	// before the period (0 or absent: none), for the gap check.
	LastSeqBefore     map[SeriesFY]int64
	LastNoteSeqBefore map[SeriesFY]int64
	// HSNDigits is how many HSN digits the shop's turnover requires (4 or 6; 0 skips the check).
	HSNDigits int
	// Days are summaries of days whose invoices Invoices holds only those
	// ListedInGSTR1 (SummariseGSTR1Day); HSN already holds their HSN sums.
	Days []GSTR1Day
}

// GSTR1 is the return in the GSTN offline tool's JSON format.
type GSTR1 struct {
	GSTIN    string        `json:"gstin"`
	FP       string        `json:"fp"`
	B2B      []B2BParty    `json:"b2b,omitempty"`
	B2CL     []B2CLState   `json:"b2cl,omitempty"`
	B2CS     []B2CSRow     `json:"b2cs,omitempty"`
	CDNR     []CDNRParty   `json:"cdnr,omitempty"`
	CDNUR    []CDNURNote   `json:"cdnur,omitempty"`
	EXP      []ExpGroup    `json:"exp,omitempty"`
	Nil      *NilSection   `json:"nil,omitempty"`
	HSN      *HSNSection   `json:"hsn,omitempty"`
	DocIssue *DocIssueList `json:"doc_issue,omitempty"`
}

// ItemDetail is the tax at one rate of one document. Heads that do not
// apply to the supply type are left out (nil).
type ItemDetail struct {
	Rt    Rate    `json:"rt"`
	Txval Amount  `json:"txval"`
	Iamt  *Amount `json:"iamt,omitempty"`
	Camt  *Amount `json:"camt,omitempty"`
	Samt  *Amount `json:"samt,omitempty"`
	Csamt Amount  `json:"csamt"`
}

// Item is a numbered rate row of a document.
type Item struct {
	Num    int        `json:"num"`
	ItmDet ItemDetail `json:"itm_det"`
}

// B2BParty holds the invoices to one registered buyer.
type B2BParty struct {
	Ctin string       `json:"ctin"`
	Inv  []B2BInvoice `json:"inv"`
}

// B2BInvoice is one invoice to a registered buyer.
type B2BInvoice struct {
	Inum   string `json:"inum"`
	Idt    string `json:"idt"`
	Val    Amount `json:"val"`
	Pos    string `json:"pos"`
	Rchrg  string `json:"rchrg"`
	InvTyp string `json:"inv_typ"`
	Itms   []Item `json:"itms"`
}

// B2CLState holds the large inter-state B2C invoices to one state.
type B2CLState struct {
	Pos string        `json:"pos"`
	Inv []B2CLInvoice `json:"inv"`
}

// B2CLInvoice is one large inter-state invoice to an unregistered buyer.
type B2CLInvoice struct {
	Inum string `json:"inum"`
	Idt  string `json:"idt"`
	Val  Amount `json:"val"`
	Itms []Item `json:"itms"`
}

// B2CSRow is the other B2C sales of one supply type, state and rate, net of
// their credit notes.
type B2CSRow struct {
	SplyTy string  `json:"sply_ty"`
	Pos    string  `json:"pos"`
	Typ    string  `json:"typ"`
	Rt     Rate    `json:"rt"`
	Txval  Amount  `json:"txval"`
	Iamt   *Amount `json:"iamt,omitempty"`
	Camt   *Amount `json:"camt,omitempty"`
	Samt   *Amount `json:"samt,omitempty"`
	Csamt  Amount  `json:"csamt"`
}

// CDNRParty holds the credit and debit notes to one registered buyer.
type CDNRParty struct {
	Ctin string     `json:"ctin"`
	Nt   []CDNRNote `json:"nt"`
}

// CDNRNote is one note to a registered buyer.
type CDNRNote struct {
	Ntty   string `json:"ntty"`
	NtNum  string `json:"nt_num"`
	NtDt   string `json:"nt_dt"`
	Val    Amount `json:"val"`
	Pos    string `json:"pos"`
	Rchrg  string `json:"rchrg"`
	InvTyp string `json:"inv_typ"`
	Itms   []Item `json:"itms"`
}

// CDNURNote is one note to an unregistered buyer against a b2cl invoice.
type CDNURNote struct {
	Typ   string `json:"typ"` // B2CL, EXPWP or EXPWOP
	Ntty  string `json:"ntty"`
	NtNum string `json:"nt_num"`
	NtDt  string `json:"nt_dt"`
	Val   Amount `json:"val"`
	Pos   string `json:"pos,omitempty"` // B2CL only
	Itms  []Item `json:"itms"`
}

// ExpGroup is table 6A: the exports with (WPAY) or without (WOPAY) IGST.
type ExpGroup struct {
	ExpTyp string       `json:"exp_typ"`
	Inv    []ExpInvoice `json:"inv"`
}

// ExpInvoice is one export invoice, with its shipping bill when known.
type ExpInvoice struct {
	Inum    string    `json:"inum"`
	Idt     string    `json:"idt"`
	Val     Amount    `json:"val"`
	Sbpcode string    `json:"sbpcode,omitempty"`
	Sbnum   string    `json:"sbnum,omitempty"`
	Sbdt    string    `json:"sbdt,omitempty"`
	Itms    []ExpItem `json:"itms"`
}

// ExpItem is an export invoice's supplies at one rate (IGST and cess
// only; IGST is 0 under LUT).
type ExpItem struct {
	Txval Amount `json:"txval"`
	Rt    Rate   `json:"rt"`
	Iamt  Amount `json:"iamt"`
	Csamt Amount `json:"csamt"`
}

// NilSection is table 8: nil-rated, exempt and non-GST supplies.
type NilSection struct {
	Inv []NilRow `json:"inv"`
}

// NilRow is one supply kind of table 8.
type NilRow struct {
	SplyTy   string `json:"sply_ty"`
	NilAmt   Amount `json:"nil_amt"`
	ExptAmt  Amount `json:"expt_amt"`
	NgsupAmt Amount `json:"ngsup_amt"`
}

// HSNSection is table 12: one table before May 2025, split into B2B and B2C from then.
type HSNSection struct {
	Data   []HSNRow `json:"data,omitempty"`
	HSNB2B []HSNRow `json:"hsn_b2b,omitempty"`
	HSNB2C []HSNRow `json:"hsn_b2c,omitempty"`
}

// HSNRow is one HSN, unit and rate of table 12.
type HSNRow struct {
	Num   int      `json:"num"`
	HsnSc string   `json:"hsn_sc"`
	Desc  string   `json:"desc,omitempty"`
	Uqc   string   `json:"uqc"`
	Qty   Quantity `json:"qty"`
	Rt    Rate     `json:"rt"`
	Txval Amount   `json:"txval"`
	Iamt  Amount   `json:"iamt"`
	Camt  Amount   `json:"camt"`
	Samt  Amount   `json:"samt"`
	Csamt Amount   `json:"csamt"`
}

// DocIssueList is table 13: documents issued.
type DocIssueList struct {
	DocDet []DocDet `json:"doc_det"`
}

// DocDet is one document type of table 13.
type DocDet struct {
	DocNum int        `json:"doc_num"`
	DocTyp string     `json:"doc_typ"`
	Docs   []DocRange `json:"docs"`
}

// DocRange is one series of a document type.
type DocRange struct {
	Num      int    `json:"num"`
	From     string `json:"from"`
	To       string `json:"to"`
	Totnum   int    `json:"totnum"`
	Cancel   int    `json:"cancel"`
	NetIssue int    `json:"net_issue"`
}

// Table 13 document types.
const (
	DocInvoices    = 1
	DocCreditNotes = 5
)

// Warning codes of the checks before filing.
const (
	WarnInvalidGSTIN = "invalid_gstin"
	WarnMissingHSN   = "missing_hsn"
	WarnShortHSN     = "short_hsn"
	WarnNumberGap    = "number_gap"
	WarnMissingPOS   = "missing_pos"
	WarnNegative     = "negative_value"
	WarnNoShipping   = "no_shipping_bill"
)

// Warning is something to fix or check before filing a return.
type Warning struct {
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Count   int      `json:"count"`          // how many documents (or lines) it concerns
	Docs    []string `json:"docs,omitempty"` // the first few document numbers
}

// maxWarnDocs is how many document numbers a warning lists.
const maxWarnDocs = 10

func pamt(v int64) *Amount { a := Amount(v); return &a }

// detail returns the item detail of a rate row for the supply type.
func detail(r RateAmounts, st SupplyType) ItemDetail {
	d := ItemDetail{Rt: Rate(r.Rate), Txval: Amount(r.Taxable), Csamt: Amount(r.Cess)}
	if st == Inter {
		d.Iamt = pamt(r.IGST)
	} else {
		d.Camt, d.Samt = pamt(r.CGST), pamt(r.SGST)
	}
	return d
}

// items numbers the rate rows of a document, lowest rate first.
func items(rs []RateAmounts, st SupplyType) []Item {
	rs = sortedRates(rs)
	out := make([]Item, 0, len(rs))
	for _, r := range rs {
		out = append(out, Item{Num: len(out) + 1, ItmDet: detail(r, st)})
	}
	return out
}

func sortedRates(rs []RateAmounts) []RateAmounts {
	c := append([]RateAmounts(nil), rs...)
	sort.SliceStable(c, func(i, j int) bool { return c[i].Rate < c[j].Rate })
	return c
}

// zeroRatedRows are the supplies of an export or SEZ invoice by rate:
// every line is zero-rated, so its 0%, nil, exempt and non-GST lines are
// reported with it at rate 0 rather than in table 8.
func zeroRatedRows(d *Doc) []RateAmounts {
	rows := sortedRates(d.Rates)
	if v := d.Nil + d.Exempt + d.NonGST; v != 0 {
		rows = append([]RateAmounts{{Rate: 0, Taxable: v}}, rows...)
	}
	return rows
}

func expItems(rs []RateAmounts) []ExpItem {
	out := make([]ExpItem, len(rs))
	for i, r := range rs {
		out[i] = ExpItem{Txval: Amount(r.Taxable), Rt: Rate(r.Rate), Iamt: Amount(r.IGST), Csamt: Amount(r.Cess)}
	}
	return out
}

func rchrg(rc bool) string {
	if rc {
		return "Y"
	}
	return "N"
}

func splyTy(st SupplyType) string {
	if st == Inter {
		return "INTER"
	}
	return "INTRA"
}

// isB2CL reports whether a sale to an unregistered buyer is reported
// invoice-wise: inter-state with a value above the limit of its date.
func isB2CL(st SupplyType, value int64, date string) bool {
	return st == Inter && value > B2CLLimit(date)
}

type b2csKey struct {
	sply string
	pos  string
	rate RateBP
}

type nilKey struct {
	inter, b2b bool
}

// byDateNumber orders documents by date, then series and number.
func byDateNumber(ds []*Doc) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		if a.Series != b.Series {
			return a.Series < b.Series
		}
		if a.Seq != b.Seq {
			return a.Seq < b.Seq
		}
		return a.Number < b.Number
	})
}

// BuildGSTR1 builds the return and the warnings to look at before filing.
//
// Sales to a buyer with a GSTIN go to b2b; to an unregistered buyer in
// another state with an invoice value above B2CLLimit to b2cl; all other
// sales to b2cs, grouped by supply type, place of supply and rate. Supplies
// at 0% and nil-rated, exempt and non-GST supplies go to nil (table 8), not
// to the invoice sections. Credit notes to registered buyers go to cdnr; to
// unregistered buyers against a b2cl invoice to cdnur; others are netted in
// b2cs (and in nil). Cancelled invoices are left out of every section but
// counted in doc_issue. hsn is split into hsn_b2b and hsn_b2c from May 2025.
func BuildGSTR1(in GSTR1Input) (GSTR1, []Warning) {
	out := GSTR1{GSTIN: in.GSTIN, FP: in.FP}
	invs := make([]*Doc, 0, len(in.Invoices))
	for i := range in.Invoices {
		invs = append(invs, &in.Invoices[i])
	}
	byDateNumber(invs)
	notes := make([]*Doc, 0, len(in.CreditNotes))
	for i := range in.CreditNotes {
		notes = append(notes, &in.CreditNotes[i])
	}
	byDateNumber(notes)

	b2b := map[string][]B2BInvoice{}
	b2cl := map[string][]B2CLInvoice{}
	b2cs := map[b2csKey]*RateAmounts{}
	var b2csKeys []b2csKey
	nils := map[nilKey]*NilRow{}
	addB2CS := func(d *Doc, sign int64) {
		for _, r := range d.Rates {
			k := b2csKey{splyTy(d.SupplyType), d.PlaceOfSupply, r.Rate}
			g, ok := b2cs[k]
			if !ok {
				g = &RateAmounts{Rate: r.Rate}
				b2cs[k] = g
				b2csKeys = append(b2csKeys, k)
			}
			g.Taxable += sign * r.Taxable
			g.CGST += sign * r.CGST
			g.SGST += sign * r.SGST
			g.IGST += sign * r.IGST
			g.Cess += sign * r.Cess
		}
	}
	addNil := func(d *Doc, sign int64) {
		if d.Nil == 0 && d.Exempt == 0 && d.NonGST == 0 {
			return
		}
		k := nilKey{inter: d.SupplyType == Inter, b2b: d.GSTIN != ""}
		n, ok := nils[k]
		if !ok {
			n = &NilRow{}
			nils[k] = n
		}
		n.NilAmt += Amount(sign * d.Nil)
		n.ExptAmt += Amount(sign * d.Exempt)
		n.NgsupAmt += Amount(sign * d.NonGST)
	}

	for i := range in.Days {
		day := &in.Days[i]
		for _, r := range day.B2CS {
			k := b2csKey{r.SplyTy, r.Pos, r.Rate}
			g, ok := b2cs[k]
			if !ok {
				g = &RateAmounts{Rate: r.Rate}
				b2cs[k] = g
				b2csKeys = append(b2csKeys, k)
			}
			g.Taxable += r.Taxable
			g.CGST += r.CGST
			g.SGST += r.SGST
			g.IGST += r.IGST
			g.Cess += r.Cess
		}
		for _, r := range day.Nil {
			k := nilKey{inter: r.Inter, b2b: r.B2B}
			n, ok := nils[k]
			if !ok {
				n = &NilRow{}
				nils[k] = n
			}
			n.NilAmt += Amount(r.Nil)
			n.ExptAmt += Amount(r.Exempt)
			n.NgsupAmt += Amount(r.NonGST)
		}
	}

	exp := map[string][]ExpInvoice{}
	for _, d := range invs {
		if d.Cancelled {
			continue
		}
		if z := d.ZeroRated; z != "" {
			rows := zeroRatedRows(d)
			switch {
			case len(rows) == 0:
			case z.Export():
				exp[z.ExpType()] = append(exp[z.ExpType()], ExpInvoice{Inum: d.Number, Idt: PortalDate(d.Date), Val: Amount(d.Value),
					Sbpcode: d.PortCode, Sbnum: d.ShippingBillNumber, Sbdt: PortalDate(d.ShippingBillDate), Itms: expItems(rows)})
			default: // SEZ: table 6B, reported in b2b
				b2b[d.GSTIN] = append(b2b[d.GSTIN], B2BInvoice{Inum: d.Number, Idt: PortalDate(d.Date), Val: Amount(d.Value),
					Pos: d.PlaceOfSupply, Rchrg: "N", InvTyp: z.InvType(), Itms: items(rows, Inter)})
			}
			continue
		}
		addNil(d, 1)
		switch {
		case len(d.Rates) == 0:
		case d.GSTIN != "":
			b2b[d.GSTIN] = append(b2b[d.GSTIN], B2BInvoice{Inum: d.Number, Idt: PortalDate(d.Date), Val: Amount(d.Value),
				Pos: d.PlaceOfSupply, Rchrg: rchrg(d.ReverseCharge), InvTyp: "R", Itms: items(d.Rates, d.SupplyType)})
		case isB2CL(d.SupplyType, d.Value, d.Date):
			b2cl[d.PlaceOfSupply] = append(b2cl[d.PlaceOfSupply], B2CLInvoice{Inum: d.Number, Idt: PortalDate(d.Date),
				Val: Amount(d.Value), Itms: items(d.Rates, d.SupplyType)})
		default:
			addB2CS(d, 1)
		}
	}
	cdnr := map[string][]CDNRNote{}
	for _, d := range notes {
		if z := d.ZeroRated; z != "" {
			rows := zeroRatedRows(d)
			switch {
			case len(rows) == 0:
			case z.Export(): // against an export: cdnur EXPWP or EXPWOP
				out.CDNUR = append(out.CDNUR, CDNURNote{Typ: z.URType(), Ntty: "C", NtNum: d.Number,
					NtDt: PortalDate(d.Date), Val: Amount(d.Value), Itms: items(rows, Inter)})
			default:
				cdnr[d.GSTIN] = append(cdnr[d.GSTIN], CDNRNote{Ntty: "C", NtNum: d.Number, NtDt: PortalDate(d.Date), Val: Amount(d.Value),
					Pos: d.PlaceOfSupply, Rchrg: "N", InvTyp: z.InvType(), Itms: items(rows, Inter)})
			}
			continue
		}
		addNil(d, -1)
		switch {
		case len(d.Rates) == 0:
		case d.GSTIN != "":
			cdnr[d.GSTIN] = append(cdnr[d.GSTIN], CDNRNote{Ntty: "C", NtNum: d.Number, NtDt: PortalDate(d.Date), Val: Amount(d.Value),
				Pos: d.PlaceOfSupply, Rchrg: rchrg(d.ReverseCharge), InvTyp: "R", Itms: items(d.Rates, d.SupplyType)})
		case isB2CL(d.SupplyType, d.InvoiceValue, d.Date):
			// A note against an inter-state B2C invoice above the limit in
			// force on the note's date is reported note-wise (cdnur B2CL).
			out.CDNUR = append(out.CDNUR, CDNURNote{Typ: "B2CL", Ntty: "C", NtNum: d.Number, NtDt: PortalDate(d.Date),
				Val: Amount(d.Value), Pos: d.PlaceOfSupply, Itms: items(d.Rates, d.SupplyType)})
		default:
			addB2CS(d, -1)
		}
	}

	for _, ctin := range sortedKeys(b2b) {
		out.B2B = append(out.B2B, B2BParty{Ctin: ctin, Inv: b2b[ctin]})
	}
	for _, pos := range sortedKeys(b2cl) {
		out.B2CL = append(out.B2CL, B2CLState{Pos: pos, Inv: b2cl[pos]})
	}
	sort.Slice(b2csKeys, func(i, j int) bool {
		a, b := b2csKeys[i], b2csKeys[j]
		if a.sply != b.sply {
			return a.sply < b.sply
		}
		if a.pos != b.pos {
			return a.pos < b.pos
		}
		return a.rate < b.rate
	})
	for _, k := range b2csKeys {
		g := b2cs[k]
		if *g == (RateAmounts{Rate: g.Rate}) {
			continue // fully returned
		}
		row := B2CSRow{SplyTy: k.sply, Pos: k.pos, Typ: "OE", Rt: Rate(k.rate), Txval: Amount(g.Taxable), Csamt: Amount(g.Cess)}
		if k.sply == "INTER" {
			row.Iamt = pamt(g.IGST)
		} else {
			row.Camt, row.Samt = pamt(g.CGST), pamt(g.SGST)
		}
		out.B2CS = append(out.B2CS, row)
	}
	for _, ctin := range sortedKeys(cdnr) {
		out.CDNR = append(out.CDNR, CDNRParty{Ctin: ctin, Nt: cdnr[ctin]})
	}
	for _, typ := range []string{"WPAY", "WOPAY"} {
		if len(exp[typ]) > 0 {
			out.EXP = append(out.EXP, ExpGroup{ExpTyp: typ, Inv: exp[typ]})
		}
	}
	var nilRows []NilRow
	for _, k := range []struct {
		key  nilKey
		name string
	}{{nilKey{true, true}, "INTRB2B"}, {nilKey{false, true}, "INTRAB2B"}, {nilKey{true, false}, "INTRB2C"}, {nilKey{false, false}, "INTRAB2C"}} {
		if n, ok := nils[k.key]; ok && (n.NilAmt != 0 || n.ExptAmt != 0 || n.NgsupAmt != 0) {
			n.SplyTy = k.name
			nilRows = append(nilRows, *n)
		}
	}
	if len(nilRows) > 0 {
		out.Nil = &NilSection{Inv: nilRows}
	}
	out.HSN = buildHSN(in.HSN, HSNSplit(in.FP))
	days := append([]GSTR1Day(nil), in.Days...)
	sort.SliceStable(days, func(i, j int) bool { return days[i].Date < days[j].Date })
	summarised := make(map[string]bool, len(days))
	for _, d := range days {
		summarised[d.Date] = true
	}
	invSeries := mergeSeries(seriesParts(invs, days, summarised))
	noteSeries := mergeSeries(seriesOf(notes))
	out.DocIssue = buildDocIssue(invSeries, noteSeries)

	return out, gstr1Warnings(in, invs, notes, out, days, summarised, invSeries, noteSeries)
}

// seriesParts is the per-series sums of the invoices of days not
// summarised, one per invoice, and of the summarised days, in date order.
func seriesParts(invs []*Doc, days []GSTR1Day, summarised map[string]bool) []SeriesDay {
	out := make([]SeriesDay, 0, len(invs))
	j := 0
	for _, d := range invs {
		for j < len(days) && days[j].Date <= d.Date {
			out = append(out, days[j].Series...)
			j++
		}
		if !summarised[d.Date] {
			out = append(out, seriesDay(SeriesFY{d.Series, d.FY}, []*Doc{d}))
		}
	}
	for ; j < len(days); j++ {
		out = append(out, days[j].Series...)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// buildHSN makes table 12. Services (SAC codes, 99…) carry no quantity:
// their unit is NA and their quantity 0, so the units they were billed in
// do not split them. Other quantities are reported to two decimals.
func buildHSN(lines []HSNLine, split bool) *HSNSection {
	var sum HSNSummary
	for _, l := range lines {
		l.B2B = split && l.B2B
		if IsSAC(l.HSN) {
			l.UQC, l.Qty = "NA", 0
		}
		sum.Add(l)
	}
	sec := &HSNSection{}
	rows := sum.Rows()
	for i := range rows {
		a := &rows[i]
		if a.Empty() {
			continue
		}
		row := HSNRow{HsnSc: a.HSN, Desc: truncRunes(a.Desc, 30), Uqc: a.UQC, Qty: Quantity(RoundDiv(a.Qty, 10) * 10), Rt: Rate(a.Rate),
			Txval: Amount(a.Taxable), Iamt: Amount(a.IGST), Camt: Amount(a.CGST), Samt: Amount(a.SGST), Csamt: Amount(a.Cess)}
		switch {
		case !split:
			row.Num = len(sec.Data) + 1
			sec.Data = append(sec.Data, row)
		case a.B2B:
			row.Num = len(sec.HSNB2B) + 1
			sec.HSNB2B = append(sec.HSNB2B, row)
		default:
			row.Num = len(sec.HSNB2C) + 1
			sec.HSNB2C = append(sec.HSNB2C, row)
		}
	}
	if len(sec.Data)+len(sec.HSNB2B)+len(sec.HSNB2C) == 0 {
		return nil
	}
	return sec
}

func truncRunes(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return strings.TrimSpace(string(r[:n]))
}

func buildDocIssue(invs, notes []SeriesDay) *DocIssueList {
	var det []DocDet
	for _, t := range []struct {
		num    int
		typ    string
		series []SeriesDay
	}{{DocInvoices, "Invoices for outward supply", invs}, {DocCreditNotes, "Credit Note", notes}} {
		rs := docRanges(t.series)
		if len(rs) > 0 {
			det = append(det, DocDet{DocNum: t.num, DocTyp: t.typ, Docs: rs})
		}
	}
	if len(det) == 0 {
		return nil
	}
	return &DocIssueList{DocDet: det}
}

// seriesGroups groups documents by series and year, in series order, each
// group ordered by number.
func seriesGroups(ds []*Doc) ([]SeriesFY, map[SeriesFY][]*Doc) {
	g := map[SeriesFY][]*Doc{}
	var keys []SeriesFY
	for _, d := range ds {
		k := SeriesFY{d.Series, d.FY}
		if _, ok := g[k]; !ok {
			keys = append(keys, k)
		}
		g[k] = append(g[k], d)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].FY != keys[j].FY {
			return keys[i].FY < keys[j].FY
		}
		return keys[i].Series < keys[j].Series
	})
	for _, k := range keys {
		l := g[k]
		sort.SliceStable(l, func(i, j int) bool { return l[i].Seq < l[j].Seq })
	}
	return keys, g
}

// docRanges is table 13's row of each series (merged by mergeSeries).
func docRanges(series []SeriesDay) []DocRange {
	out := make([]DocRange, 0, len(series))
	for _, s := range series {
		out = append(out, DocRange{Num: len(out) + 1, From: s.First, To: s.Last, Totnum: s.Count, Cancel: s.Cancelled,
			NetIssue: s.Count - s.Cancelled})
	}
	return out
}

// warnList collects the documents of one kind of warning.
type warnList struct {
	count int
	docs  []string
	seen  map[string]bool
}

// addDay adds a day's findings of one check, which follow the documents
// already added.
func (w *warnList) addDay(c WarnCount) {
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	w.count += c.Count
	for _, doc := range c.Docs {
		w.seen[doc] = true
		if len(w.docs) < maxWarnDocs {
			w.docs = append(w.docs, doc)
		}
	}
}

func (w *warnList) add(doc string) {
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	if w.seen[doc] {
		return
	}
	w.seen[doc] = true
	w.count++
	if len(w.docs) < maxWarnDocs {
		w.docs = append(w.docs, doc)
	}
}

func gstr1Warnings(in GSTR1Input, invs, notes []*Doc, out GSTR1, days []GSTR1Day, summarised map[string]bool, invSeries, noteSeries []SeriesDay) []Warning {
	var ws []Warning
	var badGSTIN, noHSN, shortHSN, noPOS, noShipping warnList
	check := func(d *Doc, inDay bool) {
		if d.GSTIN != "" {
			if err := ValidateGSTIN(d.GSTIN); err != nil {
				badGSTIN.add(d.Number)
			}
		}
		if inDay {
			return // the rest is in its day's checks
		}
		if d.ShortestHSN == 0 {
			noHSN.add(d.Number)
		} else if in.HSNDigits > 0 && d.ShortestHSN < in.HSNDigits {
			shortHSN.add(d.Number)
		}
		if d.SupplyType == Inter && !ValidStateCode(d.PlaceOfSupply) {
			noPOS.add(d.Number)
		}
	}
	// A summarised day's findings come where its invoices would.
	j := 0
	addDays := func(upTo string) {
		for ; j < len(days) && days[j].Date <= upTo; j++ {
			c := &days[j].Checks
			noHSN.addDay(c.NoHSN)
			if in.HSNDigits > 0 {
				// HSN codes have at most 8 digits.
				shortHSN.addDay(c.ShortHSN[min(in.HSNDigits, maxHSNDigits)-1])
			}
			noPOS.addDay(c.NoPOS)
		}
	}
	for _, d := range invs {
		addDays(d.Date)
		if !d.Cancelled {
			check(d, summarised[d.Date])
			if d.ZeroRated.Export() && (d.PortCode == "" || d.ShippingBillNumber == "" || d.ShippingBillDate == "") {
				noShipping.add(d.Number)
			}
		}
	}
	addDays("9999-12-31")
	for _, d := range notes {
		check(d, false)
	}
	if badGSTIN.count > 0 {
		ws = append(ws, Warning{Code: WarnInvalidGSTIN, Count: badGSTIN.count, Docs: badGSTIN.docs,
			Message: fmt.Sprintf("%d B2B document(s) carry a GSTIN that is not valid; the portal will refuse them. Correct the customer's GSTIN and issue a fresh invoice.", badGSTIN.count)})
	}
	if noHSN.count > 0 {
		ws = append(ws, Warning{Code: WarnMissingHSN, Count: noHSN.count, Docs: noHSN.docs,
			Message: fmt.Sprintf("%d document(s) have lines without an HSN code; add HSN codes to those products (table 12 needs them).", noHSN.count)})
	}
	if shortHSN.count > 0 {
		var codes []string
		seen := map[string]bool{}
		for _, l := range in.HSN {
			if l.HSN != "" && len(l.HSN) < in.HSNDigits && !seen[l.HSN] {
				seen[l.HSN] = true
				codes = append(codes, l.HSN)
			}
		}
		sort.Strings(codes)
		if len(codes) > maxWarnDocs {
			codes = append(codes[:maxWarnDocs], "…")
		}
		ws = append(ws, Warning{Code: WarnShortHSN, Count: shortHSN.count, Docs: shortHSN.docs,
			Message: fmt.Sprintf("%d document(s) use HSN codes with fewer than the %d digits your turnover requires (%s).",
				shortHSN.count, in.HSNDigits, strings.Join(codes, ", "))})
	}
	ws = append(ws, gapWarnings("invoice", invSeries, in.LastSeqBefore)...)
	ws = append(ws, gapWarnings("credit note", noteSeries, in.LastNoteSeqBefore)...)
	if noPOS.count > 0 {
		ws = append(ws, Warning{Code: WarnMissingPOS, Count: noPOS.count, Docs: noPOS.docs,
			Message: fmt.Sprintf("%d inter-state document(s) have no valid place of supply; record the buyer's state.", noPOS.count)})
	}
	if noShipping.count > 0 {
		ws = append(ws, Warning{Code: WarnNoShipping, Count: noShipping.count, Docs: noShipping.docs,
			Message: fmt.Sprintf("%d export invoice(s) have no shipping bill yet (port code, number and date): add it with `naukar invoice export-details NUMBER` when customs issues it; table 6A can be filed without it and amended later.", noShipping.count)})
	}
	var neg []string
	for _, r := range out.B2CS {
		if r.Txval < 0 {
			neg = append(neg, fmt.Sprintf("%s %s %s%%", r.SplyTy, r.Pos, RateBP(r.Rt)))
		}
	}
	if out.Nil != nil {
		for _, r := range out.Nil.Inv {
			if r.NilAmt < 0 || r.ExptAmt < 0 || r.NgsupAmt < 0 {
				neg = append(neg, "nil "+r.SplyTy)
			}
		}
	}
	if len(neg) > 0 {
		ws = append(ws, Warning{Code: WarnNegative, Count: len(neg), Docs: neg,
			Message: "Credit notes this period exceed the sales they reduce in some rows; check the returns before filing."})
	}
	return ws
}

// gapWarnings finds numbers missing from each series: between the last
// number before the period and the highest number in it.
func gapWarnings(what string, series []SeriesDay, last map[SeriesFY]int64) []Warning {
	var ws []Warning
	for _, s := range series {
		k := s.SeriesFY
		prev := last[k]
		var missing []string
		n := 0
		for _, r := range s.Runs {
			if r[1] <= prev {
				continue // duplicate numbers; the store refuses these
			}
			if r[0] > prev+1 {
				n += int(r[0] - prev - 1)
				if r[0] == prev+2 {
					missing = append(missing, strconv.FormatInt(prev+1, 10))
				} else {
					missing = append(missing, fmt.Sprintf("%d–%d", prev+1, r[0]-1))
				}
			}
			prev = r[1]
		}
		if n == 0 {
			continue
		}
		if len(missing) > maxWarnDocs {
			missing = append(missing[:maxWarnDocs], "…")
		}
		ws = append(ws, Warning{Code: WarnNumberGap, Count: n, Docs: missing,
			Message: fmt.Sprintf("%s series %s (%s): %d number(s) missing (%s); they may be on another counter that has not synced, or were never issued.",
				upperFirst(what), k.Series, FYLabel(k.FY), n, strings.Join(missing, ", "))})
	}
	return ws
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// SectionTotal is the sum of one GSTR-1 section, signed: credit notes count
// negative, so the totals of all sections add up to the net sales of the period.
type SectionTotal struct {
	Section                         string
	Docs                            int
	Taxable, IGST, CGST, SGST, Cess int64
}

// Totals sums each section of the return (hsn and doc_issue excluded).
// The rows add up to the period's net outward supplies.
func (r *GSTR1) Totals() []SectionTotal {
	add := func(t *SectionTotal, d ItemDetail, sign int64) {
		t.Taxable += sign * int64(d.Txval)
		t.Cess += sign * int64(d.Csamt)
		if d.Iamt != nil {
			t.IGST += sign * int64(*d.Iamt)
		}
		if d.Camt != nil {
			t.CGST += sign * int64(*d.Camt)
		}
		if d.Samt != nil {
			t.SGST += sign * int64(*d.Samt)
		}
	}
	b2b := SectionTotal{Section: "b2b"}
	for _, p := range r.B2B {
		for _, inv := range p.Inv {
			b2b.Docs++
			for _, it := range inv.Itms {
				add(&b2b, it.ItmDet, 1)
			}
		}
	}
	b2cl := SectionTotal{Section: "b2cl"}
	for _, p := range r.B2CL {
		for _, inv := range p.Inv {
			b2cl.Docs++
			for _, it := range inv.Itms {
				add(&b2cl, it.ItmDet, 1)
			}
		}
	}
	b2cs := SectionTotal{Section: "b2cs"}
	for _, row := range r.B2CS {
		b2cs.Docs++
		add(&b2cs, ItemDetail{Txval: row.Txval, Iamt: row.Iamt, Camt: row.Camt, Samt: row.Samt, Csamt: row.Csamt}, 1)
	}
	cdnr := SectionTotal{Section: "cdnr"}
	for _, p := range r.CDNR {
		for _, n := range p.Nt {
			cdnr.Docs++
			for _, it := range n.Itms {
				add(&cdnr, it.ItmDet, -1)
			}
		}
	}
	cdnur := SectionTotal{Section: "cdnur"}
	for _, n := range r.CDNUR {
		cdnur.Docs++
		for _, it := range n.Itms {
			add(&cdnur, it.ItmDet, -1)
		}
	}
	expT := SectionTotal{Section: "exp"}
	for _, g := range r.EXP {
		for _, inv := range g.Inv {
			expT.Docs++
			for _, it := range inv.Itms {
				iamt := it.Iamt
				add(&expT, ItemDetail{Txval: it.Txval, Iamt: &iamt, Csamt: it.Csamt}, 1)
			}
		}
	}
	nilT := SectionTotal{Section: "nil"}
	if r.Nil != nil {
		for _, row := range r.Nil.Inv {
			nilT.Docs++
			nilT.Taxable += int64(row.NilAmt + row.ExptAmt + row.NgsupAmt)
		}
	}
	return []SectionTotal{b2b, b2cl, expT, b2cs, cdnr, cdnur, nilT}
}

// HSNTotal sums table 12 (both tables when split).
func (r *GSTR1) HSNTotal() SectionTotal {
	t := SectionTotal{Section: "hsn"}
	if r.HSN == nil {
		return t
	}
	for _, l := range [][]HSNRow{r.HSN.Data, r.HSN.HSNB2B, r.HSN.HSNB2C} {
		for _, h := range l {
			t.Docs++
			t.Taxable += int64(h.Txval)
			t.IGST += int64(h.Iamt)
			t.CGST += int64(h.Camt)
			t.SGST += int64(h.Samt)
			t.Cess += int64(h.Csamt)
		}
	}
	return t
}
