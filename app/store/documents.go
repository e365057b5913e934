package store

import (
	"encoding/json"
	"fmt"

	"github.com/ainaukar/naukar/app/books"
	nsync "github.com/ainaukar/naukar/sync"
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
	res, err := tx.Exec(insDocument(table), id, tx.s.businessID, hlc, string(data))
	if err != nil {
		return false, fmt.Errorf("save %s %s: %w", table, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if doc == nil {
		if doc, err = decodeDoc(table, data); err != nil {
			return false, fmt.Errorf("read %s %s: %w", table, id, err)
		}
	}
	if err := tx.derive(table, id, doc); err != nil {
		return false, fmt.Errorf("derive %s %s: %w", table, id, err)
	}
	return true, nil
}

// createDocument stamps, inserts and queues a new local document.
func (tx *Tx) createDocument(table, id string, doc any) error {
	stamp := tx.stamp()
	_, data, err := canonical(doc)
	if err != nil {
		return err
	}
	if _, err := tx.insertDoc(table, id, stamp, data, doc); err != nil {
		return err
	}
	return tx.enqueue(nsync.Mutation{Table: table, ID: id, HLC: stamp, Op: nsync.OpInsert, Data: data})
}

const (
	insLine   = `INSERT INTO doc_lines(doc_id, n, doc_table, date, product_id, hsn, unit, qty, rate, taxable, cgst, sgst, igst, cess, total, cost, stock_delta) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
	insLedger = `INSERT INTO ledger(doc_id, party_id, doc_table, date, number, debit, credit) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT(doc_id, party_id) DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit`
	insMoney = `INSERT INTO money_moves(doc_id, n, doc_table, date, mode, amount_in, amount_out) VALUES (?,?,?,?,?,?,?)`
	addStock = `INSERT INTO stock_levels(product_id, qty) SELECT product_id, sum(stock_delta) FROM doc_lines
		WHERE doc_id = ? AND product_id IS NOT NULL AND product_id <> '' GROUP BY product_id
		ON CONFLICT(product_id) DO UPDATE SET qty = qty + excluded.qty`
)

// derive writes the derived rows of one document. A cancellation that
// arrived before its document (possible across devices) is honoured here.
func (tx *Tx) derive(table, id string, doc any) error {
	switch d := doc.(type) {
	case *books.Invoice:
		if err := tx.deriveLines(table, id, d.Date, d.Lines, -1); err != nil {
			return err
		}
		if err := tx.deriveMoney(table, id, d.Date, d.Payments, true); err != nil {
			return err
		}
		if d.Party != nil && d.Party.ID != "" {
			if _, err := tx.Exec(insLedger, id, d.Party.ID, table, d.Date, d.Number, d.GrandTotal, d.Paid); err != nil {
				return err
			}
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
			if _, err := tx.Exec(insLedger, id, d.Party.ID, table, d.Date, d.Number, d.Refunded, d.GrandTotal); err != nil {
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
			if _, err := tx.Exec(insLedger, id, d.Party.ID, table, d.Date, d.BillNumber, d.Paid, d.GrandTotal); err != nil {
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
			if _, err := tx.Exec(insLedger, id, d.Party.ID, table, d.Date, "", debit, credit); err != nil {
				return err
			}
		}
	case *books.Expense:
		return tx.deriveMoney(table, id, d.Date, []books.PaymentPart{{Mode: d.Mode, Amount: d.Amount}}, false)
	case *books.StockAdjustment:
		if _, err := tx.Exec(insLine, id, 0, table, d.Date, d.ProductID, "", "", d.Qty, 0, 0, 0, 0, 0, 0, 0, 0, d.Qty); err != nil {
			return err
		}
		_, err := tx.Exec(addStock, id)
		return err
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
	default:
		return nil, nil
	}
	return doc, json.Unmarshal(data, doc)
}

// deriveLines writes doc_lines; stockSign is the stock effect per unit (-1
// sale, +1 purchase or restocked return, 0 none).
func (tx *Tx) deriveLines(table, id, date string, lines []books.Line, stockSign int64) error {
	for i, l := range lines {
		if _, err := tx.Exec(insLine, id, i, table, date, l.ProductID, l.HSN, l.Unit, l.Qty, int64(l.Rate),
			l.Taxable, l.CGST, l.SGST, l.IGST, l.Cess, l.Total, l.Cost, stockSign*l.Qty); err != nil {
			return err
		}
	}
	if stockSign != 0 {
		_, err := tx.Exec(addStock, id)
		return err
	}
	return nil
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
		if _, err := tx.Exec(insMoney, id, n, table, date, p.Mode, ain, aout); err != nil {
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
	res, err := tx.Exec(`UPDATE invoices SET cancelled = 1 WHERE id = ? AND cancelled = 0`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // absent (its cancellation arrived first) or already cancelled
	}
	if _, err := tx.Exec(`INSERT INTO stock_levels(product_id, qty) SELECT product_id, -sum(stock_delta) FROM doc_lines
		WHERE doc_id = ? AND cancelled = 0 AND product_id IS NOT NULL AND product_id <> '' GROUP BY product_id
		ON CONFLICT(product_id) DO UPDATE SET qty = qty + excluded.qty`, id); err != nil {
		return err
	}
	for _, q := range []string{
		`UPDATE doc_lines SET cancelled = 1 WHERE doc_id = ?`,
		`UPDATE ledger SET cancelled = 1 WHERE doc_id = ?`,
		`UPDATE money_moves SET cancelled = 1 WHERE doc_id = ?`,
	} {
		if _, err := tx.Exec(q, id); err != nil {
			return err
		}
	}
	return nil
}
