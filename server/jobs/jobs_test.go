package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
)

// keyArgs is a job kind unique by its Key field.
type keyArgs struct {
	Key  string `json:"key" river:"unique"`
	Note string `json:"note"` // not part of the key
}

func (keyArgs) Kind() string { return "test_key" }

type flakyArgs struct {
	Fails int  `json:"fails"`
	Give  bool `json:"give_up"`
}

func (flakyArgs) Kind() string { return "test_flaky" }

type tickArgs struct{}

func (tickArgs) Kind() string { return "test_tick" }

// counter records how many times each key's effect happened.
type counter struct {
	mu sync.Mutex
	n  map[string]int
	at map[string][]time.Time
}

func newCounter() *counter { return &counter{n: map[string]int{}, at: map[string][]time.Time{}} }

func (c *counter) add(k string, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[k]++
	c.at[k] = append(c.at[k], at)
}

func (c *counter) get(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[k]
}

func (c *counter) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := 0
	for _, v := range c.n {
		t += v
	}
	return t
}

func (c *counter) times(k string) []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Time(nil), c.at[k]...)
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// newQueue returns a queue on db with fast polling, stopped when the test
// ends (before the store closes).
func newQueue(t *testing.T, db *store.DB, id string, setup func(q *jobs.Queue)) *jobs.Queue {
	t.Helper()
	q := jobs.New(db, jobs.Config{Logger: quiet, ID: id, PollInterval: 50 * time.Millisecond})
	setup(q)
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return q
}

// waitFor polls cond until it holds or the limit passes.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestUniqueJobsRunOnce(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			c := newCounter()
			q := newQueue(t, db, "a", func(q *jobs.Queue) {
				jobs.Register(q, jobs.Kind{Unique: true}, func(ctx context.Context, j *jobs.Job[keyArgs]) error {
					c.add(j.Args.Key, time.Now())
					return nil
				})
			})
			ctx := context.Background()
			const n = 20
			first := map[string]int64{}
			for i := range n {
				k := fmt.Sprintf("business-%d", i)
				e, err := q.Enqueue(ctx, keyArgs{Key: k, Note: "first"})
				if err != nil {
					t.Fatal(err)
				}
				if e.Duplicate {
					t.Fatalf("%s: first enqueue reported a duplicate", k)
				}
				first[k] = e.ID
			}
			// The same business keys again, with other non-key fields:
			// nothing new, each answered with the job already there.
			for i := range n {
				k := fmt.Sprintf("business-%d", i)
				e, err := q.Enqueue(ctx, keyArgs{Key: k, Note: "second"})
				if err != nil {
					t.Fatal(err)
				}
				if !e.Duplicate || e.ID != first[k] {
					t.Fatalf("%s: second enqueue = %+v, want duplicate of job %d", k, e, first[k])
				}
			}
			waitFor(t, 15*time.Second, "all unique jobs ran", func() bool { return c.total() >= n })
			for i := range n {
				k := fmt.Sprintf("business-%d", i)
				if got := c.get(k); got != 1 {
					t.Errorf("%s ran %d times, want 1", k, got)
				}
				waitFor(t, 5*time.Second, "job completed", func() bool {
					s, err := q.Lookup(ctx, first[k])
					return err == nil && s.State == "completed"
				})
			}
			// Completed jobs still hold their key: a third enqueue is a
			// duplicate too (within the 24 h the row is kept).
			e, err := q.Enqueue(ctx, keyArgs{Key: "business-0"})
			if err != nil || !e.Duplicate {
				t.Fatalf("enqueue after completion = %+v, %v; want duplicate", e, err)
			}
			if _, err := q.Enqueue(ctx, tickArgs{}); err == nil {
				t.Fatal("enqueue of an unregistered kind succeeded")
			}
		})
	}
}

func TestRetriesWithBackoff(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			c := newCounter()
			const backoff = 300 * time.Millisecond
			q := newQueue(t, db, "a", func(q *jobs.Queue) {
				jobs.Register(q, jobs.Kind{MaxAttempts: 5, Backoff: func(int) time.Duration { return backoff }},
					func(ctx context.Context, j *jobs.Job[flakyArgs]) error {
						k := fmt.Sprint(j.Args)
						c.add(k, time.Now())
						if j.Args.Give {
							return jobs.Permanent(errors.New("the number is not on WhatsApp"))
						}
						if j.Attempt <= j.Args.Fails {
							return fmt.Errorf("try %d: provider answered 503", j.Attempt)
						}
						return nil
					})
			})
			ctx := context.Background()
			flaky, err := q.Enqueue(ctx, flakyArgs{Fails: 2})
			if err != nil {
				t.Fatal(err)
			}
			hopeless, err := q.Enqueue(ctx, flakyArgs{Fails: 9})
			if err != nil {
				t.Fatal(err)
			}
			permanent, err := q.Enqueue(ctx, flakyArgs{Give: true})
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, 20*time.Second, "jobs finished", func() bool {
				for _, id := range []int64{flaky.ID, hopeless.ID, permanent.ID} {
					s, err := q.Lookup(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if s.State != "completed" && s.State != "discarded" && s.State != "cancelled" {
						return false
					}
				}
				return true
			})
			check := func(id int64, args flakyArgs, state string, attempts int) {
				t.Helper()
				s, err := q.Lookup(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				times := c.times(fmt.Sprint(args))
				if s.State != state || len(times) != attempts || s.Attempt != attempts {
					t.Fatalf("%+v: state %s after %d tries (%d run); want %s after %d", args, s.State, s.Attempt, len(times), state, attempts)
				}
				for i := 1; i < len(times); i++ {
					if gap := times[i].Sub(times[i-1]); gap < backoff {
						t.Errorf("%+v: try %d came %s after try %d, before the %s backoff", args, i+1, gap, i, backoff)
					}
				}
				if want := attempts - 1; state == "completed" && len(s.Errors) != want {
					t.Errorf("%+v: %d errors kept, want %d: %q", args, len(s.Errors), want, s.Errors)
				}
			}
			check(flaky.ID, flakyArgs{Fails: 2}, "completed", 3)
			check(hopeless.ID, flakyArgs{Fails: 9}, "discarded", 5)
			check(permanent.ID, flakyArgs{Give: true}, "cancelled", 1)
		})
	}
}

// TestEveryRunsOnSchedule: River's periodic scheduler runs on real timers
// (it has no clock to inject), so the interval is short; the schedule
// itself is exact: each run is scheduled one interval after the last
// (a second: River's shortest unique period).
func TestEveryRunsOnSchedule(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			c := newCounter()
			const every = time.Second
			var mu sync.Mutex
			var scheduled []time.Time
			newQueue(t, db, "a", func(q *jobs.Queue) {
				jobs.Register(q, jobs.Kind{}, func(ctx context.Context, j *jobs.Job[tickArgs]) error {
					mu.Lock()
					scheduled = append(scheduled, j.ScheduledAt)
					mu.Unlock()
					c.add("tick", time.Now())
					return nil
				})
				jobs.Every(q, every, tickArgs{})
			})
			start := time.Now()
			waitFor(t, 15*time.Second, "four periodic runs", func() bool { return c.get("tick") >= 4 })
			elapsed := time.Since(start)
			mu.Lock()
			defer mu.Unlock()
			// The first run is at start; each later one an interval later.
			if max := int(elapsed/every) + 2; len(scheduled) > max {
				t.Errorf("%d runs in %s, more than the schedule allows (%d)", len(scheduled), elapsed, max)
			}
			// Runs due together (a late timer catches up) may be worked
			// in either order.
			slices.SortFunc(scheduled, time.Time.Compare)
			for i := 1; i < len(scheduled); i++ {
				if gap := scheduled[i].Sub(scheduled[i-1]); gap != every {
					t.Errorf("run %d scheduled %s after run %d, want %s", i+1, gap, i, every)
				}
			}
			seen := map[time.Time]bool{}
			for _, s := range scheduled {
				b := s.Truncate(every)
				if seen[b] {
					t.Errorf("two runs in the interval starting %s", b)
				}
				seen[b] = true
			}
		})
	}
}

func TestStartRefusesTimeoutBeyondRescue(t *testing.T) {
	db := storetest.SQLite(t)
	q := jobs.New(db, jobs.Config{Logger: quiet, RescueAfter: 10 * time.Minute})
	jobs.Register(q, jobs.Kind{Timeout: 30 * time.Minute}, func(ctx context.Context, j *jobs.Job[tickArgs]) error { return nil })
	err := q.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "rescue time (10m0s) must be longer") {
		t.Fatalf("Start = %v, want the rescue time refused", err)
	}
}
