package planview_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/app/ui/planview"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/billing"
	"github.com/ainaukar/naukar/server/billing/razorpay"
	"github.com/ainaukar/naukar/server/billing/razorpay/razorpaytest"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/plans"
	srvstore "github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// server starts a sync server with the billing module and a fake Razorpay.
func server(t *testing.T) (string, *razorpaytest.Fake, *srvstore.DB) {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := srvstore.OpenSQLite(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fake := razorpaytest.New(t)
	rzp := razorpay.New(fake.URL, fake.KeyID, fake.KeySecret)
	cfg := plans.Defaults()
	for i, p := range cfg.Plans {
		if p.Paid() {
			rp, err := rzp.CreatePlan(context.Background(), razorpay.PlanRequest{Period: "monthly", Interval: 1,
				Item: razorpay.Item{Name: p.Name, Amount: p.PricePaise, Currency: "INR"}})
			if err != nil {
				t.Fatal(err)
			}
			cfg.Plans[i].RazorpayPlanID = rp.ID
		}
	}
	q := jobs.New(db, jobs.Config{Logger: quiet, PollInterval: 50 * time.Millisecond, SoleInstance: true})
	counter := plans.NewCounter(db, cfg, nil)
	mod := billing.New(billing.Config{Store: db, Plans: cfg, Counter: counter, Logger: quiet, Razorpay: rzp,
		WebhookSecret: fake.WebhookSecret, Queue: q, Seller: plans.Seller{Name: "AI Naukar", GSTIN: "29AAGCB1286Q1Z4", SAC: "998315"}})
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{Store: db, Logger: quiet, BcryptCost: 4, Modules: []api.Module{mod}, DeviceLimits: counter}))
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
		db.Close()
	})
	return srv.URL, fake, db
}

// ui runs the view's background results on the test goroutine, which
// stands in for the UI goroutine.
type ui struct{ fns chan func() }

func (u ui) do(f func()) { u.fns <- f }

// until runs UI work until cond holds (20 s at most).
func (u ui) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for !cond() {
		select {
		case f := <-u.fns:
			f()
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestPlanScreen: the screen shows the plan and use from a real server;
// paying for Pro from it opens our checkout page, and after paying Refresh
// shows Pro; a charge's invoice is listed and saved as a PDF.
func TestPlanScreen(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	srvURL, fake, db := server(t)
	if _, err := client.NewClient(srvURL).Signup(t.Context(), protocol.SignupRequest{Owner: protocol.SignupOwner{Name: "Ravi", Email: "ravi.plan@example.com", Phone: "9876543299", Password: "correct horse"},
		Business: protocol.SignupBusiness{Name: "Sharma Stores", StateCode: "27"}, AgeConfirmed: true, TermsAccepted: true}); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(filepath.Join(t.TempDir(), "books.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Init(books.Business{Name: "Sharma Stores", StateCode: "27"}); err != nil {
		t.Fatal(err)
	}
	if _, err := syncapp.Login(t.Context(), s, srvURL, "ravi.plan@example.com", "correct horse", "Counter 1"); err != nil {
		t.Fatal(err)
	}

	a := test.NewTempApp(t)
	w := a.NewWindow("plan")
	u := ui{fns: make(chan func(), 16)}
	var opened *url.URL
	v := planview.New(w, syncapp.Plans{Store: s}, func(p *url.URL) error { opened = p; return nil }, u.do)
	w.SetContent(v)
	u.until(t, "the plan", func() bool { return strings.HasPrefix(v.Status.Text, "Free plan") })
	if v.Devices.Value != 0.5 || v.CancelB.Disabled() == false {
		t.Errorf("devices bar %v (1 of 2), cancel enabled %v", v.Devices.Value, !v.CancelB.Disabled())
	}
	if v.Choose.Selected == "" || !strings.HasPrefix(v.Choose.Selected, "Pro — ₹499.00 a month: 5 devices") {
		t.Errorf("plan offered first: %q", v.Choose.Selected)
	}

	test.Tap(v.Upgrade)
	u.until(t, "the checkout page", func() bool { return opened != nil })
	if !strings.HasPrefix(opened.String(), srvURL+"/billing/checkout/") || !strings.Contains(v.Msg.Text, "opened in your browser") {
		t.Fatalf("opened %v, message %q", opened, v.Msg.Text)
	}
	// Pay as the checkout page would.
	res, err := http.Get(opened.String())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	sub := string(page)[strings.Index(string(page), `id="subscription">`)+len(`id="subscription">`):]
	sub = sub[:strings.Index(sub, "<")]
	pay, sig := fake.Pay(sub)
	tok := opened.Path[strings.LastIndex(opened.Path, "/")+1:]
	body := `{"checkout":"` + tok + `","razorpay_payment_id":"` + pay + `","razorpay_subscription_id":"` + sub + `","razorpay_signature":"` + sig + `"}`
	if r, err := http.Post(srvURL+"/v1/billing/verify", "application/json", strings.NewReader(body)); err != nil || r.StatusCode != 200 {
		t.Fatalf("verify: %v %v", r, err)
	}
	// A charge reported by webhook gives an invoice.
	ev, evSig, evID := fake.Event("subscription.charged", sub, "", time.Now(), 49900)
	req, _ := http.NewRequest("POST", srvURL+"/v1/webhooks/razorpay", strings.NewReader(string(ev)))
	req.Header.Set("X-Razorpay-Signature", evSig)
	req.Header.Set("X-Razorpay-Event-Id", evID)
	if r, err := http.DefaultClient.Do(req); err != nil || r.StatusCode != 200 {
		t.Fatalf("webhook: %v %v", r, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, _, done, _ := db.Event(t.Context(), evID); done || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}

	test.Tap(v.RefreshB)
	u.until(t, "Pro", func() bool { return strings.HasPrefix(v.Status.Text, "Pro plan — active, paid until") })
	if v.CancelB.Disabled() || v.List.Length() != 1 {
		t.Errorf("cancel disabled %v, %d invoices", v.CancelB.Disabled(), v.List.Length())
	}
	v.List.Select(0)
	file := filepath.Join(t.TempDir(), "invoice.pdf")
	invs, _ := syncapp.Plans{Store: s}.Invoices(t.Context())
	v.SaveTo(invs[0], file)
	u.until(t, "the PDF saved", func() bool { return strings.Contains(v.Msg.Text, "saved to") })
	if b, err := os.ReadFile(file); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Errorf("saved PDF: %v", err)
	}
}
