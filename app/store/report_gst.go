package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	gojson "github.com/goccy/go-json"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

// Queries behind the GST returns (app/reports). Read-only, on the read pool.

// GSTDoc is the GST view of one invoice (or bill of supply) or credit note:
// the summary the GST builders take (gst.Doc: its supplies by rate, with
// the sums of its line heads, which were allocated from the
// per-invoice-per-rate amounts and so add up to them exactly) and the
// facts the reports show beside it.
type GSTDoc struct {
	gst.Doc
	ID         string
	Kind       string // tax_invoice or bill_of_supply; "" for credit notes
	PartyName  string
	PartyState string
}

// GSTData is everything the GST returns of a period need from the books.
type GSTData struct {
	Invoices    []GSTDoc // cancelled ones too
	CreditNotes []GSTDoc
	// HSN sums the lines by HSN, unit, rate and whether the buyer is
	// registered, net of credit notes, cancelled invoices left out. A row's
	// Ref is a product of the row (to name lines without HSN).
	HSN []gst.HSNLine
	// Last number issued before the period, per series and year.
	LastInvoiceSeq map[gst.SeriesFY]int64
	LastNoteSeq    map[gst.SeriesFY]int64
	// Days are the summaries of the days whose invoices Invoices holds
	// only in part (GSTR1Data).
	Days []gst.GSTR1Day
}

// The head queries read only columns of the covering indexes
// invoices_report and credit_notes_report (0005_plain_doc_columns.sql).
const invoiceHeadSQL = `SELECT id, number, series, fy, seq, date, kind, cancelled, grand_total,
	coalesce(party_name, ''), coalesce(party_gstin, ''), coalesce(party_state, ''),
	coalesce(place_of_supply, ''), coalesce(supply_type, ''), coalesce(reverse_charge, 0),
	maybe_exempt, coalesce(zero_rated, '')
	FROM invoices WHERE date >= ? AND date <= ?`

const noteHeadSQL = `SELECT id, number, series, fy, seq, date, '', 0, grand_total,
	coalesce(party_name, ''), coalesce(party_gstin, ''), coalesce(party_state, ''),
	coalesce(place_of_supply, ''), coalesce(supply_type, ''), 0,
	maybe_exempt, '',
	coalesce(invoice_number, ''), coalesce(invoice_date, ''), invoice_id
	FROM credit_notes WHERE date >= ? AND date <= ?`

// gstLineSQL reads the priced lines of one document table, a range of
// doc_lines' primary key (doc_table, date, ...).
const gstLineSQL = `SELECT doc_id, n, coalesce(hsn, ''), coalesce(unit, ''), rate, qty, taxable, cgst, sgst, igst, cess,
	CASE WHEN coalesce(hsn, '') = '' THEN coalesce(product_id, '') ELSE '' END
	FROM doc_lines WHERE doc_table = ? AND date >= ? AND date <= ?`

// GSTData reads the invoices and credit notes dated from..to (YYYY-MM-DD,
// inclusive) with their per-rate sums, the HSN summary and, per series,
// the last number issued below the period's numbers.
func (s *Store) GSTData(ctx context.Context, from, to string) (*GSTData, error) {
	return s.gstData(ctx, from, to, nil, false)
}

// GSTR1Data is GSTData for GSTR-1: for the days of from..to the books keep
// a summary of (report_days.go), Invoices holds only the invoices
// gst.ListedInGSTR1 and Days the summaries of the others (whose HSN sums
// HSN includes). The other days are read invoice by invoice.
func (s *Store) GSTR1Data(ctx context.Context, from, to string) (*GSTData, error) {
	days, err := s.gstr1Days(ctx, from, to)
	if err != nil {
		return nil, err
	}
	return s.gstData(ctx, from, to, days, true)
}

// gstData reads GSTData, taking the days summarised from their summaries.
func (s *Store) gstData(ctx context.Context, from, to string, days []daySummary, summarised bool) (*GSTData, error) {
	out := &GSTData{LastInvoiceSeq: map[gst.SeriesFY]int64{}, LastNoteSeq: map[gst.SeriesFY]int64{}}
	var hsn gst.HSNSummary
	// The invoices of the days not summarised, a run of days at a time;
	// the summaries and their listed invoices in date order between them.
	j := 0
	addDays := func(before string) {
		for ; j < len(days) && days[j].Date < before; j++ {
			d := &days[j]
			out.Invoices = append(out.Invoices, d.Listed...)
			out.Days = append(out.Days, d.GSTR1Day)
			for _, h := range d.HSN {
				hsn.Add(h)
			}
		}
	}
	dates := make([]string, len(days))
	for i := range days {
		dates[i] = days[i].Date
	}
	for _, r := range rawRanges(from, to, dates) {
		addDays(r[0])
		invs, err := s.gstInvoices(ctx, s.r, r[0], r[1], &hsn)
		if err != nil {
			return nil, err
		}
		out.Invoices = append(out.Invoices, invs...)
		if summarised {
			s.readRaw(r[0], r[1], len(invs))
		}
	}
	addDays("9999-12-31")
	notes, untaxed, err := s.gstDocs(ctx, s.r, noteHeadSQL, true, from, to)
	if err != nil {
		return nil, fmt.Errorf("read documents for GST: %w", err)
	}
	lines, err := s.rawLines(ctx, s.r, "credit_notes", from, to)
	if err != nil {
		return nil, fmt.Errorf("read documents for GST: %w", err)
	}
	if err := s.gstLines(ctx, s.r, "credit_notes", [][]rawLine{lines}, notes, untaxed, -1, &hsn); err != nil {
		return nil, fmt.Errorf("read credit_notes lines for GST: %w", err)
	}
	out.CreditNotes = notes
	out.HSN = hsn.Rows()
	if err := s.exportShippingBills(ctx, out.Invoices); err != nil {
		return nil, err
	}
	for _, t := range []struct {
		table string
		docs  []GSTDoc
		m     map[gst.SeriesFY]int64
	}{{"invoices", out.Invoices, out.LastInvoiceSeq}, {"credit_notes", out.CreditNotes, out.LastNoteSeq}} {
		low := map[gst.SeriesFY]int64{}
		for _, d := range t.docs {
			k := gst.SeriesFY{Series: d.Series, FY: d.FY}
			if v, ok := low[k]; !ok || d.Seq < v {
				low[k] = d.Seq
			}
		}
		if t.table == "invoices" {
			// The summarised days' invoices, listed or not.
			for _, d := range out.Days {
				for _, sd := range d.Series {
					if v, ok := low[sd.SeriesFY]; !ok || sd.FirstSeq < v {
						low[sd.SeriesFY] = sd.FirstSeq
					}
				}
			}
		}
		for k, first := range low {
			var last int64
			if err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM `+t.table+` WHERE series = ? AND fy = ? AND seq < ?`,
				k.Series, k.FY, first).Scan(&last); err != nil {
				return nil, fmt.Errorf("read numbers before %s: %w", from, err)
			}
			t.m[k] = last
		}
	}
	return out, nil
}

// gstInvoices reads the invoices dated from..to with their per-rate sums,
// adding their lines to hsn. On the read pool the heads and the lines are
// read side by side (the lines in two halves), then joined.
func (s *Store) gstInvoices(ctx context.Context, q ctxQuerier, from, to string, hsn *gst.HSNSummary) ([]GSTDoc, error) {
	var (
		wg       sync.WaitGroup
		docs     []GSTDoc
		untaxed  []bool
		invLines [2][]rawLine
		errs     [3]error
	)
	mid := midDate(from, to)
	wg.Add(3)
	go func() {
		defer wg.Done()
		docs, untaxed, errs[0] = s.gstDocs(ctx, q, invoiceHeadSQL, false, from, to)
	}()
	go func() { defer wg.Done(); invLines[0], errs[1] = s.rawLines(ctx, q, "invoices", from, mid) }()
	go func() {
		defer wg.Done()
		if mid < to {
			invLines[1], errs[2] = s.rawLines(ctx, q, "invoices", nextDay(mid), to)
		}
	}()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("read documents for GST: %w", err)
		}
	}
	if err := s.gstLines(ctx, q, "invoices", invLines[:], docs, untaxed, 1, hsn); err != nil {
		return nil, fmt.Errorf("read invoices lines for GST: %w", err)
	}
	return docs, nil
}

// ctxQuerier is the read pool or a transaction.
type ctxQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) gstDocs(ctx context.Context, db ctxQuerier, q string, notes bool, from, to string) ([]GSTDoc, []bool, error) {
	rows, err := db.QueryContext(ctx, q, from, to)
	if err != nil {
		return nil, nil, err
	}
	var out []GSTDoc
	var untaxed []bool
	var invoiceIDs []string
	for rows.Next() {
		var d GSTDoc
		var cancelled, rc, mu int
		var invID string
		dest := []any{&d.ID, &d.Number, &d.Series, &d.FY, &d.Seq, &d.Date, &d.Kind, &cancelled, &d.Value,
			&d.PartyName, &d.GSTIN, &d.PartyState, &d.PlaceOfSupply, &d.SupplyType, &rc, &mu, &d.ZeroRated}
		if notes {
			dest = append(dest, &d.InvoiceNumber, &d.InvoiceDate, &invID)
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return nil, nil, err
		}
		d.Cancelled, d.ReverseCharge = cancelled == 1, rc == 1
		d.ShortestHSN = -1
		out = append(out, d)
		untaxed = append(untaxed, mu == 1)
		invoiceIDs = append(invoiceIDs, invID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if notes {
		// A note reports as the supply it corrects: the invoice's value,
		// reverse charge and zero-rating.
		for i := range out {
			d := &out[i]
			var rc int
			err := db.QueryRowContext(ctx, `SELECT grand_total, coalesce(reverse_charge, 0), coalesce(zero_rated, '') FROM invoices WHERE id = ?`,
				invoiceIDs[i]).Scan(&d.InvoiceValue, &rc, &d.ZeroRated)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, nil, err
			}
			d.ReverseCharge = rc == 1
		}
	}
	// Documents come by index order; the returns want date and number order.
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := &out[order[a]], &out[order[b]]
		if x.Date != y.Date {
			return x.Date < y.Date
		}
		if x.Series != y.Series {
			return x.Series < y.Series
		}
		return x.Seq < y.Seq
	})
	sorted := make([]GSTDoc, len(out))
	sortedU := make([]bool, len(out))
	for i, j := range order {
		sorted[i], sortedU[i] = out[j], untaxed[j]
	}
	return sorted, sortedU, nil
}

// lineCategories reads the supply category of each line of a document.
func (s *Store) lineCategories(ctx context.Context, db ctxQuerier, table, id string) (map[int]gst.Category, error) {
	rows, err := db.QueryContext(ctx, `SELECT key, coalesce(value->>'category', '') FROM json_each((SELECT data FROM `+table+` WHERE id = ?), '$.lines')`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]gst.Category{}
	for rows.Next() {
		var n int
		var c string
		if err := rows.Scan(&n, &c); err != nil {
			return nil, err
		}
		out[n] = gst.Category(c)
	}
	return out, rows.Err()
}

// rawLine is one priced line as read from doc_lines.
type rawLine struct {
	docID, hsn, unit, product                  string
	n                                          int
	rate, qty, taxable, cgst, sgst, igst, cess int64
}

// rawLines reads the lines of table's documents dated from..to.
func (s *Store) rawLines(ctx context.Context, db ctxQuerier, table, from, to string) ([]rawLine, error) {
	rows, err := db.QueryContext(ctx, gstLineSQL, table, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rawLine
	for rows.Next() {
		var l rawLine
		if err := rows.Scan(&l.docID, &l.n, &l.hsn, &l.unit, &l.rate, &l.qty, &l.taxable, &l.cgst, &l.sgst, &l.igst, &l.cess, &l.product); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// midDate is the middle day of from..to (YYYY-MM-DD), for splitting reads.
func midDate(from, to string) string {
	f, err1 := time.Parse("2006-01-02", from)
	t, err2 := time.Parse("2006-01-02", to)
	if err1 != nil || err2 != nil || !t.After(f) {
		return to
	}
	return f.Add(t.Sub(f) / 2).Format("2006-01-02")
}

func nextDay(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return d
	}
	return t.AddDate(0, 0, 1).Format("2006-01-02")
}

// gstLines adds the lines of table's documents to their per-rate sums and
// to the HSN summary (with sign), leaving cancelled documents out of the
// summary. Each line's category is gst.ReturnCategory of its rate and
// category; a line's category is read only for a 0% line of a document that
// may hold exempt or non-GST lines (untaxed[i]): without one it is nil.
func (s *Store) gstLines(ctx context.Context, db ctxQuerier, table string, parts [][]rawLine, docs []GSTDoc, untaxed []bool, sign int64, hsn *gst.HSNSummary) error {
	idx := make(map[string]int, len(docs))
	for i := range docs {
		idx[docs[i].ID] = i
	}
	type pending struct {
		doc, n int
		r      gst.RateAmounts
	}
	var later []pending
	for _, part := range parts {
		for li := range part {
			l := &part[li]
			i, ok := idx[l.docID]
			if !ok {
				continue // lines carry their document's date, so this cannot happen
			}
			d := &docs[i]
			r := gst.RateAmounts{Rate: gst.RateBP(l.rate), Taxable: l.taxable, CGST: l.cgst, SGST: l.sgst, IGST: l.igst, Cess: l.cess}
			if l.rate == 0 && untaxed[i] {
				later = append(later, pending{i, l.n, r})
			} else {
				d.AddSupply(gst.ReturnCategory(r.Rate, ""), r)
			}
			if n := len(l.hsn); d.ShortestHSN < 0 || n < d.ShortestHSN {
				d.ShortestHSN = n
			}
			if d.Cancelled {
				continue
			}
			hsn.Add(gst.HSNLine{B2B: d.GSTIN != "", HSN: l.hsn, UQC: l.unit, Rate: gst.RateBP(l.rate), Qty: sign * l.qty,
				Taxable: sign * l.taxable, CGST: sign * l.cgst, SGST: sign * l.sgst, IGST: sign * l.igst, Cess: sign * l.cess,
				Lines: 1, Ref: l.product})
		}
	}
	cats := map[int]map[int]gst.Category{}
	for _, p := range later {
		c, ok := cats[p.doc]
		if !ok {
			var err error
			if c, err = s.lineCategories(ctx, db, table, docs[p.doc].ID); err != nil {
				return err
			}
			cats[p.doc] = c
		}
		docs[p.doc].AddSupply(gst.ReturnCategory(0, c[p.n]), p.r)
	}
	for i := range docs {
		if docs[i].ShortestHSN < 0 {
			docs[i].ShortestHSN = 0
		}
	}
	return nil
}

// GSTPurchase is the GST view of one purchase bill.
type GSTPurchase struct {
	ID, BillNumber, Date            string
	PartyName, PartyGSTIN           string
	SupplyType                      string
	ReverseCharge                   bool // the shop pays the tax itself
	Taxable, CGST, SGST, IGST, Cess int64
	GrandTotal                      int64
	// Nil and exempt (and 0%) lines, and non-GST lines, by taxable value:
	// GSTR-3B table 5.
	NilExempt, NonGST int64
}

// GSTPurchases reads the purchase bills dated from..to.
func (s *Store) GSTPurchases(ctx context.Context, from, to string) ([]GSTPurchase, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, coalesce(bill_number, ''), date, coalesce(party_name, ''),
		coalesce(party_gstin, ''), coalesce(supply_type, ''),
		coalesce(taxable, 0), coalesce(cgst, 0), coalesce(sgst, 0), coalesce(igst, 0),
		coalesce(cess, 0), grand_total, data
		FROM purchases WHERE date >= ? AND date <= ? ORDER BY date, rid`, from, to)
	if err != nil {
		return nil, fmt.Errorf("read purchases: %w", err)
	}
	defer rows.Close()
	var out []GSTPurchase
	var data []byte
	for rows.Next() {
		var p GSTPurchase
		if err := rows.Scan(&p.ID, &p.BillNumber, &p.Date, &p.PartyName, &p.PartyGSTIN, &p.SupplyType,
			&p.Taxable, &p.CGST, &p.SGST, &p.IGST, &p.Cess, &p.GrandTotal, &data); err != nil {
			return nil, err
		}
		// The bill's lines say what was untaxed and whether the shop pays
		// the tax on reverse charge; a month holds few purchase bills.
		var doc books.Purchase
		if err := gojson.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("read purchase %s: %w", p.ID, err)
		}
		p.ReverseCharge = doc.ReverseCharge
		charged := p.PartyGSTIN != "" || p.ReverseCharge
		for _, l := range doc.Lines {
			cat := gst.ReturnCategory(l.Rate, l.Category)
			if !charged && (l.Category == "" || l.Category == gst.Taxable) {
				// An unregistered supplier charges no tax on taxable goods
				// (their rate is not kept): not a nil or exempt supply.
				continue
			}
			switch cat {
			case gst.Nil, gst.Exempt:
				p.NilExempt += l.Taxable
			case gst.NonGST:
				p.NonGST += l.Taxable
			}
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// TaxableTurnover is the net taxable value of sales (invoices not cancelled
// less credit notes) dated from..to: the aggregate turnover that decides
// how many HSN digits invoices must show.
func (s *Store) TaxableTurnover(ctx context.Context, from, to string) (int64, error) {
	var v int64
	dates, days, err := s.tradeDays(ctx, from, to)
	if err != nil {
		return 0, fmt.Errorf("turnover %s to %s: %w", from, to, err)
	}
	for _, d := range days {
		v += d.turnover
	}
	for _, r := range rawRanges(from, to, dates) {
		var t int64
		if err := s.r.QueryRowContext(ctx, `SELECT coalesce(sum(taxable), 0) FROM invoices WHERE date >= ? AND date <= ? AND cancelled = 0`,
			r[0], r[1]).Scan(&t); err != nil {
			return 0, fmt.Errorf("turnover %s to %s: %w", from, to, err)
		}
		v += t
	}
	var cn int64
	if err := s.r.QueryRowContext(ctx, `SELECT coalesce(sum(taxable), 0) FROM credit_notes WHERE date >= ? AND date <= ?`, from, to).Scan(&cn); err != nil {
		return 0, fmt.Errorf("turnover %s to %s: %w", from, to, err)
	}
	return v - cn, nil
}

// ProductNames returns the names of products by id (missing ids are left out).
func (s *Store) ProductNames(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		if id == "" {
			continue
		}
		if _, ok := out[id]; ok {
			continue
		}
		var name string
		err := s.r.QueryRowContext(ctx, `SELECT name FROM products WHERE id = ?`, id).Scan(&name)
		if err == nil {
			out[id] = name
		}
	}
	return out, nil
}
