// Package storetest opens fresh server stores for tests: a SQLite file in a
// temporary directory and a PostgreSQL schema that is dropped afterwards.
// The same tests run against every store (see Stores).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/store"
)

// DefaultPostgresURL is the test database: PostgreSQL on loopback with
// trust auth. NAUKAR_TEST_DATABASE_URL overrides it.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Opener opens a fresh, empty store for one test.
type Opener func(tb testing.TB) *store.DB

// Stores lists the store implementations every shared test runs against.
var Stores = []struct {
	Name string
	Open Opener
}{
	{"sqlite", SQLite},
	{"postgres", Postgres},
}

// SQLite opens a store in a new temporary directory.
func SQLite(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.OpenSQLite(context.Background(), tb.TempDir())
	if err != nil {
		tb.Fatalf("open sqlite store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Postgres opens a store in a new schema of the test database and drops
// the schema when the test ends. An unreachable database fails the test
// unless NAUKAR_NO_PG=1, which skips it.
func Postgres(tb testing.TB) *store.DB {
	tb.Helper()
	u := PostgresURL(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := store.OpenPostgres(ctx, u)
	if err != nil {
		tb.Fatalf("open postgres store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL creates a new, empty schema in the test database and returns
// a URL whose search_path is that schema (for OpenPostgres, or a server's
// DATABASE_URL; several stores may open it at once). The schema is dropped
// when the test ends, after everything the test opened on it is closed.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	if os.Getenv("NAUKAR_NO_PG") == "1" {
		tb.Skip("NAUKAR_NO_PG=1: PostgreSQL tests skipped")
	}
	base := os.Getenv("NAUKAR_TEST_DATABASE_URL")
	if base == "" {
		base = DefaultPostgresURL
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open PostgreSQL %s: %v", base, err)
	}
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		tb.Fatalf("PostgreSQL is unreachable at %s: %v (set NAUKAR_NO_PG=1 to skip the PostgreSQL store)", base, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "naukar_test_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	// Registered first, so it runs after the cleanups of whatever the
	// test opens on the schema.
	tb.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
