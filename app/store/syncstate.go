package store

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	gosync "sync"

	gojson "github.com/goccy/go-json"

	"github.com/ainaukar/naukar/app/books"

	"github.com/ainaukar/naukar/sync/protocol"
)

// pendingSQL reads the outbox; a document's entry has no data of its own
// and takes it from the document's row.
var pendingSQL = func() string {
	q := `SELECT n, tbl, row_id, hlc, op, CASE WHEN data <> '' THEN data`
	for _, t := range syncedTables {
		if protocol.TableKind(t) == protocol.KindDocument {
			q += ` WHEN tbl = '` + t + `' THEN (SELECT data FROM ` + t + ` WHERE id = row_id)`
		}
	}
	return q + ` END FROM outbox ORDER BY n LIMIT ?`
}()

// PendingMutations returns up to limit queued changes in order.
func (s *Store) PendingMutations(limit int) ([]protocol.Mutation, error) {
	rows, err := s.r.Query(pendingSQL, limit)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []protocol.Mutation
	for rows.Next() {
		var m protocol.Mutation
		var data string
		if err := rows.Scan(&m.N, &m.Table, &m.ID, &m.HLC, &m.Op, &data); err != nil {
			return nil, err
		}
		m.Data = json.RawMessage(data)
		out = append(out, m)
	}
	return out, rows.Err()
}

// PendingCount is the number of changes waiting to be pushed.
func (s *Store) PendingCount() (int, error) {
	var n int
	err := s.r.QueryRow(`SELECT count(*) FROM outbox`).Scan(&n)
	return n, err
}

// AckMutations removes outbox entries the server has applied (n <= lastN).
func (s *Store) AckMutations(lastN int64) error {
	return s.tx(context.Background(), func(tx *Tx) error {
		if _, err := tx.Exec(`DELETE FROM outbox WHERE n <= ?`, lastN); err != nil {
			return err
		}
		return tx.setMeta(map[string]string{"acked_n": strconv.FormatInt(lastN, 10)})
	})
}

// ApplyChanges merges a pulled page into the books and records the cursor,
// in one transaction, so a dropped link resumes where it stopped. It uses
// the same merge as the server: records per field by stamp, documents
// insert-if-absent with their derived effects.
func (s *Store) ApplyChanges(ctx context.Context, changes []protocol.Change, cursor int64) (applied int, err error) {
	p, err := decodeChanges(changes, s.mayBulk(len(changes)))
	if err != nil {
		return 0, err
	}
	return s.applyDecoded(ctx, p, cursor)
}

// preparedPage is a pulled page with its documents and record fields
// decoded, and what a bulk page writes for each change worked out
// (decodeChanges).
type preparedPage struct {
	changes []protocol.Change
	decoded []any
	rows    []pageRow
}

// pageRow is what a page applied in bulk writes for a change, worked out
// with the decoding (off the books' writer): a document's plain columns,
// or a record as it is stored when the books do not hold it yet.
type pageRow struct {
	cols     []any
	rec      protocol.Row
	fh, data string
}

// PreparePage decodes a pulled page before it is applied: the sync engine
// does this for the next page while the books' one writer still writes the
// page before it.
func (s *Store) PreparePage(changes []protocol.Change) (any, error) {
	return decodeChanges(changes, s.mayBulk(len(changes)))
}

// mayBulk reports whether a page of n changes may be applied in bulk (bulk
// mode, or a first page big enough to start it).
func (s *Store) mayBulk(n int) bool { return s.bulk.Load() || n >= s.bulkFrom }

// bulkRow works out what a page applied in bulk writes for change c (its
// document or record fields decoded).
func bulkRow(c protocol.Change, decoded any) pageRow {
	if protocol.TableKind(c.Table) == protocol.KindDocument {
		return pageRow{cols: docColumns(decoded, c.Data)}
	}
	if !isKnownRecordTable(c.Table) {
		return pageRow{}
	}
	fields, _ := decoded.(map[string]json.RawMessage)
	r := pageRow{}
	r.rec, _ = protocol.Merge(protocol.KindRecord, nil, recordIn(c, fields))
	r.fh, r.data = string(stampsJSON(r.rec.FieldHLC)), string(r.rec.DataJSON())
	return r
}

// ApplyPrepared is ApplyChanges for a page PreparePage has read.
func (s *Store) ApplyPrepared(ctx context.Context, page any, cursor int64) (int, error) {
	p, ok := page.(*preparedPage)
	if !ok {
		return 0, fmt.Errorf("apply a pulled page: not a prepared page (%T)", page)
	}
	return s.applyDecoded(ctx, p, cursor)
}

// applyDecoded is ApplyChanges after decodeChanges.
func (s *Store) applyDecoded(ctx context.Context, p *preparedPage, cursor int64) (applied int, err error) {
	changes, decoded := p.changes, p.decoded
	if err := s.maybeStartBulk(ctx, len(changes)); err != nil {
		return 0, err
	}
	if s.bulk.Load() {
		if err := s.prepareBulk(ctx); err != nil {
			return 0, err
		}
	}
	var pageStock []stockMoveRow
	defer func() {
		if err == nil && len(pageStock) > 0 {
			s.noteBulkStock(pageStock)
		}
	}()
	err = s.tx(ctx, func(tx *Tx) error {
		if s.bulk.Load() {
			// A new device's download into empty books: the page goes in
			// multi-row statements (bulkapply.go).
			for _, c := range changes {
				if h, err := protocol.ParseHLC(c.HLC); err == nil {
					if err := s.clock.Observe(h); err != nil {
						return err
					}
					tx.hlc = s.clock.Last()
				}
			}
			if p.rows == nil { // read before bulk mode began
				p.rows = make([]pageRow, len(changes))
				for i, c := range changes {
					p.rows[i] = bulkRow(c, decoded[i])
				}
			}
			n, moves, err := tx.applyPage(p)
			if err != nil {
				return err
			}
			applied, pageStock = n, moves
			return tx.setMeta(map[string]string{"pull_cursor": strconv.FormatInt(cursor, 10)})
		}
		for i, c := range changes {
			if h, err := protocol.ParseHLC(c.HLC); err == nil {
				if err := s.clock.Observe(h); err != nil {
					return err
				}
				tx.hlc = s.clock.Last()
			}
			ok, err := tx.applyChange(c, decoded[i])
			if err != nil {
				return fmt.Errorf("apply %s %s: %w", c.Table, c.ID, err)
			}
			if ok {
				applied++
			}
		}
		// A long download folds stock as it goes, page by page.
		if s.pendingStock.Load() >= foldRows {
			s.pendingStock.Store(0)
			if err := tx.foldStock(); err != nil {
				return err
			}
		}
		return tx.setMeta(map[string]string{"pull_cursor": strconv.FormatInt(cursor, 10)})
	})
	return applied, err
}

// decodeChanges decodes a pulled page's documents and record fields on all
// cores, before the write transaction: decoding is most of the work of
// applying a page and needs no lock. For a page that will be applied in
// bulk it works out what the page writes too (bulkRow).
func decodeChanges(changes []protocol.Change, bulk bool) (*preparedPage, error) {
	out := make([]any, len(changes))
	var rows []pageRow
	if bulk {
		rows = make([]pageRow, len(changes))
	}
	errs := make([]error, len(changes))
	workers := min(runtime.GOMAXPROCS(0), 4, 1+len(changes)/64)
	var wg gosync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(changes); i += workers {
				c := changes[i]
				if protocol.TableKind(c.Table) == protocol.KindDocument {
					out[i], errs[i] = decodeDoc(c.Table, c.Data)
				} else {
					var fields map[string]json.RawMessage
					errs[i] = gojson.Unmarshal(c.Data, &fields)
					out[i] = fields
				}
				if rows != nil && errs[i] == nil {
					rows[i] = bulkRow(c, out[i])
				}
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("read %s %s: %w", changes[i].Table, changes[i].ID, err)
		}
	}
	return &preparedPage{changes: changes, decoded: out, rows: rows}, nil
}

// applyChange merges one pulled change; decoded is its document or, for a
// record, its fields (from decodeChanges).
func (tx *Tx) applyChange(c protocol.Change, decoded any) (bool, error) {
	if protocol.TableKind(c.Table) == protocol.KindDocument {
		if decoded == nil { // a table this build does not know
			return tx.insertDocument(c.Table, c.ID, c.HLC, c.Data)
		}
		return tx.insertDoc(c.Table, c.ID, c.HLC, c.Data, decoded)
	}
	fields, _ := decoded.(map[string]json.RawMessage)
	in := recordIn(c, fields)
	cur, err := tx.recordRow(c.Table, c.ID)
	if err != nil {
		return false, err
	}
	merged, changed := protocol.Merge(protocol.KindRecord, cur, in)
	if !changed {
		return false, nil
	}
	return true, tx.writeRecord(merged, cur == nil)
}

// recordIn is a pulled record change as a row to merge: a field without a
// stamp of its own carries the change's.
func recordIn(c protocol.Change, fields map[string]json.RawMessage) protocol.Row {
	in := protocol.Row{Table: c.Table, ID: c.ID, HLC: c.HLC, FieldHLC: c.FieldHLC, Fields: fields}
	if in.FieldHLC == nil {
		in.FieldHLC = map[string]string{}
	}
	for f := range in.Fields {
		if in.FieldHLC[f] == "" {
			in.FieldHLC[f] = c.HLC
		}
	}
	return in
}

var syncedTables = []string{"business", "products", "parties", "expense_categories", "message_templates",
	"invoices", "credit_notes", "purchases", "payments", "expenses", "stock_adjustments", "cancellations", "export_details",
	"staff", "staff_overrides"}

// HasLocalData reports whether these books hold anything of their own
// (a business profile, products, parties or documents).
func (s *Store) HasLocalData() (bool, error) {
	for _, t := range syncedTables {
		var n int
		if err := s.r.QueryRow(`SELECT EXISTS (SELECT 1 FROM ` + t + `)`).Scan(&n); err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

// AdoptBusiness gives books that have never synced the server's id for
// their business (the first device of a new account uploads its books).
func (s *Store) AdoptBusiness(newID string) error {
	old := s.BusinessID()
	if old == newID {
		return nil
	}
	if cur, _ := s.Meta("pull_cursor"); cur != "" && cur != "0" {
		return books.Errorf(books.ECONFLICT, "These books already sync with another business.")
	}
	err := s.tx(context.Background(), func(tx *Tx) error {
		for _, t := range syncedTables {
			if _, err := tx.Exec(`UPDATE `+t+` SET business_id = ?`, newID); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`UPDATE unknown_rows SET business_id = ?`, newID); err != nil {
			return err
		}
		if old != "" {
			if _, err := tx.Exec(`UPDATE business SET id = ? WHERE id = ?`, newID, old); err != nil {
				return err
			}
			if _, err := tx.Exec(`UPDATE outbox SET row_id = ? WHERE tbl = 'business' AND row_id = ?`, newID, old); err != nil {
				return err
			}
		}
		if err := tx.setMeta(map[string]string{"business_id": newID}); err != nil {
			return err
		}
		// Set before the commit: a save reads the id inside its own
		// transaction, which cannot begin until this one has committed (one
		// writer connection), so no save made after the sign-in writes a row
		// under the old id.
		s.setBusinessID(newID)
		return nil
	})
	if err != nil {
		s.setBusinessID(old)
		return fmt.Errorf("adopt business: %w", err)
	}
	return nil
}

// RequeueAll queues every synced row again: records as one mutation per
// distinct field stamp (so per-field merge stays exact), documents as
// inserts. Used after a server restore; merging repeats is harmless.
func (s *Store) RequeueAll() error {
	return s.tx(context.Background(), func(tx *Tx) error {
		for _, t := range syncedTables {
			if protocol.TableKind(t) == protocol.KindDocument {
				if _, err := tx.Exec(`INSERT INTO outbox(tbl, row_id, hlc, op, data) SELECT ?, id, hlc, 'insert', '' FROM `+t+` ORDER BY rid`, t); err != nil {
					return err
				}
				continue
			}
			if err := tx.requeueRecords(`SELECT id, data, field_hlc, hlc FROM `+t, t); err != nil {
				return err
			}
		}
		return tx.requeueRecords(`SELECT id, data, field_hlc, hlc, tbl FROM unknown_rows`, "")
	})
}

func (tx *Tx) requeueRecords(q, table string) error {
	rows, err := tx.Query(q)
	if err != nil {
		return err
	}
	type rec struct{ table, id, data, fh, hlc string }
	var recs []rec
	for rows.Next() {
		var r rec
		dst := []any{&r.id, &r.data, &r.fh, &r.hlc}
		if table == "" {
			dst = append(dst, &r.table)
		} else {
			r.table = table
		}
		if err := rows.Scan(dst...); err != nil {
			rows.Close()
			return err
		}
		recs = append(recs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range recs {
		var fields map[string]json.RawMessage
		var fh map[string]string
		if err := json.Unmarshal([]byte(r.data), &fields); err != nil {
			return err
		}
		_ = json.Unmarshal([]byte(r.fh), &fh)
		byStamp := map[string]map[string]json.RawMessage{}
		for f, v := range fields {
			st := fh[f]
			if st == "" {
				st = r.hlc
			}
			if byStamp[st] == nil {
				byStamp[st] = map[string]json.RawMessage{}
			}
			byStamp[st][f] = v
		}
		stamps := make([]string, 0, len(byStamp))
		for st := range byStamp {
			stamps = append(stamps, st)
		}
		sort.Strings(stamps)
		for _, st := range stamps {
			m := protocol.Mutation{Table: r.table, ID: r.id, HLC: st, Op: protocol.OpUpsert, Data: protocol.Row{Fields: byStamp[st]}.DataJSON()}
			if err := tx.enqueue(m); err != nil {
				return err
			}
		}
	}
	return nil
}

// JoinBusiness prepares empty books to download an existing business.
// Books with data of their own are refused: they would silently mix two
// shops' books. The way out is to export them first and start fresh books.
func (s *Store) JoinBusiness(businessID, series string) error {
	if s.BusinessID() == businessID {
		return s.SetMeta(map[string]string{"series": series})
	}
	has, err := s.HasLocalData()
	if err != nil {
		return err
	}
	if has {
		return books.Errorf(books.ECONFLICT, "These books already hold another shop's data, so they cannot join this business. Export them first (naukar report … / backup the file %s), then sign in with new empty books (--books NEW_FILE).", s.path)
	}
	return s.SetMeta(map[string]string{"business_id": businessID, "series": series})
}
