package backup_test

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/backup"
	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/cli"
	"github.com/ainaukar/naukar/app/store"
)

// files maps each file in dir (not in subfolders) to its SHA-256.
func files(tb testing.TB, dir string) map[string][32]byte {
	tb.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	m := map[string][32]byte{}
	for _, e := range ents {
		if !e.IsDir() {
			m[e.Name()] = sum(tb, filepath.Join(dir, e.Name()))
		}
	}
	return m
}

// setSchema records migration v as applied, as a newer app would.
func setSchema(tb testing.TB, path string, v int) {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO schema_migrations(version, applied_at) VALUES (?, '2031-01-01T00:00:00Z')`, v); err != nil {
		tb.Fatal(err)
	}
}

// Books made by an old build (schema 1, testdata/README.md) open in this
// one: backed up first, migrated, every document still there.
func TestOldBooksOpenInNewBuild(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "books.db")
	gunzip(t, "testdata/books-schema1.db.gz", path)
	old, err := store.Inspect(ctx, path, true)
	if err != nil || old.Schema != 1 || old.Invoices != 30 {
		t.Fatalf("fixture: %+v %v", old, err)
	}
	m := &backup.Manager{Books: path, Now: newClock().now}
	st, err := m.Open(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// A backup of the old books was made before the migration.
	bs := try(m.List()).must(t)
	if len(bs) != 1 || bs[0].Reason != backup.Migration {
		t.Fatalf("backups after migrating: %+v", bs)
	}
	pre, err := store.Inspect(ctx, bs[0].Path, true)
	if err != nil || pre.Schema != 1 || pre.Invoices != 30 || len(pre.Problems) > 0 {
		t.Fatalf("pre-migration backup: %+v %v", pre, err)
	}
	now, err := store.Inspect(ctx, path, true)
	if err != nil || now.Schema != store.KnownSchema() || now.Invoices != 30 || len(now.Problems) > 0 {
		t.Fatalf("migrated books: %+v %v (want schema %d)", now, err, store.KnownSchema())
	}
	biz, err := st.Business()
	if err != nil || biz.Name != "Sharma General Stores" {
		t.Fatalf("business: %+v %v", biz, err)
	}
	rows, err := st.ListInvoices(store.InvoiceFilter{Limit: 100})
	if err != nil || len(rows) != 30 {
		t.Fatalf("invoices after migration: %d %v", len(rows), err)
	}
	inv, _, err := st.Invoice(rows[0].Number)
	if err != nil || len(inv.Lines) == 0 || inv.Totals.GrandTotal <= 0 {
		t.Fatalf("invoice %s after migration: %+v %v", rows[0].Number, inv, err)
	}
	hits, err := st.SearchProducts(strings.Fields(inv.Lines[0].Name)[0], 5)
	if err != nil || len(hits) == 0 {
		t.Fatalf("product search after migration: %v %v", hits, err)
	}
	// A new bill on the migrated books.
	p, err := st.Product(inv.Lines[0].ProductID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateSale(ctx, &books.SaleDraft{Date: st.Now(), Lines: []books.DraftLine{{ProductID: p.ID, Product: p, Qty: 1000}}}); err != nil {
		t.Fatal(err)
	}
	// Opening again migrates nothing and backs up nothing.
	st.Close()
	st = try(m.Open(store.Options{})).must(t)
	if bs := try(m.List()).must(t); len(bs) != 1 {
		t.Fatalf("a second open made another migration backup: %+v", bs)
	}
}

// Books made by a newer app are refused with "update the app", and the file
// is not changed by the attempt (not even its journal mode).
func TestNewerBooksRefusedUntouched(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "books.db")
	gunzip(t, "testdata/books-schema1.db.gz", path)
	m := &backup.Manager{Books: path, Now: newClock().now}
	st := try(m.Open(store.Options{})).must(t)
	st.Checkpoint()
	st.Close()
	future := store.KnownSchema() + 1
	setSchema(t, path, future)
	before := files(t, dir)
	backupsBefore := try(m.List()).must(t)

	_, err := m.Open(store.Options{})
	var tn *store.TooNewError
	if !errors.As(err, &tn) || tn.Have != future || tn.Known != store.KnownSchema() {
		t.Fatalf("open newer books: %v", err)
	}
	msg := books.ErrorMessage(err)
	if !strings.Contains(msg, "newer version") || !strings.Contains(msg, "Update the app") {
		t.Fatalf("message %q does not say to update the app", msg)
	}
	// The command line says the same and exits 1.
	var out, errOut bytes.Buffer
	code := cli.Main([]string{"--books", path, "business", "show"}, &cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut})
	if code != 1 || !strings.Contains(errOut.String(), "Update the app") {
		t.Fatalf("cli: exit %d, stderr %q", code, errOut.String())
	}
	// SQLite's read-only look may leave an empty log and its index beside
	// the books (as any reader does); the books file itself is unchanged.
	after := files(t, dir)
	empty := sha256.Sum256(nil)
	if w, ok := after["books.db-wal"]; ok && w != empty {
		t.Fatal("refusing newer books wrote to the log")
	}
	delete(after, "books.db-wal")
	delete(after, "books.db-shm")
	if !maps.Equal(after, before) {
		t.Fatalf("refusing newer books changed the files: before %v, after %v", before, after)
	}
	if len(try(m.List()).must(t)) != len(backupsBefore) {
		t.Fatal("refusing newer books made a backup")
	}
}
