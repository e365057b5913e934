package cli_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/billing"
	"github.com/ainaukar/naukar/server/billing/razorpay"
	"github.com/ainaukar/naukar/server/billing/razorpay/razorpaytest"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/secrets"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// billingServer starts a sync server with the billing module and a fake
// Razorpay on loopback.
func billingServer(t *testing.T) (string, *razorpaytest.Fake) {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.OpenSQLite(context.Background(), t.TempDir())
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
	box, err := secrets.New([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	// The shop's own keys (payment links) are checked with the same fake.
	mod := billing.New(billing.Config{Store: db, Plans: cfg, Counter: counter, Logger: quiet, Razorpay: rzp,
		WebhookSecret: fake.WebhookSecret, Queue: q, Secrets: box, ShopAPIURL: fake.URL})
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
	return srv.URL, fake
}

// TestAccountPlanAndSubscribe: `naukar account plan` shows the plan and
// its use (and --json the server's fields); `naukar account subscribe pro`
// prints the checkout page, and after paying the plan shows Pro.
func TestAccountPlanAndSubscribe(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	t.Setenv("NAUKAR_NO_BROWSER", "1")
	url, fake := billingServer(t)
	books := setup(t)
	wantFail(t, run(t, books, "", "account", "plan"), 1, "not signed in")
	mustRun(t, books, "", "sync", "signup", "--server", url, "--name", "Ravi Sharma", "--email", "ravi.plan@example.in",
		"--phone", "9876501234", "--password", "correct horse", "--business-name", "Sharma Stores", "--state", "27")
	mustRun(t, books, "", "sync", "login", "--server", url, "--login", "ravi.plan@example.in", "--password", "correct horse", "--device-name", "Counter 1")

	out := mustRun(t, books, "", "account", "plan")
	for _, want := range []string{"Plan: Free", "Devices signed in: 1 of 2", "WhatsApp messages this month: 0 of 50",
		"AI questions this month: 0 of 30", "pro       ₹499.00 a month incl. GST: 5 devices",
		"start again on " + nextISTMonth()} {
		if !strings.Contains(out, want) {
			t.Errorf("account plan lacks %q:\n%s", want, out)
		}
	}
	var st protocol.BillingStatus
	if err := json.Unmarshal([]byte(mustRun(t, books, "", "account", "plan", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	if st.Plan != "free" || st.Status != "none" || st.Limits.Devices != 2 || st.Used.Devices != 1 {
		t.Errorf("--json: %+v", st)
	}

	wantFail(t, run(t, books, "", "account", "subscribe"), 2, "name the plan")
	wantFail(t, run(t, books, "", "account", "subscribe", "gold"), 1, `no paid plan called "gold"`)
	out = mustRun(t, books, "", "account", "subscribe", "pro")
	i := strings.Index(out, url+"/billing/checkout/")
	if i < 0 {
		t.Fatalf("subscribe printed no checkout page:\n%s", out)
	}
	page := strings.Fields(out[i:])[0]
	// Pay as the page would: Checkout's answer posted to verify.
	res, err := httpGet(page)
	if err != nil {
		t.Fatal(err)
	}
	j := strings.Index(res, `id="subscription">`)
	if j < 0 {
		t.Fatalf("the checkout page names no subscription:\n%s", res)
	}
	subID := res[j+len(`id="subscription">`):]
	subID = subID[:strings.Index(subID, "<")]
	pay, sig := fake.Pay(subID)
	body, _ := json.Marshal(map[string]string{"checkout": page[strings.LastIndex(page, "/")+1:], "razorpay_payment_id": pay,
		"razorpay_subscription_id": subID, "razorpay_signature": sig})
	if code, err := httpPost(url+"/v1/billing/verify", string(body)); err != nil || code != 200 {
		t.Fatalf("verify: %d %v", code, err)
	}
	if out := mustRun(t, books, "", "account", "plan"); !strings.Contains(out, "Plan: Pro (active, paid until") || !strings.Contains(out, "of 500") {
		t.Errorf("after paying:\n%s", out)
	}
}

func httpGet(url string) (string, error) {
	res, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return string(b), err
}

func httpPost(url, body string) (int, error) {
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

// nextISTMonth is the first day of the next month in India, dd-mm-yyyy.
func nextISTMonth() string {
	now := time.Now().In(time.FixedZone("IST", 19800))
	return time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, now.Location()).Format("02-01-2006")
}

// TestAccountPaymentLinks: the owner connects the shop's own Razorpay keys
// from the command line (secrets on standard input, wrong ones refused),
// sees the webhook address to give Razorpay, and disconnects.
func TestAccountPaymentLinks(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	url, fake := billingServer(t)
	books := setup(t)
	mustRun(t, books, "", "sync", "signup", "--server", url, "--name", "Ravi Sharma", "--email", "ravi.links@example.in",
		"--phone", "9876501235", "--password", "correct horse", "--business-name", "Sharma Stores", "--state", "27")
	mustRun(t, books, "", "sync", "login", "--server", url, "--login", "ravi.links@example.in", "--password", "correct horse", "--device-name", "Counter 1")

	if out := mustRun(t, books, "", "account", "payment-links"); !strings.Contains(out, "Payment links are off") {
		t.Errorf("before connecting:\n%s", out)
	}
	wantFail(t, run(t, books, "", "account", "payment-links", "connect"), 2, "give the key id")
	wantFail(t, run(t, books, "only-one-line\n", "account", "payment-links", "connect", "--key-id", fake.KeyID), 2, "one a line")
	wantFail(t, run(t, books, "wrong\nshop-webhook-secret\n", "account", "payment-links", "connect", "--key-id", fake.KeyID), 1, "Razorpay refused these keys")
	out := mustRun(t, books, fake.KeySecret+"\nshop-webhook-secret\n", "account", "payment-links", "connect", "--key-id", fake.KeyID)
	if !strings.Contains(out, "Payment links are on with Razorpay key "+fake.KeyID) || !strings.Contains(out, url+"/v1/webhooks/razorpay/shops/") ||
		strings.Contains(out, fake.KeySecret) {
		t.Errorf("connect:\n%s", out)
	}
	var st protocol.ShopRazorpayStatus
	if err := json.Unmarshal([]byte(mustRun(t, books, "", "account", "payment-links", "--json")), &st); err != nil || !st.Connected || st.KeyID != fake.KeyID {
		t.Errorf("--json: %+v %v", st, err)
	}
	if out := mustRun(t, books, "", "account", "payment-links", "disconnect"); !strings.Contains(out, "Payment links are off") {
		t.Errorf("disconnect:\n%s", out)
	}
}
