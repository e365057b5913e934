package plans_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/quota"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func mustExceeded(t *testing.T, err error, wantIn string) {
	t.Helper()
	var e *core.Error
	if !errors.As(err, &e) || e.Code != protocol.CodeQuotaExceeded {
		t.Fatalf("error %v, want %s", err, protocol.CodeQuotaExceeded)
	}
	if !strings.Contains(e.Message, wantIn) {
		t.Errorf("message %q does not say %q", e.Message, wantIn)
	}
}

func setPlan(t *testing.T, db *store.DB, biz string, s plans.State) {
	t.Helper()
	_, err := db.UpdatePlanState(context.Background(), biz, time.Now(), func(plans.State) (plans.State, bool, error) {
		return s, true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCounter(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			ctx := context.Background()
			db := st.Open(t)
			biz := storetest.Business(t, db).BusinessID
			// 31-01-2026 23:59 IST is 18:29 UTC.
			clk := &clock{t: time.Date(2026, 1, 31, 18, 29, 0, 0, time.UTC)}
			c := plans.NewCounter(db, plans.Defaults(), clk.Now)

			t.Run("ExhaustedOnFree", func(t *testing.T) {
				for i := range 30 {
					if err := c.Use(ctx, biz, quota.AI, 1); err != nil {
						t.Fatalf("question %d: %v", i+1, err)
					}
				}
				mustExceeded(t, c.Use(ctx, biz, quota.AI, 1), "30 AI questions are used up. They start again on 01-02-2026")
				// WhatsApp counts apart.
				if err := c.Use(ctx, biz, quota.WhatsApp, 50); err != nil {
					t.Fatal(err)
				}
				mustExceeded(t, c.Use(ctx, biz, quota.WhatsApp, 1), "50 WhatsApp messages")
				if u, _ := c.Used(ctx, biz); u.AI != 30 || u.WhatsApp != 50 {
					t.Errorf("used %+v, want 30 AI and 50 WhatsApp", u)
				}
			})
			t.Run("RefundGivesBack", func(t *testing.T) {
				if err := c.Refund(ctx, biz, quota.AI, 2); err != nil {
					t.Fatal(err)
				}
				if err := c.Use(ctx, biz, quota.AI, 2); err != nil {
					t.Fatal(err)
				}
				mustExceeded(t, c.Use(ctx, biz, quota.AI, 1), "30 AI")
				// Refunding more than was used stops at 0.
				if err := c.Refund(ctx, biz, quota.WhatsApp, 500); err != nil {
					t.Fatal(err)
				}
				if u, _ := c.Used(ctx, biz); u.WhatsApp != 0 {
					t.Errorf("WhatsApp used %d after a large refund, want 0", u.WhatsApp)
				}
			})
			t.Run("ResetAtISTMidnight", func(t *testing.T) {
				clk.Set(time.Date(2026, 1, 31, 18, 30, 0, 0, time.UTC)) // 01-02-2026 00:00 IST
				if u, _ := c.Used(ctx, biz); u.AI != 0 {
					t.Errorf("AI used %d in a new month, want 0", u.AI)
				}
				for range 30 {
					if err := c.Use(ctx, biz, quota.AI, 1); err != nil {
						t.Fatal(err)
					}
				}
				mustExceeded(t, c.Use(ctx, biz, quota.AI, 1), "start again on 01-03-2026")
			})
			t.Run("PaidPlanLimits", func(t *testing.T) {
				setPlan(t, db, biz, plans.State{Plan: "pro", Status: plans.StatusActive, CurrentEnd: clk.Now().Add(20 * 24 * time.Hour)})
				if err := c.Use(ctx, biz, quota.AI, 470); err != nil {
					t.Fatal(err)
				}
				mustExceeded(t, c.Use(ctx, biz, quota.AI, 1), "500 AI questions")
				if p, _, _ := c.Plan(ctx, biz); p.ID != "pro" {
					t.Errorf("plan %s, want pro", p.ID)
				}
			})
			t.Run("GraceThenFree", func(t *testing.T) {
				end := clk.Now()
				setPlan(t, db, biz, plans.State{Plan: "pro", Status: plans.StatusHalted, CurrentEnd: end, ChangedAt: end})
				clk.Set(end.Add(6 * 24 * time.Hour))
				if err := c.Use(ctx, biz, quota.WhatsApp, 900); err != nil {
					t.Fatalf("in grace the pro limit holds: %v", err)
				}
				clk.Set(end.Add(7*24*time.Hour + time.Minute))
				mustExceeded(t, c.Use(ctx, biz, quota.WhatsApp, 1), "50 WhatsApp messages")
				if p, _, _ := c.Plan(ctx, biz); p.ID != "free" {
					t.Errorf("plan %s after grace, want free", p.ID)
				}
			})
			t.Run("ErrBadCount", func(t *testing.T) {
				if err := c.Use(ctx, biz, quota.AI, 0); core.ErrorCode(err) != protocol.CodeInvalid {
					t.Errorf("Use 0: %v", err)
				}
				if err := c.Use(ctx, biz, "sms", 1); err == nil || !strings.Contains(err.Error(), `unknown feature "sms"`) {
					t.Errorf("unknown feature: %v", err)
				}
			})
		})
	}
}

// TestCounterConcurrent spends one quota from many goroutines at once; on
// PostgreSQL through two stores (two server instances) on one database.
// Exactly the limit is granted, never more.
func TestCounterConcurrent(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			ctx := context.Background()
			var dbs []*store.DB
			if st.Name == "postgres" {
				u := storetest.PostgresURL(t)
				for range 2 {
					db, err := store.OpenPostgres(ctx, u)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { db.Close() })
					dbs = append(dbs, db)
				}
			} else {
				dbs = []*store.DB{st.Open(t)}
			}
			biz := storetest.Business(t, dbs[0]).BusinessID
			var granted, refused atomic.Int32
			var wg sync.WaitGroup
			for i := range 80 {
				wg.Go(func() {
					c := plans.NewCounter(dbs[i%len(dbs)], plans.Defaults(), nil)
					err := c.Use(ctx, biz, quota.WhatsApp, 1)
					switch {
					case err == nil:
						granted.Add(1)
					case core.ErrorCode(err) == protocol.CodeQuotaExceeded:
						refused.Add(1)
					default:
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if granted.Load() != 50 || refused.Load() != 30 {
				t.Errorf("granted %d, refused %d; want 50 and 30", granted.Load(), refused.Load())
			}
			u, err := dbs[0].Usage(ctx, biz, quota.Month(time.Now()))
			if err != nil || u["whatsapp"] != 50 {
				t.Errorf("stored count %v (%v), want 50", u, err)
			}
		})
	}
}
