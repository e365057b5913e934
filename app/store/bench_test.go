package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/store"
)

// largeBooks opens a fresh copy of the benchmark books: 100,000 products and
// 200,000 invoices, or with NAUKAR_BENCH_SIZE=huge 1,000,000 products and
// 5,000,000 invoices (built once, cached in the temp folder).
func largeBooks(b *testing.B) *store.Store { return demoBooks(b, demo.BenchSize()) }

func demoBooks(b *testing.B, sz demo.Size) *store.Store {
	b.Helper()
	path, err := demo.Cached(context.Background(), sz, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	s, err := store.Open(path, store.Options{Now: func() time.Time { return demo.Today }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func sampleProducts(b *testing.B, s *store.Store, n, of int) []books.Product {
	b.Helper()
	r := rand.New(rand.NewPCG(3, 4))
	out := make([]books.Product, 0, n)
	for len(out) < n {
		p, err := s.ProductByCode(demo.BenchSize().SKU(1 + r.IntN(of)))
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func median(ds []time.Duration) float64 {
	slices.Sort(ds)
	return float64(ds[len(ds)/2].Microseconds())
}

// BenchmarkSaveInvoice8Lines saves an 8-line bill (validation, tax,
// numbering, stock, ledger, money, outbox) and, in the same run, the bare
// SQLite inserts of the same rows (invoice row + 8 line rows), reporting
// the median of each and their ratio.
func BenchmarkSaveInvoice8Lines(b *testing.B) { benchSave(b, demo.BenchSize()) }

// BenchmarkSaveInvoice8LinesSmallBooks is the same on a new shop's books
// (300 products, 400 invoices), where everything fits in the page cache.
func BenchmarkSaveInvoice8LinesSmallBooks(b *testing.B) { benchSave(b, demo.Small) }

func benchSave(b *testing.B, sz demo.Size) {
	s := demoBooks(b, sz)
	ps := sampleProducts(b, s, 400, sz.Products)
	party := &books.PartySnapshot{Name: "Ravi Sharma", Phone: "9100000001"}
	draft := func(i int) *books.SaleDraft {
		d := &books.SaleDraft{Date: demo.Today}
		for j := 0; j < 8; j++ {
			p := ps[(i*8+j)%len(ps)]
			d.Lines = append(d.Lines, books.DraftLine{ProductID: p.ID, Product: p, Qty: 2000})
		}
		if i%3 == 0 {
			c := *party
			d.Party = &c
		}
		return d
	}
	var save []time.Duration
	var saved []*books.Invoice
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		d := draft(i)
		t0 := time.Now()
		inv, err := s.CreateSale(ctx, d)
		if err != nil {
			b.Fatal(err)
		}
		save = append(save, time.Since(t0))
		saved = append(saved, inv)
	}
	b.StopTimer()

	// The bare inserts of the same rows (the invoice row and its 8 lines,
	// nothing else), in the same run, on a connection of their own with the
	// same settings. They run after the saves rather than between them: two
	// writers taking turns would each find the other's changes and drop
	// their page caches, which the app (one writer) never does.
	raw, err := sql.Open("sqlite", "file:"+s.Path()+"?_pragma=busy_timeout(5000)&_pragma=synchronous(NORMAL)"+
		"&_pragma=cache_size(-16384)&_pragma=mmap_size(268435456)&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	ins, err := raw.Prepare(`INSERT INTO invoices(id, business_id, hlc, data, number, date, grand_total) VALUES (?,?,?,?,?,?,?)`)
	if err != nil {
		b.Fatal(err)
	}
	insLine, err := raw.Prepare(`INSERT INTO doc_lines(doc_id, n, doc_table, date, product_id, hsn, unit, qty, rate, taxable, cgst, sgst, igst, cess, total, cost, stock_delta) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		b.Fatal(err)
	}
	var bare []time.Duration
	for i, inv := range saved {
		data, _ := json.Marshal(inv)
		t1 := time.Now()
		tx, err := raw.Begin()
		if err != nil {
			b.Fatal(err)
		}
		id := fmt.Sprintf("bare-%d", i)
		if _, err := tx.Stmt(ins).Exec(id, "b", "h", string(data), "BARE-"+inv.Number, inv.Date, inv.GrandTotal); err != nil {
			b.Fatal(err)
		}
		for n, l := range inv.Lines {
			if _, err := tx.Stmt(insLine).Exec(id, n, "bare", inv.Date, l.ProductID, l.HSN, l.Unit, l.Qty, int64(l.Rate),
				l.Taxable, l.CGST, l.SGST, l.IGST, l.Cess, l.Total, l.Cost, 0); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		bare = append(bare, time.Since(t1))
	}
	ms, mb := median(save), median(bare)
	b.ReportMetric(ms, "save-median-µs")
	b.ReportMetric(mb, "bare-median-µs")
	b.ReportMetric(ms/mb, "x-bare")
}

var queries = []string{"bas", "tata sal", "ri", "amul but", "maggi noo 1", "det", "sk00123", "colgate tooth", "dal", "agar"}

// cpuPerOp reports, when the returned func is called after the loop, the
// process's CPU time per operation beside the wall time (on a loaded
// machine the wall time shows queueing more than work).
func cpuPerOp(b *testing.B) func() {
	var ru syscall.Rusage
	cpu := func() time.Duration {
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() { b.ReportMetric(float64((cpu()-start).Microseconds())/float64(b.N), "cpu-µs/op") }
}

// BenchmarkSearchTop20 is product search as you type over 100,000 products.
func BenchmarkSearchTop20(b *testing.B) {
	s := largeBooks(b)
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		hits, err := s.SearchProducts(queries[i%len(queries)], 20)
		if err != nil {
			b.Fatal(err)
		}
		if len(hits) == 0 {
			b.Fatalf("no hits for %q", queries[i%len(queries)])
		}
	}
}

// BenchmarkBarcodeLookup is an exact barcode scan.
func BenchmarkBarcodeLookup(b *testing.B) {
	s := largeBooks(b)
	ps := sampleProducts(b, s, 1000, demo.BenchSize().Products)
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		if _, err := s.ProductByCode(ps[i%len(ps)].Barcodes[0]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenFirstScreen opens the books and loads what the first screen
// shows (profile, product count, first page of products and invoices); it
// must never load the whole catalogue.
func BenchmarkOpenFirstScreen(b *testing.B) {
	path, err := demo.Cached(context.Background(), demo.BenchSize(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	// A first open applies any migration newer than the cached demo file.
	if s, err := store.Open(path, store.Options{}); err != nil {
		b.Fatal(err)
	} else {
		s.Close()
	}
	for b.Loop() {
		s, err := store.Open(path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Business(); err != nil {
			b.Fatal(err)
		}
		if _, err := s.CountProducts(); err != nil {
			b.Fatal(err)
		}
		if ps, err := s.ListProducts(store.ProductFilter{Limit: 50}); err != nil || len(ps) != 50 {
			b.Fatal(err)
		}
		if is, err := s.ListInvoices(store.InvoiceFilter{Limit: 50}); err != nil || len(is) != 50 {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkPendingCount reports how many changes wait to be pushed on books
// never synced (the large demo books: 310,000 outbox entries, 205,000 of
// them documents), as every sync round does: Count is the COUNT query the
// engine uses, ReadAll the whole outbox read into memory, as it did before.
func BenchmarkPendingCount(b *testing.B) {
	s := largeBooks(b)
	b.Run("Count", func(b *testing.B) {
		for b.Loop() {
			if n, err := s.PendingCount(); err != nil || n == 0 {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("ReadAll", func(b *testing.B) {
		for b.Loop() {
			if ms, err := s.PendingMutations(1 << 30); err != nil || len(ms) == 0 {
				b.Fatal(len(ms), err)
			}
		}
	})
}

// BenchmarkCountLowStock counts the products at or below their reorder
// level, as the Today screen and the Products screen's low-stock filter do.
func BenchmarkCountLowStock(b *testing.B) {
	s := largeBooks(b)
	for b.Loop() {
		if n, err := s.CountLowStock(); err != nil || n == 0 {
			b.Fatal(n, err)
		}
	}
}
