package store

import (
	"context"
	"fmt"

	"github.com/ainaukar/naukar/app/gst"
)

// Queries behind the GST returns (app/reports). Read-only, on the read pool.

// GSTRate is what one document holds at one rate and supply category: the
// sums of its line heads, which were allocated from the per-invoice-per-rate
// amounts and so add up to them exactly.
type GSTRate struct {
	Rate                            int64  // basis points
	Category                        string // taxable, nil, exempt or non_gst; lines above 0% are taxable
	Taxable, CGST, SGST, IGST, Cess int64
}

// GSTDoc is the GST view of one invoice (or bill of supply) or credit note.
type GSTDoc struct {
	ID            string
	Number        string
	Series        string
	FY            int
	Seq           int64
	Date          string
	Kind          string // tax_invoice or bill_of_supply; "" for credit notes
	Cancelled     bool
	GrandTotal    int64
	PartyName     string
	PartyGSTIN    string
	PartyState    string
	PlaceOfSupply string
	SupplyType    string
	ReverseCharge bool
	Rates         []GSTRate // ordered by rate, then category
	// ShortestHSN is the length of the shortest HSN on the document; 0 if a line has none.
	ShortestHSN int
	// Credit notes: the original invoice.
	InvoiceNumber string
	InvoiceDate   string
	InvoiceValue  int64
}

// HSNAgg sums lines of one HSN, unit and rate, to registered (B2B) or
// unregistered buyers. Credit note rows are negative.
type HSNAgg struct {
	B2B                             bool
	HSN, Unit                       string
	Rate                            int64
	Qty                             int64
	Taxable, CGST, SGST, IGST, Cess int64
	Lines                           int
	SampleProductID                 string // a product of the group (to name lines without HSN)
}

// GSTData is everything the GST returns of a period need from the books.
type GSTData struct {
	Invoices    []GSTDoc // cancelled ones too
	CreditNotes []GSTDoc
	HSN         []HSNAgg // net of credit notes, cancelled invoices left out
	// Last number issued before the period, per series and year.
	LastInvoiceSeq map[gst.SeriesFY]int64
	LastNoteSeq    map[gst.SeriesFY]int64
}

// docHeadSQL reads the facts of invoices in a date range. The JSON fields
// are read once per document.
const invoiceHeadSQL = `SELECT id, number, series, fy, seq, date, kind, cancelled, grand_total,
	coalesce(data->>'$.party.name', ''), coalesce(data->>'$.party.gstin', ''), coalesce(data->>'$.party.state_code', ''),
	coalesce(data->>'place_of_supply', ''), coalesce(data->>'supply_type', ''), coalesce(data->>'reverse_charge', 0)
	FROM invoices WHERE date >= ? AND date <= ? ORDER BY date, rid`

const noteHeadSQL = `SELECT c.id, c.number, c.series, c.fy, c.seq, c.date, '', 0, c.grand_total,
	coalesce(c.data->>'$.party.name', ''), coalesce(c.data->>'$.party.gstin', ''), coalesce(c.data->>'$.party.state_code', ''),
	coalesce(c.data->>'place_of_supply', ''), coalesce(c.data->>'supply_type', ''), 0,
	coalesce(c.data->>'invoice_number', ''), coalesce(c.data->>'invoice_date', ''), coalesce(i.grand_total, 0)
	FROM credit_notes c LEFT JOIN invoices i ON i.id = c.invoice_id WHERE c.date >= ? AND c.date <= ? ORDER BY c.date, c.rid`

// gstLineSQL reads the priced lines of one document table in a date range.
// Only 0% lines need their category, which is kept in the document's JSON.
const gstLineSQL = `SELECT l.doc_id, coalesce(l.hsn, ''), coalesce(l.unit, ''), l.rate,
	CASE WHEN l.rate = 0 THEN coalesce((SELECT d.data->>('$.lines[' || l.n || '].category') FROM %[1]s d WHERE d.id = l.doc_id), 'nil') ELSE 'taxable' END,
	l.qty, l.taxable, l.cgst, l.sgst, l.igst, l.cess, coalesce(l.product_id, '')
	FROM doc_lines l WHERE l.doc_table = '%[1]s' AND l.date >= ? AND l.date <= ?`

// GSTData reads the invoices and credit notes dated from..to (YYYY-MM-DD,
// inclusive) with their per-rate sums, the HSN summary and the numbers
// issued before the period.
func (s *Store) GSTData(ctx context.Context, from, to string) (*GSTData, error) {
	out := &GSTData{LastInvoiceSeq: map[gst.SeriesFY]int64{}, LastNoteSeq: map[gst.SeriesFY]int64{}}
	var err error
	if out.Invoices, err = s.gstDocs(ctx, invoiceHeadSQL, false, from, to); err != nil {
		return nil, fmt.Errorf("read invoices for GST: %w", err)
	}
	if out.CreditNotes, err = s.gstDocs(ctx, noteHeadSQL, true, from, to); err != nil {
		return nil, fmt.Errorf("read credit notes for GST: %w", err)
	}
	hsn := map[hsnKey]*HSNAgg{}
	var keys []hsnKey
	for _, t := range []struct {
		table string
		docs  []GSTDoc
		sign  int64
	}{{"invoices", out.Invoices, 1}, {"credit_notes", out.CreditNotes, -1}} {
		if err := s.gstLines(ctx, t.table, from, to, t.docs, t.sign, hsn, &keys); err != nil {
			return nil, fmt.Errorf("read %s lines for GST: %w", t.table, err)
		}
	}
	out.HSN = make([]HSNAgg, 0, len(keys))
	for _, k := range keys {
		out.HSN = append(out.HSN, *hsn[k])
	}
	for _, t := range []struct {
		table string
		docs  []GSTDoc
		m     map[gst.SeriesFY]int64
	}{{"invoices", out.Invoices, out.LastInvoiceSeq}, {"credit_notes", out.CreditNotes, out.LastNoteSeq}} {
		for _, d := range t.docs {
			k := gst.SeriesFY{Series: d.Series, FY: d.FY}
			if _, ok := t.m[k]; ok {
				continue
			}
			var last int64
			if err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM `+t.table+` WHERE series = ? AND fy = ? AND date < ?`,
				d.Series, d.FY, from).Scan(&last); err != nil {
				return nil, fmt.Errorf("read numbers before %s: %w", from, err)
			}
			t.m[k] = last
		}
	}
	return out, nil
}

func (s *Store) gstDocs(ctx context.Context, q string, notes bool, from, to string) ([]GSTDoc, error) {
	rows, err := s.r.QueryContext(ctx, q, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []GSTDoc
	for rows.Next() {
		var d GSTDoc
		var cancelled, rc int
		dest := []any{&d.ID, &d.Number, &d.Series, &d.FY, &d.Seq, &d.Date, &d.Kind, &cancelled, &d.GrandTotal,
			&d.PartyName, &d.PartyGSTIN, &d.PartyState, &d.PlaceOfSupply, &d.SupplyType, &rc}
		if notes {
			dest = append(dest, &d.InvoiceNumber, &d.InvoiceDate, &d.InvoiceValue)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		d.Cancelled, d.ReverseCharge = cancelled == 1, rc == 1
		d.ShortestHSN = -1
		out = append(out, d)
	}
	return out, rows.Err()
}

type hsnKey struct {
	b2b       bool
	hsn, unit string
	rate      int64
}

// gstLines adds the lines of table's documents to their per-rate sums and
// to the HSN summary (with sign), skipping cancelled documents' lines in
// the summary.
func (s *Store) gstLines(ctx context.Context, table, from, to string, docs []GSTDoc, sign int64, hsn map[hsnKey]*HSNAgg, keys *[]hsnKey) error {
	idx := make(map[string]int, len(docs))
	for i := range docs {
		idx[docs[i].ID] = i
	}
	rows, err := s.r.QueryContext(ctx, fmt.Sprintf(gstLineSQL, table), from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	var docID, h, unit, cat, product string
	var rate, qty, taxable, cgst, sgst, igst, cess int64
	for rows.Next() {
		if err := rows.Scan(&docID, &h, &unit, &rate, &cat, &qty, &taxable, &cgst, &sgst, &igst, &cess, &product); err != nil {
			return err
		}
		i, ok := idx[docID]
		if !ok {
			continue // a line dated apart from its document (cannot happen: lines carry the document date)
		}
		d := &docs[i]
		d.addRate(GSTRate{Rate: rate, Category: cat, Taxable: taxable, CGST: cgst, SGST: sgst, IGST: igst, Cess: cess})
		if n := len(h); d.ShortestHSN < 0 || n < d.ShortestHSN {
			d.ShortestHSN = n
		}
		if d.Cancelled {
			continue
		}
		k := hsnKey{b2b: d.PartyGSTIN != "", hsn: h, unit: unit, rate: rate}
		a, ok := hsn[k]
		if !ok {
			a = &HSNAgg{B2B: k.b2b, HSN: h, Unit: unit, Rate: rate}
			hsn[k] = a
			*keys = append(*keys, k)
		}
		a.Qty += sign * qty
		a.Taxable += sign * taxable
		a.CGST += sign * cgst
		a.SGST += sign * sgst
		a.IGST += sign * igst
		a.Cess += sign * cess
		a.Lines++
		if a.SampleProductID == "" {
			a.SampleProductID = product
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range docs {
		if docs[i].ShortestHSN < 0 {
			docs[i].ShortestHSN = 0
		}
	}
	return nil
}

func (d *GSTDoc) addRate(r GSTRate) {
	for i := range d.Rates {
		x := &d.Rates[i]
		if x.Rate == r.Rate && x.Category == r.Category {
			x.Taxable += r.Taxable
			x.CGST += r.CGST
			x.SGST += r.SGST
			x.IGST += r.IGST
			x.Cess += r.Cess
			return
		}
	}
	d.Rates = append(d.Rates, r)
	// Keep rows ordered by rate then category (few rows: insertion sort).
	for j := len(d.Rates) - 1; j > 0; j-- {
		a, b := d.Rates[j-1], d.Rates[j]
		if a.Rate < b.Rate || a.Rate == b.Rate && a.Category <= b.Category {
			break
		}
		d.Rates[j-1], d.Rates[j] = b, a
	}
}

// GSTPurchase is the GST view of one purchase bill.
type GSTPurchase struct {
	ID, BillNumber, Date            string
	PartyName, PartyGSTIN           string
	SupplyType                      string
	Taxable, CGST, SGST, IGST, Cess int64
	GrandTotal                      int64
}

// GSTPurchases reads the purchase bills dated from..to.
func (s *Store) GSTPurchases(ctx context.Context, from, to string) ([]GSTPurchase, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, coalesce(bill_number, ''), date, coalesce(data->>'$.party.name', ''),
		coalesce(data->>'$.party.gstin', ''), coalesce(data->>'supply_type', ''),
		coalesce(data->>'taxable', 0), coalesce(data->>'cgst', 0), coalesce(data->>'sgst', 0), coalesce(data->>'igst', 0),
		coalesce(data->>'cess', 0), grand_total
		FROM purchases WHERE date >= ? AND date <= ? ORDER BY date, rid`, from, to)
	if err != nil {
		return nil, fmt.Errorf("read purchases: %w", err)
	}
	defer rows.Close()
	var out []GSTPurchase
	for rows.Next() {
		var p GSTPurchase
		if err := rows.Scan(&p.ID, &p.BillNumber, &p.Date, &p.PartyName, &p.PartyGSTIN, &p.SupplyType,
			&p.Taxable, &p.CGST, &p.SGST, &p.IGST, &p.Cess, &p.GrandTotal); err != nil {
			return nil, err
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
	err := s.r.QueryRowContext(ctx, `SELECT
		coalesce((SELECT sum(data->>'taxable') FROM invoices WHERE date >= ?1 AND date <= ?2 AND cancelled = 0), 0) -
		coalesce((SELECT sum(data->>'taxable') FROM credit_notes WHERE date >= ?1 AND date <= ?2), 0)`, from, to).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("turnover %s to %s: %w", from, to, err)
	}
	return v, nil
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
