package syncapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/messaging"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

// metaWhatsApp keeps the server's last answer to GET /v1/whatsapp, so an
// offline counter still knows whether its server sends WhatsApp.
const metaWhatsApp = "whatsapp_status"

// WhatsApp is how these books can send on WhatsApp.
type WhatsApp struct {
	// Connected: the books sync with a server that sends WhatsApp (as far
	// as last known); requests are queued and go at the next sync.
	// Otherwise the screen offers a wa.me link instead.
	Connected bool
	// Known: the server was asked (now or before); false when it never
	// answered (offline since sign-in): requests are queued anyway.
	Known bool
	// Offline: the server could not be reached just now (what is known
	// is its last answer); a request is queued and goes when the counter
	// is online again.
	Offline bool
	Status  protocol.WAStatusResponse
	Reason  string // why not connected, in plain words
}

// WhatsAppState asks the books' server (waiting at most timeout) and falls
// back to its last answer when it cannot be reached.
func WhatsAppState(ctx context.Context, s *store.Store, timeout time.Duration) WhatsApp {
	server, _ := s.Meta(client.MetaServer)
	dev, _ := s.Meta(client.MetaDeviceID)
	tok, _ := TokenStore{BooksPath: s.Path()}.Load()
	if server == "" || dev == "" || tok == "" {
		return WhatsApp{Known: true, Reason: "These books are not signed in to a sync server, so WhatsApp messages cannot go from the server; send from your own WhatsApp."}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	st, err := client.NewClient(server, client.WithRetries(0, 0, 0), client.WithTimeout(timeout)).WhatsApp(ctx, tok)
	if err == nil {
		b, _ := json.Marshal(st)
		_ = s.SetMeta(map[string]string{metaWhatsApp: string(b)})
	} else if raw, _ := s.Meta(metaWhatsApp); raw == "" || json.Unmarshal([]byte(raw), &st) != nil {
		return WhatsApp{Connected: true, Offline: unreachable(err)}
	}
	w := WhatsApp{Connected: st.Configured, Known: true, Status: st, Offline: unreachable(err)}
	if !st.Configured {
		w.Reason = st.Message
	}
	return w
}

// lastWhatsApp is the server's last known answer, without asking it.
func lastWhatsApp(s *store.Store) WhatsApp {
	var st protocol.WAStatusResponse
	if raw, _ := s.Meta(metaWhatsApp); raw == "" || json.Unmarshal([]byte(raw), &st) != nil {
		return WhatsApp{}
	}
	return WhatsApp{Connected: st.Configured, Known: true, Status: st, Offline: true}
}

// ApplyReminderRule queues today's reminders of the shop's rule on this
// counter (once a day, store.ApplyReminderRule) when its server sends
// WhatsApp: asked now when online, else as last known. The background
// sync runs it after every round, so an offline counter applies the rule
// too; the reminders' ids are the same on every counter, so the server
// sends each once.
func ApplyReminderRule(ctx context.Context, s *store.Store, online bool, today time.Time) (store.RemindResult, bool, error) {
	if due, err := s.ReminderRulePending(today); err != nil || !due {
		return store.RemindResult{}, false, err
	}
	st := lastWhatsApp(s)
	if online {
		st = WhatsAppState(ctx, s, 5*time.Second)
	}
	if !st.Connected || !st.Known || st.UsedUp(today) {
		// Tried again after the next rounds (the month's messages are
		// used up: once the count starts again).
		return store.RemindResult{}, false, nil
	}
	return s.ApplyReminderRule(ctx, today)
}

// unreachable reports whether err means the server was not reached (no
// answer at all), as opposed to an answer that refused.
func unreachable(err error) bool {
	var ae *client.APIError
	return err != nil && !errors.As(err, &ae)
}

// OfflineNote is what a send says when the counter is offline.
const OfflineNote = "Offline — queued; it will be sent when this counter is online again."

// WhatsAppSender sends a shop's invoices and reminders for the screens and
// the command line: queued in the books (they go at the next sync, so an
// offline counter loses nothing) when the books' server sends WhatsApp,
// else as a wa.me link to open on the shop's own WhatsApp.
type WhatsAppSender struct {
	Store *store.Store
	// Kick asks for a sync soon (the background runner's Kick); may be nil.
	Kick func()
	// Timeout bounds asking the server whether it sends (default 3 s).
	Timeout time.Duration
	// Translate says the words of a used-up quota in the screen's
	// language (nil: English).
	Translate func(string) string
}

// Outcome is what a send did: a queued message, or a link to open.
type Outcome struct {
	Message *store.WAMessage
	Link    string // wa.me link when the server does not send
	Offline bool   // queued while the server could not be reached
	Note    string // plain words for the screen
}

func (w *WhatsAppSender) state(ctx context.Context) WhatsApp {
	t := w.Timeout
	if t <= 0 {
		t = 3 * time.Second
	}
	return WhatsAppState(ctx, w.Store, t)
}

func (w *WhatsAppSender) queued(m store.WAMessage, st WhatsApp) Outcome {
	if w.Kick != nil {
		w.Kick()
	}
	if st.Offline {
		return Outcome{Message: &m, Offline: true, Note: "WhatsApp to " + m.To[2:] + ": " + OfflineNote}
	}
	return Outcome{Message: &m, Note: "Queued on WhatsApp to " + m.To[2:] + ": it goes with the next sync (now, if the internet is on)."}
}

// SendInvoice sends an invoice (by number or id) to its customer, or to to.
func (w *WhatsAppSender) SendInvoice(ctx context.Context, number, to string) (Outcome, error) {
	st := w.state(ctx)
	if err := w.usedUp(st); err != nil {
		return Outcome{}, err
	}
	if st.Connected {
		m, err := w.Store.SendInvoiceOnWhatsApp(ctx, number, to)
		if err != nil {
			return Outcome{}, err
		}
		return w.queued(m, st), nil
	}
	inv, _, err := w.Store.Invoice(number)
	if err != nil {
		return Outcome{}, err
	}
	name, phone := "", to
	if inv.Party != nil {
		name = inv.Party.Name
		if phone == "" {
			phone = inv.Party.Phone
		}
	}
	num, err := messaging.Recipient(name, phone)
	if err != nil {
		return Outcome{}, err
	}
	biz, err := w.Store.Business()
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Link: messaging.WaMe(num, messaging.InvoiceText(biz.Name, inv.Number, inv.GrandTotal)),
		Note: st.Reason + " WhatsApp opens with the message ready; attach the bill's PDF there."}, nil
}

// Remind sends a party (id, name or phone) a reminder of what they owe.
func (w *WhatsAppSender) Remind(ctx context.Context, party string) (Outcome, error) {
	st := w.state(ctx)
	if err := w.usedUp(st); err != nil {
		return Outcome{}, err
	}
	if st.Connected {
		m, err := w.Store.RemindOnWhatsApp(ctx, party)
		if err != nil {
			return Outcome{}, err
		}
		return w.queued(m, st), nil
	}
	p, err := w.Store.FindParty(party)
	if err != nil {
		return Outcome{}, err
	}
	num, err := messaging.Recipient(p.Name, p.Phone)
	if err != nil {
		return Outcome{}, err
	}
	due, err := w.Store.PartyBalance(p.ID)
	if err != nil {
		return Outcome{}, err
	}
	biz, err := w.Store.Business()
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Link: messaging.WaMe(num, messaging.ReminderText(p.Name, due, biz.Name, biz.UPI)),
		Note: st.Reason + " WhatsApp opens with the reminder ready."}, nil
}

// RemindAll queues a reminder to every customer who owes the shop; it needs
// a server that sends WhatsApp.
func (w *WhatsAppSender) RemindAll(ctx context.Context) (store.RemindResult, error) {
	if st := w.state(ctx); !st.Connected {
		return store.RemindResult{}, books.Errorf(books.EINVALID, "%s", st.Reason)
	} else if err := w.usedUp(st); err != nil {
		return store.RemindResult{}, err
	}
	res, err := w.Store.RemindAll(ctx)
	if err == nil && len(res.Queued) > 0 && w.Kick != nil {
		w.Kick()
	}
	return res, err
}

// State says whether the books' server sends WhatsApp and this month's
// count (asked now, else as last known).
func (w *WhatsAppSender) State(ctx context.Context) WhatsApp { return w.state(ctx) }

// ReminderRule is the shop's automatic reminder rule (nil: off).
func (w *WhatsAppSender) ReminderRule(context.Context) (*messaging.Rule, error) {
	return w.Store.ReminderRule()
}

// SetReminderRule sets the shop's rule (nil: off); the background sync
// applies it from its next round.
func (w *WhatsAppSender) SetReminderRule(ctx context.Context, r *messaging.Rule) error {
	if err := w.Store.SetReminderRule(ctx, r); err != nil {
		return err
	}
	if w.Kick != nil {
		w.Kick()
	}
	return nil
}

// PreviewRule lists the customers with dues as rule r sees them today.
func (w *WhatsAppSender) PreviewRule(ctx context.Context, r messaging.Rule) ([]store.RulePlan, error) {
	return w.Store.PreviewReminderRule(ctx, r, w.Store.Now())
}

// RemindByRule queues today's reminders of rule r now; it needs a server
// that sends WhatsApp.
func (w *WhatsAppSender) RemindByRule(ctx context.Context, r messaging.Rule) (store.RemindResult, error) {
	if st := w.state(ctx); !st.Connected {
		return store.RemindResult{}, books.Errorf(books.EINVALID, "%s", st.Reason)
	} else if err := w.usedUp(st); err != nil {
		return store.RemindResult{}, err
	}
	res, err := w.Store.RemindByRule(ctx, r, w.Store.Now())
	if err == nil && len(res.Queued) > 0 && w.Kick != nil {
		w.Kick()
	}
	return res, err
}

// UsedUp reports whether this month's WhatsApp messages are used up at
// now (as the server last said; a month that has ended since starts
// again).
func (st WhatsApp) UsedUp(now time.Time) bool {
	return st.Known && st.Status.Limit > 0 && st.Status.Used >= st.Status.Limit &&
		(st.Status.ResetsOn.IsZero() || now.Before(st.Status.ResetsOn))
}

// usedUp refuses a send when this month's messages are used up, in the
// quota's words: the server would refuse it too.
func (w *WhatsAppSender) usedUp(st WhatsApp) error {
	if !st.UsedUp(w.Store.Now()) {
		return nil
	}
	return books.Errorf(books.ECONFLICT, "%s", QuotaWords(protocol.QuotaInfo{Feature: "whatsapp", Limit: st.Status.Limit,
		ResetsOn: st.Status.ResetsOn}, w.Translate))
}

// QuotaLine says this month's WhatsApp count in words ("" when the server
// did not say its limit), translated by tr (nil: English).
func (st WhatsApp) QuotaLine(tr func(string) string) string {
	if tr == nil {
		tr = func(s string) string { return s }
	}
	if !st.Known || st.Status.Limit <= 0 {
		return ""
	}
	line := fmt.Sprintf(tr("WhatsApp this month: %d of %d messages used."), min(st.Status.Used, st.Status.Limit), st.Status.Limit)
	if !st.Status.ResetsOn.IsZero() {
		line += " " + fmt.Sprintf(tr("The count starts again on %s."), gst.FormatDay(st.Status.ResetsOn.In(ist)))
	}
	if st.Offline {
		line += " " + tr("(as last known: the server cannot be reached now)")
	}
	return line
}

// InvoiceStatus says in words how the newest WhatsApp message of an
// invoice got on ("" when it was never sent).
func (w *WhatsAppSender) InvoiceStatus(ctx context.Context, invoiceID string) (string, error) {
	ms, err := w.Store.WhatsAppMessages(ctx, store.WAFilter{InvoiceID: invoiceID, Limit: 1})
	if err != nil || len(ms) == 0 {
		return "", err
	}
	return StatusWordsIn(ms[0], w.Translate), nil
}

// StatusWords says a message's state for the shopkeeper.
func StatusWords(m store.WAMessage) string { return StatusWordsIn(m, nil) }

// StatusWordsIn is StatusWords in the screen's language (tr; nil:
// English). The server's own words of a failure stay as it wrote them.
func StatusWordsIn(m store.WAMessage, tr func(string) string) string {
	if tr == nil {
		tr = func(s string) string { return s }
	}
	to := m.To
	if len(to) == 12 {
		to = to[2:]
	}
	say := func(format string) string { return fmt.Sprintf(tr(format), to) }
	switch m.State() {
	case protocol.WAQueued:
		return say("WhatsApp to %s: waiting to go (it goes with the next sync).")
	case protocol.WASent:
		return say("WhatsApp to %s: sent.")
	case protocol.WADelivered:
		return say("WhatsApp to %s: delivered.")
	case protocol.WARead:
		return say("WhatsApp to %s: read.")
	case protocol.WAOptedOut:
		return say("WhatsApp to %s: not sent (the customer replied STOP).")
	}
	if m.Quota != nil {
		return say("WhatsApp to %s: not sent.") + " " + QuotaWords(*m.Quota, tr)
	}
	return say("WhatsApp to %s: not sent.") + " " + m.Error
}
