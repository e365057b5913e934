package billing_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/billing"
	"github.com/ainaukar/naukar/server/billing/razorpay"
	"github.com/ainaukar/naukar/server/billing/razorpay/razorpaytest"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// paidEnv is an env whose paid plans exist at a fake Razorpay.
func paidEnv(t testing.TB, open storetest.Opener, fake *razorpaytest.Fake, opts ...any) *env {
	t.Helper()
	rzp := razorpay.New(fake.URL, fake.KeyID, fake.KeySecret, razorpay.WithRetries(2, time.Millisecond))
	cfg := plans.Defaults()
	for i, p := range cfg.Plans {
		if !p.Paid() {
			continue
		}
		rp, err := rzp.CreatePlan(ctx, razorpay.PlanRequest{Period: "monthly", Interval: 1,
			Item: razorpay.Item{Name: p.Name, Amount: p.PricePaise, Currency: "INR"}})
		if err != nil {
			t.Fatal(err)
		}
		cfg.Plans[i].RazorpayPlanID = rp.ID
	}
	return newEnv(t, open, billing.Config{Plans: cfg, Razorpay: rzp, WebhookSecret: fake.WebhookSecret,
		CheckoutJS: fake.URL + "/checkout.js"}, opts...)
}

func (e *env) subscribe(s *shop, plan string) protocol.SubscribeResponse {
	e.t.Helper()
	var res protocol.SubscribeResponse
	if code, body := e.call("POST", "/v1/billing/subscribe", s.token, protocol.SubscribeRequest{Plan: plan}, &res); code != 200 {
		e.t.Fatalf("subscribe %s: %d %s", plan, code, body)
	}
	return res
}

func checkoutToken(res protocol.SubscribeResponse) string {
	return res.CheckoutURL[strings.LastIndex(res.CheckoutURL, "/")+1:]
}

func (e *env) verify(token, payment, sub, sig string) (int, string) {
	return e.call("POST", "/v1/billing/verify", "", map[string]string{"checkout": token,
		"razorpay_payment_id": payment, "razorpay_subscription_id": sub, "razorpay_signature": sig}, nil)
}

// TestSubscribeCheckoutVerify: subscribe gives our checkout page for a new
// Razorpay subscription; the page carries our key id and the subscription;
// only Razorpay's signature over the stored subscription turns the plan on.
func TestSubscribeCheckoutVerify(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			fake := razorpaytest.New(t)
			e := paidEnv(t, st.Open, fake)
			s := e.signup()
			res := e.subscribe(s, "pro")
			if !strings.HasPrefix(res.CheckoutURL, e.srv.URL+"/billing/checkout/") || !strings.HasPrefix(res.SubscriptionID, "sub_") {
				t.Fatalf("subscribe answered %+v", res)
			}
			sub, ok := fake.Subscription(res.SubscriptionID)
			if !ok || sub.Notes["business_id"] != s.id || sub.TotalCount != 120 {
				t.Errorf("subscription at Razorpay %+v", sub)
			}
			page, err := http.Get(res.CheckoutURL)
			if err != nil {
				t.Fatal(err)
			}
			var html bytes.Buffer
			_, _ = html.ReadFrom(page.Body)
			page.Body.Close()
			for _, want := range []string{res.SubscriptionID, fake.KeyID, fake.URL + "/checkout.js", "Pro plan", "₹499.00"} {
				if !strings.Contains(html.String(), want) {
					t.Errorf("checkout page lacks %q", want)
				}
			}
			if strings.Contains(html.String(), fake.KeySecret) {
				t.Error("the checkout page shows the key secret")
			}
			if got := e.status(s); got.Plan != "free" {
				t.Errorf("plan %s before paying, want free", got.Plan)
			}

			pay, sig := fake.Pay(res.SubscriptionID)
			tok := checkoutToken(res)
			t.Run("ErrForgedSignature", func(t *testing.T) {
				forged := razorpay.Sign("not the secret", []byte(pay+"|"+res.SubscriptionID))
				if code, body := e.verify(tok, pay, res.SubscriptionID, forged); code != 400 || !strings.Contains(body, "could not be confirmed") {
					t.Errorf("forged: %d %s", code, body)
				}
				other := e.subscribe(e.signup(), "pro")
				otherPay, otherSig := fake.Pay(other.SubscriptionID)
				// A genuine signature for another subscription, posted to this page.
				if code, _ := e.verify(tok, otherPay, other.SubscriptionID, otherSig); code != 400 {
					t.Errorf("another subscription's payment: %d", code)
				}
				if got := e.status(s); got.Plan != "free" {
					t.Errorf("plan %s after forged verifies, want free", got.Plan)
				}
			})
			if code, body := e.verify(tok, pay, res.SubscriptionID, sig); code != 200 || !strings.Contains(body, `"plan":"pro"`) {
				t.Fatalf("verify: %d %s", code, body)
			}
			got := e.status(s)
			if got.Plan != "pro" || got.Status != "active" || got.CurrentEnd == nil || got.Limits.AI != 500 {
				t.Errorf("after paying: %+v", got)
			}
			if code, _ := e.call("POST", "/v1/billing/subscribe", s.token, protocol.SubscribeRequest{Plan: "pro"}, nil); code != 409 {
				t.Errorf("subscribing again to the plan in force: %d, want 409", code)
			}
			if code, body := e.call("POST", "/v1/billing/subscribe", s.token, protocol.SubscribeRequest{Plan: "gold"}, nil); code != 400 || !strings.Contains(body, `no paid plan called \"gold\"`) {
				t.Errorf("unknown plan: %d %s", code, body)
			}
		})
	}
}

// TestCheckoutVector verifies a checkout with CONTRACTS.md's vector.
func TestCheckoutVector(t *testing.T) {
	fake := razorpaytest.New(t)
	fake.KeySecret = "EnLs21M47BllR3X8PSFtjtbd"
	e := paidEnv(t, storetest.Stores[0].Open, fake)
	s := e.signup()
	fake.AddSubscription(razorpay.Subscription{ID: "sub_ID6MOhgkcoHj9I", Status: "active",
		CurrentStart: e.now().Unix(), CurrentEnd: e.now().AddDate(0, 1, 0).Unix()})
	if err := e.db.CreateCheckout(ctx, plans.Checkout{SubscriptionID: "sub_ID6MOhgkcoHj9I", BusinessID: s.id, Plan: "business",
		Token: "vector-token", CreatedAt: e.now()}); err != nil {
		t.Fatal(err)
	}
	code, body := e.verify("vector-token", "pay_IDZNwZZFtnjyym", "sub_ID6MOhgkcoHj9I",
		"601f383334975c714c91a7d97dd723eb56520318355863dcf3821c0d07a17693")
	if code != 200 || e.status(s).Plan != "business" {
		t.Fatalf("vector: %d %s", code, body)
	}
}

// TestCancelAtCycleEnd: cancel asks Razorpay to stop at the cycle's end;
// the plan stays until then.
func TestCancelAtCycleEnd(t *testing.T) {
	fake := razorpaytest.New(t)
	e := paidEnv(t, storetest.Stores[0].Open, fake)
	s := e.signup()
	if code, _ := e.call("POST", "/v1/billing/cancel", s.token, nil, nil); code != 409 {
		t.Errorf("cancel on free: %d, want 409", code)
	}
	res := e.subscribe(s, "pro")
	pay, sig := fake.Pay(res.SubscriptionID)
	if code, body := e.verify(checkoutToken(res), pay, res.SubscriptionID, sig); code != 200 {
		t.Fatal(code, body)
	}
	var got protocol.BillingStatus
	if code, body := e.call("POST", "/v1/billing/cancel", s.token, nil, &got); code != 200 {
		t.Fatal(code, body)
	}
	if got.Plan != "pro" || !got.CancelAtCycleEnd || got.Status != "active" {
		t.Errorf("after cancel: %+v", got)
	}
	if sub, _ := fake.Subscription(res.SubscriptionID); sub.Status != "active" {
		t.Errorf("Razorpay cancelled at once: %s", sub.Status)
	}
	if reqs := fake.Requests(); reqs[len(reqs)-1] != "POST /v1/subscriptions/"+res.SubscriptionID+"/cancel" {
		t.Errorf("last Razorpay request %v", reqs[len(reqs)-1])
	}
}

// TestUpgrade: a shop on pro buys business; once paid, business is in
// force and the pro subscription is cancelled at Razorpay (a job).
func TestUpgrade(t *testing.T) {
	fake := razorpaytest.New(t)
	e := paidEnv(t, storetest.Stores[0].Open, fake)
	s := e.signup()
	pro := e.subscribe(s, "pro")
	pay, sig := fake.Pay(pro.SubscriptionID)
	if code, body := e.verify(checkoutToken(pro), pay, pro.SubscriptionID, sig); code != 200 {
		t.Fatal(code, body)
	}
	biz := e.subscribe(s, "business")
	if got := e.status(s); got.Plan != "pro" {
		t.Errorf("plan %s before the upgrade is paid", got.Plan)
	}
	pay, sig = fake.Pay(biz.SubscriptionID)
	if code, body := e.verify(checkoutToken(biz), pay, biz.SubscriptionID, sig); code != 200 {
		t.Fatal(code, body)
	}
	if got := e.status(s); got.Plan != "business" || got.Limits.Devices != 20 {
		t.Errorf("after the upgrade: %+v", got)
	}
	e.eventually("the pro subscription cancelled at Razorpay", func() bool {
		sub, _ := fake.Subscription(pro.SubscriptionID)
		return sub.Status == "cancelled"
	})
	// The old subscription's cancellation webhook changes nothing.
	body, sig2, id := fake.Event("subscription.cancelled", pro.SubscriptionID, "", e.now(), 0)
	e.webhook(body, sig2, id, 200)
	e.eventually("the event processed", func() bool { _, _, done, _ := e.db.Event(ctx, id); return done })
	if got := e.status(s); got.Plan != "business" || got.Status != "active" {
		t.Errorf("after the old subscription's cancellation: %+v", got)
	}
}
