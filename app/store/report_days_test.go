package store_test

import (
	"database/sql"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/store"
)

// TestDaySummaries: the day summaries are made for closed days only, in
// the background once a report has read enough invoices one by one or a
// download has brought enough; a new invoice or a cancellation deletes its
// day's summary in its own transaction.
func TestDaySummaries(t *testing.T) {
	defer store.SetKickAfter(1)()
	s := MustBooks(t) // today is 2026-10-05
	p := MustProduct(t, s, books.Product{Name: "Rice", GSTRate: 500, SalePrice: 10000, HSN: "1006"})
	sale := func(date string) *books.Invoice {
		t.Helper()
		inv, err := s.CreateSale(ctx, &books.SaleDraft{Date: day(date), Lines: []books.DraftLine{line(p, 1)}})
		if err != nil {
			t.Fatal(err)
		}
		return inv
	}
	first := sale("2026-10-01")
	sale("2026-10-03")
	sale("2026-10-05")
	summaries := func(where string) int {
		t.Helper()
		return count(t, s, `SELECT count(*) FROM report_days WHERE `+where)
	}

	t.Run("MadeAfterAReportReadClosedDays", func(t *testing.T) {
		d, err := s.GSTR1Data(ctx, "2026-10-01", "2026-10-31")
		if err != nil || len(d.Days) != 0 || len(d.Invoices) != 3 {
			t.Fatalf("before any summary: %d days, %d invoices (%v)", len(d.Days), len(d.Invoices), err)
		}
		s.WaitDaySummaries()
		// 1 to 4 October (a day without bills too); not today.
		if n, today := summaries("1"), summaries("date >= '2026-10-05'"); n != 4 || today != 0 {
			t.Fatalf("%d day summaries, %d of today or later; want 4 and 0", n, today)
		}
		d, err = s.GSTR1Data(ctx, "2026-10-01", "2026-10-31")
		if err != nil || len(d.Days) != 4 || len(d.Invoices) != 1 || d.Invoices[0].Date != "2026-10-05" {
			t.Fatalf("after: %d days, %d invoices (%v)", len(d.Days), len(d.Invoices), err)
		}
	})
	t.Run("NewInvoiceDropsItsDay", func(t *testing.T) {
		sale("2026-10-03")
		if n, day3 := summaries("1"), summaries("date = '2026-10-03'"); n != 3 || day3 != 0 {
			t.Fatalf("after a bill dated 3 October: %d summaries, %d of that day", n, day3)
		}
	})
	t.Run("CancellationDropsItsInvoicesDay", func(t *testing.T) {
		if _, err := s.CancelInvoice(ctx, first.Number, "wrong bill", day("2026-10-05")); err != nil {
			t.Fatal(err)
		}
		if n, day1 := summaries("1"), summaries("date = '2026-10-01'"); n != 2 || day1 != 0 {
			t.Fatalf("after cancelling a bill of 1 October: %d summaries, %d of that day", n, day1)
		}
	})
	t.Run("ChangedWhileMade", func(t *testing.T) {
		// A bill of 3 October saved after the day was read for its
		// summary and before the summary is written.
		if err := s.SummariseDayAround(ctx, "2026-10-03", func() { sale("2026-10-03") }); err != nil {
			t.Fatal(err)
		}
		tr, err := s.Trade(ctx, "2026-10-03", "2026-10-03")
		if err != nil || summaries("date = '2026-10-03'") != 1 || tr.InvoiceCount != 3 {
			t.Fatalf("the summary of 3 October counts %d bills, want 3 (%v)", tr.InvoiceCount, err)
		}
	})
	t.Run("OtherRulesNotRead", func(t *testing.T) {
		// Summaries made by other rules (another build's version) are not
		// read, and are made again (here, not in the background).
		defer store.SetKickAfter(1 << 30)()
		db, err := sql.Open("sqlite", "file:"+s.Path()+"?_pragma=busy_timeout(5000)")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		res, err := db.Exec(`UPDATE report_days SET version = version + 1`)
		if err != nil {
			t.Fatal(err)
		}
		old, _ := res.RowsAffected()
		d, err := s.GSTR1Data(ctx, "2026-10-01", "2026-10-31")
		if err != nil || len(d.Days) != 0 || len(d.Invoices) != 5 {
			t.Fatalf("read summaries of other rules: %d days, %d invoices (%v)", len(d.Days), len(d.Invoices), err)
		}
		// And 1 October's, dropped by the cancellation.
		n, err := s.SummariseDays(ctx)
		if err != nil || old != 3 || n != 4 || summaries("1") != 4 {
			t.Fatalf("made %d summaries (%v), want the 3 of other rules (%d) and 1 October's; %d in the books", n, err, old, summaries("1"))
		}
	})
	t.Run("MadeAfterADownload", func(t *testing.T) {
		_, page := outboxChanges(t, s)
		b := secondCounter(t, s)
		if _, err := b.ApplyChanges(ctx, page, 1); err != nil {
			t.Fatal(err)
		}
		if err := b.EndPull(ctx); err != nil {
			t.Fatal(err)
		}
		b.WaitDaySummaries()
		if n := count(t, b, `SELECT count(*) FROM report_days`); n != 4 {
			t.Fatalf("%d day summaries after the download, want 4", n)
		}
	})
}

// TestDaySummariesMigrate opens books from before the day summaries
// (migrations 0078 and 0079 not applied) and books whose summaries came
// before their version (0079 not applied, summaries still to be made):
// both open, and their closed days are summarised in the background.
func TestDaySummariesMigrate(t *testing.T) {
	for _, c := range []struct {
		name string
		undo []string
	}{
		{"BeforeSummaries", []string{`DROP TABLE report_days`, `DELETE FROM meta WHERE key = 'report_days'`,
			`DELETE FROM schema_migrations WHERE version IN (78, 79)`}},
		{"BeforeVersions", []string{`ALTER TABLE report_days DROP COLUMN version`,
			`INSERT OR REPLACE INTO meta(key, value) VALUES ('report_days', 'build')`,
			`DELETE FROM schema_migrations WHERE version = 79`}},
		{"BeforeVersionsAllMade", []string{`ALTER TABLE report_days DROP COLUMN version`,
			`DELETE FROM schema_migrations WHERE version = 79`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := MustBooks(t) // today is 2026-10-05
			p := MustProduct(t, s, books.Product{Name: "Rice", GSTRate: 500, SalePrice: 10000, HSN: "1006"})
			for _, d := range []string{"2026-10-01", "2026-10-02", "2026-10-05"} {
				if _, err := s.CreateSale(ctx, &books.SaleDraft{Date: day(d), Lines: []books.DraftLine{line(p, 1)}}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.SummariseDays(ctx); err != nil {
				t.Fatal(err)
			}
			path := s.Path()
			s.Close()
			db, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range c.undo {
				if _, err := db.Exec(q); err != nil {
					t.Fatal(q, err)
				}
			}
			db.Close()
			s2, err := store.Open(path, store.Options{Now: s.Now})
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Close()
			s2.WaitDaySummaries()
			d, err := s2.GSTR1Data(ctx, "2026-10-01", "2026-10-31")
			if err != nil || len(d.Days) != 4 || len(d.Invoices) != 1 {
				t.Fatalf("after migrating: %d day summaries, %d invoices read one by one (%v)", len(d.Days), len(d.Invoices), err)
			}
			if v, _ := s2.Meta("report_days"); v != "" {
				t.Fatalf("summaries still to be made: %q", v)
			}
		})
	}
}
