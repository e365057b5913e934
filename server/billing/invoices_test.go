package billing_test

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/billing"
	"github.com/ainaukar/naukar/server/billing/razorpay"
	"github.com/ainaukar/naukar/server/billing/razorpay/razorpaytest"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestChargeInvoices: every charge Razorpay reports becomes one GST tax
// invoice from us to the shop (a duplicate report, even under another
// event id, none more), listed and downloadable as a PDF whose text names
// both parties, the number and the tax.
func TestChargeInvoices(t *testing.T) {
	fake := razorpaytest.New(t)
	rzp := razorpay.New(fake.URL, fake.KeyID, fake.KeySecret)
	cfg := plans.Defaults()
	for i, p := range cfg.Plans {
		if p.Paid() {
			rp, err := rzp.CreatePlan(ctx, razorpay.PlanRequest{Period: "monthly", Interval: 1, Item: razorpay.Item{Name: p.Name, Amount: p.PricePaise, Currency: "INR"}})
			if err != nil {
				t.Fatal(err)
			}
			cfg.Plans[i].RazorpayPlanID = rp.ID
		}
	}
	e := newEnv(t, storetest.Stores[0].Open, billing.Config{Plans: cfg, Razorpay: rzp, WebhookSecret: fake.WebhookSecret,
		Seller: plans.Seller{Name: "AI Naukar Technologies Pvt Ltd", GSTIN: "29AAGCB1286Q1Z4", Address: "Koramangala, Bengaluru", SAC: "998315"}})
	s := e.signup() // Kumar Kirana, Maharashtra (27), GSTIN 27AAPFU0939F1ZV
	sub := e.subscribe(s, "pro").SubscriptionID
	fake.SetStatus(sub, "active")
	first, sig1, id1 := fake.Event("subscription.charged", sub, "", e.now(), 49900)
	second, sig2, id2 := fake.Event("subscription.charged", sub, "", e.now().Add(time.Minute), 49900)
	e.webhook(first, sig1, id1, 200)
	e.webhook(second, sig2, id2, 200)
	e.webhook(first, sig1, "evt_same_charge_again", 200)
	e.waitProcessed([]sent{{id: id1}, {id: id2}, {id: "evt_same_charge_again"}})

	var list struct {
		Invoices []protocol.BillingInvoice `json:"invoices"`
	}
	if code, body := e.call("GET", "/v1/billing/invoices", s.token, nil, &list); code != 200 {
		t.Fatal(code, body)
	}
	if len(list.Invoices) != 2 {
		t.Fatalf("%d invoices, want 2: %+v", len(list.Invoices), list.Invoices)
	}
	numbers := map[string]bool{}
	for _, inv := range list.Invoices {
		numbers[inv.Number] = true
		if inv.TotalPaise != 49900 || inv.TaxPaise != 7612 || inv.Plan != "Pro" {
			t.Errorf("invoice %+v", inv)
		}
	}
	fy := plans.FinancialYear(e.now())
	if !numbers["AIN/"+fy+"/00001"] || !numbers["AIN/"+fy+"/00002"] {
		t.Errorf("numbers %v", numbers)
	}

	req, _ := http.NewRequest("GET", e.srv.URL+list.Invoices[1].DownloadURL, nil)
	req.Header.Set("Authorization", "Bearer "+s.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("download: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	file := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext (poppler-utils): %v %s", err, out)
	}
	for _, want := range []string{"Tax Invoice", list.Invoices[1].Number, "AI Naukar Technologies Pvt Ltd", "GSTIN 29AAGCB1286Q1Z4",
		"Kumar Kirana", "GSTIN 27AAPFU0939F1ZV", "Maharashtra", "998315", "IGST 18%", "₹422.88", "₹76.12", "₹499.00",
		"Four Hundred Ninety Nine"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, out)
		}
	}
	// Another shop cannot read it.
	other := e.signup()
	if code, _ := e.call("GET", list.Invoices[1].DownloadURL, other.token, nil, nil); code != 404 {
		t.Errorf("another shop's download: %d, want 404", code)
	}
}
