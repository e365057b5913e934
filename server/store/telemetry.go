package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// AddTelemetry stores a checked batch of usage events and error reports
// of the session's device, in one transaction.
func (db *DB) AddTelemetry(ctx context.Context, s core.Session, b protocol.TelemetryBatch) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		for _, e := range b.Events {
			if _, err := tx.ExecContext(ctx, `INSERT INTO usage_events (business_id, device_id, feature, at, app_version)
				VALUES ($1, $2, $3, $4, $5)`, s.BusinessID, s.DeviceID, e.Feature, ms(e.At), e.AppVersion); err != nil {
				return fmt.Errorf("store usage event: %w", err)
			}
		}
		for _, e := range b.Errors {
			if _, err := tx.ExecContext(ctx, `INSERT INTO error_reports (business_id, device_id, message, stack, at, app_version)
				VALUES ($1, $2, $3, $4, $5, $6)`, s.BusinessID, s.DeviceID, e.Message, e.Stack, ms(e.At), e.AppVersion); err != nil {
				return fmt.Errorf("store error report: %w", err)
			}
		}
		return nil
	})
}

// PruneUsageEvents deletes usage events older than before and returns how
// many went.
func (db *DB) PruneUsageEvents(ctx context.Context, before time.Time) (int64, error) {
	return db.pruneBatches(ctx, "prune usage events", `DELETE FROM usage_events WHERE id IN (
		SELECT id FROM usage_events WHERE at < $1 LIMIT $2)`, ms(before))
}

// PruneErrorReports deletes error reports older than before.
func (db *DB) PruneErrorReports(ctx context.Context, before time.Time) (int64, error) {
	return db.pruneBatches(ctx, "prune error reports", `DELETE FROM error_reports WHERE id IN (
		SELECT id FROM error_reports WHERE at < $1 LIMIT $2)`, ms(before))
}
