package plans

import "time"

// Subscription statuses, as Razorpay names them, plus None (never
// subscribed).
const (
	StatusNone          = ""
	StatusCreated       = "created"
	StatusAuthenticated = "authenticated"
	StatusActive        = "active"
	StatusPending       = "pending"
	StatusHalted        = "halted"
	StatusCancelled     = "cancelled"
	StatusCompleted     = "completed"
	StatusExpired       = "expired"
	StatusPaused        = "paused"
)

// State is a business's subscription as the server knows it. The zero
// State is a business on the free plan that never subscribed.
type State struct {
	BusinessID string
	// Plan is the plan subscribed to (Free when none).
	Plan string
	// Status is the Razorpay subscription status.
	Status string
	// SubscriptionID is the Razorpay subscription (sub_…).
	SubscriptionID string
	// CurrentEnd is the end of the period paid for (zero when unknown).
	CurrentEnd time.Time
	// ChangedAt is when Status last changed (the start of a lapse).
	ChangedAt time.Time
	// EventAt is the Razorpay time (created_at) of the newest event
	// applied, so an older event arriving late changes nothing.
	EventAt time.Time
	// CancelAtCycleEnd: the shop cancelled; the plan runs to CurrentEnd.
	CancelAtCycleEnd bool
}

// paying reports whether the status keeps a paid plan in force by itself.
func paying(status string) bool {
	return status == StatusActive || status == StatusAuthenticated
}

// Effective is the plan in force at now for a business in state s: the
// subscribed plan while it is paid for (authenticated or active); after a
// lapse (pending, halted, cancelled, completed, expired, paused) the same
// plan until the grace period has passed since the later of the paid
// period's end and the lapse; then Free. A plan no longer offered, or no
// subscription, is Free. Nothing here ever blocks a business: the free
// plan still syncs, and devices signed in stay signed in.
func (c Config) Effective(s State, now time.Time) Plan {
	p, ok := c.Plan(s.Plan)
	if !ok || s.Plan == Free || s.Status == StatusNone || s.Status == StatusCreated {
		return c.FreePlan()
	}
	if paying(s.Status) {
		return p
	}
	from := s.ChangedAt
	if s.CurrentEnd.After(from) {
		from = s.CurrentEnd
	}
	if now.Before(from.Add(c.Grace())) {
		return p
	}
	return c.FreePlan()
}

// GraceEnds is when a lapsed plan falls back to Free (zero when s is
// not in a lapse).
func (c Config) GraceEnds(s State) time.Time {
	if s.Status == StatusNone || s.Status == StatusCreated || paying(s.Status) || s.Plan == Free {
		return time.Time{}
	}
	from := s.ChangedAt
	if s.CurrentEnd.After(from) {
		from = s.CurrentEnd
	}
	return from.Add(c.Grace())
}
