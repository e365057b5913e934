package billing_test

import (
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/billing"
	"github.com/ainaukar/naukar/server/quota"
	"github.com/ainaukar/naukar/server/store/storetest"
)

// TestStatus: GET /v1/billing gives the plan, limits and this month's use
// as counted by the quota counter; without a token it is 401.
func TestStatus(t *testing.T) {
	e := newEnv(t, storetest.Stores[0].Open, billing.Config{})
	e.set(time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC))
	s := e.signup()
	if err := e.counter.Use(ctx, s.id, quota.WhatsApp, 7); err != nil {
		t.Fatal(err)
	}
	if err := e.counter.Use(ctx, s.id, quota.AI, 3); err != nil {
		t.Fatal(err)
	}
	got := e.status(s)
	if got.Plan != "free" || got.Status != "none" || got.CurrentEnd != nil {
		t.Errorf("plan %q status %q end %v", got.Plan, got.Status, got.CurrentEnd)
	}
	if got.Limits.Devices != 2 || got.Limits.WhatsApp != 50 || got.Limits.AI != 30 {
		t.Errorf("limits %+v", got.Limits)
	}
	if got.Used.Devices != 1 || got.Used.WhatsApp != 7 || got.Used.AI != 3 {
		t.Errorf("used %+v", got.Used)
	}
	if want := time.Date(2026, 4, 1, 0, 0, 0, 0, quota.IST); !got.ResetsOn.Equal(want) {
		t.Errorf("resets on %v, want %v", got.ResetsOn, want)
	}
	if len(got.Plans) != 3 || got.Plans[1].ID != "pro" || got.Plans[1].PricePaise != 49900 {
		t.Errorf("plans on offer %+v", got.Plans)
	}
	if code, _ := e.call("GET", "/v1/billing", "", nil, nil); code != 401 {
		t.Errorf("without a token: %d, want 401", code)
	}
}
