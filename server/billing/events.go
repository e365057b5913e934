package billing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/ainaukar/naukar/server/billing/razorpay"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/sync/protocol"
)

// EventArgs is the job that applies one stored webhook event.
type EventArgs struct {
	EventID string `json:"event_id" river:"unique"`
}

// Kind names the job kind.
func (EventArgs) Kind() string { return "billing_event" }

// CancelArgs is the job that cancels a superseded subscription at Razorpay.
type CancelArgs struct {
	SubscriptionID string `json:"subscription_id" river:"unique"`
}

// Kind names the job kind.
func (CancelArgs) Kind() string { return "billing_cancel_subscription" }

func (m *Module) registerJobs(q *jobs.Queue) {
	jobs.Register(q, jobs.Kind{Unique: true, MaxAttempts: 12, Timeout: 30 * time.Second},
		func(ctx context.Context, j *jobs.Job[EventArgs]) error { return m.processEvent(ctx, j.Args.EventID) })
	jobs.Register(q, jobs.Kind{Unique: true, MaxAttempts: 12, Timeout: 30 * time.Second},
		func(ctx context.Context, j *jobs.Job[CancelArgs]) error {
			if m.rzp == nil {
				return jobs.Permanent(errNotConfigured)
			}
			_, err := m.rzp.CancelSubscription(ctx, j.Args.SubscriptionID, false)
			if razorpay.IsStatus(err, 400) {
				// Already cancelled, completed or expired: nothing to do.
				return nil
			}
			return err
		})
}

func (m *Module) enqueueCancel(ctx context.Context, subscriptionID string) error {
	if m.queue == nil {
		return fmt.Errorf("cancel subscription %s: no job queue", subscriptionID)
	}
	_, err := m.queue.Enqueue(ctx, CancelArgs{SubscriptionID: subscriptionID})
	return err
}

// ReceiveWebhook takes a Razorpay webhook: the signature is checked on the
// raw body (a bad one changes nothing), the event is stored once by its
// id, and a job applies it, so Razorpay gets its answer at once. A
// duplicate of an applied event is acknowledged and changes nothing.
func (m *Module) ReceiveWebhook(ctx context.Context, body []byte, signature, eventID string) (duplicate bool, err error) {
	if m.whSecret == "" {
		return false, errNotConfigured
	}
	if !razorpay.VerifyWebhook(m.whSecret, body, signature) {
		return false, core.Errorf(protocol.CodeInvalid, "The webhook signature does not match.")
	}
	ev, err := razorpay.ParseEvent(body)
	if err != nil || ev.Event == "" {
		return false, core.Errorf(protocol.CodeInvalid, "The webhook body is not a Razorpay event.")
	}
	if eventID == "" {
		// Razorpay always sends one; a redelivery without it is the same
		// body, so the body's hash keeps it idempotent.
		sum := sha256.Sum256(body)
		eventID = "body_" + hex.EncodeToString(sum[:16])
	}
	known, processed, err := m.store.RecordEvent(ctx, eventID, ev.Event, body, m.now())
	if err != nil {
		return false, err
	}
	if processed {
		return true, nil
	}
	if m.queue == nil {
		return known, m.processEvent(ctx, eventID)
	}
	if _, err := m.queue.Enqueue(ctx, EventArgs{EventID: eventID}); err != nil {
		return known, err
	}
	return known, nil
}

// processEvent applies a stored event (the job's work); applying one
// twice changes nothing.
func (m *Module) processEvent(ctx context.Context, eventID string) error {
	name, body, processed, err := m.store.Event(ctx, eventID)
	if err != nil {
		return err
	}
	if processed {
		return nil
	}
	ev, err := razorpay.ParseEvent(body)
	if err != nil {
		return jobs.Permanent(fmt.Errorf("event %s: %w", eventID, err))
	}
	switch {
	case strings.HasPrefix(name, "subscription.") && ev.Payload.Subscription != nil:
		sub := ev.Payload.Subscription.Entity
		c, err := m.store.CheckoutBySubscription(ctx, sub.ID)
		if core.ErrorCode(err) == protocol.CodeNotFound {
			m.log.Warn("billing: event for a subscription we did not create", "event", name, "subscription", sub.ID)
			break
		}
		if err != nil {
			return err
		}
		if err := m.applySubscription(ctx, c, sub, time.Unix(ev.CreatedAt, 0)); err != nil {
			return err
		}
		if name == "subscription.charged" && ev.Payload.Payment != nil {
			if err := m.invoiceCharge(ctx, c, sub, ev.Payload.Payment.Entity, time.Unix(ev.CreatedAt, 0)); err != nil {
				return err
			}
		}
	default:
		m.log.Debug("billing: event not acted on", "event", name)
	}
	return m.store.MarkEventProcessed(ctx, eventID, m.now())
}
