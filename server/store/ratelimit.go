package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Hit counts a request under key against limit per window and records it
// if it is within the limit; otherwise it records nothing and returns how
// long until the oldest counted request ages out. Counting and recording
// are one step under a lock on the key (SQLite's writer; a PostgreSQL
// advisory lock), so the limit holds across server instances.
func (db *DB) Hit(ctx context.Context, key string, at time.Time, window time.Duration, limit int) (time.Duration, error) {
	var wait time.Duration
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if db.dialect.name == "postgres" {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, pgLoginLockClass+1, key); err != nil {
				return fmt.Errorf("lock rate limit: %w", err)
			}
		}
		var n int
		var oldest sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), MIN(at) FROM rate_hits WHERE key = $1 AND at > $2`,
			key, ms(at.Add(-window))).Scan(&n, &oldest); err != nil {
			return fmt.Errorf("count rate hits: %w", err)
		}
		if n >= limit {
			wait = max(fromMS(oldest.Int64).Add(window).Sub(at), time.Second)
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rate_hits (key, at) VALUES ($1, $2)`, key, ms(at)); err != nil {
			return fmt.Errorf("record rate hit: %w", err)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM rate_hits WHERE at < $1`, ms(at.Add(-max(window, 24*time.Hour))))
		return err
	})
	return wait, err
}
