package ui_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/messaging"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/ui"
	"github.com/ainaukar/naukar/sync/protocol"
)

// fakeWhatsApp queues like the real sender but checks the number with the
// real rule, so a bad phone asks for the right one.
type fakeWhatsApp struct {
	mu   sync.Mutex
	sent []string // number|to
}

func (f *fakeWhatsApp) SendInvoice(_ context.Context, number, to string) (syncapp.Outcome, error) {
	num, err := messaging.Recipient("Walk-in", to)
	if err != nil {
		return syncapp.Outcome{}, err
	}
	f.mu.Lock()
	f.sent = append(f.sent, number+"|"+num)
	f.mu.Unlock()
	m := store.WAMessage{ID: "m1", WAMessage: protocol.WAMessage{Kind: protocol.WAKindInvoice, To: num, InvoiceNumber: number}}
	return syncapp.Outcome{Message: &m, Note: "Queued on WhatsApp to " + num[2:] + ": it goes with the next sync."}, nil
}

func (f *fakeWhatsApp) Remind(context.Context, string) (syncapp.Outcome, error) {
	return syncapp.Outcome{}, books.Errorf(books.EINVALID, "not used")
}

func (f *fakeWhatsApp) RemindAll(context.Context) (store.RemindResult, error) {
	return store.RemindResult{}, nil
}

func (f *fakeWhatsApp) InvoiceStatus(context.Context, string) (string, error) { return "", nil }

func (f *fakeWhatsApp) State(context.Context) syncapp.WhatsApp {
	return syncapp.WhatsApp{Connected: true, Known: true}
}

func (f *fakeWhatsApp) ReminderRule(context.Context) (*messaging.Rule, error) { return nil, nil }

func (f *fakeWhatsApp) SetReminderRule(context.Context, *messaging.Rule) error { return nil }

func (f *fakeWhatsApp) PreviewRule(context.Context, messaging.Rule) ([]store.RulePlan, error) {
	return nil, nil
}

func (f *fakeWhatsApp) RemindByRule(context.Context, messaging.Rule) (store.RemindResult, error) {
	return store.RemindResult{}, nil
}

// TestSendLastBillOnWhatsApp: right after a bill, the shortcut sends it on
// WhatsApp; without a usable phone the app says why and asks for the
// number, Enter sends it, and the status bar says it is queued.
func TestSendLastBillOnWhatsApp(t *testing.T) {
	path, err := demo.Cached(context.Background(), demo.Small, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	wa := &fakeWhatsApp{}
	h := newHarnessWith(t, path, func(*store.Store) ui.Options { return ui.Options{WhatsApp: wa} })
	last, err := h.Books.LastInvoice()
	if err != nil || last == "" {
		t.Fatalf("last invoice %q %v", last, err)
	}
	h.press(ui.ActWhatsAppLast)
	var phone *ui.Entry
	h.settle("the phone dialog", func() bool {
		if e, ok := h.Win.Canvas().Focused().(*ui.Entry); ok && strings.Contains(e.PlaceHolder, "10-digit") {
			phone = e
			return true
		}
		return false
	})
	test.Type(phone, "98765 43210")
	phone.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.settle("the send", func() bool { return strings.Contains(h.App.Status(), "Queued on WhatsApp to 9876543210") })
	wa.mu.Lock()
	defer wa.mu.Unlock()
	if len(wa.sent) != 1 || wa.sent[0] != last+"|919876543210" {
		t.Fatalf("sent %v", wa.sent)
	}
	if out := ui.LastWhatsApp(); out.Message == nil || out.Link != "" {
		t.Fatalf("outcome %+v", out)
	}
}

// TestReminderRuleEditor: Parties → Reminder rule… shows the customers with
// dues as the rule sees them today: who gets a reminder and its words, a
// customer who replied STOP skipped and shown as such; a bad number says
// why; the rule saved is the shop's (in the books) and off turns it off.
// Without a server that sends WhatsApp, the dialog says so and sending now
// is off.
func TestReminderRuleEditor(t *testing.T) {
	path, err := demo.Cached(context.Background(), demo.Small, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessWith(t, path, func(st *store.Store) ui.Options {
		return ui.Options{WhatsApp: &syncapp.WhatsAppSender{Store: st, Translate: ui.L}}
	})
	dues, err := h.Books.WhatsAppDues(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var reachable []messaging.Due
	for _, d := range dues {
		if _, err := messaging.Recipient(d.Name, d.Phone); err == nil {
			reachable = append(reachable, d)
		}
	}
	if len(reachable) < 2 {
		t.Fatalf("the demo books have %d customers with dues and a mobile number", len(reachable))
	}
	// The second replied STOP (the server's row, as sync brings it).
	stopped := reachable[1]
	num, _ := messaging.Recipient(stopped.Name, stopped.Phone)
	data, _ := json.Marshal(protocol.WAOptOut{Phone: num, OptedOut: true, OptedOutAt: demo.Today.UTC().Format(time.RFC3339)})
	if _, err := h.Books.ApplyChanges(context.Background(), []protocol.Change{{Seq: 1, Table: protocol.TableWAOptOuts, ID: protocol.WAOptOutID(num),
		Op: protocol.OpUpsert, Data: data, HLC: protocol.ServerStamp(demo.Today, 1).String(), DeviceID: protocol.ServerDevice}}, 1); err != nil {
		t.Fatal(err)
	}

	h.press(ui.ActParties)
	test.Tap(h.screenButton("Reminder rule"))
	var v *ui.RemindersView
	h.settle("the reminders dialog", func() bool {
		if top := h.Win.Canvas().Overlays().Top(); top != nil {
			walk(top, func(o fyne.CanvasObject) {
				if r, ok := o.(*ui.RemindersView); ok {
					v = r
				}
			})
		}
		return v != nil && !v.Loading() && len(v.Rows()) > 0
	})
	if !strings.Contains(v.Quota.Text, "not connected") || !v.Send.Disabled() || v.On.Checked {
		t.Fatalf("not signed in: %q, send disabled %v, rule on %v", v.Quota.Text, v.Send.Disabled(), v.On.Checked)
	}
	row := func(name string) store.RulePlan {
		for _, p := range v.Rows() {
			if p.Name == name {
				return p
			}
		}
		t.Fatalf("%s is not in the preview", name)
		return store.RulePlan{}
	}
	if p := row(stopped.Name); !p.OptedOut || p.Skip == "" || p.Today {
		t.Fatalf("the customer who replied STOP: %+v", p)
	}
	for i, p := range v.Rows() {
		if p.Name == stopped.Name {
			v.List.ScrollTo(i)
		}
	}
	text := dialogText(h)
	if !strings.Contains(text, "Skipped: replied STOP") || !strings.Contains(text, "Reminders today: ") {
		t.Fatalf("the preview:\n%s", text)
	}

	// Every customer's dues, a day after the bill: the first gets a
	// reminder today, its words under the list.
	h.typeInto(v.After, "0")
	h.typeInto(v.Max, "2")
	test.Tap(h.button("Preview"))
	h.settle("the preview", func() bool { return !v.Loading() && strings.Contains(v.Head.Text, "0 days after the bill") })
	first := v.Rows()[0]
	if !first.Today || first.Skip != "" {
		t.Fatalf("the first row: %+v", first)
	}
	if want := "Message to " + first.Name + ": Dear " + first.Name + ", a payment of " + gst.FormatINR(first.Amount); !strings.HasPrefix(v.Text.Text, want) {
		t.Fatalf("message %q, want %q…", v.Text.Text, want)
	}

	t.Run("ErrEveryZero", func(t *testing.T) {
		h.typeInto(v.Every, "0")
		test.Tap(h.button("Preview"))
		if !strings.Contains(v.Msg.Text, "Reminders must repeat every 1 to 365 days.") {
			t.Fatalf("message %q", v.Msg.Text)
		}
		h.typeInto(v.Every, "7")
	})

	v.On.SetChecked(true)
	test.Tap(h.button("Save rule"))
	h.settle("the rule saved", func() bool {
		return strings.Contains(h.App.Status(), "Automatic reminders: 0 days after the bill, then every 7 days, at most 2")
	})
	if r, err := h.Books.ReminderRule(); err != nil || r == nil || *r != (messaging.Rule{After: 0, Every: 7, Max: 2}) {
		t.Fatalf("the books' rule: %+v %v", r, err)
	}
	v.On.SetChecked(false)
	test.Tap(h.button("Save rule"))
	h.settle("the rule off", func() bool { return strings.Contains(h.App.Status(), "Automatic reminders are off.") })
	if r, err := h.Books.ReminderRule(); err != nil || r != nil {
		t.Fatalf("the books' rule: %+v %v", r, err)
	}
}

// usedUpWhatsApp is a shop whose month's messages are used up.
type usedUpWhatsApp struct{ fakeWhatsApp }

func (*usedUpWhatsApp) State(context.Context) syncapp.WhatsApp {
	return syncapp.WhatsApp{Connected: true, Known: true, Status: protocol.WAStatusResponse{Configured: true, Used: 50, Limit: 50,
		ResetsOn: time.Date(2027, 1, 1, 0, 0, 0, 0, time.FixedZone("IST", 19800))}}
}

// TestInvoiceShowsWhatsAppQuota: the invoice's Send on WhatsApp shows this
// month's count, and once it is used up the button says so in plain words.
func TestInvoiceShowsWhatsAppQuota(t *testing.T) {
	path, err := demo.Cached(context.Background(), demo.Small, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessWith(t, path, func(*store.Store) ui.Options { return ui.Options{WhatsApp: &usedUpWhatsApp{}} })
	h.press(ui.ActInvoices)
	h.settle("invoices listed", func() bool { return !h.App.Invoices.Loading() && len(h.App.Invoices.Rows()) > 0 })
	h.App.Invoices.Open(0)
	h.settle("the quota", func() bool {
		return strings.Contains(dialogText(h), "WhatsApp this month: 50 of 50 messages used. The count starts again on 01-01-2027.")
	})
	if b := h.button("This month's WhatsApp messages are used up"); !b.Disabled() {
		t.Fatal("the used-up button can be pressed")
	}
}

// TestWhatsAppScreensHaveHindi: every word of the WhatsApp buttons, the
// reminders dialog and the message statuses has English and Hindi.
func TestWhatsAppScreensHaveHindi(t *testing.T) {
	keys := map[string]bool{"Reminder rule…": true, "no usable mobile number": true,
		"The first reminder must be 0 to 365 days after the bill.": true, "Reminders must repeat every 1 to 365 days.": true,
		"Send between 1 and 20 reminders.": true, "(as last known: the server cannot be reached now)": true,
		"WhatsApp this month: %d of %d messages used.": true, "The count starts again on %s.": true}
	for _, st := range []string{"waiting to go (it goes with the next sync).", "sent.", "delivered.", "read.", "not sent (the customer replied STOP).", "not sent."} {
		keys["WhatsApp to %s: "+st] = true
	}
	haveHindi(t, keys, 40, "whatsapp.go", "reminders.go")
}
