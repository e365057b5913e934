// Package razorpay is a small typed client of the Razorpay API (plans,
// subscriptions, payment links) on resty, and its signature checks. It
// keeps the HTTP status and Razorpay's error body on every failure (the
// official Go SDK can return a nil error on a 4xx body), sends HTTP Basic
// key_id:secret, and backs off with jitter on 429. Amounts are paise,
// times Unix seconds.
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
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// DefaultBaseURL is Razorpay's API.
const DefaultBaseURL = "https://api.razorpay.com"

// Client calls Razorpay with one pair of keys, over resty.
type Client struct {
	base    string
	keyID   string
	secret  string
	hc      *http.Client
	retries int
	backoff time.Duration
	rc      *resty.Client
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

// maxBody bounds an answer's body.
const maxBody = 4 << 20

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
	c.rc = resty.NewWithClient(c.hc).
		SetBaseURL(c.base).
		SetBasicAuth(c.keyID, c.secret).
		SetHeader("Accept", "application/json").
		SetLogger(quiet{}).
		SetResponseBodyLimit(maxBody).
		SetRetryCount(c.retries).
		SetRetryWaitTime(max(c.backoff, time.Millisecond)).
		SetRetryMaxWaitTime(max(c.backoff, time.Millisecond) << 6).
		// A 429 is always tried again, a 5xx only on a read: a create
		// that failed there may have happened. Network errors are not
		// tried again here (a lost answer to a create is found by its
		// reference by the caller).
		AddRetryCondition(func(r *resty.Response, err error) bool {
			if err != nil || r == nil {
				return false
			}
			return r.StatusCode() == http.StatusTooManyRequests ||
				(r.StatusCode() >= 500 && r.Request.Method == http.MethodGet)
		}).
		// Razorpay's Retry-After, when it sends one; else resty's capped
		// exponential backoff with full jitter.
		SetRetryAfter(func(_ *resty.Client, r *resty.Response) (time.Duration, error) {
			if ra, err := strconv.Atoi(r.Header().Get("Retry-After")); err == nil && ra > 0 {
				return time.Duration(ra) * time.Second, nil
			}
			return 0, nil
		})
	return c
}

// quiet drops resty's own log lines: every failure reaches the caller as
// an error, and lines naming requests have no place in the server's log.
type quiet struct{}

func (quiet) Errorf(string, ...any) {}
func (quiet) Warnf(string, ...any)  {}
func (quiet) Debugf(string, ...any) {}

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

// do sends a JSON request and decodes a 2xx answer into out; any other
// answer is an *Error with the status and Razorpay's error body.
func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	req := c.rc.R().SetContext(ctx)
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("razorpay %s %s: %w", method, path, err)
		}
		req.SetHeader("Content-Type", "application/json").SetBody(raw)
	}
	res, err := req.Execute(method, path)
	if err != nil {
		if ctx.Err() != nil && res != nil && res.StatusCode() != 0 {
			return errors.Join(answerErr(res), ctx.Err())
		}
		return fmt.Errorf("razorpay %s %s: %w", method, path, err)
	}
	if res.IsSuccess() {
		if out == nil {
			return nil
		}
		if err := json.Unmarshal(res.Body(), out); err != nil {
			return fmt.Errorf("razorpay %s %s: bad answer: %w", method, path, err)
		}
		return nil
	}
	return answerErr(res)
}

// answerErr reads Razorpay's error body (or says what came instead).
func answerErr(res *resty.Response) *Error {
	b := res.Body()
	e := &Error{Status: res.StatusCode()}
	var env struct {
		Error *Error `json:"error"`
	}
	if json.Unmarshal(b, &env) == nil && env.Error != nil {
		*e = *env.Error
		e.Status = res.StatusCode()
	} else {
		e.Code, e.Description = "HTTP_"+strconv.Itoa(res.StatusCode()), strings.TrimSpace(string(b[:min(len(b), 200)]))
	}
	return e
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

// CancelPaymentLink cancels a payment link (POST
// /v1/payment_links/{id}/cancel); Razorpay refuses (400) a link that is
// paid, expired or cancelled already.
func (c *Client) CancelPaymentLink(ctx context.Context, id string) (PaymentLink, error) {
	var l PaymentLink
	return l, c.do(ctx, http.MethodPost, "/v1/payment_links/"+url.PathEscape(id)+"/cancel", struct{}{}, &l)
}

// PaymentLink fetches a payment link (GET /v1/payment_links/{id}).
func (c *Client) PaymentLink(ctx context.Context, id string) (PaymentLink, error) {
	var l PaymentLink
	return l, c.do(ctx, http.MethodGet, "/v1/payment_links/"+url.PathEscape(id), nil, &l)
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
