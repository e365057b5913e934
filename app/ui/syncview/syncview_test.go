package syncview_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/app/ui/syncview"
	"github.com/ainaukar/naukar/server/api"
	srvstore "github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// all returns the laid-out objects of type T in the window.
func all[T any](w fyne.Window) []T {
	var out []T
	for _, o := range test.LaidOutObjects(w.Content()) {
		if x, ok := o.(T); ok {
			out = append(out, x)
		}
	}
	return out
}

func labels(w fyne.Window) string {
	var b strings.Builder
	for _, l := range all[*widget.Label](w) {
		b.WriteString(l.Text + "\n")
	}
	return b.String()
}

func tapButton(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	for _, b := range all[*widget.Button](w) {
		if b.Text == text {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no %q button", text)
}

// TestSignInAndSyncFromScreen signs a fresh shop in from the Sync screen
// like a user would and sees the status say it synced.
func TestSignInAndSyncFromScreen(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	db, err := srvstore.OpenSQLite(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := httptest.NewServer(api.New(api.Config{Store: db, BcryptCost: 4, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	if _, err := client.NewClient(srv.URL).Signup(t.Context(), protocol.SignupRequest{Owner: protocol.SignupOwner{Name: "Ravi", Email: "ravi@example.com", Phone: "9876543210", Password: "correct horse"},
		Business: protocol.SignupBusiness{Name: "Sharma Stores", StateCode: "27"}, AgeConfirmed: true, TermsAccepted: true}); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(filepath.Join(t.TempDir(), "books.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Init(books.Business{Name: "Sharma Stores", StateCode: "27"}); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	w := a.NewWindow("sync")
	svc := syncapp.NewService(s, nil)
	defer svc.Close()
	// Background results come back through do; the mutex stands in for
	// the UI goroutine so the test reads the screen between updates.
	var mu gosync.Mutex
	done := make(chan struct{}, 64)
	v := syncview.New(w, svc, func(f func()) {
		mu.Lock()
		f()
		mu.Unlock()
		select {
		case done <- struct{}{}:
		default:
		}
	})
	mu.Lock()
	w.SetContent(v)
	mu.Unlock()
	<-done
	texts := func() string { mu.Lock(); defer mu.Unlock(); return labels(w) }
	if !strings.Contains(texts(), "Not signed in") {
		t.Fatalf("screen: %s", texts())
	}
	mu.Lock()
	entries := all[*widget.Entry](w)
	if len(entries) < 4 {
		t.Fatalf("%d entries", len(entries))
	}
	// Server, login, password, device in form order.
	test.Type(entries[0], srv.URL)
	test.Type(entries[1], "ravi@example.com")
	test.Type(entries[2], "correct horse")
	tapButton(t, w, "Sign in")
	mu.Unlock()
	deadline := time.After(20 * time.Second)
	for !strings.Contains(texts(), "Signed in to") {
		select {
		case <-done:
		case <-deadline:
			t.Fatalf("never signed in: %s", texts())
		}
	}
	mu.Lock()
	tapButton(t, w, "Sync now")
	mu.Unlock()
	for !strings.Contains(texts(), "Changes waiting to go up: 0") || strings.Contains(texts(), "Last synced: never") {
		select {
		case <-done:
		case <-deadline:
			t.Fatalf("never synced: %s", texts())
		}
	}
}

// TestServerAddressWarnsOfPlainHTTP: typing a plain http:// address of a
// server on the internet shows the warning under the form at once, one on
// the shop's own network the milder note, and https or this PC nothing.
func TestServerAddressWarnsOfPlainHTTP(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "books.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Init(books.Business{Name: "Sharma Stores", StateCode: "27"}); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	w := a.NewWindow("sync")
	svc := syncapp.NewService(s, nil)
	defer svc.Close()
	var mu gosync.Mutex
	v := syncview.New(w, svc, func(f func()) { mu.Lock(); f(); mu.Unlock() })
	mu.Lock()
	defer mu.Unlock()
	w.SetContent(v)
	server := all[*widget.Entry](w)[0]
	for addr, want := range map[string]string{
		"http://sync.example.in":   syncapp.PlainHTTPInternet,
		"http://192.168.1.20:8080": syncapp.PlainHTTPLocal,
		"https://sync.example.in":  "",
		"http://127.0.0.1:8080":    "",
	} {
		server.SetText("")
		test.Type(server, addr)
		if got := v.URLNote(); got != want {
			t.Fatalf("%s: note %q, want %q", addr, got, want)
		}
		if want != "" && !strings.Contains(labels(w), want) {
			t.Fatalf("%s: the note is not on the screen:\n%s", addr, labels(w))
		}
	}
}
