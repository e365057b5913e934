package razorpay_test

import (
	"encoding/json"
	"testing"

	"github.com/ainaukar/naukar/server/billing/razorpay"
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
