// Package billing is the server's billing module: a business's plan and
// what it has used (GET /v1/billing), subscriptions through Razorpay
// (subscribe, our checkout page, verify, cancel), Razorpay's webhooks
// applied through one state machine, our GST tax invoices to the shop, and
// payment links for the shop's own customers. The limits themselves are
// server/plans; this package changes the state they are read from.
package billing

import (
	"cmp"
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/ainaukar/naukar/server/billing/razorpay"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/quota"
	"github.com/ainaukar/naukar/server/secrets"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Store is what the billing module keeps in the server's database.
// server/store implements it for SQLite and PostgreSQL.
type Store interface {
	plans.Store
	// UpdatePlanState changes a business's subscription state in one
	// transaction holding its row (see store.DB.UpdatePlanState).
	UpdatePlanState(ctx context.Context, businessID string, now time.Time,
		fn func(plans.State) (plans.State, bool, error)) (plans.State, error)
	// ActiveDevices counts the business's devices that are signed in.
	ActiveDevices(ctx context.Context, businessID string) (int, error)

	CreateCheckout(ctx context.Context, c plans.Checkout) error
	CheckoutByToken(ctx context.Context, token string) (plans.Checkout, error)
	CheckoutBySubscription(ctx context.Context, subscriptionID string) (plans.Checkout, error)
	MarkCheckoutVerified(ctx context.Context, subscriptionID, paymentID string, at time.Time) error

	// RecordEvent stores a webhook event unless its id is known.
	RecordEvent(ctx context.Context, eventID, event string, body []byte, at time.Time) (known, processed bool, err error)
	Event(ctx context.Context, eventID string) (event string, body []byte, processed bool, err error)
	MarkEventProcessed(ctx context.Context, eventID string, at time.Time) error

	// Business gives the shop's name, GSTIN, state and address (the buyer
	// on our invoices).
	Business(ctx context.Context, s core.Session) (core.Business, error)
	// CreateInvoice issues an invoice with the next gapless number, once
	// per payment.
	CreateInvoice(ctx context.Context, inv plans.Invoice) (plans.Invoice, bool, error)
	Invoices(ctx context.Context, businessID string) ([]plans.Invoice, error)
	Invoice(ctx context.Context, businessID, id string) (plans.Invoice, error)

	PayLinkStore
}

// Config configures the module.
type Config struct {
	Store   Store
	Plans   plans.Config
	Counter *plans.Counter
	Logger  *slog.Logger     // nil: slog.Default()
	Now     func() time.Time // nil: time.Now

	// Razorpay is our own Razorpay account (RAZORPAY_API_URL,
	// RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET); nil: subscriptions answer
	// not_configured and every business stays on its plan in force.
	Razorpay *razorpay.Client
	// WebhookSecret checks X-Razorpay-Signature (RAZORPAY_WEBHOOK_SECRET).
	WebhookSecret string
	// PublicURL is where shops reach this server (NAUKAR_PUBLIC_URL), for
	// the checkout page's address; "": taken from the request.
	PublicURL string
	// CheckoutJS is Razorpay Checkout's script (default
	// https://checkout.razorpay.com/v1/checkout.js).
	CheckoutJS string
	// Queue runs webhook events and follow-ups as jobs.
	Queue *jobs.Queue
	// Notifier emails the owner billing notices (payment received or
	// failed, plan changed); nil: none.
	Notifier Notifier
	// Seller is AI Naukar on our tax invoices (NAUKAR_BILLING_NAME,
	// NAUKAR_BILLING_GSTIN, NAUKAR_BILLING_ADDRESS, NAUKAR_BILLING_SAC).
	Seller plans.Seller

	// Secrets seals shops' own Razorpay keys (NAUKAR_SECRET_KEY); nil:
	// shops cannot connect keys and no payment links are made.
	Secrets *secrets.Box
	// ShopAPIURL is Razorpay's API for shops' own keys (RAZORPAY_API_URL;
	// "": razorpay.DefaultBaseURL).
	ShopAPIURL string
	// ShopOptions change the clients of shops' own keys (tests: retries).
	ShopOptions []razorpay.Option
}

// Module is the billing module (an api.Module).
type Module struct {
	store      Store
	plans      plans.Config
	counter    *plans.Counter
	log        *slog.Logger
	now        func() time.Time
	rzp        *razorpay.Client
	whSecret   string
	publicURL  string
	checkoutJS string
	queue      *jobs.Queue
	seller     plans.Seller
	secrets    *secrets.Box
	shopAPI    string
	shopOpts   []razorpay.Option
	notifier   Notifier
}

// New returns the module for cfg.
func New(cfg Config) *Module {
	m := &Module{store: cfg.Store, plans: cfg.Plans, counter: cfg.Counter, log: cfg.Logger, now: cfg.Now,
		rzp: cfg.Razorpay, whSecret: cfg.WebhookSecret, publicURL: strings.TrimRight(cfg.PublicURL, "/"),
		checkoutJS: cmp.Or(cfg.CheckoutJS, DefaultCheckoutJS), queue: cfg.Queue, seller: cfg.Seller,
		secrets: cfg.Secrets, shopAPI: cfg.ShopAPIURL, shopOpts: cfg.ShopOptions, notifier: cfg.Notifier}
	if m.log == nil {
		m.log = slog.Default()
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.counter == nil {
		m.counter = plans.NewCounter(cfg.Store, cfg.Plans, m.now)
	}
	if m.queue != nil {
		m.registerJobs(m.queue)
		m.registerPayLinkJobs(m.queue)
	}
	return m
}

// DefaultCheckoutJS is Razorpay Checkout's script.
const DefaultCheckoutJS = "https://checkout.razorpay.com/v1/checkout.js"

func counts(l plans.Limits) protocol.BillingCounts {
	return protocol.BillingCounts{Devices: l.Devices, WhatsApp: l.WhatsApp, AI: l.AI}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// Status is the business's plan, limits and use this month.
func (m *Module) Status(ctx context.Context, s core.Session) (protocol.BillingStatus, error) {
	now := m.now()
	p, st, err := m.counter.Plan(ctx, s.BusinessID)
	if err != nil {
		return protocol.BillingStatus{}, err
	}
	used, err := m.counter.Used(ctx, s.BusinessID)
	if err != nil {
		return protocol.BillingStatus{}, err
	}
	if used.Devices, err = m.store.ActiveDevices(ctx, s.BusinessID); err != nil {
		return protocol.BillingStatus{}, err
	}
	out := protocol.BillingStatus{Plan: p.ID, PlanName: p.Name, Subscribed: st.Plan, Status: st.Status,
		CurrentEnd: timePtr(st.CurrentEnd), GraceEnds: timePtr(m.plans.GraceEnds(st)),
		CancelAtCycleEnd: st.CancelAtCycleEnd, Limits: counts(p.Limits()), Used: counts(used),
		ResetsOn: quota.ResetAt(now)}
	if out.Status == plans.StatusNone {
		out.Status = "none"
	}
	for _, o := range m.plans.Plans {
		out.Plans = append(out.Plans, protocol.BillingPlan{ID: o.ID, Name: o.Name, PricePaise: o.PricePaise, Limits: counts(o.Limits())})
	}
	return out, nil
}
