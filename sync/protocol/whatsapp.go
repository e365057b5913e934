package protocol

import (
	"strings"
	"time"
)

// Synced tables of WhatsApp messaging (records). A device writes a message
// request (the fields of WAMessage up to Requested) and the server answers
// on the same row with the fields from Status on, stamped as the server's
// own device; both merge field by field, so every device of the business
// sees the request and its outcome.
const (
	TableWAMessages = "wa_messages"
	TableWAOptOuts  = "wa_optouts"
)

// Kinds of WhatsApp message.
const (
	WAKindInvoice  = "invoice"  // the invoice PDF with the invoice template
	WAKindReminder = "reminder" // a payment reminder with the reminder template
)

// Statuses of a WhatsApp message, in the order a message moves through
// them.
const (
	WAQueued    = "queued"    // asked for; not yet accepted by WhatsApp
	WASent      = "sent"      // accepted by WhatsApp / sent to the phone
	WADelivered = "delivered" // reached the phone
	WARead      = "read"      // opened
	WAFailed    = "failed"    // could not be sent; Error says why
	WAOptedOut  = "opted_out" // a reminder not sent: the customer asked for no more
)

// WAStatusRank orders statuses so a status only ever moves forward:
// queued < sent < delivered < read < failed < opted_out. The server
// stamps a message's status with this rank as the stamp's counter on a
// fixed wall time per message, so the merge keeps the highest status
// whatever order Meta's webhooks arrive in.
func WAStatusRank(status string) int32 {
	switch status {
	case WASent:
		return 1
	case WADelivered:
		return 2
	case WARead:
		return 3
	case WAFailed:
		return 4
	case WAOptedOut:
		return 5
	}
	return 0
}

// WAMessage is a wa_messages row.
type WAMessage struct {
	// Written by the device that asks.
	Kind          string `json:"kind"`                     // WAKindInvoice or WAKindReminder
	To            string `json:"to"`                       // 12 digits, 91 first
	PartyID       string `json:"party_id,omitempty"`       // the customer
	PartyName     string `json:"party_name,omitempty"`     // as shown in the message
	InvoiceID     string `json:"invoice_id,omitempty"`     // invoice: the invoice document
	InvoiceNumber string `json:"invoice_number,omitempty"` // invoice: its number
	Amount        int64  `json:"amount"`                   // paise: the invoice total, or the amount due
	ShopName      string `json:"shop_name,omitempty"`
	PayTo         string `json:"pay_to,omitempty"`       // reminder: payment link or UPI id
	Rule          string `json:"rule,omitempty"`         // reminder: the rule that made it ("" sent by hand)
	Requested     string `json:"requested"`              // RFC 3339 time of the request
	RequestedBy   string `json:"requested_by,omitempty"` // device id

	// Written by the server.
	Status   string `json:"status,omitempty"`    // "" until the server answers: queued
	Error    string `json:"error,omitempty"`     // plain words, with failed
	WAMID    string `json:"wamid,omitempty"`     // WhatsApp's message id
	StatusAt string `json:"status_at,omitempty"` // RFC 3339 time of the latest status
	// Quota is set when the plan's monthly messages were used up.
	Quota *QuotaInfo `json:"quota,omitempty"`
}

// WAOptOut is a wa_optouts row: one customer number at one shop. Its id is
// WAOptOutID(number), so the server and every device name the same row.
type WAOptOut struct {
	Phone string `json:"phone"` // 12 digits, 91 first
	// OptedOut: no reminders go to this number. The server sets it when
	// the customer writes STOP; the shop clears it (recording consent)
	// only after the customer has written again.
	OptedOut    bool   `json:"opted_out"`
	OptedOutAt  string `json:"opted_out_at,omitempty"` // RFC 3339, the STOP message's time
	LastInbound string `json:"last_inbound,omitempty"` // RFC 3339, the customer's latest message
	ConsentAt   string `json:"consent_at,omitempty"`   // RFC 3339, when the shop recorded consent
	ConsentBy   string `json:"consent_by,omitempty"`   // device id
}

// WAOptOutID is the id of the wa_optouts row of a number (12 digits, 91
// first), the same on every replica: a fixed UUID prefix and the number
// as the last group ("77616f70-7400-5000-8000-919876543210").
func WAOptOutID(phone string) string {
	d := make([]byte, 0, 12)
	for i := 0; i < len(phone); i++ {
		if c := phone[i]; c >= '0' && c <= '9' {
			d = append(d, c)
		}
	}
	if len(d) > 12 {
		d = d[len(d)-12:]
	}
	return "77616f70-7400-5000-8000-" + strings.Repeat("0", 12-len(d)) + string(d)
}

// WAStatusResponse is the reply to GET /v1/whatsapp: whether the server can
// send, and this month's count.
type WAStatusResponse struct {
	Configured bool   `json:"configured"`
	Message    string `json:"message,omitempty"` // plain words when not configured
	Rate       int    `json:"rate"`              // messages per second the server sends at
	Used       int    `json:"used"`              // messages sent this month (IST)
	Limit      int    `json:"limit,omitempty"`   // the plan's monthly messages; 0: not known
	// ResetsOn is when this month's count starts again (00:00 IST on the
	// 1st); zero when not known.
	ResetsOn time.Time `json:"resets_on,omitempty"`
}
