package store_test

import (
	"context"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// While a new counter's history is still downloading (the products are in,
// the indexes only reports read are not built yet), the low-stock count
// and the stock value work, and once the history is in they equal the
// first counter's.
func TestStockReadsWhileHistoryLoads(t *testing.T) {
	ctx := context.Background()
	s := MustBooks(t)
	atta := MustProduct(t, s, books.Product{Name: "Atta 5kg", SalePrice: 26000, PurchasePrice: 22000, GSTRate: 500, OpeningStock: 9000, ReorderLevel: 2000})
	MustProduct(t, s, books.Product{Name: "Salt 1kg", SalePrice: 2800, PurchasePrice: 2000, OpeningStock: 0, ReorderLevel: 5000})
	MustProduct(t, s, books.Product{Name: "Tea 250g", SalePrice: 15500, PurchasePrice: 12000, GSTRate: 500, OpeningStock: 20000, ReorderLevel: 3000})
	if _, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-03"), Lines: []books.DraftLine{line(atta, 8)}}); err != nil {
		t.Fatal(err)
	}
	_, page := outboxChanges(t, s)
	var masters, history []protocol.Change
	for _, c := range page {
		if c.Table == "invoices" {
			history = append(history, c)
		} else {
			masters = append(masters, c)
		}
	}

	b := secondCounter(t, s)
	if err := b.BeginDownload(ctx, int64(len(page))); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ApplyChanges(ctx, masters, 1); err != nil {
		t.Fatal(err)
	}
	if err := b.ReadyToBill(ctx); err != nil {
		t.Fatal(err)
	}
	if !b.HistoryLoading() {
		t.Fatal("the history is not loading after the masters")
	}
	if n, err := b.CountLowStock(); err != nil || n != 1 {
		t.Errorf("low stock while the history loads: %d, %v; want 1 (salt)", n, err)
	}
	if _, err := b.StockValue(ctx, "2026-10-05"); err != nil {
		t.Errorf("stock value while the history loads: %v", err)
	}

	if _, err := b.ApplyChanges(ctx, history, int64(len(masters)+1)); err != nil {
		t.Fatal(err)
	}
	if err := b.EndPull(ctx); err != nil {
		t.Fatal(err)
	}
	for _, st := range []*store.Store{s, b} {
		if n, err := st.CountLowStock(); err != nil || n != 2 {
			t.Errorf("low stock: %d, %v; want 2 (atta at 1, salt)", n, err)
		}
	}
	want, err := s.StockValue(ctx, "2026-10-05")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b.StockValue(ctx, "2026-10-05"); err != nil || got != want {
		t.Errorf("stock value after the download: %+v, %v; want %+v", got, err, want)
	}
}
