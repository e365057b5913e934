package plans_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/plans"
)

func TestDefaults(t *testing.T) {
	c := plans.Defaults()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	want := map[string]plans.Plan{
		"free":     {ID: "free", Name: "Free", Devices: 2, WhatsApp: 50, AI: 30},
		"pro":      {ID: "pro", Name: "Pro", PricePaise: 49900, Devices: 5, WhatsApp: 1000, AI: 500},
		"business": {ID: "business", Name: "Business", PricePaise: 149900, Devices: 20, WhatsApp: 5000, AI: 2000},
	}
	for id, w := range want {
		p, ok := c.Plan(id)
		if !ok || p != w {
			t.Errorf("plan %s = %+v, %v; want %+v", id, p, ok, w)
		}
	}
	if c.GraceDays != 7 {
		t.Errorf("grace %d days, want 7", c.GraceDays)
	}
}

func TestParse(t *testing.T) {
	const tomlPlans = `
grace_days = 3
[[plans]]
id = "free"
name = "Free"
devices = 1
whatsapp = 10
ai = 5
[[plans]]
id = "pro"
name = "Pro"
price_paise = 29900
devices = 4
whatsapp = 800
ai = 400
razorpay_plan_id = "plan_PRO123"
`
	c, err := plans.Parse([]byte(tomlPlans), false)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := c.Plan("pro"); c.GraceDays != 3 || p.RazorpayPlanID != "plan_PRO123" || p.Devices != 4 || p.PricePaise != 29900 {
		t.Errorf("parsed %+v", c)
	}
	j, err := plans.Parse([]byte(`{"plans":[{"id":"free","name":"Free","devices":2,"whatsapp":5,"ai":5}]}`), true)
	if err != nil {
		t.Fatal(err)
	}
	if j.GraceDays != plans.DefaultGraceDays || j.FreePlan().WhatsApp != 5 {
		t.Errorf("parsed %+v", j)
	}
	bad := []struct{ name, text, want string }{
		{"ErrUnknownKey", "[[plans]]\nid = \"free\"\ndevices = 2\nwhatsap = 5\n", `unknown setting "plans.whatsap"`},
		{"ErrNoFree", "[[plans]]\nid = \"pro\"\nprice_paise = 100\ndevices = 2\n", `must include "free"`},
		{"ErrFreeCosts", "[[plans]]\nid = \"free\"\nprice_paise = 100\ndevices = 2\n", `"free" must cost 0`},
		{"ErrNoDevices", "[[plans]]\nid = \"free\"\n", "devices must be at least 1"},
		{"ErrTwice", "[[plans]]\nid = \"free\"\ndevices = 2\n[[plans]]\nid = \"free\"\ndevices = 2\n", "listed twice"},
		{"ErrUnderRupee", "[[plans]]\nid = \"free\"\ndevices = 2\n[[plans]]\nid = \"pro\"\nprice_paise = 50\ndevices = 2\n", "under ₹1"},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			_, err := plans.Parse([]byte(b.text), false)
			if err == nil || !strings.Contains(err.Error(), b.want) {
				t.Errorf("error %v, want one saying %q", err, b.want)
			}
		})
	}
}

func TestEffective(t *testing.T) {
	c := plans.Defaults()
	end := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		s    plans.State
		at   time.Time
		want string
	}{
		{"NeverSubscribed", plans.State{Plan: "free"}, end, "free"},
		{"CreatedNotPaid", plans.State{Plan: "pro", Status: plans.StatusCreated}, end, "free"},
		{"Active", plans.State{Plan: "pro", Status: plans.StatusActive, CurrentEnd: end}, end.Add(30 * 24 * time.Hour), "pro"},
		{"Authenticated", plans.State{Plan: "business", Status: plans.StatusAuthenticated}, end, "business"},
		{"PendingInGrace", plans.State{Plan: "pro", Status: plans.StatusPending, CurrentEnd: end, ChangedAt: end.Add(-time.Hour)}, end.Add(6 * 24 * time.Hour), "pro"},
		{"HaltedAfterGrace", plans.State{Plan: "pro", Status: plans.StatusHalted, CurrentEnd: end, ChangedAt: end}, end.Add(7 * 24 * time.Hour), "free"},
		{"CancelledBeforeEnd", plans.State{Plan: "pro", Status: plans.StatusCancelled, CurrentEnd: end, ChangedAt: end.Add(-20 * 24 * time.Hour)}, end.Add(-time.Hour), "pro"},
		{"LapseLaterThanEnd", plans.State{Plan: "pro", Status: plans.StatusHalted, CurrentEnd: end, ChangedAt: end.Add(5 * 24 * time.Hour)}, end.Add(11 * 24 * time.Hour), "pro"},
		{"PlanWithdrawn", plans.State{Plan: "gold", Status: plans.StatusActive}, end, "free"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Effective(tc.s, tc.at).ID; got != tc.want {
				t.Errorf("plan in force %s, want %s", got, tc.want)
			}
		})
	}
}

// TestApplyAnyOrder: a subscription's events applied in any order, each
// any number of times, end where they end in order.
func TestApplyAnyOrder(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	statuses := []string{plans.StatusAuthenticated, plans.StatusActive, plans.StatusActive, plans.StatusPending,
		plans.StatusActive, plans.StatusHalted, plans.StatusCancelled}
	var evs []plans.SubEvent
	for i, st := range statuses {
		evs = append(evs, plans.SubEvent{SubscriptionID: "sub_1", Plan: "pro", Status: st,
			CurrentEnd: t0.AddDate(0, i, 0), At: t0.Add(time.Duration(i) * time.Minute)})
	}
	for n := 1; n <= len(evs); n++ {
		var want plans.State
		for _, ev := range evs[:n] {
			want, _, _ = plans.Apply(want, ev)
		}
		for trial := range 50 {
			var got plans.State
			order := rand.Perm(n)
			for _, i := range append(order, order[:trial%n+1]...) {
				got, _, _ = plans.Apply(got, evs[i])
			}
			if got.Status != want.Status || !got.CurrentEnd.Equal(want.CurrentEnd) || !got.EventAt.Equal(want.EventAt) {
				t.Fatalf("first %d events in order %v: %s until %v, want %s until %v", n, order, got.Status, got.CurrentEnd, want.Status, want.CurrentEnd)
			}
		}
	}
}
