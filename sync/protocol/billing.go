package protocol

import "time"

// BillingCounts are numbers per limited thing: devices signed in, WhatsApp
// messages and AI questions this month.
type BillingCounts struct {
	Devices  int `json:"devices"`
	WhatsApp int `json:"whatsapp"`
	AI       int `json:"ai"`
}

// BillingPlan is a plan on offer.
type BillingPlan struct {
	ID         string        `json:"id"`
	Name       string        `json:"name"`
	PricePaise int64         `json:"price_paise"`
	Limits     BillingCounts `json:"limits"`
}

// BillingStatus is the body of GET /v1/billing: the plan in force, the
// subscription's status ("none" when never subscribed), the end of the
// period paid for, the limits in force and what is used of them.
type BillingStatus struct {
	Plan     string `json:"plan"`
	PlanName string `json:"plan_name"`
	// Subscribed is the plan subscribed to, which differs from Plan after
	// a lapse has outlasted its grace period.
	Subscribed       string        `json:"subscribed"`
	Status           string        `json:"status"`
	CurrentEnd       *time.Time    `json:"current_end"`
	GraceEnds        *time.Time    `json:"grace_ends,omitempty"`
	CancelAtCycleEnd bool          `json:"cancel_at_cycle_end"`
	Limits           BillingCounts `json:"limits"`
	Used             BillingCounts `json:"used"`
	// ResetsOn is when this month's counts start again (00:00 IST).
	ResetsOn time.Time     `json:"resets_on"`
	Plans    []BillingPlan `json:"plans"`
}

// SubscribeRequest is the body of POST /v1/billing/subscribe.
type SubscribeRequest struct {
	Plan string `json:"plan"`
}

// SubscribeResponse answers POST /v1/billing/subscribe: the Razorpay
// subscription and our page that opens Razorpay Checkout for it.
type SubscribeResponse struct {
	SubscriptionID string `json:"subscription_id"`
	CheckoutURL    string `json:"checkout_url"`
}

// VerifyRequest is what Razorpay Checkout hands back on success, posted by
// the checkout page to POST /v1/billing/verify.
type VerifyRequest struct {
	PaymentID      string `json:"razorpay_payment_id"`
	SubscriptionID string `json:"razorpay_subscription_id"`
	Signature      string `json:"razorpay_signature"`
}

// BillingInvoice is one of our GST tax invoices to the shop.
type BillingInvoice struct {
	ID          string    `json:"id"`
	Number      string    `json:"number"`
	Date        time.Time `json:"date"`
	Plan        string    `json:"plan"`
	TotalPaise  int64     `json:"total_paise"`
	TaxPaise    int64     `json:"tax_paise"`
	PaymentID   string    `json:"payment_id"`
	DownloadURL string    `json:"download_url"`
}

// QuotaInfo names a used-up monthly quota: the feature ("whatsapp" or
// "ai"), the plan's limit and when the month's count starts again (00:00
// IST on the 1st).
type QuotaInfo struct {
	Feature  string    `json:"feature"`
	Limit    int       `json:"limit"`
	ResetsOn time.Time `json:"resets_on"`
}

// TablePayLinks is the synced table of payment links for a shop's own
// customers (records, written by the server only). A row's id is the id
// of the invoice it asks payment for, so every replica names the same row.
const TablePayLinks = "pay_links"

// Statuses of a payment link, in the order a link moves through them.
const (
	PayLinkCreated = "created" // Razorpay made it; the customer may pay
	PayLinkFailed  = "failed"  // it could not be made; Error says why
	PayLinkPaid    = "paid"    // paid; the payment is in the books
	// Closed unpaid: Razorpay cancelled or expired it; no device offers it.
	PayLinkCancelled = "cancelled"
	PayLinkExpired   = "expired"
)

// PayLinkRank orders statuses so a link's status only moves forward: the
// server stamps a link's fields on a fixed wall time per link with this
// rank as the counter, so the merge keeps the latest whatever order the
// writes arrive in.
func PayLinkRank(status string) int32 {
	switch status {
	case PayLinkCreated, PayLinkFailed:
		return 1
	case PayLinkCancelled, PayLinkExpired:
		return 2
	case PayLinkPaid:
		return 3 // a payment wins over a cancel or expiry it raced
	}
	return 0
}

// PayLink is a pay_links row: a Razorpay payment link the server made with
// the shop's own keys for an invoice with a balance due (reference_id = the
// invoice id), and its payment.
type PayLink struct {
	InvoiceID     string `json:"invoice_id"`
	InvoiceNumber string `json:"invoice_number,omitempty"`
	PartyID       string `json:"party_id,omitempty"`
	Amount        int64  `json:"amount"` // paise asked for
	LinkID        string `json:"link_id,omitempty"`
	ShortURL      string `json:"short_url,omitempty"`
	Status        string `json:"status"`
	Error         string `json:"error,omitempty"` // plain words, with failed
	CreatedAt     string `json:"created_at,omitempty"`
	// Set once paid; the payment itself is a payments document the server
	// wrote (its Note names the link and Razorpay's payment id).
	PaymentID  string `json:"payment_id,omitempty"`
	AmountPaid int64  `json:"amount_paid,omitempty"`
	PaidAt     string `json:"paid_at,omitempty"` // RFC 3339
}

// ShopRazorpayKeys is the body of PUT /v1/billing/razorpay-keys: the shop's
// own Razorpay API keys and the secret of the webhook it set up in its
// Razorpay dashboard (event payment_link.paid).
type ShopRazorpayKeys struct {
	KeyID         string `json:"key_id"`
	KeySecret     string `json:"key_secret"`
	WebhookSecret string `json:"webhook_secret"`
}

// ShopRazorpayStatus answers GET/PUT/DELETE /v1/billing/razorpay-keys: whether
// the shop's keys are connected, the key id (never the secrets) and the
// address to give Razorpay for the shop's webhook.
type ShopRazorpayStatus struct {
	Connected   bool       `json:"connected"`
	KeyID       string     `json:"key_id,omitempty"`
	WebhookURL  string     `json:"webhook_url,omitempty"`
	ConnectedAt *time.Time `json:"connected_at,omitempty"`
	// Available: the server can keep shops' keys (it has a secret key);
	// Message says why not in plain words.
	Available bool   `json:"available"`
	Message   string `json:"message,omitempty"`
}
