package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// pullAll reads the whole feed of the session's business from since.
func pullAll(t *testing.T, db *store.DB, s core.Session, since int64) []core.Change {
	t.Helper()
	var out []core.Change
	for {
		p, err := db.Pull(ctx, s, since, 500, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Changes...)
		if !p.More {
			return out
		}
		since = p.Next
	}
}

func fieldsOf(t *testing.T, c core.Change) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(c.Data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestServerRowsMergeLikeADevice: a row the server writes merges with a
// device's row field by field, reaches the feed with a new seq, and the
// same event written twice (or an older one written late) changes nothing.
func TestServerRowsMergeLikeADevice(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			s := mustBusiness(t, db)
			s.Role = staff.Owner // a WhatsApp request needs a role that may send it
			now := time.Now()
			id := uuid.Must(uuid.NewV7()).String()
			devStamp := protocol.NewClock(s.DeviceID, protocol.HLC{}, func() time.Time { return now.Add(-time.Minute) }).Now()
			_, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: []protocol.Mutation{{
				N: 1, Table: "wa_messages", ID: id, HLC: devStamp.String(), Op: protocol.OpUpsert,
				Data: json.RawMessage(`{"kind":"invoice","to":"919876543210","status":"queued"}`)}}}, now)
			if err != nil {
				t.Fatal(err)
			}
			base := pullAll(t, db, s, 0)
			if len(base) != 1 {
				t.Fatalf("feed before: %d rows", len(base))
			}
			cursor := base[0].Seq

			sent := store.ServerRow{Table: "wa_messages", ID: id, Op: protocol.OpUpsert,
				Data: json.RawMessage(`{"status":"sent","wamid":"wamid.1"}`), Stamp: protocol.ServerStamp(now.Add(-30*time.Second), 1)}
			n, err := db.WriteServerRows(ctx, s.BusinessID, []store.ServerRow{sent}, now)
			if err != nil || n != 1 {
				t.Fatalf("first write: %d rows, %v", n, err)
			}
			got := pullAll(t, db, s, cursor)
			if len(got) != 1 || got[0].Seq != cursor+1 || got[0].DeviceID != protocol.ServerDevice || got[0].Op != protocol.OpUpsert {
				t.Fatalf("feed after the server's write: %+v", got)
			}
			f := fieldsOf(t, got[0])
			if f["kind"] != "invoice" || f["to"] != "919876543210" || f["status"] != "sent" || f["wamid"] != "wamid.1" {
				t.Fatalf("merged fields %v", f)
			}
			var stamps map[string]string
			if err := json.Unmarshal(got[0].FieldHLC, &stamps); err != nil {
				t.Fatal(err)
			}
			if stamps["kind"] != devStamp.String() || stamps["status"] != sent.Stamp.String() || got[0].HLC != sent.Stamp.String() {
				t.Fatalf("field stamps %v, row stamp %s", stamps, got[0].HLC)
			}

			t.Run("SameEventTwiceChangesNothing", func(t *testing.T) {
				n, err := db.WriteServerRows(ctx, s.BusinessID, []store.ServerRow{sent}, now)
				if err != nil || n != 0 {
					t.Fatalf("second write: %d rows, %v", n, err)
				}
				if more := pullAll(t, db, s, cursor+1); len(more) != 0 {
					t.Fatalf("a repeated event reached the feed: %+v", more)
				}
			})
			t.Run("OlderEventLosesOnArrivalAfterANewerOne", func(t *testing.T) {
				old := sent
				old.Data, old.Stamp = json.RawMessage(`{"status":"queued"}`), protocol.ServerStamp(now.Add(-40*time.Second), 0)
				n, err := db.WriteServerRows(ctx, s.BusinessID, []store.ServerRow{old}, now)
				if err != nil || n != 0 {
					t.Fatalf("older write: %d rows, %v", n, err)
				}
			})
			t.Run("ZeroStampWinsNow", func(t *testing.T) {
				w := store.ServerRow{Table: "wa_messages", ID: id, Op: protocol.OpUpsert, Data: json.RawMessage(`{"status":"failed"}`)}
				n, err := db.WriteServerRows(ctx, s.BusinessID, []store.ServerRow{w}, now.Add(-time.Hour))
				if err != nil || n != 1 {
					t.Fatalf("zero stamp write: %d rows, %v", n, err)
				}
				got := pullAll(t, db, s, cursor+1)
				if len(got) != 1 || fieldsOf(t, got[0])["status"] != "failed" || got[0].HLC <= sent.Stamp.String() {
					t.Fatalf("after a zero-stamp write: %+v", got)
				}
			})
			t.Run("DocumentInsertedOnce", func(t *testing.T) {
				doc := store.ServerRow{Table: "payments", ID: uuid.Must(uuid.NewV7()).String(), Op: protocol.OpInsert,
					Data: json.RawMessage(`{"amount":50000,"mode":"upi"}`), Stamp: protocol.ServerStamp(now, 0)}
				before := pullAll(t, db, s, 0)
				for i, want := range []int{1, 0} {
					doc.Data = json.RawMessage(fmt.Sprintf(`{"amount":%d,"mode":"upi"}`, 50000+i))
					n, err := db.WriteServerRows(ctx, s.BusinessID, []store.ServerRow{doc}, now)
					if err != nil || n != want {
						t.Fatalf("write %d: %d rows, %v", i, n, err)
					}
				}
				after := pullAll(t, db, s, before[len(before)-1].Seq)
				if len(after) != 1 || after[0].Op != protocol.OpInsert || fieldsOf(t, after[0])["amount"] != 50000.0 {
					t.Fatalf("document: %+v", after)
				}
			})
			t.Run("ErrUnknownBusiness", func(t *testing.T) {
				_, err := db.WriteServerRows(ctx, uuid.NewString(), []store.ServerRow{sent}, now)
				if core.ErrorCode(err) != protocol.CodeNotFound {
					t.Fatalf("err %v", err)
				}
			})
			t.Run("ErrInvalidRow", func(t *testing.T) {
				for _, bad := range []store.ServerRow{
					{Table: "wa_messages", ID: "not-a-uuid", Op: protocol.OpUpsert, Data: json.RawMessage(`{}`)},
					{Table: "payments", ID: id, Op: protocol.OpUpsert, Data: json.RawMessage(`{}`)},
					{Table: "wa_messages", ID: id, Op: protocol.OpUpsert, Data: json.RawMessage(`[1]`)},
					{Table: "wa_messages", ID: id, Op: protocol.OpUpsert, Data: json.RawMessage(`{}`), Stamp: protocol.HLC{Wall: 1, Device: s.DeviceID}},
					{Table: "wa_messages", ID: id, Op: protocol.OpUpsert, Data: json.RawMessage(`{}`), Stamp: protocol.ServerStamp(now.Add(time.Hour), 0)},
				} {
					if _, err := db.WriteServerRows(ctx, s.BusinessID, []store.ServerRow{bad}, now); err == nil {
						t.Errorf("%+v accepted", bad)
					}
				}
			})
		})
	}
}

// TestServerRowsInterleaveWithPushes: server writes racing with pushes of
// the same business get distinct seqs in commit order, so a device
// following the feed with its cursor sees every row exactly once.
func TestServerRowsInterleaveWithPushes(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			s := mustBusiness(t, db)
			const pushes, writes = 20, 20
			seen := map[string]int{}
			var cursor int64
			follow := func() {
				for _, c := range pullAll(t, db, s, cursor) {
					seen[c.ID]++
					cursor = c.Seq
				}
			}
			var g errgroup.Group
			g.Go(func() error {
				for i := range pushes {
					_, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1,
						Mutations: storetest.Mutations(s, int64(i*5+1), 5)}, time.Now())
					if err != nil {
						return err
					}
				}
				return nil
			})
			g.Go(func() error {
				for range writes {
					r := store.ServerRow{Table: "wa_messages", ID: uuid.Must(uuid.NewV7()).String(), Op: protocol.OpUpsert,
						Data: json.RawMessage(`{"status":"read"}`), Stamp: protocol.ServerStamp(time.Now(), 3)}
					if n, err := db.WriteServerRows(ctx, s.BusinessID, []store.ServerRow{r}, time.Now()); err != nil || n != 1 {
						return errors.Join(err, fmt.Errorf("wrote %d rows", n))
					}
				}
				return nil
			})
			done := make(chan error)
			go func() { done <- g.Wait() }()
		loop:
			for {
				select {
				case err := <-done:
					if err != nil {
						t.Fatal(err)
					}
					break loop
				default:
					follow()
				}
			}
			follow()
			if len(seen) != pushes*5+writes {
				t.Fatalf("the follower saw %d rows, want %d", len(seen), pushes*5+writes)
			}
			for id, n := range seen {
				if n != 1 {
					t.Fatalf("row %s seen %d times", id, n)
				}
			}
		})
	}
}
