package store_test

import (
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestOrderedDownloadFeed: a new device reads one master table at a time
// (in seq order, paged), then the feed without the master rows at or below
// the head it saw first — and a product changed after that head still
// comes with the history. Every reply carries the feed's head.
func TestOrderedDownloadFeed(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			s := mustBusiness(t, db)
			muts := mutations(s, 1, 10) // products and invoices in turn
			if _, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: muts}, time.Now()); err != nil {
				t.Fatal(err)
			}
			all, err := db.Pull(ctx, s, 0, 100, time.Now())
			if err != nil || len(all.Changes) != 10 {
				t.Fatalf("feed %d rows, %v", len(all.Changes), err)
			}
			head := all.Changes[9].Seq

			// Products, two a page.
			var got []core.Change
			since := int64(0)
			for {
				p, err := db.PullFiltered(ctx, s, since, 2, core.PullFilter{Table: "products"}, time.Now())
				if err != nil {
					t.Fatal(err)
				}
				if p.Head != head {
					t.Fatalf("head %d, want %d", p.Head, head)
				}
				got = append(got, p.Changes...)
				if !p.More {
					break
				}
				since = p.Next
			}
			if len(got) != 5 {
				t.Fatalf("%d products, want 5", len(got))
			}
			for i, c := range got {
				if c.Table != "products" || i > 0 && c.Seq <= got[i-1].Seq || c.Op != protocol.OpUpsert {
					t.Fatalf("product page out of order or of another table: %+v", got)
				}
			}
			if p, err := db.PullFiltered(ctx, s, 0, 10, core.PullFilter{Table: "parties"}, time.Now()); err != nil || len(p.Changes) != 0 || p.More {
				t.Fatalf("parties: %+v %v", p, err)
			}

			// A product edited after the device saw the head.
			edit := mutations(s, 11, 1)
			edit[0].ID = got[2].ID
			edit[0].HLC = protocol.NewClock(s.DeviceID, protocol.HLC{}, func() time.Time { return time.Now().Add(time.Minute) }).Now().String()
			if _, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: edit}, time.Now()); err != nil {
				t.Fatal(err)
			}
			hist, err := db.PullFiltered(ctx, s, 0, 100, core.PullFilter{SkipTables: protocol.MasterTables, SkipUntil: head}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			var invoices, products int
			for _, c := range hist.Changes {
				switch c.Table {
				case "invoices":
					invoices++
				case "products":
					products++
					if c.ID != got[2].ID || c.Seq <= head {
						t.Fatalf("history brought a master row the device has: %+v", c)
					}
				}
			}
			if invoices != 5 || products != 1 || hist.More || hist.Head <= head {
				t.Fatalf("history: %d invoices, %d products, more %v, head %d", invoices, products, hist.More, hist.Head)
			}
		})
	}
}
