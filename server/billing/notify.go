package billing

import (
	"context"
	"strconv"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/privacy"
)

// Notifier sends the owner our billing emails (server/privacy queues them
// as jobs): a payment received, a payment failed, the plan changed.
type Notifier interface {
	BillingNotice(ctx context.Context, accountID, kind, ref string, f privacy.BillingFacts) error
}

// notify queues a billing email to the business's owner. An email that
// cannot be queued is logged: billing state never waits on email.
func (m *Module) notify(ctx context.Context, businessID, kind, ref string, f privacy.BillingFacts) {
	if m.notifier == nil {
		return
	}
	biz, err := m.store.Business(ctx, core.Session{BusinessID: businessID})
	if err == nil {
		err = m.notifier.BillingNotice(context.WithoutCancel(ctx), biz.AccountID, kind, ref, f)
	}
	if err != nil {
		m.log.Error("billing: email not queued", "business", businessID, "kind", kind, "err", err)
	}
}

func (m *Module) planName(id string) string {
	if p, ok := m.plans.Plan(id); ok {
		return p.Name
	}
	return id
}

// notifyState emails what a change of the subscription's state means to
// the owner: a charge that failed (pending or halted), or a plan that
// started, changed, came back after a failure or ended. Each state is
// emailed once (the ref names it).
func (m *Module) notifyState(ctx context.Context, prev, next plans.State) {
	f := privacy.BillingFacts{PlanName: m.planName(next.Plan), Status: next.Status, PeriodEnd: next.CurrentEnd,
		GraceEnds: m.plans.GraceEnds(next)}
	ref := next.SubscriptionID + ":" + next.Plan + ":" + next.Status
	paying := func(s string) bool { return s == plans.StatusActive || s == plans.StatusAuthenticated }
	sameSub := prev.SubscriptionID == next.SubscriptionID
	switch {
	case (next.Status == plans.StatusPending || next.Status == plans.StatusHalted) && (!sameSub || prev.Status != next.Status):
		m.notify(ctx, next.BusinessID, privacy.MailPaymentFailed, ref+":"+strconv.FormatInt(next.EventAt.Unix(), 10), f)
	case paying(next.Status) && (!sameSub || prev.Plan != next.Plan || !paying(prev.Status)):
		m.notify(ctx, next.BusinessID, privacy.MailPlanChanged, ref, f)
	case sameSub && plans.Final(next.Status) && !plans.Final(prev.Status) && prev.Status != plans.StatusNone:
		m.notify(ctx, next.BusinessID, privacy.MailPlanChanged, ref, f)
	}
}
