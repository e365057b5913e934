package store_test

import (
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestSQLiteWriterCommitsDurably: the writer connection, which commits
// every push, runs synchronous=FULL, so an acknowledged push survives a
// power cut (NORMAL may lose the newest commits of the WAL).
func TestSQLiteWriterCommitsDurably(t *testing.T) {
	db := storetest.SQLite(t)
	v, err := db.WriterSynchronous(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v != 2 {
		t.Fatalf("writer synchronous = %d, want 2 (FULL)", v)
	}
}

// TestRebaseOnlyAfterLostAcknowledgedChanges: a device whose acknowledged
// mutations the server lost (here: its last_n set back, as a lost commit
// leaves it) resends its queued books with rebase and goes on; a rebase
// asked for while the server holds all it acknowledged is ignored and the
// gap is refused as before. On every store.
func TestRebaseOnlyAfterLostAcknowledgedChanges(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			s := mustBusiness(t, db)
			epoch, _ := db.Epoch(ctx)
			push := func(req protocol.PushRequest) (protocol.PushResponse, error) {
				req.DeviceID, req.ProtocolVersion, req.Epoch = s.DeviceID, 1, epoch
				return db.Push(ctx, s, req, time.Now())
			}
			if res, err := push(protocol.PushRequest{Mutations: mutations(s, 1, 5)}); err != nil || res.LastN != 5 {
				t.Fatalf("push: %+v %v", res, err)
			}
			// A rebase while nothing was lost is not honoured.
			_, err := push(protocol.PushRequest{Rebase: true, Acked: 5, Mutations: mutations(s, 9, 2)})
			if core.ErrorCode(err) != protocol.CodeOutOfOrder {
				t.Fatalf("rebase with nothing lost: %v", err)
			}
			// The server loses the commit of 4 and 5.
			if err := db.ExecForTest(ctx, `UPDATE devices SET last_n = 3 WHERE id = $1`, s.DeviceID); err != nil {
				t.Fatal(err)
			}
			_, err = push(protocol.PushRequest{Mutations: mutations(s, 6, 2)})
			if core.ErrorCode(err) != protocol.CodeOutOfOrder {
				t.Fatalf("push after the loss: %v", err)
			}
			// Rebase without saying what was acknowledged: still a gap.
			_, err = push(protocol.PushRequest{Rebase: true, Mutations: mutations(s, 6, 2)})
			if core.ErrorCode(err) != protocol.CodeOutOfOrder {
				t.Fatalf("rebase without acked: %v", err)
			}
			// The device requeued its books (numbers 6..) and says it was
			// acknowledged up to 5.
			res, err := push(protocol.PushRequest{Rebase: true, Acked: 5, Mutations: mutations(s, 6, 4)})
			if err != nil || res.LastN != 9 || res.Accepted != 4 {
				t.Fatalf("rebase after the loss: %+v %v", res, err)
			}
			if res, err := push(protocol.PushRequest{Mutations: mutations(s, 10, 1)}); err != nil || res.LastN != 10 {
				t.Fatalf("next push: %+v %v", res, err)
			}
		})
	}
}
