package syncapp_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
)

// BenchmarkNewDeviceDownload uploads the benchmark business (100,000
// products, 200,000 invoices and the rest) from its first device through a
// real server on loopback, then times a new device signing in on empty
// books and downloading all of it (paged, each page one transaction).
func BenchmarkNewDeviceDownload(b *testing.B) { benchDownload(b, demo.Large) }

// BenchmarkNewDeviceDownloadMedium is the same for a 5,000-product,
// 10,000-invoice business (quick to run while working on the sync path).
func BenchmarkNewDeviceDownloadMedium(b *testing.B) {
	benchDownload(b, demo.Size{Products: 5000, Parties: 500, Invoices: 10000, Purchases: 100, Expenses: 100, Seed: 5})
}

// uploadedBusiness signs up a business on a new test server and uploads
// demo books of size sz from its first device, which it returns (open).
func uploadedBusiness(tb testing.TB, sz demo.Size) (*testServer, *store.Store, time.Duration) {
	tb.Helper()
	tb.Setenv("NAUKAR_KEYRING", "file")
	bctx := context.Background()
	path, err := demo.Cached(bctx, sz, tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	srv := newServer(tb, time.Now)
	if err := signup(srv.URL, "Sharma General Stores"); err != nil {
		tb.Fatal(err)
	}
	first, err := store.Open(path, store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { first.Close() })
	if _, err := syncapp.Login(bctx, first, srv.URL, "ravi@example.com", "correct horse", "Counter 1"); err != nil {
		tb.Fatal(err)
	}
	eng, err := syncapp.Engine(first)
	if err != nil {
		tb.Fatal(err)
	}
	eng.BatchSize = 2000
	t0 := time.Now()
	if _, err := eng.Round(bctx); err != nil {
		tb.Fatal(err)
	}
	return srv, first, time.Since(t0)
}

func benchDownload(b *testing.B, sz demo.Size) {
	bctx := context.Background()
	srv, _, took := uploadedBusiness(b, sz)
	b.Logf("upload of the first device's books took %s", took)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		fresh, err := store.Open(filepath.Join(dir, "new.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := syncapp.Login(bctx, fresh, srv.URL, "ravi@example.com", "correct horse", "Laptop"); err != nil {
			b.Fatal(err)
		}
		e2, err := syncapp.Engine(fresh)
		if err != nil {
			b.Fatal(err)
		}
		e2.PageSize = 5000
		st, err := e2.Round(bctx)
		if err != nil {
			b.Fatal(err)
		}
		if n, _ := fresh.CountProducts(); n != sz.Products {
			b.Fatalf("downloaded %d products (%d rows applied)", n, st.Pulled)
		}
		b.ReportMetric(float64(st.Pulled), "rows")
		fresh.Close()
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/download")
}

// BenchmarkNewCounterBills times a new counter on the benchmark business
// from signing in to its first saved bill (the masters downloaded, the
// history still to come: s-to-bill) and to the end of the whole download
// (s-full).
func BenchmarkNewCounterBills(b *testing.B) { benchLoginToBill(b, demo.Large) }

// BenchmarkNewCounterBillsMedium is the same on the medium business.
func BenchmarkNewCounterBillsMedium(b *testing.B) {
	benchLoginToBill(b, demo.Size{Products: 5000, Parties: 500, Invoices: 10000, Purchases: 100, Expenses: 100, Seed: 5})
}

func benchLoginToBill(b *testing.B, sz demo.Size) {
	bctx := context.Background()
	srv, first, took := uploadedBusiness(b, sz)
	b.Logf("upload of the first device's books took %s", took)
	ps, err := first.ListProducts(store.ProductFilter{Limit: 1, Offset: sz.Products / 2})
	if err != nil || len(ps) != 1 {
		b.Fatal(ps, err)
	}
	code := ps[0].SKU
	var toBill, full, cpuToBill, cpuFull time.Duration
	stop := cpuProfile(b)
	defer stop()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0, cpu0 := time.Now(), cpuTime()
		fresh, err := store.Open(filepath.Join(b.TempDir(), "new.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := syncapp.Login(bctx, fresh, srv.URL, "ravi@example.com", "correct horse", "Laptop"); err != nil {
			b.Fatal(err)
		}
		e, err := syncapp.Engine(fresh)
		if err != nil {
			b.Fatal(err)
		}
		e.PageSize = 5000
		var billed, mastersIn, lastPage time.Duration
		e.OnDownload = func(d client.Download) {
			switch {
			case d.Part == client.PartMasters:
				mastersIn = time.Since(t0)
			case d.Part == client.PartHistory && billed != 0:
				lastPage = time.Since(t0)
			case d.Part == "":
				b.Logf("masters' last page at %s, history's last page at %s, finished at %s (uptime %s)",
					mastersIn, lastPage, time.Since(t0), loadAvg())
			}
			if d.Part != client.PartHistory || billed != 0 {
				return
			}
			p, err := fresh.ProductByCode(code)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := fresh.CreateSale(bctx, &books.SaleDraft{Lines: []books.DraftLine{{ProductID: p.ID, Product: p, Qty: 1000}}}); err != nil {
				b.Fatal(err)
			}
			billed = time.Since(t0)
			cpuToBill += cpuTime() - cpu0
			b.Logf("billed at %s (uptime %s)", billed, loadAvg())
		}
		if _, err := e.Round(bctx); err != nil {
			b.Fatal(err)
		}
		if billed == 0 {
			b.Fatal("no bill during the download")
		}
		toBill += billed
		full += time.Since(t0)
		cpuFull += cpuTime() - cpu0
		if n, _ := fresh.CountProducts(); n != sz.Products {
			b.Fatalf("downloaded %d products", n)
		}
		fresh.Close()
	}
	b.ReportMetric(toBill.Seconds()/float64(b.N), "s-to-bill")
	b.ReportMetric(full.Seconds()/float64(b.N), "s-full")
	// The CPU the process (the new counter and the server) used, which a
	// busy machine does not inflate as it does the times above.
	b.ReportMetric(cpuToBill.Seconds()/float64(b.N), "cpu-s-to-bill")
	b.ReportMetric(cpuFull.Seconds()/float64(b.N), "cpu-s-full")
}

// cpuProfile writes a CPU profile of the timed part of a benchmark to the
// file NAUKAR_BENCH_CPUPROFILE names (-cpuprofile would also cover the
// upload of the first device's books); the returned func stops it.
func cpuProfile(b *testing.B) func() {
	path := os.Getenv("NAUKAR_BENCH_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// loadAvg is the machine's load average (benchmark figures are read beside it).
func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.Join(strings.Fields(string(b))[:min(3, len(strings.Fields(string(b))))], " ")
}
