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

// Checkout is a Razorpay subscription the server created for a business,
// and the token of the checkout page that pays for it.
type Checkout struct {
	SubscriptionID string
	BusinessID     string
	Plan           string
	Token          string
	CreatedAt      time.Time
	VerifiedAt     time.Time
	PaymentID      string
}

// SubEvent is news about a subscription: a webhook's subscription entity,
// or the subscription as fetched after Checkout.
type SubEvent struct {
	SubscriptionID string
	Plan           string // our plan id ("" when unknown: keep)
	Status         string
	CurrentEnd     time.Time
	// At is when Razorpay made the event (created_at), which orders events.
	At time.Time
}

// rank orders statuses reported within one second: later in a
// subscription's life wins.
func rank(status string) int {
	switch status {
	case StatusCreated:
		return 0
	case StatusAuthenticated:
		return 1
	case StatusActive:
		return 2
	case StatusPending:
		return 3
	case StatusHalted, StatusPaused:
		return 4
	case StatusCancelled, StatusCompleted, StatusExpired:
		return 5
	}
	return -1
}

// Final reports whether a status ends a subscription for good.
func Final(status string) bool { return rank(status) == 5 }

// Apply is the one state machine of a business's subscription. It takes
// events in any order and any number of times: an event older than the
// last applied (or of the same second and an earlier stage) changes
// nothing, a final status (cancelled, completed, expired) is never undone,
// and the paid period's end only moves forward. A different subscription
// takes over when it is paid for (authenticated or active), or when none
// is running, and its news is not older than what is known; replaced then
// names the running subscription it supersedes (to be cancelled at
// Razorpay). changed is false when nothing changed.
func Apply(s State, ev SubEvent) (next State, changed bool, replaced string) {
	if rank(ev.Status) < 0 {
		return s, false, ""
	}
	next = s
	if ev.SubscriptionID != s.SubscriptionID {
		// Another subscription takes over when it is paid for, or when
		// the one known has ended (or there is none): then even its
		// final status, arriving before the rest, is the newest news.
		open := s.SubscriptionID != "" && !Final(s.Status)
		if (open && !paying(ev.Status)) || (s.SubscriptionID != "" && ev.At.Before(s.EventAt)) {
			return s, false, ""
		}
		if s.SubscriptionID != "" && !Final(s.Status) {
			replaced = s.SubscriptionID
		}
		next = State{BusinessID: s.BusinessID, Plan: s.Plan, SubscriptionID: ev.SubscriptionID}
	} else {
		switch {
		case Final(s.Status):
			return s, false, ""
		case ev.At.Before(s.EventAt):
			return s, false, ""
		case ev.At.Equal(s.EventAt) && rank(ev.Status) < rank(s.Status):
			return s, false, ""
		}
	}
	if ev.Plan != "" {
		next.Plan = ev.Plan
	}
	if next.Status != ev.Status {
		next.Status, next.ChangedAt = ev.Status, ev.At
	}
	if ev.CurrentEnd.After(next.CurrentEnd) {
		next.CurrentEnd = ev.CurrentEnd
	}
	if ev.At.After(next.EventAt) {
		next.EventAt = ev.At
	}
	return next, next != s, replaced
}
