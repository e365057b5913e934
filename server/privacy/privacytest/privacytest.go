// Package privacytest starts a sync server with the privacy rights on
// loopback for the app's tests (exports, closing the account).
package privacytest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/privacy"
	"github.com/ainaukar/naukar/server/store"
)

// Server starts a sync server on a fresh SQLite store with the privacy
// module and its job queue, stopped when the test ends, and returns its URL.
func Server(tb testing.TB) string {
	tb.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.OpenSQLite(context.Background(), tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	q := jobs.New(db, jobs.Config{Logger: quiet, PollInterval: 50 * time.Millisecond, SoleInstance: true})
	svc, err := privacy.New(privacy.Config{Store: db, Queue: q, Logger: quiet, ExportDir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{Store: db, Logger: quiet, BcryptCost: 4, Modules: []api.Module{svc.Module()}}))
	tb.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
		db.Close()
	})
	return srv.URL
}
