package billing

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/server/billing/razorpay"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/quota"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Payment links for a shop's own customers (issue 16): the shop connects
// its own Razorpay keys (sealed at rest with server/secrets); every invoice
// a device pushes with a balance due then gets a Razorpay payment link,
// made by a job (reference_id = the invoice id, so it is made once), and
// the link comes back to every device as a pay_links row. The shop's
// webhook payment_link.paid, checked with the shop's webhook secret,
// records the payment against the invoice as a payments document the
// server writes: its id comes from Razorpay's payment id, so the payment is
// in the books once however often the event arrives.

// PayLinkStore is what payment links keep in the server's database.
type PayLinkStore interface {
	SetShopRazorpay(ctx context.Context, k store.ShopRazorpay, now time.Time) (store.ShopRazorpay, error)
	ShopRazorpay(ctx context.Context, businessID string) (store.ShopRazorpay, bool, error)
	ShopRazorpayByToken(ctx context.Context, token string) (store.ShopRazorpay, bool, error)
	DeleteShopRazorpay(ctx context.Context, businessID string) error
	PayLinkStart(ctx context.Context, businessID, invoiceID string, amount int64, now time.Time) (store.PayLink, error)
	PayLinkSave(ctx context.Context, l store.PayLink, now time.Time) error
	PayLink(ctx context.Context, businessID, invoiceID string) (store.PayLink, bool, error)
	SyncRow(ctx context.Context, businessID, table, id string) (json.RawMessage, bool, error)
	WriteServerRows(ctx context.Context, businessID string, rows []store.ServerRow, now time.Time) (int, error)
}

// Sealing contexts: a sealed value opens only for its purpose and business.
func keySecretContext(businessID string) string     { return "razorpay.key_secret/" + businessID }
func webhookSecretContext(businessID string) string { return "razorpay.webhook_secret/" + businessID }

// minLinkAmount is Razorpay's smallest payment (₹1).
const minLinkAmount = 100

var errNoSecretKey = core.Errorf(protocol.CodeNotConfig,
	"This server cannot keep a shop's Razorpay keys yet (its secret key, NAUKAR_SECRET_KEY, is not set). Ask the server's administrator.")

// PayLinkArgs is the job that makes an invoice's payment link.
type PayLinkArgs struct {
	BusinessID string `json:"business_id" river:"unique"`
	InvoiceID  string `json:"invoice_id" river:"unique"`
}

// Kind names the job kind.
func (PayLinkArgs) Kind() string { return "billing_payment_link" }

// PayLinkCancelArgs is the job that cancels an invoice's payment link once
// something else touched its balance.
type PayLinkCancelArgs struct {
	BusinessID string `json:"business_id" river:"unique"`
	InvoiceID  string `json:"invoice_id" river:"unique"`
}

// Kind names the job kind.
func (PayLinkCancelArgs) Kind() string { return "billing_payment_link_cancel" }

func (m *Module) registerPayLinkJobs(q *jobs.Queue) {
	jobs.Register(q, jobs.Kind{Unique: true, MaxAttempts: 10, Timeout: time.Minute},
		func(ctx context.Context, j *jobs.Job[PayLinkArgs]) error {
			return m.makePayLink(ctx, j.Args.BusinessID, j.Args.InvoiceID)
		})
	jobs.Register(q, jobs.Kind{Unique: true, MaxAttempts: 10, Timeout: time.Minute},
		func(ctx context.Context, j *jobs.Job[PayLinkCancelArgs]) error {
			return m.cancelPayLink(ctx, j.Args.BusinessID, j.Args.InvoiceID)
		})
}

// balanceTouched names the invoice a pushed row settles or changes another
// way than its link: its cancellation, a credit note (return) against it, or
// a payment against it made at a counter. The same rule as the app's
// store.payLinkStillFits, which hides such a link on every device.
func balanceTouched(mu protocol.Mutation) string {
	if mu.Op == protocol.OpDelete {
		return ""
	}
	var f struct {
		DocTable  string `json:"doc_table"`
		DocID     string `json:"doc_id"`
		InvoiceID string `json:"invoice_id"`
	}
	switch mu.Table {
	case "cancellations":
		if json.Unmarshal(mu.Data, &f) == nil && (f.DocTable == "" || f.DocTable == "invoices") {
			return f.DocID
		}
	case "credit_notes", "payments":
		if json.Unmarshal(mu.Data, &f) == nil {
			return f.InvoiceID
		}
	}
	return ""
}

// cancelPayLink is the cancel job's work: the invoice's link is cancelled
// at Razorpay and its row marked cancelled, once. A link not made yet is
// marked cancelled so it never is; a link paid meanwhile stays paid (its
// payment_link.paid records the payment).
func (m *Module) cancelPayLink(ctx context.Context, businessID, invoiceID string) error {
	rec, ok, err := m.store.PayLink(ctx, businessID, invoiceID)
	if err != nil {
		return err
	}
	if !ok {
		// The link job has not started: mark the record so it makes none.
		rec, err = m.store.PayLinkStart(ctx, businessID, invoiceID, 0, m.now())
		if err != nil {
			return err
		}
		if rec.Status == "" && rec.LinkID == "" {
			rec.Status = protocol.PayLinkCancelled
			return m.store.PayLinkSave(ctx, rec, m.now())
		}
	}
	if protocol.PayLinkRank(rec.Status) >= protocol.PayLinkRank(protocol.PayLinkCancelled) || rec.Status == protocol.PayLinkFailed {
		return nil
	}
	raw, found, err := m.store.SyncRow(ctx, businessID, "invoices", invoiceID)
	if err != nil {
		return err
	}
	var inv invoiceFacts
	if found {
		_ = json.Unmarshal(raw, &inv)
	}
	if rec.LinkID == "" {
		// Not made yet: the link job sees the status and makes none.
		return m.settleLink(ctx, rec, inv, protocol.PayLinkCancelled, "")
	}
	k, ok, err := m.store.ShopRazorpay(ctx, businessID)
	if err != nil {
		return err
	}
	if !ok || m.secrets == nil {
		return nil // disconnected: the link stays as Razorpay has it
	}
	c, err := m.shopClient(k)
	if err != nil {
		return jobs.Permanent(err)
	}
	_, err = c.CancelPaymentLink(ctx, rec.LinkID)
	if razorpay.IsStatus(err, 400) {
		// Paid, expired or cancelled already: Razorpay says which.
		l, gerr := c.PaymentLink(ctx, rec.LinkID)
		if gerr != nil {
			return gerr
		}
		switch l.Status {
		case "paid", "partially_paid":
			return nil // the payment wins; its webhook records it
		case "expired":
			_, err := m.closeLink(ctx, businessID, rec.LinkID, invoiceID, protocol.PayLinkExpired)
			return err
		case "cancelled":
			err = nil
		default:
			return err
		}
	}
	if err != nil {
		return err // busy or down: tried again with backoff
	}
	_, err = m.closeLink(ctx, businessID, rec.LinkID, invoiceID, protocol.PayLinkCancelled)
	return err
}

func (m *Module) shopClient(k store.ShopRazorpay) (*razorpay.Client, error) {
	secret, err := m.secrets.OpenString(keySecretContext(k.BusinessID), k.KeySecret)
	if err != nil {
		return nil, err
	}
	return razorpay.New(m.shopAPI, k.KeyID, secret, m.shopOpts...), nil
}

func (m *Module) shopStatus(k store.ShopRazorpay, ok bool, baseURL string) protocol.ShopRazorpayStatus {
	out := protocol.ShopRazorpayStatus{Available: m.secrets != nil}
	if m.secrets == nil {
		out.Message = errNoSecretKey.Message
	}
	if !ok {
		return out
	}
	out.Connected, out.KeyID, out.ConnectedAt = true, k.KeyID, timePtr(k.CreatedAt)
	out.WebhookURL = m.base(baseURL) + "/v1/webhooks/razorpay/shops/" + k.WebhookToken
	return out
}

// ShopKeys says whether the shop's own Razorpay keys are connected.
func (m *Module) ShopKeys(ctx context.Context, s core.Session, baseURL string) (protocol.ShopRazorpayStatus, error) {
	k, ok, err := m.store.ShopRazorpay(ctx, s.BusinessID)
	if err != nil {
		return protocol.ShopRazorpayStatus{}, err
	}
	return m.shopStatus(k, ok, baseURL), nil
}

// ConnectShopKeys checks the shop's own Razorpay keys with Razorpay (a bad
// pair is refused and nothing is kept) and keeps them sealed.
func (m *Module) ConnectShopKeys(ctx context.Context, s core.Session, req protocol.ShopRazorpayKeys, baseURL string) (protocol.ShopRazorpayStatus, error) {
	if m.secrets == nil {
		return protocol.ShopRazorpayStatus{}, errNoSecretKey
	}
	req.KeyID, req.KeySecret, req.WebhookSecret = strings.TrimSpace(req.KeyID), strings.TrimSpace(req.KeySecret), strings.TrimSpace(req.WebhookSecret)
	switch {
	case !strings.HasPrefix(req.KeyID, "rzp_"):
		return protocol.ShopRazorpayStatus{}, core.Errorf(protocol.CodeInvalid,
			"The key id starts with rzp_live_ or rzp_test_ (Razorpay Dashboard → Account & Settings → API Keys).")
	case req.KeySecret == "":
		return protocol.ShopRazorpayStatus{}, core.Errorf(protocol.CodeInvalid, "Give the key secret shown with the key id when it was made.")
	case len(req.WebhookSecret) < 8:
		return protocol.ShopRazorpayStatus{}, core.Errorf(protocol.CodeInvalid,
			"Give the secret of the webhook you added in Razorpay (Account & Settings → Webhooks, events payment_link.paid, .cancelled and .expired), at least 8 characters.")
	}
	// One cheap authenticated call proves the pair.
	if _, err := razorpay.New(m.shopAPI, req.KeyID, req.KeySecret, append(m.shopOpts, razorpay.WithRetries(0, 0))...).PaymentLinks(ctx, "naukar-key-check"); err != nil {
		if razorpay.IsStatus(err, 401) {
			return protocol.ShopRazorpayStatus{}, core.Errorf(protocol.CodeInvalid,
				"Razorpay refused these keys. Copy the key id and key secret again from Razorpay Dashboard → API Keys (test keys start rzp_test_).")
		}
		return protocol.ShopRazorpayStatus{}, razorpayErr("check the shop's keys", err)
	}
	ks, err := m.secrets.SealString(keySecretContext(s.BusinessID), req.KeySecret)
	if err != nil {
		return protocol.ShopRazorpayStatus{}, err
	}
	ws, err := m.secrets.SealString(webhookSecretContext(s.BusinessID), req.WebhookSecret)
	if err != nil {
		return protocol.ShopRazorpayStatus{}, err
	}
	var tok [18]byte
	_, _ = rand.Read(tok[:])
	k, err := m.store.SetShopRazorpay(ctx, store.ShopRazorpay{BusinessID: s.BusinessID, KeyID: req.KeyID, KeySecret: ks,
		WebhookSecret: ws, WebhookToken: base64.RawURLEncoding.EncodeToString(tok[:])}, m.now())
	if err != nil {
		return protocol.ShopRazorpayStatus{}, err
	}
	m.log.Info("billing: a shop connected its Razorpay keys", "business", s.BusinessID, "key_id", req.KeyID)
	return m.shopStatus(k, true, baseURL), nil
}

// DisconnectShopKeys forgets the shop's keys; links already made stay
// payable, and their payments still reach the books while the webhook's
// secret is known, so it is forgotten too: payments of such links must then
// be recorded by hand.
func (m *Module) DisconnectShopKeys(ctx context.Context, s core.Session) (protocol.ShopRazorpayStatus, error) {
	if err := m.store.DeleteShopRazorpay(ctx, s.BusinessID); err != nil {
		return protocol.ShopRazorpayStatus{}, err
	}
	return m.shopStatus(store.ShopRazorpay{}, false, ""), nil
}

// invoiceFacts are the fields of a synced invoice a link needs.
type invoiceFacts struct {
	Number     string                 `json:"number"`
	Date       string                 `json:"date"`
	CreatedAt  string                 `json:"created_at"`
	GrandTotal int64                  `json:"grand_total"`
	Paid       int64                  `json:"paid"`
	Supplier   books.SupplierSnapshot `json:"supplier"`
	Party      *books.PartySnapshot   `json:"party"`
}

func (f invoiceFacts) due() int64 { return f.GrandTotal - f.Paid }

// billedSince reports whether the invoice was made once the keys were
// connected: links are for invoices billed from then on, never for the
// history a counter uploads (old invoices may have been settled since, which
// the server does not know).
func (f invoiceFacts) billedSince(connected time.Time) bool {
	if t, err := time.Parse(time.RFC3339, f.CreatedAt); err == nil {
		return !t.Before(connected.Truncate(time.Second))
	}
	return f.Date != "" && f.Date >= connected.In(quota.IST).Format(books.DateLayout)
}

// Pushed starts a payment link for every invoice with a balance due that a
// push brought, when the shop has connected its keys. It runs after the
// push committed and cannot fail it.
func (m *Module) Pushed(ctx context.Context, s core.Session, muts []protocol.Mutation) {
	if m.queue == nil || m.secrets == nil || !slices.ContainsFunc(muts, func(mu protocol.Mutation) bool {
		return mu.Table == "invoices" || balanceTouched(mu) != ""
	}) {
		return
	}
	k, ok, err := m.store.ShopRazorpay(ctx, s.BusinessID)
	if err != nil || !ok {
		if err != nil {
			m.log.Warn("billing: could not read the shop's Razorpay keys", "business", s.BusinessID, "err", err)
		}
		return
	}
	var args []jobs.Args
	for _, mu := range muts {
		if id := balanceTouched(mu); id != "" {
			args = append(args, PayLinkCancelArgs{BusinessID: s.BusinessID, InvoiceID: id})
			continue
		}
		if mu.Table != "invoices" || mu.Op == protocol.OpDelete {
			continue
		}
		var f invoiceFacts
		if json.Unmarshal(mu.Data, &f) != nil || f.due() < minLinkAmount || !f.billedSince(k.CreatedAt) {
			continue
		}
		args = append(args, PayLinkArgs{BusinessID: s.BusinessID, InvoiceID: mu.ID})
	}
	if len(args) == 0 {
		return
	}
	if _, err := m.queue.EnqueueMany(ctx, args); err != nil {
		m.log.Warn("billing: could not start payment links", "business", s.BusinessID, "invoices", len(args), "err", err)
	}
}

// payLinkRow is the pay_links row of a link record, stamped on the link's
// own wall time with its status's rank.
func payLinkRow(l store.PayLink, inv invoiceFacts, extra map[string]any) store.ServerRow {
	data := map[string]any{"invoice_id": l.InvoiceID, "invoice_number": inv.Number, "amount": l.Amount,
		"status": l.Status, "created_at": l.CreatedAt.UTC().Format(time.RFC3339)}
	if inv.Party != nil && inv.Party.ID != "" {
		data["party_id"] = inv.Party.ID
	}
	if l.LinkID != "" {
		data["link_id"], data["short_url"] = l.LinkID, l.ShortURL
	}
	if l.Error != "" {
		data["error"] = l.Error
	}
	for k, v := range extra {
		data[k] = v
	}
	b, _ := json.Marshal(data)
	return store.ServerRow{Table: protocol.TablePayLinks, ID: l.InvoiceID, Op: protocol.OpUpsert, Data: b,
		Stamp: protocol.ServerStamp(l.CreatedAt, protocol.PayLinkRank(l.Status))}
}

// makePayLink is the job's work: make the invoice's link once and tell
// every device.
func (m *Module) makePayLink(ctx context.Context, businessID, invoiceID string) error {
	if m.secrets == nil {
		return nil
	}
	k, ok, err := m.store.ShopRazorpay(ctx, businessID)
	if err != nil || !ok {
		return err // disconnected since: no link
	}
	raw, ok, err := m.store.SyncRow(ctx, businessID, "invoices", invoiceID)
	if err != nil {
		return err
	}
	if !ok {
		return jobs.Permanent(fmt.Errorf("invoice %s is not in the books", invoiceID))
	}
	var inv invoiceFacts
	if err := json.Unmarshal(raw, &inv); err != nil {
		return jobs.Permanent(fmt.Errorf("invoice %s: %w", invoiceID, err))
	}
	if inv.due() < minLinkAmount {
		return nil
	}
	rec, err := m.store.PayLinkStart(ctx, businessID, invoiceID, inv.due(), m.now())
	if err != nil {
		return err
	}
	if rec.Status != "" {
		// Made (or settled) by an earlier try: say so again, which
		// changes nothing if it was said.
		_, err := m.store.WriteServerRows(ctx, businessID, []store.ServerRow{payLinkRow(rec, inv, nil)}, m.now())
		return err
	}
	c, err := m.shopClient(k)
	if err != nil {
		return m.settleLink(ctx, rec, inv, protocol.PayLinkFailed,
			"The shop's Razorpay keys could not be read on the server; connect them again in Settings.")
	}
	link, err := c.CreatePaymentLink(ctx, linkRequest(invoiceID, inv, rec.Amount))
	if razorpay.IsStatus(err, 400) {
		// Made before, its answer lost: the reference id finds it.
		if links, lerr := c.PaymentLinks(ctx, invoiceID); lerr == nil && len(links) > 0 {
			link, err = links[0], nil
		}
	}
	switch {
	case err == nil:
		if now, _, rerr := m.store.PayLink(ctx, businessID, invoiceID); rerr == nil && now.Status == protocol.PayLinkCancelled {
			// Cancelled while Razorpay made it: kept, then cancelled.
			rec.LinkID, rec.ShortURL = link.ID, link.ShortURL
			if err := m.settleLink(ctx, rec, inv, protocol.PayLinkCreated, ""); err != nil {
				return err
			}
			return m.cancelPayLink(ctx, businessID, invoiceID)
		}
		rec.LinkID, rec.ShortURL = link.ID, link.ShortURL
		return m.settleLink(ctx, rec, inv, protocol.PayLinkCreated, "")
	case razorpay.IsStatus(err, 401):
		return m.settleLink(ctx, rec, inv, protocol.PayLinkFailed,
			"Razorpay refused the shop's keys; connect them again in Settings → Payment links.")
	case razorpay.IsStatus(err, 400):
		var e *razorpay.Error
		errors.As(err, &e)
		return m.settleLink(ctx, rec, inv, protocol.PayLinkFailed, "Razorpay did not make the link: "+e.Description)
	}
	return err // busy or down: the job tries again with backoff
}

func (m *Module) settleLink(ctx context.Context, rec store.PayLink, inv invoiceFacts, status, msg string) error {
	rec.Status, rec.Error = status, msg
	if err := m.store.PayLinkSave(ctx, rec, m.now()); err != nil {
		return err
	}
	_, err := m.store.WriteServerRows(ctx, rec.BusinessID, []store.ServerRow{payLinkRow(rec, inv, nil)}, m.now())
	return err
}

// linkRequest is the payment link of an invoice: what is due, for the
// invoice's customer; Razorpay itself sends nothing (the shop's reminders
// carry the link).
func linkRequest(invoiceID string, inv invoiceFacts, amount int64) razorpay.PaymentLinkRequest {
	r := razorpay.PaymentLinkRequest{Amount: amount, Currency: "INR", ReferenceID: invoiceID,
		Description: trimTo("Invoice "+inv.Number+" from "+inv.Supplier.Name, 2048),
		Notes:       razorpay.Notes{"invoice_number": inv.Number}}
	if p := inv.Party; p != nil {
		r.Customer = razorpay.Customer{Name: p.Name, Email: p.Email}
		if d := digits(p.Phone); len(d) >= 10 {
			r.Customer.Contact = "+91" + d[len(d)-10:]
		}
	}
	return r
}

func digits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func trimTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// paymentNamespace makes a payments document's id from Razorpay's payment
// id, the same on every try and every instance.
var paymentNamespace = uuid.MustParse("6e61756b-6172-5000-8000-72617a6f7270")

// PaymentDocID is the id of the payments document recording a Razorpay
// payment of a business.
func PaymentDocID(businessID, paymentID string) string {
	return uuid.NewSHA1(paymentNamespace, []byte(businessID+"/"+paymentID)).String()
}

// ReceiveShopWebhook takes a shop's own Razorpay webhook (the address names
// the shop): the signature is checked on the raw body with the shop's
// webhook secret (a bad one changes nothing), and payment_link.paid for one
// of our links records the payment against its invoice. Other events are
// acknowledged and ignored.
func (m *Module) ReceiveShopWebhook(ctx context.Context, token string, body []byte, signature string) (recorded bool, err error) {
	if m.secrets == nil {
		return false, errNoSecretKey
	}
	k, ok, err := m.store.ShopRazorpayByToken(ctx, token)
	if err != nil {
		return false, err
	}
	if !ok {
		return false, core.Errorf(protocol.CodeNotFound, "No shop's payment links use this webhook address.")
	}
	secret, err := m.secrets.OpenString(webhookSecretContext(k.BusinessID), k.WebhookSecret)
	if err != nil {
		return false, err
	}
	if !razorpay.VerifyWebhook(secret, body, signature) {
		return false, core.Errorf(protocol.CodeInvalid, "The webhook signature does not match.")
	}
	ev, err := razorpay.ParseEvent(body)
	if err != nil || ev.Event == "" {
		return false, core.Errorf(protocol.CodeInvalid, "The webhook body is not a Razorpay event.")
	}
	if ev.Payload.PaymentLink == nil {
		return false, nil
	}
	switch ev.Event {
	case "payment_link.paid":
		if ev.Payload.Payment == nil {
			return false, nil
		}
		return m.recordLinkPayment(ctx, k.BusinessID, ev.Payload.PaymentLink.Entity, ev.Payload.Payment.Entity)
	case "payment_link.cancelled":
		return m.closeLink(ctx, k.BusinessID, ev.Payload.PaymentLink.Entity.ID, ev.Payload.PaymentLink.Entity.ReferenceID, protocol.PayLinkCancelled)
	case "payment_link.expired":
		return m.closeLink(ctx, k.BusinessID, ev.Payload.PaymentLink.Entity.ID, ev.Payload.PaymentLink.Entity.ReferenceID, protocol.PayLinkExpired)
	}
	return false, nil
}

// closeLink marks an invoice's link cancelled or expired (Razorpay's event,
// or our own cancel) and tells every device, once. A paid link stays paid:
// a payment that raced the cancel is in the books, and its row outranks
// this one (protocol.PayLinkRank).
func (m *Module) closeLink(ctx context.Context, businessID, linkID, invoiceID, status string) (bool, error) {
	rec, ok, err := m.store.PayLink(ctx, businessID, invoiceID)
	if err != nil {
		return false, err
	}
	if !ok || rec.LinkID == "" || rec.LinkID != linkID {
		m.log.Warn("billing: a shop's payment link event for a link we did not make", "business", businessID, "link", linkID)
		return false, nil
	}
	if protocol.PayLinkRank(rec.Status) >= protocol.PayLinkRank(status) {
		return false, nil // paid, or closed already
	}
	raw, ok, err := m.store.SyncRow(ctx, businessID, "invoices", rec.InvoiceID)
	if err != nil {
		return false, err
	}
	var inv invoiceFacts
	if ok {
		_ = json.Unmarshal(raw, &inv)
	}
	rec.Status, rec.Error = status, ""
	if err := m.store.PayLinkSave(ctx, rec, m.now()); err != nil {
		return false, err
	}
	n, err := m.store.WriteServerRows(ctx, businessID, []store.ServerRow{payLinkRow(rec, inv, nil)}, m.now())
	return n > 0, err
}

// modeOf maps Razorpay's payment method to the books' payment mode.
func modeOf(method string) string {
	switch method {
	case "upi":
		return books.ModeUPI
	case "card", "emi":
		return books.ModeCard
	}
	return books.ModeBank // netbanking, wallet, paylater, bank transfer
}

func (m *Module) recordLinkPayment(ctx context.Context, businessID string, link razorpay.PaymentLink, pay razorpay.Payment) (bool, error) {
	rec, ok, err := m.store.PayLink(ctx, businessID, link.ReferenceID)
	if err != nil {
		return false, err
	}
	if !ok || rec.LinkID != link.ID || pay.ID == "" {
		m.log.Warn("billing: a shop's payment_link.paid for a link we did not make", "business", businessID, "link", link.ID)
		return false, nil
	}
	raw, ok, err := m.store.SyncRow(ctx, businessID, "invoices", rec.InvoiceID)
	if err != nil {
		return false, err
	}
	var inv invoiceFacts
	if ok {
		_ = json.Unmarshal(raw, &inv)
	}
	now := m.now()
	at := time.Unix(pay.CreatedAt, 0)
	if pay.CreatedAt == 0 || at.After(now) {
		at = now
	}
	amount := pay.Amount
	if amount <= 0 {
		amount = link.AmountPaid
	}
	doc := books.Payment{Date: at.In(quota.IST).Format(books.DateLayout), Direction: books.PaymentIn, Party: inv.Party,
		Mode: modeOf(pay.Method), Amount: amount, InvoiceID: rec.InvoiceID,
		Note:     trimTo("Razorpay payment link "+link.ID+" (payment "+pay.ID+") for invoice "+inv.Number, 500),
		DeviceID: protocol.ServerDevice, CreatedAt: at.UTC().Format(time.RFC3339)}
	docJSON, err := json.Marshal(doc)
	if err != nil {
		return false, err
	}
	rec.Status, rec.PaymentID, rec.Error = protocol.PayLinkPaid, pay.ID, ""
	rows := []store.ServerRow{
		{Table: "payments", ID: PaymentDocID(businessID, pay.ID), Op: protocol.OpInsert, Data: docJSON,
			Stamp: protocol.ServerStamp(at, 0)},
		payLinkRow(rec, inv, map[string]any{"payment_id": pay.ID, "amount_paid": amount, "paid_at": at.UTC().Format(time.RFC3339)}),
	}
	n, err := m.store.WriteServerRows(ctx, businessID, rows, now)
	if err != nil {
		return false, err
	}
	if err := m.store.PayLinkSave(ctx, rec, now); err != nil {
		return false, err
	}
	return n > 0, nil
}
