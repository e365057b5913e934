package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// chunkSizes splits n rows into the row counts of multi-row SQLite
// statements: 64 while more remain, then 32, 16 and one exact count
// under 16, so that a few dozen statements prepared once cover every
// batch.
func chunkSizes(n int) []int {
	var out []int
	for n >= 64 {
		out, n = append(out, 64), n-64
	}
	for _, c := range []int{32, 16} {
		if n >= c {
			out, n = append(out, c), n-c
		}
	}
	if n > 0 {
		out = append(out, n)
	}
	return out
}

// statementSizes lists every count chunkSizes returns.
func statementSizes() []int {
	out := []int{64, 32, 16}
	for i := 1; i < 16; i++ {
		out = append(out, i)
	}
	return out
}

// prepareWrites prepares the SQLite writer's statements.
func (db *DB) prepareWrites(ctx context.Context) error {
	qs := []string{sqliteLockDevice, sqliteSetSeq, sqliteSetLastN, insertRejection, sqliteSavepoint, sqliteRollbackTo, sqliteRelease, pullQuery}
	for _, n := range statementSizes() {
		qs = append(qs, db.loadRowsQuery(n), db.writeRowsQuery(n))
	}
	for _, q := range qs {
		if _, err := db.prepared(ctx, db.write, q); err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
	}
	return nil
}

// loadRowsQuery reads n rows by (table, id), each a probe of the primary key.
func (db *DB) loadRowsQuery(n int) string {
	var q strings.Builder
	q.WriteString(`SELECT tbl, id, hlc, deleted, data, field_hlc, device_id FROM sync_rows WHERE business_id = ` +
		db.dialect.param(1) + ` AND (tbl, id) IN (VALUES `)
	for i := range n {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteString("(" + db.inList(2+2*i, 2) + ")")
	}
	q.WriteByte(')')
	return q.String()
}

func (db *DB) writeRowsQuery(n int) string {
	var q strings.Builder
	q.WriteString(`INSERT INTO sync_rows (business_id, tbl, id, hlc, deleted, data, field_hlc, seq, device_id, updated_at) VALUES `)
	for i := range n {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteString("(" + db.inList(i*10+1, 10) + ")")
	}
	q.WriteString(upsertTail)
	return q.String()
}

// chunks splits s by chunkSizes.
func chunks[T any](s []T) [][]T {
	var out [][]T
	for _, n := range chunkSizes(len(s)) {
		out, s = append(out, s[:n]), s[n:]
	}
	return out
}

// maxRejectionsPulled bounds the rejections returned with each pull.
const maxRejectionsPulled = 1000

type rowKey struct{ table, id string }

// loadedRow is a row's state during a push: as read, or as merged.
type loadedRow struct {
	row    protocol.Row
	device string
	dirty  bool
}

// pushPlan is a push request with every mutation checked once, before the
// database is touched.
type pushPlan struct {
	s     core.Session
	req   protocol.PushRequest
	epoch string
	now   time.Time
	rows  []protocol.Row        // per mutation; valid when rejs[i] is nil
	rejs  []*protocol.Rejection // per mutation
	keys  []rowKey              // the rows valid mutations touch, each once
}

func newPushPlan(s core.Session, req protocol.PushRequest, epoch string, now time.Time) *pushPlan {
	p := &pushPlan{s: s, req: req, epoch: epoch, now: now,
		rows: make([]protocol.Row, len(req.Mutations)), rejs: make([]*protocol.Rejection, len(req.Mutations))}
	seen := make(map[rowKey]bool, len(req.Mutations))
	for i, m := range req.Mutations {
		p.rows[i], p.rejs[i] = core.CheckMutation(m)
		if p.rejs[i] == nil {
			p.rejs[i] = core.CheckStaffMutation(s, m)
		}
		if p.rejs[i] == nil {
			p.rejs[i] = core.CheckWAMutation(s, m)
		}
		if p.rejs[i] != nil {
			continue
		}
		k := rowKey{p.rows[i].Table, p.rows[i].ID}
		if !seen[k] {
			seen[k] = true
			p.keys = append(p.keys, k)
		}
	}
	return p
}

// pushWrite is what a push writes after the merge.
type pushWrite struct {
	rows     []writeRow // changed rows with their new seqs, in seq order
	seq      int64      // the business's seq counter after the push
	rejected []protocol.Rejection
	lastN    int64
}

type writeRow struct {
	table, id, hlc   string
	deleted          int64
	data, fieldStamp string
	device           string
	seq              int64
}

// devState is what a push reads of its device under the lock.
type devState struct {
	lastN  int64
	clock  string // the device part its stamps must carry ("": not checked)
	resend int64  // mutations up to this n may carry others' stamps
}

// knownClocks lists the stamp ids of a business's devices, read only when
// a resent change names another device.
type knownClocks func() (map[string]bool, error)

// selectNew walks the batch from the device's last applied n: mutations
// already applied are skipped, a gap refuses the batch, invalid ones
// become rejections, and so does a change stamped by another device than
// the pusher (except in the books it resends after a loss, which may
// carry the stamps of the business's other devices and of the server). It
// returns the rows to merge, the new last n and the resend limit to keep.
func (p *pushPlan) selectNew(d devState, resp *protocol.PushResponse, known knownClocks) ([]protocol.Row, int64, int64, error) {
	n, resend := d.lastN, d.resend
	// After a server restore, or a lost commit, the device's numbers are
	// ahead of what the database remembers: it was told mutations up to
	// Acked were applied, and the server holds fewer. The device's first
	// push after it noticed (with its books queued again) says so and
	// becomes its new base instead of a gap. A rebase asked for while the
	// server holds everything it acknowledged is ignored.
	if p.req.Rebase && p.req.Acked > n && p.req.Epoch == p.epoch && len(p.req.Mutations) > 0 && p.req.Mutations[0].N > n+1 {
		n = p.req.Mutations[0].N - 1
	}
	// A rebase push starts the books queued again after a restore (lost
	// or not: the server may hold all this device sent and still have
	// lost what others did); up to ResendThrough they may carry the
	// stamps of the business's devices and the server.
	if p.req.Rebase && p.req.Epoch == p.epoch && p.req.ResendThrough > resend {
		resend = p.req.ResendThrough
	}
	var clocks map[string]bool
	var apply []protocol.Row
	for i, m := range p.req.Mutations {
		if m.N <= n {
			continue // already applied: a retried batch changes nothing
		}
		if m.N != n+1 {
			return nil, 0, 0, core.Errorf(protocol.CodeOutOfOrder,
				"Mutation %d is next for this device but the batch has %d; push again from %d (last applied %d).",
				n+1, m.N, n+1, n)
		}
		n = m.N
		if p.rejs[i] != nil {
			resp.Rejected = append(resp.Rejected, *p.rejs[i])
			continue
		}
		if dev := core.StampDevice(m.HLC); d.clock != "" && dev != d.clock {
			ok := false
			if m.N <= resend {
				if clocks == nil && dev != protocol.ServerDevice {
					var err error
					if clocks, err = known(); err != nil {
						return nil, 0, 0, err
					}
				}
				ok = dev == protocol.ServerDevice || clocks[dev]
			}
			if !ok {
				resp.Rejected = append(resp.Rejected, protocol.Rejection{N: m.N, Table: m.Table, ID: m.ID, Code: protocol.CodeForbidden,
					Message: "the change is stamped by device " + quoteStamp(dev) + ", not by this device; a device sends only its own changes"})
				continue
			}
		}
		apply = append(apply, p.rows[i])
	}
	return apply, n, resend, nil
}

func quoteStamp(s string) string { return strconv.Quote(core.CleanString(s, 64)) }

// clockQuery lists the stamp ids of a business's devices.
const clockQuery = `SELECT DISTINCT clock_id FROM devices WHERE business_id = $1 AND clock_id IS NOT NULL`

// merge merges the rows into cur with sync.Merge and gives each changed
// row the next seq after seq, in the order the batch first changed it.
func (p *pushPlan) merge(apply []protocol.Row, cur map[rowKey]*loadedRow, seq int64, resp *protocol.PushResponse) (pushWrite, error) {
	w := pushWrite{seq: seq}
	var changed []rowKey
	for _, in := range apply {
		k := rowKey{in.Table, in.ID}
		c := cur[k]
		var curRow *protocol.Row
		if c != nil {
			curRow = &c.row
		}
		out, ch := protocol.Merge(protocol.TableKind(in.Table), curRow, in)
		resp.Accepted++
		if !ch {
			continue
		}
		if c == nil || !c.dirty {
			changed = append(changed, k)
		}
		cur[k] = &loadedRow{row: out, device: p.s.DeviceID, dirty: true}
	}
	w.rows = make([]writeRow, len(changed))
	for i, k := range changed {
		r := cur[k].row
		w.seq++
		w.rows[i] = writeRow{table: r.Table, id: r.ID, hlc: r.HLC, data: string(r.DataJSON()),
			fieldStamp: encodeStamps(r.FieldHLC), device: cur[k].device, seq: w.seq}
		if r.Deleted {
			w.rows[i].deleted = 1
		}
	}
	return w, nil
}

// encodeStamps renders field stamps as a JSON object with sorted keys.
func encodeStamps(m map[string]string) string { return string(protocol.AppendStamps(nil, m)) }

// Push applies a batch in one transaction. It locks the business's seq
// counter row first (so pushes of one business serialise and commit in seq
// order, which is what lets a puller trust its cursor), then the device
// row; merges the rows with sync.Merge and writes them with fresh seqs,
// stores rejections and records last_n.
func (db *DB) Push(ctx context.Context, s core.Session, req protocol.PushRequest, now time.Time) (protocol.PushResponse, error) {
	epoch, err := db.Epoch(ctx)
	if err != nil {
		return protocol.PushResponse{}, err
	}
	p := newPushPlan(s, req, epoch, now)
	resp := protocol.PushResponse{ServerTime: now.UnixMilli(), Epoch: epoch}
	if db.dialect.arrays {
		err = db.pushPostgres(ctx, p, &resp)
	} else {
		err = db.pushSQLite(ctx, p, &resp)
	}
	if err != nil {
		return protocol.PushResponse{}, err
	}
	return resp, nil
}

// SQLite statements of a push. The writer is one connection, so a
// transaction holds every lock it needs from BEGIN IMMEDIATE on.
const (
	sqliteLockDevice = `UPDATE devices SET last_seen_at = $1 WHERE id = $2 AND business_id = $3
		RETURNING last_n, revoked_at, (SELECT seq FROM sync_counters WHERE business_id = devices.business_id),
			COALESCE(clock_id, ''), resend_through`
	setResend       = `UPDATE devices SET resend_through = $1 WHERE id = $2 AND business_id = $3`
	sqliteSetSeq    = `UPDATE sync_counters SET seq = $1 WHERE business_id = $2`
	sqliteSetLastN  = `UPDATE devices SET last_n = $1 WHERE id = $2 AND business_id = $3`
	insertRejection = `INSERT INTO sync_rejections
		(business_id, device_id, n, tbl, row_id, code, message, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`
)

// Group commit (SQLite). Pushes go to one writer goroutine, which takes
// every push waiting when it is free into one transaction, each push in a
// savepoint of its own: a push that fails rolls back alone, and the cost
// of a commit (writing the changed pages to the WAL) is shared.
const (
	maxGroupPushes    = 64
	maxGroupMutations = 2000
)

// pushJob is a push for the writer goroutine, or (read set) a read to run
// on the writer's connection after the group's commit. Everything that
// uses that connection goes through the goroutine's queue: database/sql
// hands a freed connection to a random waiter, which under load starves
// some requests for a long time.
type pushJob struct {
	p    *pushPlan
	resp *protocol.PushResponse
	read func() error
	done chan error
}

// onWriter runs read on the writer's connection, in queue order.
func (db *DB) onWriter(ctx context.Context, read func() error) error {
	job := &pushJob{read: read, done: make(chan error, 1)}
	select {
	case db.pushes <- job:
	case <-db.closed:
		return errors.New("the store is closed")
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-job.done
}

func (db *DB) pushSQLite(ctx context.Context, p *pushPlan, resp *protocol.PushResponse) error {
	job := &pushJob{p: p, resp: resp, done: make(chan error, 1)}
	select {
	case db.pushes <- job:
	case <-db.closed:
		return errors.New("push: the store is closed")
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once taken, a push runs to the end even if its client has gone: it
	// is harmless to apply, and the group's transaction is shared.
	return <-job.done
}

// writeLoop is the SQLite writer goroutine.
func (db *DB) writeLoop() {
	defer db.loopDone.Done()
	for {
		var job *pushJob
		select {
		case job = <-db.pushes:
		case <-db.closed:
			return
		}
		jobs, muts := []*pushJob{job}, job.mutations()
	drain:
		for len(jobs) < maxGroupPushes && muts < maxGroupMutations {
			select {
			case j := <-db.pushes:
				jobs, muts = append(jobs, j), muts+j.mutations()
			default:
				break drain
			}
		}
		var pushes []*pushJob
		for _, j := range jobs {
			if j.read == nil {
				pushes = append(pushes, j)
			}
		}
		if len(pushes) > 0 {
			db.runGroup(pushes)
		}
		for _, j := range jobs {
			if j.read != nil {
				j.done <- j.read()
			}
		}
	}
}

func (j *pushJob) mutations() int {
	if j.p == nil {
		return 0
	}
	return len(j.p.req.Mutations)
}

const (
	sqliteSavepoint  = `SAVEPOINT push`
	sqliteRollbackTo = `ROLLBACK TO push`
	sqliteRelease    = `RELEASE push`
)

func (db *DB) runGroup(jobs []*pushJob) {
	ctx := context.Background()
	if len(jobs) == 1 {
		j := jobs[0]
		j.done <- db.tx(ctx, func(tx *sql.Tx) error { return db.safePushInTx(ctx, tx, j.p, j.resp) })
		return
	}
	errs := make([]error, len(jobs))
	err := db.tx(ctx, func(tx *sql.Tx) error {
		for i, j := range jobs {
			if err := db.txExec(ctx, tx, sqliteSavepoint); err != nil {
				return err
			}
			if errs[i] = db.safePushInTx(ctx, tx, j.p, j.resp); errs[i] != nil {
				if err := db.txExec(ctx, tx, sqliteRollbackTo); err != nil {
					return err
				}
			}
			if err := db.txExec(ctx, tx, sqliteRelease); err != nil {
				return err
			}
		}
		return nil
	})
	for i, j := range jobs {
		j.done <- cmp.Or(err, errs[i])
	}
}

// safePushInTx is pushInTx with a panic turned into an error: the writer
// goroutine serves every push, so one bad push must not stop it.
func (db *DB) safePushInTx(ctx context.Context, tx *sql.Tx, p *pushPlan, resp *protocol.PushResponse) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("push: panic: %v", v)
		}
	}()
	return db.pushInTx(ctx, tx, p, resp)
}

// pushInTx runs one push inside the SQLite write transaction tx.
func (db *DB) pushInTx(ctx context.Context, tx *sql.Tx, p *pushPlan, resp *protocol.PushResponse) error {
	s := p.s
	{
		st, err := db.txStmt(ctx, tx, sqliteLockDevice)
		if err != nil {
			return err
		}
		var d devState
		var revoked, seq sql.NullInt64
		err = st.QueryRowContext(ctx, ms(p.now), s.DeviceID, s.BusinessID).Scan(&d.lastN, &revoked, &seq, &d.clock, &d.resend)
		if errors.Is(err, sql.ErrNoRows) {
			return core.ErrDeviceUnknown
		}
		if err != nil {
			return fmt.Errorf("lock device: %w", err)
		}
		if revoked.Valid {
			return core.ErrDeviceRevoked
		}
		if !seq.Valid {
			return fmt.Errorf("business %s has no seq counter", s.BusinessID)
		}
		lastN := d.lastN
		resp.LastN = lastN
		apply, n, resend, err := p.selectNew(d, resp, func() (map[string]bool, error) {
			return clocksOf(ctx, tx, s.BusinessID)
		})
		if err != nil {
			return err
		}
		if n == lastN {
			return nil
		}
		if resend != d.resend {
			if err := db.txExec(ctx, tx, setResend, resend, s.DeviceID, s.BusinessID); err != nil {
				return fmt.Errorf("record resend: %w", err)
			}
		}
		cur := map[rowKey]*loadedRow{}
		if len(apply) > 0 {
			if cur, err = db.loadRowsSQLite(ctx, tx, s.BusinessID, apply); err != nil {
				return err
			}
		}
		w, err := p.merge(apply, cur, seq.Int64, resp)
		if err != nil {
			return err
		}
		if len(w.rows) > 0 {
			if err := db.writeRowsSQLite(ctx, tx, s.BusinessID, w.rows, p.now); err != nil {
				return err
			}
			if err := db.txExec(ctx, tx, sqliteSetSeq, w.seq, s.BusinessID); err != nil {
				return fmt.Errorf("advance seq: %w", err)
			}
		}
		for _, r := range resp.Rejected {
			if err := db.txExec(ctx, tx, insertRejection, s.BusinessID, s.DeviceID, r.N, truncate(r.Table, 100),
				truncate(r.ID, 100), r.Code, truncate(r.Message, 1000), ms(p.now)); err != nil {
				return fmt.Errorf("store rejection: %w", err)
			}
		}
		if err := db.txExec(ctx, tx, sqliteSetLastN, n, s.DeviceID, s.BusinessID); err != nil {
			return fmt.Errorf("record last_n: %w", err)
		}
		resp.LastN = n
		return nil
	}
}

func (db *DB) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	st, err := db.txStmt(ctx, tx, query)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

// inList returns "$from, $from+1, ..." for n parameters.
func (db *DB) inList(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(db.dialect.param(from + i))
	}
	return b.String()
}

// loadRowsSQLite reads the current state of the rows a batch touches.
// Documents are only checked for existence: an existing document never
// changes.
func (db *DB) loadRowsSQLite(ctx context.Context, tx *sql.Tx, businessID string, in []protocol.Row) (map[rowKey]*loadedRow, error) {
	keys := make([]rowKey, 0, len(in))
	seen := make(map[rowKey]bool, len(in))
	for _, r := range in {
		k := rowKey{r.Table, r.ID}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	out := make(map[rowKey]*loadedRow, len(in))
	for _, chunk := range chunks(keys) {
		st, err := db.txStmt(ctx, tx, db.loadRowsQuery(len(chunk)))
		if err != nil {
			return nil, fmt.Errorf("load rows: %w", err)
		}
		args := make([]any, 0, 2*len(chunk)+1)
		args = append(args, businessID)
		for _, k := range chunk {
			args = append(args, k.table, k.id)
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("load rows: %w", err)
		}
		for rows.Next() {
			var table, id, hlc, device string
			var deleted int64
			var data, fieldHLC []byte
			if err := rows.Scan(&table, &id, &hlc, &deleted, &data, &fieldHLC, &device); err != nil {
				rows.Close()
				return nil, fmt.Errorf("load rows: %w", err)
			}
			r, err := loadedFrom(table, id, hlc, deleted, data, fieldHLC, device)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[rowKey{table, id}] = r
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("load rows: %w", err)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("load rows: %w", err)
		}
	}
	return out, nil
}

// loadedFrom builds a stored row for the merge. A document's body is not
// decoded: the merge never changes an existing document.
func loadedFrom(table, id, hlc string, deleted int64, data, fieldHLC []byte, device string) (*loadedRow, error) {
	r := protocol.Row{Table: table, ID: id, HLC: hlc, Deleted: deleted != 0}
	if protocol.TableKind(table) != protocol.KindDocument {
		if err := json.Unmarshal(data, &r.Fields); err != nil {
			return nil, fmt.Errorf("load row %s %s: %w", table, id, err)
		}
		if err := json.Unmarshal(fieldHLC, &r.FieldHLC); err != nil {
			return nil, fmt.Errorf("load row %s %s: %w", table, id, err)
		}
	}
	return &loadedRow{row: r, device: device}, nil
}

const upsertTail = ` ON CONFLICT (business_id, tbl, id) DO UPDATE SET hlc = excluded.hlc, deleted = excluded.deleted,
	data = excluded.data, field_hlc = excluded.field_hlc, seq = excluded.seq,
	device_id = excluded.device_id, updated_at = excluded.updated_at`

// writeRowsSQLite upserts the changed rows with multi-row statements,
// each prepared once per row count.
func (db *DB) writeRowsSQLite(ctx context.Context, tx *sql.Tx, businessID string, rows []writeRow, now time.Time) error {
	for _, chunk := range chunks(rows) {
		args := make([]any, 0, len(chunk)*10)
		for _, r := range chunk {
			args = append(args, businessID, r.table, r.id, r.hlc, r.deleted, r.data, r.fieldStamp, r.seq, r.device, ms(now))
		}
		if err := db.txExec(ctx, tx, db.writeRowsQuery(len(chunk)), args...); err != nil {
			return fmt.Errorf("write rows: %w", err)
		}
	}
	return nil
}

// pullQuery reads a page of the feed and the device's newest rejections
// in one statement (one round trip on PostgreSQL); kind 0 rows are
// changes, kind 1 rows rejections.
const pullQuery = `SELECT 0, seq, tbl, id, hlc, deleted, data, field_hlc, device_id FROM (
		SELECT seq, tbl, id, hlc, deleted, data, field_hlc, device_id FROM sync_rows
		WHERE business_id = $1 AND seq > $2 ORDER BY seq LIMIT $3) c
	UNION ALL
	SELECT 1, n, tbl, row_id, code, 0, message, '', '' FROM (
		SELECT n, tbl, row_id, code, message FROM sync_rejections
		WHERE business_id = $1 AND device_id = $4 ORDER BY n DESC LIMIT $5) r`

// pullRows is what a pull reads its rows through: *sql.Rows or pgx.Rows.
type pullRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// smallPull is the largest page a SQLite pull reads on the writer's
// connection.
const smallPull = 1000

// Pull returns the newest version of each row changed after since, in seq
// order, and the device's rejections.
func (db *DB) Pull(ctx context.Context, s core.Session, since int64, limit int, now time.Time) (core.PullPage, error) {
	return db.pullWith(ctx, s, since, limit, now, pullQuery)
}

// pullWith reads a page with query: pullQuery or a variant of it with the
// same columns and parameters $1 to $5, and extra as $6 if given.
func (db *DB) pullWith(ctx context.Context, s core.Session, since int64, limit int, now time.Time, query string, extra ...any) (core.PullPage, error) {
	resp := core.PullPage{Changes: []core.Change{}, Next: since, ServerTime: now.UnixMilli()}
	epoch, err := db.Epoch(ctx)
	if err != nil {
		return resp, err
	}
	resp.Epoch = epoch
	args := append([]any{s.BusinessID, since, limit + 1, s.DeviceID, maxRejectionsPulled}, extra...)
	scan := func(rows pullRows) error {
		for rows.Next() {
			var kind int
			var c core.Change
			var deleted int64
			// Read as strings, which the drivers hand over as they are
			// (into []byte database/sql would copy each row's data once
			// more: a new device's download is 400 MB of it). The page
			// only reads them.
			var data, fieldHLC string
			if err := rows.Scan(&kind, &c.Seq, &c.Table, &c.ID, &c.HLC, &deleted, &data, &fieldHLC, &c.DeviceID); err != nil {
				return fmt.Errorf("pull: %w", err)
			}
			if kind == 1 {
				resp.Rejections = append(resp.Rejections, protocol.Rejection{N: c.Seq, Table: c.Table, ID: c.ID,
					Code: c.HLC, Message: data})
				continue
			}
			c.Data = unsafe.Slice(unsafe.StringData(data), len(data))
			switch {
			case protocol.TableKind(c.Table) == protocol.KindDocument:
				c.Op = protocol.OpInsert
			case deleted != 0:
				c.Op = protocol.OpDelete
			default:
				c.Op = protocol.OpUpsert
			}
			if c.Op != protocol.OpInsert {
				c.FieldHLC = core.RawFieldHLC(unsafe.Slice(unsafe.StringData(fieldHLC), len(fieldHLC)))
			}
			resp.Changes = append(resp.Changes, c)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("pull: %w", err)
		}
		return nil
	}
	read := func(pool *sql.DB, ctx context.Context) error {
		st, err := db.prepared(ctx, pool, query)
		if err != nil {
			return fmt.Errorf("pull: %w", err)
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("pull: %w", err)
		}
		defer rows.Close()
		return scan(rows)
	}
	switch {
	case db.syncPool != nil:
		// PostgreSQL: on the sync pool, through pgx.
		rows, qerr := db.syncPool.Query(ctx, query, args...)
		if qerr != nil {
			err = fmt.Errorf("pull: %w", qerr)
			break
		}
		err = scan(rows)
		rows.Close()
	case db.dialect.name == "sqlite" && since > 0 && limit <= smallPull:
		// A reader connection's page cache is dropped whenever the writer
		// has committed (every few milliseconds under load), so each pull
		// would read and parse its pages again; the writer's cache stays
		// warm. Snapshots and big pages still use the readers. The query
		// is short: it is not cancelled (database/sql would start a
		// goroutine per query to watch for that).
		err = db.onWriter(ctx, func() error { return read(db.write, context.WithoutCancel(ctx)) })
	default:
		err = read(db.read, ctx)
	}
	if err != nil {
		return resp, err
	}
	bySeq := func(a, b core.Change) int { return cmp.Compare(a.Seq, b.Seq) }
	if !slices.IsSortedFunc(resp.Changes, bySeq) {
		slices.SortFunc(resp.Changes, bySeq)
	}
	if len(resp.Changes) > limit {
		resp.Changes, resp.More = resp.Changes[:limit], true
	}
	if len(resp.Changes) > 0 {
		resp.Next = resp.Changes[len(resp.Changes)-1].Seq
	}
	slices.SortFunc(resp.Rejections, func(a, b protocol.Rejection) int { return cmp.Compare(a.N, b.N) })
	return resp, nil
}

// clocksOf reads the stamp ids of a business's devices in tx.
func clocksOf(ctx context.Context, tx *sql.Tx, businessID string) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, clockQuery, businessID)
	if err != nil {
		return nil, fmt.Errorf("device clocks: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("device clocks: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}
