package store_test

import (
	"database/sql"
	"fmt"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/store"
)

// TestProductPages reads the product list a page at a time as the
// Products screen does (next pages from the last row, earlier pages from
// the first, jumps by position from either end) and checks every way
// gives the same rows in the same order as one full read, names that
// repeat and differ only in case included.
func TestProductPages(t *testing.T) {
	s := MustBooks(t)
	names := []string{"atta", "Atta", "BESAN", "besan", "Dal", "ghee", "Ghee", "rice", "Salt", "sugar", "Tea", "zeera"}
	for i := 0; i < 61; i++ {
		MustProduct(t, s, books.Product{Name: fmt.Sprintf("%s %d", names[i%len(names)], i%3), SalePrice: 1000, GSTRate: 500,
			OpeningStock: int64(i%5) * 1000, ReorderLevel: 2000})
	}
	all, err := s.ListProducts(store.ProductFilter{Limit: 1000})
	if err != nil || len(all) != 61 {
		t.Fatal(len(all), err)
	}
	total, err := s.CountProducts()
	if err != nil || total != 61 {
		t.Fatal(total, err)
	}
	same := func(what string, got []store.ProductHit, from int) {
		t.Helper()
		for i, h := range got {
			if want := all[from+i]; h.Name != want.Name {
				t.Fatalf("%s: row %d is %q, want %q", what, from+i, h.Name, want.Name)
			}
			if i > 0 && h.Name == got[i-1].Name && h.RID < got[i-1].RID {
				t.Fatalf("%s: equal names out of row order at %d", what, from+i)
			}
		}
	}
	// Forwards by cursor.
	var fwd []store.ProductHit
	c := store.ProductCursor{}
	for {
		page, err := s.ProductsAfter(false, c, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		fwd = append(fwd, page...)
		c = page[len(page)-1].Cursor()
	}
	if len(fwd) != 61 {
		t.Fatalf("forwards: %d rows", len(fwd))
	}
	same("forwards", fwd, 0)
	seen := map[string]bool{}
	for _, h := range fwd {
		if seen[h.ID] {
			t.Fatalf("%s twice", h.Name)
		}
		seen[h.ID] = true
	}
	// Backwards from the end by cursor.
	back, err := s.ProductsBefore(false, fwd[60].Cursor(), 7)
	if err != nil || len(back) != 7 {
		t.Fatal(len(back), err)
	}
	same("backwards", back, 53)
	for hi := 53; hi > 0; {
		page, err := s.ProductsBefore(false, fwd[hi].Cursor(), 7)
		if err != nil {
			t.Fatal(err)
		}
		same("backwards", page, hi-len(page))
		hi -= len(page)
	}
	// Jumps by position, near the start and near the end.
	for _, off := range []int{0, 5, 28, 31, 50, 56, 60} {
		page, err := s.ProductsAt(false, off, 7, total)
		if err != nil {
			t.Fatal(err)
		}
		if want := min(7, total-off); len(page) != want {
			t.Fatalf("at %d: %d rows, want %d", off, len(page), want)
		}
		same(fmt.Sprintf("at %d", off), page, off)
	}
	// Low stock: products at or below their reorder level.
	lowAll, err := s.ListProducts(store.ProductFilter{LowStock: true, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	nLow, err := s.CountLowStock()
	if err != nil || nLow != len(lowAll) || nLow == 0 {
		t.Fatal(nLow, len(lowAll), err)
	}
	lowPage, err := s.ProductsAfter(true, store.ProductCursor{}, 100)
	if err != nil || len(lowPage) != nLow {
		t.Fatal(len(lowPage), err)
	}
	tail, err := s.ProductsAt(true, nLow-3, 10, nLow)
	if err != nil || len(tail) != 3 || tail[2].ID != lowPage[nLow-1].ID {
		t.Fatalf("low-stock tail %+v %v", tail, err)
	}
}

// TestCountProducts follows the catalogue's count through additions,
// deletions and a change by another process on the same books.
func TestCountProducts(t *testing.T) {
	s := MustBooks(t)
	want := func(n int) {
		t.Helper()
		if got, err := s.CountProducts(); err != nil || got != n {
			t.Fatalf("count %d (%v), want %d", got, err, n)
		}
	}
	want(0)
	a := MustProduct(t, s, books.Product{Name: "Atta", SalePrice: 100, GSTRate: 500})
	want(1)
	want(1)
	b := MustProduct(t, s, books.Product{Name: "Besan", SalePrice: 100, GSTRate: 500})
	want(2)
	if err := s.DeleteProduct(a.ID); err != nil {
		t.Fatal(err)
	}
	want(1)
	db, err := sql.Open("sqlite", "file:"+s.Path()+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Another process brings one back and deletes the other: as many
	// deleted as before, the same count.
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		del int
		id  string
	}{{0, a.ID}, {1, b.ID}} {
		if _, err := tx.Exec(`UPDATE products SET deleted = ? WHERE id = ?`, c.del, c.id); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	want(1)
	if _, err := db.Exec(`UPDATE products SET deleted = 1 WHERE id = ?`, a.ID); err != nil {
		t.Fatal(err)
	}
	want(0)
}

// TestStockValue values stock at the end of a past day (stock now less
// what moved after it), as the full stock report does row by row; and the
// valuation's index comes to books made before it.
func TestStockValue(t *testing.T) {
	s := MustBooks(t)
	a := MustProduct(t, s, books.Product{Name: "Atta 5kg", SalePrice: 25000, GSTRate: 500, OpeningStock: 10000, PurchasePrice: 20033, ReorderLevel: 8000})
	b := MustProduct(t, s, books.Product{Name: "Oil 1L", SalePrice: 18000, GSTRate: 500, OpeningStock: 2500, PurchasePrice: 15011})
	MustProduct(t, s, books.Product{Name: "Salt 1kg", SalePrice: 2800, GSTRate: 0, OpeningStock: 0, PurchasePrice: 2100, ReorderLevel: 5000})
	gone := MustProduct(t, s, books.Product{Name: "Old soap", SalePrice: 3000, GSTRate: 1800, OpeningStock: 9000, PurchasePrice: 2500})
	if err := s.DeleteProduct(gone.ID); err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		date string
		p    books.Product
		qty  int64
	}{{"2026-09-10", a, 1}, {"2026-09-20", b, 1}, {"2026-10-02", a, 2}, {"2026-10-04", b, 1}} {
		if _, err := s.CreateSale(ctx, &books.SaleDraft{Date: day(d.date), Lines: []books.DraftLine{line(d.p, d.qty)}}); err != nil {
			t.Fatal(err)
		}
	}
	inv, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-03"), Lines: []books.DraftLine{line(a, 4)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CancelInvoice(ctx, inv.Number, "wrong item", day("2026-10-03")); err != nil {
		t.Fatal(err)
	}
	check := func(to string) {
		t.Helper()
		got, err := s.StockValue(ctx, to)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := s.StockAll(ctx, "2026-04-01", to)
		if err != nil {
			t.Fatal(err)
		}
		var want store.StockTotals
		for _, r := range rows {
			want.Products++
			want.Value += (r.Closing*r.PurchasePrice + 500) / 1000
			if r.Reorder > 0 && r.Closing <= r.Reorder {
				want.Low++
			}
		}
		if got != want {
			t.Errorf("stock value at %s: %+v, want %+v", to, got, want)
		}
	}
	check("2026-09-30") // atta 9, oil 1.5, salt 0 (low)
	check("2026-10-05")
	if v, _ := s.StockValue(ctx, "2026-09-30"); v.Products != 3 || v.Low != 1 || v.Value != 9*20033+(1500*15011+500)/1000 {
		t.Errorf("stock value at 30 Sep: %+v", v)
	}

	// Books from before the valuation index get it when opened.
	path := s.Path()
	s.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DROP INDEX products_value; DELETE FROM schema_migrations WHERE version = 75`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s2, err := store.Open(path, store.Options{Now: s.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n := count(t, s2, `SELECT count(*) FROM sqlite_schema WHERE name = 'products_value'`); n != 1 {
		t.Fatal("no valuation index after migrating")
	}
	if v, err := s2.StockValue(ctx, "2026-09-30"); err != nil || v.Products != 3 || v.Low != 1 {
		t.Fatalf("stock value after migrating: %+v %v", v, err)
	}
}

// TestSearchIndexMigrates opens books whose search index was made before
// migration 0077 (prefixes of up to three letters): the index is built
// again with longer prefixes and finds what it found before.
func TestSearchIndexMigrates(t *testing.T) {
	s := MustBooks(t)
	MustProduct(t, s, books.Product{Name: "Cycle Agarbatti Pack of 4", SKU: "AG4", SalePrice: 4000, GSTRate: 500})
	gone := MustProduct(t, s, books.Product{Name: "Agarbatti Old", SalePrice: 100, GSTRate: 500})
	if err := s.DeleteProduct(gone.ID); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TABLE product_fts`,
		`CREATE VIRTUAL TABLE product_fts USING fts5(name, sku, content='products', content_rowid='rid',
			tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')`,
		`INSERT INTO product_fts(product_fts) VALUES ('rebuild')`,
		`DELETE FROM schema_migrations WHERE version = 77`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s2, err := store.Open(path, store.Options{Now: s.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n := count(t, s2, `SELECT count(*) FROM sqlite_schema WHERE name = 'product_fts' AND sql LIKE '%prefix=''1 2 3 4 5 6''%'`); n != 1 {
		t.Fatal("search index not rebuilt with longer prefixes")
	}
	for _, q := range []string{"agarb", "agar pack 4", "cyc ag"} {
		hits, err := s2.SearchProducts(q, 20)
		if err != nil || len(hits) != 1 || hits[0].Name != "Cycle Agarbatti Pack of 4" {
			t.Fatalf("%q: %+v %v", q, hits, err)
		}
	}
	// The index stays in step with later changes.
	p := MustProduct(t, s2, books.Product{Name: "Zed Agarbatti", SalePrice: 100, GSTRate: 500})
	p.Name = "Zed Dhoop"
	if _, err := s2.SaveProduct(p); err != nil {
		t.Fatal(err)
	}
	if hits, _ := s2.SearchProducts("dhoop", 20); len(hits) != 1 {
		t.Fatalf("renamed product: %+v", hits)
	}
	if hits, _ := s2.SearchProducts("agarba", 20); len(hits) != 1 {
		t.Fatalf("old name still found: %+v", hits)
	}
}
