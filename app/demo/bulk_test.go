package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
)

// TestBulkBooksMatchSavedBooks builds the same shop twice, once with the
// bulk generator (the store's loader) and once through the normal save
// paths, a transaction per document, and checks that the books agree:
// every product's stock, every party's balance, GSTR-1 and GSTR-3B for
// each month and the year, the sales and purchase registers, profit and
// loss, stock valuation and dues.
func TestBulkBooksMatchSavedBooks(t *testing.T) {
	ctx := context.Background()
	sz := Size{Products: 200, Parties: 40, Invoices: 1200, Purchases: 30, Expenses: 20, Returns: 30, Payments: 40, Seed: 3, Bulk: true}
	dir := t.TempDir()
	bulkPath, savedPath := filepath.Join(dir, "bulk.db"), filepath.Join(dir, "saved.db")
	if err := BuildBulk(ctx, bulkPath, sz); err != nil {
		t.Fatal(err)
	}
	if err := buildSaved(ctx, savedPath, sz); err != nil {
		t.Fatal(err)
	}
	open := func(path string) (*store.Store, *reports.Service) {
		s, err := store.Open(path, store.Options{Now: func() time.Time { return Today }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, reports.New(s)
	}
	bs, brep := open(bulkPath)
	ss, srep := open(savedPath)
	// The loaded books come with their day summaries, which the reports
	// below read; the saved books have none (they read every document).
	if n, err := bs.SummariseDays(ctx); err != nil || n != 0 {
		t.Fatalf("day summaries missing after a bulk build: %d made after it (%v)", n, err)
	}

	// Every product's stock and every party's balance, by SKU and name.
	stock := func(s *store.Store) map[string]int64 {
		ps, err := s.ListProducts(store.ProductFilter{Limit: sz.Products + 1})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int64{}
		for _, p := range ps {
			out[p.SKU] = p.Stock
		}
		return out
	}
	bStock, sStock := stock(bs), stock(ss)
	if len(bStock) != sz.Products || !reflect.DeepEqual(bStock, sStock) {
		t.Fatalf("stock differs: %d products loaded, %d saved", len(bStock), len(sStock))
	}
	moved := 0
	for sku, q := range bStock {
		if p, err := bs.ProductByCode(sku); err != nil || q != p.OpeningStock {
			moved++
		}
	}
	if moved < sz.Products/2 {
		t.Fatalf("only %d of %d products' stock moved from the opening stock", moved, sz.Products)
	}
	balances := func(s *store.Store) map[string]int64 {
		ps, err := s.ListParties("", sz.Parties+1)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int64{}
		for _, p := range ps {
			out[p.Name] = p.Balance
		}
		return out
	}
	bBal, sBal := balances(bs), balances(ss)
	if len(bBal) != sz.Parties || !reflect.DeepEqual(bBal, sBal) {
		t.Fatalf("party balances differ: %v against %v", bBal, sBal)
	}
	owed := 0
	for _, b := range bBal {
		if b != 0 {
			owed++
		}
	}
	if owed == 0 {
		t.Fatal("no party has a balance")
	}

	// Reports and returns, compared as their JSON.
	fy := gst.FinancialYear(Today)
	periods := []reports.Period{reports.FinancialYear(fy - 1), reports.FinancialYear(fy), reports.Month(fy, 4), reports.Month(fy, 10)}
	docs, returned := 0, int64(0)
	for _, p := range periods {
		for _, name := range []string{"gstr1", "gstr3b", "sales", "purchases", "pnl", "stock", "outstanding", "expenses", "hsn"} {
			a := runJSON(t, brep, name, p)
			b := runJSON(t, srep, name, p)
			if !bytes.Equal(a, b) {
				t.Fatalf("%s for %s differs:\nloaded %.600s\nsaved  %.600s", name, p.From+".."+p.To, a, b)
			}
			if name == "sales" {
				docs += bytes.Count(a, []byte("SGS"))
			}
		}
		bp, err := brep.PnLFor(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		sp, err := srep.PnLFor(ctx, p)
		if err != nil || !reflect.DeepEqual(bp, sp) {
			t.Fatalf("profit and loss for %s: %+v against %+v (%v)", p.From+".."+p.To, bp, sp, err)
		}
		returned += bp.Returns
		bv, err := brep.StockValue(ctx, p.To)
		if err != nil {
			t.Fatal(err)
		}
		sv, err := srep.StockValue(ctx, p.To)
		if err != nil || !reflect.DeepEqual(bv, sv) {
			t.Fatalf("stock value to %s: %+v against %+v (%v)", p.To, bv, sv, err)
		}
	}
	if docs == 0 || returned == 0 {
		t.Fatalf("the sales registers list %d invoices, profit and loss %d of returns", docs, returned)
	}
	// The loader's books are whole: searchable, numbered on from the load.
	if hits, err := bs.SearchProducts("Amul", 20); err != nil || len(hits) == 0 {
		t.Fatalf("search after a load: %v %v", hits, err)
	}
	sale := func(s *store.Store) string {
		p, err := s.ProductByCode(sz.SKU(1))
		if err != nil {
			t.Fatal(err)
		}
		inv, err := s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{{ProductID: p.ID, Product: p, Qty: 1000}}})
		if err != nil {
			t.Fatal(err)
		}
		return inv.Number
	}
	if a, b := sale(bs), sale(ss); a != b {
		t.Fatalf("the next bill after a load is %s, after saving %s", a, b)
	}
}

func runJSON(t *testing.T, svc *reports.Service, name string, p reports.Period) []byte {
	t.Helper()
	r, err := svc.Run(context.Background(), name, reports.Query{Period: p})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var b bytes.Buffer
	if err := reports.WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if r.Return != nil {
		j, err := json.Marshal(r.Return)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
	}
	return b.Bytes()
}

// BenchmarkBuildBulk times the bulk generator on a 100,000-invoice shop
// (a twentieth of Huge; CPU seconds per 1,000,000 invoices reported).
func BenchmarkBuildBulk(b *testing.B) {
	sz := Size{Products: 20_000, Parties: 1_000, Invoices: 100_000, Purchases: 1_000, Expenses: 400, Returns: 1_000, Payments: 2_000, Seed: 1, Bulk: true}
	if strings.HasPrefix(os.Getenv("NAUKAR_BENCH_SIZE"), "huge") {
		sz = BenchSize() // the whole catalogue with part (or all) of the history
	}
	start := time.Now()
	Progress = func(what string, done, of int) {
		b.Logf("%6.1fs %s %d/%d", time.Since(start).Seconds(), what, done, of)
	}
	defer func() { Progress = nil }()
	for i := 0; i < b.N; i++ {
		if err := BuildBulk(context.Background(), filepath.Join(b.TempDir(), "b.db"), sz); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*1e6/float64(sz.Invoices), "s/1M-invoices")
}
