package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// migrationLockKey is one arbitrary advisory lock key for "naukar
// migrations", the server's and the job queue's.
const migrationLockKey = "7243190017"

var postgresDialect = dialect{
	name:          "postgres",
	arrays:        true,
	migrationLock: `SELECT pg_advisory_xact_lock(` + migrationLockKey + `)`,
	isUnique: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == "23505"
	},
}

// OpenPostgres connects to PostgreSQL at url (a libpq URL or DSN, as in
// DATABASE_URL) and migrates it. Several server instances may share one
// database: all coordination happens in it.
func OpenPostgres(ctx context.Context, url string) (*DB, error) {
	p, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	// A few more connections than cores: pushes wait on their commit's
	// WAL flush, not on CPU; many more only add switching.
	p.SetMaxOpenConns(16)
	p.SetMaxIdleConns(16)
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	db := &DB{write: p, read: p, dialect: postgresDialect}
	if err := db.migrate(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("migrate postgres: %w", err)
	}
	if err := db.openJobsPool(ctx, url); err != nil {
		p.Close()
		return nil, err
	}
	if err := db.migrateRiverPostgres(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate postgres: %w", err)
	}
	if err := db.openSyncPool(ctx, url); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.startAnalyzer(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return db, nil
}

// openJobsPool opens the job queue's pgx pool on the same database and
// finds the schema the store's tables live in (search_path may name it).
func (db *DB) openJobsPool(ctx context.Context, url string) error {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("open postgres: %w", err)
	}
	// River holds one connection to listen for notifications; fetching,
	// completing and leader election take turns on the others.
	cfg.MaxConns = 6
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("open postgres job pool: %w", err)
	}
	if err := pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&db.schema); err != nil {
		pool.Close()
		return fmt.Errorf("open postgres job pool: %w", err)
	}
	db.pgx = pool
	return nil
}

// syncConns is the size of the pool that serves pushes and pulls: more
// connections than cores, as a push spends most of its time waiting for
// its commit's WAL flush or for the business's counter. With 8 the CPU per
// round trip was the same and pulls queued behind those waits (round trip
// p99 at 500/s on a busy machine 664 and 945 ms against 442 and 414 ms).
const syncConns = 16

// openSyncPool opens the pgx pool pushes and pulls run on, without
// database/sql in between. Its statements are prepared once per
// connection (pgx's statement cache) and always run on their generic
// plan: left to itself PostgreSQL plans a push's statements again on
// every run, because it guesses 10 elements for an array parameter and
// then finds the plan for the real 3 cheaper — planning that costs more
// than running them. Every statement on this pool is a probe of an index
// by its whole key or a range of one, for which the generic plan is the
// plan.
func (db *DB) openSyncPool(ctx context.Context, url string) error {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("open postgres: %w", err)
	}
	cfg.MaxConns = syncConns
	cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("open postgres sync pool: %w", err)
	}
	db.syncPool = pool
	return nil
}

// PostgreSQL statements of a push, sent in two pipelined batches: begin,
// the locks and the read of the rows in one round trip; the writes and the
// commit in the other.
const (
	// pgLock locks the business's seq counter, then (the WHERE needs the
	// CTE) the device row, and returns both. The device row is written
	// once, at the end (pgWrite or pgSeen), not twice: each write of it is
	// a new row version, its WAL record and later vacuuming.
	pgLock = `WITH c AS (SELECT seq FROM sync_counters WHERE business_id = $2 FOR UPDATE)
		SELECT last_n, revoked_at, (SELECT seq FROM c), COALESCE(clock_id, ''), resend_through FROM devices
		WHERE id = $1 AND business_id = $2 AND EXISTS (SELECT 1 FROM c) FOR UPDATE`
	// pgSeen records a push that applied nothing new.
	pgSeen = `UPDATE devices SET last_seen_at = $1 WHERE id = $2 AND business_id = $3`
	// One probe of the primary key per row; OFFSET 0 keeps the planner
	// from flattening the lateral subquery into a scan of the whole
	// business when the table has no statistics yet.
	pgLoadRows = `SELECT r.tbl, r.id, r.hlc, r.deleted, r.data, r.field_hlc, r.device_id
		FROM unnest($2::text[], $3::text[]) AS k(tbl, id) CROSS JOIN LATERAL (
			SELECT s.tbl, s.id, s.hlc, s.deleted, s.data, s.field_hlc, s.device_id FROM sync_rows s
			WHERE s.business_id = $1 AND s.tbl = k.tbl AND s.id = k.id OFFSET 0) r`
	// pgWrite writes the changed rows, the seq counter and last_n.
	pgWrite = `WITH w AS (INSERT INTO sync_rows (business_id, tbl, id, hlc, deleted, data, field_hlc, seq, device_id, updated_at)
		SELECT $1, u.tbl, u.id, u.hlc, u.deleted, u.data, u.field_hlc, u.seq, u.device_id, $2
		FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::bigint[], $10::text[])
			AS u(tbl, id, hlc, deleted, data, field_hlc, seq, device_id)` + upsertTail + `),
		c AS (UPDATE sync_counters SET seq = $11 WHERE business_id = $1 AND seq <> $11)
		UPDATE devices SET last_n = $12, last_seen_at = $2 WHERE id = $13 AND business_id = $1`
)

// pushPostgres runs a push on one connection of the sync pool in two
// round trips.
func (db *DB) pushPostgres(ctx context.Context, p *pushPlan, resp *protocol.PushResponse) error {
	conn, err := db.syncPool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("push: %w", err)
	}
	// A connection still in a transaction (the rollback failed) is closed
	// on release, not reused.
	defer conn.Release()
	c := conn.Conn()
	written, err := pushOnConn(ctx, c, p, resp)
	if err != nil && c.PgConn().TxStatus() != 'I' {
		_, _ = c.Exec(context.WithoutCancel(ctx), "rollback")
	}
	if err == nil {
		db.wroteSyncRows(written)
	}
	return err
}

// pushOnConn runs the push and returns how many rows of sync_rows it wrote.
func pushOnConn(ctx context.Context, c *pgx.Conn, p *pushPlan, resp *protocol.PushResponse) (written int, err error) {
	s := p.s
	tbls, ids := make([]string, len(p.keys)), make([]string, len(p.keys))
	for i, k := range p.keys {
		tbls[i], ids[i] = k.table, k.id
	}
	b := &pgx.Batch{}
	b.Queue("begin")
	b.Queue(pgLock, s.DeviceID, s.BusinessID)
	if len(p.keys) > 0 {
		b.Queue(pgLoadRows, s.BusinessID, tbls, ids)
	}
	br := c.SendBatch(ctx, b)
	seq, d, cur, err := readLocks(br, len(p.keys) > 0)
	if cerr := br.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("push: %w", cerr)
	}
	if err != nil {
		return 0, err
	}
	lastN := d.lastN
	resp.LastN = lastN
	apply, n, resend, err := p.selectNew(d, resp, func() (map[string]bool, error) {
		rows, err := c.Query(ctx, clockQuery, s.BusinessID)
		if err != nil {
			return nil, fmt.Errorf("device clocks: %w", err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, fmt.Errorf("device clocks: %w", err)
		}
		out := make(map[string]bool, len(ids))
		for _, id := range ids {
			out[id] = true
		}
		return out, nil
	})
	if err != nil {
		return 0, err
	}
	b = &pgx.Batch{}
	if resend != d.resend {
		b.Queue(setResend, resend, s.DeviceID, s.BusinessID)
	}
	if n != lastN {
		w, err := p.merge(apply, cur, seq, resp)
		if err != nil {
			return 0, err
		}
		nr := len(w.rows)
		written = nr
		tbls, ids, hlcs, datas, fhs, devs := make([]string, nr), make([]string, nr), make([]string, nr),
			make([]string, nr), make([]string, nr), make([]string, nr)
		deleted, seqs := make([]int64, nr), make([]int64, nr)
		for i, r := range w.rows {
			tbls[i], ids[i], hlcs[i], datas[i], fhs[i], devs[i] = r.table, r.id, r.hlc, r.data, r.fieldStamp, r.device
			deleted[i], seqs[i] = r.deleted, r.seq
		}
		for _, r := range resp.Rejected {
			b.Queue(insertRejection, s.BusinessID, s.DeviceID, r.N, truncate(r.Table, 100), truncate(r.ID, 100),
				r.Code, truncate(r.Message, 1000), ms(p.now))
		}
		b.Queue(pgWrite, s.BusinessID, ms(p.now), tbls, ids, hlcs, deleted, datas, fhs, seqs, devs, w.seq, n, s.DeviceID)
	} else {
		b.Queue(pgSeen, ms(p.now), s.DeviceID, s.BusinessID)
	}
	b.Queue("commit")
	br = c.SendBatch(ctx, b)
	for range b.Len() {
		if _, err = br.Exec(); err != nil {
			break
		}
	}
	if cerr := br.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("push: write: %w", err)
	}
	resp.LastN = n
	return written, nil
}

// readLocks reads the results of the first batch of a push.
func readLocks(br pgx.BatchResults, load bool) (seq int64, d devState, cur map[rowKey]*loadedRow, err error) {
	if _, err := br.Exec(); err != nil {
		return 0, d, nil, fmt.Errorf("begin: %w", err)
	}
	var revoked *int64
	err = br.QueryRow().Scan(&d.lastN, &revoked, &seq, &d.clock, &d.resend)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, d, nil, core.ErrDeviceUnknown
	}
	if err != nil {
		return 0, d, nil, fmt.Errorf("lock device: %w", err)
	}
	if revoked != nil {
		return 0, d, nil, core.ErrDeviceRevoked
	}
	cur = map[rowKey]*loadedRow{}
	if !load {
		return seq, d, cur, nil
	}
	rows, err := br.Query()
	if err != nil {
		return 0, d, nil, fmt.Errorf("load rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, id, hlc, device string
		var deleted int64
		var data, fieldHLC []byte
		if err := rows.Scan(&table, &id, &hlc, &deleted, &data, &fieldHLC, &device); err != nil {
			return 0, d, nil, fmt.Errorf("load rows: %w", err)
		}
		r, err := loadedFrom(table, id, hlc, deleted, data, fieldHLC, device)
		if err != nil {
			return 0, d, nil, err
		}
		cur[rowKey{table, id}] = r
	}
	if err := rows.Err(); err != nil {
		return 0, d, nil, fmt.Errorf("load rows: %w", err)
	}
	return seq, d, cur, nil
}
