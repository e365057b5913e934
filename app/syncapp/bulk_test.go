package syncapp_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
)

// TestNewDeviceBulkDownload: a new device downloads a business of a few
// hundred rows in bulk mode (indexes dropped, stock and search derived at
// the end) and ends with the same books as the first device: synced rows
// byte for byte, stock, search and every index. A download killed half way
// is finished at the next open and completes in the normal way.
//
// The business is small and the bulk threshold and page size are lowered
// to match (the path is the same as at 1,000 rows a page): under -race on
// two cores a few thousand rows took minutes. BenchmarkNewDeviceDownload
// runs the real sizes.
func TestNewDeviceBulkDownload(t *testing.T) {
	const page = 100
	sz := demo.Size{Products: 130, Parties: 12, Invoices: 160, Purchases: 6, Expenses: 6, Seed: 11}
	srv, first, _ := uploadedBusiness(t, sz)
	if err := first.FoldStock(ctx); err != nil {
		t.Fatal(err)
	}

	join := func(name string) (*store.Store, *client.Engine) {
		s, err := store.Open(filepath.Join(t.TempDir(), "new.db"), store.Options{BulkFrom: page})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := syncapp.Login(ctx, s, srv.URL, "ravi@example.com", "correct horse", name); err != nil {
			t.Fatal(err)
		}
		e, err := syncapp.Engine(s)
		if err != nil {
			t.Fatal(err)
		}
		e.PageSize = page
		return s, e
	}
	same := func(s *store.Store) {
		t.Helper()
		// Stock effects of rows applied normally wait in stock_pending
		// until folded (at once past 2,048 of them; else within a second).
		if err := s.FoldStock(ctx); err != nil {
			t.Fatal(err)
		}
		if got, want := dump(t, s.Path()), dump(t, first.Path()); got != want {
			t.Fatalf("the new device's books differ:\n%s", diff(want, got))
		}
		if got, want := derived(t, s.Path()), derived(t, first.Path()); got != want {
			t.Fatalf("indexes, stock or search differ:\n%s", diff(want, got))
		}
		if v, _ := s.Meta("bulk_indexes"); v != "" {
			t.Fatalf("still in bulk mode: %s", v)
		}
		ps, err := first.ListProducts(store.ProductFilter{Limit: 5, Offset: 100})
		if err != nil || len(ps) != 5 {
			t.Fatalf("%v %v", ps, err)
		}
		for _, p := range ps {
			hits, err := s.SearchProducts(p.Name, 20)
			found := false
			for _, h := range hits {
				found = found || h.ID == p.ID && h.Stock == p.Stock
			}
			if err != nil || !found {
				t.Fatalf("search for %q on the new device: %+v %v (want stock %d)", p.Name, hits, err, p.Stock)
			}
		}
	}

	// A whole download in bulk mode.
	a, ea := join("Laptop")
	defer a.Close()
	var sawBulk bool
	ea.Progress = func(done int, more bool) {
		if v, _ := a.Meta("bulk_indexes"); v != "" {
			sawBulk = true
		}
	}
	st, err := ea.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !sawBulk || st.Pulled < 3*page {
		t.Fatalf("bulk mode %v, %d rows", sawBulk, st.Pulled)
	}
	same(a)

	// A download killed after its first page: the next open finishes the
	// bulk part, and the next sync carries on normally.
	b, eb := join("Counter 2")
	cctx, cancel := context.WithCancel(ctx)
	eb.Progress = func(int, bool) { cancel() }
	if _, err := eb.Round(cctx); err == nil {
		t.Fatal("the cut download reported success")
	}
	if v, _ := b.Meta("bulk_indexes"); v == "" {
		t.Fatal("the cut download was not in bulk mode")
	}
	bpath := b.Path()
	b.Close()
	b, err = store.Open(bpath, store.Options{BulkFrom: page})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if v, _ := b.Meta("bulk_indexes"); v != "" {
		t.Fatal("open did not finish the cut bulk download")
	}
	eb, err = syncapp.Engine(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eb.Round(ctx); err != nil {
		t.Fatal(err)
	}
	same(b)
}

// derived lists a books file's indexes, stock levels and stock per day,
// the size of its search index, and the rows derived from documents and
// products (lines, ledger, money moves, codes).
func derived(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out string
	for _, q := range []string{
		`SELECT name || ' ' || sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`,
		`SELECT product_id || ' ' || qty FROM stock_levels WHERE qty <> 0 ORDER BY product_id`,
		`SELECT product_id || ' ' || date || ' ' || qty_in || ' ' || qty_out FROM stock_days WHERE qty_in <> 0 OR qty_out <> 0 ORDER BY product_id, date`,
		`SELECT 'fts ' || count(*) FROM product_fts WHERE product_fts MATCH 'a* OR e* OR i* OR o* OR u*'`,
		// The rows documents and products derive.
		`SELECT concat_ws(' ', doc_table, date, doc_id, n, product_id, hsn, unit, qty, rate, taxable, cgst, sgst, igst, cess, total, cost, stock_delta, cancelled)
			FROM doc_lines ORDER BY doc_table, date, doc_id, n`,
		`SELECT concat_ws(' ', doc_id, party_id, doc_table, date, number, debit, credit, cancelled) FROM ledger ORDER BY doc_id, party_id`,
		`SELECT concat_ws(' ', doc_id, n, doc_table, date, mode, amount_in, amount_out, cancelled) FROM money_moves ORDER BY doc_id, n`,
		`SELECT code || ' ' || product_id FROM product_codes ORDER BY code, product_id`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out += s + "\n"
		}
		rows.Close()
	}
	return out
}
