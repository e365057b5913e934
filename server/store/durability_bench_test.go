package store_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// BenchmarkPushRoundTripParallel is BenchmarkPushRoundTrip with 32 devices
// pushing at once, as under load: on SQLite the group commit takes every
// waiting push into one transaction, so the cost of a durable commit (an
// fsync of the WAL with synchronous=FULL) is shared by the group.
func BenchmarkPushRoundTripParallel(b *testing.B) {
	db := storetest.SQLite(b)
	const devices = 32
	type dev struct {
		s     core.Session
		n     atomic.Int64
		clock *protocol.Clock
		busy  atomic.Bool
	}
	devs := make([]*dev, devices)
	for i := range devs {
		devs[i] = &dev{s: mustBusiness(b, db), clock: protocol.NewClock("", protocol.HLC{}, nil)}
		devs[i].clock = protocol.NewClock(devs[i].s.DeviceID, protocol.HLC{}, nil)
	}
	invoice := []byte(`{"number":"A-1","date":"2026-01-15","lines":[{"product":"Tea","qty":1,"price":15500,"gst_rate":500}],"total":16275}`)
	var next atomic.Int64
	b.SetParallelism(devices / 2) // 2 cores: 32 goroutines
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			// Each goroutine takes a free device (one push at a time per
			// device keeps its numbers gapless).
			var d *dev
			for d == nil {
				c := devs[next.Add(1)%devices]
				if c.busy.CompareAndSwap(false, true) {
					d = c
				}
			}
			n := d.n.Load()
			ms := []protocol.Mutation{
				{N: n + 1, Table: "invoices", ID: uuid.Must(uuid.NewV7()).String(), HLC: d.clock.Now().String(), Op: protocol.OpInsert, Data: invoice},
				{N: n + 2, Table: "invoices", ID: uuid.Must(uuid.NewV7()).String(), HLC: d.clock.Now().String(), Op: protocol.OpInsert, Data: invoice},
			}
			res, err := db.Push(ctx, d.s, protocol.PushRequest{DeviceID: d.s.DeviceID, ProtocolVersion: 1, Mutations: ms}, time.Now())
			if err != nil || res.Accepted != 2 {
				b.Errorf("push: %+v %v", res, err)
			}
			d.n.Store(n + 2)
			d.busy.Store(false)
		}
	})
}
