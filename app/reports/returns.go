package reports

import (
	"context"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/store"
)

// toDocs takes the GST builders' input out of the store's view.
func toDocs(ds []store.GSTDoc) []gst.Doc {
	out := make([]gst.Doc, len(ds))
	for i := range ds {
		out[i] = ds[i].Doc
	}
	return out
}

// hsnDigits is how many HSN digits the shop must show: by the turnover in
// its profile, else by the taxable turnover of the previous financial year
// in these books (or of this year so far for a new shop).
func (s *Service) hsnDigits(ctx context.Context, biz books.Business, p Period) (int, error) {
	if biz.AnnualTurnover > 0 {
		return gst.HSNDigitsRequired(biz.AnnualTurnover), nil
	}
	fy, _ := gst.FinancialYearOf(p.From)
	prev := FinancialYear(fy - 1)
	t, err := s.closedTurnover(ctx, prev)
	if err != nil {
		return 0, err
	}
	if t == 0 {
		cur := FinancialYear(fy)
		if t, err = s.st.TaxableTurnover(ctx, cur.From, p.To); err != nil {
			return 0, err
		}
	}
	return gst.HSNDigitsRequired(t), nil
}

// closedTurnover is the taxable turnover of a past financial year. Past
// years hardly change, so the figure is kept for a few minutes.
func (s *Service) closedTurnover(ctx context.Context, p Period) (int64, error) {
	key := p.From + ".." + p.To
	s.mu.Lock()
	c, ok := s.turnovers[key]
	s.mu.Unlock()
	if ok && time.Since(c.at) < 10*time.Minute {
		return c.value, nil
	}
	v, err := s.st.TaxableTurnover(ctx, p.From, p.To)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	s.turnovers[key] = turnover{v, time.Now()}
	s.mu.Unlock()
	return v, nil
}

// registrationWarnings says when the shop files no GSTR-1/3B at all.
func registrationWarnings(biz books.Business) []gst.Warning {
	switch {
	case !biz.Registered():
		return []gst.Warning{{Code: "not_registered", Message: "These books have no GSTIN: an unregistered shop files no GST returns. Add the GSTIN in the business profile if you have one."}}
	case biz.Composition:
		return []gst.Warning{{Code: "composition", Message: "A composition dealer files CMP-08 and GSTR-4, not GSTR-1 or GSTR-3B; these figures are for reference."}}
	}
	return nil
}

// gstr1Data builds GSTR-1 for a period, with the store's documents (for names).
func (s *Service) gstr1Data(ctx context.Context, biz books.Business, p Period) (gst.GSTR1, []gst.Warning, *store.GSTData, error) {
	data, err := s.st.GSTR1Data(ctx, p.From, p.To)
	if err != nil {
		return gst.GSTR1{}, nil, nil, err
	}
	digits, err := s.hsnDigits(ctx, biz, p)
	if err != nil {
		return gst.GSTR1{}, nil, nil, err
	}
	in := gst.GSTR1Input{GSTIN: biz.GSTIN, FP: p.FP, Invoices: toDocs(data.Invoices), CreditNotes: toDocs(data.CreditNotes),
		LastSeqBefore: data.LastInvoiceSeq, LastNoteSeqBefore: data.LastNoteSeq, HSNDigits: digits, Days: data.Days}
	var unnamed []string
	for _, h := range data.HSN {
		if h.HSN == "" {
			unnamed = append(unnamed, h.Ref)
		}
	}
	names, err := s.st.ProductNames(ctx, unnamed)
	if err != nil {
		return gst.GSTR1{}, nil, nil, err
	}
	in.HSN = make([]gst.HSNLine, len(data.HSN))
	for i, h := range data.HSN {
		if h.HSN == "" {
			h.Desc = names[h.Ref]
		}
		in.HSN[i] = h
	}
	ret, warns := gst.BuildGSTR1(in)
	return ret, append(registrationWarnings(biz), warns...), data, nil
}

var (
	taxCols = []Column{col("taxable", "Taxable value", Money), col("igst", "IGST", Money), col("cgst", "CGST", Money),
		col("sgst", "SGST/UTGST", Money), col("cess", "Cess", Money)}
)

func withTax(cols ...Column) []Column { return append(cols, taxCols...) }

func amt(p *gst.Amount) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

func stateLabel(code string) string {
	if n, ok := gst.StateName(code); ok {
		return code + "-" + n
	}
	return code
}

// GSTR1 builds the GSTR-1 return: the portal JSON (Report.Return), a
// summary reconciling the sections, one table per section (as the offline
// tool's CSV templates lay them out) and the checks before filing.
func (s *Service) GSTR1(ctx context.Context, q Query) (*Report, error) {
	rep, biz, err := s.newReport("gstr1", "GSTR-1 "+q.Period.Label, q.Period)
	if err != nil {
		return nil, err
	}
	ret, warns, data, err := s.gstr1Data(ctx, biz, q.Period)
	if err != nil {
		return nil, err
	}
	rep.Return, rep.Warnings = &ret, warns
	names := map[string]string{}
	for _, ds := range [][]store.GSTDoc{data.Invoices, data.CreditNotes} {
		for _, d := range ds {
			if d.GSTIN != "" {
				names[d.GSTIN] = d.PartyName
			}
		}
	}

	sum := &Table{Name: "summary", Title: "Sections of GSTR-1 " + q.Period.Label,
		Columns: withTax(col("section", "Section", Text), col("docs", "Documents/rows", Count))}
	rep.Files = ret.OfflineCSV(names)
	titles := map[string]string{"b2b": "4A, 6B B2B and SEZ invoices", "b2cl": "5 B2C large", "exp": "6A Exports", "b2cs": "7 B2C others (net of returns)",
		"cdnr": "9B Credit notes (registered)", "cdnur": "9B Credit notes (unregistered)", "nil": "8 Nil, exempt, non-GST"}
	var net gst.SectionTotal
	for _, t := range ret.Totals() {
		sum.Rows = append(sum.Rows, Row{titles[t.Section], int64(t.Docs), t.Taxable, t.IGST, t.CGST, t.SGST, t.Cess})
		net.Taxable += t.Taxable
		net.IGST += t.IGST
		net.CGST += t.CGST
		net.SGST += t.SGST
		net.Cess += t.Cess
	}
	h := ret.HSNTotal()
	sum.Rows = append(sum.Rows, Row{"12 HSN summary (check)", int64(h.Docs), h.Taxable, h.IGST, h.CGST, h.SGST, h.Cess})
	sum.Totals = Row{"Net outward supplies", nil, net.Taxable, net.IGST, net.CGST, net.SGST, net.Cess}
	sum.TotalRows = len(sum.Rows)
	rep.Tables = append(rep.Tables, sum)

	b2b := &Table{Name: "b2b", Title: "B2B invoices", Columns: []Column{col("gstin", "GSTIN of recipient", Text),
		col("name", "Receiver name", Text), col("number", "Invoice number", Text), col("date", "Invoice date", Date),
		col("value", "Invoice value", Money), col("pos", "Place of supply", Text), col("rchrg", "Reverse charge", Text),
		col("type", "Invoice type", Text), col("rate", "Rate", Rate), col("taxable", "Taxable value", Money),
		col("igst", "IGST", Money), col("cgst", "CGST", Money), col("sgst", "SGST/UTGST", Money), col("cess", "Cess", Money)}}
	for _, p := range ret.B2B {
		for _, inv := range p.Inv {
			for _, it := range inv.Itms {
				d := it.ItmDet
				b2b.Rows = append(b2b.Rows, Row{p.Ctin, names[p.Ctin], inv.Inum, isoDate(inv.Idt), int64(inv.Val), stateLabel(inv.Pos),
					inv.Rchrg, invTypeLabel(inv.InvTyp), int64(d.Rt), int64(d.Txval), amt(d.Iamt), amt(d.Camt), amt(d.Samt), int64(d.Csamt)})
			}
		}
	}
	b2cl := &Table{Name: "b2cl", Title: "B2C large invoices", Columns: []Column{col("number", "Invoice number", Text),
		col("date", "Invoice date", Date), col("value", "Invoice value", Money), col("pos", "Place of supply", Text),
		col("rate", "Rate", Rate), col("taxable", "Taxable value", Money), col("igst", "IGST", Money), col("cess", "Cess", Money)}}
	for _, p := range ret.B2CL {
		for _, inv := range p.Inv {
			for _, it := range inv.Itms {
				d := it.ItmDet
				b2cl.Rows = append(b2cl.Rows, Row{inv.Inum, isoDate(inv.Idt), int64(inv.Val), stateLabel(p.Pos), int64(d.Rt),
					int64(d.Txval), amt(d.Iamt), int64(d.Csamt)})
			}
		}
	}
	b2cs := &Table{Name: "b2cs", Title: "B2C others", Columns: []Column{col("type", "Supply type", Text), col("pos", "Place of supply", Text),
		col("rate", "Rate", Rate), col("taxable", "Taxable value", Money), col("igst", "IGST", Money), col("cgst", "CGST", Money),
		col("sgst", "SGST/UTGST", Money), col("cess", "Cess", Money)}}
	for _, r := range ret.B2CS {
		b2cs.Rows = append(b2cs.Rows, Row{r.SplyTy, stateLabel(r.Pos), int64(r.Rt), int64(r.Txval), amt(r.Iamt), amt(r.Camt), amt(r.Samt), int64(r.Csamt)})
	}
	cdnr := &Table{Name: "cdnr", Title: "Credit notes to registered buyers", Columns: []Column{col("gstin", "GSTIN of recipient", Text),
		col("name", "Receiver name", Text), col("number", "Note number", Text), col("date", "Note date", Date), col("type", "Note type", Text),
		col("pos", "Place of supply", Text), col("rchrg", "Reverse charge", Text), col("value", "Note value", Money),
		col("rate", "Rate", Rate), col("taxable", "Taxable value", Money), col("igst", "IGST", Money), col("cgst", "CGST", Money),
		col("sgst", "SGST/UTGST", Money), col("cess", "Cess", Money)}}
	for _, p := range ret.CDNR {
		for _, n := range p.Nt {
			for _, it := range n.Itms {
				d := it.ItmDet
				cdnr.Rows = append(cdnr.Rows, Row{p.Ctin, names[p.Ctin], n.NtNum, isoDate(n.NtDt), n.Ntty, stateLabel(n.Pos), n.Rchrg,
					int64(n.Val), int64(d.Rt), int64(d.Txval), amt(d.Iamt), amt(d.Camt), amt(d.Samt), int64(d.Csamt)})
			}
		}
	}
	cdnur := &Table{Name: "cdnur", Title: "Credit notes to unregistered buyers", Columns: []Column{col("urtype", "UR type", Text),
		col("number", "Note number", Text), col("date", "Note date", Date), col("type", "Note type", Text), col("pos", "Place of supply", Text),
		col("value", "Note value", Money), col("rate", "Rate", Rate), col("taxable", "Taxable value", Money), col("igst", "IGST", Money),
		col("cess", "Cess", Money)}}
	for _, n := range ret.CDNUR {
		for _, it := range n.Itms {
			d := it.ItmDet
			cdnur.Rows = append(cdnur.Rows, Row{n.Typ, n.NtNum, isoDate(n.NtDt), n.Ntty, stateLabel(n.Pos), int64(n.Val), int64(d.Rt),
				int64(d.Txval), amt(d.Iamt), int64(d.Csamt)})
		}
	}
	exp := &Table{Name: "exp", Title: "Exports", Columns: []Column{col("type", "Export type", Text),
		col("number", "Invoice number", Text), col("date", "Invoice date", Date), col("value", "Invoice value", Money),
		col("port", "Port code", Text), col("sbnum", "Shipping bill number", Text), col("sbdate", "Shipping bill date", Date),
		col("rate", "Rate", Rate), col("taxable", "Taxable value", Money), col("igst", "IGST", Money), col("cess", "Cess", Money)}}
	for _, g := range ret.EXP {
		for _, inv := range g.Inv {
			for _, it := range inv.Itms {
				var sbdt any
				if inv.Sbdt != "" {
					sbdt = isoDate(inv.Sbdt)
				}
				exp.Rows = append(exp.Rows, Row{g.ExpTyp, inv.Inum, isoDate(inv.Idt), int64(inv.Val), inv.Sbpcode, inv.Sbnum, sbdt,
					int64(it.Rt), int64(it.Txval), int64(it.Iamt), int64(it.Csamt)})
			}
		}
	}
	nilT := &Table{Name: "nil", Title: "Nil rated, exempted and non-GST supplies", Columns: []Column{col("type", "Description", Text),
		col("nil", "Nil rated", Money), col("exempt", "Exempted", Money), col("nongst", "Non-GST", Money)}}
	nilNames := map[string]string{"INTRB2B": "Inter-state supplies to registered persons", "INTRAB2B": "Intra-state supplies to registered persons",
		"INTRB2C": "Inter-state supplies to unregistered persons", "INTRAB2C": "Intra-state supplies to unregistered persons"}
	if ret.Nil != nil {
		for _, r := range ret.Nil.Inv {
			nilT.Rows = append(nilT.Rows, Row{nilNames[r.SplyTy], int64(r.NilAmt), int64(r.ExptAmt), int64(r.NgsupAmt)})
		}
	}
	rep.Tables = append(rep.Tables, b2b, b2cl, b2cs, cdnr, cdnur, exp, nilT)
	if ret.HSN != nil && (len(ret.HSN.HSNB2B) > 0 || len(ret.HSN.HSNB2C) > 0) {
		rep.Tables = append(rep.Tables, hsnTable("hsn_b2b", "HSN summary — B2B", ret.HSN.HSNB2B), hsnTable("hsn_b2c", "HSN summary — B2C", ret.HSN.HSNB2C))
	} else if ret.HSN != nil {
		rep.Tables = append(rep.Tables, hsnTable("hsn", "HSN summary", ret.HSN.Data))
	} else if gst.HSNSplit(q.Period.FP) {
		rep.Tables = append(rep.Tables, hsnTable("hsn_b2b", "HSN summary — B2B", nil), hsnTable("hsn_b2c", "HSN summary — B2C", nil))
	} else {
		rep.Tables = append(rep.Tables, hsnTable("hsn", "HSN summary", nil))
	}
	docs := &Table{Name: "docs", Title: "Documents issued", Columns: []Column{col("nature", "Nature of document", Text),
		col("from", "Sr. no. from", Text), col("to", "Sr. no. to", Text), col("total", "Total number", Count),
		col("cancelled", "Cancelled", Count), col("net", "Net issued", Count)}}
	if ret.DocIssue != nil {
		for _, d := range ret.DocIssue.DocDet {
			for _, r := range d.Docs {
				docs.Rows = append(docs.Rows, Row{d.DocTyp, r.From, r.To, int64(r.Totnum), int64(r.Cancel), int64(r.NetIssue)})
			}
		}
	}
	rep.Tables = append(rep.Tables, docs)
	for _, t := range rep.Tables[1:] {
		t.TotalRows = len(t.Rows)
		page(t, q.Offset, q.Limit)
	}
	return rep, nil
}

func hsnTable(name, title string, rows []gst.HSNRow) *Table {
	t := &Table{Name: name, Title: title, Columns: []Column{col("hsn", "HSN", Text), col("desc", "Description", Text),
		col("uqc", "UQC", Text), col("qty", "Total quantity", Qty), col("rate", "Rate", Rate), col("taxable", "Taxable value", Money),
		col("igst", "IGST", Money), col("cgst", "CGST", Money), col("sgst", "SGST/UTGST", Money), col("cess", "Cess", Money)}}
	var tot [6]int64
	for _, r := range rows {
		t.Rows = append(t.Rows, Row{r.HsnSc, r.Desc, r.Uqc, int64(r.Qty), int64(r.Rt), int64(r.Txval), int64(r.Iamt), int64(r.Camt), int64(r.Samt), int64(r.Csamt)})
		for i, v := range []gst.Amount{r.Txval, r.Iamt, r.Camt, r.Samt, r.Csamt} {
			tot[i] += int64(v)
		}
	}
	t.Totals = Row{"Total", nil, nil, nil, nil, tot[0], tot[1], tot[2], tot[3], tot[4]}
	return t
}

// invTypeLabel names a GSTR-1 invoice type (inv_typ) for the tables.
func invTypeLabel(t string) string {
	switch t {
	case "SEWP":
		return "SEZ with IGST"
	case "SEWOP":
		return "SEZ under LUT"
	}
	return "Regular"
}

// isoDate turns dd-mm-yyyy back into YYYY-MM-DD for tables.
func isoDate(d string) string {
	if len(d) == 10 && d[2] == '-' && d[5] == '-' {
		return d[6:] + "-" + d[3:5] + "-" + d[:2]
	}
	return d
}

// GSTR3B builds the GSTR-3B summary: tables 3.1 and 3.2 and, for
// reference, the input tax on the period's purchase bills.
func (s *Service) GSTR3B(ctx context.Context, q Query) (*Report, error) {
	rep, biz, err := s.newReport("gstr3b", "GSTR-3B "+q.Period.Label, q.Period)
	if err != nil {
		return nil, err
	}
	data, err := s.st.GSTData(ctx, q.Period.From, q.Period.To)
	if err != nil {
		return nil, err
	}
	purchases, err := s.st.GSTPurchases(ctx, q.Period.From, q.Period.To)
	if err != nil {
		return nil, err
	}
	in := gst.GSTR3BInput{GSTIN: biz.GSTIN, RetPeriod: q.Period.FP, Invoices: toDocs(data.Invoices), CreditNotes: toDocs(data.CreditNotes)}
	for _, p := range purchases {
		in.Purchases = append(in.Purchases, gst.InwardDoc{Number: p.BillNumber, Date: p.Date, GSTIN: p.PartyGSTIN,
			SupplyType: gst.SupplyType(p.SupplyType), ReverseCharge: p.ReverseCharge, NilExempt: p.NilExempt, NonGST: p.NonGST,
			Taxable: p.Taxable, CGST: p.CGST, SGST: p.SGST, IGST: p.IGST, Cess: p.Cess})
	}
	ret := gst.BuildGSTR3B(in)
	rep.Return = &ret
	rep.Warnings = registrationWarnings(biz)
	rep.Notes = []string{"Input tax is summed from the purchase bills entered in these books, for reference: claim only what your GSTR-2B shows.",
		"Not covered here: supplies through e-commerce operators (3.1.1) and advances; enter those on the portal yourself."}

	sd := ret.SupDetails
	t31 := &Table{Name: "3.1", Title: "3.1 Outward and reverse-charge inward supplies", Columns: withTax(col("nature", "Nature of supplies", Text))}
	t31.Rows = []Row{
		{"(a) Outward taxable supplies (other than zero rated, nil rated and exempted)", int64(sd.OsupDet.Txval), int64(sd.OsupDet.Iamt), int64(sd.OsupDet.Camt), int64(sd.OsupDet.Samt), int64(sd.OsupDet.Csamt)},
		{"(b) Outward taxable supplies (zero rated)", int64(sd.OsupZero.Txval), int64(sd.OsupZero.Iamt), nil, nil, int64(sd.OsupZero.Csamt)},
		{"(c) Other outward supplies (nil rated, exempted)", int64(sd.OsupNilExmp.Txval), nil, nil, nil, nil},
		{"(d) Inward supplies (liable to reverse charge)", int64(sd.IsupRev.Txval), int64(sd.IsupRev.Iamt), int64(sd.IsupRev.Camt), int64(sd.IsupRev.Samt), int64(sd.IsupRev.Csamt)},
		{"(e) Non-GST outward supplies", int64(sd.OsupNongst.Txval), nil, nil, nil, nil},
	}
	t32 := &Table{Name: "3.2", Title: "3.2 Inter-state supplies to unregistered persons", Columns: []Column{col("pos", "Place of supply", Text),
		col("taxable", "Taxable value", Money), col("igst", "IGST", Money)}}
	var tv, ti int64
	for _, r := range ret.InterSup.UnregDetails {
		t32.Rows = append(t32.Rows, Row{stateLabel(r.Pos), int64(r.Txval), int64(r.Iamt)})
		tv += int64(r.Txval)
		ti += int64(r.Iamt)
	}
	t32.Totals = Row{"Total", tv, ti}
	itc := &Table{Name: "itc", Title: "4 Input tax credit (from purchase bills, for reference)", Columns: []Column{col("details", "Details", Text),
		col("igst", "IGST", Money), col("cgst", "CGST", Money), col("sgst", "SGST/UTGST", Money), col("cess", "Cess", Money)}}
	for _, r := range ret.ITCElg.ITCAvl {
		if r.Ty == "OTH" || r.Ty == "ISRC" {
			label := map[string]string{"OTH": "(A)(5) All other ITC", "ISRC": "(A)(3) Inward supplies liable to reverse charge"}[r.Ty]
			itc.Rows = append(itc.Rows, Row{label, int64(r.Iamt), int64(r.Camt), int64(r.Samt), int64(r.Csamt)})
		}
	}
	n := ret.ITCElg.ITCNet
	itc.Totals = Row{"(C) Net ITC available", int64(n.Iamt), int64(n.Camt), int64(n.Samt), int64(n.Csamt)}
	t5 := &Table{Name: "5", Title: "5 Exempt, nil-rated and non-GST inward supplies (from purchase bills)", Columns: []Column{
		col("nature", "Nature of supplies", Text), col("inter", "Inter-state", Money), col("intra", "Intra-state", Money)}}
	for _, r := range ret.InwardSup.IsupDetails {
		label := map[string]string{"GST": "From a supplier under composition scheme, exempt and nil-rated supply", "NONGST": "Non-GST supply"}[r.Ty]
		t5.Rows = append(t5.Rows, Row{label, int64(r.Inter), int64(r.Intra)})
	}
	bills := &Table{Name: "bills", Title: "Purchase bills of the period", Columns: withTax(col("date", "Date", Date),
		col("bill", "Bill number", Text), col("supplier", "Supplier", Text), col("gstin", "Supplier GSTIN", Text))}
	var bt [5]int64
	for _, p := range purchases {
		bills.Rows = append(bills.Rows, Row{p.Date, p.BillNumber, p.PartyName, p.PartyGSTIN, p.Taxable, p.IGST, p.CGST, p.SGST, p.Cess})
		for i, v := range []int64{p.Taxable, p.IGST, p.CGST, p.SGST, p.Cess} {
			bt[i] += v
		}
	}
	bills.Totals = Row{"Total", nil, nil, nil, bt[0], bt[1], bt[2], bt[3], bt[4]}
	rep.Tables = []*Table{t31, t32, itc, t5, bills}
	for _, t := range rep.Tables {
		page(t, q.Offset, q.Limit)
	}
	return rep, nil
}

// HSNSummary is the HSN-wise summary of outward supplies, net of credit
// notes, across registered and unregistered buyers.
func (s *Service) HSNSummary(ctx context.Context, q Query) (*Report, error) {
	rep, _, err := s.newReport("hsn", "HSN summary "+q.Period.Label, q.Period)
	if err != nil {
		return nil, err
	}
	// Only the HSN sums are read: the day summaries hold them.
	data, err := s.st.GSTR1Data(ctx, q.Period.From, q.Period.To)
	if err != nil {
		return nil, err
	}
	var sum gst.HSNSummary
	for _, h := range data.HSN {
		h.B2B = false // one table across registered and unregistered buyers
		sum.Add(h)
	}
	t := &Table{Name: "hsn", Title: "HSN summary", Columns: []Column{col("hsn", "HSN", Text), col("uqc", "UQC", Text),
		col("qty", "Quantity", Qty), col("rate", "Rate", Rate), col("lines", "Lines", Count), col("taxable", "Taxable value", Money),
		col("igst", "IGST", Money), col("cgst", "CGST", Money), col("sgst", "SGST/UTGST", Money), col("cess", "Cess", Money),
		col("total", "Total value", Money)}}
	var tot [6]int64
	for _, a := range sum.Rows() {
		h := a.HSN
		if strings.TrimSpace(h) == "" {
			h = "(none)"
		}
		total := a.Taxable + a.IGST + a.CGST + a.SGST + a.Cess
		t.Rows = append(t.Rows, Row{h, a.UQC, a.Qty, int64(a.Rate), int64(a.Lines), a.Taxable, a.IGST, a.CGST, a.SGST, a.Cess, total})
		for i, v := range []int64{a.Taxable, a.IGST, a.CGST, a.SGST, a.Cess, total} {
			tot[i] += v
		}
	}
	t.Totals = Row{"Total", nil, nil, nil, nil, tot[0], tot[1], tot[2], tot[3], tot[4], tot[5]}
	page(t, q.Offset, q.Limit)
	rep.Tables = []*Table{t}
	return rep, nil
}
