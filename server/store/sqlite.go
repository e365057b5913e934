package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLiteFile is the database file name inside the data directory.
const SQLiteFile = "naukar.db"

// sqliteDSN opens path in WAL mode with synchronous=NORMAL, unless extra
// sets synchronous itself (the driver keeps the first value of a pragma).
func sqliteDSN(path string, extra string) string {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)"
	if !strings.Contains(extra, "synchronous(") {
		dsn += "&_pragma=synchronous(NORMAL)"
	}
	return dsn + extra
}

var sqliteDialect = dialect{
	name:       "sqlite",
	positional: true,
	isUnique: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
	},
}

// OpenSQLite opens (creating if needed) the database in dataDir and
// migrates it. Writes go through one connection that begins IMMEDIATE
// transactions; reads use a separate pool.
func OpenSQLite(ctx context.Context, dataDir string) (*DB, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	path := filepath.Join(dataDir, SQLiteFile)
	// The writer keeps a large page cache (its pages stay valid: it makes
	// every change) and never checkpoints: a checkpoint copies the WAL
	// back into the file and syncs it, which would hold up every push and
	// pull queued behind the commit that triggered it. checkpointLoop
	// does it on a connection of its own, which writers do not wait for.
	//
	// The writer commits with synchronous=FULL: a push is acknowledged
	// only once its commit is on disk, so a power cut cannot undo it
	// (NORMAL can lose the last commits of the WAL). Group commit shares
	// the cost of that sync among the pushes waiting (server/README.md,
	// "Security").
	w, err := sql.Open("sqlite", sqliteDSN(path, "&_txlock=immediate&_pragma=cache_size(-65536)&_pragma=wal_autocheckpoint(0)&_pragma=synchronous(FULL)"))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Readers map the file: a reader's page cache is dropped whenever
	// another connection has committed, so its pages come from the map
	// (or the WAL) instead of a read system call each.
	r, err := sql.Open("sqlite", sqliteDSN(path, "&_pragma=query_only(1)&_pragma=mmap_size(1073741824)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	db := &DB{write: w, read: r, dialect: sqliteDialect, path: path}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	if err := db.migrateRiverSQLite(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	if err := db.prepareWrites(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	ckpt, err := sql.Open("sqlite", sqliteDSN(path, ""))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	ckpt.SetMaxOpenConns(1)
	db.ckpt = ckpt
	db.pushes, db.closed = make(chan *pushJob), make(chan struct{})
	db.loopDone.Add(2)
	go db.writeLoop()
	go db.checkpointLoop()
	return db, nil
}

// checkpointEvery is how often the WAL is copied back into the database
// file (PASSIVE: never waits for readers or writers).
const checkpointEvery = 500 * time.Millisecond

func (db *DB) checkpointLoop() {
	defer db.loopDone.Done()
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-db.closed:
			return
		case <-t.C:
		}
		// A failed checkpoint is tried again at the next tick.
		_, _ = db.ckpt.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
	}
}

// Backup writes a consistent snapshot of the SQLite database to file with
// VACUUM INTO. Writers are not blocked while it runs.
func (db *DB) Backup(ctx context.Context, file string) error {
	if db.path == "" {
		return errors.New("backup: only the SQLite store backs itself up; use pg_dump for PostgreSQL")
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmp := file + ".partial"
	_ = os.Remove(tmp)
	c, err := sql.Open("sqlite", sqliteDSN(db.path, ""))
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `VACUUM INTO $1`, tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", file, err)
	}
	if err := os.Rename(tmp, file); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// BackupFilePrefix and BackupFileSuffix frame the names of snapshots made by
// RotateBackup; the time in between sorts in time order.
const (
	BackupFilePrefix = "naukar-"
	BackupFileSuffix = ".db"
)

// RotateBackup writes a new snapshot into dir named by now and removes all
// but the newest keep snapshots. It returns the new file.
//
// A snapshot cut short (the process killed during VACUUM INTO) leaves a
// ".partial" file, never a snapshot-named one; those are removed here.
func (db *DB) RotateBackup(ctx context.Context, dir string, keep int, now time.Time) (string, error) {
	file := filepath.Join(dir, BackupFilePrefix+now.UTC().Format("20060102T150405.000Z")+BackupFileSuffix)
	if old, err := filepath.Glob(filepath.Join(dir, BackupFilePrefix+"*"+BackupFileSuffix+".partial")); err == nil {
		for _, f := range old {
			_ = os.Remove(f)
		}
	}
	if err := db.Backup(ctx, file); err != nil {
		return "", err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return file, fmt.Errorf("list backups: %w", err)
	}
	var snaps []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, BackupFilePrefix) && strings.HasSuffix(n, BackupFileSuffix) {
			snaps = append(snaps, n)
		}
	}
	sort.Strings(snaps)
	if keep < 1 {
		keep = 1
	}
	for len(snaps) > keep {
		if err := os.Remove(filepath.Join(dir, snaps[0])); err != nil {
			return file, fmt.Errorf("remove old backup: %w", err)
		}
		snaps = snaps[1:]
	}
	return file, nil
}

// RestoreSQLite replaces the database in dataDir with the snapshot from and
// sets a new epoch, so devices resync instead of seeing the server go back
// in time. The server must be stopped. It returns the new epoch.
func RestoreSQLite(ctx context.Context, dataDir, from string) (string, error) {
	// Check the snapshot opens as a naukar database before touching anything.
	probe, err := sql.Open("sqlite", "file:"+(&url.URL{Path: from}).EscapedPath()+"?mode=ro")
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	var n int
	err = probe.QueryRowContext(ctx, `SELECT COUNT(*) FROM meta WHERE key = 'epoch'`).Scan(&n)
	probe.Close()
	if err != nil || n != 1 {
		return "", fmt.Errorf("restore: %s is not a naukar-server backup (%v)", from, err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	path := filepath.Join(dataDir, SQLiteFile)
	tmp := path + ".restore"
	if err := copyFile(from, tmp); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	for _, f := range []string{path + "-wal", path + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	db, err := OpenSQLite(ctx, dataDir)
	if err != nil {
		return "", err
	}
	defer db.Close()
	return db.NewEpoch(ctx)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
