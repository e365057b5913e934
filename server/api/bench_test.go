package api_test

import (
	"fmt"
	"testing"

	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// benchEnv is newEnv for benchmarks (the suite helpers take *testing.T).
func benchEnv(b *testing.B, open storetest.Opener) (*env, *device) {
	e := newEnv(b, open)
	biz := e.mustSignup()
	return e, &biz.dev
}

func batch(d *device, n int) []protocol.Mutation {
	ms := make([]protocol.Mutation, n)
	for i := range ms {
		data := map[string]any{"name": fmt.Sprint("Item ", i), "price": 1000 + i, "hsn": "3401", "gst_rate": 1800}
		if i%2 == 0 {
			ms[i] = d.mut("products", newID(), protocol.OpUpsert, data)
		} else {
			ms[i] = d.mut("invoices", newID(), protocol.OpInsert, data)
		}
	}
	return ms
}

// BenchmarkHTTPPush1000 pushes 1,000 mutations in one batch over HTTP on
// loopback through sync.Client.
func BenchmarkHTTPPush1000(b *testing.B) {
	for _, st := range storetest.Stores {
		b.Run(st.Name, func(b *testing.B) {
			e, d := benchEnv(b, st.Open)
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				ms := batch(d, 1000)
				b.StartTimer()
				if res, err := e.push(d, ms...); err != nil || res.Accepted != 1000 {
					b.Fatalf("push: %+v %v", res, err)
				}
			}
		})
	}
}

// BenchmarkHTTPPull1000 pulls pages of 1,000 changes from a business of
// 10,000 rows over HTTP.
func BenchmarkHTTPPull1000(b *testing.B) {
	for _, st := range storetest.Stores {
		b.Run(st.Name, func(b *testing.B) {
			e, d := benchEnv(b, st.Open)
			for range 10 {
				if _, err := e.push(d, batch(d, 1000)...); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p, err := e.c.Pull(ctx, d.token, int64(i%9)*1000, 1000)
				if err != nil || len(p.Changes) != 1000 {
					b.Fatalf("pull: %d %v", len(p.Changes), err)
				}
				i++
			}
		})
	}
}
