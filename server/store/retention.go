package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// pruneBatch is how many rows one retention transaction deletes: small
// enough that the SQLite writer (which pushes wait for) is never held for
// more than a few milliseconds.
const pruneBatch = 1000

// PruneSecurityEvents deletes security-log events older than before, in
// batches of a short transaction each, and returns how many went.
func (db *DB) PruneSecurityEvents(ctx context.Context, before time.Time) (int64, error) {
	return db.pruneBatches(ctx, "prune security log", `DELETE FROM security_events WHERE id IN (
		SELECT id FROM security_events WHERE at < $1 LIMIT $2)`, ms(before))
}

// PruneRejections deletes stored push rejections older than before, and
// those beyond the newest keepPerDevice of each device, which no pull
// returns any more (pulls carry the newest maxRejectionsPulled). It returns
// how many went.
func (db *DB) PruneRejections(ctx context.Context, before time.Time, keepPerDevice int) (int64, error) {
	n, err := db.pruneBatches(ctx, "prune rejections", `DELETE FROM sync_rejections WHERE (business_id, device_id, n) IN (
		SELECT business_id, device_id, n FROM sync_rejections WHERE created_at < $1 LIMIT $2)`, ms(before))
	if err != nil {
		return n, err
	}
	type dev struct{ business, device string }
	var over []dev
	err = func() error {
		rows, err := db.read.QueryContext(ctx, `SELECT business_id, device_id FROM sync_rejections
			GROUP BY business_id, device_id HAVING COUNT(*) > $1`, keepPerDevice)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d dev
			if err := rows.Scan(&d.business, &d.device); err != nil {
				return err
			}
			over = append(over, d)
		}
		return rows.Err()
	}()
	if err != nil {
		return n, fmt.Errorf("prune rejections: %w", err)
	}
	for _, d := range over {
		var oldestKept int64
		err := db.read.QueryRowContext(ctx, `SELECT n FROM sync_rejections WHERE business_id = $1 AND device_id = $2
			ORDER BY n DESC LIMIT 1 OFFSET $3`, d.business, d.device, keepPerDevice-1).Scan(&oldestKept)
		if err != nil {
			return n, fmt.Errorf("prune rejections: %w", err)
		}
		m, err := db.pruneBatches(ctx, "prune rejections", `DELETE FROM sync_rejections WHERE (business_id, device_id, n) IN (
			SELECT business_id, device_id, n FROM sync_rejections WHERE business_id = $3 AND device_id = $4 AND n < $1 LIMIT $2)`,
			oldestKept, d.business, d.device)
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// pruneBatches runs query (a DELETE taking $1 = arg and $2 = batch size,
// then extra) until it deletes fewer rows than a batch.
func (db *DB) pruneBatches(ctx context.Context, what, query string, arg any, extra ...any) (int64, error) {
	var total int64
	for {
		var n int64
		err := db.tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, query, append([]any{arg, pruneBatch}, extra...)...)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		total += n
		if err != nil {
			return total, fmt.Errorf("%s: %w", what, err)
		}
		if n < pruneBatch {
			return total, nil
		}
	}
}
