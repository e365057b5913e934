package billing_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ainaukar/naukar/server/billing/razorpay/razorpaytest"
	"github.com/ainaukar/naukar/server/store/storetest"
)

// chromium finds Debian's chromium (.ci/deps.sh installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no chromium on the PATH: run .ci/deps.sh (apt-get install chromium)")
	return ""
}

// TestCheckoutPageInChromium loads our checkout page in headless Chromium:
// it hands Razorpay Checkout our key id and the right subscription, is
// worked from the keyboard, and on Checkout's success posts the signed
// fields to verify, which turns the plan on.
func TestCheckoutPageInChromium(t *testing.T) {
	fake := razorpaytest.New(t)
	e := paidEnv(t, storetest.Stores[0].Open, fake)
	s := e.signup()
	res := e.subscribe(s, "pro")

	alloc, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.Flag("headless", "new"))...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 60*time.Second)
	defer cancel()

	fail := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("checkout page in chromium, %s: %v", what, err)
		}
	}
	fail("load", chromedp.Do(bctx, chromedp.Navigate(res.CheckoutURL), chromedp.WaitVisible("#pay")))
	shown, err := chromedp.Run(bctx, chromedp.Text("#subscription"))
	fail("read the subscription", err)
	// The pay button has the focus: Enter pays.
	fail("press Enter", chromedp.Do(bctx, chromedp.KeyEvent(kb.Enter)))
	_, err = chromedp.Run(bctx, chromedp.Poll[bool](`document.getElementById("result").textContent.indexOf("Pro plan") >= 0`,
		chromedp.WithPollingTimeout(20*time.Second)))
	fail("wait for the result", err)
	result, err := chromedp.Run(bctx, chromedp.Text("#result"))
	fail("read the result", err)
	optSub, err := chromedp.Run(bctx, chromedp.Evaluate[string](`window.__razorpayOptions.subscription_id`))
	fail("read Checkout's options", err)
	optKey, err := chromedp.Run(bctx, chromedp.Evaluate[string](`window.__razorpayOptions.key`))
	fail("read Checkout's options", err)
	if shown != res.SubscriptionID || optSub != res.SubscriptionID {
		t.Errorf("page shows %q and gives Checkout %q; want %q", shown, optSub, res.SubscriptionID)
	}
	if optKey != fake.KeyID {
		t.Errorf("Checkout got key %q, want our key id %q", optKey, fake.KeyID)
	}
	if !strings.Contains(result, "now on the Pro plan") {
		t.Errorf("result %q", result)
	}
	if got := e.status(s); got.Plan != "pro" || got.Status != "active" {
		t.Errorf("after paying in the browser: %s %s", got.Plan, got.Status)
	}
}
