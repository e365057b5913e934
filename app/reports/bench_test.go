package reports_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
)

// The benchmarks share one copy of the Large demo books (100,000
// products, 200,000 invoices over two years to 20-11-2026): copying and
// migrating it takes a while, so it is made once per run.
var (
	largeOnce sync.Once
	largeDir  string
	largeSvc  *reports.Service
	largeErr  error
	partyName string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if largeSvc != nil {
		largeSvc.Store().Close()
	}
	if largeDir != "" {
		os.RemoveAll(largeDir)
	}
	os.Exit(code)
}

func large(b *testing.B) *reports.Service {
	b.Helper()
	largeOnce.Do(func() {
		if largeDir, largeErr = os.MkdirTemp("", "naukar-reports-bench"); largeErr != nil {
			return
		}
		path, err := demo.Cached(context.Background(), demo.BenchSize(), largeDir)
		if err != nil {
			largeErr = err
			return
		}
		start := time.Now()
		st, err := store.Open(path, store.Options{Now: func() time.Time { return demo.Today }})
		if err != nil {
			largeErr = err
			return
		}
		// Books from before the day summaries (migration 0078) are
		// summarised after they open; the reports are timed on the books
		// as they are once that is done.
		opened := time.Since(start)
		if _, err := st.SummariseDays(context.Background()); err != nil {
			largeErr = err
			return
		}
		fmt.Printf("books opened (and migrated) in %v; their day summaries ready %v later\n", opened.Round(time.Millisecond),
			(time.Since(start) - opened).Round(time.Millisecond))
		largeSvc = reports.New(st)
		dues, err := largeSvc.AllDues(context.Background(), "2026-10-31")
		if err != nil || len(dues) == 0 {
			largeErr = err
			return
		}
		partyName = dues[0].Party.Name
	})
	if largeErr != nil {
		b.Fatalf("large demo books: %v", largeErr)
	}
	b.ResetTimer()
	return largeSvc
}

// cpuTime is the CPU the process has used. The benchmark machine is shared:
// wall time swings with other work, so each benchmark also reports its CPU
// time per operation (the reports run on one goroutine, so that is close
// to the wall time on an idle machine).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs op in the benchmark loop and reports CPU ms per op.
func measure(b *testing.B, op func()) {
	start, n := cpuTime(), 0
	for b.Loop() {
		op()
		n++
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(n), "cpu-ms/op")
}

func benchReport(b *testing.B, name string, q reports.Query) {
	svc := large(b)
	ctx := context.Background()
	var rep *reports.Report
	measure(b, func() {
		var err error
		if rep, err = svc.Run(ctx, name, q); err != nil {
			b.Fatal(err)
		}
	})
	if len(rep.Tables) == 0 {
		b.Fatal("no tables")
	}
}

func mustPeriod(b *testing.B, s string) reports.Period {
	p, err := reports.ParsePeriod(s)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkGSTR1Month is GSTR-1 for October 2026 (about 8,500 invoices).
func BenchmarkGSTR1Month(b *testing.B) {
	benchGSTR1(b, "102026")
}

// BenchmarkGSTR1Quarter is GSTR-1 for July–September 2026, a quarterly
// return of about 25,000 invoices: more than the 20,000-invoice month the
// target names.
func BenchmarkGSTR1Quarter(b *testing.B) {
	benchGSTR1(b, "Q2-2026-27")
}

// BenchmarkGSTR1MonthEveryInvoice is BenchmarkGSTR1Month read from every
// invoice and line, as before the day summaries: the same books, the same
// machine, for comparison.
func BenchmarkGSTR1MonthEveryInvoice(b *testing.B) {
	everyDocument(b)
	benchGSTR1(b, "102026")
}

// everyDocument makes the reports read every document until the benchmark ends.
func everyDocument(b *testing.B) {
	st := large(b).Store()
	st.UseDaySummaries(false)
	b.Cleanup(func() { st.UseDaySummaries(true) })
}

func benchGSTR1(b *testing.B, p string) {
	svc := large(b)
	ctx := context.Background()
	q := reports.Query{Period: mustPeriod(b, p)}
	var n int
	measure(b, func() {
		rep, err := svc.Run(ctx, "gstr1", q)
		if err != nil {
			b.Fatal(err)
		}
		if err := reports.WriteJSON(io.Discard, rep); err != nil {
			b.Fatal(err)
		}
		n = 0
		for _, t := range rep.Tables {
			if t.Name == "docs" {
				for _, r := range t.Rows {
					n += int(r[3].(int64))
				}
			}
		}
	})
	b.ReportMetric(float64(n), "docs")
}

func BenchmarkGSTR3BMonth(b *testing.B) {
	benchReport(b, "gstr3b", reports.Query{Period: mustPeriod(b, "102026")})
}

// BenchmarkPnLYear is profit and loss for FY 2025-26 (about 100,000 invoices).
func BenchmarkPnLYear(b *testing.B) {
	benchReport(b, "pnl", reports.Query{Period: mustPeriod(b, "2025-26")})
}

// BenchmarkPnLYearEveryInvoice is BenchmarkPnLYear read from every line,
// as before the day summaries.
func BenchmarkPnLYearEveryInvoice(b *testing.B) {
	everyDocument(b)
	benchReport(b, "pnl", reports.Query{Period: mustPeriod(b, "2025-26")})
}

// BenchmarkStockValuationYear values all 100,000 products' stock at the
// end of FY 2025-26.
func BenchmarkStockValuationYear(b *testing.B) {
	svc := large(b)
	ctx := context.Background()
	measure(b, func() {
		t, err := svc.StockValue(ctx, "2026-03-31")
		if err != nil || t.Products != demo.BenchSize().Products {
			b.Fatal(t, err)
		}
	})
}

// BenchmarkStockReportYear is the full stock summary (every product with
// opening, in, out, closing and value) for FY 2025-26, as exported.
func BenchmarkStockReportYear(b *testing.B) {
	benchReport(b, "stock", reports.Query{Period: mustPeriod(b, "2025-26")})
}

// BenchmarkFirstPage is the first 100 rows of each report for October
// 2026, as the Reports screen asks for them.
func BenchmarkFirstPage(b *testing.B) {
	for _, d := range reports.Reports() {
		b.Run(d.Name, func(b *testing.B) {
			large(b)
			benchReport(b, d.Name, reports.Query{Period: mustPeriod(b, "102026"), Limit: 100, Party: partyName})
		})
	}
	b.Run("lowstock", func(b *testing.B) {
		// The screen opens on this month, which includes today.
		benchReport(b, "stock", reports.Query{Period: mustPeriod(b, time.Now().Format("012006")), Limit: 100, LowStock: true})
	})
	b.Run("charts", func(b *testing.B) {
		svc := large(b)
		p := mustPeriod(b, "102026")
		measure(b, func() {
			if _, err := svc.Charts(context.Background(), p); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkTallyMonth writes October 2026 of the Large books (about 8,500
// invoices, with their returns, purchases, payments and expenses) as a
// Tally import file: accounting vouchers, and item invoices with stock
// items (the 100,000 products' names are read to keep stock items apart).
func BenchmarkTallyMonth(b *testing.B) {
	for _, c := range []struct {
		name string
		o    reports.TallyOptions
	}{{"accounting", reports.TallyOptions{}}, {"items", reports.TallyOptions{Inventory: true}}} {
		b.Run(c.name, func(b *testing.B) {
			svc := large(b)
			p := mustPeriod(b, "102026")
			var stats reports.TallyStats
			var size countWriter
			measure(b, func() {
				size = 0
				var err error
				if stats, err = svc.WriteTally(context.Background(), &size, p, c.o); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportMetric(float64(stats.Vouchers), "vouchers")
			b.ReportMetric(float64(size)/(1<<20), "MB")
		})
	}
}

type countWriter int64

func (w *countWriter) Write(p []byte) (int, error) {
	*w += countWriter(len(p))
	return len(p), nil
}
