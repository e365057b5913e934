package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
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

// A load runs without a journal and puts the books back in WAL mode after,
// whether fn succeeded or failed, with the readers and the writer working.
func TestLoadPutsBooksBack(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "b.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Init(books.Business{Name: "Load Test", StateCode: "27", InvoicePrefix: "LT"}); err != nil {
		t.Fatal(err)
	}
	mode := func(q interface {
		QueryRow(string, ...any) *sql.Row
	}) string {
		var m string
		if err := q.QueryRow(`PRAGMA journal_mode`).Scan(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	indexes := func() int {
		var n int
		if err := s.w.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'index'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := indexes()
	boom := errors.New("boom")
	err = s.Load(context.Background(), func(l *Loader) error {
		if m := mode(l.tx); m != "off" {
			t.Errorf("journal mode %q during a load", m)
		}
		if _, err := l.Product(books.Product{Name: "Tata Salt 1kg", SKU: "TS1", Unit: "NOS", SalePrice: 2800}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("load: %v", err)
	}
	if m := mode(s.w); m != "wal" {
		t.Fatalf("journal mode %q after a failed load", m)
	}
	err = s.Load(context.Background(), func(l *Loader) error {
		_, err := l.Product(books.Product{Name: "Tata Salt 1kg", SKU: "TS1", Barcodes: []string{"8901234567890"}, Unit: "NOS", SalePrice: 2800})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if m := mode(s.w); m != "wal" {
		t.Fatalf("journal mode %q after a load", m)
	}
	if n := indexes(); n != before {
		t.Fatalf("%d indexes after a failed load and a load, %d before", n, before)
	}
	if hits, err := s.SearchProducts("tata", 5); err != nil || len(hits) != 1 {
		t.Fatalf("search after a load: %v %v", hits, err)
	}
	p, err := s.ProductByCode("8901234567890")
	if err != nil || p.SKU != "TS1" {
		t.Fatalf("barcode after a load: %+v %v", p, err)
	}
	inv, err := s.CreateSale(context.Background(), &books.SaleDraft{Lines: []books.DraftLine{{ProductID: p.ID, Product: p, Qty: 1000}}})
	if err != nil || inv.Number != "LTA-2627-1" && inv.Number == "" {
		t.Fatalf("sale after a load: %v %v", inv, err)
	}
}
