package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/sync/protocol"
)

var _ plans.Store = (*DB)(nil)

// msOrZero is t in Unix milliseconds, 0 for the zero time.
func msOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// timeOrZero is the inverse of msOrZero.
func timeOrZero(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return fromMS(v)
}

const planStateCols = `plan, status, subscription_id, current_end, changed_at, event_at, cancel_at_cycle_end`

func scanPlanState(row interface{ Scan(...any) error }, s *plans.State) error {
	var end, changed, event, cancel int64
	if err := row.Scan(&s.Plan, &s.Status, &s.SubscriptionID, &end, &changed, &event, &cancel); err != nil {
		return err
	}
	s.CurrentEnd, s.ChangedAt, s.EventAt, s.CancelAtCycleEnd = timeOrZero(end), timeOrZero(changed), timeOrZero(event), cancel != 0
	return nil
}

// PlanState returns the business's subscription state (the zero State on
// the free plan when it never subscribed).
func (db *DB) PlanState(ctx context.Context, businessID string) (plans.State, error) {
	s := plans.State{BusinessID: businessID, Plan: plans.Free}
	err := scanPlanState(db.read.QueryRowContext(ctx, `SELECT `+planStateCols+`
		FROM billing_subscriptions WHERE business_id = $1`, businessID), &s)
	if errors.Is(err, sql.ErrNoRows) {
		return plans.State{BusinessID: businessID, Plan: plans.Free}, nil
	}
	if err != nil {
		return plans.State{}, fmt.Errorf("read plan state: %w", err)
	}
	return s, nil
}

// UpdatePlanState changes the business's subscription state in one
// transaction that holds the row: fn gets the state as stored and returns
// the new one, or changed false to leave it. Two instances updating the
// same business take turns.
func (db *DB) UpdatePlanState(ctx context.Context, businessID string, now time.Time,
	fn func(plans.State) (next plans.State, changed bool, err error)) (plans.State, error) {
	var out plans.State
	err := db.tx(ctx, func(tx *sql.Tx) error {
		// The row must exist to be locked.
		if _, err := tx.ExecContext(ctx, `INSERT INTO billing_subscriptions (business_id, plan, status, updated_at)
			VALUES ($1, $2, '', $3) ON CONFLICT (business_id) DO NOTHING`, businessID, plans.Free, ms(now)); err != nil {
			return fmt.Errorf("create plan state: %w", err)
		}
		lock := ""
		if db.dialect.name == "postgres" {
			lock = " FOR UPDATE"
		}
		cur := plans.State{BusinessID: businessID}
		if err := scanPlanState(tx.QueryRowContext(ctx, `SELECT `+planStateCols+`
			FROM billing_subscriptions WHERE business_id = $1`+lock, businessID), &cur); err != nil {
			return fmt.Errorf("read plan state: %w", err)
		}
		next, changed, err := fn(cur)
		if err != nil {
			return err
		}
		out = cur
		if !changed {
			return nil
		}
		cancel := 0
		if next.CancelAtCycleEnd {
			cancel = 1
		}
		_, err = tx.ExecContext(ctx, `UPDATE billing_subscriptions SET plan = $2, status = $3, subscription_id = $4,
			current_end = $5, changed_at = $6, event_at = $7, cancel_at_cycle_end = $8, updated_at = $9
			WHERE business_id = $1`, businessID, next.Plan, next.Status, next.SubscriptionID,
			msOrZero(next.CurrentEnd), msOrZero(next.ChangedAt), msOrZero(next.EventAt), cancel, ms(now))
		if err != nil {
			return fmt.Errorf("save plan state: %w", err)
		}
		next.BusinessID = businessID
		out = next
		return nil
	})
	return out, err
}

// AddUsage adds n to the month's count unless that passes limit, in one
// statement: the upsert's conflict branch only updates while the sum stays
// within the limit, and on PostgreSQL it holds the row, so concurrent uses
// on several instances never overshoot.
func (db *DB) AddUsage(ctx context.Context, businessID, feature, month string, n, limit int) (int, bool, error) {
	if n > limit {
		return 0, false, nil
	}
	var used int
	err := db.write.QueryRowContext(ctx, `INSERT INTO billing_usage (business_id, feature, month, used)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (business_id, feature, month) DO UPDATE SET used = billing_usage.used + excluded.used
		WHERE billing_usage.used + excluded.used <= $5
		RETURNING used`, businessID, feature, month, n, limit).Scan(&used)
	if errors.Is(err, sql.ErrNoRows) {
		err = db.read.QueryRowContext(ctx, `SELECT used FROM billing_usage
			WHERE business_id = $1 AND feature = $2 AND month = $3`, businessID, feature, month).Scan(&used)
		if err != nil {
			return 0, false, fmt.Errorf("read usage: %w", err)
		}
		return used, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("add usage: %w", err)
	}
	return used, true, nil
}

// RefundUsage takes n off the month's count, never below 0.
func (db *DB) RefundUsage(ctx context.Context, businessID, feature, month string, n int) error {
	_, err := db.write.ExecContext(ctx, `UPDATE billing_usage
		SET used = CASE WHEN used > $4 THEN used - $4 ELSE 0 END
		WHERE business_id = $1 AND feature = $2 AND month = $3`, businessID, feature, month, n)
	if err != nil {
		return fmt.Errorf("refund usage: %w", err)
	}
	return nil
}

// Usage returns the month's counts by feature.
func (db *DB) Usage(ctx context.Context, businessID, month string) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT feature, used FROM billing_usage
		WHERE business_id = $1 AND month = $2`, businessID, month)
	if err != nil {
		return nil, fmt.Errorf("read usage: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var f string
		var n int
		if err := rows.Scan(&f, &n); err != nil {
			return nil, fmt.Errorf("read usage: %w", err)
		}
		out[f] = n
	}
	return out, rows.Err()
}

// activeDevices lists the business's devices that are not revoked, oldest
// first, inside a transaction.
func activeDevices(ctx context.Context, tx *sql.Tx, businessID string) ([]core.Device, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+deviceCols+` FROM devices
		WHERE business_id = $1 AND revoked_at IS NULL ORDER BY created_at, series`, businessID)
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	defer rows.Close()
	var out []core.Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, fmt.Errorf("list devices: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ActiveDevices counts the business's devices that are not revoked.
func (db *DB) ActiveDevices(ctx context.Context, businessID string) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM devices
		WHERE business_id = $1 AND revoked_at IS NULL`, businessID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count devices: %w", err)
	}
	return n, nil
}

// CreateCheckout records a subscription created for a business.
func (db *DB) CreateCheckout(ctx context.Context, c plans.Checkout) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO billing_checkouts (subscription_id, business_id, plan, token, created_at)
		VALUES ($1, $2, $3, $4, $5)`, c.SubscriptionID, c.BusinessID, c.Plan, c.Token, ms(c.CreatedAt))
	if err != nil {
		return fmt.Errorf("record checkout: %w", err)
	}
	return nil
}

const checkoutCols = `subscription_id, business_id, plan, token, created_at, verified_at, payment_id`

func scanCheckout(row *sql.Row) (plans.Checkout, error) {
	var c plans.Checkout
	var created, verified int64
	err := row.Scan(&c.SubscriptionID, &c.BusinessID, &c.Plan, &c.Token, &created, &verified, &c.PaymentID)
	if errors.Is(err, sql.ErrNoRows) {
		return c, core.Errorf(protocol.CodeNotFound, "This checkout is not known. Start again from Settings → Plan.")
	}
	if err != nil {
		return c, fmt.Errorf("read checkout: %w", err)
	}
	c.CreatedAt, c.VerifiedAt = fromMS(created), timeOrZero(verified)
	return c, nil
}

// CheckoutByToken finds a checkout by its page token.
func (db *DB) CheckoutByToken(ctx context.Context, token string) (plans.Checkout, error) {
	return scanCheckout(db.read.QueryRowContext(ctx, `SELECT `+checkoutCols+` FROM billing_checkouts WHERE token = $1`, token))
}

// CheckoutBySubscription finds a checkout by its subscription id.
func (db *DB) CheckoutBySubscription(ctx context.Context, subscriptionID string) (plans.Checkout, error) {
	return scanCheckout(db.read.QueryRowContext(ctx, `SELECT `+checkoutCols+` FROM billing_checkouts WHERE subscription_id = $1`, subscriptionID))
}

// MarkCheckoutVerified records the payment Checkout reported.
func (db *DB) MarkCheckoutVerified(ctx context.Context, subscriptionID, paymentID string, at time.Time) error {
	_, err := db.write.ExecContext(ctx, `UPDATE billing_checkouts SET verified_at = $2, payment_id = $3
		WHERE subscription_id = $1 AND verified_at = 0`, subscriptionID, ms(at), paymentID)
	if err != nil {
		return fmt.Errorf("mark checkout verified: %w", err)
	}
	return nil
}

// RecordEvent stores a webhook event unless its id is known; it reports
// whether the event was known already and whether it has been processed.
func (db *DB) RecordEvent(ctx context.Context, eventID, event string, body []byte, at time.Time) (known, processed bool, err error) {
	res, err := db.write.ExecContext(ctx, `INSERT INTO billing_events (event_id, event, body, received_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING`, eventID, event, string(body), ms(at))
	if err != nil {
		return false, false, fmt.Errorf("record event: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return false, false, nil
	}
	var p int64
	if err := db.write.QueryRowContext(ctx, `SELECT processed_at FROM billing_events WHERE event_id = $1`, eventID).Scan(&p); err != nil {
		return true, false, fmt.Errorf("read event: %w", err)
	}
	return true, p != 0, nil
}

// Event returns a stored webhook event.
func (db *DB) Event(ctx context.Context, eventID string) (event string, body []byte, processed bool, err error) {
	var b string
	var p int64
	err = db.read.QueryRowContext(ctx, `SELECT event, body, processed_at FROM billing_events WHERE event_id = $1`, eventID).Scan(&event, &b, &p)
	if err != nil {
		return "", nil, false, fmt.Errorf("read event %s: %w", eventID, err)
	}
	return event, []byte(b), p != 0, nil
}

// MarkEventProcessed records that an event has been applied.
func (db *DB) MarkEventProcessed(ctx context.Context, eventID string, at time.Time) error {
	_, err := db.write.ExecContext(ctx, `UPDATE billing_events SET processed_at = $2 WHERE event_id = $1`, eventID, ms(at))
	if err != nil {
		return fmt.Errorf("mark event processed: %w", err)
	}
	return nil
}
