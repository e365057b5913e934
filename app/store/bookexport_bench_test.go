package store_test

import (
	"context"
	"runtime"
	"testing"
	"time"
)

type countingDiscard struct{ n int64 }

func (c *countingDiscard) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkExportBooks writes the large benchmark books (100,000 products,
// 200,000 invoices) as the local export ZIP (Settings → Privacy, naukar
// export books), reporting the seconds, the ZIP's size and the largest
// heap in use seen while writing, which stays small: the rows are
// streamed, never held.
func BenchmarkExportBooks(b *testing.B) {
	s := largeBooks(b)
	b.ResetTimer()
	for range b.N {
		w := &countingDiscard{}
		start := time.Now()
		var rows int64
		var peak uint64
		var ms runtime.MemStats
		err := s.ExportBooks(context.Background(), w, func(done, total int64) {
			rows = done
			if done%50_000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/export")
		b.ReportMetric(float64(w.n)/(1<<20), "MB-zip")
		b.ReportMetric(float64(rows), "rows")
		b.ReportMetric(float64(peak)/(1<<20), "MB-heap-peak")
	}
}
