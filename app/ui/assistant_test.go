package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/app/assistant"
	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/ui"
	"github.com/ainaukar/naukar/server/ai"
	"github.com/ainaukar/naukar/server/ai/anthropictest"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/quota"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// aiQuota allows limit questions a month per business.
type aiQuota struct {
	mu    sync.Mutex
	limit int
	used  int
}

func (q *aiQuota) Use(_ context.Context, _ string, f quota.Feature, n int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.used+n > q.limit {
		return quota.Exceeded(f, q.limit, demo.Today)
	}
	q.used += n
	return nil
}

func (q *aiQuota) Refund(_ context.Context, _ string, _ quota.Feature, n int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.used -= n
	return nil
}

// aiServer is our server (the real handler with the AI module) on
// loopback, reaching a fake Anthropic API, with this counter signed in.
type aiServer struct {
	url, token string
	fake       *anthropictest.Server
	quota      *aiQuota
	srv        *httptest.Server
}

func newAIServer(t *testing.T) *aiServer { return newAIServerKey(t, "sk-ant-test") }

// newAIServerKey is newAIServer with the server's key ("": not configured).
func newAIServerKey(t *testing.T, key string) *aiServer {
	t.Helper()
	s := &aiServer{fake: anthropictest.New(t, "sk-ant-test"), quota: &aiQuota{limit: 100}}
	db := storetest.SQLite(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := ai.Config{Store: db, Quota: s.quota, Model: "claude-test", APIKey: key, BaseURL: s.fake.URL, Logger: log}
	s.srv = httptest.NewServer(api.New(api.Config{Store: db, Logger: log, BcryptCost: bcrypt.MinCost, Modules: []api.Module{ai.New(cfg)}}))
	t.Cleanup(s.srv.Close)
	s.url = s.srv.URL
	post := func(path string, body, out any) {
		b, _ := json.Marshal(body)
		res, err := http.Post(s.url+path, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode/100 != 2 {
			msg, _ := io.ReadAll(res.Body)
			t.Fatalf("%s: %d %s", path, res.StatusCode, msg)
		}
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	var su protocol.SignupResponse
	post("/v1/signup", protocol.SignupRequest{Owner: protocol.SignupOwner{Name: "Ramesh Kumar", Email: "owner@example.in", Phone: "9876543210", Password: "correct horse"},
		Business: protocol.SignupBusiness{Name: "Kumar Kirana", StateCode: "27"}, AgeConfirmed: true, TermsAccepted: true}, &su)
	var lr protocol.LoginResponse
	post("/v1/login", protocol.LoginRequest{Login: "owner@example.in", Password: "correct horse", DeviceName: "Counter 1"}, &lr)
	s.token = lr.Token
	return s
}

// kiranaBooks makes a small shop's books: Sugar, Parle-G, a customer who
// owes money.
func kiranaBooks(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "books.db")
	st, err := store.Open(path, store.Options{Now: func() time.Time { return demo.Today }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = st.Init(books.Business{Name: "Kumar Kirana", StateCode: "27", GSTIN: "27AAPFU0939F1ZV", InvoicePrefix: "KK", City: "Pune"})
	must(err)
	for _, p := range []books.Product{
		{Name: "Sugar", SKU: "SUG1", HSN: "1701", Unit: "KGS", SalePrice: 45_00, GSTRate: 500, OpeningStock: 50_000},
		{Name: "Parle-G Biscuit 100g", SKU: "PG100", HSN: "1905", Unit: "PCS", SalePrice: 10_00, GSTRate: 1800, OpeningStock: 200_000},
		{Name: "Basmati Rice", SKU: "RICE1", HSN: "1006", Unit: "KGS", SalePrice: 90_00, GSTRate: 500, OpeningStock: 8_000},
	} {
		_, err := st.SaveProduct(p)
		must(err)
	}
	_, err = st.SaveParty(books.Party{Name: "Ramesh Gupta", Kind: books.Customer, Phone: "9823456789", StateCode: "27"})
	must(err)
	_, err = st.SaveParty(books.Party{Name: "Rajesh Sharma", Kind: books.Customer, Phone: "9812345678", StateCode: "27", OpeningBalance: 1250_00})
	must(err)
	return path
}

// aiHarness is the window over kirana books with the assistant reaching
// srv (nil srv: ask gives err).
func aiHarness(t *testing.T, srv *aiServer, wa ui.WhatsApp, err error) *harness {
	t.Helper()
	return newHarnessWith(t, kiranaBooks(t), func(st *store.Store) ui.Options {
		return ui.Options{WhatsApp: wa, Assistant: func() (ui.Asker, error) {
			if err != nil {
				return nil, err
			}
			return &assistant.Assistant{Store: st, Reports: reports.New(st), Model: assistant.NewServerModel(srv.url, srv.token, nil)}, nil
		}}
	})
}

// ask opens the assistant with its key, types q and presses Enter, and
// runs the UI's work until the answer is done; it returns each answer
// text the pane showed on the way.
func (h *harness) ask(q string) []string {
	h.t.Helper()
	h.press(ui.ActAssistant)
	if h.App.Current() != ui.ActAssistant {
		h.t.Fatalf("Alt+0 shows %s", h.App.Current())
	}
	box := h.focused()
	if box != h.App.Assist.Question {
		h.t.Fatal("the focus is not in the question box")
	}
	box.SetText("")
	test.Type(box, q)
	h.key(fyne.KeyReturn)
	if !h.App.Assist.Asking() {
		h.t.Fatalf("Enter did not ask (problem %q)", h.App.Assist.Problem.Text)
	}
	var seen []string
	deadline := time.After(20 * time.Second)
	for h.App.Assist.Asking() {
		select {
		case f := <-h.queue:
			f()
			if a := h.App.Assist.Answer(); len(seen) == 0 || seen[len(seen)-1] != a {
				seen = append(seen, a)
			}
		case <-deadline:
			h.t.Fatalf("timed out waiting for the answer to %q", q)
		}
	}
	h.settle("the rest", func() bool { return true })
	return seen
}

// TestAssistantPaneAnswersAndDraftsABill: by keys only, a Hinglish
// question goes through our server to the (fake) model, the answer shows
// as it streams, the step says what was looked up, and the drafted sale
// opens on the billing screen with the right products, quantities and
// customer, nothing saved until Ctrl+S there.
func TestAssistantPaneAnswersAndDraftsABill(t *testing.T) {
	srv := newAIServer(t)
	srv.fake.Script(
		anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text("Bill bana raha hoon."),
			anthropictest.ToolUse("draft_sale", map[string]any{"party": "Ramesh", "lines": []any{
				map[string]any{"item": "cheeni", "qty": 2}, map[string]any{"item": "Parle-G", "qty": 1}}})}},
		anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text("Ramesh Gupta ke naam bill taiyaar hai: Sugar 2 kg (₹90.00) aur Parle-G 1 (₹10.00). Ctrl+O se kholkar check karein aur save karein.")}})
	h := aiHarness(t, srv, nil, nil)
	seen := h.ask("2 kilo cheeni aur 1 Parle-G Ramesh ke naam bill bana do")
	p := h.App.Assist
	final := "Ramesh Gupta ke naam bill taiyaar hai: Sugar 2 kg (₹90.00) aur Parle-G 1 (₹10.00). Ctrl+O se kholkar check karein aur save karein."
	if p.Answer() != final {
		t.Fatalf("answer %q", p.Answer())
	}
	// Streamed: the pane showed the answer growing, piece by piece.
	var partial int
	for _, s := range seen {
		if s != "" && s != final && !strings.Contains(s, "₹10.00). Ctrl+O") {
			partial++
		}
	}
	if partial < 3 {
		t.Fatalf("the answer did not stream (shown: %q)", seen)
	}
	if st := p.Steps(); len(st) != 1 || st[0].Tool != "draft_sale" {
		t.Fatalf("steps %+v", st)
	}
	if got := ui.StepText(p.Steps()[0]); got != "Draft bill: lines cheeni 2; Parle-G 1, party Ramesh" {
		t.Errorf("step shown as %q", got)
	}
	if p.Problem.Visible() {
		t.Fatalf("problem %q", p.Problem.Text)
	}
	if n := h.invoices(); n != 0 {
		t.Fatalf("%d invoices before the draft is opened", n)
	}

	// Copy the answer (Ctrl+Shift+C).
	h.press(ui.ActCopyAnswer)
	if got := fyne.CurrentApp().Clipboard().Content(); got != final {
		t.Fatalf("clipboard %q", got)
	}

	// Ctrl+O: the draft on the billing screen.
	h.press(ui.ActOpenDraft)
	b := h.App.Billing
	h.settle("the draft on the bill", func() bool {
		return h.App.Current() == ui.ActBilling && len(b.Bill.Lines) == 2 && b.Bill.Party != nil
	})
	got := map[string]int64{}
	for _, l := range b.Bill.Lines {
		got[l.Product.Name] = l.Qty
	}
	if got["Sugar"] != 2000 || got["Parle-G Biscuit 100g"] != 1000 || b.Bill.Party.Name != "Ramesh Gupta" {
		t.Fatalf("bill lines %v party %q", got, b.Bill.Party.Name)
	}
	if !strings.Contains(h.App.Status(), "check it") {
		t.Errorf("status %q", h.App.Status())
	}
	if n := h.invoices(); n != 0 {
		t.Fatal("opening the draft saved a bill")
	}
	h.press(ui.ActSaveBill)
	h.settle("the bill saved", func() bool { return h.invoices() == 1 })
	if h.App.Current() != ui.ActBilling || srv.fake.Left() != 0 {
		t.Fatalf("screen %s, %d turns left", h.App.Current(), srv.fake.Left())
	}
}

// remindWhatsApp records reminders sent.
type remindWhatsApp struct {
	fakeWhatsApp
	reminded []string
}

func (f *remindWhatsApp) Remind(_ context.Context, party string) (syncapp.Outcome, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reminded = append(f.reminded, party)
	return syncapp.Outcome{Note: "Queued on WhatsApp to 9812345678: it goes with the next sync."}, nil
}

// TestAssistantPaneDraftsAReminder: a drafted reminder opens the WhatsApp
// send dialog; nothing goes until Ctrl+S there.
func TestAssistantPaneDraftsAReminder(t *testing.T) {
	srv := newAIServer(t)
	srv.fake.Script(
		anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.ToolUse("draft_reminder", map[string]any{"party": "Sharma ji"})}},
		anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text("Sharma ji ko ₹1,250.00 ka reminder taiyaar hai.")}})
	wa := &remindWhatsApp{}
	h := aiHarness(t, srv, wa, nil)
	h.ask("Sharma ji ko reminder bhejo")
	d := h.App.Assist.Drafts()
	if len(d) != 1 || d[0].Reminder == nil || d[0].Reminder.Party != "Rajesh Sharma" || d[0].Reminder.Due != "1250.00" {
		t.Fatalf("drafts %+v", d)
	}
	h.press(ui.ActOpenDraft)
	if !h.App.DialogOpen() {
		t.Fatal("no send dialog")
	}
	send := h.button("Send")
	if send == nil || len(wa.reminded) != 0 {
		t.Fatal("sent before the click")
	}
	h.press(ui.ActSaveBill) // Ctrl+S submits the dialog
	h.settle("the reminder", func() bool { return strings.Contains(h.App.Status(), "Queued on WhatsApp") })
	if len(wa.reminded) != 1 || wa.reminded[0] != d[0].Reminder.PartyID {
		t.Fatalf("reminded %v", wa.reminded)
	}
}

// TestAssistantPaneProblems: every refusal is a plain message in the pane
// (with the way to put it right where there is one), and the rest of the
// app goes on working.
func TestAssistantPaneProblems(t *testing.T) {
	t.Run("NotSignedIn", func(t *testing.T) {
		h := aiHarness(t, nil, nil, assistant.ErrNotSignedIn)
		h.ask("aaj kitna becha?")
		p := h.App.Assist
		if !strings.Contains(p.Problem.Text, "sign in first") || p.FixLabel() != "Open Sync settings" || p.Answer() != "" {
			t.Fatalf("problem %q fix %q", p.Problem.Text, p.FixLabel())
		}
		h.press(ui.ActBilling) // everything else works
		if h.App.Current() != ui.ActBilling {
			t.Fatal("billing not shown")
		}
	})
	t.Run("QuotaUsedUp", func(t *testing.T) {
		srv := newAIServer(t)
		srv.quota.limit = 0
		h := aiHarness(t, srv, nil, nil)
		h.ask("aaj kitna becha?")
		reset := quota.ResetAt(demo.Today).Format("02-01-2006")
		if got := h.App.Assist.Problem.Text; !strings.Contains(got, "used up") || !strings.Contains(got, "start again on "+reset) {
			t.Fatalf("problem %q", got)
		}
	})
	t.Run("RateLimited", func(t *testing.T) {
		srv := newAIServer(t)
		srv.fake.Script(anthropictest.Turn{Status: 429, RetryAfter: "12"})
		h := aiHarness(t, srv, nil, nil)
		h.ask("aaj kitna becha?")
		if got := h.App.Assist.Problem.Text; !strings.Contains(got, "in 12 seconds") {
			t.Fatalf("problem %q", got)
		}
	})
	t.Run("OverloadedMidStream", func(t *testing.T) {
		srv := newAIServer(t)
		srv.fake.Script(anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text("Aaj ki bikri dekh raha hoon")}, FailAfter: 4})
		h := aiHarness(t, srv, nil, nil)
		h.ask("aaj kitna becha?")
		p := h.App.Assist
		if !strings.Contains(p.Problem.Text, "overloaded") || p.Answer() == "" {
			t.Fatalf("problem %q answer %q", p.Problem.Text, p.Answer())
		}
	})
	t.Run("NotConfigured", func(t *testing.T) {
		srv := newAIServerKey(t, "")
		h := aiHarness(t, srv, nil, nil)
		h.ask("aaj kitna becha?")
		if got := h.App.Assist.Problem.Text; !strings.Contains(got, "not set up") {
			t.Fatalf("problem %q", got)
		}
	})
	t.Run("Offline", func(t *testing.T) {
		srv := newAIServer(t)
		srv.srv.Close()
		h := aiHarness(t, srv, nil, nil)
		h.ask("aaj kitna becha?")
		if got := h.App.Assist.Problem.Text; !strings.Contains(got, "cannot reach") {
			t.Fatalf("problem %q", got)
		}
	})
}

// blockingAsker answers nothing until the question is cancelled.
type blockingAsker struct{ started chan struct{} }

func (b blockingAsker) Ask(ctx context.Context, _ string, ev assistant.Events) (*assistant.Answer, error) {
	ev.Text("Dekh")
	close(b.started)
	<-ctx.Done()
	return &assistant.Answer{}, ctx.Err()
}

// TestAssistantPaneEscStops: Esc while the answer is being written stops
// it at once; the question box keeps the focus.
func TestAssistantPaneEscStops(t *testing.T) {
	ba := blockingAsker{started: make(chan struct{})}
	h := newHarnessWith(t, kiranaBooks(t), func(*store.Store) ui.Options {
		return ui.Options{Assistant: func() (ui.Asker, error) { return ba, nil }}
	})
	h.press(ui.ActAssistant)
	test.Type(h.focused(), "aaj kitna becha?")
	h.key(fyne.KeyReturn)
	<-ba.started
	h.settle("the first words", func() bool { return h.App.Assist.Answer() == "Dekh" })
	h.esc()
	p := h.App.Assist
	if p.Asking() || !strings.Contains(p.Problem.Text, "Stopped") || h.focused() != p.Question {
		t.Fatalf("asking %v, problem %q", p.Asking(), p.Problem.Text)
	}
	if h.App.Current() != ui.ActAssistant {
		t.Fatal("Esc left the pane")
	}
}
