package billing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/server/billing/razorpay"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/sync/protocol"
)

// totalCount is how many monthly charges a subscription allows (Razorpay
// needs an end): ten years.
const totalCount = 120

var errNotConfigured = core.Errorf(protocol.CodeNotConfig,
	"Paid plans are not set up on this server yet (Razorpay keys are missing). Please try again later.")

// razorpayErr turns a failed Razorpay call into the error a shop sees; the
// detail goes to the log.
func razorpayErr(what string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &core.Error{Code: protocol.CodeRateLimited, RetryAfter: 30 * time.Second, Err: err,
			Message: "The payment service did not answer in time. Please try again in a minute."}
	}
	if razorpay.IsStatus(err, 429) {
		return &core.Error{Code: protocol.CodeRateLimited, RetryAfter: time.Minute, Err: err,
			Message: "The payment service is busy. Please try again in a minute."}
	}
	return &core.Error{Code: protocol.CodeInternal, Err: fmt.Errorf("%s: %w", what, err),
		Message: "The payment service refused the request. Please try again later; nothing was charged."}
}

func newToken() string {
	var b [18]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Subscribe creates a Razorpay subscription to a paid plan and returns it
// with the address of our checkout page for it. The plan in force does not
// change until Razorpay confirms the payment. A move to a cheaper plan
// starts billing when the current period ends; a move up starts now, and
// the old subscription is cancelled once the new one is paid.
func (m *Module) Subscribe(ctx context.Context, s core.Session, planID, baseURL string) (protocol.SubscribeResponse, error) {
	if m.rzp == nil {
		return protocol.SubscribeResponse{}, errNotConfigured
	}
	p, ok := m.plans.Plan(planID)
	if !ok || !p.Paid() {
		return protocol.SubscribeResponse{}, core.Errorf(protocol.CodeInvalid,
			"There is no paid plan called %q. The plans are listed in Settings → Plan.", planID)
	}
	if p.RazorpayPlanID == "" {
		return protocol.SubscribeResponse{}, &core.Error{Code: protocol.CodeNotConfig, Err: fmt.Errorf("plan %s has no razorpay_plan_id", p.ID),
			Message: fmt.Sprintf("The %s plan cannot be bought yet on this server. Please try again later.", p.Name)}
	}
	now := m.now()
	cur, st, err := m.counter.Plan(ctx, s.BusinessID)
	if err != nil {
		return protocol.SubscribeResponse{}, err
	}
	paid := st.Status == plans.StatusActive || st.Status == plans.StatusAuthenticated
	if paid && st.Plan == p.ID && !st.CancelAtCycleEnd {
		return protocol.SubscribeResponse{}, core.Errorf(protocol.CodeConflict, "This business is already on the %s plan.", p.Name)
	}
	req := razorpay.SubscriptionRequest{PlanID: p.RazorpayPlanID, TotalCount: totalCount, CustomerNotify: 1,
		Notes: razorpay.Notes{"business_id": s.BusinessID, "plan": p.ID}}
	if paid && p.PricePaise < cur.PricePaise && st.CurrentEnd.After(now.Add(time.Hour)) {
		req.StartAt = st.CurrentEnd.Unix()
	}
	sub, err := m.rzp.CreateSubscription(ctx, req)
	if err != nil {
		return protocol.SubscribeResponse{}, razorpayErr("create subscription", err)
	}
	c := plans.Checkout{SubscriptionID: sub.ID, BusinessID: s.BusinessID, Plan: p.ID, Token: newToken(), CreatedAt: now}
	if err := m.store.CreateCheckout(ctx, c); err != nil {
		return protocol.SubscribeResponse{}, err
	}
	m.log.Info("billing: subscription created", "business", s.BusinessID, "plan", p.ID, "subscription", sub.ID)
	return protocol.SubscribeResponse{SubscriptionID: sub.ID, CheckoutURL: m.base(baseURL) + "/billing/checkout/" + c.Token}, nil
}

func (m *Module) base(fromRequest string) string {
	if m.publicURL != "" {
		return m.publicURL
	}
	return fromRequest
}

// VerifyCheckout checks what Razorpay Checkout handed back: the signature
// must be that of the payment and the subscription we stored for this
// checkout page (not the one the browser names). Then the subscription is
// read from Razorpay and applied.
func (m *Module) VerifyCheckout(ctx context.Context, token string, v protocol.VerifyRequest) (protocol.BillingStatus, error) {
	if m.rzp == nil {
		return protocol.BillingStatus{}, errNotConfigured
	}
	c, err := m.store.CheckoutByToken(ctx, token)
	if err != nil {
		return protocol.BillingStatus{}, err
	}
	if v.SubscriptionID != c.SubscriptionID || !m.rzp.VerifyCheckout(v.PaymentID, c.SubscriptionID, v.Signature) {
		m.log.Warn("billing: checkout signature refused", "business", c.BusinessID, "subscription", c.SubscriptionID)
		return protocol.BillingStatus{}, core.Errorf(protocol.CodeInvalid,
			"This payment could not be confirmed. If money was taken, it is confirmed automatically within a few minutes; otherwise please try again.")
	}
	sub, err := m.rzp.Subscription(ctx, c.SubscriptionID)
	if err != nil {
		return protocol.BillingStatus{}, razorpayErr("fetch subscription", err)
	}
	if err := m.applySubscription(ctx, c, sub, m.now()); err != nil {
		return protocol.BillingStatus{}, err
	}
	if err := m.store.MarkCheckoutVerified(ctx, c.SubscriptionID, v.PaymentID, m.now()); err != nil {
		return protocol.BillingStatus{}, err
	}
	return m.Status(ctx, core.Session{BusinessID: c.BusinessID})
}

// applySubscription applies a subscription as Razorpay reports it at at,
// and has a subscription it replaces cancelled.
func (m *Module) applySubscription(ctx context.Context, c plans.Checkout, sub razorpay.Subscription, at time.Time) error {
	ev := plans.SubEvent{SubscriptionID: sub.ID, Plan: m.planOf(sub.PlanID, c.Plan), Status: sub.Status, At: at}
	if sub.CurrentEnd > 0 {
		ev.CurrentEnd = time.Unix(sub.CurrentEnd, 0)
	}
	var replaced string
	var prev plans.State
	changed := false
	next, err := m.store.UpdatePlanState(ctx, c.BusinessID, m.now(), func(s plans.State) (plans.State, bool, error) {
		next, ch, r := plans.Apply(s, ev)
		prev, changed, replaced = s, ch, r
		return next, ch, nil
	})
	if err != nil {
		return err
	}
	if changed {
		next.BusinessID = c.BusinessID
		m.notifyState(ctx, prev, next)
	}
	if replaced != "" {
		m.log.Info("billing: subscription replaced", "business", c.BusinessID, "old", replaced, "new", sub.ID)
		return m.enqueueCancel(ctx, replaced)
	}
	return nil
}

// planOf maps a Razorpay plan id to ours, else keeps fallback.
func (m *Module) planOf(razorpayPlanID, fallback string) string {
	for _, p := range m.plans.Plans {
		if p.RazorpayPlanID != "" && p.RazorpayPlanID == razorpayPlanID {
			return p.ID
		}
	}
	return fallback
}

// Cancel cancels the business's subscription at the end of the period
// paid for: the plan stays in force until then (and the grace period).
func (m *Module) Cancel(ctx context.Context, s core.Session) (protocol.BillingStatus, error) {
	if m.rzp == nil {
		return protocol.BillingStatus{}, errNotConfigured
	}
	st, err := m.store.PlanState(ctx, s.BusinessID)
	if err != nil {
		return protocol.BillingStatus{}, err
	}
	if st.SubscriptionID == "" || plans.Final(st.Status) {
		return protocol.BillingStatus{}, core.Errorf(protocol.CodeConflict, "There is no subscription to cancel: this business is on the free plan.")
	}
	if st.CancelAtCycleEnd {
		return m.Status(ctx, s)
	}
	sub, err := m.rzp.CancelSubscription(ctx, st.SubscriptionID, true)
	if err != nil && !razorpay.IsStatus(err, 400) {
		return protocol.BillingStatus{}, razorpayErr("cancel subscription", err)
	}
	now := m.now()
	_, err = m.store.UpdatePlanState(ctx, s.BusinessID, now, func(cur plans.State) (plans.State, bool, error) {
		if cur.SubscriptionID != st.SubscriptionID {
			return cur, false, nil
		}
		next := cur
		next.CancelAtCycleEnd = true
		if sub.ID == cur.SubscriptionID && plans.Final(sub.Status) {
			next, _, _ = plans.Apply(next, plans.SubEvent{SubscriptionID: sub.ID, Status: sub.Status, At: now})
		}
		return next, true, nil
	})
	if err != nil {
		return protocol.BillingStatus{}, err
	}
	m.log.Info("billing: subscription cancelled at cycle end", "business", s.BusinessID, "subscription", st.SubscriptionID)
	return m.Status(ctx, s)
}
