package billing_test

import (
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/billing/razorpay/razorpaytest"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// webhook posts a webhook and checks the status; it returns the body.
func (e *env) webhook(body []byte, sig, eventID string, want int) string {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+"/v1/webhooks/razorpay", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Razorpay-Signature", sig)
	req.Header.Set("X-Razorpay-Event-Id", eventID)
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		e.t.Fatalf("webhook %s: %d %s, want %d", eventID, res.StatusCode, raw, want)
	}
	if d := time.Since(start); d > 5*time.Second {
		e.t.Errorf("webhook answered in %s; Razorpay waits 5 s", d)
	}
	return string(raw)
}

type sent struct {
	body     []byte
	sig, id  string
	event    string
	status   string
	at       time.Time
	wantPlan string
}

// lifecycle builds a subscription's life: authenticated, activated,
// charged, pending, charged again (recovered), halted, cancelled, each a
// minute after the one before.
func lifecycle(fake *razorpaytest.Fake, sub string, start time.Time) []sent {
	steps := []struct{ event, status string }{
		{"subscription.authenticated", "authenticated"},
		{"subscription.activated", "active"},
		{"subscription.charged", "active"},
		{"subscription.pending", "pending"},
		{"subscription.charged", "active"},
		{"subscription.halted", "halted"},
		{"subscription.cancelled", "cancelled"},
	}
	var out []sent
	for i, s := range steps {
		at := start.Add(time.Duration(i) * time.Minute)
		amount := int64(0)
		if s.event == "subscription.charged" {
			amount = 49900
		}
		body, sig, id := fake.Event(s.event, sub, s.status, at, amount)
		out = append(out, sent{body: body, sig: sig, id: id, event: s.event, status: s.status, at: at})
	}
	return out
}

// waitProcessed waits for the events' jobs.
func (e *env) waitProcessed(evs []sent) {
	e.t.Helper()
	for _, ev := range evs {
		e.eventually("event "+ev.event+" processed", func() bool {
			_, _, done, err := e.db.Event(ctx, ev.id)
			return err == nil && done
		})
	}
}

// TestWebhookLifecycle: every event of a subscription's life in order, out
// of order and duplicated ends in the same state; an older pending never
// undoes a newer active; forged signatures are refused with nothing
// stored; replays change nothing.
func TestWebhookLifecycle(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			fake := razorpaytest.New(t)
			e := paidEnv(t, st.Open, fake)
			start := e.now().Add(-time.Hour)

			t.Run("InOrder", func(t *testing.T) {
				s := e.signup()
				sub := e.subscribe(s, "pro").SubscriptionID
				want := []string{"authenticated", "active", "active", "pending", "active", "halted", "cancelled"}
				for i, ev := range lifecycle(fake, sub, start) {
					e.webhook(ev.body, ev.sig, ev.id, 200)
					e.waitProcessed([]sent{ev})
					if got := e.status(s); got.Status != want[i] || got.Subscribed != "pro" {
						t.Errorf("after %s: status %s plan %s, want %s", ev.event, got.Status, got.Subscribed, want[i])
					}
				}
				if got := e.status(s); got.Plan != "pro" || got.GraceEnds == nil {
					t.Errorf("cancelled, within grace: %+v", got)
				}
			})
			t.Run("OutOfOrderAndDuplicated", func(t *testing.T) {
				s := e.signup()
				sub := e.subscribe(s, "pro").SubscriptionID
				evs := lifecycle(fake, sub, start)
				evs = evs[:5] // up to the recovery: active
				order := rand.Perm(len(evs))
				for _, i := range order {
					e.webhook(evs[i].body, evs[i].sig, evs[i].id, 200)
				}
				for _, i := range order { // Razorpay delivers at least once.
					e.webhook(evs[i].body, evs[i].sig, evs[i].id, 200)
				}
				e.waitProcessed(evs)
				got := e.status(s)
				if got.Status != "active" || got.Plan != "pro" {
					t.Errorf("order %v: ended %s on %s, want active on pro", order, got.Status, got.Plan)
				}
				// An old pending, delivered late, never undoes the newer active.
				late, sig, id := fake.Event("subscription.pending", sub, "pending", start.Add(150*time.Second), 0)
				e.webhook(late, sig, id, 200)
				e.waitProcessed([]sent{{id: id, event: "late pending"}})
				if got := e.status(s); got.Status != "active" {
					t.Errorf("a late pending made it %s", got.Status)
				}
				// A duplicate of an applied event is acknowledged as one.
				if body := e.webhook(evs[0].body, evs[0].sig, evs[0].id, 200); !strings.Contains(body, `"duplicate":true`) {
					t.Errorf("duplicate answered %s", body)
				}
			})
			t.Run("CancelledIsFinal", func(t *testing.T) {
				s := e.signup()
				sub := e.subscribe(s, "pro").SubscriptionID
				evs := lifecycle(fake, sub, start)
				last := evs[len(evs)-1]
				e.webhook(last.body, last.sig, last.id, 200)
				e.waitProcessed([]sent{last})
				for _, ev := range evs[:len(evs)-1] {
					e.webhook(ev.body, ev.sig, ev.id, 200)
				}
				e.waitProcessed(evs)
				if got := e.status(s); got.Status != "cancelled" {
					t.Errorf("status %s, want cancelled", got.Status)
				}
				// A replay: the same event again under a new id.
				e.webhook(evs[1].body, evs[1].sig, "evt_replayed", 200)
				e.waitProcessed([]sent{{id: "evt_replayed"}})
				if got := e.status(s); got.Status != "cancelled" {
					t.Errorf("a replayed activation made it %s", got.Status)
				}
			})
			t.Run("ErrForgedSignature", func(t *testing.T) {
				s := e.signup()
				sub := e.subscribe(s, "pro").SubscriptionID
				body, sig, id := fake.Event("subscription.activated", sub, "active", start, 0)
				forged := strings.Replace(string(body), `"status":"active"`, `"status":"active","x":1`, 1)
				for name, c := range map[string]struct{ body, sig string }{
					"BodyChanged": {forged, sig},
					"NoSignature": {string(body), ""},
					"OtherSecret": {string(body), strings.Repeat("ab", 32)},
				} {
					out := e.webhook([]byte(c.body), c.sig, id+name, 400)
					if !strings.Contains(out, protocol.CodeInvalid) {
						t.Errorf("%s: %s", name, out)
					}
					if _, _, _, err := e.db.Event(ctx, id+name); err == nil {
						t.Errorf("%s: a forged event was stored", name)
					}
				}
				if got := e.status(s); got.Plan != "free" || got.Status != "none" {
					t.Errorf("after forged webhooks: %s %s", got.Plan, got.Status)
				}
			})
		})
	}
}

// TestGraceAndFallback: a halted subscription keeps its plan through the
// grace period after the paid period's end, then falls back to free.
func TestGraceAndFallback(t *testing.T) {
	fake := razorpaytest.New(t)
	e := paidEnv(t, storetest.Stores[0].Open, fake)
	s := e.signup()
	sub := e.subscribe(s, "pro").SubscriptionID
	fake.SetClock(e.now)
	fake.SetStatus(sub, "active")
	body, sig, id := fake.Event("subscription.activated", sub, "", e.now(), 0)
	e.webhook(body, sig, id, 200)
	e.waitProcessed([]sent{{id: id}})
	end := *e.status(s).CurrentEnd
	e.set(end.Add(time.Hour))
	body, sig, id = fake.Event("subscription.halted", sub, "halted", e.now(), 0)
	e.webhook(body, sig, id, 200)
	e.waitProcessed([]sent{{id: id}})
	got := e.status(s)
	if got.Plan != "pro" || got.GraceEnds == nil || !got.GraceEnds.Equal(e.now().Truncate(time.Second).Add(7*24*time.Hour)) {
		t.Errorf("halted, in grace: %+v", got)
	}
	e.set(got.GraceEnds.Add(time.Second))
	if got := e.status(s); got.Plan != "free" || got.Subscribed != "pro" || got.Limits.WhatsApp != 50 {
		t.Errorf("after grace: %+v", got)
	}
	_ = plans.Free
}

// BenchmarkWebhook measures our own Razorpay webhook from the request to
// the answer (signature checked, event stored once, its job queued);
// Razorpay waits 5 s for it.
func BenchmarkWebhook(b *testing.B) {
	for _, st := range storetest.Stores {
		b.Run(st.Name, func(b *testing.B) {
			fake := razorpaytest.New(b)
			e := paidEnv(b, st.Open, fake)
			s := e.signup()
			sub := e.subscribe(s, "pro").SubscriptionID
			start := e.now().Add(-time.Hour)
			evs := make([]sent, b.N)
			for i := range evs {
				body, sig, id := fake.Event("subscription.charged", sub, "active", start.Add(time.Duration(i)*time.Second), 49900)
				evs[i] = sent{body: body, sig: sig, id: id}
			}
			b.ResetTimer()
			for i := range evs {
				e.webhook(evs[i].body, evs[i].sig, evs[i].id, 200)
			}
		})
	}
}
