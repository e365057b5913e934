package cli_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/whatsapp"
	"github.com/ainaukar/naukar/server/whatsapp/whatsapptest"
)

// whatsappServer starts a sync server sending WhatsApp through a fake
// Graph API; while offline is set its connections drop, as with no
// internet at the shop.
func whatsappServer(t *testing.T) (string, *whatsapptest.Graph, *atomic.Bool) {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	fake := whatsapptest.New(t)
	db, err := store.OpenSQLite(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	q := jobs.New(db, jobs.Config{Logger: quiet, PollInterval: 50 * time.Millisecond, SoleInstance: true})
	wa := whatsapp.New(whatsapp.Config{Store: db, Queue: q, Logger: quiet, Settings: whatsapp.Settings{APIURL: fake.Base(), Token: fake.Token,
		PhoneNumberID: fake.PhoneID, AppSecret: fake.AppSecret, VerifyToken: "v", TemplateInvoice: whatsapp.DefaultTemplateInvoice,
		TemplateReminder: whatsapp.DefaultTemplateReminder, TemplateLang: "en", Rate: 100}})
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := api.New(api.Config{Store: db, Logger: quiet, BcryptCost: 4, Modules: []api.Module{wa}})
	offline := new(atomic.Bool)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if offline.Load() {
			c, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				c.Close()
			}
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
		db.Close()
	})
	return srv.URL, fake, offline
}

type waStatus struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Invoice string `json:"invoice"`
	Party   string `json:"party"`
	To      string `json:"to"`
	Status  string `json:"status"`
	Error   string `json:"error"`
}

// TestWhatsAppOfflineThenSync: without a sync server the CLI hands out a
// wa.me link; signed in, an invoice sent while the counter is offline
// waits in the books (status queued), goes when sync works again, and its
// status reaches a second counter; STOP stops reminders, shown as such.
func TestWhatsAppOfflineThenSync(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	books := setup(t)
	sale := `{"date":"2026-10-06","party":{"name":"Reddy Traders","gstin":"29AABCR1718E1ZL"},"lines":[{"sku":"SALT1","qty":2}]}`
	inv := decode[invoiceJSON](t, mustRun(t, books, sale, "sell", "--json", "-"))

	out := mustRun(t, books, "", "whatsapp", "send", inv.Number)
	if !strings.Contains(out, "not signed in") || !strings.Contains(out, "https://wa.me/919845012345?text=Thank+you+for+shopping+at+Sharma+Stores") {
		t.Fatalf("not connected: %s", out)
	}
	wantFail(t, run(t, books, "", "whatsapp", "send", inv.Number, "--to", "12345"), 1, "not an Indian mobile number")

	url, fake, offline := whatsappServer(t)
	mustRun(t, books, "", "sync", "signup", "--server", url, "--name", "Ravi Sharma", "--email", "ravi@example.in",
		"--phone", "9876543210", "--password", "correct horse", "--business-name", "Sharma Stores", "--state", "27")
	mustRun(t, books, "", "sync", "login", "--server", url, "--login", "ravi@example.in", "--password", "correct horse", "--device-name", "Counter 1")
	mustRun(t, books, "", "sync")

	offline.Store(true)
	if out := mustRun(t, books, "", "whatsapp", "send", inv.Number); !strings.Contains(out, "WhatsApp to 919845012345: Offline — queued; it will be sent when this counter is online again.") {
		t.Fatalf("send offline: %s", out)
	}
	st := decode[[]waStatus](t, mustRun(t, books, "", "whatsapp", "status", "--json"))
	if len(st) != 1 || st[0].Status != "queued" || st[0].Kind != "invoice" || st[0].Invoice != inv.Number || st[0].Party != "Reddy Traders" ||
		st[0].To != "919845012345" || st[0].Error != "" || st[0].ID == "" {
		t.Fatalf("status offline: %+v", st)
	}
	if r := run(t, books, "", "sync"); r.code == 0 {
		t.Fatalf("sync offline succeeded: %s", r.stdout)
	}
	if len(fake.Messages()) != 0 {
		t.Fatal("a message went while the counter was offline")
	}

	offline.Store(false)
	mustRun(t, books, "", "sync")
	deadline := time.Now().Add(20 * time.Second)
	for len(fake.Messages()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the queued invoice was not sent after sync")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if m := fake.Messages()[0]; m.To != "919845012345" || m.Template != "naukar_invoice" || m.Body[1] != inv.Number {
		t.Fatalf("sent %+v", m)
	}
	mustRun(t, books, "", "sync")
	if st := decode[[]waStatus](t, mustRun(t, books, "", "whatsapp", "status", "--json")); st[0].Status != "sent" {
		t.Fatalf("after sync: %+v", st)
	}
	second := filepath.Join(t.TempDir(), "second.db")
	mustRun(t, second, "", "sync", "login", "--server", url, "--login", "ravi@example.in", "--password", "correct horse", "--device-name", "Counter 2")
	mustRun(t, second, "", "sync")
	if st := decode[[]waStatus](t, mustRun(t, second, "", "whatsapp", "status", "--json")); len(st) != 1 || st[0].Status != "sent" {
		t.Fatalf("on the second counter: %+v", st)
	}

	// A reminder, then the customer's STOP: the next reminder is refused
	// in words, and "remind all" skips them.
	if out := mustRun(t, books, "", "whatsapp", "remind", "Reddy Traders"); !strings.Contains(out, "Reminder to Reddy Traders") {
		t.Fatalf("remind: %s", out)
	}
	mustRun(t, books, "", "sync")
	for len(fake.Messages()) < 2 {
		if time.Now().After(deadline.Add(20 * time.Second)) {
			t.Fatal("the reminder was not sent")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if st := whatsapptest.Post(t, url+"/v1/webhooks/whatsapp", fake.AppSecret,
		fake.Envelope(whatsapptest.TextValue("919845012345", "STOP", time.Now().Unix(), fake.Messages()[1].WAMID))); st != 200 {
		t.Fatalf("webhook: HTTP %d", st)
	}
	mustRun(t, books, "", "sync")
	wantFail(t, run(t, books, "", "whatsapp", "remind", "Reddy Traders"), 1, "replied STOP")
	if out := mustRun(t, books, "", "whatsapp", "remind", "--all"); !strings.Contains(out, "0 reminders queued") || !strings.Contains(out, "Skipped Reddy Traders") {
		t.Fatalf("remind --all: %s", out)
	}
	if out := mustRun(t, books, "", "whatsapp", "remind", "--rule", "--preview"); !strings.Contains(out, "Reddy Traders") || !strings.Contains(out, "skipped: replied STOP") {
		t.Fatalf("preview: %s", out)
	}
	wantFail(t, run(t, books, "", "whatsapp", "consent", "98450 12345"), 1, "has not written to you since")
}

// TestWhatsAppRule: the shop's reminder rule is shown, set (checked), used
// by `remind --rule --preview` and turned off.
func TestWhatsAppRule(t *testing.T) {
	books := setup(t)
	if out := mustRun(t, books, "", "whatsapp", "rule"); !strings.Contains(out, "No automatic reminders") {
		t.Fatalf("none: %s", out)
	}
	wantFail(t, run(t, books, "", "whatsapp", "rule", "--every", "0"), 1, "every 1 to 365 days")
	wantFail(t, run(t, books, "", "whatsapp", "rule", "--off", "--max", "2"), 2, "give --off, or the rule's days")
	if out := mustRun(t, books, "", "whatsapp", "rule", "--after", "5", "--every", "10", "--max", "2"); !strings.Contains(out, "5 days after the bill, then every 10 days, at most 2") {
		t.Fatalf("set: %s", out)
	}
	if out := mustRun(t, books, "", "whatsapp", "rule", "--json"); strings.TrimSpace(out) != `{
  "rule": {
    "after_days": 5,
    "every_days": 10,
    "max": 2
  }
}` {
		t.Fatalf("json: %s", out)
	}
	if out := mustRun(t, books, "", "whatsapp", "remind", "--rule", "--preview"); !strings.Contains(out, "Rule: 5 days after the bill, then every 10 days, at most 2.") {
		t.Fatalf("preview: %s", out)
	}
	if out := mustRun(t, books, "", "whatsapp", "rule", "--off", "--json"); strings.TrimSpace(out) != `{
  "rule": null
}` {
		t.Fatalf("off: %s", out)
	}
}
