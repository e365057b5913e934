package housekeeping_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/housekeeping"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

var ctx = context.Background()

// reject pushes count mutations that can never apply (the id is not a
// UUID), numbered from n, stored as rejections made at.
func reject(t *testing.T, db *store.DB, s core.Session, n int64, count int, at time.Time) {
	t.Helper()
	ms := make([]protocol.Mutation, count)
	for i := range ms {
		ms[i] = protocol.Mutation{N: n + int64(i), Table: "products", ID: "not-a-uuid", Op: protocol.OpUpsert, Data: []byte(`{}`)}
	}
	res, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: ms}, at)
	if err != nil || len(res.Rejected) != count {
		t.Fatalf("push: %d rejected, %v", len(res.Rejected), err)
	}
}

// TestRetentionDeletesExactlyWhatIsOlder runs the retention job's work
// with an injected clock: events and rejections one millisecond older than
// the limit go, those at the limit or newer stay; a device's rejections
// beyond its newest 1,000 go whatever their age.
func TestRetentionDeletesExactlyWhatIsOlder(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
			limit := now.Add(-30 * 24 * time.Hour)
			q := jobs.New(db, jobs.Config{})
			h, err := housekeeping.Register(q, housekeeping.Config{DB: db, RetentionDays: 30, Now: func() time.Time { return now },
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}

			s := storetest.Business(t, db)
			// More old events than one delete batch (1,000) holds.
			const old = 1500
			for i := range old {
				at := limit.Add(-time.Millisecond - time.Duration(i)*time.Minute)
				if err := db.LogSecurity(ctx, core.SecurityEvent{At: at, Kind: "login", BusinessID: s.BusinessID, IP: "127.0.0.1"}); err != nil {
					t.Fatal(err)
				}
			}
			kept := []time.Time{limit, limit.Add(time.Millisecond), now}
			for _, at := range kept {
				if err := db.LogSecurity(ctx, core.SecurityEvent{At: at, Kind: "login", BusinessID: s.BusinessID, IP: "127.0.0.1"}); err != nil {
					t.Fatal(err)
				}
			}
			reject(t, db, s, 1, 1, limit.Add(-time.Millisecond)) // n 1: goes
			reject(t, db, s, 2, 1, limit)                        // n 2: stays
			reject(t, db, s, 3, 1, limit.Add(time.Millisecond))  // n 3: stays
			// Another device: 1,005 recent rejections; the 5 oldest are
			// beyond what any pull returns.
			s2 := storetest.Business(t, db)
			reject(t, db, s2, 1, housekeeping.RejectionsPerDevice+5, now.Add(-time.Hour))

			p, err := h.Retain(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Before.Equal(limit) || p.SecurityEvents != old || p.Rejections != 1+5 {
				t.Fatalf("retention deleted %+v; want %d events and 6 rejections before %s", p, old, limit)
			}
			events, err := db.SecurityEvents(ctx, s, 5000)
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != len(kept) {
				t.Fatalf("%d events left, want %d", len(events), len(kept))
			}
			for i, e := range events { // newest first
				if want := kept[len(kept)-1-i]; !e.At.Equal(want) {
					t.Errorf("event %d at %s, want %s", i, e.At, want)
				}
			}
			page, err := db.Pull(ctx, s, 0, 10, now)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Rejections) != 2 || page.Rejections[0].N != 2 || page.Rejections[1].N != 3 {
				t.Fatalf("rejections left %+v, want n 2 and 3", page.Rejections)
			}
			page, err = db.Pull(ctx, s2, 0, 10, now)
			if err != nil {
				t.Fatal(err)
			}
			if r := page.Rejections; len(r) != housekeeping.RejectionsPerDevice || r[0].N != 6 || r[len(r)-1].N != housekeeping.RejectionsPerDevice+5 {
				t.Fatalf("second device keeps %d rejections from n %d; want the newest 1000, from n 6", len(r), r[0].N)
			}

			// A second run finds nothing more.
			if p, err := h.Retain(ctx); err != nil || p.SecurityEvents != 0 || p.Rejections != 0 {
				t.Fatalf("second run deleted %+v, %v", p, err)
			}
		})
	}
}
