package store

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
)

// ExecForTest runs a statement on the writer, for tests that set up data
// the way an older server left it.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, query, args...)
	return err
}

// MigrateForTest applies the migrations not yet recorded, as a start does.
func (db *DB) MigrateForTest(ctx context.Context) error { return db.migrate(ctx) }

// WaitAnalyzeForTest waits for an ANALYZE of sync_rows under way and says
// how many rows the store counts in the table since the last one.
func (db *DB) WaitAnalyzeForTest() (rows int64) {
	db.analyzer.wg.Wait()
	db.analyzer.mu.Lock()
	defer db.analyzer.mu.Unlock()
	return db.analyzer.rows
}

// PGLoadRowsForTest is the statement a push reads its rows with.
const PGLoadRowsForTest = pgLoadRows

// SyncPoolPlansForTest returns, for each idle connection of the sync pool
// that has query prepared, the plan that connection runs it with (EXPLAIN
// EXECUTE of its cached statement; args are SQL literals).
func (db *DB) SyncPoolPlansForTest(ctx context.Context, query string, args string) ([]string, error) {
	var plans []string
	conns := db.syncPool.AcquireAllIdle(ctx)
	defer func() {
		for _, c := range conns {
			c.Release()
		}
	}()
	for _, c := range conns {
		var name string
		err := c.QueryRow(ctx, `SELECT name FROM pg_prepared_statements WHERE statement = $1`, query).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		rows, err := c.Query(ctx, `EXPLAIN EXECUTE "`+name+`"(`+args+`)`, pgx.QueryExecModeSimpleProtocol)
		if err != nil {
			return nil, err
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, err
		}
		plans = append(plans, strings.Join(lines, "\n"))
	}
	return plans, nil
}
