package store

import (
	"context"
	"database/sql"
	"io"
	"sort"

	"github.com/ainaukar/naukar/sync/bookzip"
	"github.com/ainaukar/naukar/sync/protocol"
)

// ExportBooks writes the books on this PC as a ZIP to w, in the layout of
// the sync server's export (sync/bookzip): every synced table as JSON,
// CSV for products, parties, invoices, payments and expenses, and
// README.txt. It needs no server. The rows are read in one read
// transaction (one consistent picture while bills go on being saved) and
// streamed, never held whole in memory. progress (may be nil) hears the
// rows written so far and the total.
func (s *Store) ExportBooks(ctx context.Context, w io.Writer, progress func(done, total int64)) error {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var total int64
	for _, t := range bookTables() {
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
			return err
		}
		total += n
	}
	var unknown int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM unknown_rows`).Scan(&unknown); err != nil {
		return err
	}
	total += unknown
	var done int64
	step := func() error {
		done++
		if progress != nil && (done%1000 == 0 || done == total) {
			progress(done, total)
		}
		return ctx.Err()
	}
	name := ""
	if biz, err := s.Business(); err == nil {
		name = biz.Name
	}
	z := bookzip.NewWriter(w, s.now(), false)
	if err := z.Books(func(table string, fn func(bookzip.Row) error) error { return eachBookRow(ctx, tx, table, fn) }, step); err != nil {
		return err
	}
	return z.Close("AI Naukar: the books of "+name+" on this PC",
		"This is the counter app's own copy, made without the sync server. The server's export (Settings → Privacy)\n"+
			"also holds the account, the devices and the server's logs.")
}

// bookTables are the synced tables, sorted by name (the export's order).
func bookTables() []string {
	ts := append([]string(nil), syncedTables...)
	sort.Strings(ts)
	return ts
}

// eachBookRow calls fn for every row of table ("" every synced table,
// by table name, with the rows kept for tables of a newer app among them).
func eachBookRow(ctx context.Context, tx *sql.Tx, table string, fn func(bookzip.Row) error) error {
	tables := []string{table}
	if table == "" {
		tables = bookTables()
		var more []string
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT tbl FROM unknown_rows`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var t string
			if err := rows.Scan(&t); err != nil {
				rows.Close()
				return err
			}
			more = append(more, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		tables = append(tables, more...)
		sort.Strings(tables)
	}
	known := map[string]bool{}
	for _, t := range syncedTables {
		known[t] = true
	}
	for _, t := range tables {
		var q string
		var args []any
		switch {
		case !known[t]:
			q, args = `SELECT id, hlc, deleted, data FROM unknown_rows WHERE tbl = ? ORDER BY id`, []any{t}
		case protocol.TableKind(t) == protocol.KindDocument:
			q = `SELECT id, hlc, 0, data FROM ` + t + ` ORDER BY rowid`
		default:
			q = `SELECT id, hlc, deleted, data FROM ` + t + ` ORDER BY rowid`
		}
		if err := eachRow(ctx, tx, t, q, args, fn); err != nil {
			return err
		}
	}
	return nil
}

func eachRow(ctx context.Context, tx *sql.Tx, table, q string, args []any, fn func(bookzip.Row) error) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r := bookzip.Row{Table: table}
		var data string
		if err := rows.Scan(&r.ID, &r.HLC, &r.Deleted, &data); err != nil {
			return err
		}
		r.Data = []byte(data)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
