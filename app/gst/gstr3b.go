package gst

import "sort"

// This file builds the GSTR-3B summary (tables 3.1, 3.2, 5 and, for
// reference, 4 from purchase bills) in the portal's JSON shape.

// InwardDoc is the GST summary of one purchase bill.
type InwardDoc struct {
	Number        string
	Date          string // YYYY-MM-DD
	GSTIN         string // the supplier's GSTIN; "" for an unregistered supplier (no input tax unless on reverse charge)
	SupplyType    SupplyType
	ReverseCharge bool // the shop pays the tax itself: 3.1(d) and ITC 4(A)(3)
	// NilExempt (nil-rated, exempt and 0% lines) and NonGST are the bill's
	// untaxed inward supplies by value: table 5.
	NilExempt, NonGST int64
	Taxable           int64
	CGST              int64
	SGST              int64
	IGST              int64
	Cess              int64
}

// GSTR3BInput is everything BuildGSTR3B needs for one return period.
type GSTR3BInput struct {
	GSTIN       string
	RetPeriod   string // MMYYYY (for a quarter: its last month)
	Invoices    []Doc  // cancelled ones are skipped
	CreditNotes []Doc
	Purchases   []InwardDoc
}

// GSTR3B is the summary return: outward supplies (3.1), inter-state
// supplies to unregistered persons (3.2) and, for reference, the input tax
// on the period's purchase bills (4). Input tax must be checked against
// GSTR-2B before filing.
type GSTR3B struct {
	GSTIN      string     `json:"gstin"`
	RetPeriod  string     `json:"ret_period"`
	SupDetails SupDetails `json:"sup_details"`
	InterSup   InterSup   `json:"inter_sup"`
	ITCElg     ITCElg     `json:"itc_elg"`
	InwardSup  InwardSup  `json:"inward_sup"`
}

// InwardSup is table 5: exempt, nil-rated and non-GST inward supplies.
type InwardSup struct {
	IsupDetails []InwardRow `json:"isup_details"`
}

// InwardRow is one kind of table 5: GST (from a composition supplier,
// exempt and nil-rated) or NONGST, inter- and intra-state.
type InwardRow struct {
	Ty    string `json:"ty"`
	Inter Amount `json:"inter"`
	Intra Amount `json:"intra"`
}

// SupDetails is table 3.1.
type SupDetails struct {
	OsupDet     TaxSupply  `json:"osup_det"`      // (a) outward taxable supplies
	OsupZero    ZeroSupply `json:"osup_zero"`     // (b) zero rated
	OsupNilExmp ValSupply  `json:"osup_nil_exmp"` // (c) nil rated and exempt
	IsupRev     TaxSupply  `json:"isup_rev"`      // (d) inward supplies under reverse charge
	OsupNongst  ValSupply  `json:"osup_nongst"`   // (e) non-GST outward supplies
}

// TaxSupply is a row with every tax head.
type TaxSupply struct {
	Txval Amount `json:"txval"`
	Iamt  Amount `json:"iamt"`
	Camt  Amount `json:"camt"`
	Samt  Amount `json:"samt"`
	Csamt Amount `json:"csamt"`
}

// ZeroSupply is the zero-rated row (IGST and cess only).
type ZeroSupply struct {
	Txval Amount `json:"txval"`
	Iamt  Amount `json:"iamt"`
	Csamt Amount `json:"csamt"`
}

// ValSupply is a value-only row.
type ValSupply struct {
	Txval Amount `json:"txval"`
}

// InterSup is table 3.2.
type InterSup struct {
	UnregDetails []PosSupply `json:"unreg_details"`
	CompDetails  []PosSupply `json:"comp_details"`
	UinDetails   []PosSupply `json:"uin_details"`
}

// PosSupply is the inter-state supply to one state.
type PosSupply struct {
	Pos   string `json:"pos"`
	Txval Amount `json:"txval"`
	Iamt  Amount `json:"iamt"`
}

// ITCElg is table 4: eligible input tax credit.
type ITCElg struct {
	ITCAvl   []ITCRow `json:"itc_avl"`
	ITCRev   []ITCRow `json:"itc_rev"`
	ITCNet   ITCTax   `json:"itc_net"`
	ITCInelg []ITCRow `json:"itc_inelg"`
}

// ITCRow is one kind of input tax.
type ITCRow struct {
	Ty string `json:"ty"`
	ITCTax
}

// ITCTax is input tax by head.
type ITCTax struct {
	Iamt  Amount `json:"iamt"`
	Camt  Amount `json:"camt"`
	Samt  Amount `json:"samt"`
	Csamt Amount `json:"csamt"`
}

// BuildGSTR3B sums the period's documents into GSTR-3B. Credit notes reduce
// the rows of their supplies. 3.1(a) holds taxable supplies at a rate above
// zero (of a supply on reverse charge only its taxable value: the
// recipient pays the tax), (b) exports and SEZ supplies with all their
// lines, (c) nil-rated, 0% and exempt, (e) non-GST; 3.2 the inter-state
// taxable supplies to unregistered buyers by place of supply (never an
// export). From purchase bills: 3.1(d) the inward supplies on reverse
// charge with the tax the shop pays on them; input tax 4(A)(3) on them and
// 4(A)(5) from registered suppliers' bills; table 5 the nil-rated, exempt
// and non-GST inward supplies.
func BuildGSTR3B(in GSTR3BInput) GSTR3B {
	out := GSTR3B{GSTIN: in.GSTIN, RetPeriod: in.RetPeriod}
	sd := &out.SupDetails
	inter := map[string]*PosSupply{}
	add := func(d *Doc, sign int64) {
		if d.ZeroRated != "" {
			for _, r := range zeroRatedRows(d) {
				sd.OsupZero.Txval += Amount(sign * r.Taxable)
				sd.OsupZero.Iamt += Amount(sign * r.IGST)
				sd.OsupZero.Csamt += Amount(sign * r.Cess)
			}
			return
		}
		for _, r := range d.Rates {
			sd.OsupDet.Txval += Amount(sign * r.Taxable)
			if d.ReverseCharge {
				continue
			}
			sd.OsupDet.Iamt += Amount(sign * r.IGST)
			sd.OsupDet.Camt += Amount(sign * r.CGST)
			sd.OsupDet.Samt += Amount(sign * r.SGST)
			sd.OsupDet.Csamt += Amount(sign * r.Cess)
			if d.GSTIN == "" && d.SupplyType == Inter {
				p, ok := inter[d.PlaceOfSupply]
				if !ok {
					p = &PosSupply{Pos: d.PlaceOfSupply}
					inter[d.PlaceOfSupply] = p
				}
				p.Txval += Amount(sign * r.Taxable)
				p.Iamt += Amount(sign * r.IGST)
			}
		}
		sd.OsupNilExmp.Txval += Amount(sign * (d.Nil + d.Exempt))
		sd.OsupNongst.Txval += Amount(sign * d.NonGST)
	}
	for i := range in.Invoices {
		if !in.Invoices[i].Cancelled {
			add(&in.Invoices[i], 1)
		}
	}
	for i := range in.CreditNotes {
		add(&in.CreditNotes[i], -1)
	}
	out.InterSup = InterSup{UnregDetails: []PosSupply{}, CompDetails: []PosSupply{}, UinDetails: []PosSupply{}}
	for _, pos := range sortedKeys(inter) {
		if p := inter[pos]; p.Txval != 0 || p.Iamt != 0 {
			out.InterSup.UnregDetails = append(out.InterSup.UnregDetails, *p)
		}
	}
	sort.SliceStable(out.InterSup.UnregDetails, func(i, j int) bool {
		return out.InterSup.UnregDetails[i].Pos < out.InterSup.UnregDetails[j].Pos
	})

	var itc, rev ITCTax
	var gstIn, nonGST InwardRow
	for _, p := range in.Purchases {
		if p.SupplyType == Inter {
			gstIn.Inter += Amount(p.NilExempt)
			nonGST.Inter += Amount(p.NonGST)
		} else {
			gstIn.Intra += Amount(p.NilExempt)
			nonGST.Intra += Amount(p.NonGST)
		}
		if p.GSTIN == "" && !p.ReverseCharge {
			continue // an unregistered supplier charged no tax
		}
		t := ITCTax{Iamt: Amount(p.IGST), Camt: Amount(p.CGST), Samt: Amount(p.SGST), Csamt: Amount(p.Cess)}
		itc.Iamt += t.Iamt
		itc.Camt += t.Camt
		itc.Samt += t.Samt
		itc.Csamt += t.Csamt
		if p.ReverseCharge {
			sd.IsupRev.Txval += Amount(p.Taxable)
			sd.IsupRev.Iamt += t.Iamt
			sd.IsupRev.Camt += t.Camt
			sd.IsupRev.Samt += t.Samt
			sd.IsupRev.Csamt += t.Csamt
			rev.Iamt += t.Iamt
			rev.Camt += t.Camt
			rev.Samt += t.Samt
			rev.Csamt += t.Csamt
		}
	}
	other := itc
	other.Iamt -= rev.Iamt
	other.Camt -= rev.Camt
	other.Samt -= rev.Samt
	other.Csamt -= rev.Csamt
	out.ITCElg = ITCElg{
		ITCAvl:   []ITCRow{{Ty: "IMPG"}, {Ty: "IMPS"}, {Ty: "ISRC", ITCTax: rev}, {Ty: "ISD"}, {Ty: "OTH", ITCTax: other}},
		ITCRev:   []ITCRow{{Ty: "RUL"}, {Ty: "OTH"}},
		ITCNet:   itc,
		ITCInelg: []ITCRow{{Ty: "RUL"}, {Ty: "OTH"}},
	}
	gstIn.Ty, nonGST.Ty = "GST", "NONGST"
	out.InwardSup = InwardSup{IsupDetails: []InwardRow{gstIn, nonGST}}
	return out
}
