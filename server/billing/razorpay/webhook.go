package razorpay

import "encoding/json"

// Event is a webhook's envelope.
type Event struct {
	Entity    string   `json:"entity"`
	AccountID string   `json:"account_id"`
	Event     string   `json:"event"`
	Contains  []string `json:"contains"`
	Payload   Payload  `json:"payload"`
	CreatedAt int64    `json:"created_at"`
}

// Payload holds the entities an event is about.
type Payload struct {
	Subscription *struct {
		Entity Subscription `json:"entity"`
	} `json:"subscription,omitempty"`
	Payment *struct {
		Entity Payment `json:"entity"`
	} `json:"payment,omitempty"`
	PaymentLink *struct {
		Entity PaymentLink `json:"entity"`
	} `json:"payment_link,omitempty"`
	Order   json.RawMessage `json:"order,omitempty"`
	Invoice json.RawMessage `json:"invoice,omitempty"`
}

// Payment is a payment.
type Payment struct {
	ID             string `json:"id"`
	Entity         string `json:"entity"`
	Amount         int64  `json:"amount"`
	Currency       string `json:"currency"`
	Status         string `json:"status"`
	Method         string `json:"method"`
	Captured       Flag   `json:"captured"`
	InvoiceID      string `json:"invoice_id"`
	SubscriptionID string `json:"subscription_id"`
	Email          string `json:"email"`
	Contact        string `json:"contact"`
	Notes          Notes  `json:"notes"`
	CreatedAt      int64  `json:"created_at"`
}

// ParseEvent reads a webhook body.
func ParseEvent(body []byte) (Event, error) {
	var e Event
	err := json.Unmarshal(body, &e)
	return e, err
}
