package razorpay_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/billing/razorpay"
	"github.com/ainaukar/naukar/server/billing/razorpay/razorpaytest"
)

// TestCheckoutVector is the signature vector of CONTRACTS.md.
func TestCheckoutVector(t *testing.T) {
	const secret, sig = "EnLs21M47BllR3X8PSFtjtbd", "601f383334975c714c91a7d97dd723eb56520318355863dcf3821c0d07a17693"
	if got := razorpay.Sign(secret, []byte("pay_IDZNwZZFtnjyym|sub_ID6MOhgkcoHj9I")); got != sig {
		t.Errorf("signature %s, want %s", got, sig)
	}
	if !razorpay.VerifyCheckout(secret, "pay_IDZNwZZFtnjyym", "sub_ID6MOhgkcoHj9I", sig) {
		t.Error("the vector does not verify")
	}
	for name, args := range map[string][3]string{
		"ErrOtherSubscription": {"pay_IDZNwZZFtnjyym", "sub_OTHER", sig},
		"ErrOtherPayment":      {"pay_OTHER", "sub_ID6MOhgkcoHj9I", sig},
		"ErrNotHex":            {"pay_IDZNwZZFtnjyym", "sub_ID6MOhgkcoHj9I", "zz"},
		"ErrEmpty":             {"pay_IDZNwZZFtnjyym", "sub_ID6MOhgkcoHj9I", ""},
	} {
		t.Run(name, func(t *testing.T) {
			if razorpay.VerifyCheckout(secret, args[0], args[1], args[2]) {
				t.Error("verified")
			}
		})
	}
	if razorpay.VerifyCheckout("", "a", "b", razorpay.Sign("", []byte("a|b"))) {
		t.Error("an empty secret verified")
	}
}

// TestAwkwardJSON: notes as [] or null, captured as "1".
func TestAwkwardJSON(t *testing.T) {
	var p razorpay.Payment
	if err := json.Unmarshal([]byte(`{"id":"pay_1","captured":"1","notes":[]}`), &p); err != nil {
		t.Fatal(err)
	}
	if !p.Captured || p.Notes == nil || len(p.Notes) != 0 {
		t.Errorf("payment %+v", p)
	}
	var s razorpay.Subscription
	if err := json.Unmarshal([]byte(`{"id":"sub_1","notes":{"business_id":"b1","n":3}}`), &s); err != nil {
		t.Fatal(err)
	}
	if s.Notes["business_id"] != "b1" || s.Notes["n"] != "3" {
		t.Errorf("notes %v", s.Notes)
	}
	if err := json.Unmarshal([]byte(`{"notes":null,"captured":false}`), &p); err != nil || p.Captured {
		t.Errorf("null notes: %v %+v", err, p)
	}
}

// TestClientAgainstFake: the resty client against the fake of CONTRACTS.md:
// Basic auth, Razorpay's error bodies as typed errors with their status
// and field, a 5xx retried on a read but never on a create (it may have
// happened), 429 backed off, a cancelled wait ends at once, and payment
// links found by their reference id.
func TestClientAgainstFake(t *testing.T) {
	ctx := context.Background()
	fake := razorpaytest.New(t)
	c := razorpay.New(fake.URL, fake.KeyID, fake.KeySecret, razorpay.WithRetries(2, time.Millisecond))

	_, err := razorpay.New(fake.URL, fake.KeyID, "wrong").PaymentLinks(ctx, "")
	var e *razorpay.Error
	if !errors.As(err, &e) || e.Status != 401 || e.Code != "BAD_REQUEST_ERROR" || e.Description != "Authentication failed" {
		t.Fatalf("bad keys: %#v", err)
	}
	_, err = c.CreatePaymentLink(ctx, razorpay.PaymentLinkRequest{Amount: 99, ReferenceID: "inv-1"})
	if !errors.As(err, &e) || e.Status != 400 || e.Field != "amount" || !strings.Contains(err.Error(), "atleast INR 1.00") {
		t.Fatalf("amount 99: %#v", err)
	}

	l, err := c.CreatePaymentLink(ctx, razorpay.PaymentLinkRequest{Amount: 11800, ReferenceID: "inv-2", Description: "Invoice A/2",
		Customer: razorpay.Customer{Name: "Meena", Contact: "+919876543210"}})
	if err != nil || !strings.HasPrefix(l.ID, "plink_") || l.Status != "created" || l.Amount != 11800 || l.ReferenceID != "inv-2" {
		t.Fatalf("create: %+v %v", l, err)
	}
	// The same reference again: Razorpay's 400, not a second link.
	if _, err := c.CreatePaymentLink(ctx, razorpay.PaymentLinkRequest{Amount: 11800, ReferenceID: "inv-2"}); !razorpay.IsStatus(err, 400) {
		t.Fatalf("duplicate reference: %v", err)
	}
	found, err := c.PaymentLinks(ctx, "inv-2")
	if err != nil || len(found) != 1 || found[0].ID != l.ID || found[0].ShortURL != l.ShortURL {
		t.Fatalf("by reference: %+v %v", found, err)
	}

	// A 502 on a create is not tried again; on a read it is.
	before := len(fake.Requests())
	fake.FailNext(502)
	if _, err := c.CreatePaymentLink(ctx, razorpay.PaymentLinkRequest{Amount: 500, ReferenceID: "inv-3"}); !razorpay.IsStatus(err, 502) {
		t.Fatalf("502 on create: %v", err)
	}
	if n := len(fake.Requests()) - before; n != 1 {
		t.Fatalf("a failed create was sent %d times", n)
	}
	fake.FailNext(502, 503)
	if got, err := c.PaymentLinks(ctx, "inv-2"); err != nil || len(got) != 1 {
		t.Fatalf("read after two 5xx: %v %v", got, err)
	}
	fake.FailNext(429, 429, 429)
	if _, err := c.PaymentLinks(ctx, "inv-2"); !razorpay.IsStatus(err, 429) {
		t.Fatalf("after three 429s with two retries: %v", err)
	}

	// A wait for a retry ends with the context.
	slow := razorpay.New(fake.URL, fake.KeyID, fake.KeySecret, razorpay.WithRetries(5, time.Minute))
	fake.FailNext(429, 429)
	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = slow.PaymentLinks(cctx, "inv-2")
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 10*time.Second {
		t.Fatalf("cancelled wait: %v after %s", err, time.Since(start))
	}
	if !razorpay.IsStatus(err, 429) {
		t.Fatalf("the cancelled call lost Razorpay's answer: %v", err)
	}
}
