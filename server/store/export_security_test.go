package store

import "context"

// WriterSynchronous returns PRAGMA synchronous of the SQLite writer
// connection (2: FULL).
func (db *DB) WriterSynchronous(ctx context.Context) (int, error) {
	var v int
	err := db.onWriter(ctx, func() error {
		return db.write.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&v)
	})
	return v, err
}
