package whatsapp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
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

// SendArgs is the job that sends one message: a try after a temporary
// failure, a message whose turn was further off than maxPaceWait, or one
// the sweep found without a send.
type SendArgs struct {
	BusinessID string `json:"business_id" river:"unique"`
	MessageID  string `json:"message_id" river:"unique"`
	// Tried counts the tries made before this job (by a batch).
	Tried int `json:"tried,omitempty"`
	// NotBefore (Unix ms): the job waits until then. A batch hands a
	// message on with a short wait this way: a job scheduled for later
	// waits for the queue's scheduler (every 5 s) to make it due.
	NotBefore int64 `json:"not_before,omitempty"`
}

// Kind names the job kind.
func (SendArgs) Kind() string { return "whatsapp_send" }

// BatchArgs is the job that sends the messages a push asked for, many in
// one job: the queue's own cost (taking the job, marking it done) is paid
// once per batch instead of once per message.
type BatchArgs struct {
	BusinessID string   `json:"business_id"`
	MessageIDs []string `json:"message_ids"`
}

// Kind names the job kind.
func (BatchArgs) Kind() string { return "whatsapp_send_batch" }

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

// Leases: a job claims the messages it works on (store.WAClaim) for
// leaseFor, longer than any job may run (its context ends first), so two
// jobs never work on one message at once.
const (
	leaseFor     = 5 * time.Minute
	batchTimeout = 4 * time.Minute
	sendTimeout  = 2 * time.Minute // one message, and the single send job
)

// handOffWait is the longest a message handed on by a batch waits inside
// its own job (rather than scheduled for later).
const handOffWait = 5 * time.Second

// errRetry marks a temporary failure whose words the shop does not need.
var errRetry = errors.New("try again")

// settledError ends a message for good: no retry.
type settledError struct{ err error }

func (e *settledError) Error() string { return e.err.Error() }
func (e *settledError) Unwrap() error { return e.err }

// laterError: the message's turn is further off than maxPaceWait.
type laterError struct{ d time.Duration }

func (e *laterError) Error() string { return fmt.Sprintf("sending slot in %s", e.d) }

// send works one SendArgs job.
func (m *Module) send(ctx context.Context, job *jobs.Job[SendArgs]) error {
	a := job.Args
	if a.NotBefore > 0 {
		if err := m.cfg.Sleep(ctx, time.UnixMilli(a.NotBefore).Sub(m.now())); err != nil {
			return err
		}
	}
	now := m.now()
	recs, err := m.store.WAClaim(ctx, a.BusinessID, []string{a.MessageID}, "send:"+strconv.FormatInt(job.ID, 10), now.Add(leaseFor), now)
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		rec, err := m.store.WASendGet(ctx, a.BusinessID, a.MessageID, now)
		if err != nil {
			return err
		}
		if rec.State != store.WAPending {
			return nil // sent, or settled for good, by an earlier try
		}
		// Another job holds it: look again once its lease ends (by then it
		// has mostly been sent).
		return jobs.Snooze(rec.LeaseUntil.Sub(now) + time.Second)
	}
	data, ok, err := m.store.SyncRow(ctx, a.BusinessID, protocol.TableWAMessages, a.MessageID)
	if err != nil {
		return err
	}
	err = m.sendOne(ctx, &recs[0], data, ok, nil, a.Tried+job.Attempt)
	var settled *settledError
	var later *laterError
	switch {
	case errors.As(err, &settled):
		return jobs.Permanent(settled.err)
	case errors.As(err, &later):
		return jobs.Snooze(later.d)
	}
	return err
}

// sendBatch works one BatchArgs job: it claims the messages, reads them
// and the opt-outs of their numbers in one query each, and sends them side
// by side, each at its slot. A message that must wait longer than
// maxPaceWait, or be tried again, goes on in a send job of its own.
func (m *Module) sendBatch(ctx context.Context, job *jobs.Job[BatchArgs]) error {
	a := job.Args
	ids := make([]string, 0, len(a.MessageIDs))
	seen := map[string]bool{}
	for _, id := range a.MessageIDs {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	now := m.now()
	recs, err := m.store.WAClaim(ctx, a.BusinessID, ids, "batch:"+strconv.FormatInt(job.ID, 10), now.Add(leaseFor), now)
	if err != nil || len(recs) == 0 {
		return err
	}
	claimed := make([]string, len(recs))
	for i, r := range recs {
		claimed[i] = r.MessageID
	}
	msgs, err := m.store.SyncRowsOf(ctx, a.BusinessID, protocol.TableWAMessages, claimed)
	if err != nil {
		return err
	}
	// The opt-outs of the reminders' numbers, read at once.
	var optIDs []string
	for _, data := range msgs {
		var msg protocol.WAMessage
		if json.Unmarshal(data, &msg) == nil && msg.Kind == protocol.WAKindReminder {
			if to, err := gst.MobileWithCountryCode(msg.To); err == nil {
				optIDs = append(optIDs, protocol.WAOptOutID(to))
			}
		}
	}
	optouts, err := m.store.SyncRowsOf(ctx, a.BusinessID, protocol.TableWAOptOuts, optIDs)
	if err != nil {
		return err
	}
	if err := m.countBatch(ctx, a.BusinessID, recs, msgs); err != nil {
		return err
	}
	errs := make([]error, len(recs))
	var wg sync.WaitGroup
	for i := range recs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mctx, cancel := context.WithTimeout(ctx, sendTimeout)
			defer cancel()
			data, ok := msgs[recs[i].MessageID]
			errs[i] = m.sendOne(mctx, &recs[i], data, ok, optouts, job.Attempt)
		}()
	}
	wg.Wait()
	// What must go on later goes in jobs of its own, then is let go.
	var handed []error
	for i, err := range errs {
		var settled *settledError
		var later *laterError
		args, at := SendArgs{BusinessID: a.BusinessID, MessageID: recs[i].MessageID, Tried: job.Attempt}, now
		switch {
		case err == nil, errors.As(err, &settled):
			continue
		case errors.As(err, &later):
			args.Tried, at = job.Attempt-1, m.now().Add(later.d)
		default:
			at = m.now().Add(m.cfg.Backoff(job.Attempt))
		}
		var opts []jobs.Option
		if at.Sub(m.now()) > handOffWait {
			opts = append(opts, jobs.At(at))
		} else {
			args.NotBefore = at.UnixMilli()
		}
		if _, err := m.cfg.Queue.Enqueue(ctx, args, opts...); err != nil {
			handed = append(handed, err)
			continue
		}
		recs[i].LeaseUntil = time.Time{}
		handed = append(handed, m.save(ctx, recs[i], nil))
	}
	// A failure here tries the batch again: it finds its messages pending
	// (or sent by then) and claims them again as the same owner.
	return errors.Join(handed...)
}

// countBatch counts the batch's messages against the month's quota at
// once and saves that they are counted (one write for the batch): a retry
// never counts a message twice. A message that then does not go gives its
// count back (settle). When fewer are left than the batch needs, each
// message is counted on its own as it goes.
func (m *Module) countBatch(ctx context.Context, businessID string, recs []store.WASend, msgs map[string]json.RawMessage) error {
	if m.cfg.Quota == nil {
		return nil
	}
	var count []int
	for i, r := range recs {
		if _, ok := msgs[r.MessageID]; ok && r.State == store.WAPending && !r.QuotaUsed {
			count = append(count, i)
		}
	}
	if len(count) < 2 {
		return nil
	}
	if err := m.cfg.Quota.Use(ctx, businessID, quota.WhatsApp, len(count)); err != nil {
		if core.ErrorCode(err) == quota.CodeExceeded {
			return nil
		}
		return err
	}
	done := make([]store.WASendDone, len(count))
	for j, i := range count {
		recs[i].QuotaUsed = true
		done[j] = store.WASendDone{Send: recs[i]}
	}
	if err := m.store.WASendsDone(ctx, done, m.now()); err != nil {
		// Not saved: nothing is counted.
		if rerr := m.cfg.Quota.Refund(ctx, businessID, quota.WhatsApp, len(count)); rerr != nil {
			m.log.Error("whatsapp quota not given back", "business", businessID, "n", len(count), "err", rerr)
		}
		return err
	}
	return nil
}

// sendOne sends one claimed message (rec) whose wa_messages row is data
// (found: it is in the books), on try tries; optouts, if not nil, holds
// the opt-out rows of the batch's numbers. It returns nil when the
// message is sent or settled (opted out), *settledError when it failed for
// good, *laterError when its turn is too far off, or another error to try
// again.
func (m *Module) sendOne(ctx context.Context, rec *store.WASend, data json.RawMessage, found bool, optouts map[string]json.RawMessage, tries int) error {
	if rec.State != store.WAPending {
		return nil // sent, or settled for good, by an earlier try
	}
	if !found {
		return &settledError{fmt.Errorf("message %s is not in the books (deleted?)", rec.MessageID)}
	}
	a := struct{ BusinessID, MessageID string }{rec.BusinessID, rec.MessageID}
	var msg protocol.WAMessage
	if err := json.Unmarshal(data, &msg); err != nil {
		return m.settle(ctx, rec, protocol.WAFailed, "The message request could not be read; send it again.")
	}
	if msg.Status != "" && msg.Status != protocol.WAQueued {
		// The row already has an outcome (it came back with a device's
		// books after a server restore): never send it again.
		rec.State = store.WADone
		return m.save(ctx, *rec, nil)
	}
	snd, err := m.senderFor(ctx, a.BusinessID)
	if err != nil {
		return err
	}
	if snd.err != nil {
		return m.settle(ctx, rec, protocol.WAFailed, snd.err.Error())
	}
	if !snd.s.Configured() {
		return m.settle(ctx, rec, protocol.WAFailed, snd.s.NotConfigured())
	}
	to, err := gst.MobileWithCountryCode(msg.To)
	if err != nil {
		return m.settle(ctx, rec, protocol.WAFailed, fmt.Sprintf(
			"%q is not an Indian mobile number (10 digits, may start with +91 or 0); correct the party's phone and send again.", msg.To))
	}
	// The number is saved with the next write of the record (before the
	// send: the quota's or the media's; at the latest with the outcome).
	rec.To = to
	var tpl Template
	switch msg.Kind {
	case protocol.WAKindReminder:
		var out bool
		if optouts != nil {
			var o protocol.WAOptOut
			if data, ok := optouts[protocol.WAOptOutID(to)]; ok {
				if err := json.Unmarshal(data, &o); err != nil {
					return fmt.Errorf("read opt-out: %w", err)
				}
			}
			out = o.OptedOut
		} else if out, err = m.optedOut(ctx, a.BusinessID, to); err != nil {
			return err
		}
		if out {
			return m.settle(ctx, rec, protocol.WAOptedOut,
				"Not sent: this customer replied STOP to your reminders. Reminders go again after they write to you and you record their consent.")
		}
		tpl = snd.reminderTemplate(msg)
	case protocol.WAKindInvoice:
		if msg.InvoiceID == "" {
			return m.settle(ctx, rec, protocol.WAFailed, "The message names no invoice; send it again from the invoice.")
		}
	default:
		return m.settle(ctx, rec, protocol.WAFailed, fmt.Sprintf("Unknown kind of message %q; update the app and send again.", msg.Kind))
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
				return m.settleWith(ctx, rec, protocol.WAFailed, core.ErrorMessage(err), extra)
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
			if err := m.save(ctx, *rec, nil); err != nil {
				return err
			}
		}
		pdf, name, err := m.invoicePDF(ctx, a.BusinessID, msg.InvoiceID)
		if err != nil {
			if errors.Is(err, errRetry) {
				return m.retry(ctx, tries, rec, err, "")
			}
			return m.settle(ctx, rec, protocol.WAFailed, err.Error())
		}
		id, err := snd.graph.UploadMedia(ctx, name, pdf)
		if err != nil {
			return m.graphFailed(ctx, tries, snd, rec, err)
		}
		rec.MediaID, dirty = id, true
	}
	if msg.Kind == protocol.WAKindInvoice {
		tpl = snd.invoiceTemplate(msg, rec.MediaID)
	}
	if err := m.pace(ctx, snd, rec, dirty); err != nil {
		return err
	}
	wamid, err := snd.graph.SendTemplate(ctx, to, tpl, a.BusinessID+"/"+a.MessageID)
	if err != nil {
		return m.graphFailed(ctx, tries, snd, rec, err)
	}
	rec.WAMID, rec.State = wamid, store.WASentOK
	// The record and the status row the devices pull are written in one
	// transaction, shared with the other sends finishing meanwhile.
	row := m.statusRow(*rec, protocol.WASent, "", m.now(), map[string]any{"wamid": wamid})
	if err := m.save(ctx, *rec, &row); err != nil {
		// Sent but not recorded: the retry must not send again, and
		// cannot know; the error is logged with the message id.
		m.log.Error("whatsapp message sent but not recorded", "business", a.BusinessID, "message", a.MessageID, "err", err)
		return &settledError{err}
	}
	return nil
}

// pace saves what the send learnt (rec, when dirty; group-committed with
// the other sends saving meanwhile), then waits for a sending slot under
// the configured rate and for the recipient's. The rate's slots are taken
// from the database a run at a time (see slots). The customer's slot is
// taken with the other sends' customers in one transaction (reserves) and
// holds the customer for the gap and recipientLag more: the send must go
// within recipientLag of its slot (else it is tried again with a new
// one), so two messages to one customer are never closer than the gap
// however late a send runs. Last, right before the send, the instance's
// own limiter spaces sends that come late to their slots rather than
// letting them go together. A slot further off than maxPaceWait hands the
// message to a later job (laterError).
func (m *Module) pace(ctx context.Context, snd *sender, rec *store.WASend, dirty bool) error {
	if dirty {
		if err := m.save(ctx, *rec, nil); err != nil {
			return err
		}
	}
	gap := snd.s.gap()
	if gap > 0 {
		now := m.now()
		at, ok, err := m.slots.take(ctx, m.store, "rate:"+snd.s.PhoneNumberID, gap, snd.s.slotRun(), now)
		if err != nil {
			return err
		}
		if !ok {
			return &laterError{at.Sub(now)}
		}
		if err := m.cfg.Sleep(ctx, at.Sub(now)); err != nil {
			return err
		}
	}
	var custSlot time.Time
	if rgap := snd.s.RecipientGap; rgap > 0 {
		r, err := m.reserves.do(ctx, store.Reservation{Key: recipientKey(snd.s.PhoneNumberID, rec.To), Gap: rgap + recipientLag, N: 1,
			MaxWait: maxPaceWait})
		if err != nil {
			return err
		}
		if !r.OK {
			return &laterError{r.At.Sub(m.now())}
		}
		if err := m.cfg.Sleep(ctx, r.At.Sub(m.now())); err != nil {
			return err
		}
		custSlot = r.At
	}
	if gap > 0 {
		if err := m.limiterFor(snd.s.PhoneNumberID, gap).Wait(ctx); err != nil {
			return err
		}
	}
	if !custSlot.IsZero() && m.now().After(custSlot.Add(recipientLag)) {
		return &laterError{0} // too late for the customer's slot: a new one
	}
	return nil
}

// recipientLag is how late after the customer's slot a send may still go.
const recipientLag = time.Second

// recipientKey names a customer's pacing slot without their number: a
// one-way hash of the sending number and theirs.
func recipientKey(phoneID, to string) string {
	sum := sha256.Sum256([]byte(phoneID + ":" + to))
	return "to:" + hex.EncodeToString(sum[:16])
}

// graphFailed handles a failed Graph call: a temporary error is retried
// (and told to the shop as failed only after the last try), a permanent
// one is told at once in plain words.
func (m *Module) graphFailed(ctx context.Context, tries int, snd *sender, rec *store.WASend, err error) error {
	ge, ok := asGraphError(err)
	if !ok {
		return m.retry(ctx, tries, rec, err, "")
	}
	if ge.Retryable() {
		return m.retry(ctx, tries, rec, ge, "")
	}
	// Refused: nothing reached the customer, so it does not count.
	return m.settle(ctx, rec, protocol.WAFailed, plainGraphError(ge, snd.own))
}

// retry fails this try; on the last one the shop is told.
func (m *Module) retry(ctx context.Context, tries int, rec *store.WASend, err error, words string) error {
	if tries < m.cfg.MaxAttempts {
		return err
	}
	if words == "" {
		words = fmt.Sprintf("WhatsApp did not take the message after %d tries (it was busy or could not be reached); send it again later.", tries)
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
	return &settledError{errors.New(status + ": " + words)}
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
