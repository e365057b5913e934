// Package razorpay is a small typed client of the Razorpay API (plans,
// subscriptions, payment links) and its signature checks. It keeps the
// HTTP status and Razorpay's error body on every failure (the official Go
// SDK can return a nil error on a 4xx body), sends HTTP Basic key_id:secret,
// and backs off with jitter on 429. Amounts are paise, times Unix seconds.
package razorpay

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultBaseURL is Razorpay's API.
const DefaultBaseURL = "https://api.razorpay.com"

// Client calls Razorpay with one pair of keys.
type Client struct {
	base    string
	keyID   string
	secret  string
	hc      *http.Client
	retries int
	backoff time.Duration
}

// Option changes a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (default: 20 s timeout).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithRetries sets how often a 429 (or a 5xx on a read) is tried again and
// the first wait, doubled each time with jitter (default 3, 500 ms).
func WithRetries(n int, first time.Duration) Option {
	return func(c *Client) { c.retries, c.backoff = n, first }
}

// New returns a client of the API at baseURL ("" for DefaultBaseURL).
func New(baseURL, keyID, keySecret string, opts ...Option) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	c := &Client{base: strings.TrimRight(baseURL, "/"), keyID: keyID, secret: keySecret,
		hc: &http.Client{Timeout: 20 * time.Second}, retries: 3, backoff: 500 * time.Millisecond}
	for _, o := range opts {
		o(c)
	}
	return c
}

// KeyID is the public key id (what Checkout gets).
func (c *Client) KeyID() string { return c.keyID }

// Error is a failed call: the HTTP status and Razorpay's error body.
type Error struct {
	Status      int
	Code        string `json:"code"`
	Description string `json:"description"`
	Field       string `json:"field"`
	Source      string `json:"source"`
	Step        string `json:"step"`
	Reason      string `json:"reason"`
}

func (e *Error) Error() string {
	s := fmt.Sprintf("razorpay: %d %s: %s", e.Status, e.Code, e.Description)
	if e.Field != "" {
		s += " (field " + e.Field + ")"
	}
	return s
}

// IsStatus reports whether err is a Razorpay answer with that HTTP status.
func IsStatus(err error, status int) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == status
}

// do sends a JSON request and decodes a 2xx answer into out.
func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return fmt.Errorf("razorpay %s %s: %w", method, path, err)
		}
	}
	wait := c.backoff
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(raw))
		if err != nil {
			return err
		}
		req.SetBasicAuth(c.keyID, c.secret)
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := c.hc.Do(req)
		if err != nil {
			return fmt.Errorf("razorpay %s %s: %w", method, path, err)
		}
		b, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
		res.Body.Close()
		if err != nil {
			return fmt.Errorf("razorpay %s %s: %w", method, path, err)
		}
		if res.StatusCode/100 == 2 {
			if out == nil {
				return nil
			}
			if err := json.Unmarshal(b, out); err != nil {
				return fmt.Errorf("razorpay %s %s: bad answer: %w", method, path, err)
			}
			return nil
		}
		e := &Error{Status: res.StatusCode}
		var env struct {
			Error *Error `json:"error"`
		}
		if json.Unmarshal(b, &env) == nil && env.Error != nil {
			*e = *env.Error
			e.Status = res.StatusCode
		} else {
			e.Code, e.Description = "HTTP_"+strconv.Itoa(res.StatusCode), strings.TrimSpace(string(b[:min(len(b), 200)]))
		}
		retry := res.StatusCode == http.StatusTooManyRequests || (res.StatusCode >= 500 && method == http.MethodGet)
		if !retry || attempt >= c.retries {
			return e
		}
		if ra, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && ra > 0 {
			wait = max(wait, time.Duration(ra)*time.Second)
		}
		d := wait/2 + rand.N(wait/2+1)
		select {
		case <-ctx.Done():
			return errors.Join(e, ctx.Err())
		case <-time.After(d):
		}
		wait *= 2
	}
}

// Notes are Razorpay's free-form notes. Razorpay sends empty notes as [],
// {} or null; all read as an empty map.
type Notes map[string]string

// UnmarshalJSON reads an object, or an empty array or null.
func (n *Notes) UnmarshalJSON(b []byte) error {
	t := bytes.TrimSpace(b)
	if bytes.Equal(t, []byte("null")) || (len(t) > 0 && t[0] == '[') {
		*n = Notes{}
		return nil
	}
	m := map[string]any{}
	if err := json.Unmarshal(t, &m); err != nil {
		return err
	}
	*n = Notes{}
	for k, v := range m {
		switch v := v.(type) {
		case string:
			(*n)[k] = v
		default:
			j, _ := json.Marshal(v)
			(*n)[k] = string(j)
		}
	}
	return nil
}

// Flag is a boolean that Razorpay may send as true/false, "1"/"0" or 1/0.
type Flag bool

// UnmarshalJSON reads any of the forms.
func (f *Flag) UnmarshalJSON(b []byte) error {
	switch strings.Trim(string(bytes.TrimSpace(b)), `"`) {
	case "true", "1":
		*f = true
	case "false", "0", "", "null":
		*f = false
	default:
		return fmt.Errorf("razorpay: %s is not a flag", b)
	}
	return nil
}

// Item is a plan's item.
type Item struct {
	Name     string `json:"name"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// PlanRequest creates a plan.
type PlanRequest struct {
	Period   string `json:"period"`
	Interval int    `json:"interval"`
	Item     Item   `json:"item"`
	Notes    Notes  `json:"notes"`
}

// Plan is a Razorpay plan.
type Plan struct {
	ID       string `json:"id"`
	Entity   string `json:"entity"`
	Period   string `json:"period"`
	Interval int    `json:"interval"`
	Item     Item   `json:"item"`
	Notes    Notes  `json:"notes"`
}

// CreatePlan creates a plan.
func (c *Client) CreatePlan(ctx context.Context, r PlanRequest) (Plan, error) {
	if r.Notes == nil {
		r.Notes = Notes{}
	}
	var p Plan
	return p, c.do(ctx, http.MethodPost, "/v1/plans", r, &p)
}

// SubscriptionRequest creates a subscription.
type SubscriptionRequest struct {
	PlanID         string `json:"plan_id"`
	TotalCount     int    `json:"total_count"`
	Quantity       int    `json:"quantity,omitempty"`
	CustomerNotify int    `json:"customer_notify"`
	// StartAt starts the billing later (Unix seconds; 0: at once).
	StartAt int64 `json:"start_at,omitempty"`
	Notes   Notes `json:"notes,omitempty"`
}

// Subscription is a Razorpay subscription.
type Subscription struct {
	ID             string `json:"id"`
	Entity         string `json:"entity"`
	PlanID         string `json:"plan_id"`
	Status         string `json:"status"`
	CurrentStart   int64  `json:"current_start"`
	CurrentEnd     int64  `json:"current_end"`
	ChargeAt       int64  `json:"charge_at"`
	StartAt        int64  `json:"start_at"`
	EndedAt        int64  `json:"ended_at"`
	TotalCount     int    `json:"total_count"`
	PaidCount      int    `json:"paid_count"`
	ShortURL       string `json:"short_url"`
	Notes          Notes  `json:"notes"`
	CreatedAt      int64  `json:"created_at"`
	CustomerNotify Flag   `json:"customer_notify"`
}

// CreateSubscription creates a subscription (status created).
func (c *Client) CreateSubscription(ctx context.Context, r SubscriptionRequest) (Subscription, error) {
	var s Subscription
	return s, c.do(ctx, http.MethodPost, "/v1/subscriptions", r, &s)
}

// Subscription fetches a subscription.
func (c *Client) Subscription(ctx context.Context, id string) (Subscription, error) {
	var s Subscription
	return s, c.do(ctx, http.MethodGet, "/v1/subscriptions/"+url.PathEscape(id), nil, &s)
}

// CancelSubscription cancels a subscription, at the end of the current
// cycle or at once.
func (c *Client) CancelSubscription(ctx context.Context, id string, atCycleEnd bool) (Subscription, error) {
	var s Subscription
	body := map[string]bool{"cancel_at_cycle_end": atCycleEnd}
	return s, c.do(ctx, http.MethodPost, "/v1/subscriptions/"+url.PathEscape(id)+"/cancel", body, &s)
}

// Customer is who a payment link is for.
type Customer struct {
	Name    string `json:"name,omitempty"`
	Contact string `json:"contact,omitempty"`
	Email   string `json:"email,omitempty"`
}

// PaymentLinkRequest creates a payment link.
type PaymentLinkRequest struct {
	Amount         int64    `json:"amount"`
	Currency       string   `json:"currency"`
	ReferenceID    string   `json:"reference_id"`
	Description    string   `json:"description"`
	Customer       Customer `json:"customer"`
	Notify         Notify   `json:"notify"`
	CallbackURL    string   `json:"callback_url,omitempty"`
	CallbackMethod string   `json:"callback_method,omitempty"`
	ExpireBy       int64    `json:"expire_by,omitempty"`
	Notes          Notes    `json:"notes,omitempty"`
}

// Notify says whether Razorpay itself sends the link by SMS or email.
type Notify struct {
	SMS   bool `json:"sms"`
	Email bool `json:"email"`
}

// PaymentLink is a Razorpay payment link.
type PaymentLink struct {
	ID          string `json:"id"`
	Amount      int64  `json:"amount"`
	AmountPaid  int64  `json:"amount_paid"`
	Currency    string `json:"currency"`
	ReferenceID string `json:"reference_id"`
	ShortURL    string `json:"short_url"`
	Status      string `json:"status"`
	ExpireBy    int64  `json:"expire_by"`
	CreatedAt   int64  `json:"created_at"`
	Notes       Notes  `json:"notes"`
}

// CreatePaymentLink creates a payment link.
func (c *Client) CreatePaymentLink(ctx context.Context, r PaymentLinkRequest) (PaymentLink, error) {
	if r.Currency == "" {
		r.Currency = "INR"
	}
	var l PaymentLink
	return l, c.do(ctx, http.MethodPost, "/v1/payment_links", r, &l)
}

// PaymentLinks lists the account's payment links with a reference id
// (GET /v1/payment_links?reference_id=…; "" lists the newest). A reference
// id is unique, so there is at most one such link: finding it makes
// creating a link idempotent after a create whose answer was lost.
func (c *Client) PaymentLinks(ctx context.Context, referenceID string) ([]PaymentLink, error) {
	path := "/v1/payment_links"
	if referenceID != "" {
		path += "?reference_id=" + url.QueryEscape(referenceID)
	}
	var out struct {
		PaymentLinks []PaymentLink `json:"payment_links"`
	}
	return out.PaymentLinks, c.do(ctx, http.MethodGet, path, nil, &out)
}

// Sign is hex HMAC-SHA256 of msg with secret, as Razorpay signs.
func Sign(secret string, msg []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write(msg)
	return hex.EncodeToString(h.Sum(nil))
}

func equalSig(secret string, msg []byte, sig string) bool {
	got, err := hex.DecodeString(strings.TrimSpace(sig))
	if err != nil || secret == "" {
		return false
	}
	h := hmac.New(sha256.New, []byte(secret))
	h.Write(msg)
	return hmac.Equal(h.Sum(nil), got)
}

// VerifyCheckout checks the signature Checkout hands back for a
// subscription payment: HMAC(key secret, payment_id|subscription_id). The
// subscription id must be the one the server stored, not the browser's.
func VerifyCheckout(keySecret, paymentID, subscriptionID, signature string) bool {
	return equalSig(keySecret, []byte(paymentID+"|"+subscriptionID), signature)
}

// VerifyWebhook checks X-Razorpay-Signature: HMAC(webhook secret, raw body).
func VerifyWebhook(webhookSecret string, body []byte, signature string) bool {
	return equalSig(webhookSecret, body, signature)
}

// VerifyPaymentLinkCallback checks a payment link's callback signature:
// HMAC(key secret, link_id|reference_id|status|payment_id).
func VerifyPaymentLinkCallback(keySecret, linkID, referenceID, status, paymentID, signature string) bool {
	return equalSig(keySecret, []byte(linkID+"|"+referenceID+"|"+status+"|"+paymentID), signature)
}

// VerifyCheckout checks a Checkout signature with this client's secret.
func (c *Client) VerifyCheckout(paymentID, subscriptionID, signature string) bool {
	return VerifyCheckout(c.secret, paymentID, subscriptionID, signature)
}
