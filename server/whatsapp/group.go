package whatsapp

import (
	"context"
	"sync"
	"time"

	"github.com/ainaukar/naukar/server/store"
)

// group runs the requests of concurrent callers together: a caller that
// comes while another's run is under way joins the next one, so that under
// load one transaction serves many callers (group commit) while a lone
// caller runs at once. Every caller waits for its own result.
type group[Req, Res any] struct {
	run func(ctx context.Context, reqs []Req) ([]Res, error)

	mu      sync.Mutex
	running bool
	pending []*groupReq[Req, Res]
}

type groupReq[Req, Res any] struct {
	req  Req
	res  Res
	wake chan struct{}
	lead bool  // woken to run the next group
	err  error // the group's outcome, set before wake closes
}

// maxGroup bounds one group's transaction.
const maxGroup = 500

// do runs req with whatever else is waiting and returns its result.
func (g *group[Req, Res]) do(ctx context.Context, req Req) (Res, error) {
	r := &groupReq[Req, Res]{req: req, wake: make(chan struct{})}
	g.mu.Lock()
	g.pending = append(g.pending, r)
	if g.running {
		g.mu.Unlock()
		<-r.wake
		if !r.lead {
			return r.res, r.err
		}
		g.mu.Lock()
	} else {
		g.running = true
	}
	// This caller runs the waiting group (its own request among them).
	n := min(len(g.pending), maxGroup)
	batch := g.pending[:n:n]
	g.pending = g.pending[n:]
	g.mu.Unlock()

	reqs := make([]Req, len(batch))
	for i, b := range batch {
		reqs[i] = b.req
	}
	// The run is shared: one caller's cancellation must not fail the
	// others'.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	res, err := g.run(cctx, reqs)
	cancel()
	for i, b := range batch {
		if err == nil && i < len(res) {
			b.res = res[i]
		}
		if b != r {
			b.err = err
			close(b.wake)
		}
	}
	g.mu.Lock()
	if len(g.pending) > 0 {
		next := g.pending[0]
		next.lead = true
		close(next.wake)
	} else {
		g.running = false
	}
	g.mu.Unlock()
	return r.res, err
}

// doneGroup commits the outcomes of sends together (one transaction saves
// many messages' records and status rows); every job waits for its own
// outcome to be durable before it completes.
type doneGroup struct {
	g group[store.WASendDone, struct{}]
}

func (d *doneGroup) save(ctx context.Context, done store.WASendDone) error {
	_, err := d.g.do(ctx, done)
	return err
}

// slots hands out sending slots of the configured rate that this instance
// took from the database a run at a time (one write paces many sends).
type slots struct {
	mu  sync.Mutex
	own map[string][]time.Time // key -> slots taken, oldest first
}

// staleSlot: a slot this far in the past is not used (the limiter spaces
// this instance's late sends, but another instance's may be on time).
const staleSlot = 250 * time.Millisecond

// take returns the next slot of key (reserving a run of n when none is
// left) and true, or the time the next slot frees and false when it is
// further off than maxWait.
func (s *slots) take(ctx context.Context, st Store, key string, gap time.Duration, n int, now time.Time) (time.Time, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.own == nil {
		s.own = map[string][]time.Time{}
	}
	q := s.own[key]
	for len(q) > 0 && q[0].Before(now.Add(-staleSlot)) {
		q = q[1:]
	}
	if len(q) == 0 {
		at, ok, err := st.Reserve(ctx, key, gap, n, maxPaceWait, now)
		if err != nil || !ok {
			s.own[key] = nil
			return at, false, err
		}
		q = make([]time.Time, n)
		for i := range q {
			q[i] = at.Add(time.Duration(i) * gap)
		}
	}
	at := q[0]
	s.own[key] = q[1:]
	return at, true, nil
}
