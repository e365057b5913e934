package syncapp_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
)

// TestNewDeviceBillsBeforeHistory: a new counter downloads the business
// profile, products and parties first and can bill as soon as they are in:
// search and barcodes work, the bill takes this counter's own series, and
// stock is said to be still loading. The history comes down afterwards.
// A download cut among the products goes on from the page it reached after
// the books are opened again. At the end both counters hold the same
// books, indexes, stock and search.
func TestNewDeviceBillsBeforeHistory(t *testing.T) {
	const page = 40
	sz := demo.Size{Products: 130, Parties: 12, Invoices: 160, Purchases: 6, Expenses: 6, Seed: 11}
	srv, first, _ := uploadedBusiness(t, sz)
	dir := t.TempDir()
	open := func(name string) (*store.Store, *client.Engine) {
		s, err := store.Open(filepath.Join(dir, name+".db"), store.Options{BulkFrom: page})
		if err != nil {
			t.Fatal(err)
		}
		e, err := syncapp.Engine(s)
		if err != nil {
			s.Close()
			t.Fatal(err)
		}
		e.PageSize = page
		return s, e
	}
	join := func(name string) syncapp.LoginResult {
		s, err := store.Open(filepath.Join(dir, name+".db"), store.Options{BulkFrom: page})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		res, err := syncapp.Login(ctx, s, srv.URL, "ravi@example.com", "correct horse", name)
		if err != nil || !res.Joining {
			t.Fatalf("login %+v %v", res, err)
		}
		return res
	}

	// Counter 2: a download cut after the first page of products goes on
	// from there once the books are opened again.
	join("counter2")
	s2, e2 := open("counter2")
	cctx, cancel := context.WithCancel(ctx)
	var seen []client.Download
	e2.OnDownload = func(d client.Download) {
		seen = append(seen, d)
		if d.Table == "products" {
			cancel()
		}
	}
	if _, err := e2.Round(cctx); err == nil {
		t.Fatal("the cut download reported success")
	}
	st, err := syncapp.Status(s2)
	if err != nil || st.Download == nil || st.Download.Part != client.PartMasters || st.Download.Table != "products" || st.Download.Done == 0 {
		t.Fatalf("status after the cut: %+v %v (pages seen %+v)", st.Download, err, seen)
	}
	if seen[0].Table != "business" || seen[0].Total == 0 {
		t.Fatalf("the business profile did not come first: %+v", seen)
	}
	s2.Close()
	s2, e2 = open("counter2")
	defer s2.Close()
	if _, err := e2.Round(ctx); err != nil {
		t.Fatal(err)
	}

	// Counter 3: bills as soon as the masters are in (downloaded in bulk
	// mode), while the history still comes; the history is cut and goes
	// on after the books are opened again.
	res := join("counter3")
	s3, e3 := open("counter3")
	var sold *books.Invoice
	var history int
	cctx, cancel = context.WithCancel(ctx)
	e3.OnDownload = func(d client.Download) {
		if d.Part != client.PartHistory {
			return
		}
		if history++; history == 3 {
			cancel()
		}
		if sold != nil {
			return
		}
		if n, err := s3.CountProducts(); err != nil || n != sz.Products {
			t.Fatalf("ready to bill with %d of %d products (%v)", n, sz.Products, err)
		}
		if v, _ := s3.Meta("bulk_indexes"); v == "" {
			t.Fatal("the masters were not downloaded in bulk mode")
		}
		if !s3.HistoryLoading() {
			t.Fatal("stock is shown as final while the history is still coming")
		}
		rows, err := s3.ListInvoices(store.InvoiceFilter{Limit: 1000})
		if err != nil || len(rows) >= sz.Invoices {
			t.Fatalf("the history was already in (%d invoices, %v)", len(rows), err)
		}
		ps, err := first.ListProducts(store.ProductFilter{Limit: 1, Offset: 77})
		if err != nil || len(ps) != 1 {
			t.Fatal(ps, err)
		}
		p, err := s3.ProductByCode(ps[0].SKU)
		if err != nil {
			t.Fatalf("code %s on the new counter: %v", ps[0].SKU, err)
		}
		hits, err := s3.SearchProducts(p.Name, 20)
		found := false
		for _, h := range hits {
			found = found || h.ID == p.ID
		}
		if err != nil || !found {
			t.Fatalf("search %q: %v %v", p.Name, hits, err)
		}
		sold, err = s3.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{{ProductID: p.ID, Product: p, Qty: 2000}}})
		if err != nil {
			t.Fatalf("bill during the history download: %v", err)
		}
		if !strings.Contains(sold.Number, res.Series+"-") || !strings.HasSuffix(sold.Number, "-1") {
			t.Fatalf("bill number %s, want the first of series %s", sold.Number, res.Series)
		}
	}
	if _, err := e3.Round(cctx); err == nil {
		t.Fatal("the cut history download reported success")
	}
	if sold == nil {
		t.Fatal("no bill during the download")
	}
	if st, err := syncapp.Status(s3); err != nil || st.Download == nil || st.Download.Part != client.PartHistory || st.Download.Percent() >= 100 {
		t.Fatalf("status after the cut: %+v %v", st.Download, err)
	}
	s3.Close()
	s3, e3 = open("counter3")
	defer s3.Close()
	if !s3.HistoryLoading() {
		t.Fatal("stock is shown as final after the cut")
	}
	if _, err := e3.Round(ctx); err != nil {
		t.Fatal(err)
	}
	if s3.HistoryLoading() {
		t.Fatal("still loading after the download")
	}
	if st, err := syncapp.Status(s3); err != nil || st.Download != nil {
		t.Fatalf("status after the download: %+v %v", st.Download, err)
	}

	// The bill goes up, the others get it, and all hold the same books.
	fe, err := syncapp.Engine(first)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []*client.Engine{e3, fe, e2} {
		if _, err := e.Round(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range []*store.Store{first, s2, s3} {
		if err := b.FoldStock(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range []*store.Store{s2, s3} {
		if got, want := dump(t, b.Path()), dump(t, first.Path()); got != want {
			t.Fatalf("%s differs:\n%s", b.Path(), diff(want, got))
		}
		if got, want := derived(t, b.Path()), derived(t, first.Path()); got != want {
			t.Fatalf("indexes, stock or search of %s differ:\n%s", b.Path(), diff(want, got))
		}
	}
}
