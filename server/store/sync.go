package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ainaukar/naukar/server/core"
	nsync "github.com/ainaukar/naukar/sync"
)

// rowsPerStatement bounds multi-row statements (10 parameters a row) under
// the parameter limits of SQLite (32766) and PostgreSQL (65535).
const rowsPerStatement = 500

// maxRejectionsPulled bounds the rejections returned with each pull.
const maxRejectionsPulled = 1000

type rowKey struct{ table, id string }

type mergedRow struct {
	row    nsync.Row
	device string
}

// Push applies a batch in one transaction: the device row is locked first
// (so retries of one device serialise), then the business's seq counter (so
// pushes of one business serialise and commit in seq order, which is what
// lets a puller trust its cursor), then the rows are merged with sync.Merge
// and written with fresh seqs, rejections stored and last_n recorded.
func (db *DB) Push(ctx context.Context, s core.Session, req nsync.PushRequest, now time.Time) (nsync.PushResponse, error) {
	resp := nsync.PushResponse{ServerTime: now.UnixMilli()}
	epoch, err := db.Epoch(ctx)
	if err != nil {
		return resp, err
	}
	resp.Epoch = epoch
	err = db.tx(ctx, func(tx *sql.Tx) error {
		var lastN int64
		var revoked sql.NullInt64
		err := tx.QueryRowContext(ctx, `UPDATE devices SET last_seen_at = $1 WHERE id = $2 AND business_id = $3
			RETURNING last_n, revoked_at`, ms(now), s.DeviceID, s.BusinessID).Scan(&lastN, &revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return core.ErrDeviceUnknown
		}
		if err != nil {
			return fmt.Errorf("lock device: %w", err)
		}
		if revoked.Valid {
			return core.ErrDeviceRevoked
		}
		resp.LastN = lastN

		n := lastN
		// After a server restore the device's numbers are ahead of what the
		// restored database remembers; the first push under the new epoch
		// says so and becomes the device's new base instead of a gap.
		if req.Rebase && req.Epoch == epoch && len(req.Mutations) > 0 && req.Mutations[0].N > n+1 {
			n = req.Mutations[0].N - 1
		}
		var apply []nsync.Row
		for _, m := range req.Mutations {
			if m.N <= n {
				continue // already applied: a retried batch changes nothing
			}
			if m.N != n+1 {
				return core.Errorf(nsync.CodeOutOfOrder,
					"Mutation %d is next for this device but the batch has %d; push again from %d (last applied %d).",
					n+1, m.N, n+1, n)
			}
			n = m.N
			row, rej := core.CheckMutation(m)
			if rej != nil {
				resp.Rejected = append(resp.Rejected, *rej)
				continue
			}
			apply = append(apply, row)
		}
		if n == lastN {
			return nil
		}

		if len(apply) > 0 {
			var seq int64
			// Locks the counter row until commit (a no-op update takes the
			// row lock on PostgreSQL; SQLite has one writer).
			err := tx.QueryRowContext(ctx, `UPDATE sync_counters SET seq = seq WHERE business_id = $1 RETURNING seq`,
				s.BusinessID).Scan(&seq)
			if err != nil {
				return fmt.Errorf("lock seq counter: %w", err)
			}
			cur, err := db.loadRows(ctx, tx, s.BusinessID, apply)
			if err != nil {
				return err
			}
			var changed []rowKey
			for _, in := range apply {
				k := rowKey{in.Table, in.ID}
				var curRow *nsync.Row
				if c, ok := cur[k]; ok {
					curRow = &c.row
				}
				out, ch := nsync.Merge(nsync.TableKind(in.Table), curRow, in)
				resp.Accepted++
				if !ch {
					continue
				}
				if c, ok := cur[k]; !ok || !c.dirty {
					changed = append(changed, k)
				}
				cur[k] = &loadedRow{mergedRow: mergedRow{row: out, device: s.DeviceID}, dirty: true}
			}
			if len(changed) > 0 {
				if err := db.writeRows(ctx, tx, s.BusinessID, seq, changed, cur, now); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE sync_counters SET seq = $1 WHERE business_id = $2`,
					seq+int64(len(changed)), s.BusinessID); err != nil {
					return fmt.Errorf("advance seq: %w", err)
				}
			}
		}
		for _, r := range resp.Rejected {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sync_rejections
				(business_id, device_id, n, tbl, row_id, code, message, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
				s.BusinessID, s.DeviceID, r.N, truncate(r.Table, 100), truncate(r.ID, 100), r.Code, r.Message, ms(now)); err != nil {
				return fmt.Errorf("store rejection: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE devices SET last_n = $1 WHERE id = $2 AND business_id = $3`,
			n, s.DeviceID, s.BusinessID); err != nil {
			return fmt.Errorf("record last_n: %w", err)
		}
		resp.LastN = n
		return nil
	})
	if err != nil {
		return nsync.PushResponse{}, err
	}
	return resp, nil
}

type loadedRow struct {
	mergedRow
	dirty bool
}

// loadRows reads the current state of the rows a batch touches, table by
// table so that each lookup uses the primary key.
func (db *DB) loadRows(ctx context.Context, tx *sql.Tx, businessID string, in []nsync.Row) (map[rowKey]*loadedRow, error) {
	byTable := map[string][]string{}
	seen := make(map[rowKey]bool, len(in))
	for _, r := range in {
		k := rowKey{r.Table, r.ID}
		if !seen[k] {
			seen[k] = true
			byTable[r.Table] = append(byTable[r.Table], r.ID)
		}
	}
	out := make(map[rowKey]*loadedRow, len(in))
	for table, ids := range byTable {
		if db.dialect.arrays {
			// One probe of the primary key per id; OFFSET 0 keeps the
			// planner from flattening the lateral subquery into a scan of
			// the whole business when the table has no statistics yet.
			const q = `SELECT r.id, r.hlc, r.deleted, r.data, r.field_hlc, r.device_id
				FROM unnest($3::text[]) AS k(id) CROSS JOIN LATERAL (
					SELECT s.id, s.hlc, s.deleted, s.data, s.field_hlc, s.device_id FROM sync_rows s
					WHERE s.business_id = $1 AND s.tbl = $2 AND s.id = k.id OFFSET 0) r`
			if err := scanRows(ctx, tx, q, []any{businessID, table, ids}, table, out); err != nil {
				return nil, err
			}
			continue
		}
		for chunk := range slices.Chunk(ids, rowsPerStatement) {
			var q strings.Builder
			q.WriteString(`SELECT id, hlc, deleted, data, field_hlc, device_id FROM sync_rows WHERE business_id = ` +
				db.dialect.param(1) + ` AND tbl = ` + db.dialect.param(2) + ` AND id IN (`)
			args := make([]any, 0, len(chunk)+2)
			args = append(args, businessID, table)
			for i, id := range chunk {
				if i > 0 {
					q.WriteByte(',')
				}
				q.WriteString(db.dialect.param(i + 3))
				args = append(args, id)
			}
			q.WriteByte(')')
			if err := scanRows(ctx, tx, q.String(), args, table, out); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func scanRows(ctx context.Context, tx *sql.Tx, q string, args []any, table string, out map[rowKey]*loadedRow) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("load rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r := nsync.Row{Table: table}
		var deleted int64
		var data, fieldHLC, device string
		if err := rows.Scan(&r.ID, &r.HLC, &deleted, &data, &fieldHLC, &device); err != nil {
			return fmt.Errorf("load rows: %w", err)
		}
		r.Deleted = deleted != 0
		if err := json.Unmarshal([]byte(data), &r.Fields); err != nil {
			return fmt.Errorf("load row %s %s: %w", r.Table, r.ID, err)
		}
		if err := json.Unmarshal([]byte(fieldHLC), &r.FieldHLC); err != nil {
			return fmt.Errorf("load row %s %s: %w", r.Table, r.ID, err)
		}
		out[rowKey{r.Table, r.ID}] = &loadedRow{mergedRow: mergedRow{row: r, device: device}}
	}
	return rows.Err()
}

// writeRows upserts the changed rows, giving them seqs after base in order.
func (db *DB) writeRows(ctx context.Context, tx *sql.Tx, businessID string, base int64, keys []rowKey, cur map[rowKey]*loadedRow, now time.Time) error {
	if db.dialect.arrays {
		return db.writeRowsArrays(ctx, tx, businessID, base, keys, cur, now)
	}
	seq := base
	for chunk := range slices.Chunk(keys, rowsPerStatement) {
		var q strings.Builder
		q.WriteString(`INSERT INTO sync_rows (business_id, tbl, id, hlc, deleted, data, field_hlc, seq, device_id, updated_at) VALUES `)
		args := make([]any, 0, len(chunk)*10)
		for i, k := range chunk {
			r := cur[k]
			seq++
			fh, err := json.Marshal(r.row.FieldHLC)
			if err != nil {
				return fmt.Errorf("encode field stamps: %w", err)
			}
			deleted := 0
			if r.row.Deleted {
				deleted = 1
			}
			if i > 0 {
				q.WriteByte(',')
			}
			q.WriteByte('(')
			for j := range 10 {
				if j > 0 {
					q.WriteByte(',')
				}
				q.WriteString(db.dialect.param(len(args) + j + 1))
			}
			q.WriteByte(')')
			args = append(args, businessID, r.row.Table, r.row.ID, r.row.HLC, deleted,
				string(r.row.DataJSON()), string(fh), seq, r.device, ms(now))
		}
		q.WriteString(upsertTail)
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("write rows: %w", err)
		}
	}
	return nil
}

const upsertTail = ` ON CONFLICT (business_id, tbl, id) DO UPDATE SET hlc = excluded.hlc, deleted = excluded.deleted,
	data = excluded.data, field_hlc = excluded.field_hlc, seq = excluded.seq,
	device_id = excluded.device_id, updated_at = excluded.updated_at`

// writeRowsArrays is writeRows as one statement over array parameters.
func (db *DB) writeRowsArrays(ctx context.Context, tx *sql.Tx, businessID string, base int64, keys []rowKey, cur map[rowKey]*loadedRow, now time.Time) error {
	n := len(keys)
	tbls, ids, hlcs, datas, fhs, devs := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	deleted, seqs := make([]int64, n), make([]int64, n)
	for i, k := range keys {
		r := cur[k]
		fh, err := json.Marshal(r.row.FieldHLC)
		if err != nil {
			return fmt.Errorf("encode field stamps: %w", err)
		}
		tbls[i], ids[i], hlcs[i], datas[i], fhs[i], devs[i] = r.row.Table, r.row.ID, r.row.HLC, string(r.row.DataJSON()), string(fh), r.device
		if r.row.Deleted {
			deleted[i] = 1
		}
		seqs[i] = base + int64(i) + 1
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO sync_rows (business_id, tbl, id, hlc, deleted, data, field_hlc, seq, device_id, updated_at)
		SELECT $1, u.tbl, u.id, u.hlc, u.deleted, u.data, u.field_hlc, u.seq, u.device_id, $2
		FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::bigint[], $10::text[])
			AS u(tbl, id, hlc, deleted, data, field_hlc, seq, device_id)`+upsertTail,
		businessID, ms(now), tbls, ids, hlcs, deleted, datas, fhs, seqs, devs)
	if err != nil {
		return fmt.Errorf("write rows: %w", err)
	}
	return nil
}

// Pull returns the newest version of each row changed after since, in seq
// order, and the device's rejections.
func (db *DB) Pull(ctx context.Context, s core.Session, since int64, limit int, now time.Time) (nsync.PullResponse, error) {
	resp := nsync.PullResponse{Changes: []nsync.Change{}, Next: since, ServerTime: now.UnixMilli()}
	epoch, err := db.Epoch(ctx)
	if err != nil {
		return resp, err
	}
	resp.Epoch = epoch
	rows, err := db.read.QueryContext(ctx, `SELECT seq, tbl, id, hlc, deleted, data, field_hlc, device_id
		FROM sync_rows WHERE business_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, s.BusinessID, since, limit+1)
	if err != nil {
		return resp, fmt.Errorf("pull: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if len(resp.Changes) == limit {
			resp.More = true
			break
		}
		var c nsync.Change
		var deleted int64
		var data, fieldHLC string
		if err := rows.Scan(&c.Seq, &c.Table, &c.ID, &c.HLC, &deleted, &data, &fieldHLC, &c.DeviceID); err != nil {
			return resp, fmt.Errorf("pull: %w", err)
		}
		c.Data = json.RawMessage(data)
		switch {
		case nsync.TableKind(c.Table) == nsync.KindDocument:
			c.Op = nsync.OpInsert
		case deleted != 0:
			c.Op = nsync.OpDelete
		default:
			c.Op = nsync.OpUpsert
		}
		if c.Op != nsync.OpInsert {
			if err := json.Unmarshal([]byte(fieldHLC), &c.FieldHLC); err != nil {
				return resp, fmt.Errorf("pull %s %s: %w", c.Table, c.ID, err)
			}
		}
		resp.Changes = append(resp.Changes, c)
		resp.Next = c.Seq
	}
	if err := rows.Err(); err != nil {
		return resp, fmt.Errorf("pull: %w", err)
	}
	rows.Close()

	rej, err := db.read.QueryContext(ctx, `SELECT n, tbl, row_id, code, message FROM sync_rejections
		WHERE business_id = $1 AND device_id = $2 ORDER BY n DESC LIMIT $3`, s.BusinessID, s.DeviceID, maxRejectionsPulled)
	if err != nil {
		return resp, fmt.Errorf("pull rejections: %w", err)
	}
	defer rej.Close()
	for rej.Next() {
		var r nsync.Rejection
		if err := rej.Scan(&r.N, &r.Table, &r.ID, &r.Code, &r.Message); err != nil {
			return resp, fmt.Errorf("pull rejections: %w", err)
		}
		resp.Rejections = append(resp.Rejections, r)
	}
	slices.Reverse(resp.Rejections)
	return resp, rej.Err()
}
