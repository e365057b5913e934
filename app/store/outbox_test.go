package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/staff"

	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// outboxChanges reads s's outbox (up to 1,000 mutations) and returns each
// mutation with the change a pull would carry for it (seq from 1; an op
// left empty is an insert).
func outboxChanges(tb testing.TB, s *store.Store) ([]protocol.Mutation, []protocol.Change) {
	tb.Helper()
	muts, err := s.PendingMutations(1000)
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]protocol.Change, len(muts))
	for i, m := range muts {
		op := m.Op
		if op == "" {
			op = protocol.OpInsert
		}
		out[i] = protocol.Change{Seq: int64(i + 1), Table: m.Table, ID: m.ID, HLC: m.HLC, Op: op, Data: m.Data}
	}
	return muts, out
}

// secondCounter opens new, empty books that join s's business as counter B
// and download in bulk (as a new device does), closed when the test ends.
func secondCounter(tb testing.TB, s *store.Store) *store.Store {
	tb.Helper()
	b, err := store.Open(filepath.Join(tb.TempDir(), "b.db"), store.Options{Now: func() time.Time { return day("2026-10-05") },
		PINParams: &staff.TestParams, BulkFrom: 1})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.Close() })
	if err := b.JoinBusiness(s.BusinessID(), "B"); err != nil {
		tb.Fatal(err)
	}
	return b
}
