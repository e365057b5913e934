package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ainaukar/naukar/sync/protocol"
)

// WASend is the server's record of one WhatsApp message a device asked for
// (server/whatsapp).
type WASend struct {
	BusinessID string
	MessageID  string
	To         string    // 12 digits, once known
	BaseAt     time.Time // the fixed wall time of the message's status stamps
	MediaID    string    // the uploaded invoice PDF, once uploaded
	WAMID      string    // WhatsApp's message id, once sent
	QuotaUsed  bool      // the message was counted against the month's quota
	State      string    // pending, sent or done (failed or skipped for good)
	// LeaseUntil: the job that claimed the message (WAClaim) holds it until
	// then; a save with a zero LeaseUntil lets it go.
	LeaseUntil time.Time
}

// WASend states.
const (
	WAPending = "pending"
	WASentOK  = "sent"
	WADone    = "done"
)

const waSendCols = `business_id, message_id, to_phone, base_at, media_id, coalesce(wamid, ''), quota_used, state, lease_until`

func scanWASend(row interface{ Scan(...any) error }) (WASend, error) {
	var s WASend
	var base, lease int64
	var quota int
	err := row.Scan(&s.BusinessID, &s.MessageID, &s.To, &base, &s.MediaID, &s.WAMID, &quota, &s.State, &lease)
	s.BaseAt, s.QuotaUsed = time.UnixMilli(base), quota != 0
	if lease != 0 {
		s.LeaseUntil = time.UnixMilli(lease)
	}
	return s, err
}

// WASendStart returns the record of a message, creating it (base time now)
// the first time: one statement for a new message, a read for one seen
// before.
func (db *DB) WASendStart(ctx context.Context, businessID, messageID string, now time.Time) (WASend, error) {
	var s WASend
	run := func() error {
		var err error
		s, err = scanWASend(db.write.QueryRowContext(ctx, `INSERT INTO wa_sends (business_id, message_id, base_at, created_at, updated_at)
			VALUES ($1, $2, $3, $3, $3) ON CONFLICT (business_id, message_id) DO NOTHING RETURNING `+waSendCols, businessID, messageID, ms(now)))
		if errors.Is(err, sql.ErrNoRows) {
			s, err = scanWASend(db.write.QueryRowContext(ctx, `SELECT `+waSendCols+` FROM wa_sends
				WHERE business_id = $1 AND message_id = $2`, businessID, messageID))
		}
		return err
	}
	var err error
	if db.pushes != nil {
		err = db.onWriter(ctx, run)
	} else {
		err = run()
	}
	if err != nil {
		return WASend{}, fmt.Errorf("start whatsapp send: %w", err)
	}
	return s, nil
}

// WASendGet returns the record of a message, or a new one (base time now,
// pending) not yet saved: the send job's first write saves it, so a
// message costs no write of its own before it is sent.
func (db *DB) WASendGet(ctx context.Context, businessID, messageID string, now time.Time) (WASend, error) {
	s, err := scanWASend(db.read.QueryRowContext(ctx, `SELECT `+waSendCols+` FROM wa_sends
		WHERE business_id = $1 AND message_id = $2`, businessID, messageID))
	if errors.Is(err, sql.ErrNoRows) {
		return WASend{BusinessID: businessID, MessageID: messageID, BaseAt: time.UnixMilli(ms(now)), State: WAPending}, nil
	}
	if err != nil {
		return WASend{}, fmt.Errorf("read whatsapp send: %w", err)
	}
	return s, nil
}

// WASendDone is a send's record with the status row it leaves for the
// business's devices (none: Row.Table empty), written together by
// WASendsDone.
type WASendDone struct {
	Send WASend
	Row  ServerRow
}

// WASendsDone saves many sends' records and their status rows in one
// transaction (group commit of the send jobs: one write for many
// messages instead of two per message). A WAMID already recorded is never
// replaced.
func (db *DB) WASendsDone(ctx context.Context, done []WASendDone, now time.Time) error {
	if len(done) == 0 {
		return nil
	}
	byBiz := map[string][]ServerRow{}
	var order []string
	for _, d := range done {
		if d.Row.Table == "" {
			continue // the record alone
		}
		if _, ok := byBiz[d.Send.BusinessID]; !ok {
			order = append(order, d.Send.BusinessID)
		}
		byBiz[d.Send.BusinessID] = append(byBiz[d.Send.BusinessID], d.Row)
	}
	checked := map[string][]protocol.Row{}
	for _, b := range order {
		in, err := checkServerRows(byBiz[b], now)
		if err != nil {
			return err
		}
		checked[b] = in
	}
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		for _, d := range done {
			if err := saveWASend(ctx, tx, d.Send, now); err != nil {
				return err
			}
		}
		for _, b := range order {
			if _, err := db.writeServerRowsTx(ctx, tx, b, byBiz[b], checked[b], now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save whatsapp sends: %w", err)
	}
	return nil
}

func saveWASend(ctx context.Context, tx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}, s WASend, now time.Time) error {
	quota := 0
	if s.QuotaUsed {
		quota = 1
	}
	var wamid any
	if s.WAMID != "" {
		wamid = s.WAMID
	}
	var lease int64
	if !s.LeaseUntil.IsZero() {
		lease = ms(s.LeaseUntil)
	}
	// Inserted by the first save (WASendGet does not write); the base time
	// of a record saved before is kept.
	_, err := tx.ExecContext(ctx, `INSERT INTO wa_sends (business_id, message_id, to_phone, base_at, media_id, wamid, quota_used, state,
		created_at, updated_at, lease_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)
		ON CONFLICT (business_id, message_id) DO UPDATE SET to_phone = excluded.to_phone, media_id = excluded.media_id,
		wamid = coalesce(wa_sends.wamid, excluded.wamid), quota_used = excluded.quota_used, state = excluded.state,
		updated_at = excluded.updated_at, lease_until = excluded.lease_until`,
		s.BusinessID, s.MessageID, s.To, ms(s.BaseAt), s.MediaID, wamid, quota, s.State, ms(now), lease)
	return err
}

// WASendByWAMID finds a sent message by WhatsApp's id.
func (db *DB) WASendByWAMID(ctx context.Context, wamid string) (WASend, bool, error) {
	s, err := scanWASend(db.read.QueryRowContext(ctx, `SELECT `+waSendCols+` FROM wa_sends WHERE wamid = $1`, wamid))
	if errors.Is(err, sql.ErrNoRows) {
		return WASend{}, false, nil
	}
	if err != nil {
		return WASend{}, false, fmt.Errorf("find whatsapp message: %w", err)
	}
	return s, true, nil
}

// WALastBusinessFor returns the business that last sent a message to a
// number (12 digits).
func (db *DB) WALastBusinessFor(ctx context.Context, phone string) (string, bool, error) {
	var b string
	err := db.read.QueryRowContext(ctx, `SELECT business_id FROM wa_sends WHERE to_phone = $1
		ORDER BY created_at DESC LIMIT 1`, phone).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("find the shop of a number: %w", err)
	}
	return b, true, nil
}

// WAUnstarted lists up to limit wa_messages requests pushed between since
// and before that no send has started for (a request whose job was never
// enqueued: the server stopped right after the push that brought it).
func (db *DB) WAUnstarted(ctx context.Context, since, before time.Time, limit int) ([][2]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT r.business_id, r.id FROM sync_rows r
		WHERE r.tbl = 'wa_messages' AND r.updated_at > $1 AND r.updated_at < $3
		AND NOT EXISTS (SELECT 1 FROM wa_sends s WHERE s.business_id = r.business_id AND s.message_id = r.id)
		LIMIT $2`, ms(since), limit, ms(before))
	if err != nil {
		return nil, fmt.Errorf("find unsent whatsapp messages: %w", err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var b, id string
		if err := rows.Scan(&b, &id); err != nil {
			return nil, err
		}
		out = append(out, [2]string{b, id})
	}
	return out, rows.Err()
}

// Reserve takes the next n sending slots of key, spaced gap apart, unless
// the first is more than maxWait away: it returns the first slot's time
// (the others follow it gap apart) and true, or the time the next slot
// frees and false (nothing taken). It holds across instances: the slots
// live in the database. Taking a run of slots at once lets an instance
// pace many sends with one write.
func (db *DB) Reserve(ctx context.Context, key string, gap time.Duration, n int, maxWait time.Duration, now time.Time) (time.Time, bool, error) {
	var at time.Time
	var ok bool
	n = max(n, 1)
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		at, ok, err = db.reserveTx(ctx, tx, key, gap, n, maxWait, now)
		return err
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("reserve a sending slot: %w", err)
	}
	return at, ok, nil
}

// Reservation asks Reserve's question of one key; ReserveMany asks many.
type Reservation struct {
	Key     string
	Gap     time.Duration
	N       int
	MaxWait time.Duration
	Now     time.Time
}

// Reserved is Reserve's answer to a Reservation.
type Reserved struct {
	At time.Time
	OK bool
}

// ReserveMany takes the slots of many reservations in one transaction, in
// order (two of one key take consecutive slots).
func (db *DB) ReserveMany(ctx context.Context, reqs []Reservation) ([]Reserved, error) {
	out := make([]Reserved, len(reqs))
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		for i, r := range reqs {
			var err error
			out[i].At, out[i].OK, err = db.reserveTx(ctx, tx, r.Key, r.Gap, max(r.N, 1), r.MaxWait, r.Now)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reserve sending slots: %w", err)
	}
	return out, nil
}

func (db *DB) reserveTx(ctx context.Context, tx *sql.Tx, key string, gap time.Duration, n int, maxWait time.Duration, now time.Time) (time.Time, bool, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO wa_pacing (key, next_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
		key, ms(now)); err != nil {
		return time.Time{}, false, err
	}
	q := `SELECT next_at FROM wa_pacing WHERE key = $1`
	if db.dialect.name == "postgres" {
		q += ` FOR UPDATE`
	}
	var next int64
	if err := tx.QueryRowContext(ctx, q, key).Scan(&next); err != nil {
		return time.Time{}, false, err
	}
	slot := max(next, ms(now))
	at := time.UnixMilli(slot)
	if time.Duration(slot-ms(now))*time.Millisecond > maxWait {
		return at, false, nil
	}
	// The run's end is rounded up to the millisecond: never a slot
	// sooner than the gap allows.
	run := (time.Duration(n)*gap + time.Millisecond - 1) / time.Millisecond
	_, err := tx.ExecContext(ctx, `UPDATE wa_pacing SET next_at = $2 WHERE key = $1`, key, slot+int64(run))
	return at, err == nil, err
}

// PrunePacing deletes pacing slots that freed before before.
func (db *DB) PrunePacing(ctx context.Context, before time.Time) error {
	if _, err := db.exec(ctx, `DELETE FROM wa_pacing WHERE next_at < $1`, ms(before)); err != nil {
		return fmt.Errorf("prune sending slots: %w", err)
	}
	return nil
}

// SyncRow reads the merged state of one synced row of a business: its
// fields as a JSON object.
func (db *DB) SyncRow(ctx context.Context, businessID, table, id string) (json.RawMessage, bool, error) {
	var data []byte
	var deleted int64
	err := db.read.QueryRowContext(ctx, `SELECT data, deleted FROM sync_rows WHERE business_id = $1 AND tbl = $2 AND id = $3`,
		businessID, table, id).Scan(&data, &deleted)
	if errors.Is(err, sql.ErrNoRows) || err == nil && deleted != 0 {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s %s: %w", table, id, err)
	}
	return data, true, nil
}

// exec runs one write statement; on SQLite it waits its turn on the writer
// goroutine, which owns the one writer connection.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	run := func() error {
		var err error
		res, err = db.write.ExecContext(ctx, query, args...)
		return err
	}
	if db.pushes != nil {
		return res, db.onWriter(ctx, run)
	}
	return res, run()
}

// writeTx is db.tx, on SQLite on the writer goroutine.
func (db *DB) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if db.pushes != nil {
		return db.onWriter(ctx, func() error { return db.tx(ctx, fn) })
	}
	return db.tx(ctx, fn)
}

// WAClaim takes the messages ids of a business for owner (a job) until
// until: a message is claimed when it is pending and nobody else holds it
// (its lease ran out, or owner holds it already); its record is created
// the first time (base time now). It returns the records claimed, in one
// statement for all of them. A message held by another job, or settled,
// is not returned.
func (db *DB) WAClaim(ctx context.Context, businessID string, ids []string, owner string, until, now time.Time) ([]WASend, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO wa_sends (business_id, message_id, base_at, created_at, updated_at, lease_until, lease_owner) VALUES `)
	args := []any{businessID, ms(now), ms(until), owner}
	for i, id := range ids {
		if i > 0 {
			q.WriteString(", ")
		}
		args = append(args, id)
		fmt.Fprintf(&q, "($1, $%d, $2, $2, $2, $3, $4)", len(args))
	}
	q.WriteString(` ON CONFLICT (business_id, message_id) DO UPDATE SET lease_until = excluded.lease_until, lease_owner = excluded.lease_owner
		WHERE wa_sends.state = 'pending' AND (wa_sends.lease_until <= excluded.created_at OR wa_sends.lease_owner = excluded.lease_owner)
		RETURNING ` + waSendCols)
	var out []WASend
	run := func() error {
		out = out[:0]
		rows, err := db.write.QueryContext(ctx, q.String(), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s, err := scanWASend(rows)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	}
	var err error
	if db.pushes != nil {
		err = db.onWriter(ctx, run)
	} else {
		err = run()
	}
	if err != nil {
		return nil, fmt.Errorf("claim whatsapp sends: %w", err)
	}
	return out, nil
}

// SyncRowsOf reads the merged state of many synced rows of one table of a
// business (deleted ones left out), by id.
func (db *DB) SyncRowsOf(ctx context.Context, businessID, table string, ids []string) (map[string]json.RawMessage, error) {
	out := make(map[string]json.RawMessage, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var q strings.Builder
	q.WriteString(`SELECT id, data FROM sync_rows WHERE business_id = $1 AND tbl = $2 AND deleted = 0 AND id IN (`)
	args := []any{businessID, table}
	for i, id := range ids {
		if i > 0 {
			q.WriteString(", ")
		}
		args = append(args, id)
		fmt.Fprintf(&q, "$%d", len(args))
	}
	q.WriteString(")")
	rows, err := db.read.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("read %s: %w", table, err)
		}
		out[id] = data
	}
	return out, rows.Err()
}
