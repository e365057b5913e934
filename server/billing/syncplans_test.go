package billing_test

import (
	"strings"
	"testing"

	"github.com/ainaukar/naukar/server/billing"
	"github.com/ainaukar/naukar/server/billing/razorpay"
	"github.com/ainaukar/naukar/server/billing/razorpay/razorpaytest"
	"github.com/ainaukar/naukar/server/plans"
)

// TestSyncPlans: the paid plans without a Razorpay id are created there
// (free is not, one with an id is kept); Razorpay's errors come back with
// their status and description.
func TestSyncPlans(t *testing.T) {
	fake := razorpaytest.New(t)
	c := razorpay.New(fake.URL, fake.KeyID, fake.KeySecret)
	cfg := plans.Defaults()
	cfg.Plans[2].RazorpayPlanID = "plan_KEPT"
	out, created, err := billing.SyncPlans(ctx, c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(created) != 1 || created[0] != "pro" {
		t.Errorf("created %v, want [pro]", created)
	}
	if p, _ := out.Plan("pro"); !strings.HasPrefix(p.RazorpayPlanID, "plan_") || p.RazorpayPlanID == "plan_KEPT" {
		t.Errorf("pro got %q", p.RazorpayPlanID)
	}
	if p, _ := out.Plan("business"); p.RazorpayPlanID != "plan_KEPT" {
		t.Errorf("business got %q", p.RazorpayPlanID)
	}
	if cfg.Plans[1].RazorpayPlanID != "" {
		t.Error("the given config was changed")
	}
	if reqs := fake.Requests(); len(reqs) != 1 || reqs[0] != "POST /v1/plans" {
		t.Errorf("requests %v", reqs)
	}

	t.Run("ErrBadKeys", func(t *testing.T) {
		bad := razorpay.New(fake.URL, fake.KeyID, "wrong")
		_, _, err := billing.SyncPlans(ctx, bad, plans.Defaults())
		if !razorpay.IsStatus(err, 401) || !strings.Contains(err.Error(), "Authentication failed") {
			t.Errorf("bad keys: %v", err)
		}
	})
	t.Run("ErrAmountUnderRupee", func(t *testing.T) {
		_, err := c.CreatePlan(ctx, razorpay.PlanRequest{Period: "monthly", Interval: 1, Item: razorpay.Item{Name: "Tiny", Amount: 50, Currency: "INR"}})
		if !razorpay.IsStatus(err, 400) || !strings.Contains(err.Error(), "field amount") {
			t.Errorf("amount 50: %v", err)
		}
	})
	t.Run("RetriesOn429", func(t *testing.T) {
		fast := razorpay.New(fake.URL, fake.KeyID, fake.KeySecret, razorpay.WithRetries(3, 0))
		fake.FailNext(429, 429)
		if _, err := fast.Subscription(ctx, "sub_missing"); !razorpay.IsStatus(err, 400) {
			t.Errorf("after two 429s: %v, want Razorpay's 400 for an unknown id", err)
		}
		fake.FailNext(429, 429, 429, 429)
		if _, err := fast.Subscription(ctx, "sub_missing"); !razorpay.IsStatus(err, 429) {
			t.Errorf("after four 429s: %v, want 429", err)
		}
	})
}
