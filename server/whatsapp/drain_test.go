package whatsapp_test

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/server/whatsapp"
	"github.com/ainaukar/naukar/server/whatsapp/whatsapptest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// queueReminders pushes n reminder requests (to n different customers)
// as the harness's device, in batches as a counter's sync does, then
// starts their sends as the push observer does: all are queued before
// the first goes.
func (h *harness) queueReminders(n int) {
	h.t.Helper()
	s := core.Session{BusinessID: h.business, DeviceID: h.device, Role: staff.Owner}
	var pushed [][]protocol.Mutation
	for from := 0; from < n; from += 500 {
		var muts []protocol.Mutation
		for i := from; i < min(n, from+500); i++ {
			data, _ := json.Marshal(protocol.WAMessage{Kind: protocol.WAKindReminder, To: fmt.Sprintf("9190%08d", i), PartyName: fmt.Sprint("Party ", i),
				Amount: int64(10000 + i), ShopName: "Sharma Stores", Requested: time.Now().UTC().Format(time.RFC3339)})
			h.n++
			muts = append(muts, protocol.Mutation{N: h.n, Table: protocol.TableWAMessages, ID: uuid.Must(uuid.NewV7()).String(),
				HLC: h.clock.Now().String(), Op: protocol.OpUpsert, Data: data})
		}
		if _, err := h.db.Push(ctx, s, protocol.PushRequest{DeviceID: h.device, ProtocolVersion: 1, Mutations: muts}, time.Now()); err != nil {
			h.t.Fatal(err)
		}
		pushed = append(pushed, muts)
	}
	for _, muts := range pushed {
		h.wa.Pushed(ctx, s, muts)
	}
}

// drain waits until n messages reached the fake and checks that none went
// twice and that no second carried more than the rate allows; it returns
// the time from the first send to the last.
func (h *harness) drain(n int, rate float64, limit time.Duration) time.Duration {
	h.t.Helper()
	deadline := time.Now().Add(limit)
	for len(h.fake.Messages()) < n {
		if time.Now().After(deadline) {
			h.t.Fatalf("%d of %d messages sent after %s", len(h.fake.Messages()), n, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.waitIdle() // every job done: no extra send can come
	sent := h.fake.Messages()
	// In the order they arrived (the fake lists them as it answered).
	slices.SortFunc(sent, func(a, b whatsapptest.Sent) int { return a.At.Compare(b.At) })
	seen := map[string]bool{}
	for _, m := range sent {
		if seen[m.Opaque] {
			h.t.Fatalf("message %s sent twice", m.Opaque)
		}
		seen[m.Opaque] = true
	}
	if len(sent) != n {
		h.t.Fatalf("%d sends for %d messages", len(sent), n)
	}
	// Slots are the rate apart; measured where the fake answers, a send
	// lags its slot by the time it takes to reach the API, which under
	// -race on a busy 2-core CI machine reaches a quarter second, so a
	// window of one second holds at most the slots of 1.25 s.
	for i, j := 0, 0; i < len(sent); i++ {
		for sent[i].At.Sub(sent[j].At) >= time.Second {
			j++
		}
		if float64(i-j+1) > rate*1.25+1 {
			h.t.Fatalf("%d messages within one second at a rate of %g/s", i-j+1, rate)
		}
	}
	return sent[len(sent)-1].At.Sub(sent[0].At)
}

// TestDrainAtRateNoDoubleSends: queued reminders go at the configured rate,
// each exactly once (a small version of the benchmark).
func TestDrainAtRateNoDoubleSends(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			const n, rate = 120, 60
			h := newHarness(t, st.Open, func(s *whatsapp.Settings, _ *whatsapp.Config) { s.Rate = rate })
			h.queueReminders(n)
			took := h.drain(n, rate, 30*time.Second)
			if least := (n - 1) * time.Second / rate; took < least-200*time.Millisecond {
				t.Fatalf("%d messages at %d/s took only %s", n, rate, took)
			}
		})
	}
}

// BenchmarkDrain10kReminders: 10,000 queued reminders drained at
// WHATSAPP_RATE=200 through the job queue against the fake Graph API,
// with zero double sends, on SQLite and on PostgreSQL. Reports the
// achieved rate (msgs/s).
func BenchmarkDrain10kReminders(b *testing.B) {
	for _, st := range storetest.Stores {
		b.Run(st.Name, func(b *testing.B) {
			n, rate := 10000, 200.0
			if v, err := strconv.Atoi(os.Getenv("NAUKAR_DRAIN_N")); err == nil && v > 0 {
				n = v // a shorter run (while profiling)
			}
			// The queue's workers as the server sizes them for the rate.
			defer func(w int) { harnessWorkers = w }(harnessWorkers)
			harnessWorkers = whatsapp.JobWorkers(rate)
			for range b.N {
				b.StopTimer()
				// The server's defaults but the rate: each customer also
				// paced (WHATSAPP_RECIPIENT_GAP, 6 s).
				h := newHarness(b, st.Open, func(s *whatsapp.Settings, _ *whatsapp.Config) {
					s.Rate, s.RecipientGap = rate, whatsapp.DefaultRecipientGap
				})
				t0 := time.Now()
				h.queueReminders(n)
				b.Logf("queued %d reminders in %s", n, time.Since(t0).Round(time.Millisecond))
				b.StartTimer()
				took := h.drain(n, rate, 30*time.Minute)
				b.ReportMetric(float64(n)/took.Seconds(), "msgs/s")
			}
		})
	}
}
