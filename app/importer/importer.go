// Package importer reads products and parties from CSV files (as exported by
// Excel, Vyapar or Tally) into books types, with row-numbered errors. It
// saves nothing: the store imports all rows in one transaction, or none.
package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/store"
)

// ProductColumns are the products CSV header names (any order; others ignored).
var ProductColumns = []string{"name", "sku", "barcode", "hsn", "unit", "sale_price", "price_includes_tax",
	"gst_rate", "cess_rate", "purchase_price", "mrp", "opening_stock", "reorder_level"}

// PartyColumns are the parties CSV header names.
var PartyColumns = []string{"name", "kind", "phone", "email", "gstin", "state_code", "address", "city", "pincode", "opening_balance"}

type table struct {
	cols map[string]int
	rows [][]string
	line []int // file line of each row
}

func read(r io.Reader, required []string) (*table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // Excel's UTF-8 BOM
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, books.Invalid("file", "The file is empty; the first row must name the columns (%s).", strings.Join(required, ", "))
	}
	if err != nil {
		return nil, books.Invalid("file", "Row 1 is not valid CSV: %v", err)
	}
	t := &table{cols: map[string]int{}}
	for i, h := range head {
		t.cols[strings.ToLower(strings.TrimSpace(h))] = i
	}
	var missing []string
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, books.Invalid("file", "The header row lacks required column(s): %s. Required: %s.", strings.Join(missing, ", "), strings.Join(required, ", "))
	}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, books.Invalid("file", "Row %d is not valid CSV: %v", row, err)
		}
		blank := true
		for _, f := range rec {
			if strings.TrimSpace(f) != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		t.rows = append(t.rows, rec)
		t.line = append(t.line, row)
	}
	return t, nil
}

func (t *table) get(rec []string, col string) string {
	i, ok := t.cols[col]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// Products parses a products CSV. rows gives each product's row number in
// the file. All row problems are returned together as *store.ImportError.
func Products(r io.Reader) ([]books.Product, []int, error) {
	t, err := read(r, []string{"name", "sale_price", "gst_rate"})
	if err != nil {
		return nil, nil, err
	}
	var out []books.Product
	var rows []int
	var ie store.ImportError
	for i, rec := range t.rows {
		p, err := product(t, rec)
		if err == nil {
			// Check the product's own rules now too, so one pass lists
			// every bad row (the store checks them again when saving).
			q := p
			q.Normalize()
			err = q.Validate(time.Now())
		}
		if err != nil {
			ie.Rows = append(ie.Rows, store.RowError{Row: t.line[i], Err: err})
			continue
		}
		out = append(out, p)
		rows = append(rows, t.line[i])
	}
	if len(ie.Rows) > 0 {
		return nil, nil, &ie
	}
	return out, rows, nil
}

func product(t *table, rec []string) (books.Product, error) {
	p := books.Product{Name: t.get(rec, "name"), SKU: t.get(rec, "sku"), HSN: t.get(rec, "hsn")}
	var err error
	if p.Unit, err = gst.NormalizeUQC(t.get(rec, "unit")); err != nil {
		return p, books.Invalid("unit", "unit: %s", err.Error())
	}
	if b := t.get(rec, "barcode"); b != "" {
		p.Barcodes = strings.FieldsFunc(b, func(r rune) bool { return r == ';' || r == '|' || r == ' ' })
	}
	money := []struct {
		col string
		dst *int64
		req bool
	}{{"sale_price", &p.SalePrice, true}, {"purchase_price", &p.PurchasePrice, false}, {"mrp", &p.MRP, false}}
	for _, m := range money {
		v := t.get(rec, m.col)
		if v == "" {
			if m.req {
				return p, books.Invalid(m.col, "%s is empty; give the price in rupees, e.g. 245.50.", m.col)
			}
			continue
		}
		if *m.dst, err = gst.ParseAmount(v); err != nil {
			return p, books.Invalid(m.col, "%s %q: %s", m.col, v, err.Error())
		}
	}
	rate := t.get(rec, "gst_rate")
	if rate == "" {
		return p, books.Invalid("gst_rate", "gst_rate is empty; give the GST rate in percent, e.g. 18 (0 for nil-rated).")
	}
	switch strings.ToLower(rate) {
	case "exempt", "nil", "non_gst", "non-gst":
		p.Category, _ = gst.ParseCategory(strings.ReplaceAll(strings.ToLower(rate), "-", "_"))
	default:
		if p.GSTRate, err = gst.ParseRate(rate); err != nil {
			return p, books.Invalid("gst_rate", "gst_rate %q: %s", rate, err.Error())
		}
	}
	if c := t.get(rec, "cess_rate"); c != "" {
		if p.CessRate, err = gst.ParseRate(c); err != nil {
			return p, books.Invalid("cess_rate", "cess_rate %q: %s", c, err.Error())
		}
	}
	switch strings.ToLower(t.get(rec, "price_includes_tax")) {
	case "", "no", "n", "false", "0":
	case "yes", "y", "true", "1":
		p.PriceIncludesTax = true
	default:
		return p, books.Invalid("price_includes_tax", "price_includes_tax must be yes or no, not %q.", t.get(rec, "price_includes_tax"))
	}
	for _, q := range []struct {
		col string
		dst *int64
	}{{"opening_stock", &p.OpeningStock}, {"reorder_level", &p.ReorderLevel}} {
		if v := t.get(rec, q.col); v != "" {
			if *q.dst, err = gst.ParseQty(v); err != nil {
				return p, books.Invalid(q.col, "%s %q: %s", q.col, v, err.Error())
			}
		}
	}
	return p, nil
}

// Parties parses a parties CSV.
func Parties(r io.Reader) ([]books.Party, []int, error) {
	t, err := read(r, []string{"name"})
	if err != nil {
		return nil, nil, err
	}
	var out []books.Party
	var rows []int
	var ie store.ImportError
	for i, rec := range t.rows {
		p := books.Party{Name: t.get(rec, "name"), Kind: t.get(rec, "kind"), Phone: t.get(rec, "phone"),
			Email: t.get(rec, "email"), GSTIN: t.get(rec, "gstin"), StateCode: t.get(rec, "state_code"),
			Address: t.get(rec, "address"), City: t.get(rec, "city"), Pincode: t.get(rec, "pincode")}
		if v := t.get(rec, "opening_balance"); v != "" {
			b, err := gst.ParseAmount(v)
			if err != nil {
				ie.Rows = append(ie.Rows, store.RowError{Row: t.line[i], Err: books.Invalid("opening_balance", "opening_balance %q: %s", v, err.Error())})
				continue
			}
			p.OpeningBalance = b
		}
		if p.StateCode != "" {
			sc, err := gst.NormalizeStateCode(p.StateCode)
			if err != nil {
				ie.Rows = append(ie.Rows, store.RowError{Row: t.line[i], Err: books.Invalid("state_code", "state_code: %s", err.Error())})
				continue
			}
			p.StateCode = sc
		}
		q := p
		q.Normalize()
		if err := q.Validate(); err != nil {
			ie.Rows = append(ie.Rows, store.RowError{Row: t.line[i], Err: err})
			continue
		}
		out = append(out, p)
		rows = append(rows, t.line[i])
	}
	if len(ie.Rows) > 0 {
		return nil, nil, &ie
	}
	return out, rows, nil
}

// Describe is a one-line summary of an import result for humans:
// "Imported 1 product.", "Imported 3 products."
func Describe(n int, one, many string) string { return "Imported " + gst.Count(n, one, many) + "." }
