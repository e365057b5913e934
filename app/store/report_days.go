package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	gojson "github.com/goccy/go-json"
	"golang.org/x/sync/errgroup"

	"github.com/ainaukar/naukar/app/gst"
)

// Reports over long periods (GSTR-1 of a month, profit and loss of a
// year) used to read every invoice and line of the period: on a big
// shop's books, millions of lines. report_days (migration 0078) keeps per
// closed day what the day's invoices add to them, and the reports read a
// summary for each day that has one and the invoices of the others:
//
//   - A summary is made only for a day before today (SummariseDays), from
//     one read transaction, and written only if the day's invoices are
//     still what it read (else it is made again inside the write
//     transaction): it cannot miss a change made while it was being made.
//   - Every change to a day's invoices (a new invoice, saved here or pulled
//     from another device, and a cancellation) deletes the day's summary in
//     its own transaction (Tx.dayChanged), so a summary is never stale.
//   - Summaries are made in the background after the migration, after a
//     big download, and when a report had to read many invoices of closed
//     days one by one; the bulk demo builder makes them as it finishes.
//
// What a summary holds is decided by app/gst (SummariseGSTR1Day,
// ListedInGSTR1); this file only stores and sums.

const (
	metaReportDays = "report_days" // "build": summaries are to be made in the background
	dropDay        = `DELETE FROM report_days WHERE date = ?`
)

// daySummaryVersion is the version a summary is made with and read at:
// the GST rules' (gst.GSTR1DayVersion) and this file's sums. Change
// daySums with any change to what makeDay sums.
const (
	daySums           = 1
	daySummaryVersion = gst.GSTR1DayVersion*1000 + daySums
)

// kickAfter is how many invoices of closed days a report may read one by
// one before the missing summaries are made in the background, and how
// many a download must bring for them to be made after it.
var kickAfter = 20_000

// daySummary is one day's row of report_days as GSTR-1 reads it: the
// day's summary and its invoices listed one by one.
type daySummary struct {
	gst.GSTR1Day
	Listed []GSTDoc
}

// dayBlob is the JSON of report_days.gstr1.
type dayBlob struct {
	Day    gst.GSTR1Day `json:"day"`
	Listed []GSTDoc     `json:"listed,omitempty"`
}

// dayChanged notes that a document of date changed: its summary is deleted
// when the transaction commits.
func (tx *Tx) dayChanged(date string) {
	if tx.days == nil {
		tx.days = map[string]bool{}
	}
	tx.days[date] = true
}

// dropChangedDays deletes the summaries of the days the transaction changed.
func (tx *Tx) dropChangedDays() error {
	for d := range tx.days {
		if _, err := tx.Exec(dropDay, d); err != nil {
			return fmt.Errorf("day summary %s: %w", d, err)
		}
	}
	tx.days = nil
	return nil
}

// UseDaySummaries says whether reports read the day summaries (on by
// default). Off, every report reads every document: for checks.
func (s *Store) UseDaySummaries(on bool) { s.noDays.Store(!on) }

// SummariseDays makes the missing summaries of the days before today, a
// day a write transaction (summaryReaders days read at once), and returns
// how many it made. It stops early when ctx ends or the books are closed.
func (s *Store) SummariseDays(ctx context.Context) (int, error) {
	s.daysMu.Lock()
	defer s.daysMu.Unlock()
	if s.bulk.Load() {
		// A download being applied in bulk (bulk.go) has dropped the
		// indexes the summaries read; its invoices are still arriving.
		return 0, nil
	}
	today := s.now().Format("2006-01-02")
	var first sql.NullString
	if err := s.r.QueryRowContext(ctx, `SELECT min(date) FROM invoices`).Scan(&first); err != nil {
		return 0, fmt.Errorf("day summaries: %w", err)
	}
	have := map[string]bool{}
	rows, err := s.r.QueryContext(ctx, `SELECT date FROM report_days WHERE version = ?`, daySummaryVersion)
	if err != nil {
		return 0, fmt.Errorf("day summaries: %w", err)
	}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return 0, err
		}
		have[d] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	var unmade []string
	if first.Valid {
		for d := first.String; d < today; {
			if !have[d] {
				unmade = append(unmade, d)
			}
			next := nextDay(d)
			if next <= d {
				break // not a date
			}
			d = next
		}
	}
	// Days are read side by side on the read pool, each in a read
	// transaction, and written one at a time (dayRow.save).
	var made atomic.Int64
	jobs := make(chan string)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(jobs)
		for _, d := range unmade {
			select {
			case jobs <- d:
			case <-gctx.Done():
				return nil
			}
		}
		return nil
	})
	for range summaryReaders {
		g.Go(func() error {
			for d := range jobs {
				if s.bulk.Load() {
					continue // a download began: later
				}
				r, err := s.readDay(gctx, d)
				if err != nil {
					return err
				}
				ok, err := r.save(gctx, s)
				if err != nil {
					return err
				}
				if ok {
					made.Add(1)
				}
			}
			return nil
		})
	}
	err = g.Wait()
	n := int(made.Load())
	if err != nil || s.bulk.Load() {
		return n, err
	}
	var flagged int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE key = ?`, metaReportDays).Scan(&flagged); err != nil || flagged == 0 {
		return n, err
	}
	return n, s.tx(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`DELETE FROM meta WHERE key = ?`, metaReportDays)
		return err
	})
}

// summaryReaders is how many days SummariseDays reads at once.
const summaryReaders = 2

// dayRow is a day's row of report_days, as read from the books at some
// moment: fp says which of the day's invoices it was made from.
type dayRow struct {
	date                       string
	fp                         dayPrint
	blob                       []byte
	invoices                   int
	turnover, sales, tax, cost int64
}

// dayPrint tells a day's invoices apart from what they were at another
// moment: invoices are only ever added or cancelled.
type dayPrint struct{ count, cancelled, lastRid int64 }

const dayPrintSQL = `SELECT count(*), coalesce(sum(cancelled), 0), coalesce(max(rid), 0) FROM invoices WHERE date = ?`

// readDay makes the summary of date from one consistent view of the books
// (a read transaction on the read pool).
func (s *Store) readDay(ctx context.Context, date string) (*dayRow, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("day summary %s: %w", date, err)
	}
	defer tx.Rollback()
	return s.makeDay(ctx, tx, date)
}

// makeDay makes the summary of date from what q reads.
func (s *Store) makeDay(ctx context.Context, q ctxQuerier, date string) (*dayRow, error) {
	r := &dayRow{date: date}
	if err := q.QueryRowContext(ctx, dayPrintSQL, date).Scan(&r.fp.count, &r.fp.cancelled, &r.fp.lastRid); err != nil {
		return nil, fmt.Errorf("day summary %s: %w", date, err)
	}
	docs, untaxed, err := s.gstDocs(ctx, q, invoiceHeadSQL, false, date, date)
	if err != nil {
		return nil, fmt.Errorf("day summary %s: %w", date, err)
	}
	lines, err := s.rawLines(ctx, q, "invoices", date, date)
	if err != nil {
		return nil, fmt.Errorf("day summary %s: %w", date, err)
	}
	var hsn gst.HSNSummary
	if err := s.gstLines(ctx, q, "invoices", [][]rawLine{lines}, docs, untaxed, 1, &hsn); err != nil {
		return nil, fmt.Errorf("day summary %s: %w", date, err)
	}
	b := dayBlob{}
	all := make([]gst.Doc, len(docs))
	for i := range docs {
		all[i] = docs[i].Doc
		if gst.ListedInGSTR1(&docs[i].Doc) {
			b.Listed = append(b.Listed, docs[i])
		}
	}
	b.Day = gst.SummariseGSTR1Day(date, all, hsn.Rows())
	if r.blob, err = gojson.Marshal(b); err != nil {
		return nil, err
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(taxable), 0) FROM invoices WHERE date = ? AND cancelled = 0`,
		date).Scan(&r.invoices, &r.turnover); err != nil {
		return nil, fmt.Errorf("day summary %s: %w", date, err)
	}
	if err := q.QueryRowContext(ctx, `SELECT coalesce(sum(taxable), 0), coalesce(sum(cgst + sgst + igst + cess), 0),
		coalesce(sum((qty * cost + 500) / 1000), 0)
		FROM doc_lines WHERE doc_table = 'invoices' AND date = ? AND cancelled = 0`, date).Scan(&r.sales, &r.tax, &r.cost); err != nil {
		return nil, fmt.Errorf("day summary %s: %w", date, err)
	}
	return r, nil
}

// save writes the day's summary unless it has one. When the day's invoices
// changed since it was read, it is read again inside the write
// transaction, where nothing can change it. It reports whether it wrote.
func (r *dayRow) save(ctx context.Context, s *Store) (bool, error) {
	wrote := false
	err := s.tx(ctx, func(tx *Tx) error {
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM report_days WHERE date = ? AND version = ?`, r.date,
			daySummaryVersion).Scan(&have); err != nil || have > 0 {
			return err
		}
		// A summary made by other rules.
		if _, err := tx.Exec(dropDay, r.date); err != nil {
			return fmt.Errorf("day summary %s: %w", r.date, err)
		}
		var now dayPrint
		if err := tx.QueryRowContext(ctx, dayPrintSQL, r.date).Scan(&now.count, &now.cancelled, &now.lastRid); err != nil {
			return fmt.Errorf("day summary %s: %w", r.date, err)
		}
		row := r
		if now != r.fp {
			var err error
			if row, err = s.makeDay(ctx, tx.Tx, r.date); err != nil {
				return err
			}
		}
		_, err := tx.Exec(`INSERT INTO report_days(date, version, invoices, turnover, sales, sales_tax, cost, gstr1) VALUES (?,?,?,?,?,?,?,?)`,
			row.date, daySummaryVersion, row.invoices, row.turnover, row.sales, row.tax, row.cost, row.blob)
		wrote = err == nil
		return err
	})
	return wrote, err
}

// kickDays makes the missing day summaries in the background, unless that
// is already under way.
func (s *Store) kickDays() {
	if s.bulk.Load() || !s.daysRunning.CompareAndSwap(false, true) {
		return
	}
	s.daysWG.Add(1)
	go func() {
		defer s.daysWG.Done()
		defer s.daysRunning.Store(false)
		start := time.Now()
		n, err := s.SummariseDays(s.daysCtx)
		if err != nil && s.daysCtx.Err() == nil {
			slog.Warn("day summaries", "err", err)
		}
		if n > 0 {
			slog.Info("day summaries made", "days", n, "took", time.Since(start))
		}
	}()
}

// stopDays stops the background summaries and waits for them.
func (s *Store) stopDays() {
	if s.daysStop != nil {
		s.daysStop()
	}
	s.daysWG.Wait()
}

// dayTrade is what a day's invoices add to profit and loss.
type dayTrade struct {
	invoices                   int
	turnover, sales, tax, cost int64
}

// tradeDays reads the days from..to that have a summary, in date order,
// with their trade sums (nil when summaries are off).
func (s *Store) tradeDays(ctx context.Context, from, to string) ([]string, []dayTrade, error) {
	if s.noDays.Load() {
		return nil, nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT date, invoices, turnover, sales, sales_tax, cost FROM report_days
		WHERE date >= ? AND date <= ? AND version = ? ORDER BY date`, from, to, daySummaryVersion)
	if err != nil {
		return nil, nil, fmt.Errorf("day summaries: %w", err)
	}
	defer rows.Close()
	var dates []string
	var ts []dayTrade
	for rows.Next() {
		var d string
		var t dayTrade
		if err := rows.Scan(&d, &t.invoices, &t.turnover, &t.sales, &t.tax, &t.cost); err != nil {
			return nil, nil, err
		}
		dates = append(dates, d)
		ts = append(ts, t)
	}
	return dates, ts, rows.Err()
}

// gstr1Days reads the GSTR-1 summaries of the days from..to that have one,
// in date order (none when summaries are off).
func (s *Store) gstr1Days(ctx context.Context, from, to string) ([]daySummary, error) {
	if s.noDays.Load() {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT gstr1 FROM report_days WHERE date >= ? AND date <= ? AND version = ? ORDER BY date`,
		from, to, daySummaryVersion)
	if err != nil {
		return nil, fmt.Errorf("day summaries: %w", err)
	}
	defer rows.Close()
	var out []daySummary
	var raw []byte
	for rows.Next() {
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		var b dayBlob
		if err := gojson.Unmarshal(raw, &b); err != nil {
			return nil, fmt.Errorf("day summary: %w", err)
		}
		out = append(out, daySummary{GSTR1Day: b.Day, Listed: b.Listed})
	}
	return out, rows.Err()
}

// rawRanges are the runs of days of from..to that have no summary in
// dates (sorted), as [first, last] pairs.
func rawRanges(from, to string, dates []string) [][2]string {
	var out [][2]string
	d := from
	for _, s := range dates {
		if s > d {
			out = append(out, [2]string{d, prevDay(s)})
		}
		if s >= d {
			d = nextDay(s)
		}
	}
	if d <= to {
		out = append(out, [2]string{d, to})
	}
	return out
}

func prevDay(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return d
	}
	return t.AddDate(0, 0, -1).Format("2006-01-02")
}

// readRaw notes that a report read n invoices of from..to one by one: many
// of closed days start the background summaries.
func (s *Store) readRaw(from, to string, n int) {
	if n < kickAfter || s.noDays.Load() || from >= s.now().Format("2006-01-02") {
		return
	}
	s.kickDays()
}

// afterDownload makes the day summaries of a big download in the background.
func (s *Store) afterDownload(ctx context.Context) error {
	var n sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT max(rid) FROM invoices`).Scan(&n); err != nil {
		return fmt.Errorf("day summaries: %w", err)
	}
	if n.Int64 >= int64(kickAfter) {
		s.kickDays()
	}
	return nil
}
