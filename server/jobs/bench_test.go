package jobs_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

type noopArgs struct {
	I int `json:"i"`
}

func (noopArgs) Kind() string { return "bench_noop" }

// withBusyQueue starts a job queue on db, as the server runs it, and keeps
// jobs flowing through it (enqueued, fetched, worked, completed: all
// writes on the SQLite writer's connection) at about rate per second until
// the benchmark ends. It returns how many jobs were worked.
func withBusyQueue(b *testing.B, db *store.DB, rate int) *atomic.Int64 {
	b.Helper()
	var worked atomic.Int64
	q := jobs.New(db, jobs.Config{Logger: quiet, ID: "bench"})
	jobs.Register(q, jobs.Kind{}, func(ctx context.Context, j *jobs.Job[noopArgs]) error {
		worked.Add(1)
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	if err := q.Start(ctx); err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Second / time.Duration(rate))
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if _, err := q.Enqueue(ctx, noopArgs{I: i}); err != nil && ctx.Err() == nil {
				b.Errorf("enqueue: %v", err)
				return
			}
		}
	}()
	b.Cleanup(func() {
		cancel()
		<-done
		sctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
		defer stop()
		_ = q.Stop(sctx)
	})
	return &worked
}

// BenchmarkPush1000WithJobs is store's BenchmarkPush1000 with the job
// queue running beside it and 100 jobs a second going through it: the
// cost River's writes add to pushes (on SQLite they share the writer's
// connection).
func BenchmarkPush1000WithJobs(b *testing.B) {
	for _, st := range storetest.Stores {
		b.Run(st.Name, func(b *testing.B) {
			db := st.Open(b)
			s := storetest.Business(b, db)
			worked := withBusyQueue(b, db, 100)
			ctx := context.Background()
			n := int64(1)
			start := time.Now()
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				ms := storetest.Mutations(s, n, 1000)
				b.StartTimer()
				res, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: ms}, time.Now())
				if err != nil || res.Accepted != 1000 {
					b.Fatalf("push: %+v %v", res.Accepted, err)
				}
				n += 1000
			}
			b.ReportMetric(float64(worked.Load())/time.Since(start).Seconds(), "jobs/s")
		})
	}
}

// BenchmarkPull1000WithJobs is store's BenchmarkPull1000 with the job
// queue busy beside it.
func BenchmarkPull1000WithJobs(b *testing.B) {
	for _, st := range storetest.Stores {
		b.Run(st.Name, func(b *testing.B) {
			db := st.Open(b)
			s := storetest.Business(b, db)
			ctx := context.Background()
			for i := range 10 {
				if _, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1,
					Mutations: storetest.Mutations(s, int64(i*1000+1), 1000)}, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
			worked := withBusyQueue(b, db, 100)
			start := time.Now()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p, err := db.Pull(ctx, s, int64(i%9)*1000, 1000, time.Now())
				if err != nil || len(p.Changes) != 1000 || !p.More {
					b.Fatalf("pull: %d %v", len(p.Changes), err)
				}
				i++
			}
			b.ReportMetric(float64(worked.Load())/time.Since(start).Seconds(), "jobs/s")
		})
	}
}
