package backup_test

import (
	"os"
	"testing"

	"github.com/ainaukar/naukar/app/backup"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/store"
)

// largeBooks opens a copy of the large demo books (100,000 products,
// 200,000 invoices; built once and cached, ~10 minutes the first time).
func largeBooks(b *testing.B) (*backup.Manager, *store.Store) {
	b.Helper()
	path, err := demo.Cached(ctx, demo.BenchSize(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	m := backup.New(path)
	st, err := m.Open(store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return m, st
}

// BenchmarkBackupLarge: one backup of the large books (VACUUM INTO a new
// file, synced), with its size.
func BenchmarkBackupLarge(b *testing.B) {
	m, st := largeBooks(b)
	var size int64
	for b.Loop() {
		res, err := m.Make(ctx, st, backup.Manual)
		if err != nil {
			b.Fatal(err)
		}
		size = res.Size
	}
	b.ReportMetric(float64(size)/1e6, "backup-MB")
}

// BenchmarkQuickCheckLarge: the check every start runs.
func BenchmarkQuickCheckLarge(b *testing.B) {
	_, st := largeBooks(b)
	for b.Loop() {
		if p, err := st.Check(ctx, false); err != nil || len(p) > 0 {
			b.Fatal(p, err)
		}
	}
}

// BenchmarkFullCheckLarge: the weekly integrity_check.
func BenchmarkFullCheckLarge(b *testing.B) {
	_, st := largeBooks(b)
	for b.Loop() {
		if p, err := st.Check(ctx, true); err != nil || len(p) > 0 {
			b.Fatal(p, err)
		}
	}
}

// BenchmarkRestoreLarge: find the newest good backup (its quick_check) and
// put it in place of the books.
func BenchmarkRestoreLarge(b *testing.B) {
	m, st := largeBooks(b)
	if _, err := m.Make(ctx, st, backup.Manual); err != nil {
		b.Fatal(err)
	}
	st.Close()
	for b.Loop() {
		c, err := m.NewestGood(ctx)
		if err != nil {
			b.Fatal(err)
		}
		res, err := m.Restore(ctx, c.Backup)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.Remove(res.Aside)
		b.StartTimer()
	}
}
