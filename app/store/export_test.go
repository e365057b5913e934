package store

import (
	"context"
	"time"
)

// SetBeforeCommit installs a hook run just before a sale's commit (tests).
func SetBeforeCommit(f func()) { beforeCommit = f }

// SetFoldAfter sets how long the books must be quiet before the background
// folds pending stock effects, and returns the undo.
func SetFoldAfter(d time.Duration) func() {
	old := foldAfter
	foldAfter = d
	return func() { foldAfter = old }
}

// SetKickAfter sets how many invoices of closed days a report reads one by
// one (or a download brings) before the day summaries are made in the
// background, and returns the undo.
func SetKickAfter(n int) func() {
	old := kickAfter
	kickAfter = n
	return func() { kickAfter = old }
}

// WaitDaySummaries waits for the background day summaries.
func (s *Store) WaitDaySummaries() { s.daysWG.Wait() }

// SummariseDayAround makes the summary of date with change run between
// reading the day and writing its summary.
func (s *Store) SummariseDayAround(ctx context.Context, date string, change func()) error {
	r, err := s.readDay(ctx, date)
	if err != nil {
		return err
	}
	change()
	_, err = r.save(ctx, s)
	return err
}

// StampsJSON is stampsJSON (tests hold it to json.Marshal).
func StampsJSON(m map[string]string) []byte { return stampsJSON(m) }

// SetBulkRows sets the most rows of one multi-row statement of a bulk
// download and returns the undo.
func SetBulkRows(n int) func() {
	old := maxRows
	maxRows = n
	return func() { maxRows = old }
}
