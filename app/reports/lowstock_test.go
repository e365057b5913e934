package reports_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
)

// TestLowStockFirstPageMatchesFullReport: the screen's first page of low
// stock (paged from current stock) lists exactly what the full report
// finds low, in the same order.
func TestLowStockFirstPageMatchesFullReport(t *testing.T) {
	now := time.Now()
	st, err := store.Open(filepath.Join(t.TempDir(), "b.db"), store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Init(books.Business{Name: "Shop", StateCode: "27"}); err != nil {
		t.Fatal(err)
	}
	var low []string
	for i, c := range []struct {
		name          string
		opening, sold int64
		reorder       int64
		wantLow       bool
	}{{"Atta", 10, 8, 5, true}, {"Besan", 10, 2, 5, false}, {"Chana", 3, 0, 5, true}, {"Dal", 10, 5, 5, true}, {"Elaichi", 10, 0, 0, false}} {
		id, err := st.SaveProduct(books.Product{Name: c.name, SKU: string(rune('A' + i)), Unit: "NOS", SalePrice: 1000, GSTRate: 500,
			OpeningStock: c.opening * 1000, ReorderLevel: c.reorder * 1000})
		if err != nil {
			t.Fatal(err)
		}
		if c.sold > 0 {
			p, _ := st.Product(id)
			if _, err := st.CreateSale(context.Background(), &books.SaleDraft{Date: now, Lines: []books.DraftLine{{ProductID: id, Product: p, Qty: c.sold * 1000}}}); err != nil {
				t.Fatal(err)
			}
		}
		if c.wantLow {
			low = append(low, c.name)
		}
	}
	svc := reports.New(st)
	p, err := reports.ParsePeriod(now.Format("2006-01"))
	if err != nil {
		t.Fatal(err)
	}
	names := func(q reports.Query) []string {
		rep, err := svc.Stock(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rep.Tables[0].Rows {
			out = append(out, r[0].(string))
		}
		return out
	}
	full := names(reports.Query{Period: p, LowStock: true})
	page := names(reports.Query{Period: p, LowStock: true, Limit: 100})
	two := names(reports.Query{Period: p, LowStock: true, Limit: 2, Offset: 1})
	if len(full) != len(low) || len(page) != len(low) {
		t.Fatalf("low stock: want %v, full report %v, first page %v", low, full, page)
	}
	for i := range low {
		if full[i] != low[i] || page[i] != low[i] {
			t.Fatalf("low stock: want %v, full report %v, first page %v", low, full, page)
		}
	}
	if len(two) != 2 || two[0] != low[1] || two[1] != low[2] {
		t.Fatalf("second page %v", two)
	}
}
