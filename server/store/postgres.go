package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

var postgresDialect = dialect{
	name:   "postgres",
	arrays: true,
	// One arbitrary key for "naukar migrations".
	migrationLock: `SELECT pg_advisory_xact_lock(7243190017)`,
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
	p.SetMaxOpenConns(32)
	p.SetMaxIdleConns(32)
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	db := &DB{write: p, read: p, dialect: postgresDialect}
	if err := db.migrate(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("migrate postgres: %w", err)
	}
	return db, nil
}
