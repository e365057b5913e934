package store

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// syncRowsAnalyzer keeps PostgreSQL's statistics of sync_rows up to date
// as pushes grow it, by the rule autovacuum uses for analyze (50 rows plus
// a tenth of the table changed), whether autovacuum is on or not.
//
// It matters because the sync pool runs every statement on its generic
// plan (see openSyncPool), made once per connection: one made while
// sync_rows has no statistics (a new schema) sees every index that starts
// with business_id at the same cost and may read a push's rows through
// sync_rows_tbl_seq with id as a filter, so each pushed row scans its
// table in the business. ANALYZE updates the statistics, and PostgreSQL
// plans its cached statements again when their tables' statistics change,
// this time on the primary key. With autovacuum on (production) its own
// analyze usually comes first and this one rarely runs; with autovacuum
// off, or behind on a busy server, pushes stay on the right plan anyway.
//
// Each instance counts its own writes: with several instances the table is
// analyzed at most that many times more often, which costs little (ANALYZE
// reads a sample of 30,000 rows).
type syncRowsAnalyzer struct {
	mu       sync.Mutex
	written  int64 // rows written by this instance since the last analyze began
	rows     int64 // rows in the table at the last analyze (pg_class.reltuples)
	running  bool
	wg       sync.WaitGroup
	analyzed func() // tests: called after each analyze
}

// Autovacuum's defaults for analyze.
const (
	analyzeThreshold   = 50
	analyzeScaleFactor = 0.1
)

// startAnalyzer reads the table's size as last analyzed.
func (db *DB) startAnalyzer(ctx context.Context) error {
	var tuples float64
	if err := db.read.QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'sync_rows'::regclass`).Scan(&tuples); err != nil {
		return err
	}
	db.analyzer = &syncRowsAnalyzer{rows: max(0, int64(tuples))}
	return nil
}

// wroteSyncRows counts n rows written to sync_rows by a push that
// committed, and starts an ANALYZE in the background when enough have
// changed since the last one.
func (db *DB) wroteSyncRows(n int) {
	a := db.analyzer
	if a == nil || n == 0 {
		return
	}
	a.mu.Lock()
	a.written += int64(n)
	due := !a.running && float64(a.written) >= analyzeThreshold+analyzeScaleFactor*float64(a.rows)
	if due {
		a.running, a.written = true, 0
		a.wg.Add(1)
	}
	a.mu.Unlock()
	if due {
		go db.analyzeSyncRows()
	}
}

func (db *DB) analyzeSyncRows() {
	a := db.analyzer
	defer a.wg.Done()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var tuples float64
	_, err := db.write.ExecContext(ctx, `ANALYZE sync_rows`)
	if err == nil {
		err = db.read.QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'sync_rows'::regclass`).Scan(&tuples)
	}
	if err != nil {
		slog.Warn("store: analyze sync_rows", "err", err)
	}
	a.mu.Lock()
	if err == nil {
		a.rows = max(0, int64(tuples))
	}
	a.running = false
	done := a.analyzed
	a.mu.Unlock()
	if done != nil {
		done()
	}
}

// stopAnalyzer waits for an ANALYZE under way, before the pools close.
func (db *DB) stopAnalyzer() {
	if db.analyzer != nil {
		db.analyzer.wg.Wait()
	}
}
