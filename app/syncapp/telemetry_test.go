package syncapp_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/privacy"
	srvstore "github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// privacyWorld is a sync server with the privacy module on loopback, an
// owner signed up and one device signed in, and fresh books.
type privacyWorld struct {
	db    *srvstore.DB
	svc   *privacy.Service
	c     *client.Client
	token string
	login protocol.LoginResponse
	books *store.Store
}

func newPrivacyWorld(t *testing.T) *privacyWorld {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := srvstore.OpenSQLite(context.Background(), t.TempDir())
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
	if err := signup(srv.URL, "Ravi Stores"); err != nil {
		t.Fatal(err)
	}
	c := client.NewClient(srv.URL)
	l, err := c.Login(ctx, protocol.LoginRequest{Login: "ravi@example.com", Password: "correct horse", DeviceName: "Counter 1"})
	if err != nil {
		t.Fatal(err)
	}
	books, err := store.Open(filepath.Join(t.TempDir(), "books.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { books.Close() })
	return &privacyWorld{db: db, svc: svc, c: c, token: l.Token, login: l, books: books}
}

// offline is a telemetry client that cannot reach the server.
type offline struct{}

func (offline) SendTelemetry(context.Context, string, protocol.TelemetryBatch) error {
	return errors.New("dial tcp: connection refused")
}

// TestTelemetry: usage events and error reports wait while offline and go
// in one batch when the server is reachable, where they are stored; an
// error's message loses names, numbers and addresses; turning usage
// events off drops and stops them, error reports still go.
func TestTelemetry(t *testing.T) {
	w := newPrivacyWorld(t)
	tel := syncapp.NewTelemetry(w.books, "1.4.0", nil)
	tel.Use("bill.save")
	tel.Use("report.open")
	tel.Use("Meena's invoice 42") // not a feature name: never kept
	tel.Error(errors.New(`save invoice "Meena Traders" for ₹1,250.00 to meena@example.in: phone 9876543210 is wrong`), "main.save()\n\tbill.go:42")
	if err := tel.Send(ctx, offline{}, w.token); err == nil {
		t.Fatal("sent while offline")
	}
	b := tel.Pending()
	if len(b.Events) != 2 || len(b.Errors) != 1 || b.Events[0].Feature != "bill.save" || b.Events[0].AppVersion != "1.4.0" {
		t.Fatalf("pending after the failed send: %+v", b)
	}
	msg := b.Errors[0].Message
	for _, leak := range []string{"Meena", "1,250", "9876543210", "meena@example.in"} {
		if strings.Contains(msg, leak) {
			t.Errorf("the error report keeps %q: %q", leak, msg)
		}
	}
	if !strings.Contains(msg, "save invoice") || !strings.Contains(msg, "is wrong") {
		t.Errorf("the error report lost what went wrong: %q", msg)
	}
	if err := tel.Send(ctx, w.c, w.token); err != nil {
		t.Fatal(err)
	}
	if b := tel.Pending(); len(b.Events)+len(b.Errors) != 0 {
		t.Errorf("still pending after sending: %+v", b)
	}
	count := func(table string) int {
		n := 0
		err := w.db.EachTableRow(ctx, table, w.login.BusinessID, func([]string, []any) error { n++; return nil })
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if count("usage_events") != 2 || count("error_reports") != 1 {
		t.Errorf("the server stored %d events and %d error reports", count("usage_events"), count("error_reports"))
	}

	if err := tel.SetUsage(false); err != nil {
		t.Fatal(err)
	}
	tel.Use("bill.save")
	tel.Error(errors.New("printer not found"), "")
	if b := tel.Pending(); len(b.Events) != 0 || len(b.Errors) != 1 || tel.UsageOn() {
		t.Errorf("usage off: %+v", b)
	}
	// The setting is the books': a new Telemetry (the app opened again) keeps it.
	if syncapp.NewTelemetry(w.books, "1.4.0", nil).UsageOn() {
		t.Error("usage events on again after reopening")
	}
}

// TestPolicyNoticeShownOnce: a policy notice from notify-policy shows once
// on this PC, and the server hears it was seen.
func TestPolicyNoticeShownOnce(t *testing.T) {
	w := newPrivacyWorld(t)
	if _, err := w.svc.Notify(ctx, privacy.MailPolicy, "2026-12", "", "We now keep error reports 30 days."); err != nil {
		t.Fatal(err)
	}
	ns, err := syncapp.NewNotices(ctx, w.books, w.c, w.token)
	if err != nil || len(ns) != 1 || ns[0].Version != "2026-12" {
		t.Fatalf("notices: %+v %v", ns, err)
	}
	if err := syncapp.NoticeShown(ctx, w.books, w.c, w.token, ns[0].ID); err != nil {
		t.Fatal(err)
	}
	if again, err := syncapp.NewNotices(ctx, w.books, w.c, w.token); err != nil || len(again) != 0 {
		t.Errorf("shown again: %+v %v", again, err)
	}
	if left, err := w.c.Notices(ctx, w.token); err != nil || len(left) != 0 {
		t.Errorf("the server did not hear the notice was seen: %+v %v", left, err)
	}
}

// TestErrorReportMessage: an error report keeps the program's words and
// loses a party's name, phone number, address, amount and path even when
// they are not quoted; a books error sends its message with the blanks
// still empty.
func TestErrorReportMessage(t *testing.T) {
	cases := []struct {
		err   error
		want  []string
		leaks []string
	}{
		{errors.New(`payment from Meena Traders (+91 98765 43210, Plot 7 Ring Road, Surat) failed: dial tcp: connection refused`),
			[]string{"payment from", "failed: dial tcp: connection refused"}, []string{"Meena", "Traders", "98765", "Surat", "Plot", "Ring Road"}},
		{errors.New(`open C:\Users\Ramesh\Documents\naukar\books.db: permission denied`),
			[]string{"open", "permission denied"}, []string{"Ramesh", "Documents"}},
		{books.Errorf(books.ECONFLICT, "%s still owes %s; settle the dues before deleting the party.", "Gupta Kirana", "₹1,250.00"),
			[]string{"conflict: %s still owes %s;", "before deleting the party."}, []string{"Gupta", "Kirana", "1,250"}},
		{fmt.Errorf("save bill for Sharmaji: %w", books.Invalid("qty", "Quantity of %s must be above zero.", "Amul Taaza 1L")),
			[]string{"invalid: Quantity of %s must be above zero."}, []string{"Sharmaji", "Amul", "Taaza"}},
	}
	for _, c := range cases {
		got := syncapp.ErrorReportMessage(c.err)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%q: report %q lacks %q", c.err, got, w)
			}
		}
		for _, l := range c.leaks {
			if strings.Contains(got, l) {
				t.Errorf("%q: report %q keeps %q", c.err, got, l)
			}
		}
	}
}

// TestCrashReportSurvivesRestart: a panic that takes the app down is kept
// in the books and waits in the next start's batch, once.
func TestCrashReportSurvivesRestart(t *testing.T) {
	books, err := store.Open(filepath.Join(t.TempDir(), "books.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer books.Close()
	tel := syncapp.NewTelemetry(books, "1.4.0", nil)
	tel.Error(errors.New("printer not found"), "")
	tel.Panic("index out of range [7] for party Meena Traders", "app/ui.(*App).Run\n\trun.go:80", true)
	again := syncapp.NewTelemetry(books, "1.4.0", nil).Pending().Errors
	if len(again) != 2 || !strings.HasPrefix(again[1].Message, "panic: index out of range") || again[1].Stack == "" ||
		strings.Contains(again[1].Message, "Meena") {
		t.Fatalf("after the restart: %+v", again)
	}
	if third := syncapp.NewTelemetry(books, "1.4.0", nil).Pending().Errors; len(third) != 0 {
		t.Errorf("picked up twice: %+v", third)
	}
}
