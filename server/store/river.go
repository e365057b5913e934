package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// The job queue (server/jobs, River) keeps its tables in the server's own
// database, next to the books: river_job, river_leader, river_queue and
// friends. They are migrated here, with the server's migrations, so that
// every way of opening the store (serve, backup, restore, tests) sees one
// schema.

// quietLog drops River's informational migration lines ("No migrations to
// apply" at every start).
var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// migrateRiverSQLite applies River's migrations on the writer connection,
// before the writer goroutine starts. Only one process opens a data
// directory for serving (naukar.lock), and the writer begins IMMEDIATE
// transactions, so a backup command opening the same file at the same
// time waits instead of migrating twice.
func (db *DB) migrateRiverSQLite(ctx context.Context) error {
	m, err := rivermigrate.New(riversqlite.New(db.write), &rivermigrate.Config{Logger: quietLog})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// migrateRiverPostgres applies River's migrations holding the same
// advisory lock as the server's own migrations, as a session lock on a
// connection of its own: River runs each migration in a transaction of its
// own (one of them adds an enum value that a later statement uses, which
// PostgreSQL allows only after a commit), so the lock must outlive them.
// Instances starting together migrate one at a time; the others find
// nothing left to do.
func (db *DB) migrateRiverPostgres(ctx context.Context) error {
	conn, err := db.pgx.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(`+migrationLockKey+`)`); err != nil {
		return fmt.Errorf("job queue migrations: lock: %w", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+migrationLockKey+`)`)
	}()
	m, err := rivermigrate.New(riverpgxv5.New(db.pgx), &rivermigrate.Config{Logger: quietLog, Schema: db.schema})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// JobsSQLite returns the connection the job queue uses on SQLite: the
// store's one writer connection, so that River's writes take turns with
// pushes instead of meeting them as SQLITE_BUSY. Nil on PostgreSQL.
func (db *DB) JobsSQLite() *sql.DB {
	if db.dialect.name != "sqlite" {
		return nil
	}
	return db.write
}

// JobsPostgres returns the pgx pool and schema the job queue uses on
// PostgreSQL (a small pool of its own: River listens for notifications on
// one connection). Nil on SQLite.
func (db *DB) JobsPostgres() (*pgxpool.Pool, string) {
	return db.pgx, db.schema
}
