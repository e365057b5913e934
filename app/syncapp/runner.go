package syncapp

import (
	"context"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp/client"
)

// Runner syncs the books in the background while the app is open: at
// start, a moment after every saved bill (Kick), and every minute, backing
// off with jitter while offline. Billing never waits for it.
type Runner struct {
	s        *store.Store
	interval time.Duration
	onStatus func(client.Status)
	// Staff signs the counter's staff member in on the server before each
	// push (nil: none).
	Staff *StaffLink
	// Telemetry, when set, sends its pending usage events and error
	// reports after each round that reached the server.
	Telemetry *Telemetry

	onDownload atomic.Pointer[func(client.Download)]

	mu     gosync.Mutex
	kick   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

// NewRunner makes a runner; onStatus (may be nil) hears every round's
// outcome, from a background goroutine.
func NewRunner(s *store.Store, interval time.Duration, onStatus func(client.Status)) *Runner {
	return &Runner{s: s, interval: interval, onStatus: onStatus, kick: make(chan struct{}, 1)}
}

// Start begins background sync if the books are signed in; it reports
// ErrNotSignedIn otherwise. Starting again restarts with fresh settings
// (after a sign-in).
func (r *Runner) Start() error {
	r.Stop()
	eng, err := Engine(r.s)
	if err != nil {
		return err
	}
	if r.Staff != nil {
		eng.BeforePush = r.Staff.BeforePush
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	r.mu.Lock()
	r.cancel, r.done = cancel, done
	r.mu.Unlock()
	eng.OnDownload = func(d client.Download) {
		if f := r.onDownload.Load(); f != nil {
			(*f)(d)
		}
	}
	go func() {
		defer close(done)
		eng.Run(ctx, r.kick, r.interval, func(st client.Status, err error) {
			if r.onStatus != nil {
				r.onStatus(st)
			}
			if r.Telemetry != nil && err == nil {
				// Offline or refused: the batch waits for the next round.
				_ = r.Telemetry.SendSignedIn(ctx)
			}
			// The shop's reminder rule, once a day; what it queued goes
			// with the next round, now.
			if res, _, rerr := ApplyReminderRule(ctx, r.s, err == nil, r.s.Now()); rerr == nil && len(res.Queued) > 0 {
				r.Kick()
			}
		})
	}()
	return nil
}

// SetOnDownload sets who hears, from a background goroutine, how far a new
// counter's download is (after every page; see client.Download).
func (r *Runner) SetOnDownload(f func(client.Download)) { r.onDownload.Store(&f) }

// Kick asks for a sync soon (after a bill is saved). It never blocks.
func (r *Runner) Kick() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Stop ends background sync and waits for the current round to stop.
func (r *Runner) Stop() {
	r.mu.Lock()
	cancel, done := r.cancel, r.done
	r.cancel, r.done = nil, nil
	r.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// Running reports whether background sync is on.
func (r *Runner) Running() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cancel != nil
}
