package plans

import (
	"context"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/quota"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Store keeps subscription states and monthly counts. server/store
// implements it for SQLite and PostgreSQL.
type Store interface {
	// PlanState returns the business's subscription state; a business
	// that never subscribed gets the zero State (with its BusinessID).
	PlanState(ctx context.Context, businessID string) (State, error)
	// AddUsage adds n to the business's count of feature in month, in one
	// atomic step, unless the count would pass limit: then it records
	// nothing and ok is false. used is the count after the step (or as it
	// stands when refused).
	AddUsage(ctx context.Context, businessID, feature, month string, n, limit int) (used int, ok bool, err error)
	// RefundUsage takes n off the month's count (never below 0).
	RefundUsage(ctx context.Context, businessID, feature, month string, n int) error
	// Usage returns the month's counts by feature.
	Usage(ctx context.Context, businessID, month string) (map[string]int, error)
}

// Counter is quota.Counter over the plans: a business's limit for a
// feature is that of its plan in force (Config.Effective), counted per IST
// calendar month in the database, so every server instance sees one count.
type Counter struct {
	store Store
	cfg   Config
	now   func() time.Time
}

var _ quota.Counter = (*Counter)(nil)

// NewCounter returns a Counter. now is the clock (nil: time.Now).
func NewCounter(s Store, cfg Config, now func() time.Time) *Counter {
	if now == nil {
		now = time.Now
	}
	return &Counter{store: s, cfg: cfg, now: now}
}

// Plan returns the business's plan in force now and its state.
func (c *Counter) Plan(ctx context.Context, businessID string) (Plan, State, error) {
	s, err := c.store.PlanState(ctx, businessID)
	if err != nil {
		return Plan{}, State{}, fmt.Errorf("plan of business %s: %w", businessID, err)
	}
	return c.cfg.Effective(s, c.now()), s, nil
}

func limitOf(l Limits, f quota.Feature) (int, error) {
	switch f {
	case quota.WhatsApp:
		return l.WhatsApp, nil
	case quota.AI:
		return l.AI, nil
	}
	return 0, fmt.Errorf("quota: unknown feature %q", f)
}

// Use records n uses of f, or returns quota.Exceeded when the plan's
// monthly limit would be passed (nothing is recorded then).
func (c *Counter) Use(ctx context.Context, businessID string, f quota.Feature, n int) error {
	if n <= 0 {
		return core.Errorf(protocol.CodeInvalid, "quota: a use counts 1 or more, not %d", n)
	}
	now := c.now()
	p, _, err := c.Plan(ctx, businessID)
	if err != nil {
		return err
	}
	limit, err := limitOf(p.Limits(), f)
	if err != nil {
		return err
	}
	if n > limit {
		return quota.Exceeded(f, limit, now)
	}
	_, ok, err := c.store.AddUsage(ctx, businessID, string(f), quota.Month(now), n, limit)
	if err != nil {
		return fmt.Errorf("count %s for business %s: %w", f, businessID, err)
	}
	if !ok {
		return quota.Exceeded(f, limit, now)
	}
	return nil
}

// Refund gives back n uses of f this month.
func (c *Counter) Refund(ctx context.Context, businessID string, f quota.Feature, n int) error {
	if n <= 0 {
		return nil
	}
	if _, err := limitOf(Limits{}, f); err != nil {
		return err
	}
	if err := c.store.RefundUsage(ctx, businessID, string(f), quota.Month(c.now()), n); err != nil {
		return fmt.Errorf("refund %s for business %s: %w", f, businessID, err)
	}
	return nil
}

// Used returns this month's counts of the business (WhatsApp and AI; the
// devices field is left for the caller, who counts signed-in devices).
func (c *Counter) Used(ctx context.Context, businessID string) (Limits, error) {
	u, err := c.store.Usage(ctx, businessID, quota.Month(c.now()))
	if err != nil {
		return Limits{}, fmt.Errorf("usage of business %s: %w", businessID, err)
	}
	return Limits{WhatsApp: u[string(quota.WhatsApp)], AI: u[string(quota.AI)]}, nil
}
