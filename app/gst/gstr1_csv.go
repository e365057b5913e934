package gst

import (
	"strconv"
	"time"
)

// This file lays GSTR-1 out as the GSTN Returns Offline Tool's CSV
// templates, one file per section, so that the tool imports them ("Import
// files" → the section → CSV). The header rows are the templates' own,
// word for word; dates are dd-Mon-yyyy (05-Jul-2024), places of supply
// "27-Maharashtra", units "NOS-NUMBERS", amounts plain rupees (1234.50).
// Columns the books have nothing for (Applicable % of Tax Rate,
// E-Commerce GSTIN) are left empty.

// CSVSection is one section of a return as the offline tool's CSV template.
type CSVSection struct {
	Name   string // file name part: b2b, b2cl, b2cs, cdnr, cdnur, exp, exemp, hsn (or hsn_b2b and hsn_b2c), docs
	Header []string
	Rows   [][]string
}

// The offline tool's CSV template headers (Returns Offline Tool V3.1.x).
var (
	CSVHeaderB2B = []string{"GSTIN/UIN of Recipient", "Receiver Name", "Invoice Number", "Invoice date", "Invoice Value",
		"Place Of Supply", "Reverse Charge", "Applicable % of Tax Rate", "Invoice Type", "E-Commerce GSTIN", "Rate",
		"Taxable Value", "Cess Amount"}
	CSVHeaderB2CL = []string{"Invoice Number", "Invoice date", "Invoice Value", "Place Of Supply", "Applicable % of Tax Rate",
		"Rate", "Taxable Value", "Cess Amount", "E-Commerce GSTIN"}
	CSVHeaderB2CS = []string{"Type", "Place Of Supply", "Applicable % of Tax Rate", "Rate", "Taxable Value", "Cess Amount",
		"E-Commerce GSTIN"}
	CSVHeaderCDNR = []string{"GSTIN/UIN of Recipient", "Receiver Name", "Note Number", "Note Date", "Note Type",
		"Place Of Supply", "Reverse Charge", "Note Supply Type", "Note Value", "Applicable % of Tax Rate", "Rate",
		"Taxable Value", "Cess Amount"}
	CSVHeaderCDNUR = []string{"UR Type", "Note Number", "Note Date", "Note Type", "Place Of Supply", "Note Value",
		"Applicable % of Tax Rate", "Rate", "Taxable Value", "Cess Amount"}
	CSVHeaderEXP = []string{"Export Type", "Invoice Number", "Invoice date", "Invoice Value", "Port Code",
		"Shipping Bill Number", "Shipping Bill Date", "Rate", "Taxable Value", "Cess Amount"}
	CSVHeaderEXEMP = []string{"Description", "Nil Rated Supplies", "Exempted(other than nil rated/non GST supply)",
		"Non-GST Supplies"}
	CSVHeaderHSN = []string{"HSN", "Description", "UQC", "Total Quantity", "Total Value", "Rate", "Taxable Value",
		"Integrated Tax Amount", "Central Tax Amount", "State/UT Tax Amount", "Cess Amount"}
	CSVHeaderDocs = []string{"Nature of Document", "Sr. No. From", "Sr. No. To", "Total Number", "Cancelled"}
)

// CSVDate turns a return's dd-mm-yyyy (or a YYYY-MM-DD) date into the
// offline tool's dd-Mon-yyyy: 05-07-2024 gives 05-Jul-2024. Other text is
// returned as it is.
func CSVDate(d string) string {
	for _, layout := range []string{"02-01-2006", "2006-01-02"} {
		if t, err := time.Parse(layout, d); err == nil {
			return t.Format("02-Jan-2006")
		}
	}
	return d
}

// csvPOS is a place of supply as the template lists it: "27-Maharashtra".
func csvPOS(code string) string {
	if n, ok := StateName(code); ok {
		return code + "-" + n
	}
	return code
}

// csvUQC is a unit as the template lists it: "NOS-NUMBERS"; a service's
// NA is "NA-NOT APPLICABLE".
func csvUQC(u string) string {
	if u == "NA" {
		return "NA-NOT APPLICABLE"
	}
	return UQCLabel(u)
}

func csvAmt(a Amount) string { return FormatAmount(int64(a)) }

func csvAmtP(a *Amount) string {
	if a == nil {
		return FormatAmount(0)
	}
	return FormatAmount(int64(*a))
}

func csvRate(r Rate) string { return RateBP(r).String() }

// b2bInvType is the template's name of an invoice type.
func b2bInvType(t string) string {
	switch t {
	case "SEWP":
		return "SEZ supplies with payment"
	case "SEWOP":
		return "SEZ supplies without payment"
	case "DE":
		return "Deemed Exp"
	}
	return "Regular B2B"
}

var nilDescriptions = map[string]string{
	"INTRB2B": "Inter-State supplies to registered persons", "INTRAB2B": "Intra-State supplies to registered persons",
	"INTRB2C": "Inter-State supplies to unregistered persons", "INTRAB2C": "Intra-State supplies to unregistered persons",
}

// OfflineCSV lays the return out as the offline tool's CSV templates, one
// section per file, in the order the tool lists them. names gives the
// receiver names of GSTINs (optional). Every section is present, empty
// ones with their header only; HSN is split into hsn(b2b) and hsn(b2c)
// when the return is.
func (r *GSTR1) OfflineCSV(names map[string]string) []CSVSection {
	b2b := CSVSection{Name: "b2b", Header: CSVHeaderB2B}
	for _, p := range r.B2B {
		for _, inv := range p.Inv {
			for _, it := range inv.Itms {
				d := it.ItmDet
				b2b.Rows = append(b2b.Rows, []string{p.Ctin, names[p.Ctin], inv.Inum, CSVDate(inv.Idt), csvAmt(inv.Val),
					csvPOS(inv.Pos), inv.Rchrg, "", b2bInvType(inv.InvTyp), "", csvRate(d.Rt), csvAmt(d.Txval), csvAmt(d.Csamt)})
			}
		}
	}
	b2cl := CSVSection{Name: "b2cl", Header: CSVHeaderB2CL}
	for _, p := range r.B2CL {
		for _, inv := range p.Inv {
			for _, it := range inv.Itms {
				d := it.ItmDet
				b2cl.Rows = append(b2cl.Rows, []string{inv.Inum, CSVDate(inv.Idt), csvAmt(inv.Val), csvPOS(p.Pos), "",
					csvRate(d.Rt), csvAmt(d.Txval), csvAmt(d.Csamt), ""})
			}
		}
	}
	b2cs := CSVSection{Name: "b2cs", Header: CSVHeaderB2CS}
	for _, row := range r.B2CS {
		b2cs.Rows = append(b2cs.Rows, []string{row.Typ, csvPOS(row.Pos), "", csvRate(row.Rt), csvAmt(row.Txval), csvAmt(row.Csamt), ""})
	}
	cdnr := CSVSection{Name: "cdnr", Header: CSVHeaderCDNR}
	for _, p := range r.CDNR {
		for _, n := range p.Nt {
			for _, it := range n.Itms {
				d := it.ItmDet
				cdnr.Rows = append(cdnr.Rows, []string{p.Ctin, names[p.Ctin], n.NtNum, CSVDate(n.NtDt), n.Ntty, csvPOS(n.Pos),
					n.Rchrg, b2bInvType(n.InvTyp), csvAmt(n.Val), "", csvRate(d.Rt), csvAmt(d.Txval), csvAmt(d.Csamt)})
			}
		}
	}
	cdnur := CSVSection{Name: "cdnur", Header: CSVHeaderCDNUR}
	for _, n := range r.CDNUR {
		pos := ""
		if n.Pos != "" {
			pos = csvPOS(n.Pos)
		}
		for _, it := range n.Itms {
			d := it.ItmDet
			cdnur.Rows = append(cdnur.Rows, []string{n.Typ, n.NtNum, CSVDate(n.NtDt), n.Ntty, pos, csvAmt(n.Val), "",
				csvRate(d.Rt), csvAmt(d.Txval), csvAmt(d.Csamt)})
		}
	}
	exp := CSVSection{Name: "exp", Header: CSVHeaderEXP}
	for _, g := range r.EXP {
		for _, inv := range g.Inv {
			for _, it := range inv.Itms {
				exp.Rows = append(exp.Rows, []string{g.ExpTyp, inv.Inum, CSVDate(inv.Idt), csvAmt(inv.Val), inv.Sbpcode,
					inv.Sbnum, CSVDate(inv.Sbdt), csvRate(it.Rt), csvAmt(it.Txval), csvAmt(it.Csamt)})
			}
		}
	}
	exemp := CSVSection{Name: "exemp", Header: CSVHeaderEXEMP}
	if r.Nil != nil {
		for _, row := range r.Nil.Inv {
			exemp.Rows = append(exemp.Rows, []string{nilDescriptions[row.SplyTy], csvAmt(row.NilAmt), csvAmt(row.ExptAmt), csvAmt(row.NgsupAmt)})
		}
	}
	out := []CSVSection{b2b, b2cl, b2cs, cdnr, cdnur, exp, exemp}
	hsn := func(name string, rows []HSNRow) CSVSection {
		s := CSVSection{Name: name, Header: CSVHeaderHSN}
		for _, h := range rows {
			total := h.Txval + h.Iamt + h.Camt + h.Samt + h.Csamt
			s.Rows = append(s.Rows, []string{h.HsnSc, h.Desc, csvUQC(h.Uqc), FormatQty(int64(h.Qty)), csvAmt(total), csvRate(h.Rt),
				csvAmt(h.Txval), csvAmt(h.Iamt), csvAmt(h.Camt), csvAmt(h.Samt), csvAmt(h.Csamt)})
		}
		return s
	}
	switch {
	case r.HSN != nil && len(r.HSN.Data) > 0:
		out = append(out, hsn("hsn", r.HSN.Data))
	case r.HSN != nil || HSNSplit(r.FP):
		var b, c []HSNRow
		if r.HSN != nil {
			b, c = r.HSN.HSNB2B, r.HSN.HSNB2C
		}
		out = append(out, hsn("hsn_b2b", b), hsn("hsn_b2c", c))
	default:
		out = append(out, hsn("hsn", nil))
	}
	docs := CSVSection{Name: "docs", Header: CSVHeaderDocs}
	if r.DocIssue != nil {
		for _, d := range r.DocIssue.DocDet {
			for _, rg := range d.Docs {
				docs.Rows = append(docs.Rows, []string{d.DocTyp, rg.From, rg.To, strconv.Itoa(rg.Totnum), strconv.Itoa(rg.Cancel)})
			}
		}
	}
	return append(out, docs)
}
