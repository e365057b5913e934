package store

import (
	"bytes"
	"testing"

	"github.com/ainaukar/naukar/app/books"
)

// The loader's canonical JSON is byte for byte canonical()'s.
func TestCanonicalDocIsCanonical(t *testing.T) {
	docs := []any{
		&books.Invoice{Kind: "tax_invoice", Number: "SGS/26-27/1", Date: "2026-11-20", Notes: `a "quoted" <b>&</b> note, ₹ and \ and {}[],:`,
			Party:    &books.PartySnapshot{ID: "p1", Name: "Ravi {Sharma}", StateCode: "27"},
			Lines:    []books.Line{{ProductID: "x", Name: "Tata Salt, 1kg", Qty: 1000}, {Name: "[]"}},
			Payments: []books.PaymentPart{{Mode: books.ModeUPI, Amount: 100}}},
		&books.Invoice{},
		&books.Payment{Date: "2026-01-01", Direction: books.PaymentIn, Mode: books.ModeCash, Amount: 5},
		&books.Expense{Date: "2026-01-01", Category: "Tea, snacks", Amount: 5},
		map[string]string{"z": "1", "a": "\"}"},
	}
	for _, d := range docs {
		got, err := canonicalDoc(d)
		if err != nil {
			t.Fatal(err)
		}
		_, want, err := canonical(d)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("canonicalDoc:\n%s\ncanonical:\n%s", got, want)
		}
	}
}
