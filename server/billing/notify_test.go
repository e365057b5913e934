package billing_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/billing"
	"github.com/ainaukar/naukar/server/billing/razorpay/razorpaytest"
	"github.com/ainaukar/naukar/server/jobs"
	servermail "github.com/ainaukar/naukar/server/mail"
	"github.com/ainaukar/naukar/server/mail/mailtest"
	"github.com/ainaukar/naukar/server/privacy"
	"github.com/ainaukar/naukar/server/store/storetest"
)

// TestBillingEmails: a subscription's life told to the owner by email, on
// a real SMTP server: the plan started, each payment received (with our
// invoice number), each payment that failed (with the end of the grace
// period), the recovery and the cancellation; Razorpay delivering the
// events again sends nothing twice.
func TestBillingEmails(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			ss := mailtest.Start(t)
			fake := razorpaytest.New(t)
			withMail := envOpt(func(e *env, q *jobs.Queue, cfg *billing.Config) {
				mailer, err := servermail.New(ss.URL(), "AI Naukar <billing@example.in>")
				if err != nil {
					t.Fatal(err)
				}
				svc, err := privacy.New(privacy.Config{Store: e.db, Queue: q, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
					ExportDir: t.TempDir(), Mail: mailer, Now: e.now})
				if err != nil {
					t.Fatal(err)
				}
				cfg.Notifier = svc
			})
			e := paidEnv(t, st.Open, fake, withMail)
			s := e.signup()
			sub := e.subscribe(s, "pro").SubscriptionID
			evs := lifecycle(fake, sub, e.now().Add(-time.Hour))
			for _, ev := range evs {
				e.webhook(ev.body, ev.sig, ev.id, 200)
				e.waitProcessed([]sent{ev})
			}
			// authenticated: plan started; active: nothing new; charged:
			// received; pending: failed; charged: back on the plan and
			// received; halted: failed; cancelled: plan ended.
			want := []string{"Your AI Naukar plan: Pro", "Payment received: Pro plan", "Payment failed for your Pro plan",
				"Your AI Naukar plan: Pro", "Payment received: Pro plan", "Payment failed for your Pro plan", "Your AI Naukar plan: Pro"}
			got := ss.WaitFor(t, len(want))
			// Again, under new ids (Razorpay retries): nothing more.
			for i, ev := range evs {
				id := ev.id + "-again"
				e.webhook(ev.body, ev.sig, id, 200)
				evs[i].id = id
			}
			e.waitProcessed(evs)
			time.Sleep(300 * time.Millisecond) // a second email would have come by now
			got = ss.Messages()
			if len(got) != len(want) {
				for _, m := range got {
					t.Log(m.Header.Get("Subject"))
				}
				t.Fatalf("%d emails, want %d", len(got), len(want))
			}
			invoices, err := e.db.Invoices(ctx, s.id)
			if err != nil || len(invoices) != 2 {
				t.Fatalf("invoices %v %v", invoices, err)
			}
			subjects := map[string]int{}
			for _, m := range got {
				if m.To != s.email {
					t.Errorf("email to %s, want the owner %s", m.To, s.email)
				}
				subj := m.Header.Get("Subject")
				subjects[subj]++
				switch {
				case strings.HasPrefix(subj, "Payment received"):
					if !strings.Contains(m.Body, "499.00") || !(strings.Contains(m.Body, invoices[0].Number) || strings.Contains(m.Body, invoices[1].Number)) {
						t.Errorf("payment received: %s", m.Body)
					}
				case strings.HasPrefix(subj, "Payment failed"):
					if !strings.Contains(m.Body, "stays in force until") {
						t.Errorf("payment failed: %s", m.Body)
					}
				}
			}
			wantCount := map[string]int{}
			for _, w := range want {
				wantCount[w]++
			}
			for k, n := range wantCount {
				if subjects[k] != n {
					t.Errorf("%d emails %q, want %d (all: %v)", subjects[k], k, n, subjects)
				}
			}
		})
	}
}
