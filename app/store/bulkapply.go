package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unsafe"

	"github.com/ainaukar/naukar/sync/protocol"
)

// A page of a new device's bulk download (bulk.go) is written in
// multi-row statements rather than row by row: the rows of a run of
// records and documents go in one INSERT per table and a few hundred rows,
// and so do the lines, money moves, ledger rows and product codes derived
// from them. The merge is the same as row by row: a record or document is
// inserted only where the books have no row of that id (ON CONFLICT DO
// NOTHING … RETURNING says which went in); a record the books already hold
// is merged field by field by the one row path (applyChange), and a
// document they hold is left as it is. Rows whose effects reach other rows
// (cancellations, tables this build does not know) end the run and are
// applied on their own, in page order.

// bulkDocTables are the documents a page writes in runs.
var bulkDocTables = map[string]bool{"invoices": true, "credit_notes": true, "purchases": true, "payments": true,
	"expenses": true, "stock_adjustments": true, "export_details": true}

// maxVars bounds the parameters of one multi-row statement (SQLite allows
// 32,766) and maxRows its rows (a variable for tests).
const maxVars = 16000

var maxRows = 500

// rowSet collects the parameters of rows of cols columns.
type rowSet struct {
	cols int
	args []any
}

func (r *rowSet) add(v ...any) { r.args = append(r.args, v...) }

// pageBatch is a run of a page being written (Tx.batch points at it while
// documents derive their rows).
type pageBatch struct {
	tx    *Tx
	stmts map[string]*sql.Stmt // prepared in the page's transaction
	seen  map[string]bool      // table and id of each row in the run
	docs  map[string][]int     // by table: indexes into the page
	recs  map[string][]int
	order []string // tables in the order the run met them

	lines, money, ledger, codes rowSet
	// stock are the stock effects of the page's documents, summed in
	// memory once the page is in (Store.bulkStock).
	stock []stockMoveRow
	// mayBeCancelled are invoices of the run that a cancellation already
	// in the books may void.
	mayBeCancelled []string
}

// applyPage applies a pulled page in runs (bulk mode only) and returns the
// stock effects of the documents it wrote in runs (the rest are queued in
// stock_pending as usual).
func (tx *Tx) applyPage(p *preparedPage) (int, []stockMoveRow, error) {
	changes, decoded := p.changes, p.decoded
	b := &pageBatch{tx: tx, stmts: map[string]*sql.Stmt{}, seen: map[string]bool{}, docs: map[string][]int{}, recs: map[string][]int{},
		lines: rowSet{cols: lineCols}, money: rowSet{cols: 7}, ledger: rowSet{cols: 7}, codes: rowSet{cols: 2}}
	defer b.close()
	applied := 0
	for i := range changes {
		c := &changes[i]
		doc := bulkDocTables[c.Table] && decoded[i] != nil
		rec := isKnownRecordTable(c.Table) && (c.Table != "products" || tx.s.skipSearch())
		key := c.Table + "\x00" + c.ID
		if !doc && !rec || b.seen[key] {
			n, err := b.flush(p)
			applied += n
			if err != nil {
				return applied, nil, err
			}
		}
		switch {
		case doc:
			b.note(c.Table, key)
			b.docs[c.Table] = append(b.docs[c.Table], i)
		case rec:
			b.note(c.Table, key)
			b.recs[c.Table] = append(b.recs[c.Table], i)
		default:
			ok, err := tx.applyChange(*c, decoded[i])
			if err != nil {
				return applied, nil, fmt.Errorf("apply %s %s: %w", c.Table, c.ID, err)
			}
			if ok {
				applied++
			}
		}
	}
	n, err := b.flush(p)
	return applied + n, b.stock, err
}

func (b *pageBatch) note(table, key string) {
	b.seen[key] = true
	if len(b.docs[table]) == 0 && len(b.recs[table]) == 0 {
		b.order = append(b.order, table)
	}
}

func (b *pageBatch) close() {
	for _, st := range b.stmts {
		st.Close()
	}
}

// flush writes the run collected so far and starts a new one.
func (b *pageBatch) flush(p *preparedPage) (int, error) {
	changes, decoded := p.changes, p.decoded
	if len(b.seen) == 0 {
		return 0, nil
	}
	tx := b.tx
	biz := tx.s.BusinessID()
	applied := 0
	for _, t := range b.order {
		if idx := b.recs[t]; len(idx) > 0 {
			rows := make([]protocol.Row, len(idx))
			args := make([]any, 0, 6*len(idx))
			for k, i := range idx {
				pr := &p.rows[i] // worked out with the decoding
				rows[k] = pr.rec
				r := &rows[k]
				del := 0
				if r.Deleted {
					del = 1
				}
				args = append(args, r.ID, biz, r.HLC, pr.fh, del, pr.data)
			}
			in, err := b.insert(t, "id, business_id, hlc, field_hlc, deleted, data", 6, args)
			if err != nil {
				return applied, fmt.Errorf("save %s: %w", t, err)
			}
			for k, i := range idx {
				if !in[rows[k].ID] {
					// The books hold it (a row downloaded twice): merge.
					ok, err := tx.applyChange(changes[i], decoded[i])
					if err != nil {
						return applied, fmt.Errorf("apply %s %s: %w", t, rows[k].ID, err)
					}
					if ok {
						applied++
					}
					continue
				}
				applied++
				tx.batch = b
				err := tx.afterRecord(rows[k], true)
				tx.batch = nil
				if err != nil {
					return applied, err
				}
			}
		}
		if idx := b.docs[t]; len(idx) > 0 {
			cols := "id, business_id, hlc, data"
			if more, ok := docCols[t]; ok {
				cols += ", " + more
			}
			n := strings.Count(cols, ",") + 1
			args := make([]any, 0, n*len(idx))
			for _, i := range idx {
				c := &changes[i]
				// The page's JSON is not changed after it is read, and the
				// driver copies a bound string: no copy of the 2 kB of a
				// bill is made here (a download's pages are 400 MB).
				args = append(args, c.ID, biz, c.HLC, unsafe.String(unsafe.SliceData(c.Data), len(c.Data)))
				args = append(args, p.rows[i].cols...)
			}
			in, err := b.insert(t, cols, n, args)
			if err != nil {
				return applied, fmt.Errorf("save %s: %w", t, err)
			}
			tx.batch = b
			for _, i := range idx {
				c := &changes[i]
				if !in[c.ID] {
					continue // documents are insert-if-absent
				}
				applied++
				if err := tx.derive(t, c.ID, decoded[i]); err != nil {
					tx.batch = nil
					return applied, fmt.Errorf("derive %s %s: %w", t, c.ID, err)
				}
			}
			tx.batch = nil
		}
	}
	if err := b.writeDerived(); err != nil {
		return applied, err
	}
	clear(b.seen)
	clear(b.docs)
	clear(b.recs)
	b.order = b.order[:0]
	return applied, nil
}

// writeDerived writes the run's derived rows, then voids the invoices a
// cancellation already in the books names.
func (b *pageBatch) writeDerived() error {
	for _, w := range []struct {
		set         *rowSet
		head, after string
	}{
		{&b.lines, `INSERT INTO doc_lines(doc_id, n, doc_table, date, product_id, hsn, unit, qty, rate, taxable, cgst, sgst, igst, cess, total, cost, stock_delta) VALUES `, ``},
		{&b.money, `INSERT INTO money_moves(doc_id, n, doc_table, date, mode, amount_in, amount_out) VALUES `, ``},
		{&b.ledger, `INSERT INTO ledger(doc_id, party_id, doc_table, date, number, debit, credit) VALUES `,
			` ON CONFLICT(doc_id, party_id) DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit`},
		{&b.codes, `INSERT OR IGNORE INTO product_codes(code, product_id) VALUES `, ``},
	} {
		if err := b.exec(w.head, w.after, w.set.cols, w.set.args, nil); err != nil {
			return fmt.Errorf("derive: %w", err)
		}
		w.set.args = w.set.args[:0]
	}
	if len(b.mayBeCancelled) == 0 {
		return nil
	}
	ids, _ := json.Marshal(b.mayBeCancelled)
	b.mayBeCancelled = b.mayBeCancelled[:0]
	rows, err := b.tx.Query(`SELECT DISTINCT doc_id FROM cancellations WHERE doc_id IN (SELECT value FROM json_each(?))`, string(ids))
	if err != nil {
		return fmt.Errorf("read cancellations: %w", err)
	}
	var void []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		void = append(void, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range void {
		if err := b.tx.markCancelled("invoices", id); err != nil {
			return err
		}
	}
	return nil
}

// insert writes rows of table (cols, n columns each) where their id is
// new, and returns the ids it wrote.
func (b *pageBatch) insert(table, cols string, n int, args []any) (map[string]bool, error) {
	in := make(map[string]bool, len(args)/n)
	err := b.exec(`INSERT INTO `+table+`(`+cols+`) VALUES `, ` ON CONFLICT(id) DO NOTHING RETURNING id`, n, args, func(id string) { in[id] = true })
	return in, err
}

// exec runs head + k rows of n parameters + after for all of args, in
// statements of up to maxRows rows; returned, if set, hears each row a
// RETURNING clause gives.
func (b *pageBatch) exec(head, after string, n int, args []any, returned func(string)) error {
	per := max(1, min(maxRows, maxVars/n))
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
	for start := 0; start < len(args); start += per * n {
		chunk := args[start:min(start+per*n, len(args))]
		q := head + repeatJoin(row, len(chunk)/n) + after
		st, err := b.stmt(q, len(chunk) == per*n)
		if err != nil {
			return err
		}
		if returned == nil {
			if _, err := st.Exec(chunk...); err != nil {
				return err
			}
			continue
		}
		rows, err := st.Query(chunk...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			returned(id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// stmt prepares q in the page's transaction once. A statement of full
// chunks (the same every page) is prepared on the writer between pages and
// kept for the rest of the download (Store.prepareBulk): parsing thousands
// of parameters anew every page came to 0.3 s of a download.
func (b *pageBatch) stmt(q string, full bool) (*sql.Stmt, error) {
	if st, ok := b.stmts[q]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if kept := b.tx.s.bulkStmt(q, full); kept != nil {
		st = b.tx.Tx.Stmt(kept) // prepared on this one connection: not again
	} else {
		var err error
		if st, err = b.tx.Tx.Prepare(q); err != nil {
			return nil, err
		}
	}
	b.stmts[q] = st
	return st, nil
}

// bulkStmts are a bulk download's statements of full chunks, prepared on
// the writer (nil: not yet). A statement must be prepared outside any
// transaction: with one connection, a Prepare inside one would wait for
// itself; so a page notes the statements it wanted and the next page
// prepares them before its transaction begins.
type bulkStmts struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// bulkStmt is the kept statement of q, if any (noting a full one wanted).
func (s *Store) bulkStmt(q string, full bool) *sql.Stmt {
	if !full {
		return nil
	}
	s.bulkQs.mu.Lock()
	defer s.bulkQs.mu.Unlock()
	if s.bulkQs.stmts == nil {
		s.bulkQs.stmts = map[string]*sql.Stmt{}
	}
	st, ok := s.bulkQs.stmts[q]
	if !ok {
		s.bulkQs.stmts[q] = nil
	}
	return st
}

// prepareBulk prepares the statements pages have wanted (outside a
// transaction).
func (s *Store) prepareBulk(ctx context.Context) error {
	s.bulkQs.mu.Lock()
	defer s.bulkQs.mu.Unlock()
	for q, st := range s.bulkQs.stmts {
		if st != nil {
			continue
		}
		st, err := s.w.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare a page's statement: %w", err)
		}
		s.bulkQs.stmts[q] = st
	}
	return nil
}

// closeBulk closes the statements kept for a bulk download.
func (s *Store) closeBulk() {
	s.bulkQs.mu.Lock()
	defer s.bulkQs.mu.Unlock()
	for _, st := range s.bulkQs.stmts {
		if st != nil {
			st.Close()
		}
	}
	s.bulkQs.stmts = nil
}

// ledger writes a document's row in a party's account (or, in a page
// batch, collects it).
func (tx *Tx) ledger(docID, partyID, table, date, number string, debit, credit int64) error {
	if tx.batch != nil {
		tx.batch.ledger.add(docID, partyID, table, date, number, debit, credit)
		return nil
	}
	_, err := tx.Exec(insLedger, docID, partyID, table, date, number, debit, credit)
	return err
}
