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
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := store.OpenPostgres(ctx, u.String())
	if err != nil {
		admin.Close()
		tb.Fatalf("open postgres store: %v", err)
	}
	tb.Cleanup(func() {
		db.Close()
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	return db
}
