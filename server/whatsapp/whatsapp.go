// Package whatsapp sends a shop's invoices and payment reminders through
// the WhatsApp Business Cloud API (Meta Graph), from the server, on the
// shop's behalf.
//
// A device asks for a message by writing a wa_messages row
// (protocol.WAMessage) with an id it makes; the row syncs like any other,
// so a request made offline goes at the next sync. When a push brings such
// a row the module enqueues a send job (server/jobs), unique by the
// message id; the job uploads the invoice PDF and sends the template, at
// the configured rate and never faster than one message per recipient per
// WHATSAPP_RECIPIENT_GAP, retrying Meta's temporary errors with backoff and
// jitter. Outcomes (sent, delivered, read, failed with plain words, opted
// out) and customers' STOP replies come back to every device as rows the
// server writes (store.WriteServerRows).
package whatsapp

import (
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/quota"
	"github.com/ainaukar/naukar/server/secrets"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Store is what the module needs of the server's database (server/store
// implements it on SQLite and PostgreSQL).
type Store interface {
	WASendStart(ctx context.Context, businessID, messageID string, now time.Time) (store.WASend, error)
	WASendGet(ctx context.Context, businessID, messageID string, now time.Time) (store.WASend, error)
	WAClaim(ctx context.Context, businessID string, ids []string, owner string, until, now time.Time) ([]store.WASend, error)
	SyncRowsOf(ctx context.Context, businessID, table string, ids []string) (map[string]json.RawMessage, error)
	WASendByWAMID(ctx context.Context, wamid string) (store.WASend, bool, error)
	WALastBusinessFor(ctx context.Context, phone string) (string, bool, error)
	WAUnstarted(ctx context.Context, since, before time.Time, limit int) ([][2]string, error)
	Reserve(ctx context.Context, key string, gap time.Duration, n int, maxWait time.Duration, now time.Time) (time.Time, bool, error)
	ReserveMany(ctx context.Context, reqs []store.Reservation) ([]store.Reserved, error)
	WASendsDone(ctx context.Context, done []store.WASendDone, now time.Time) error
	PrunePacing(ctx context.Context, before time.Time) error
	SyncRow(ctx context.Context, businessID, table, id string) (json.RawMessage, bool, error)
	WriteServerRows(ctx context.Context, businessID string, rows []store.ServerRow, now time.Time) (int, error)
	NumberStore
}

// Config configures the module.
type Config struct {
	Settings Settings
	Store    Store
	Queue    *jobs.Queue
	// Quota counts messages per business and month (the plans' limits); nil
	// counts nothing.
	Quota quota.Counter
	// Usage, if set, tells this month's count and limit of a business's
	// messages, shown in the app.
	Usage func(ctx context.Context, businessID string) (used, limit int, err error)
	// Secrets seals a shop's own number's token and app secret (nil: shops
	// cannot connect their own numbers).
	Secrets *secrets.Box
	// PublicURL is the server's address as Meta reaches it (the webhook's
	// address shown to a shop); "" takes it from the request.
	PublicURL  string
	HTTPClient *http.Client     // for the Graph API; nil: 30 s timeout
	Logger     *slog.Logger     // nil: slog.Default()
	Now        func() time.Time // nil: time.Now
	// Sleep waits d or until ctx ends (nil: a timer); tests may speed it up.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxAttempts is how many times a send is tried (default 8).
	MaxAttempts int
	// Backoff is the wait before try attempt+1 (nil: about 2^attempt
	// seconds, at most 10 minutes, with ±50% jitter).
	Backoff func(attempt int) time.Duration
}

// Module is the WhatsApp part of the server: an api.Module (routes) and an
// api.PushObserver (requests arriving by sync), with its jobs.
type Module struct {
	cfg   Config
	s     Settings
	store Store
	log   *slog.Logger
	now   func() time.Time
	done  doneGroup
	// reserves takes customers' sending slots of concurrent sends in one
	// transaction.
	reserves group[store.Reservation, store.Reserved]
	slots    slots
	// server sends with the server's number; a shop's own number has its
	// own sender (senderFor).
	server  *sender
	numbers NumberStore // nil: no shop has its own number
	senders senderCache
	// limiters space this instance's sends of each number at the rate when
	// they come late to their slots and would otherwise go together.
	limMu    sync.Mutex
	limiters map[string]*rate.Limiter
}

// New returns the module and registers its job kinds on cfg.Queue (call it
// before the queue starts).
func New(cfg Config) *Module {
	m := &Module{cfg: cfg, s: cfg.Settings, store: cfg.Store, log: cmp.Or(cfg.Logger, slog.Default()).With("component", "whatsapp"),
		now: cfg.Now}
	if m.now == nil {
		m.now = time.Now
	}
	if m.cfg.Sleep == nil {
		m.cfg.Sleep = sleep
	}
	m.cfg.MaxAttempts = cmp.Or(m.cfg.MaxAttempts, 8)
	if m.cfg.Backoff == nil {
		m.cfg.Backoff = backoff
	}
	m.limiters = map[string]*rate.Limiter{}
	m.done.g.run = func(ctx context.Context, done []store.WASendDone) ([]struct{}, error) {
		return nil, m.store.WASendsDone(ctx, done, m.now())
	}
	m.reserves.run = func(ctx context.Context, reqs []store.Reservation) ([]store.Reserved, error) {
		// A customer's slot starts no earlier than the transaction that
		// takes it: a send never follows a slot that was already past.
		now := m.now()
		for i := range reqs {
			reqs[i].Now = now
		}
		return m.store.ReserveMany(ctx, reqs)
	}
	m.server = &sender{s: m.s, graph: NewGraph(m.s.APIURL, m.s.Token, m.s.PhoneNumberID, cfg.HTTPClient)}
	if cfg.Store != nil {
		m.numbers = cfg.Store
	}
	jobs.Register(cfg.Queue, jobs.Kind{Unique: true, MaxAttempts: m.cfg.MaxAttempts, Timeout: sendTimeout, Backoff: m.cfg.Backoff}, m.send)
	jobs.Register(cfg.Queue, jobs.Kind{MaxAttempts: 10, Timeout: batchTimeout}, m.sendBatch)
	jobs.Register(cfg.Queue, jobs.Kind{}, m.sweep)
	jobs.Every(cfg.Queue, time.Minute, SweepArgs{})
	return m
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Mount registers the module's routes.
func (m *Module) Mount(mux *api.Mux) {
	mux.Device("GET /v1/whatsapp", 0, func(w http.ResponseWriter, r *http.Request, sess core.Session) {
		mux.JSON(w, http.StatusOK, m.Status(r.Context(), sess.BusinessID))
	})
	m.mountNumber(mux)
	mux.Public("GET /v1/webhooks/whatsapp", 0, m.verify)
	mux.Public("POST /v1/webhooks/whatsapp", webhookMaxBody, func(w http.ResponseWriter, r *http.Request) {
		m.webhook(w, r, mux)
	})
}

// Status says whether the server sends WhatsApp messages, in plain words
// when it does not, and this month's count where the quota tells it.
func (m *Module) Status(ctx context.Context, businessID string) protocol.WAStatusResponse {
	out := protocol.WAStatusResponse{Configured: m.s.Configured(), Message: m.s.NotConfigured(), Rate: int(m.s.Rate)}
	if snd, err := m.senderFor(ctx, businessID); err == nil && snd.own {
		// The shop's own number.
		out.Configured, out.Message = snd.err == nil, ""
		if snd.err != nil {
			out.Message = snd.err.Error()
		}
	}
	if m.cfg.Usage != nil {
		if used, limit, err := m.cfg.Usage(ctx, businessID); err == nil {
			out.Used, out.Limit, out.ResetsOn = used, limit, quota.ResetAt(m.now())
		}
	}
	return out
}

// Pushed starts a send for every message request a push brought. It runs
// after the push committed; a request it misses (the server stopped) is
// found by the sweep within a minute.
func (m *Module) Pushed(ctx context.Context, s core.Session, muts []protocol.Mutation) {
	var ids []string
	for _, mu := range muts {
		// A request the device's role may not make was refused by the push.
		if mu.Table == protocol.TableWAMessages && mu.Op != protocol.OpDelete && core.CheckWAMutation(s, mu) == nil {
			ids = append(ids, mu.ID)
		}
	}
	var sends []jobs.Args
	for n := m.s.batchSize(); len(ids) > 0; ids = ids[min(n, len(ids)):] {
		sends = append(sends, BatchArgs{BusinessID: s.BusinessID, MessageIDs: ids[:min(n, len(ids))]})
	}
	if _, err := m.cfg.Queue.EnqueueMany(ctx, sends); err != nil {
		m.log.Warn("could not start whatsapp sends; the sweep will", "business", s.BusinessID, "batches", len(sends), "err", err)
	}
}

// SweepArgs is the periodic job that starts sends a push did not.
type SweepArgs struct{}

// Kind names the job kind.
func (SweepArgs) Kind() string { return "whatsapp_sweep" }

func (m *Module) sweep(ctx context.Context, _ *jobs.Job[SweepArgs]) error {
	// Requests normally start within milliseconds of their push; one
	// without a send after a day is not looked for again.
	if err := m.store.PrunePacing(ctx, m.now().Add(-time.Hour)); err != nil {
		return err
	}
	// A batch job claims its messages when it starts: a backlog's later
	// batches are not looked at until they are well overdue.
	unstarted, err := m.store.WAUnstarted(ctx, m.now().Add(-24*time.Hour), m.now().Add(-10*time.Minute), 1000)
	if err != nil {
		return err
	}
	sends := make([]jobs.Args, len(unstarted))
	for i, t := range unstarted {
		sends[i] = SendArgs{BusinessID: t[0], MessageID: t[1]}
	}
	_, err = m.cfg.Queue.EnqueueMany(ctx, sends)
	return err
}
