package housekeeping_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/housekeeping"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestRetentionOfTelemetry: usage events go after 90 days and error
// reports after 30 (the defaults), in the same daily job as the security
// log; younger ones stay.
func TestRetentionOfTelemetry(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
			h, err := housekeeping.Register(jobs.New(db, jobs.Config{}), housekeeping.Config{DB: db, Now: func() time.Time { return now },
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			s := storetest.Business(t, db)
			day := 24 * time.Hour
			var b protocol.TelemetryBatch
			for _, age := range []time.Duration{90*day + time.Millisecond, 91 * day, 90 * day, 10 * day} {
				b.Events = append(b.Events, protocol.UsageEvent{Feature: "bill.save", At: now.Add(-age), AppVersion: "1.2.0"})
			}
			for _, age := range []time.Duration{30*day + time.Millisecond, 29 * day} {
				b.Errors = append(b.Errors, protocol.ErrorReport{Message: "boom", At: now.Add(-age), AppVersion: "1.2.0"})
			}
			if err := db.AddTelemetry(ctx, s, b); err != nil {
				t.Fatal(err)
			}
			p, err := h.Retain(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if p.UsageEvents != 2 || p.ErrorReports != 1 {
				t.Fatalf("retention deleted %d usage events and %d error reports, want 2 and 1", p.UsageEvents, p.ErrorReports)
			}
			for table, want := range map[string]int{"usage_events": 2, "error_reports": 1} {
				text, err := db.TableText(ctx, table)
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Count(text, "\n"); got != want {
					t.Errorf("%s keeps %d rows, want %d", table, got, want)
				}
			}
		})
	}
}
