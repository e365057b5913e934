package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// A push reads its rows by the primary key even when the sync pool's
// connections planned that read while sync_rows was empty and autovacuum
// never analyzes it (as on this machine): the store analyzes the table as
// pushes grow it, and PostgreSQL plans the cached statement again.
func TestPushesReadRowsByPrimaryKey(t *testing.T) {
	ctx := context.Background()
	db := storetest.Postgres(t)
	s := mustBusiness(t, db)
	n := int64(1)
	push := func(count int) {
		t.Helper()
		if _, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: mutations(s, n, count)}, time.Now()); err != nil {
			t.Fatal(err)
		}
		n += int64(count)
	}
	// The first push plans the read on an empty table (too few rows to analyze).
	push(10)
	args := fmt.Sprintf("'%s', '{products}', '{x}'", s.BusinessID)
	plans, err := db.SyncPoolPlansForTest(ctx, store.PGLoadRowsForTest, args)
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) == 0 {
		t.Fatal("no connection of the sync pool has the push's read prepared")
	}
	for range 3 {
		push(1000)
		db.WaitAnalyzeForTest()
	}
	if rows := db.WaitAnalyzeForTest(); rows < 1000 {
		t.Errorf("the store counts %d rows in sync_rows after pushing 3010; want it analyzed", rows)
	}
	plans, err = db.SyncPoolPlansForTest(ctx, store.PGLoadRowsForTest, args)
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) == 0 {
		t.Fatal("no connection of the sync pool has the push's read prepared")
	}
	for _, p := range plans {
		if !strings.Contains(p, "sync_rows_pkey") {
			t.Errorf("a push reads its rows with this plan, not by the primary key:\n%s", p)
		}
	}
}
