package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// ServerRow is one change the server itself makes to a business's synced
// rows: a WhatsApp message's status, an opt-out, a payment received through
// a payment link. Every device of the business pulls it like any other
// change (DESIGN.md, "Server integrations").
type ServerRow struct {
	Table string // a synced table, e.g. "payments" or "wa_messages"
	ID    string // the row's UUID
	// Op is protocol.OpUpsert (set the fields in Data on a record),
	// protocol.OpDelete (tombstone a record) or protocol.OpInsert (a whole
	// document, written once).
	Op   string
	Data json.RawMessage // a JSON object
	// Stamp is the change's stamp, normally protocol.ServerStamp of the
	// time of the event it records: the same event written twice then
	// changes nothing the second time, and an older event arriving late
	// never overwrites a newer one. Zero: stamped now, after the row's
	// current stamp, so the write wins over everything written before it.
	Stamp protocol.HLC
}

// WriteServerRows merges rows into the business's sync log as the server's
// own device (protocol.ServerDevice), in one transaction, by the merge rule
// every device uses (protocol.Merge): record fields by stamp, documents
// insert-if-absent. Each row that changes gets the business's next seq,
// serialised with pushes exactly as a push's rows are, so a device's pull
// cursor never skips it. It returns how many rows changed; a row that
// changes nothing (written before, or older than what is stored) costs no
// seq and no device pulls it again.
func (db *DB) WriteServerRows(ctx context.Context, businessID string, rows []ServerRow, now time.Time) (int, error) {
	in, err := checkServerRows(rows, now)
	if err != nil {
		return 0, err
	}
	changed := 0
	// On SQLite the one writer connection belongs to the push goroutine:
	// the write waits its turn there, between two group commits.
	err = db.writeTx(ctx, func(tx *sql.Tx) error {
		n, err := db.writeServerRowsTx(ctx, tx, businessID, rows, in, now)
		changed = n
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("write server rows: %w", err)
	}
	return changed, nil
}

// checkServerRows checks server rows as a push's mutations are checked.
func checkServerRows(rows []ServerRow, now time.Time) ([]protocol.Row, error) {
	in := make([]protocol.Row, len(rows))
	for i, r := range rows {
		stamp := r.Stamp
		if stamp.IsZero() {
			stamp = protocol.ServerStamp(now, 0) // replaced once the stored row is read
		}
		if stamp.Device != protocol.ServerDevice {
			return nil, fmt.Errorf("server row %s %s: the stamp must be the server's, not device %q", r.Table, r.ID, stamp.Device)
		}
		if err := protocol.CheckSkew(stamp, now); err != nil {
			return nil, fmt.Errorf("server row %s %s: %w", r.Table, r.ID, err)
		}
		row, rej := core.CheckMutation(protocol.Mutation{Table: r.Table, ID: r.ID, HLC: stamp.String(), Op: r.Op, Data: r.Data})
		if rej != nil {
			return nil, fmt.Errorf("server row %s %s: %s", r.Table, r.ID, rej.Message)
		}
		in[i] = row
	}
	return in, nil
}

// lockCounterPostgres takes the business's seq counter row for the
// transaction, as a push does first.
const (
	lockCounterPostgres = `SELECT seq FROM sync_counters WHERE business_id = $1 FOR UPDATE`
	lockCounterSQLite   = `SELECT seq FROM sync_counters WHERE business_id = $1`
)

func (db *DB) writeServerRowsTx(ctx context.Context, tx *sql.Tx, businessID string, rows []ServerRow, in []protocol.Row, now time.Time) (int, error) {
	q := lockCounterSQLite
	if db.dialect.name == "postgres" {
		q = lockCounterPostgres
	}
	var seq int64
	err := tx.QueryRowContext(ctx, q, businessID).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, core.Errorf(protocol.CodeNotFound, "There is no business %s on this server.", businessID)
	}
	if err != nil {
		return 0, fmt.Errorf("lock seq: %w", err)
	}
	cur, err := db.loadRowsSQLite(ctx, tx, businessID, in)
	if err != nil {
		return 0, err
	}
	var order []rowKey
	for i, r := range in {
		k := rowKey{r.Table, r.ID}
		c := cur[k]
		var curRow *protocol.Row
		if c != nil {
			curRow = &c.row
		}
		if rows[i].Stamp.IsZero() {
			var last protocol.HLC
			if curRow != nil {
				last, _ = protocol.ParseHLC(curRow.HLC)
			}
			stamp := protocol.NewClock(protocol.ServerDevice, last, func() time.Time { return now }).Now().String()
			r.HLC = stamp
			for f := range r.FieldHLC {
				r.FieldHLC[f] = stamp
			}
		}
		out, ch := protocol.Merge(protocol.TableKind(r.Table), curRow, r)
		if !ch {
			continue
		}
		if c == nil || !c.dirty {
			order = append(order, k)
		}
		cur[k] = &loadedRow{row: out, device: protocol.ServerDevice, dirty: true}
	}
	if len(order) == 0 {
		return 0, nil
	}
	w := make([]writeRow, len(order))
	for i, k := range order {
		r := cur[k].row
		seq++
		w[i] = writeRow{table: r.Table, id: r.ID, hlc: r.HLC, data: string(r.DataJSON()),
			fieldStamp: encodeStamps(r.FieldHLC), device: protocol.ServerDevice, seq: seq}
		if r.Deleted {
			w[i].deleted = 1
		}
	}
	if err := db.writeRowsSQLite(ctx, tx, businessID, w, now); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sync_counters SET seq = $1 WHERE business_id = $2`, seq, businessID); err != nil {
		return 0, fmt.Errorf("advance seq: %w", err)
	}
	return len(order), nil
}
