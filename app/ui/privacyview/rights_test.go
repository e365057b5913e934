package privacyview_test

import (
	"archive/zip"
	"context"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/ui/privacyview"
	"github.com/ainaukar/naukar/server/privacy/privacytest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// privacyServer starts a sync server with the privacy rights on loopback.
func privacyServer(t *testing.T) string { return privacytest.Server(t) }

// queue is the UI goroutine of the test: what the screen hands it runs
// when the test waits.
type queue chan func()

func (q queue) do(f func()) { q <- f }

func (q queue) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for !cond() {
		select {
		case f := <-q:
			f()
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func zipFile(t *testing.T, path, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return string(b)
		}
	}
	t.Fatalf("no %s in %s", name, path)
	return ""
}

// TestPrivacyRights drives Settings → Privacy's buttons against a real
// sync server: the server's export with its progress, saved where chosen;
// the export of the books on this computer; closing the account, which
// offers the export first, asks the password (a wrong one is refused and
// may be typed again), shows the purge date and signs this computer out.
// A role that may not close the account does not see the button.
func TestPrivacyRights(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	test.NewTempApp(t)
	ctx := context.Background()
	server := privacyServer(t)
	if _, err := syncapp.Signup(ctx, server, protocol.SignupRequest{
		Owner:    protocol.SignupOwner{Name: "Ravi", Email: "ravi@example.com", Phone: "9876543210", Password: "correct horse"},
		Business: protocol.SignupBusiness{Name: "Sharma Stores", StateCode: "27"}, AgeConfirmed: true, TermsAccepted: true}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "books.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Init(books.Business{Name: "Sharma Stores", StateCode: "27"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveProduct(books.Product{Name: "Parle-G Marker Biscuit", Unit: "PCS", SalePrice: 1000, GSTRate: 1800}); err != nil {
		t.Fatal(err)
	}
	if _, err := syncapp.Login(ctx, st, server, "ravi@example.com", "correct horse", "Counter 1"); err != nil {
		t.Fatal(err)
	}
	eng, err := syncapp.Engine(st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Round(ctx); err != nil {
		t.Fatal(err)
	}

	q := make(queue, 1000)
	rights := privacyview.Rights{
		ExportAccount: func(ctx context.Context, path string, p func(protocol.ExportStatus)) (int64, error) {
			return syncapp.ExportAccountFile(ctx, st, path, p)
		},
		ExportBooks: func(ctx context.Context, path string, p func(int64, int64)) (int64, error) {
			return syncapp.ExportBooksFile(ctx, st, path, p)
		},
		DeleteAccount: func(ctx context.Context, pw string) (protocol.DeleteAccountResponse, error) {
			return syncapp.DeleteAccount(ctx, st, pw)
		},
		Do: q.do,
	}
	tel := syncapp.NewTelemetry(st, "1.4.0", nil)
	win := test.NewWindow(nil)
	win.Resize(fyne.NewSize(1000, 760))
	defer win.Close()
	v := privacyview.New(win, tel, func(*url.URL) error { return nil }, rights)
	win.SetContent(v)
	dir := t.TempDir()
	var chosen []string
	v.ChooseFile = func(name string, done func(string)) {
		p := filepath.Join(dir, name)
		chosen = append(chosen, p)
		done(p)
	}

	// The books on this computer.
	test.Tap(v.ExportLocal)
	q.until(t, "the export of the books here", func() bool { return !v.Busy() })
	if !strings.Contains(v.Msg.Text, "Saved the books on this computer to") || !strings.HasPrefix(filepath.Base(chosen[0]), "naukar-books-") {
		t.Fatalf("after the export of the books: %q (%v)", v.Msg.Text, chosen)
	}
	if csv := zipFile(t, chosen[0], "books/products.csv"); !strings.Contains(csv, "Parle-G Marker Biscuit") {
		t.Errorf("books/products.csv:\n%s", csv)
	}

	// The server's export.
	test.Tap(v.ExportServer)
	q.until(t, "the server's export", func() bool { return !v.Busy() })
	if !strings.Contains(v.Msg.Text, "Saved the server's export to") {
		t.Fatalf("after the server's export: %q", v.Msg.Text)
	}
	if csv := zipFile(t, chosen[1], "books/products.csv"); !strings.Contains(csv, "Parle-G Marker Biscuit") {
		t.Errorf("the server's books/products.csv:\n%s", csv)
	}
	if acct := zipFile(t, chosen[1], "account.json"); !strings.Contains(acct, "ravi@example.com") {
		t.Errorf("account.json: %s", acct)
	}

	// Close the account: the export is offered first.
	test.Tap(v.Delete)
	if v.ExportFirst == nil || v.DeleteNoExport == nil || v.CancelDelete == nil {
		t.Fatal("no Export first / Delete without export / Cancel")
	}
	test.Tap(v.ExportFirst)
	q.until(t, "the export before closing, then the password", func() bool { return v.Password != nil })
	if len(chosen) != 3 || !strings.Contains(v.Msg.Text, "Saved the server's export") {
		t.Fatalf("the export before closing: %q (%v)", v.Msg.Text, chosen)
	}
	test.Type(v.Password, "wrong horse")
	test.Tap(v.ConfirmDelete)
	q.until(t, "the wrong password refused", func() bool { return !v.Busy() })
	if syncapp.NewTelemetry(st, "", nil).AccountPage() == "" || !v.ConfirmDelete.Visible() {
		t.Fatal("a wrong password closed something")
	}
	v.Password.SetText("correct horse")
	test.Tap(v.ConfirmDelete)
	q.until(t, "the account closed", func() bool { return !v.Busy() && strings.Contains(v.Msg.Text, "Account closed") })
	dated := false
	for d := 25; d <= 31; d++ {
		dated = dated || strings.Contains(v.Msg.Text, gst.FormatDay(time.Now().AddDate(0, 0, d)))
	}
	if !dated {
		t.Errorf("no purge date about 30 days on: %q", v.Msg.Text)
	}
	if !v.ExportServer.Disabled() || !v.Delete.Disabled() {
		t.Error("server buttons still on after closing")
	}
	if _, err := syncapp.Engine(st); err == nil {
		t.Error("this computer is still signed in")
	}

	// A cashier does not see the button.
	rights.MayDelete = func() bool { return false }
	if c := privacyview.New(win, tel, func(*url.URL) error { return nil }, rights); c.Delete.Visible() {
		t.Error("Delete account shown to a role that may not close the account")
	}
}
