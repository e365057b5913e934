// Package store keeps the books in one SQLite file (modernc.org/sqlite):
// embedded numbered migrations, records and documents as canonical JSON with
// generated columns, derived tables for stock, ledger and money, FTS5 product
// search, and the sync outbox written in the same transaction as each change.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	_ "modernc.org/sqlite" // the SQLite driver

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/sync/protocol"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Store is an open books file. One writer connection serialises changes; a
// pool of read-only connections serves queries in parallel (WAL).
type Store struct {
	path  string
	w     *sql.DB
	r     *sql.DB
	clock *protocol.Clock
	now   func() time.Time

	deviceID string
	// businessID is written by a sign-in (AdoptBusiness, JoinBusiness) while
	// saves on other goroutines read it.
	businessID atomic.Pointer[string]
	series     atomic.Pointer[string] // read by screens on other goroutines

	stmts  map[string]*sql.Stmt // prepared at open; read-only afterwards
	rstmts sync.Map             // query → *sql.Stmt of the read pool (readstmt.go)

	liveProducts atomic.Pointer[productCount] // the last count of live products (CountProducts)

	ckpt     *sql.DB       // the checkpointer's own connection
	ckptKick chan struct{} // a commit happened (buffered, 1)
	ckptStop chan struct{} // closed by Close

	biz          atomic.Pointer[bizCache] // the profile as last read by a save
	bulk         atomic.Bool              // a new device's download is being applied in bulk mode (bulk.go)
	pendingStock atomic.Int64             // stock effects this process queued and has not folded
	bulkFrom     int                      // smallest first page applied in bulk mode
	searchReady  atomic.Bool              // in bulk mode, the search index was built after the masters (download.go)
	history      atomic.Int32             // 0 unknown, 1 complete, 2 a new device's history is still downloading (download.go)
	ckptDone     chan struct{}            // closed when the checkpointer has stopped

	// Day summaries of the reports (report_days.go).
	noDays      atomic.Bool // reports read every document
	daysMu      sync.Mutex  // one SummariseDays at a time
	daysRunning atomic.Bool // the background one is under way
	daysWG      sync.WaitGroup
	daysCtx     context.Context // ends when the books close
	daysStop    context.CancelFunc

	// bulkStock sums the stock effects of the pages a download in bulk mode
	// has committed in this process (nil: stock is derived from doc_lines
	// at the end; bulk.go).
	bulkStock   *loadMoves
	bulkStockMu sync.Mutex
	bulkQs      bulkStmts // a bulk download's statements (bulkapply.go)

	actor     atomic.Pointer[Actor] // the staff member signed in on this device (staff.go)
	pinParams staff.Params
}

// Options tune Open; the zero value is fine.
type Options struct {
	Now func() time.Time // clock for stamps and default dates; nil is time.Now
	// BeforeMigrate runs before migrations change existing books (not new
	// ones), with a way to back them up first; an error stops the open with
	// the books untouched.
	BeforeMigrate func(ctx context.Context, m MigrationInfo) error
	// PINParams are the argon2id costs of new staff PINs (nil:
	// staff.DefaultParams; tests pass staff.TestParams).
	PINParams *staff.Params
	// BulkFrom is the smallest first page of a new device's download that
	// is applied in bulk mode (bulk.go); 0 means 1000. Tests of the bulk
	// path set it low to use a small business.
	BulkFrom int
}

type connRole int

// The writer's page cache (KiB, negative as PRAGMA cache_size takes it) and
// the part of the file read through mmap (bytes); bulk.go gives a bulk
// download more of both.
const (
	writerCache      = "-16384"
	mmapSize         = "268435456"
	writerCheckpoint = "4096" // pages of log past which the writer folds it itself
)

const (
	roleWriter connRole = iota
	roleReader
	roleCheckpointer
)

func dsn(path string, role connRole) string {
	q := url.Values{}
	// synchronous NORMAL in WAL mode: a commit is atomic and survives a
	// crash of the app; a power cut can lose at most the last moments, never
	// corrupt. The page cache is large (the writer keeps the pages a bill
	// touches: stock rows, index leaves) and reads go through mmap, so a save
	// does not wait on reads. The checkpointer folds the log in the
	// background, so a save does not pay for it.
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)",
		"mmap_size(" + mmapSize + ")"} {
		q.Add("_pragma", p)
	}
	switch role {
	case roleWriter:
		q.Add("_pragma", "cache_size("+writerCache+")")
		// A backstop: when writes never pause (a bulk download), the
		// background checkpoints cannot catch up and restart the log, so
		// the writer folds it itself past 16 MiB.
		q.Add("_pragma", "wal_autocheckpoint("+writerCheckpoint+")")
	case roleReader:
		q.Add("_pragma", "cache_size(-16384)")
		q.Add("_pragma", "query_only(1)")
	case roleCheckpointer:
		q.Add("_pragma", "cache_size(-1024)")
	}
	q.Add("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the books file at path and migrates it.
func Open(path string, opt Options) (*Store, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create folder for books %s: %w", path, err)
		}
	}
	if err := refuseNewer(path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, roleWriter))
	if err != nil {
		return nil, fmt.Errorf("open books %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	s := &Store{path: path, w: w, now: opt.Now, pinParams: staff.DefaultParams, bulkFrom: opt.BulkFrom}
	if opt.PINParams != nil {
		s.pinParams = *opt.PINParams
	}
	if s.bulkFrom <= 0 {
		s.bulkFrom = bulkMinRows
	}
	if err := s.migrate(opt.BeforeMigrate); err != nil {
		w.Close()
		return nil, damaged(path, err)
	}
	if err := s.prepareHot(); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(path, roleReader))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open books %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	s.r = r
	if err := s.startCheckpointer(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.loadMeta(); err != nil {
		s.Close()
		return nil, err
	}
	// A bulk download a crash interrupted, and stock effects left unfolded.
	if err := s.finishBulk(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.FoldStock(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	s.daysCtx, s.daysStop = context.WithCancel(context.Background())
	var build string
	if err := s.r.QueryRow(`SELECT coalesce((SELECT value FROM meta WHERE key = ?), '')`, metaReportDays).Scan(&build); err != nil {
		s.Close()
		return nil, err
	}
	if build != "" {
		s.kickDays() // books from before the day summaries
	}
	return s, nil
}

// Close closes the books file.
func (s *Store) Close() error {
	var errs []error
	s.stopDays()
	s.stopCheckpointer()
	if s.r != nil && s.w != nil {
		errs = append(errs, s.FoldStock(context.Background()))
	}
	for _, st := range s.stmts {
		st.Close()
	}
	s.closeBulk()
	s.closeReadStmts()
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	return errors.Join(errs...)
}

// Path is the books file's path.
func (s *Store) Path() string { return s.path }

// DeviceID is this device's id (made when the books file was created).
func (s *Store) DeviceID() string { return s.deviceID }

// BusinessID is the business these books belong to ("" before init).
func (s *Store) BusinessID() string {
	if p := s.businessID.Load(); p != nil {
		return *p
	}
	return ""
}

func (s *Store) setBusinessID(id string) { s.businessID.Store(&id) }

// Series is this device's invoice series (A for the first device).
func (s *Store) Series() string {
	if p := s.series.Load(); p != nil {
		return *p
	}
	return ""
}

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// migrate applies the embedded migrations the books lack, each in one
// transaction. Books with a migration this build does not know (made by a
// newer app) are refused before anything is written. Existing books are
// handed to before (a backup) before the first migration changes them.
func (s *Store) migrate(before func(context.Context, MigrationInfo) error) error {
	ctx := context.Background()
	have, err := schemaState(s.w)
	if err != nil {
		return fmt.Errorf("open books %s: %w", s.path, err)
	}
	known := KnownSchema()
	if have > known {
		return &TooNewError{Path: s.path, Have: have, Known: known}
	}
	names, err := fs.Glob(migrationsFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	applied := map[int]bool{}
	if have > 0 {
		rows, err := s.w.Query(`SELECT version FROM schema_migrations`)
		if err != nil {
			return fmt.Errorf("migrate books: %w", err)
		}
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return fmt.Errorf("migrate books: %w", err)
			}
			applied[v] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("migrate books: %w", err)
		}
	}
	var pending []string
	for _, name := range names {
		v, err := migrationVersion(name)
		if err != nil {
			return err
		}
		if !applied[v] {
			pending = append(pending, name)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	if have > 0 && before != nil {
		var dev string
		s.w.QueryRow(`SELECT value FROM meta WHERE key = 'device_id'`).Scan(&dev)
		info := MigrationInfo{Path: s.path, From: have, To: known, DeviceID: dev,
			Backup: func(ctx context.Context, dst string) error { return vacuumInto(ctx, s.w, s.path, dst) }}
		if err := before(ctx, info); err != nil {
			return fmt.Errorf("before updating the books from version %d to %d: %w", have, known, err)
		}
	}
	if _, err := s.w.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate books: %w", err)
	}
	for _, name := range pending {
		base := filepath.Base(name)
		v, _ := migrationVersion(name)
		body, err := migrationsFS.ReadFile(name)
		if err != nil {
			return err
		}
		tx, err := s.w.Begin()
		if err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if _, err := tx.Exec(string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if _, err := tx.Exec(`INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)`, v, time.Now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func (s *Store) loadMeta() error {
	m, err := s.metaAll()
	if err != nil {
		return err
	}
	if m["device_id"] == "" {
		id := uuid.Must(uuid.NewV7()).String()
		if err := s.setMeta(map[string]string{"device_id": id, "series": "A"}); err != nil {
			return err
		}
		m["device_id"], m["series"] = id, "A"
	}
	s.deviceID = m["device_id"]
	s.setBusinessID(m["business_id"])
	series := m["series"]
	s.series.Store(&series)
	var last protocol.HLC
	if m["hlc"] != "" {
		if h, err := protocol.ParseHLC(m["hlc"]); err == nil {
			last = h
		}
	}
	s.clock = protocol.NewClock(s.deviceID, last, s.now)
	return nil
}

func (s *Store) metaAll() (map[string]string, error) {
	rows, err := s.w.Query(`SELECT key, value FROM meta`)
	if err != nil {
		return nil, fmt.Errorf("read books settings: %w", err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, rows.Err()
}

// Meta returns one local setting ("" if unset).
func (s *Store) Meta(key string) (string, error) {
	var v string
	err := s.r.QueryRow(`SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetMeta writes local settings (not synced) in one transaction.
func (s *Store) SetMeta(kv map[string]string) error {
	old := s.BusinessID()
	err := s.tx(context.Background(), func(tx *Tx) error {
		if err := tx.setMeta(kv); err != nil {
			return err
		}
		if v, ok := kv["business_id"]; ok {
			s.setBusinessID(v) // before the commit: see AdoptBusiness
		}
		return nil
	})
	if err != nil {
		s.setBusinessID(old)
		return err
	}
	if v, ok := kv["series"]; ok {
		s.series.Store(&v)
	}
	return nil
}

func (s *Store) setMeta(kv map[string]string) error {
	return s.tx(context.Background(), func(tx *Tx) error { return tx.setMeta(kv) })
}

// Tx is a write transaction on the books.
type Tx struct {
	*sql.Tx
	s   *Store
	hlc protocol.HLC // the stamp of this transaction's changes (set lazily)
	// fresh: the document being inserted was made here just now (its
	// cancellation cannot have arrived before it).
	fresh bool
	// batch, while set, collects derived rows to write in multi-row
	// statements (a page of a bulk download: bulkapply.go).
	batch *pageBatch
	// days are the dates whose day summaries the transaction made stale
	// (report_days.go).
	days map[string]bool
}

func (tx *Tx) setMeta(kv map[string]string) error {
	for k, v := range kv {
		if _, err := tx.Exec(upsertMeta, k, v); err != nil {
			return fmt.Errorf("save setting %s: %w", k, err)
		}
	}
	return nil
}

// stamp returns a fresh HLC stamp for a change in this transaction.
func (tx *Tx) stamp() string {
	tx.hlc = tx.s.clock.Now()
	return tx.hlc.String()
}

// tx runs fn in one write transaction; the last HLC stamp is saved with it.
func (s *Store) tx(ctx context.Context, fn func(*Tx) error) error {
	sqlTx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{Tx: sqlTx, s: s}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := tx.dropChangedDays(); err != nil {
		sqlTx.Rollback()
		return err
	}
	if !tx.hlc.IsZero() {
		if _, err := tx.Exec(upsertMeta, "hlc", tx.hlc.String()); err != nil {
			sqlTx.Rollback()
			return err
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	s.kickCheckpoint()
	return nil
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func (s *Store) requireBooks() error {
	if s.BusinessID() == "" {
		return books.Errorf(books.EINVALID, "These books are not set up yet: run `naukar init --name NAME --state CODE` first.")
	}
	return nil
}

// Checkpoint folds the write-ahead log into the books file.
func (s *Store) Checkpoint() error {
	_, err := s.w.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// prepareHot prepares the statements of the hot paths (saving a bill,
// applying pulled documents) once, at open, on the single writer connection.
// They must be prepared outside any transaction: with one connection, a
// Prepare inside a transaction would wait for itself.
func (s *Store) prepareHot() error {
	qs := []string{insLedger, insMoney, insOutbox, upsertMeta, dropDay, foldLevels, foldDays, partyByPhone, partyByGSTIN, partyByName, businessStamp, businessRow, anyStaff,
		`SELECT count(*) FROM cancellations WHERE doc_id = ?`,
		`SELECT data, field_hlc, hlc FROM parties WHERE id = ?`,
		`SELECT data, field_hlc, hlc FROM products WHERE id = ?`}
	for _, t := range []string{"invoices", "credit_notes", "purchases", "payments", "expenses", "stock_adjustments", "cancellations", "export_details"} {
		qs = append(qs, insDocument(t))
	}
	for _, t := range []string{"invoices", "credit_notes"} {
		qs = append(qs, nextSeqQuery(t))
	}
	qs = append(qs, insProduct, oldProduct, updProduct, ftsDelete, ftsInsert, delCodes, insCode)
	for _, t := range []string{"business", "products", "parties", "expense_categories", "message_templates"} {
		qs = append(qs, insRecord(t), updRecord(t), recordRowQuery(t))
	}
	for k := 1; k <= maxBatch; k++ {
		qs = append(qs, insLines(k), insPending(k))
	}
	s.stmts = make(map[string]*sql.Stmt, len(qs))
	for _, q := range qs {
		if s.stmts[q] != nil {
			continue
		}
		st, err := s.w.Prepare(q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		s.stmts[q] = st
	}
	return nil
}

// Exec runs q in the transaction, through its prepared statement when q is
// one of the hot ones.
func (tx *Tx) Exec(q string, args ...any) (sql.Result, error) {
	if st, ok := tx.s.stmts[q]; ok {
		return tx.Tx.Stmt(st).Exec(args...)
	}
	return tx.Tx.Exec(q, args...)
}

// QueryRow runs q in the transaction, prepared when hot.
func (tx *Tx) QueryRow(q string, args ...any) *sql.Row {
	if st, ok := tx.s.stmts[q]; ok {
		return tx.Tx.Stmt(st).QueryRow(args...)
	}
	return tx.Tx.QueryRow(q, args...)
}

const (
	insOutbox  = `INSERT INTO outbox(tbl, row_id, hlc, op, data) VALUES (?,?,?,?,?)`
	upsertMeta = `INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`
)

func insDocument(table string) string {
	if cols, ok := docCols[table]; ok {
		n := strings.Count(cols, ",") + 1
		return `INSERT INTO ` + table + `(id, business_id, hlc, data, ` + cols + `) VALUES (?,?,?,?` +
			strings.Repeat(",?", n) + `) ON CONFLICT(id) DO NOTHING`
	}
	return `INSERT INTO ` + table + `(id, business_id, hlc, data) VALUES (?,?,?,?) ON CONFLICT(id) DO NOTHING`
}

func nextSeqQuery(table string) string {
	return `SELECT coalesce(max(seq), 0) + 1 FROM ` + table + ` WHERE series = ? AND fy = ?`
}
