package store_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// stamped returns mutations numbered from from, stamped by device.
func stamped(s core.Session, from int64, devices ...string) []protocol.Mutation {
	out := storetest.Mutations(s, from, len(devices))
	for i, d := range devices {
		out[i].HLC = protocol.NewClock(d, protocol.HLC{}, nil).Now().String()
	}
	return out
}

// TestStampMustNameThePusher: a pushed change stamped by another device
// (a sibling, the server, anyone) is a rejected mutation, code forbidden,
// and the rest of the batch applies. Only the books a device resends after
// a loss the server honoured (rebase, up to resend_through) may carry the
// stamps of the business's other devices and of the server, never of a
// device the business does not have. A rebase push while nothing was lost
// (a restore from a backup newer than this device's last push) resends
// too: its base stays, its window opens. On every store.
func TestStampMustNameThePusher(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			s := mustBusiness(t, db)
			sib, err := db.CreateDevice(ctx, s.AccountID, s.BusinessID, "Till 2", uuid.NewString(), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			other := mustBusiness(t, db) // another business's device
			epoch, _ := db.Epoch(ctx)
			push := func(req protocol.PushRequest) protocol.PushResponse {
				t.Helper()
				req.DeviceID, req.ProtocolVersion, req.Epoch = s.DeviceID, 1, epoch
				res, err := db.Push(ctx, s, req, time.Now())
				if err != nil {
					t.Fatalf("push: %v", err)
				}
				return res
			}
			rejected := func(res protocol.PushResponse, ns ...int64) {
				t.Helper()
				if len(res.Rejected) != len(ns) {
					t.Fatalf("rejected %+v, want n %v", res.Rejected, ns)
				}
				for i, n := range ns {
					if r := res.Rejected[i]; r.N != n || r.Code != protocol.CodeForbidden || r.Message == "" {
						t.Fatalf("rejection %d: %+v", i, r)
					}
				}
			}
			res := push(protocol.PushRequest{Mutations: stamped(s, 1, s.DeviceID, sib.ID, protocol.ServerDevice, "made-up", s.DeviceID)})
			if res.LastN != 5 || res.Accepted != 2 {
				t.Fatalf("mixed batch: %+v", res)
			}
			rejected(res, 2, 3, 4)

			// Pushed without rebase, books queued again count as the
			// device's own changes.
			res = push(protocol.PushRequest{Acked: 5, ResendThrough: 100, Mutations: stamped(s, 6, sib.ID)})
			rejected(res, 6)

			// The server loses 5 and 6; the device resends its books
			// (7..12) with the stamps they hold.
			if err := db.ExecForTest(ctx, `UPDATE devices SET last_n = 4 WHERE id = $1`, s.DeviceID); err != nil {
				t.Fatal(err)
			}
			res = push(protocol.PushRequest{Rebase: true, Acked: 6, ResendThrough: 12,
				Mutations: stamped(s, 7, s.DeviceID, sib.ID, protocol.ServerDevice, other.DeviceID)})
			if res.LastN != 10 || res.Accepted != 3 {
				t.Fatalf("resend after the loss: %+v", res)
			}
			rejected(res, 10) // a device of another business
			// The rest of the resent books come in the next push.
			res = push(protocol.PushRequest{Mutations: stamped(s, 11, sib.ID, protocol.ServerDevice, sib.ID)})
			if res.LastN != 13 || res.Accepted != 2 {
				t.Fatalf("rest of the resend: %+v", res)
			}
			rejected(res, 13) // past resend_through: the device's own changes again

			// A restore that lost nothing of this device: the rebase
			// push's numbers follow on, its resent books carry others'
			// stamps up to resend_through.
			res = push(protocol.PushRequest{Rebase: true, Acked: 13, ResendThrough: 15, Mutations: stamped(s, 14, sib.ID, protocol.ServerDevice, other.DeviceID, sib.ID)})
			if res.LastN != 17 || res.Accepted != 2 {
				t.Fatalf("resend with nothing lost: %+v", res)
			}
			rejected(res, 16, 17)
		})
	}
}
