package billing_test

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/server/billing"
	"github.com/ainaukar/naukar/server/billing/razorpay"
	"github.com/ainaukar/naukar/server/billing/razorpay/razorpaytest"
	"github.com/ainaukar/naukar/server/secrets"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// device pushes rows as one device of a shop.
type device struct {
	e     *env
	s     *shop
	n     int64
	clock *protocol.Clock
}

func (e *env) device(s *shop) *device {
	return &device{e: e, s: s, clock: protocol.NewClock(s.deviceID, protocol.HLC{}, time.Now)}
}

func (d *device) push(muts ...protocol.Mutation) {
	d.e.t.Helper()
	for i := range muts {
		d.n++
		muts[i].N, muts[i].HLC = d.n, d.clock.Now().String()
	}
	var resp protocol.PushResponse
	code, body := d.e.call("POST", "/v1/sync/push", d.s.token, protocol.PushRequest{DeviceID: d.s.deviceID, ProtocolVersion: 1, Mutations: muts}, &resp)
	if code != 200 || len(resp.Rejected) > 0 || resp.LastN != d.n {
		d.e.t.Fatalf("push: %d %s", code, body)
	}
}

var meena = &books.PartySnapshot{ID: "0190c2a0-0000-7000-8000-00000000beef", Name: "Meena Stores", Phone: "98765 43210", StateCode: "27"}

// invoice pushes an invoice of total paise of which paid was paid at the
// counter, and returns its id.
func (d *device) invoice(number string, total, paid int64) string {
	id, m := invoiceMutation(number, total, paid)
	d.push(m)
	return id
}

func invoiceMutation(number string, total, paid int64) (string, protocol.Mutation) {
	inv := books.Invoice{Kind: books.TaxInvoice, Number: number, Series: "A", FY: 2026, Date: "2026-11-20",
		CreatedAt: time.Now().UTC().Format(time.RFC3339),
		Supplier:  books.SupplierSnapshot{Name: "Kumar Kirana", StateCode: "27"}, Party: meena, PlaceOfSupply: "27",
		Totals: books.Totals{Taxable: total, GrandTotal: total}, Paid: paid}
	if paid > 0 {
		inv.Payments = []books.PaymentPart{{Mode: books.ModeCash, Amount: paid}}
	}
	data, _ := json.Marshal(inv)
	id := uuid.Must(uuid.NewV7()).String()
	return id, protocol.Mutation{Table: "invoices", ID: id, Op: protocol.OpInsert, Data: data}
}

// feed pulls the shop's whole feed: the newest version of each row by
// table and id, and how many rows of each table came.
func (e *env) feed(s *shop) (map[string]protocol.Change, map[string]int) {
	e.t.Helper()
	out, count := map[string]protocol.Change{}, map[string]int{}
	var since int64
	for {
		p, err := e.c.Pull(ctx, s.token, since, 500)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, c := range p.Changes {
			out[c.Table+"/"+c.ID] = c
			count[c.Table]++
		}
		if !p.More {
			return out, count
		}
		since = p.Next
	}
}

func payLinkOf(t *testing.T, c protocol.Change) protocol.PayLink {
	t.Helper()
	var l protocol.PayLink
	if err := json.Unmarshal(c.Data, &l); err != nil {
		t.Fatal(err)
	}
	return l
}

func (e *env) shopWebhook(path string, body []byte, sig string, want int) string {
	e.t.Helper()
	req, _ := http.NewRequest("POST", path, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Razorpay-Signature", sig)
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		e.t.Fatalf("shop webhook: %d %s, want %d", res.StatusCode, raw, want)
	}
	if d := time.Since(start); d > 5*time.Second {
		e.t.Errorf("shop webhook answered in %s; Razorpay waits 5 s", d)
	}
	return string(raw)
}

func newBox(t testing.TB) *secrets.Box {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	b, err := secrets.New(k)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPaymentLinks: the owner connects the shop's own Razorpay keys (bad
// keys refused, secrets sealed at rest); an invoice with a balance due gets
// one payment link (reference_id = the invoice id) that every device pulls;
// the shop's payment_link.paid, verified with the shop's webhook secret,
// puts the payment in the books once however often it arrives; forged
// signatures change nothing.
func TestPaymentLinks(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			rzp := razorpaytest.New(t) // the shop's own Razorpay account
			box := newBox(t)
			e := newEnv(t, st.Open, billing.Config{Secrets: box, ShopAPIURL: rzp.URL,
				ShopOptions: []razorpay.Option{razorpay.WithRetries(1, time.Millisecond)}})
			s := e.signup()
			dev := e.device(s)

			var ks protocol.ShopRazorpayStatus
			if code, body := e.call("GET", "/v1/billing/razorpay-keys", s.token, nil, &ks); code != 200 || ks.Connected || !ks.Available {
				t.Fatalf("before connecting: %d %s", code, body)
			}
			// An invoice billed before the keys are connected gets no link.
			early := dev.invoice("A/0001", 50000, 0)

			whSecret := "shop-webhook-secret-1"
			code, body := e.call("PUT", "/v1/billing/razorpay-keys", s.token,
				protocol.ShopRazorpayKeys{KeyID: rzp.KeyID, KeySecret: "wrong", WebhookSecret: whSecret}, nil)
			if code != 400 || !strings.Contains(body, "Razorpay refused these keys") {
				t.Fatalf("wrong secret: %d %s", code, body)
			}
			if _, ok, _ := e.db.ShopRazorpay(ctx, s.id); ok {
				t.Fatal("refused keys were kept")
			}
			if code, body := e.call("PUT", "/v1/billing/razorpay-keys", s.token,
				protocol.ShopRazorpayKeys{KeyID: rzp.KeyID, KeySecret: rzp.KeySecret, WebhookSecret: whSecret}, &ks); code != 200 || !ks.Connected || ks.KeyID != rzp.KeyID {
				t.Fatalf("connect: %d %s", code, body)
			}
			if !strings.HasPrefix(ks.WebhookURL, e.srv.URL+"/v1/webhooks/razorpay/shops/") || strings.Contains(ks.WebhookURL, s.id) {
				t.Fatalf("webhook url %q", ks.WebhookURL)
			}
			stored, ok, err := e.db.ShopRazorpay(ctx, s.id)
			if err != nil || !ok {
				t.Fatal(ok, err)
			}
			if strings.Contains(stored.KeySecret, rzp.KeySecret) || strings.Contains(stored.WebhookSecret, whSecret) {
				t.Fatal("a secret is stored in the clear")
			}
			if got, err := box.OpenString("razorpay.key_secret/"+s.id, stored.KeySecret); err != nil || got != rzp.KeySecret {
				t.Fatalf("sealed key secret opens to %q, %v", got, err)
			}
			if _, err := newBox(t).OpenString("razorpay.key_secret/"+s.id, stored.KeySecret); err == nil {
				t.Fatal("the sealed secret opens with another server key")
			}

			// An invoice of ₹1,180 with ₹180 paid at the counter, and one
			// paid in full.
			inv := dev.invoice("A/0002", 118000, 18000)
			dev.invoice("A/0003", 30000, 30000)
			// A counter uploading its history after the keys were connected:
			// an old credit invoice gets no link (it may be settled since).
			_, hist := invoiceMutation("A/0000", 40000, 0)
			var hm map[string]any
			_ = json.Unmarshal(hist.Data, &hm)
			hm["created_at"] = time.Now().Add(-48 * time.Hour).UTC().Format(time.RFC3339)
			hist.Data, _ = json.Marshal(hm)
			dev.push(hist)
			var link protocol.PayLink
			e.eventually("the invoice's payment link", func() bool {
				data, ok, err := e.db.SyncRow(ctx, s.id, protocol.TablePayLinks, inv)
				if err != nil {
					t.Fatal(err)
				}
				return ok && json.Unmarshal(data, &link) == nil && link.Status == protocol.PayLinkCreated
			})
			rows, _ := e.feed(s)
			if got := payLinkOf(t, rows[protocol.TablePayLinks+"/"+inv]); got.ShortURL != link.ShortURL {
				t.Fatalf("the feed's row %+v differs from the stored %+v", got, link)
			}
			reqs := rzp.LinkRequests()
			if len(reqs) != 1 {
				t.Fatalf("%d links asked of Razorpay, want 1 (the paid invoice and the old one need none): %+v", len(reqs), reqs)
			}
			r := reqs[0]
			if r.ReferenceID != inv || r.Amount != 100000 || r.Currency != "INR" || r.Customer.Contact != "+919876543210" ||
				r.Customer.Name != "Meena Stores" || !strings.Contains(r.Description, "A/0002") {
				t.Fatalf("link request %+v", r)
			}
			if link.LinkID == "" || !strings.HasPrefix(link.ShortURL, "https://rzp.io/") || link.Amount != 100000 ||
				link.InvoiceNumber != "A/0002" || link.PartyID != meena.ID {
				t.Fatalf("pay_links row %+v", link)
			}
			if _, ok := rows[protocol.TablePayLinks+"/"+early]; ok {
				t.Fatal("an invoice billed before the keys were connected got a link")
			}
			// Running the job again asks Razorpay nothing more and
			// changes no row.
			_, before := e.feed(s)
			if err := e.mod.MakePayLink(ctx, s.id, inv); err != nil {
				t.Fatal(err)
			}
			if _, after := e.feed(s); len(rzp.LinkRequests()) != 1 || after[protocol.TablePayLinks] != before[protocol.TablePayLinks] {
				t.Fatalf("the job run again made a link or a change: %d requests, %v → %v", len(rzp.LinkRequests()), before, after)
			}

			// The customer pays; Razorpay sends payment_link.paid to the
			// shop's webhook.
			paidAt := e.now().Add(-time.Minute)
			body1, sig, _, payID := rzp.LinkPaidEvent(link.LinkID, whSecret, paidAt)
			e.shopWebhook(ks.WebhookURL, body1, strings.Repeat("0", 64), 400)
			e.shopWebhook(ks.WebhookURL, body1, razorpay.Sign(rzp.KeySecret, body1), 400) // signed with the wrong secret
			e.shopWebhook(e.srv.URL+"/v1/webhooks/razorpay/shops/nosuchshop", body1, sig, 404)
			if _, count := e.feed(s); count["payments"] != 0 {
				t.Fatal("a refused webhook recorded a payment")
			}
			if got := e.shopWebhook(ks.WebhookURL, body1, sig, 200); !strings.Contains(got, `"recorded":true`) {
				t.Fatalf("first delivery: %s", got)
			}
			// Delivered again, and once more as a new event about the same
			// payment: nothing changes.
			_, afterFirst := e.feed(s)
			if got := e.shopWebhook(ks.WebhookURL, body1, sig, 200); !strings.Contains(got, `"recorded":false`) {
				t.Fatalf("replay: %s", got)
			}
			var ev map[string]any
			_ = json.Unmarshal(body1, &ev)
			ev["created_at"] = paidAt.Add(time.Hour).Unix()
			body2, _ := json.Marshal(ev)
			if got := e.shopWebhook(ks.WebhookURL, body2, razorpay.Sign(whSecret, body2), 200); !strings.Contains(got, `"recorded":false`) {
				t.Fatalf("second event of the same payment: %s", got)
			}
			rows, count := e.feed(s)
			if count["payments"] != 1 || count[protocol.TablePayLinks] != afterFirst[protocol.TablePayLinks] {
				t.Fatalf("after replays: %v (after the first: %v)", count, afterFirst)
			}
			pc, ok := rows["payments/"+billing.PaymentDocID(s.id, payID)]
			if !ok || pc.Op != protocol.OpInsert || pc.DeviceID != protocol.ServerDevice {
				t.Fatalf("payment row %+v", pc)
			}
			var pay books.Payment
			if err := json.Unmarshal(pc.Data, &pay); err != nil {
				t.Fatal(err)
			}
			if pay.Amount != 100000 || pay.InvoiceID != inv || pay.Direction != books.PaymentIn || pay.Mode != books.ModeUPI ||
				pay.Party == nil || pay.Party.ID != meena.ID || !strings.Contains(pay.Note, payID) ||
				pay.Date != paidAt.In(time.FixedZone("IST", 19800)).Format("2006-01-02") {
				t.Fatalf("payment %+v", pay)
			}
			paid := payLinkOf(t, rows[protocol.TablePayLinks+"/"+inv])
			if paid.Status != protocol.PayLinkPaid || paid.PaymentID != payID || paid.AmountPaid != 100000 || paid.ShortURL != link.ShortURL {
				t.Fatalf("pay_links after payment %+v", paid)
			}
			// The link job running late never undoes paid.
			if err := e.mod.MakePayLink(ctx, s.id, inv); err != nil {
				t.Fatal(err)
			}
			if rows, _ := e.feed(s); payLinkOf(t, rows[protocol.TablePayLinks+"/"+inv]).Status != protocol.PayLinkPaid {
				t.Fatal("a late run of the link job undid paid")
			}

			// Disconnecting forgets the keys: the webhook's address is gone.
			hook := ks.WebhookURL
			if code, body := e.call("DELETE", "/v1/billing/razorpay-keys", s.token, nil, &ks); code != 200 || ks.Connected {
				t.Fatalf("disconnect: %d %s", code, body)
			}
			e.shopWebhook(hook, body1, sig, 404)
		})
	}
}

// TestPaymentLinkLostAnswer: Razorpay made a link but its answer was lost;
// the next try finds it by its reference id instead of making a second.
// Bad keys and a refused amount end in a failed row with the reason.
func TestPaymentLinkLostAnswer(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			rzp := razorpaytest.New(t)
			box := newBox(t)
			e := newEnv(t, st.Open, billing.Config{Secrets: box, ShopAPIURL: rzp.URL,
				ShopOptions: []razorpay.Option{razorpay.WithRetries(0, time.Millisecond)}})
			s := e.signup()
			dev := e.device(s)
			inv := dev.invoice("A/0010", 25000, 0) // billed before connecting: no job runs
			if code, body := e.call("PUT", "/v1/billing/razorpay-keys", s.token,
				protocol.ShopRazorpayKeys{KeyID: rzp.KeyID, KeySecret: rzp.KeySecret, WebhookSecret: "whsec-lost-1"}, nil); code != 200 {
				t.Fatalf("connect: %d %s", code, body)
			}
			rzp.LoseNextLinkAnswer()
			if err := e.mod.MakePayLink(ctx, s.id, inv); err == nil {
				t.Fatal("a lost answer did not fail the try")
			}
			if err := e.mod.MakePayLink(ctx, s.id, inv); err != nil {
				t.Fatal(err)
			}
			rows, _ := e.feed(s)
			l := payLinkOf(t, rows[protocol.TablePayLinks+"/"+inv])
			held, ok := rzp.Link(l.LinkID)
			if l.Status != protocol.PayLinkCreated || !ok || held.ReferenceID != inv {
				t.Fatalf("after the lost answer: %+v (Razorpay holds %+v %v)", l, held, ok)
			}
			if n := len(rzp.LinkRequests()); n != 1 {
				t.Fatalf("Razorpay made %d links for one invoice", n)
			}

			// Keys revoked at Razorpay: the link fails with words.
			stored, _, _ := e.db.ShopRazorpay(ctx, s.id)
			bad, _ := box.SealString("razorpay.key_secret/"+s.id, "revoked")
			stored.KeySecret = bad
			if _, err := e.db.SetShopRazorpay(ctx, stored, e.now()); err != nil {
				t.Fatal(err)
			}
			inv2 := dev.invoice("A/0011", 25000, 0)
			e.eventually("a failed link", func() bool {
				data, ok, err := e.db.SyncRow(ctx, s.id, protocol.TablePayLinks, inv2)
				var l protocol.PayLink
				return err == nil && ok && json.Unmarshal(data, &l) == nil && l.Status == protocol.PayLinkFailed &&
					strings.Contains(l.Error, "Razorpay refused the shop's keys")
			})
		})
	}
}

// BenchmarkShopWebhook measures a shop's payment_link.paid from the request
// to the payment in the books (Razorpay waits 5 s for the answer).
func BenchmarkShopWebhook(b *testing.B) {
	for _, st := range storetest.Stores {
		b.Run(st.Name, func(b *testing.B) {
			rzp := razorpaytest.New(b)
			box := newBox(b)
			e := newEnv(b, st.Open, billing.Config{Secrets: box, ShopAPIURL: rzp.URL})
			s := e.signup()
			dev := e.device(s)
			// The invoices go in batches before the keys are connected (no
			// link jobs start); their links are made here, not timed.
			var ids []string
			for i := 0; i < b.N; i += 500 {
				var muts []protocol.Mutation
				for j := i; j < min(b.N, i+500); j++ {
					id, m := invoiceMutation(fmt.Sprintf("B/%05d", j), 20000, 0)
					ids, muts = append(ids, id), append(muts, m)
				}
				dev.push(muts...)
			}
			whSecret := "bench-webhook-secret"
			var ks protocol.ShopRazorpayStatus
			if code, body := e.call("PUT", "/v1/billing/razorpay-keys", s.token,
				protocol.ShopRazorpayKeys{KeyID: rzp.KeyID, KeySecret: rzp.KeySecret, WebhookSecret: whSecret}, &ks); code != 200 {
				b.Fatalf("connect: %d %s", code, body)
			}
			type ev struct {
				body []byte
				sig  string
			}
			var evs []ev
			for _, inv := range ids {
				if err := e.mod.MakePayLink(ctx, s.id, inv); err != nil {
					b.Fatal(err)
				}
				rec, _, _ := e.db.PayLink(ctx, s.id, inv)
				body, sig, _, _ := rzp.LinkPaidEvent(rec.LinkID, whSecret, e.now())
				evs = append(evs, ev{body, sig})
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if got := e.shopWebhook(ks.WebhookURL, evs[i].body, evs[i].sig, 200); !strings.Contains(got, `"recorded":true`) {
					b.Fatalf("payment %d not recorded: %s", i, got)
				}
			}
		})
	}
}

// TestPaymentLinkClosed: the shop's payment_link.expired and
// payment_link.cancelled mark the invoice's pay_links row (devices stop
// offering it) once; a replay or a late event changes nothing; a payment
// that raced the cancel still goes in the books and the row says paid.
func TestPaymentLinkClosed(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			rzp := razorpaytest.New(t)
			e := newEnv(t, st.Open, billing.Config{Secrets: newBox(t), ShopAPIURL: rzp.URL,
				ShopOptions: []razorpay.Option{razorpay.WithRetries(1, time.Millisecond)}})
			s := e.signup()
			dev := e.device(s)
			whSecret := "shop-webhook-secret-2"
			var ks protocol.ShopRazorpayStatus
			if code, body := e.call("PUT", "/v1/billing/razorpay-keys", s.token,
				protocol.ShopRazorpayKeys{KeyID: rzp.KeyID, KeySecret: rzp.KeySecret, WebhookSecret: whSecret}, &ks); code != 200 {
				t.Fatalf("connect: %d %s", code, body)
			}
			stored := func(inv string) protocol.PayLink {
				var l protocol.PayLink
				data, ok, err := e.db.SyncRow(ctx, s.id, protocol.TablePayLinks, inv)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					_ = json.Unmarshal(data, &l)
				}
				return l
			}
			expiring, cancelled := dev.invoice("B/0001", 50000, 0), dev.invoice("B/0002", 70000, 0)
			var links [2]protocol.PayLink
			e.eventually("both links", func() bool {
				links[0], links[1] = stored(expiring), stored(cancelled)
				return links[0].Status == protocol.PayLinkCreated && links[1].Status == protocol.PayLinkCreated
			})

			body, sig := rzp.LinkEvent(links[0].LinkID, "payment_link.expired", whSecret, e.now())
			e.shopWebhook(ks.WebhookURL, body, strings.Repeat("0", 64), 400)
			if got := stored(expiring).Status; got != protocol.PayLinkCreated {
				t.Fatalf("a forged expiry made the link %s", got)
			}
			if got := e.shopWebhook(ks.WebhookURL, body, sig, 200); !strings.Contains(got, `"recorded":true`) {
				t.Fatalf("expired: %s", got)
			}
			_, before := e.feed(s)
			if got := e.shopWebhook(ks.WebhookURL, body, sig, 200); !strings.Contains(got, `"recorded":false`) {
				t.Fatalf("expired again: %s", got)
			}
			rows, after := e.feed(s)
			if after[protocol.TablePayLinks] != before[protocol.TablePayLinks] {
				t.Fatalf("a replayed expiry changed rows: %v → %v", before, after)
			}
			if l := payLinkOf(t, rows[protocol.TablePayLinks+"/"+expiring]); l.Status != protocol.PayLinkExpired || l.ShortURL != links[0].ShortURL {
				t.Fatalf("expired row %+v", l)
			}

			// Cancelled in the Razorpay dashboard, and paid a moment
			// before: the payment's event arrives after the cancel's.
			cbody, csig := rzp.LinkEvent(links[1].LinkID, "payment_link.cancelled", whSecret, e.now())
			pbody, psig, _, payID := rzp.LinkPaidEvent(links[1].LinkID, whSecret, e.now().Add(-time.Minute))
			if got := e.shopWebhook(ks.WebhookURL, cbody, csig, 200); !strings.Contains(got, `"recorded":true`) {
				t.Fatalf("cancelled: %s", got)
			}
			if got := stored(cancelled).Status; got != protocol.PayLinkCancelled {
				t.Fatalf("cancelled link is %s", got)
			}
			if got := e.shopWebhook(ks.WebhookURL, pbody, psig, 200); !strings.Contains(got, `"recorded":true`) {
				t.Fatalf("paid after the cancel: %s", got)
			}
			// The cancel delivered again does not undo the payment.
			if got := e.shopWebhook(ks.WebhookURL, cbody, csig, 200); !strings.Contains(got, `"recorded":false`) {
				t.Fatalf("cancel replayed after the payment: %s", got)
			}
			rows, count := e.feed(s)
			if l := payLinkOf(t, rows[protocol.TablePayLinks+"/"+cancelled]); l.Status != protocol.PayLinkPaid || l.PaymentID != payID {
				t.Fatalf("raced link's row %+v", l)
			}
			if _, ok := rows["payments/"+billing.PaymentDocID(s.id, payID)]; !ok || count["payments"] != 1 {
				t.Fatalf("the raced payment is not in the books once: %v", count)
			}
			if rec, _, _ := e.db.PayLink(ctx, s.id, cancelled); rec.Status != protocol.PayLinkPaid {
				t.Fatalf("server record %+v", rec)
			}
		})
	}
}

// TestPaymentLinkCancelledByTheBooks: a cancellation, a credit note or a
// counter's payment against an invoice, pushed by a device, cancels its
// Razorpay link (a job) and marks the row cancelled, once; a link paid
// before the cancel reached Razorpay stays, and its payment is recorded.
func TestPaymentLinkCancelledByTheBooks(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			rzp := razorpaytest.New(t)
			e := newEnv(t, st.Open, billing.Config{Secrets: newBox(t), ShopAPIURL: rzp.URL,
				ShopOptions: []razorpay.Option{razorpay.WithRetries(1, time.Millisecond)}})
			s := e.signup()
			dev := e.device(s)
			whSecret := "shop-webhook-secret-3"
			var ks protocol.ShopRazorpayStatus
			if code, body := e.call("PUT", "/v1/billing/razorpay-keys", s.token,
				protocol.ShopRazorpayKeys{KeyID: rzp.KeyID, KeySecret: rzp.KeySecret, WebhookSecret: whSecret}, &ks); code != 200 {
				t.Fatalf("connect: %d %s", code, body)
			}
			stored := func(inv string) protocol.PayLink {
				var l protocol.PayLink
				data, ok, err := e.db.SyncRow(ctx, s.id, protocol.TablePayLinks, inv)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					_ = json.Unmarshal(data, &l)
				}
				return l
			}
			invs := []string{dev.invoice("C/0001", 50000, 0), dev.invoice("C/0002", 60000, 0), dev.invoice("C/0003", 70000, 0), dev.invoice("C/0004", 80000, 0)}
			links := make([]protocol.PayLink, len(invs))
			e.eventually("the links", func() bool {
				for i, id := range invs {
					if links[i] = stored(id); links[i].Status != protocol.PayLinkCreated {
						return false
					}
				}
				return true
			})
			doc := func(table string, v any) protocol.Mutation {
				data, _ := json.Marshal(v)
				return protocol.Mutation{Table: table, ID: uuid.Must(uuid.NewV7()).String(), Op: protocol.OpInsert, Data: data}
			}
			// The fourth is paid online a moment before the counter takes
			// cash for it too; Razorpay's webhook comes late.
			pbody, psig, _, payID := rzp.LinkPaidEvent(links[3].LinkID, whSecret, e.now())
			dev.push(
				doc("cancellations", books.Cancellation{Date: "2026-11-21", DocTable: "invoices", DocID: invs[0], DocNumber: "C/0001", Reason: "wrong party"}),
				doc("credit_notes", books.CreditNote{Number: "CN/1", Date: "2026-11-21", InvoiceID: invs[1], InvoiceNumber: "C/0002"}),
				doc("payments", books.Payment{Date: "2026-11-21", Direction: books.PaymentIn, Mode: books.ModeCash, Amount: 70000, InvoiceID: invs[2]}),
				doc("payments", books.Payment{Date: "2026-11-21", Direction: books.PaymentIn, Mode: books.ModeCash, Amount: 80000, InvoiceID: invs[3]}),
			)
			e.eventually("three links cancelled", func() bool {
				for i := 0; i < 3; i++ {
					if stored(invs[i]).Status != protocol.PayLinkCancelled {
						return false
					}
				}
				return true
			})
			for i := 0; i < 3; i++ {
				if l, _ := rzp.Link(links[i].LinkID); l.Status != "cancelled" {
					t.Fatalf("Razorpay's link %d is %s", i, l.Status)
				}
			}
			if err := e.mod.CancelPayLink(ctx, s.id, invs[3]); err != nil {
				t.Fatal(err)
			}
			if got := stored(invs[3]).Status; got != protocol.PayLinkCreated {
				t.Fatalf("the paid link became %s", got)
			}
			if got := e.shopWebhook(ks.WebhookURL, pbody, psig, 200); !strings.Contains(got, `"recorded":true`) {
				t.Fatalf("the raced payment: %s", got)
			}
			if l := stored(invs[3]); l.Status != protocol.PayLinkPaid || l.PaymentID != payID {
				t.Fatalf("the raced link's row %+v", l)
			}
			// Run again: Razorpay is asked nothing more, no row changes.
			_, before := e.feed(s)
			n := len(rzp.Requests())
			for _, id := range invs {
				if err := e.mod.CancelPayLink(ctx, s.id, id); err != nil {
					t.Fatal(err)
				}
			}
			if _, after := e.feed(s); after[protocol.TablePayLinks] != before[protocol.TablePayLinks] || len(rzp.Requests()) != n {
				t.Fatalf("cancel run again: rows %v → %v, requests %d → %d", before, after, n, len(rzp.Requests()))
			}
			// An invoice cancelled before its link job ran gets no link.
			id, m := invoiceMutation("C/0005", 20000, 0)
			if err := e.mod.CancelPayLink(ctx, s.id, id); err != nil {
				t.Fatal(err)
			}
			dev.push(m)
			if err := e.mod.MakePayLink(ctx, s.id, id); err != nil {
				t.Fatal(err)
			}
			for _, r := range rzp.LinkRequests() {
				if r.ReferenceID == id {
					t.Fatal("a link was made for an invoice cancelled first")
				}
			}
		})
	}
}
