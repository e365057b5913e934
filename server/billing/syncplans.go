package billing

import (
	"context"
	"fmt"

	"github.com/ainaukar/naukar/server/billing/razorpay"
	"github.com/ainaukar/naukar/server/plans"
)

// SyncPlans creates at Razorpay every paid plan that names no Razorpay
// plan id (monthly, its price GST included) and returns the plans with the
// ids filled in, and which were created. Plans with an id are left alone.
func SyncPlans(ctx context.Context, c *razorpay.Client, cfg plans.Config) (plans.Config, []string, error) {
	out := cfg
	out.Plans = append([]plans.Plan(nil), cfg.Plans...)
	var created []string
	for i, p := range out.Plans {
		if !p.Paid() || p.RazorpayPlanID != "" {
			continue
		}
		rp, err := c.CreatePlan(ctx, razorpay.PlanRequest{Period: "monthly", Interval: 1,
			Item:  razorpay.Item{Name: "AI Naukar " + p.Name, Amount: p.PricePaise, Currency: "INR"},
			Notes: razorpay.Notes{"naukar_plan": p.ID}})
		if err != nil {
			return out, created, fmt.Errorf("create plan %s at Razorpay: %w", p.ID, err)
		}
		out.Plans[i].RazorpayPlanID = rp.ID
		created = append(created, p.ID)
	}
	return out, created, nil
}
