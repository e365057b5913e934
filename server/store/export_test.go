package store

import "context"

// ExecForTest runs a statement on the writer, for tests that set up data
// the way an older server left it.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, query, args...)
	return err
}

// MigrateForTest applies the migrations not yet recorded, as a start does.
func (db *DB) MigrateForTest(ctx context.Context) error { return db.migrate(ctx) }
