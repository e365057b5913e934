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
