package store

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ainaukar/naukar/sync/protocol"
)

// canonical marshals v to its fields and their canonical JSON (sorted keys),
// the form every replica stores, so synced tables compare byte for byte.
func canonical(v any) (map[string]json.RawMessage, []byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, nil, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, nil, err
	}
	return fields, protocol.Row{Fields: fields}.DataJSON(), nil
}

// recordRow reads the current merge state of a record ("" table-specific
// tables use unknown_rows). It returns nil when absent.
func (tx *Tx) recordRow(table, id string) (*protocol.Row, error) {
	var data, fieldHLC, hlc string
	var err error
	if isKnownRecordTable(table) {
		err = tx.QueryRow(recordRowQuery(table), id).Scan(&data, &fieldHLC, &hlc)
	} else {
		err = tx.QueryRow(`SELECT data, field_hlc, hlc FROM unknown_rows WHERE tbl = ? AND id = ?`, table, id).Scan(&data, &fieldHLC, &hlc)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", table, id, err)
	}
	r := &protocol.Row{Table: table, ID: id, HLC: hlc}
	if err := json.Unmarshal([]byte(data), &r.Fields); err != nil {
		return nil, fmt.Errorf("read %s %s: %w", table, id, err)
	}
	if err := json.Unmarshal([]byte(fieldHLC), &r.FieldHLC); err != nil {
		return nil, fmt.Errorf("read %s %s: %w", table, id, err)
	}
	return r, nil
}

func isKnownRecordTable(t string) bool {
	switch t {
	case "business", "products", "parties", "expense_categories", "message_templates", "staff":
		return true
	}
	return false
}

// stampsJSON is json.Marshal of a row's field stamps (the same bytes),
// written without reflection (protocol.AppendStamps).
func stampsJSON(m map[string]string) []byte {
	if m == nil {
		return []byte("null")
	}
	return protocol.AppendStamps(nil, m)
}

// writeRecord stores the merged row.
func (tx *Tx) writeRecord(r protocol.Row, insert bool) error {
	fh := stampsJSON(r.FieldHLC)
	data := r.DataJSON()
	del := 0
	if r.Deleted {
		del = 1
	}
	var err error
	switch {
	case !isKnownRecordTable(r.Table):
		_, err = tx.Exec(`INSERT INTO unknown_rows(tbl, id, business_id, hlc, field_hlc, deleted, data) VALUES (?,?,?,?,?,?,?)
			ON CONFLICT(tbl, id) DO UPDATE SET hlc = excluded.hlc, field_hlc = excluded.field_hlc, deleted = excluded.deleted, data = excluded.data`,
			r.Table, r.ID, tx.s.BusinessID(), r.HLC, string(fh), del, string(data))
	case r.Table == "products":
		return tx.writeProduct(r, insert, string(fh), del, string(data))
	case insert:
		_, err = tx.Exec(insRecord(r.Table), r.ID, tx.s.BusinessID(), r.HLC, string(fh), del, string(data))
	default:
		_, err = tx.Exec(updRecord(r.Table), r.HLC, string(fh), del, string(data), r.ID)
	}
	if err != nil {
		return fmt.Errorf("save %s %s: %w", r.Table, r.ID, err)
	}
	return tx.afterRecord(r, insert)
}

func insRecord(table string) string {
	return `INSERT INTO ` + table + `(id, business_id, hlc, field_hlc, deleted, data) VALUES (?,?,?,?,?,?)`
}

func updRecord(table string) string {
	return `UPDATE ` + table + ` SET hlc = ?, field_hlc = ?, deleted = ?, data = ? WHERE id = ?`
}

func recordRowQuery(table string) string {
	return `SELECT data, field_hlc, hlc FROM ` + table + ` WHERE id = ?`
}

// Product rows keep their search rows in step (migration 0006): the old
// name and SKU leave product_fts before an update, the new ones enter after.
const (
	insProduct = `INSERT INTO products(id, business_id, hlc, field_hlc, deleted, data) VALUES (?,?,?,?,?,?) RETURNING rid, coalesce(name, ''), coalesce(sku, '')`
	oldProduct = `SELECT rid, coalesce(name, ''), coalesce(sku, '') FROM products WHERE id = ?`
	updProduct = `UPDATE products SET hlc = ?, field_hlc = ?, deleted = ?, data = ? WHERE id = ? RETURNING coalesce(name, ''), coalesce(sku, '')`
	ftsDelete  = `INSERT INTO product_fts(product_fts, rowid, name, sku) VALUES ('delete', ?, ?, ?)`
	ftsInsert  = `INSERT INTO product_fts(rowid, name, sku) VALUES (?, ?, ?)`
	delCodes   = `DELETE FROM product_codes WHERE product_id = ?`
	insCode    = `INSERT OR IGNORE INTO product_codes(code, product_id) VALUES (?, ?)`
)

func (tx *Tx) writeProduct(r protocol.Row, insert bool, fh string, del int, data string) error {
	var rid int64
	var name, sku string
	if insert {
		if err := tx.QueryRow(insProduct, r.ID, tx.s.BusinessID(), r.HLC, fh, del, data).Scan(&rid, &name, &sku); err != nil {
			return fmt.Errorf("save products %s: %w", r.ID, err)
		}
	} else {
		var oldName, oldSKU string
		if err := tx.QueryRow(oldProduct, r.ID).Scan(&rid, &oldName, &oldSKU); err != nil {
			return fmt.Errorf("save products %s: %w", r.ID, err)
		}
		if err := tx.QueryRow(updProduct, r.HLC, fh, del, data, r.ID).Scan(&name, &sku); err != nil {
			return fmt.Errorf("save products %s: %w", r.ID, err)
		}
		if name == oldName && sku == oldSKU || tx.s.skipSearch() {
			return tx.afterRecord(r, insert)
		}
		if _, err := tx.Exec(ftsDelete, rid, oldName, oldSKU); err != nil {
			return fmt.Errorf("search index of %s: %w", r.ID, err)
		}
	}
	if tx.s.skipSearch() {
		return tx.afterRecord(r, insert) // the search index is rebuilt when the download ends
	}
	if _, err := tx.Exec(ftsInsert, rid, name, sku); err != nil {
		return fmt.Errorf("search index of %s: %w", r.ID, err)
	}
	return tx.afterRecord(r, insert)
}

// afterRecord keeps derived tables of a record in step.
func (tx *Tx) afterRecord(r protocol.Row, insert bool) error {
	if r.Table != "products" {
		return nil
	}
	if !insert {
		if _, err := tx.Exec(delCodes, r.ID); err != nil {
			return err
		}
	}
	if r.Deleted {
		return nil
	}
	var codes []string
	if b := r.Fields["barcodes"]; len(b) > 0 {
		_ = json.Unmarshal(b, &codes)
	}
	var sku string
	if b := r.Fields["sku"]; len(b) > 0 {
		_ = json.Unmarshal(b, &sku)
	}
	if sku != "" {
		codes = append(codes, sku)
	}
	for _, c := range codes {
		if tx.batch != nil {
			tx.batch.codes.add(c, r.ID) // written with the page's other codes (bulkapply.go)
		} else if _, err := tx.Exec(insCode, c, r.ID); err != nil {
			return err
		}
	}
	return nil
}

// putRecord saves v as record id of table: only the fields that changed are
// stamped and queued for sync. It reports whether anything changed.
func (tx *Tx) putRecord(table, id string, v any) (bool, error) {
	fields, _, err := canonical(v)
	if err != nil {
		return false, err
	}
	cur, err := tx.recordRow(table, id)
	if err != nil {
		return false, err
	}
	changed := map[string]json.RawMessage{}
	for k, nv := range fields {
		if cur == nil || !bytes.Equal(cur.Fields[k], nv) {
			changed[k] = nv
		}
	}
	if cur != nil {
		// A field left out of the new JSON (omitempty) was cleared.
		for k, ov := range cur.Fields {
			if _, ok := fields[k]; !ok && !bytes.Equal(ov, []byte("null")) {
				changed[k] = json.RawMessage("null")
			}
		}
	}
	if len(changed) == 0 {
		return false, nil
	}
	return true, tx.applyLocal(table, id, protocol.OpUpsert, changed, cur)
}

// deleteRecord tombstones a record.
func (tx *Tx) deleteRecord(table, id string) error {
	cur, err := tx.recordRow(table, id)
	if err != nil {
		return err
	}
	if cur == nil {
		return nil
	}
	return tx.applyLocal(table, id, protocol.OpDelete, map[string]json.RawMessage{}, cur)
}

func (tx *Tx) applyLocal(table, id, op string, changed map[string]json.RawMessage, cur *protocol.Row) error {
	stamp := tx.stamp()
	data := protocol.Row{Fields: changed}.DataJSON()
	m := protocol.Mutation{Table: table, ID: id, HLC: stamp, Op: op, Data: data}
	in, err := protocol.RowFromMutation(m)
	if err != nil {
		return err
	}
	merged, _ := protocol.Merge(protocol.KindRecord, cur, in)
	if err := tx.writeRecord(merged, cur == nil); err != nil {
		return err
	}
	return tx.enqueue(m)
}

// enqueue writes the outbox entry of a change.
func (tx *Tx) enqueue(m protocol.Mutation) error {
	if _, err := tx.Exec(insOutbox, m.Table, m.ID, m.HLC, m.Op, string(m.Data)); err != nil {
		return fmt.Errorf("queue %s %s for sync: %w", m.Table, m.ID, err)
	}
	return nil
}

// getRecord loads a record's data into v; ok is false if absent.
func (s *Store) getRecord(q querier, table, id string, v any) (deleted bool, ok bool, err error) {
	var data string
	var del int
	err = q.QueryRow(`SELECT data, deleted FROM `+table+` WHERE id = ?`, id).Scan(&data, &del)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("read %s %s: %w", table, id, err)
	}
	if err := json.Unmarshal([]byte(data), v); err != nil {
		return false, false, fmt.Errorf("read %s %s: %w", table, id, err)
	}
	return del == 1, true, nil
}

type querier interface {
	QueryRow(query string, args ...any) *sql.Row
	Query(query string, args ...any) (*sql.Rows, error)
}
