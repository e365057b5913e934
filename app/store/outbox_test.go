package store_test

import (
	"testing"

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
