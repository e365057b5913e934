package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"modernc.org/sqlite"

	"github.com/ainaukar/naukar/app/books"
)

// KnownSchema is the newest books schema this build knows: the number of its
// newest embedded migration.
func KnownSchema() int {
	names, _ := fs.Glob(migrationsFS, "migrations/*.sql")
	sort.Strings(names)
	if len(names) == 0 {
		return 0
	}
	v, _ := migrationVersion(names[len(names)-1])
	return v
}

func migrationVersion(name string) (int, error) {
	base := filepath.Base(name)
	v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
	if err != nil {
		return 0, fmt.Errorf("migration %s: bad name", base)
	}
	return v, nil
}

// MigrationInfo tells Options.BeforeMigrate what is about to change.
type MigrationInfo struct {
	Path     string
	From, To int    // schema versions: the books' newest applied migration, this build's newest
	DeviceID string // the books' device id ("" if unknown)
	// Backup writes a complete copy of the books, as they are before the
	// migration, to dst (VACUUM INTO: a new file, written whole or not at all).
	Backup func(ctx context.Context, dst string) error
}

// TooNewError is the refusal to open books that a newer version of the app
// made: their schema has migrations this build does not know. Nothing in the
// file is changed.
type TooNewError struct {
	Path        string
	Have, Known int
}

func (e *TooNewError) Error() string {
	return fmt.Sprintf("These books (%s) were made by a newer version of AI Naukar (books version %d; this app reads up to version %d). Update the app to open them; the books were not changed.",
		e.Path, e.Have, e.Known)
}

// Unwrap gives the plain-words error the CLI and the window show.
func (e *TooNewError) Unwrap() error { return &books.Error{Code: books.ECONFLICT, Msg: e.Error()} }

// DamagedError means SQLite found the books file damaged (not a database,
// or pages that do not add up). Problems lists what the check said.
type DamagedError struct {
	Path     string
	Problems []string
	Err      error
}

func (e *DamagedError) Error() string {
	what := "SQLite cannot read it"
	if len(e.Problems) > 0 {
		what = fmt.Sprintf("the integrity check found %d problem(s), the first: %s", len(e.Problems), e.Problems[0])
	} else if e.Err != nil {
		what = e.Err.Error()
	}
	return fmt.Sprintf("The books file %s is damaged (%s). Restore the newest good backup: `naukar backup restore`, or the Restore button in the app; the damaged file is kept aside, never deleted.", e.Path, what)
}

// Unwrap gives the plain-words error the CLI and the window show.
func (e *DamagedError) Unwrap() error { return &books.Error{Code: books.ECONFLICT, Msg: e.Error()} }

// damaged turns SQLite's "not a database" and "malformed" answers into a
// DamagedError; other errors pass through.
func damaged(path string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case 11, 26: // SQLITE_CORRUPT, SQLITE_NOTADB
			return &DamagedError{Path: path, Err: err}
		}
	}
	return err
}

// refuseNewer reads the schema version of existing books on a read-only
// connection, before the writer's settings (WAL mode) touch the file, and
// refuses books made by a newer app.
func refuseNewer(path string) error {
	if _, err := os.Stat(path); err != nil {
		return nil // new books
	}
	db, err := openReadOnly(path)
	if err != nil {
		return err
	}
	defer db.Close()
	have, err := schemaState(db)
	if err != nil {
		return damaged(path, fmt.Errorf("open books %s: %w", path, err))
	}
	if known := KnownSchema(); have > known {
		return &TooNewError{Path: path, Have: have, Known: known}
	}
	return nil
}

// schemaState reads which migrations the books have applied, without
// writing anything ("no table" is version 0).
func schemaState(q interface {
	QueryRow(string, ...any) *sql.Row
}) (newest int, err error) {
	var n sql.NullInt64
	err = q.QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&n)
	if err != nil && strings.Contains(err.Error(), "no such table") {
		return 0, nil
	}
	return int(n.Int64), err
}

// Backup writes a complete, consistent copy of the open books to dst while
// the app goes on working (VACUUM INTO reads one snapshot of the books; the
// copy is compact). The copy is written to a temporary name, synced and then
// renamed, so dst is either the whole backup or absent.
func (s *Store) Backup(ctx context.Context, dst string) error {
	// A connection of its own, read-only: bills go on being saved on the
	// writer while the copy is made (a query_only connection cannot run
	// VACUUM INTO, a mode=ro one can).
	db, err := openReadOnly(s.path)
	if err != nil {
		return err
	}
	defer db.Close()
	return vacuumInto(ctx, db, s.path, dst)
}

func openReadOnly(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

func vacuumInto(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return fmt.Errorf("back up books: %w", err)
	}
	tmp := dst + ".partial"
	os.Remove(tmp)
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("back up books %s to %s: %w", src, dst, damaged(src, err))
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("back up books to %s: %w", dst, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("back up books to %s: %w", dst, err)
	}
	syncDir(filepath.Dir(dst))
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename durable where the OS allows it (not on Windows).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Check runs SQLite's integrity check on the open books: quick_check (a few
// seconds on large books: pages, records and constraints), or with full the
// complete integrity_check (also every index against its table). It returns
// the problems found; none means the books are sound.
func (s *Store) Check(ctx context.Context, full bool) ([]string, error) {
	return checkDB(ctx, s.r, full)
}

func checkDB(ctx context.Context, db *sql.DB, full bool) ([]string, error) {
	q := `PRAGMA quick_check`
	if full {
		q = `PRAGMA integrity_check`
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	return problems, rows.Err()
}

// FileInfo is what Inspect learns from a books file without changing it.
type FileInfo struct {
	Schema   int      // newest applied migration
	DeviceID string   // "" if unknown
	Business string   // the shop's name, "" if not set up
	Invoices int      // number of invoices
	Problems []string // what the integrity check found (none: sound)
}

// Inspect opens a books file (or a backup) read-only, checks it (quick_check,
// or integrity_check with full) and reads a few facts. It writes nothing.
// A file SQLite cannot read at all is a *DamagedError.
func Inspect(ctx context.Context, path string, full bool) (FileInfo, error) {
	var fi FileInfo
	if _, err := os.Stat(path); err != nil {
		return fi, books.Errorf(books.ENOTFOUND, "No books file at %s.", path)
	}
	db, err := openReadOnly(path)
	if err != nil {
		return fi, err
	}
	defer db.Close()
	fi.Problems, err = checkDB(ctx, db, full)
	if err != nil {
		return fi, damaged(path, err)
	}
	if len(fi.Problems) > 0 {
		return fi, nil
	}
	if fi.Schema, err = schemaState(db); err != nil {
		return fi, damaged(path, err)
	}
	if fi.Schema == 0 {
		return fi, nil
	}
	db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'device_id'`).Scan(&fi.DeviceID)
	db.QueryRowContext(ctx, `SELECT json_extract(data, '$.name') FROM business LIMIT 1`).Scan(&fi.Business)
	db.QueryRowContext(ctx, `SELECT count(*) FROM invoices`).Scan(&fi.Invoices)
	return fi, nil
}
