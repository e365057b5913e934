package store

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	gojson "github.com/goccy/go-json"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/sync/protocol"
)

// insertDocument writes a document if it is absent and derives its effects
// (lines, stock, ledger, money). It is the one path for documents made here
// and documents pulled from other devices. It reports whether it inserted.
func (tx *Tx) insertDocument(table, id, hlc string, data []byte) (bool, error) {
	return tx.insertDoc(table, id, hlc, data, nil)
}

// insertDoc is insertDocument with the document already decoded (doc may
// be nil: it is then decoded from data).
func (tx *Tx) insertDoc(table, id, hlc string, data []byte, doc any) (bool, error) {
	var err error
	if doc == nil {
		if doc, err = decodeDoc(table, data); err != nil {
			return false, fmt.Errorf("read %s %s: %w", table, id, err)
		}
	}
	args := append(make([]any, 0, 28), id, tx.s.BusinessID(), hlc, string(data))
	args = append(args, docColumns(doc, data)...)
	res, err := tx.Exec(insDocument(table), args...)
	if err != nil {
		return false, fmt.Errorf("save %s %s: %w", table, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if err := tx.derive(table, id, doc); err != nil {
		return false, fmt.Errorf("derive %s %s: %w", table, id, err)
	}
	return true, nil
}

// docCols are the plain columns of the document tables that have them
// (migration 0005), after id, business_id, hlc and data; docColumns gives
// their values in the same order.
var docCols = map[string]string{
	"invoices": `number, kind, series, fy, seq, date, party_id, party_name, party_gstin, party_state, place_of_supply,
		supply_type, reverse_charge, taxable, cgst, sgst, igst, cess, round_off, grand_total, paid, maybe_exempt, zero_rated, made_by`,
	"credit_notes": `number, series, fy, seq, date, invoice_id, invoice_number, invoice_date, party_name, party_gstin,
		party_state, place_of_supply, supply_type, taxable, cgst, sgst, igst, cess, round_off, grand_total, refunded, maybe_exempt`,
	"purchases": `date, bill_number, party_id, party_name, party_gstin, party_state, supply_type, taxable, cgst, sgst,
		igst, cess, round_off, grand_total, paid`,
}

func docColumns(doc any, data []byte) []any {
	switch d := doc.(type) {
	case *books.Invoice:
		id, name, gstin, state := partyCols(d.Party)
		return []any{d.Number, d.Kind, d.Series, d.FY, d.Seq, d.Date, id, name, gstin, state, d.PlaceOfSupply,
			string(d.SupplyType), boolInt(d.ReverseCharge), d.Taxable, d.CGST, d.SGST, d.IGST, d.Cess, d.RoundOff,
			d.GrandTotal, d.Paid, maybeExempt(data), nullIfEmpty(string(d.ZeroRated)), nullIfEmpty(d.MadeBy)}
	case *books.CreditNote:
		_, name, gstin, state := partyCols(d.Party)
		return []any{d.Number, d.Series, d.FY, d.Seq, d.Date, d.InvoiceID, d.InvoiceNumber, d.InvoiceDate, name, gstin,
			state, d.PlaceOfSupply, string(d.SupplyType), d.Taxable, d.CGST, d.SGST, d.IGST, d.Cess, d.RoundOff,
			d.GrandTotal, d.Refunded, maybeExempt(data)}
	case *books.Purchase:
		id, name, gstin, state := partyCols(d.Party)
		return []any{d.Date, d.BillNumber, id, name, gstin, state, string(d.SupplyType), d.Taxable, d.CGST, d.SGST,
			d.IGST, d.Cess, d.RoundOff, d.GrandTotal, d.Paid}
	}
	return nil
}

// partyCols are a party snapshot's columns: NULL without a party, and NULL
// for the facts its JSON leaves out when empty, as the JSON reads.
func partyCols(p *books.PartySnapshot) (id, name, gstin, state any) {
	if p == nil {
		return nil, nil, nil, nil
	}
	return nullIfEmpty(p.ID), p.Name, nullIfEmpty(p.GSTIN), nullIfEmpty(p.StateCode)
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// maybeExempt is 1 when a line of the document may be exempt or non-GST
// (0% lines are otherwise nil-rated); GSTR-1's exemp section reads lines
// only for such documents.
func maybeExempt(data []byte) int {
	return boolInt(bytes.Contains(data, []byte(`"exempt"`)) || bytes.Contains(data, []byte(`"non_gst"`)))
}

// createDocument stamps, inserts and queues a new local document.
func (tx *Tx) createDocument(table, id string, doc any) error {
	if d, ok := doc.(interface{ SetMaker(books.Maker) }); ok {
		if m := tx.maker(); m.MadeBy != "" {
			d.SetMaker(m)
		}
	}
	stamp := tx.stamp()
	data, err := canonicalDoc(doc) // the form every replica stores
	if err != nil {
		return err
	}
	tx.fresh = true // its id was made just now: nothing can refer to it yet
	_, err = tx.insertDoc(table, id, stamp, data, doc)
	tx.fresh = false
	if err != nil {
		return err
	}
	// The outbox points at the document rather than holding a second copy
	// (PendingMutations reads it from the document's row).
	return tx.enqueue(protocol.Mutation{Table: table, ID: id, HLC: stamp, Op: protocol.OpInsert})
}

const (
	lineCols  = 17
	insLedger = `INSERT INTO ledger(doc_id, party_id, doc_table, date, number, debit, credit) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT(doc_id, party_id) DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit`
	insMoney = `INSERT INTO money_moves(doc_id, n, doc_table, date, mode, amount_in, amount_out) VALUES (?,?,?,?,?,?,?)`
	// maxBatch is the most rows one prepared multi-row INSERT writes.
	maxBatch = 8
)

// insLines is the INSERT of k doc_lines rows in one statement.
func insLines(k int) string {
	return `INSERT INTO doc_lines(doc_id, n, doc_table, date, product_id, hsn, unit, qty, rate, taxable, cgst, sgst, igst, cess, total, cost, stock_delta) VALUES ` +
		repeatJoin("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", k)
}

// insPending is the INSERT of k stock_pending rows in one statement.
func insPending(k int) string {
	return `INSERT INTO stock_pending(product_id, date, qty_in, qty_out) VALUES ` + repeatJoin("(?,?,?,?)", k)
}

func repeatJoin(s string, k int) string {
	return strings.TrimSuffix(strings.Repeat(s+",", k), ",")
}

// derive writes the derived rows of one document. A cancellation that
// arrived before its document (possible across devices) is honoured here.
func (tx *Tx) derive(table, id string, doc any) error {
	switch d := doc.(type) {
	case *books.Invoice:
		tx.dayChanged(d.Date)
		if err := tx.deriveLines(table, id, d.Date, d.Lines, -1); err != nil {
			return err
		}
		if err := tx.deriveMoney(table, id, d.Date, d.Payments, true); err != nil {
			return err
		}
		if d.Party != nil && d.Party.ID != "" {
			if err := tx.ledger(id, d.Party.ID, table, d.Date, d.Number, d.GrandTotal, d.Paid); err != nil {
				return err
			}
		}
		if tx.fresh {
			return nil
		}
		if tx.batch != nil {
			// A page applied in bulk looks for cancellations once, after
			// its derived rows are written (bulkapply.go).
			tx.batch.mayBeCancelled = append(tx.batch.mayBeCancelled, id)
			return nil
		}
		var cancelled int
		if err := tx.QueryRow(`SELECT count(*) FROM cancellations WHERE doc_id = ?`, id).Scan(&cancelled); err != nil {
			return err
		}
		if cancelled > 0 {
			return tx.markCancelled(table, id)
		}
	case *books.CreditNote:
		sign := int64(0)
		if d.Restock {
			sign = 1
		}
		if err := tx.deriveLines(table, id, d.Date, d.Lines, sign); err != nil {
			return err
		}
		if err := tx.deriveMoney(table, id, d.Date, d.Refunds, false); err != nil {
			return err
		}
		if d.Party != nil && d.Party.ID != "" {
			if err := tx.ledger(id, d.Party.ID, table, d.Date, d.Number, d.Refunded, d.GrandTotal); err != nil {
				return err
			}
		}
	case *books.Purchase:
		if err := tx.deriveLines(table, id, d.Date, d.Lines, 1); err != nil {
			return err
		}
		if err := tx.deriveMoney(table, id, d.Date, d.Payments, false); err != nil {
			return err
		}
		if d.Party != nil && d.Party.ID != "" {
			if err := tx.ledger(id, d.Party.ID, table, d.Date, d.BillNumber, d.Paid, d.GrandTotal); err != nil {
				return err
			}
		}
	case *books.Payment:
		in := d.Direction == books.PaymentIn
		if err := tx.deriveMoney(table, id, d.Date, []books.PaymentPart{{Mode: d.Mode, Amount: d.Amount}}, in); err != nil {
			return err
		}
		if d.Party != nil && d.Party.ID != "" {
			debit, credit := int64(0), d.Amount
			if !in {
				debit, credit = d.Amount, 0
			}
			if err := tx.ledger(id, d.Party.ID, table, d.Date, "", debit, credit); err != nil {
				return err
			}
		}
	case *books.Expense:
		return tx.deriveMoney(table, id, d.Date, []books.PaymentPart{{Mode: d.Mode, Amount: d.Amount}}, false)
	case *books.StockAdjustment:
		return tx.deriveLines(table, id, d.Date, []books.Line{{ProductID: d.ProductID, Qty: d.Qty}}, 1)
	case *books.Cancellation:
		return tx.markCancelled(d.DocTable, d.DocID)
	}
	return nil
}

// decodeDoc decodes a document of table into its books type.
func decodeDoc(table string, data []byte) (any, error) {
	var doc any
	switch table {
	case "invoices":
		doc = new(books.Invoice)
	case "credit_notes":
		doc = new(books.CreditNote)
	case "purchases":
		doc = new(books.Purchase)
	case "payments":
		doc = new(books.Payment)
	case "expenses":
		doc = new(books.Expense)
	case "stock_adjustments":
		doc = new(books.StockAdjustment)
	case "cancellations":
		doc = new(books.Cancellation)
	case "export_details":
		doc = new(books.ExportDetails)
	default:
		return nil, nil
	}
	return doc, gojson.Unmarshal(data, doc) // encoding/json's rules, ~3× faster
}

// deriveLines writes doc_lines and queues their stock effects; stockSign is
// the stock effect per unit (-1 sale, +1 purchase or restocked return, 0
// none). Rows go in prepared multi-row INSERTs of up to maxBatch rows.
func (tx *Tx) deriveLines(table, id, date string, lines []books.Line, stockSign int64) error {
	if b := tx.batch; b != nil {
		// Written with the page's other lines (bulkapply.go); the
		// document's own values are boxed once for all its lines.
		idv, tv, dv := any(id), any(table), any(date)
		for i, l := range lines {
			b.lines.add(idv, i, tv, dv, l.ProductID, l.HSN, l.Unit, l.Qty, int64(l.Rate),
				l.Taxable, l.CGST, l.SGST, l.IGST, l.Cess, l.Total, l.Cost, stockSign*l.Qty)
		}
	} else {
		args := make([]any, 0, maxBatch*lineCols)
		for start := 0; start < len(lines); start += maxBatch {
			chunk := lines[start:min(start+maxBatch, len(lines))]
			args = args[:0]
			for i, l := range chunk {
				args = append(args, id, start+i, table, date, l.ProductID, l.HSN, l.Unit, l.Qty, int64(l.Rate),
					l.Taxable, l.CGST, l.SGST, l.IGST, l.Cess, l.Total, l.Cost, stockSign*l.Qty)
			}
			if _, err := tx.Exec(insLines(len(chunk)), args...); err != nil {
				return err
			}
		}
	}
	if stockSign == 0 {
		return nil
	}
	var moves []stockMoveRow
	if b := tx.batch; b != nil {
		moves = b.stock // summed in memory once the page is in (bulk.go)
	} else {
		moves = make([]stockMoveRow, 0, len(lines))
	}
	for _, l := range lines {
		if l.ProductID == "" || l.Qty == 0 {
			continue
		}
		m := stockMoveRow{product: l.ProductID, date: date}
		if d := stockSign * l.Qty; d > 0 {
			m.in = d
		} else {
			m.out = -d
		}
		moves = append(moves, m)
	}
	if b := tx.batch; b != nil {
		b.stock = moves
		return nil
	}
	return tx.queueStock(moves)
}

func (tx *Tx) deriveMoney(table, id, date string, parts []books.PaymentPart, in bool) error {
	n := 0
	for _, p := range parts {
		if p.Mode == books.ModeCredit || p.Amount == 0 {
			continue
		}
		ain, aout := p.Amount, int64(0)
		if !in {
			ain, aout = 0, p.Amount
		}
		if tx.batch != nil {
			tx.batch.money.add(id, n, table, date, p.Mode, ain, aout)
		} else if _, err := tx.Exec(insMoney, id, n, table, date, p.Mode, ain, aout); err != nil {
			return err
		}
		n++
	}
	return nil
}

// markCancelled voids a document's derived effects (idempotent).
func (tx *Tx) markCancelled(table, id string) error {
	if table != "invoices" {
		return nil
	}
	var date string
	err := tx.QueryRow(`UPDATE invoices SET cancelled = 1 WHERE id = ? AND cancelled = 0 RETURNING date`, id).Scan(&date)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // absent (its cancellation arrived first) or already cancelled
	}
	if err != nil {
		return err
	}
	tx.dayChanged(date)
	// Take the lines' stock effects out again: a sale's out becomes less
	// (in bulk mode too: bulk.go's finish folds them with the rest, or
	// derives stock from doc_lines anew).
	if _, err := tx.Exec(`INSERT INTO stock_pending(product_id, date, qty_in, qty_out)
		SELECT product_id, date, -max(stock_delta, 0), -max(-stock_delta, 0) FROM doc_lines
		WHERE doc_table = ? AND date = ? AND doc_id = ? AND cancelled = 0 AND stock_delta <> 0
		AND product_id IS NOT NULL AND product_id <> ''`, table, date, id); err != nil {
		return err
	}
	tx.s.stockQueued()
	if _, err := tx.Exec(`UPDATE doc_lines SET cancelled = 1 WHERE doc_table = ? AND date = ? AND doc_id = ?`, table, date, id); err != nil {
		return err
	}
	for _, q := range []string{
		`UPDATE ledger SET cancelled = 1 WHERE doc_id = ?`,
		`UPDATE money_moves SET cancelled = 1 WHERE doc_id = ?`,
	} {
		if _, err := tx.Exec(q, id); err != nil {
			return err
		}
	}
	return nil
}
