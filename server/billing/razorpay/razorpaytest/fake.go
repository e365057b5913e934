// Package razorpaytest is a fake Razorpay API on loopback for tests,
// following CONTRACTS.md: HTTP Basic auth, plans, subscriptions and their
// statuses, payment links, Razorpay's error bodies, signed webhooks, and a
// stand-in for checkout.js that completes a payment with a real signature.
package razorpaytest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/billing/razorpay"
)

// Fake is the fake API.
type Fake struct {
	URL           string
	KeyID         string
	KeySecret     string
	WebhookSecret string

	mu       sync.Mutex
	plans    map[string]razorpay.Plan
	subs     map[string]*razorpay.Subscription
	links    map[string]*razorpay.PaymentLink
	refs     map[string]bool
	linkReqs []razorpay.PaymentLinkRequest
	loseLink bool
	fail     []int // statuses to answer the next requests with
	requests []string
	now      func() time.Time
}

// New starts a fake with fresh keys; it stops when the test ends.
func New(t testing.TB) *Fake {
	f := &Fake{KeyID: "rzp_test_" + rnd(7), KeySecret: rnd(12), WebhookSecret: "whsec_" + rnd(8),
		plans: map[string]razorpay.Plan{}, subs: map[string]*razorpay.Subscription{},
		links: map[string]*razorpay.PaymentLink{}, refs: map[string]bool{}, now: time.Now}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

func rnd(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)[:n]
}

func newID(prefix string) string { return prefix + "_" + rnd(7) }

// SetClock sets the fake's clock (subscription periods, event times).
func (f *Fake) SetClock(now func() time.Time) { f.mu.Lock(); f.now = now; f.mu.Unlock() }

// FailNext makes the next requests answer these statuses (429, 500 ...)
// with an error body.
func (f *Fake) FailNext(statuses ...int) {
	f.mu.Lock()
	f.fail = append(f.fail, statuses...)
	f.mu.Unlock()
}

// Requests lists the API requests received, as "METHOD /path".
func (f *Fake) Requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

// Subscription returns a copy of a subscription as the fake holds it.
func (f *Fake) Subscription(id string) (razorpay.Subscription, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.subs[id]
	if !ok {
		return razorpay.Subscription{}, false
	}
	return *s, true
}

// SetStatus changes a subscription's status (and, for active, starts a
// new month-long period).
func (f *Fake) SetStatus(id, status string) razorpay.Subscription {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.subs[id]
	s.Status = status
	if status == "active" {
		now := f.now()
		s.CurrentStart, s.CurrentEnd = now.Unix(), now.AddDate(0, 1, 0).Unix()
		s.PaidCount++
	}
	return *s
}

type apiError struct {
	Code        string            `json:"code"`
	Description string            `json:"description"`
	Field       *string           `json:"field"`
	Source      string            `json:"source"`
	Step        string            `json:"step"`
	Reason      string            `json:"reason"`
	Metadata    map[string]string `json:"metadata"`
}

func writeErr(w http.ResponseWriter, status int, code, desc string, field string) {
	e := apiError{Code: code, Description: desc, Source: "business", Step: "payment_initiation",
		Reason: "input_validation_failed", Metadata: map[string]string{}}
	if field != "" {
		e.Field = &field
	}
	if status == http.StatusUnauthorized {
		e.Source, e.Step, e.Reason = "NA", "NA", "NA"
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]apiError{"error": e})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// ServeHTTP serves the API.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/checkout.js":
		f.checkoutJS(w, r)
		return
	case "/_test/checkout":
		f.checkoutPay(w, r)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path)
	if len(f.fail) > 0 {
		st := f.fail[0]
		f.fail = f.fail[1:]
		if st == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "0")
		}
		writeErr(w, st, "SERVER_ERROR", http.StatusText(st), "")
		return
	}
	if id, secret, ok := r.BasicAuth(); !ok || id != f.KeyID || secret != f.KeySecret {
		writeErr(w, http.StatusUnauthorized, "BAD_REQUEST_ERROR", "Authentication failed", "")
		return
	}
	var body map[string]json.RawMessage
	if r.Method == http.MethodPost || r.Method == http.MethodPatch {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "The request body is not valid JSON", "")
			return
		}
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1/plans":
		f.createPlan(w, body)
	case r.Method == http.MethodPost && r.URL.Path == "/v1/subscriptions":
		f.createSub(w, body)
	case r.Method == http.MethodGet && len(parts) == 3 && parts[1] == "subscriptions":
		s, ok := f.subs[parts[2]]
		if !ok {
			writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "The id provided does not exist", "")
			return
		}
		writeJSON(w, s)
	case r.Method == http.MethodPost && len(parts) == 4 && parts[1] == "subscriptions" && parts[3] == "cancel":
		f.cancelSub(w, parts[2], body)
	case r.Method == http.MethodPost && r.URL.Path == "/v1/payment_links":
		f.createLink(w, body)
	case r.Method == http.MethodGet && r.URL.Path == "/v1/payment_links":
		ref := r.URL.Query().Get("reference_id")
		list := []razorpay.PaymentLink{}
		for _, l := range f.links {
			if ref == "" || l.ReferenceID == ref {
				list = append(list, *l)
			}
		}
		writeJSON(w, map[string]any{"payment_links": list})
	case r.Method == http.MethodGet && len(parts) == 3 && parts[1] == "payment_links":
		l, ok := f.links[parts[2]]
		if !ok {
			writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "The id provided does not exist", "")
			return
		}
		writeJSON(w, l)
	case r.Method == http.MethodPost && len(parts) == 4 && parts[1] == "payment_links" && parts[3] == "cancel":
		l, ok := f.links[parts[2]]
		switch {
		case !ok:
			writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "The id provided does not exist", "")
		case l.Status == "paid" || l.Status == "expired" || l.Status == "partially_paid":
			writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "Payment link cannot be cancelled as it is already "+l.Status, "")
		case l.Status == "cancelled":
			writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "Payment link is already cancelled", "")
		default:
			l.Status = "cancelled"
			writeJSON(w, l)
		}
	default:
		writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "The requested URL was not found on the server.", "")
	}
}

func (f *Fake) createPlan(w http.ResponseWriter, body map[string]json.RawMessage) {
	var p razorpay.Plan
	_ = json.Unmarshal(body["period"], &p.Period)
	_ = json.Unmarshal(body["interval"], &p.Interval)
	_ = json.Unmarshal(body["item"], &p.Item)
	_ = json.Unmarshal(body["notes"], &p.Notes)
	switch {
	case p.Period != "daily" && p.Period != "weekly" && p.Period != "monthly" && p.Period != "yearly":
		writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "The period field is invalid.", "period")
		return
	case p.Interval < 1:
		writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "The interval must be at least 1.", "interval")
		return
	case p.Item.Amount < 100:
		writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "The amount must be atleast INR 1.00", "amount")
		return
	case p.Item.Currency != "INR" || p.Item.Name == "":
		writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "The item name and currency INR are required.", "item")
		return
	}
	p.ID, p.Entity = newID("plan"), "plan"
	f.plans[p.ID] = p
	writeJSON(w, p)
}

func (f *Fake) createSub(w http.ResponseWriter, body map[string]json.RawMessage) {
	s := &razorpay.Subscription{Entity: "subscription", Status: "created", Notes: razorpay.Notes{}}
	_ = json.Unmarshal(body["plan_id"], &s.PlanID)
	_ = json.Unmarshal(body["total_count"], &s.TotalCount)
	_ = json.Unmarshal(body["start_at"], &s.StartAt)
	if n, ok := body["notes"]; ok {
		_ = json.Unmarshal(n, &s.Notes)
	}
	if _, ok := f.plans[s.PlanID]; !ok {
		writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "The id provided does not exist", "plan_id")
		return
	}
	if s.TotalCount < 1 {
		writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "The total count field is required.", "total_count")
		return
	}
	s.ID = newID("sub")
	s.ShortURL = "https://rzp.io/i/" + rnd(5)
	s.CreatedAt = f.now().Unix()
	f.subs[s.ID] = s
	writeJSON(w, s)
}

func (f *Fake) cancelSub(w http.ResponseWriter, id string, body map[string]json.RawMessage) {
	s, ok := f.subs[id]
	if !ok {
		writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "The id provided does not exist", "")
		return
	}
	var atEnd razorpay.Flag
	_ = json.Unmarshal(body["cancel_at_cycle_end"], &atEnd)
	switch s.Status {
	case "cancelled", "completed", "expired":
		writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "Subscription is not cancellable in "+s.Status+" status.", "")
		return
	}
	if !atEnd || s.Status == "created" {
		s.Status = "cancelled"
		s.EndedAt = f.now().Unix()
	}
	writeJSON(w, s)
}

func (f *Fake) createLink(w http.ResponseWriter, body map[string]json.RawMessage) {
	var req razorpay.PaymentLinkRequest
	raw, _ := json.Marshal(body)
	_ = json.Unmarshal(raw, &req)
	switch {
	case req.Amount < 100:
		writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "The amount must be atleast INR 1.00", "amount")
		return
	case len(req.ReferenceID) > 40:
		writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "The reference id may not be greater than 40 characters.", "reference_id")
		return
	case req.ReferenceID != "" && f.refs[req.ReferenceID]:
		writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "Payment Link with reference id "+req.ReferenceID+" already exists", "reference_id")
		return
	}
	f.linkReqs = append(f.linkReqs, req)
	l := &razorpay.PaymentLink{ID: newID("plink"), Amount: req.Amount, Currency: "INR", ReferenceID: req.ReferenceID,
		ShortURL: "https://rzp.io/i/" + rnd(5), Status: "created", ExpireBy: req.ExpireBy, CreatedAt: f.now().Unix(), Notes: req.Notes}
	f.refs[req.ReferenceID] = true
	f.links[l.ID] = l
	if f.loseLink {
		f.loseLink = false
		writeErr(w, http.StatusBadGateway, "SERVER_ERROR", "Bad Gateway", "")
		return
	}
	writeJSON(w, l)
}

// LoseNextLinkAnswer makes the next payment link created answer 502: the
// link is made but its answer is lost on the way, as a timeout would.
func (f *Fake) LoseNextLinkAnswer() { f.mu.Lock(); f.loseLink = true; f.mu.Unlock() }

// LinkRequests returns the payment-link requests the fake accepted.
func (f *Fake) LinkRequests() []razorpay.PaymentLinkRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]razorpay.PaymentLinkRequest(nil), f.linkReqs...)
}

// Link returns a payment link as the fake holds it.
func (f *Fake) Link(id string) (razorpay.PaymentLink, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	l, ok := f.links[id]
	if !ok {
		return razorpay.PaymentLink{}, false
	}
	return *l, true
}

// Pay completes Checkout for a subscription as a customer would: the
// subscription becomes active for a month, and Checkout's three fields
// come back, signed with the key secret.
func (f *Fake) Pay(subID string) (paymentID, signature string) {
	f.SetStatus(subID, "active")
	paymentID = newID("pay")
	return paymentID, razorpay.Sign(f.KeySecret, []byte(paymentID+"|"+subID))
}

// Event builds a webhook for a subscription as it stands, with status
// overriding its status when not empty and payment (for charged events)
// when amount > 0. It returns the body, its X-Razorpay-Signature and a
// fresh x-razorpay-event-id.
func (f *Fake) Event(event, subID, status string, createdAt time.Time, amount int64) (body []byte, sig, eventID string) {
	f.mu.Lock()
	s := *f.subs[subID]
	f.mu.Unlock()
	if status != "" {
		s.Status = status
	}
	payload := map[string]any{"subscription": map[string]any{"entity": s}}
	contains := []string{"subscription"}
	if amount > 0 {
		contains = append(contains, "payment")
		payload["payment"] = map[string]any{"entity": map[string]any{
			"id": newID("pay"), "entity": "payment", "amount": amount, "currency": "INR", "status": "captured",
			"method": "card", "captured": "1", "invoice_id": newID("inv"), "notes": []string{}, "created_at": createdAt.Unix()}}
	}
	body, _ = json.Marshal(map[string]any{"entity": "event", "account_id": "acc_" + rnd(7), "event": event,
		"contains": contains, "payload": payload, "created_at": createdAt.Unix()})
	return body, razorpay.Sign(f.WebhookSecret, body), "evt_" + rnd(8)
}

// LinkEvent builds payment_link.cancelled or payment_link.expired for a
// link (the fake's link takes the status), signed with secret.
func (f *Fake) LinkEvent(linkID, event, secret string, at time.Time) (body []byte, sig string) {
	f.mu.Lock()
	l := f.links[linkID]
	l.Status = strings.TrimPrefix(event, "payment_link.")
	cp := *l
	f.mu.Unlock()
	body, _ = json.Marshal(map[string]any{"entity": "event", "account_id": "acc_" + rnd(7), "event": event,
		"contains": []string{"payment_link"}, "payload": map[string]any{"payment_link": map[string]any{"entity": cp}},
		"created_at": at.Unix()})
	return body, razorpay.Sign(secret, body)
}

// LinkPaidEvent builds payment_link.paid for a link, signed with secret
// (the shop's webhook secret).
func (f *Fake) LinkPaidEvent(linkID, secret string, at time.Time) (body []byte, sig, eventID, paymentID string) {
	f.mu.Lock()
	l := f.links[linkID]
	l.Status, l.AmountPaid = "paid", l.Amount
	cp := *l
	f.mu.Unlock()
	paymentID = newID("pay")
	body, _ = json.Marshal(map[string]any{"entity": "event", "account_id": "acc_" + rnd(7), "event": "payment_link.paid",
		"contains": []string{"payment_link", "payment"}, "payload": map[string]any{
			"payment_link": map[string]any{"entity": cp},
			"payment": map[string]any{"entity": map[string]any{"id": paymentID, "entity": "payment", "amount": cp.Amount,
				"currency": "INR", "status": "captured", "method": "upi", "captured": true, "notes": nil, "created_at": at.Unix()}}},
		"created_at": at.Unix()})
	return body, razorpay.Sign(secret, body), "evt_" + rnd(8), paymentID
}

// checkoutJS stands in for https://checkout.razorpay.com/v1/checkout.js:
// new Razorpay(options).open() pays at once through the fake and calls
// options.handler with the three razorpay_* fields.
func (f *Fake) checkoutJS(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/javascript")
	fmt.Fprintf(w, `window.Razorpay = function (options) {
  this.options = options;
  window.__razorpayOptions = options;
  this.open = function () {
    fetch(%q + "/_test/checkout?key=" + encodeURIComponent(options.key) +
      "&subscription_id=" + encodeURIComponent(options.subscription_id))
      .then(function (r) { return r.json(); })
      .then(function (res) { options.handler(res); });
  };
};
`, f.URL)
}

func (f *Fake) checkoutPay(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	sub, key := r.URL.Query().Get("subscription_id"), r.URL.Query().Get("key")
	f.mu.Lock()
	_, ok := f.subs[sub]
	f.mu.Unlock()
	if key != f.KeyID || !ok {
		writeErr(w, http.StatusBadRequest, "BAD_REQUEST_ERROR", "Invalid key or subscription id", "")
		return
	}
	pay, sig := f.Pay(sub)
	writeJSON(w, map[string]string{"razorpay_payment_id": pay, "razorpay_subscription_id": sub, "razorpay_signature": sig})
}

// AddSubscription puts a subscription into the fake as if created earlier
// (for fixed ids such as CONTRACTS.md's vector).
func (f *Fake) AddSubscription(s razorpay.Subscription) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s.Entity == "" {
		s.Entity = "subscription"
	}
	if s.Notes == nil {
		s.Notes = razorpay.Notes{}
	}
	f.subs[s.ID] = &s
}
