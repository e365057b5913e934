package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http/httptest"
	"slices"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/sync/errgroup"

	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// instance is one naukar-server instance: its own store connections, HTTP
// server on loopback and job queue, on a database it shares.
type instance struct {
	db  *store.DB
	srv *httptest.Server
	c   *client.Client
	q   *jobs.Queue
}

// effectArgs is a job unique by its key; tickArgs a periodic one.
type effectArgs struct {
	Key string `json:"key" river:"unique"`
}

func (effectArgs) Kind() string { return "test_effect" }

type instTickArgs struct{}

func (instTickArgs) Kind() string { return "test_tick" }

// effects counts what jobs did, by key, across instances.
type effects struct {
	mu gosync.Mutex
	n  map[string]int
	by map[string]string
}

func (e *effects) add(key, instance string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.n[key]++
	e.by[key] = instance
}

func (e *effects) snapshot() (map[string]int, map[string]string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return maps.Clone(e.n), maps.Clone(e.by)
}

const instanceSessionTTL = 300 * time.Millisecond

// TestTwoInstancesOnePostgres runs two server instances on one PostgreSQL
// schema. Devices of two businesses push and pull through either at
// random; afterwards every device holds the same books as the server, no
// puller's cursor skipped a change, seqs are gapless, a device revoked
// through one instance is refused by the other within the session cache
// time, and jobs enqueued through both (each key twice) and a periodic job
// each ran exactly once.
func TestTwoInstancesOnePostgres(t *testing.T) {
	u := storetest.PostgresURL(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	eff := newEffects()
	ticks := newEffects()

	// Both instances start together: migrations take turns on the lock.
	insts := make([]*instance, 2)
	var g errgroup.Group
	for i := range insts {
		g.Go(func() error {
			db, err := store.OpenPostgres(ctx, u)
			if err != nil {
				return err
			}
			insts[i] = &instance{db: db}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	// The instances' clock: real time, moved forward by the test to pass the
	// session cache time instead of sleeping through it.
	var ahead atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
	for i, in := range insts {
		name := fmt.Sprint("instance-", i+1)
		t.Cleanup(func() { in.db.Close() })
		in.srv = httptest.NewServer(api.New(api.Config{Store: in.db, Logger: log, BcryptCost: bcrypt.MinCost,
			SessionTTL: instanceSessionTTL, Now: now}))
		t.Cleanup(in.srv.Close)
		in.c = client.NewClient(in.srv.URL, client.WithRetries(0, time.Millisecond, time.Millisecond))
		in.q = jobs.New(in.db, jobs.Config{Logger: log, ID: name, PollInterval: 50 * time.Millisecond})
		jobs.Register(in.q, jobs.Kind{Unique: true}, func(ctx context.Context, j *jobs.Job[effectArgs]) error {
			eff.add(j.Args.Key, name)
			return nil
		})
		jobs.Register(in.q, jobs.Kind{}, func(ctx context.Context, j *jobs.Job[instTickArgs]) error {
			ticks.add(j.ScheduledAt.UTC().Format(time.RFC3339Nano), name)
			return nil
		})
		jobs.Every(in.q, time.Second, instTickArgs{})
		if err := in.q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := in.q.Stop(sctx); err != nil {
				t.Error(err)
			}
		})
	}
	jobsStart := time.Now()
	rnd := func() *instance { return insts[rand.IntN(len(insts))] }

	// Jobs: every key enqueued once through each instance.
	const keys = 40
	for i := range keys {
		for _, in := range insts {
			if _, err := in.q.Enqueue(ctx, effectArgs{Key: fmt.Sprint("k", i)}); err != nil {
				t.Fatal(err)
			}
		}
	}

	// Two businesses, three devices each, signed up and logged in through
	// either instance. Business 0 issues documents only (every seq stays
	// in the feed); business 1 also edits a few shared products, so that
	// devices on different instances conflict.
	type dev struct {
		device
		biz  int
		seen map[string]protocol.Change // by table/id, as pulled
		docs []int64                    // seqs of the documents pulled, in order
		next int64
	}
	var devs []*dev
	var owners []*business
	for bi := range 2 {
		in := rnd()
		i := signupCount.Add(1)
		b := &business{email: fmt.Sprintf("owner%d@example.in", i), phone: fmt.Sprintf("98%08d", i), password: "correct horse"}
		res, err := in.c.Signup(ctx, signupReq(b.email, b.phone))
		if err != nil {
			t.Fatal(err)
		}
		b.id = res.BusinessID
		owners = append(owners, b)
		for di := range 3 {
			r, err := rnd().c.Login(ctx, protocol.LoginRequest{Login: b.email, Password: b.password, DeviceName: fmt.Sprint("Counter ", di+1)})
			if err != nil {
				t.Fatal(err)
			}
			d := &dev{device: device{token: r.Token, id: r.DeviceID, series: r.Series, clock: protocol.NewClock(r.DeviceID, protocol.HLC{}, nil)},
				biz: bi, seen: map[string]protocol.Change{}}
			if di == 0 {
				b.dev = d.device
			}
			devs = append(devs, d)
		}
	}
	products := []string{newID(), newID(), newID()}

	pull := func(d *dev) error {
		for {
			res, err := rnd().c.Pull(ctx, d.token, d.next, 50)
			if err != nil {
				return err
			}
			for _, c := range res.Changes {
				if c.Seq <= d.next {
					return fmt.Errorf("pull after %d returned seq %d", d.next, c.Seq)
				}
				d.next = c.Seq
				d.seen[c.Table+"/"+c.ID] = c
				if c.Table == "invoices" {
					d.docs = append(d.docs, c.Seq)
				}
			}
			if !res.More {
				return nil
			}
		}
	}
	const rounds, perPush = 12, 6
	g = errgroup.Group{}
	for _, d := range devs {
		g.Go(func() error {
			for r := range rounds {
				var ms []protocol.Mutation
				for k := range perPush {
					if d.biz == 1 && k%2 == 0 {
						p := products[rand.IntN(len(products))]
						ms = append(ms, d.mut("products", p, protocol.OpUpsert, map[string]any{
							"name": fmt.Sprintf("Item by %s round %d", d.series, r), "price": rand.IntN(10000)}))
						continue
					}
					ms = append(ms, d.mut("invoices", newID(), protocol.OpInsert, map[string]any{"series": d.series, "round": r}))
				}
				if _, err := rnd().c.Push(ctx, d.token, protocol.PushRequest{DeviceID: d.id, ProtocolVersion: 1, Mutations: ms}); err != nil {
					return fmt.Errorf("device %s push: %w", d.series, err)
				}
				if err := pull(d); err != nil {
					return fmt.Errorf("device %s: %w", d.series, err)
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}

	// Convergence: after a last pull, every device of a business holds
	// exactly the server's snapshot, as served by either instance.
	for bi, b := range owners {
		var snaps [2]map[string]protocol.Change
		for i, in := range insts {
			snaps[i] = map[string]protocol.Change{}
			for since := int64(0); ; {
				res, err := in.c.Pull(ctx, b.dev.token, since, 1000)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range res.Changes {
					snaps[i][c.Table+"/"+c.ID] = c
				}
				if since = res.Next; !res.More {
					break
				}
			}
		}
		if !sameRows(snaps[0], snaps[1]) {
			t.Fatalf("business %d: the two instances serve different snapshots", bi)
		}
		docs := 0
		for _, c := range snaps[0] {
			if c.Table == "invoices" {
				docs++
			}
		}
		if want := 3 * rounds * perPush / (1 + bi); docs != want {
			t.Fatalf("business %d: %d invoices on the server, want %d", bi, docs, want)
		}
		for _, d := range devs {
			if d.biz != bi {
				continue
			}
			if err := pull(d); err != nil {
				t.Fatal(err)
			}
			if !sameRows(d.seen, snaps[0]) {
				t.Fatalf("business %d: device %s holds %d rows, the server %d, or they differ", bi, d.series, len(d.seen), len(snaps[0]))
			}
			// A document never moves, so a cursor that never skips sees
			// every one: as many as the server holds, in seq order.
			if len(d.docs) != docs || !slices.IsSorted(d.docs) {
				t.Fatalf("business %d: device %s pulled %d invoices (sorted %v), the server holds %d: a cursor skipped a change",
					bi, d.series, len(d.docs), slices.IsSorted(d.docs), docs)
			}
		}
		if bi == 0 {
			// Documents only: the feed's seqs are exactly 1..n.
			seqs := make([]int64, 0, len(snaps[0]))
			for _, c := range snaps[0] {
				seqs = append(seqs, c.Seq)
			}
			slices.Sort(seqs)
			for i, s := range seqs {
				if s != int64(i+1) {
					t.Fatalf("business 0: seq %d at position %d: not gapless", s, i+1)
				}
			}
		}
	}

	// Revocation through instance 1 reaches instance 2 within the session
	// cache time: a push at once (it reads the device row), a pull within
	// the TTL.
	victim := devs[len(devs)-1]
	owner := owners[victim.biz]
	if _, err := insts[1].c.Pull(ctx, victim.token, victim.next, 10); err != nil {
		t.Fatal(err) // instance 2 now holds the token in its cache
	}
	if err := insts[0].c.RevokeDevice(ctx, owner.dev.token, victim.id); err != nil {
		t.Fatal(err)
	}
	_, err := insts[1].c.Push(ctx, victim.token, protocol.PushRequest{DeviceID: victim.id, ProtocolVersion: 1,
		Mutations: []protocol.Mutation{victim.mut("invoices", newID(), protocol.OpInsert, map[string]any{})}})
	wantCode(t, err, 401, protocol.CodeRevoked)
	ahead.Add(int64(instanceSessionTTL + time.Millisecond)) // the cache time passes on the instances' clock
	_, err = insts[1].c.Pull(ctx, victim.token, victim.next, 10)
	wantCode(t, err, 401, protocol.CodeRevoked)

	// Jobs: each key's effect exactly once, whichever instance ran it;
	// the periodic job once per second, by one instance.
	deadline := time.Now().Add(15 * time.Second)
	for {
		n, _ := eff.snapshot()
		tk, _ := ticks.snapshot()
		if len(n) == keys && len(tk) >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 15 s: %d of %d unique jobs and %d periodic runs done", len(n), keys, len(tk))
		}
		time.Sleep(50 * time.Millisecond)
	}
	// A moment for any duplicate to show itself.
	time.Sleep(300 * time.Millisecond)
	n, by := eff.snapshot()
	for k, c := range n {
		if c != 1 {
			t.Errorf("job %s ran %d times", k, c)
		}
	}
	ran := map[string]int{}
	for _, in := range by {
		ran[in]++
	}
	tk, _ := ticks.snapshot()
	for at, c := range tk {
		if c != 1 {
			t.Errorf("periodic run scheduled at %s ran %d times", at, c)
		}
	}
	if max := int(time.Since(jobsStart)/time.Second) + 2; len(tk) > max {
		t.Errorf("%d periodic runs in %s", len(tk), time.Since(jobsStart))
	}
	t.Logf("unique jobs run by instance: %v; periodic runs: %d", ran, len(tk))
}

func newEffects() *effects { return &effects{n: map[string]int{}, by: map[string]string{}} }

// sameRows compares two views of a business by seq, stamp and data.
func sameRows(a, b map[string]protocol.Change) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || x.Seq != y.Seq || x.HLC != y.HLC || x.Op != y.Op || !jsonEqual(x.Data, y.Data) {
			return false
		}
	}
	return true
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}
