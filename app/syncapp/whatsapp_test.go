package syncapp_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/messaging"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/plans"
	srvstore "github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/whatsapp"
	"github.com/ainaukar/naukar/server/whatsapp/whatsapptest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// waWorld is a sync server that sends WhatsApp through the fake Graph API,
// counting messages against the free plan's monthly limit, and n signed-in
// counters of one shop (the first made the books: a customer Asha with a
// bill on credit billed days ago).
type waWorld struct {
	url  string
	fake *whatsapptest.Graph
	devs []*waDevice
}

type waDevice struct {
	s   *store.Store
	eng *client.Engine
}

func newWAWorld(t *testing.T, n, limit int, billedDaysAgo int) *waWorld {
	t.Helper()
	t.Setenv("NAUKAR_KEYRING", "file")
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	_, server, err := templates()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fromTemplate(t, server, filepath.Join(dir, srvstore.SQLiteFile))
	db, err := srvstore.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	w := &waWorld{fake: whatsapptest.New(t)}
	q := jobs.New(db, jobs.Config{Logger: quiet, PollInterval: 50 * time.Millisecond, SoleInstance: true})
	quotas := plans.NewCounter(db, plans.Config{Plans: []plans.Plan{{ID: plans.Free, Name: "Free", Devices: 5, WhatsApp: limit, AI: 1}}}, nil)
	wa := whatsapp.New(whatsapp.Config{Store: db, Queue: q, Logger: quiet, Quota: quotas,
		Usage: func(c2 context.Context, biz string) (int, int, error) {
			used, err := quotas.Used(c2, biz)
			if err != nil {
				return 0, 0, err
			}
			plan, _, err := quotas.Plan(c2, biz)
			return used.WhatsApp, plan.WhatsApp, err
		},
		Settings: whatsapp.Settings{APIURL: w.fake.Base(), Token: w.fake.Token, PhoneNumberID: w.fake.PhoneID, AppSecret: w.fake.AppSecret,
			VerifyToken: "v", TemplateInvoice: whatsapp.DefaultTemplateInvoice, TemplateReminder: whatsapp.DefaultTemplateReminder,
			TemplateLang: "en", Rate: 100}})
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{Store: db, Logger: quiet, BcryptCost: 4, Modules: []api.Module{wa}}))
	t.Cleanup(func() {
		srv.Close()
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = q.Stop(c)
		db.Close()
	})
	w.url = srv.URL
	if err := signup(w.url, "Sharma Stores"); err != nil {
		t.Fatal(err)
	}
	booksTmpl, _, err := templates()
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		path := filepath.Join(dir, fmt.Sprintf("counter%d.db", i+1))
		fromTemplate(t, booksTmpl, path)
		s, err := store.Open(path, store.Options{PINParams: &staff.TestParams})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if i == 0 {
			if _, err := s.Init(books.Business{Name: "Sharma Stores", StateCode: "27", UPI: "sharma@okicici"}); err != nil {
				t.Fatal(err)
			}
			w.credit(t, s, "Asha", "9811111111", billedDaysAgo)
		}
		if _, err := syncapp.Login(ctx, s, w.url, "ravi@example.com", "correct horse", fmt.Sprintf("Counter %d", i+1)); err != nil {
			t.Fatal(err)
		}
		eng, err := syncapp.Engine(s)
		if err != nil {
			t.Fatal(err)
		}
		d := &waDevice{s: s, eng: eng}
		d.sync(t)
		w.devs = append(w.devs, d)
	}
	return w
}

// credit bills a new customer on credit, days ago.
func (w *waWorld) credit(t *testing.T, s *store.Store, name, phone string, daysAgo int) {
	t.Helper()
	id, err := s.SaveParty(books.Party{Name: name, Phone: phone})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Party(id)
	if err != nil {
		t.Fatal(err)
	}
	p.ID = id
	prod := books.Product{Name: "Tata Salt " + name, SKU: "SALT-" + name, Unit: "NOS", SalePrice: 2800, GSTRate: 500, OpeningStock: 50000}
	if prod.ID, err = s.SaveProduct(prod); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSale(ctx, &books.SaleDraft{Date: time.Now().AddDate(0, 0, -daysAgo), Party: books.SnapshotOf(&p, id),
		Lines: []books.DraftLine{{ProductID: prod.ID, Product: prod, Qty: 2000}}, Payments: []books.PaymentPart{{Mode: books.ModeCash, Amount: 100}}}); err != nil {
		t.Fatal(err)
	}
}

func (d *waDevice) sync(t *testing.T) {
	t.Helper()
	if _, err := d.eng.Round(ctx); err != nil {
		t.Fatal(err)
	}
}

// waitFor syncs d until cond holds (the server's job has run and its
// answer came back).
func (d *waDevice) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		d.sync(t)
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 20 s for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func messages(t *testing.T, s *store.Store) []store.WAMessage {
	t.Helper()
	ms, err := s.WhatsAppMessages(ctx, store.WAFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestReminderRuleOnTwoCounters: the shop's rule is set on one counter and
// reaches the other through sync; counter 2 applies it while offline,
// counter 1's background sync applies it online, then counter 2 syncs:
// the reminders have the same ids on both, so each reaches WhatsApp
// exactly once. A reminder the month's quota does
// not cover comes back failed, in plain words, on both counters, and is
// not asked again that day.
func TestReminderRuleOnTwoCounters(t *testing.T) {
	w := newWAWorld(t, 2, 10, 5)
	a, b := w.devs[0], w.devs[1]
	w.credit(t, a.s, "Bala", "9822222222", 4)
	if err := a.s.SetReminderRule(ctx, &messaging.DefaultRule); err != nil {
		t.Fatal(err)
	}
	a.sync(t)
	b.sync(t)
	if r, err := b.s.ReminderRule(); err != nil || r == nil || *r != messaging.DefaultRule {
		t.Fatalf("the rule on counter 2: %+v %v", r, err)
	}

	// Counter 2, offline, applies the rule as its background sync does
	// after a failed round (its server's WhatsApp as last known)...
	if st := syncapp.WhatsAppState(ctx, b.s, 5*time.Second); !st.Connected || st.Status.Limit != 10 || st.Status.ResetsOn.IsZero() {
		t.Fatalf("WhatsApp state: %+v", st)
	}
	res, applied, err := syncapp.ApplyReminderRule(ctx, b.s, false, time.Now())
	if err != nil || !applied || len(res.Queued) != 2 {
		t.Fatalf("counter 2 applies the rule: %+v %v %v", res, applied, err)
	}
	// ...and counter 1's background sync applies it and sends at once.
	r := syncapp.NewRunner(a.s, time.Hour, nil)
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		n, err := a.s.PendingCount()
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 && len(messages(t, a.s)) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("counter 1's background sync did not apply the rule")
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.Stop()
	ids := func(s *store.Store) string {
		var out []string
		for _, m := range messages(t, s) {
			out = append(out, m.ID)
		}
		return strings.Join(out, ",")
	}
	if ids(a.s) != ids(b.s) {
		t.Fatalf("the counters' reminders differ: %s vs %s", ids(a.s), ids(b.s))
	}
	a.sync(t)
	b.sync(t)
	settled := func(d *waDevice) func() bool {
		return func() bool {
			for _, m := range messages(t, d.s) {
				if m.State() != protocol.WASent {
					return false
				}
			}
			return true
		}
	}
	a.waitFor(t, "both reminders sent", settled(a))
	b.waitFor(t, "both reminders sent, on counter 2", settled(b))
	sent := w.fake.Messages()
	to := map[string]int{}
	for _, m := range sent {
		to[m.To]++
	}
	if len(sent) != 2 || to["919811111111"] != 1 || to["919822222222"] != 1 {
		t.Fatalf("sent %+v", sent)
	}
	// Applied again the same day: nothing more.
	if res, applied, err := a.s.ApplyReminderRule(ctx, time.Now()); err != nil || applied || len(res.Queued) != 0 {
		t.Fatalf("applied twice: %+v %v %v", res, applied, err)
	}
	// The preview shows each customer's last reminder and the next day.
	plan, err := b.s.PreviewReminderRule(ctx, messaging.DefaultRule, time.Now())
	if err != nil || len(plan) != 2 {
		t.Fatalf("preview %+v %v", plan, err)
	}
	for _, p := range plan {
		if p.Last == nil || p.Last.State() != protocol.WASent || p.Today || p.Next.Before(time.Now()) {
			t.Fatalf("preview of %s: %+v", p.Name, p)
		}
	}
}

// TestRefusedSendsShowFailed: a reminder the server does not send does
// not stay "queued": beyond the month's quota it shows failed with the
// quota's words; refused at the push (the device's role may not send
// reminders there) it shows failed with the server's reason.
func TestRefusedSendsShowFailed(t *testing.T) {
	w := newWAWorld(t, 1, 1, 5)
	a := w.devs[0]
	w.credit(t, a.s, "Bala", "9822222222", 4)
	asha, err := a.s.RemindOnWhatsApp(ctx, "Asha")
	if err != nil {
		t.Fatal(err)
	}
	bala, err := a.s.RemindOnWhatsApp(ctx, "Bala")
	if err != nil {
		t.Fatal(err)
	}
	state := func(id string) store.WAMessage {
		for _, m := range messages(t, a.s) {
			if m.ID == id {
				return m
			}
		}
		t.Fatalf("no message %s", id)
		return store.WAMessage{}
	}
	a.sync(t)
	a.waitFor(t, "both outcomes", func() bool {
		return state(asha.ID).State() != protocol.WAQueued && state(bala.ID).State() != protocol.WAQueued
	})
	// One of the two went; the other is beyond the month's one message.
	over := state(bala.ID)
	if over.State() == protocol.WASent {
		over = state(asha.ID)
	}
	if over.State() != protocol.WAFailed || over.Quota == nil ||
		!strings.Contains(syncapp.StatusWords(over), "not sent. This month's 1 WhatsApp messages are used up") {
		t.Fatalf("beyond the quota: %+v: %s", over, syncapp.StatusWords(over))
	}
	if st := syncapp.WhatsAppState(ctx, a.s, 5*time.Second); st.Status.Used != 1 || st.Status.Limit != 1 || !st.UsedUp(time.Now()) ||
		!strings.HasPrefix(st.QuotaLine(nil), "WhatsApp this month: 1 of 1 messages used. The count starts again on 01-") {
		t.Fatalf("quota %+v: %s", st.Status, st.QuotaLine(nil))
	}
	// The month's messages used up, a send is refused at once, in words.
	sender := &syncapp.WhatsAppSender{Store: a.s}
	if _, err := sender.Remind(ctx, "Asha"); err == nil || !strings.HasPrefix(err.Error(), "This month's 1 WhatsApp messages are used up.") {
		t.Fatalf("a send beyond the quota: %v", err)
	}

	if _, err := a.s.AddStaff(ctx, store.StaffInput{Name: "Meera", Role: staff.Owner, PIN: "2580"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.s.SignIn(ctx, "Meera", "2580"); err != nil {
		t.Fatal(err)
	}
	a.sync(t)
	// The owner is signed in on the counter, but the server was not told
	// (no staff sign-in before the push): there the device is a cashier's.
	m, err := a.s.RemindOnWhatsApp(ctx, "Asha")
	if err != nil {
		t.Fatal(err)
	}
	a.sync(t)
	if got := state(m.ID); got.State() != protocol.WAFailed || !strings.Contains(syncapp.StatusWords(got), "not sent. Not sent on WhatsApp") ||
		!strings.Contains(got.Error, "cashier") {
		t.Fatalf("the refused reminder: %+v", got)
	}
	if len(w.fake.Messages()) != 1 {
		t.Fatalf("sent %+v", w.fake.Messages())
	}
}
