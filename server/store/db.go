// Package store implements core.Store on SQL databases: embedded SQLite
// (modernc.org/sqlite, the default) and PostgreSQL through pgx. Both share
// the queries in this package; a dialect holds what differs (driver,
// migrations, error codes, locking).
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ainaukar/naukar/server/core"
)

//go:embed migrations
var migrationsFS embed.FS

type dialect struct {
	name string
	// migrationLock runs first in every migration transaction so several
	// instances starting at once migrate one at a time.
	migrationLock string
	isUnique      func(error) bool
	// positional makes bulk statements use ? placeholders: SQLite looks
	// up $N names linearly, which makes 5,000-parameter statements slow.
	positional bool
	// arrays: the driver binds []string as an array parameter (PostgreSQL).
	arrays bool
}

// param returns the placeholder of the i-th (1-based) parameter.
func (d dialect) param(i int) string {
	if d.positional {
		return "?"
	}
	return "$" + strconv.Itoa(i)
}

// DB is a core.Store on a SQL database. write takes every write
// transaction; read serves reads (for SQLite a separate pool of readers
// next to the one writer connection; for PostgreSQL the same pool).
type DB struct {
	write   *sql.DB
	read    *sql.DB
	dialect dialect
	path    string // SQLite file, empty for PostgreSQL

	// stmts holds statements prepared once (SQLite, where preparing costs
	// as much as running a small statement), by pool and SQL text. The
	// writer's are prepared when the store opens: its one connection is
	// busy inside a transaction.
	stmts sync.Map // stmtKey -> *sql.Stmt
	epoch atomic.Pointer[cachedEpoch]

	ckpt *sql.DB // SQLite: the connection that checkpoints the WAL

	// PostgreSQL: the job queue's pgx pool and the schema of the tables.
	pgx    *pgxpool.Pool
	schema string
	// PostgreSQL: the pool that serves pushes and pulls (see openSyncPool).
	syncPool *pgxpool.Pool
	// PostgreSQL: analyzes sync_rows as pushes grow it (pganalyze.go).
	analyzer *syncRowsAnalyzer

	// SQLite group commit: pushes for the writer goroutine.
	pushes    chan *pushJob
	closed    chan struct{}
	closeOnce sync.Once
	loopDone  sync.WaitGroup
}

type stmtKey struct {
	pool  *sql.DB
	query string
}

// cachedEpoch is the epoch as last read. Pushes and pulls check it on
// every request, so it is read again only after epochTTL: another
// instance that starts a new epoch (after a PostgreSQL restore) is seen
// within that time; this instance's own NewEpoch at once.
type cachedEpoch struct {
	value string
	at    time.Time
}

const epochTTL = time.Second

// prepared returns query prepared on pool, preparing it the first time.
func (db *DB) prepared(ctx context.Context, pool *sql.DB, query string) (*sql.Stmt, error) {
	k := stmtKey{pool, query}
	if st, ok := db.stmts.Load(k); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if old, loaded := db.stmts.LoadOrStore(k, st); loaded {
		st.Close()
		return old.(*sql.Stmt), nil
	}
	return st, nil
}

// txStmt returns query prepared for the write transaction tx: the
// statement prepared at open, or else one prepared for tx alone.
func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	if st, ok := db.stmts.Load(stmtKey{db.write, query}); ok {
		return tx.StmtContext(ctx, st.(*sql.Stmt)), nil
	}
	return tx.PrepareContext(ctx, query)
}

var _ core.Store = (*DB)(nil)

// Dialect names the database kind: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name }

// Close closes the database.
func (db *DB) Close() error {
	if db.closed != nil {
		db.closeOnce.Do(func() { close(db.closed) })
		db.loopDone.Wait()
	}
	db.stopAnalyzer()
	db.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	if db.ckpt != nil {
		err = errors.Join(err, db.ckpt.Close())
	}
	if db.pgx != nil {
		db.pgx.Close()
	}
	if db.syncPool != nil {
		db.syncPool.Close()
	}
	return err
}

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.read.PingContext(ctx)
}

func (db *DB) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// migrate applies the embedded numbered migrations of the dialect that are
// not yet recorded in schema_migrations, each in one transaction.
func (db *DB) migrate(ctx context.Context) error {
	// Under the lock too: two instances creating the table at once on a
	// fresh PostgreSQL both pass IF NOT EXISTS, and one fails.
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if db.dialect.migrationLock != "" {
			if _, err := tx.ExecContext(ctx, db.dialect.migrationLock); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`)
		return err
	})
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	dir := "migrations/" + db.dialect.name
	entries, err := fs.ReadDir(migrationsFS, dir)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		version, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", name)
		}
		body, err := fs.ReadFile(migrationsFS, dir+"/"+name)
		if err != nil {
			return err
		}
		err = db.tx(ctx, func(tx *sql.Tx) error {
			if db.dialect.migrationLock != "" {
				if _, err := tx.ExecContext(ctx, db.dialect.migrationLock); err != nil {
					return err
				}
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, version, name)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	// The first start of a fresh database picks its epoch.
	_, err = db.write.ExecContext(ctx,
		`INSERT INTO meta (key, value) VALUES ('epoch', $1) ON CONFLICT (key) DO NOTHING`, newEpochID())
	if err != nil {
		return fmt.Errorf("init epoch: %w", err)
	}
	return nil
}

func newEpochID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Epoch returns the server epoch (read at most once per epochTTL).
func (db *DB) Epoch(ctx context.Context) (string, error) {
	if c := db.epoch.Load(); c != nil && time.Since(c.at) < epochTTL {
		return c.value, nil
	}
	var e string
	err := db.read.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'epoch'`).Scan(&e)
	if err != nil {
		return "", fmt.Errorf("read epoch: %w", err)
	}
	db.epoch.Store(&cachedEpoch{value: e, at: time.Now()})
	return e, nil
}

// NewEpoch sets a fresh epoch, to be run after restoring a backup so that
// devices resync instead of seeing the server go back in time.
func (db *DB) NewEpoch(ctx context.Context) (string, error) {
	e := newEpochID()
	_, err := db.write.ExecContext(ctx,
		`INSERT INTO meta (key, value) VALUES ('epoch', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, e)
	if err != nil {
		return "", fmt.Errorf("set epoch: %w", err)
	}
	db.epoch.Store(&cachedEpoch{value: e, at: time.Now()})
	return e, nil
}

// CheckIntegrity looks for damage in the database: PRAGMA quick_check on
// SQLite (it reads every page, so callers run it now and then, not per
// request), a query on PostgreSQL (which checks its own pages).
func (db *DB) CheckIntegrity(ctx context.Context) error {
	if db.dialect.name != "sqlite" {
		var one int
		if err := db.read.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
			return fmt.Errorf("integrity: %w", err)
		}
		return nil
	}
	rows, err := db.read.QueryContext(ctx, `PRAGMA quick_check(10)`)
	if err != nil {
		return fmt.Errorf("integrity: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("integrity: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity: quick_check: %s", strings.Join(problems, "; "))
	}
	return nil
}
