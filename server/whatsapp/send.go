package whatsapp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/printing"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/quota"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// SendArgs is the job that sends one message a device asked for.
type SendArgs struct {
	BusinessID string `json:"business_id"`
	MessageID  string `json:"message_id"`
}

// Kind names the job kind.
func (SendArgs) Kind() string { return "whatsapp_send" }

// backoff waits about 2^attempt seconds (capped at 10 minutes) with ±50%
// jitter, so that many sends throttled at once do not come back together.
func backoff(attempt int) time.Duration {
	d := time.Second << min(attempt, 10)
	d = min(d, 10*time.Minute)
	return d/2 + rand.N(d)
}

// maxPaceWait is the longest a send waits inside its job for a sending
// slot; a later slot snoozes the job instead of holding a worker.
const maxPaceWait = 20 * time.Second

// errRetry marks a temporary failure whose words the shop does not need.
var errRetry = errors.New("try again")

// send works one SendArgs job.
func (m *Module) send(ctx context.Context, job *jobs.Job[SendArgs]) error {
	a := job.Args
	rec, err := m.store.WASendGet(ctx, a.BusinessID, a.MessageID, m.now())
	if err != nil {
		return err
	}
	if rec.State != store.WAPending {
		return nil // sent, or settled for good, by an earlier try
	}
	data, ok, err := m.store.SyncRow(ctx, a.BusinessID, protocol.TableWAMessages, a.MessageID)
	if err != nil {
		return err
	}
	if !ok {
		return jobs.Permanent(fmt.Errorf("message %s is not in the books (deleted?)", a.MessageID))
	}
	var msg protocol.WAMessage
	if err := json.Unmarshal(data, &msg); err != nil {
		return m.settle(ctx, &rec, protocol.WAFailed, "The message request could not be read; send it again.")
	}
	if msg.Status != "" && msg.Status != protocol.WAQueued {
		// The row already has an outcome (it came back with a device's
		// books after a server restore): never send it again.
		rec.State = store.WADone
		return m.save(ctx, rec, nil)
	}
	snd, err := m.senderFor(ctx, a.BusinessID)
	if err != nil {
		return err
	}
	if snd.err != nil {
		return m.settle(ctx, &rec, protocol.WAFailed, snd.err.Error())
	}
	if !snd.s.Configured() {
		return m.settle(ctx, &rec, protocol.WAFailed, snd.s.NotConfigured())
	}
	to, err := gst.MobileWithCountryCode(msg.To)
	if err != nil {
		return m.settle(ctx, &rec, protocol.WAFailed, fmt.Sprintf(
			"%q is not an Indian mobile number (10 digits, may start with +91 or 0); correct the party's phone and send again.", msg.To))
	}
	// The number is saved with the next write of the record (before the
	// send: the quota's or the media's; at the latest with the outcome).
	rec.To = to
	var tpl Template
	switch msg.Kind {
	case protocol.WAKindReminder:
		out, err := m.optedOut(ctx, a.BusinessID, to)
		if err != nil {
			return err
		}
		if out {
			return m.settle(ctx, &rec, protocol.WAOptedOut,
				"Not sent: this customer replied STOP to your reminders. Reminders go again after they write to you and you record their consent.")
		}
		tpl = snd.reminderTemplate(msg)
	case protocol.WAKindInvoice:
		if msg.InvoiceID == "" {
			return m.settle(ctx, &rec, protocol.WAFailed, "The message names no invoice; send it again from the invoice.")
		}
	default:
		return m.settle(ctx, &rec, protocol.WAFailed, fmt.Sprintf("Unknown kind of message %q; update the app and send again.", msg.Kind))
	}

	dirty := false // rec has news to save before the send
	if !rec.QuotaUsed && m.cfg.Quota != nil {
		if err := m.cfg.Quota.Use(ctx, a.BusinessID, quota.WhatsApp, 1); err != nil {
			if core.ErrorCode(err) == quota.CodeExceeded {
				var extra map[string]any
				var qe *core.Error
				if errors.As(err, &qe) && qe.Quota != nil {
					extra = map[string]any{"quota": qe.Quota}
				}
				return m.settleWith(ctx, &rec, protocol.WAFailed, core.ErrorMessage(err), extra)
			}
			return err
		}
		rec.QuotaUsed = true
		dirty = true
	}

	if msg.Kind == protocol.WAKindInvoice && rec.MediaID == "" {
		// The count is saved before the upload, which may fail and be
		// tried again: a retry must not count the message twice.
		if dirty {
			if err := m.save(ctx, rec, nil); err != nil {
				return err
			}
		}
		pdf, name, err := m.invoicePDF(ctx, a.BusinessID, msg.InvoiceID)
		if err != nil {
			if errors.Is(err, errRetry) {
				return m.retry(ctx, job, &rec, err, "")
			}
			return m.settle(ctx, &rec, protocol.WAFailed, err.Error())
		}
		id, err := snd.graph.UploadMedia(ctx, name, pdf)
		if err != nil {
			return m.graphFailed(ctx, job, snd, &rec, err)
		}
		rec.MediaID, dirty = id, true
	}
	if msg.Kind == protocol.WAKindInvoice {
		tpl = snd.invoiceTemplate(msg, rec.MediaID)
	}
	if err := m.pace(ctx, snd, &rec, dirty); err != nil {
		return err
	}
	wamid, err := snd.graph.SendTemplate(ctx, to, tpl, a.BusinessID+"/"+a.MessageID)
	if err != nil {
		return m.graphFailed(ctx, job, snd, &rec, err)
	}
	rec.WAMID, rec.State = wamid, store.WASentOK
	// The record and the status row the devices pull are written in one
	// transaction, shared with the other sends finishing meanwhile.
	row := m.statusRow(rec, protocol.WASent, "", m.now(), map[string]any{"wamid": wamid})
	if err := m.save(ctx, rec, &row); err != nil {
		// Sent but not recorded: the retry must not send again, and
		// cannot know; the error is logged with the message id.
		m.log.Error("whatsapp message sent but not recorded", "business", a.BusinessID, "message", a.MessageID, "err", err)
		return jobs.Permanent(err)
	}
	return nil
}

// pace saves what the send learnt (rec, when dirty; group-committed with
// the other sends saving meanwhile), then waits for a sending slot under
// the configured rate and for the recipient's. The rate's slots are taken
// from the database a run at a time (see slots); sends that wake late (a
// busy machine) are spaced again by the instance's own limiter rather
// than going out together. The recipient's slot is taken last, so that
// the send follows it at once and two messages to one customer are never
// closer than the gap. A slot further off than maxPaceWait snoozes the
// job.
func (m *Module) pace(ctx context.Context, snd *sender, rec *store.WASend, dirty bool) error {
	if dirty {
		if err := m.save(ctx, *rec, nil); err != nil {
			return err
		}
	}
	if gap := snd.s.gap(); gap > 0 {
		now := m.now()
		at, ok, err := m.slots.take(ctx, m.store, "rate:"+snd.s.PhoneNumberID, gap, snd.s.slotRun(), now)
		if err != nil {
			return err
		}
		if !ok {
			return jobs.Snooze(at.Sub(now))
		}
		if err := m.cfg.Sleep(ctx, at.Sub(now)); err != nil {
			return err
		}
		if err := m.limiterFor(snd.s.PhoneNumberID, gap).Wait(ctx); err != nil {
			return err
		}
	}
	if gap := snd.s.RecipientGap; gap > 0 {
		now := m.now()
		at, ok, err := m.store.Reserve(ctx, recipientKey(snd.s.PhoneNumberID, rec.To), gap, 1, maxPaceWait, now)
		if err != nil {
			return err
		}
		if !ok {
			return jobs.Snooze(at.Sub(now))
		}
		return m.cfg.Sleep(ctx, at.Sub(m.now()))
	}
	return nil
}

// recipientKey names a customer's pacing slot without their number: a
// one-way hash of the sending number and theirs.
func recipientKey(phoneID, to string) string {
	sum := sha256.Sum256([]byte(phoneID + ":" + to))
	return "to:" + hex.EncodeToString(sum[:16])
}

// graphFailed handles a failed Graph call: a temporary error is retried
// (and told to the shop as failed only after the last try), a permanent
// one is told at once in plain words.
func (m *Module) graphFailed(ctx context.Context, job *jobs.Job[SendArgs], snd *sender, rec *store.WASend, err error) error {
	ge, ok := asGraphError(err)
	if !ok {
		return m.retry(ctx, job, rec, err, "")
	}
	if ge.Retryable() {
		return m.retry(ctx, job, rec, ge, "")
	}
	// Refused: nothing reached the customer, so it does not count.
	return m.settle(ctx, rec, protocol.WAFailed, plainGraphError(ge, snd.own))
}

// retry fails this try; on the last one the shop is told.
func (m *Module) retry(ctx context.Context, job *jobs.Job[SendArgs], rec *store.WASend, err error, words string) error {
	if job.Attempt < job.MaxAttempts {
		return err
	}
	if words == "" {
		words = fmt.Sprintf("WhatsApp did not take the message after %d tries (it was busy or could not be reached); send it again later.", job.Attempt)
	}
	return m.settle(ctx, rec, protocol.WAFailed, words)
}

// settle ends a message for good, unsent, with status and plain words:
// the month's count is given back (nothing reached anyone) and the job
// stops.
func (m *Module) settle(ctx context.Context, rec *store.WASend, status, words string) error {
	return m.settleWith(ctx, rec, status, words, nil)
}

// settleWith is settle with more fields for the row (the used-up quota).
func (m *Module) settleWith(ctx context.Context, rec *store.WASend, status, words string, extra map[string]any) error {
	if rec.QuotaUsed && m.cfg.Quota != nil {
		if err := m.cfg.Quota.Refund(ctx, rec.BusinessID, quota.WhatsApp, 1); err != nil {
			return err
		}
		rec.QuotaUsed = false
	}
	rec.State = store.WADone
	row := m.statusRow(*rec, status, words, m.now(), extra)
	if err := m.save(ctx, *rec, &row); err != nil {
		return err
	}
	if status == protocol.WAOptedOut {
		return nil
	}
	return jobs.Permanent(errors.New(status + ": " + words))
}

// save writes a send's record, and the status row the devices pull if
// any, in one transaction shared with the other sends saving meanwhile
// (doneGroup).
func (m *Module) save(ctx context.Context, rec store.WASend, row *store.ServerRow) error {
	d := store.WASendDone{Send: rec}
	if row != nil {
		d.Row = *row
	}
	return m.done.save(ctx, d)
}

// writeStatus writes a message's status to its synced row, stamped with
// the message's fixed base time and the status's rank: the highest status
// wins whatever order they are written in, and a repeat changes nothing.
func (m *Module) writeStatus(ctx context.Context, rec store.WASend, status, words string, at time.Time, extra map[string]any) error {
	_, err := m.store.WriteServerRows(ctx, rec.BusinessID, []store.ServerRow{m.statusRow(rec, status, words, at, extra)}, m.now())
	return err
}

// statusRow is the change of a message's synced row that writeStatus
// writes.
func (m *Module) statusRow(rec store.WASend, status, words string, at time.Time, extra map[string]any) store.ServerRow {
	f := map[string]any{"status": status, "status_at": at.UTC().Format(time.RFC3339)}
	if words != "" {
		f["error"] = words
	}
	for k, v := range extra {
		f[k] = v
	}
	data, _ := json.Marshal(f)
	return store.ServerRow{Table: protocol.TableWAMessages, ID: rec.MessageID,
		Op: protocol.OpUpsert, Data: data, Stamp: protocol.ServerStamp(rec.BaseAt, protocol.WAStatusRank(status))}
}

// optedOut reports whether the number has asked the shop for no more
// reminders.
func (m *Module) optedOut(ctx context.Context, businessID, phone string) (bool, error) {
	o, err := m.optOutRow(ctx, businessID, phone)
	return o.OptedOut, err
}

// optOutRow reads the number's wa_optouts row (zero when there is none).
func (m *Module) optOutRow(ctx context.Context, businessID, phone string) (protocol.WAOptOut, error) {
	var o protocol.WAOptOut
	data, ok, err := m.store.SyncRow(ctx, businessID, protocol.TableWAOptOuts, protocol.WAOptOutID(phone))
	if err != nil || !ok {
		return o, err
	}
	if err := json.Unmarshal(data, &o); err != nil {
		return o, fmt.Errorf("read opt-out: %w", err)
	}
	return o, nil
}

func (snd *sender) invoiceTemplate(msg protocol.WAMessage, mediaID string) Template {
	return Template{Name: snd.s.TemplateInvoice, Language: Language{Code: snd.s.TemplateLang}, Components: []Component{
		{Type: "header", Parameters: []Parameter{{Type: "document", Document: &Document{ID: mediaID, Filename: pdfName(msg.InvoiceNumber)}}}},
		{Type: "body", Parameters: []Parameter{text(msg.ShopName), text(msg.InvoiceNumber), text(gst.FormatINR(msg.Amount))}},
	}}
}

func (snd *sender) reminderTemplate(msg protocol.WAMessage) Template {
	pay := msg.PayTo
	if pay == "" {
		pay = "-"
	}
	return Template{Name: snd.s.TemplateReminder, Language: Language{Code: snd.s.TemplateLang}, Components: []Component{
		{Type: "body", Parameters: []Parameter{text(msg.PartyName), text(gst.FormatINR(msg.Amount)), text(msg.ShopName), text(pay)}},
	}}
}

// text is a text parameter; WhatsApp refuses empty ones and new lines.
func text(s string) Parameter {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		s = "-"
	}
	return Parameter{Type: "text", Text: s}
}

func pdfName(number string) string {
	n := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ' ' {
			return '-'
		}
		return r
	}, number)
	if n == "" {
		n = "invoice"
	}
	return n + ".pdf"
}

// invoicePDF renders the invoice as the shop prints it (A4), from the
// synced invoice document and the business profile.
func (m *Module) invoicePDF(ctx context.Context, businessID, invoiceID string) ([]byte, string, error) {
	data, ok, err := m.store.SyncRow(ctx, businessID, "invoices", invoiceID)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", errRetry, err)
	}
	if !ok {
		// The invoice comes in the same or an earlier push than its
		// message; missing, it was never synced.
		return nil, "", errors.New("The invoice is not on the server; sync the counter that made it, then send again.")
	}
	var inv books.Invoice
	if err := json.Unmarshal(data, &inv); err != nil {
		return nil, "", fmt.Errorf("The invoice could not be read on the server (%v).", err)
	}
	inv.ID = invoiceID
	opt := printing.Options{Format: printing.A4}
	if bdata, ok, err := m.store.SyncRow(ctx, businessID, "business", businessID); err == nil && ok {
		var b books.Business
		if json.Unmarshal(bdata, &b) == nil {
			opt.Business = &b
		}
	}
	pdf, err := printing.InvoicePDFBytes(&inv, opt)
	if err != nil {
		return nil, "", fmt.Errorf("The invoice PDF could not be made (%v).", err)
	}
	return pdf, pdfName(inv.Number), nil
}

// plainGraphError tells the shop what a permanent WhatsApp error means;
// own: the message went (or was to go) from the shop's own number.
func plainGraphError(ge *GraphError, own bool) string {
	switch ge.Code {
	case CodeUndeliverable:
		return "WhatsApp could not deliver to this number: it may not be on WhatsApp. Check the number with the customer, or send the bill another way."
	case CodeReEngagement:
		return "WhatsApp refused: the customer has not written in the last 24 hours and the message was not an approved template. The server's templates need approval in WhatsApp Manager."
	case CodeStoppedMktg:
		return "The customer has stopped messages from businesses like this one on WhatsApp; send the bill another way."
	case CodeToken:
		if own {
			return "WhatsApp refused the access token of your own number (expired or wrong); connect it again with a new token (naukar whatsapp connect). Send again after that."
		}
		return "The server's WhatsApp access token has expired or is wrong; the server's administrator must set a new WHATSAPP_TOKEN. Send again after that."
	}
	if ge.Status == 401 || ge.Status == 403 {
		if own {
			return "WhatsApp refused the token or phone number id of your own number; check them in WhatsApp Manager and connect again (naukar whatsapp connect)."
		}
		return "WhatsApp refused the server's credentials; the server's administrator must check WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID."
	}
	return fmt.Sprintf("WhatsApp refused the message (error %d): %s", ge.Code, ge.Message)
}
