package ui_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/app/ui"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/privacy"
	srvstore "github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestPolicyNoticeShownOnce: at start the app shows the policy notice the
// server has and this PC has not shown (GET /v1/notices); closing it
// records it seen here and on the server; after a restart it is not
// shown again.
func TestPolicyNoticeShownOnce(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := srvstore.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	q := jobs.New(db, jobs.Config{Logger: quiet, PollInterval: 50 * time.Millisecond, SoleInstance: true})
	svc, err := privacy.New(privacy.Config{Store: db, Queue: q, Logger: quiet, ExportDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{Store: db, Logger: quiet, BcryptCost: 4, Modules: []api.Module{svc.Module()}}))
	t.Cleanup(func() { srv.Close(); db.Close() })
	if _, err := syncapp.Signup(ctx, srv.URL, protocol.SignupRequest{
		Owner:    protocol.SignupOwner{Name: "Ravi", Email: "ravi@example.com", Phone: "9876543210", Password: "correct horse"},
		Business: protocol.SignupBusiness{Name: "Sharma Stores", StateCode: "27"}, AgeConfirmed: true, TermsAccepted: true}); err != nil {
		t.Fatal(err)
	}
	path, err := demo.Cached(ctx, demo.Small, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	notices := func(st *store.Store) ui.Options {
		return ui.Options{Notices: func(ctx context.Context) ([]protocol.Notice, func(string) error, error) {
			return syncapp.NoticesSignedIn(ctx, st)
		}}
	}
	h := newHarnessWith(t, path, notices)
	if _, err := syncapp.Login(ctx, h.Books, srv.URL, "ravi@example.com", "correct horse", "Counter 1"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Notify(ctx, privacy.MailPolicy, "2026-12", "", "We now keep error reports 30 days, not 90."); err != nil {
		t.Fatal(err)
	}
	go h.App.ShowNotices(ctx)
	h.settle("the notice", func() bool { return strings.Contains(dialogText(h), "We now keep error reports 30 days, not 90.") })
	if !strings.Contains(dialogText(h), "Our privacy policy has changed (2026-12)") {
		t.Errorf("the notice dialog:\n%s", dialogText(h))
	}
	test.Tap(h.button("OK"))
	tok, err := syncapp.TokenStore{BooksPath: h.Books.Path()}.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := client.NewClient(srv.URL)
	// Recorded off the UI goroutine once the dialog is closed.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		left, err := c.Notices(ctx, tok)
		if err == nil && len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not hear the notice was seen: %v %v", left, err)
		}
	}
	if seen, _ := h.Books.Meta(syncapp.MetaNoticesSeen); seen == "" {
		t.Error("not recorded seen on this PC")
	}

	// Started again: nothing to show.
	h2 := newHarnessWith(t, path, notices)
	h2.App.ShowNotices(ctx)
	h2.settle("start", func() bool { return true })
	if h2.Win.Canvas().Overlays().Top() != nil {
		t.Errorf("shown again after a restart:\n%s", dialogText(h2))
	}
}
