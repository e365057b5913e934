package privacyview_test

import (
	"errors"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/app/ui/privacyview"
)

// TestPrivacyScreen: the screen shows exactly the batch that will go (the
// usage events and the cleaned error reports); unticking "Send usage
// events" drops them and keeps them off; the account page button opens the
// books' server's /account, and is off for books not signed in.
func TestPrivacyScreen(t *testing.T) {
	test.NewTempApp(t)
	books, err := store.Open(filepath.Join(t.TempDir(), "books.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer books.Close()
	tel := syncapp.NewTelemetry(books, "1.4.0", nil)
	win := test.NewWindow(nil)
	defer win.Close()
	v := privacyview.New(win, tel, func(*url.URL) error { t.Error("opened a page with no server"); return nil }, privacyview.Rights{})
	if !v.Account.Disabled() {
		t.Error("account page button on for books not signed in")
	}
	// "What is sent" names exactly the usage events the app sends.
	for _, f := range syncapp.Features {
		if !strings.Contains(v.Features.Text, f.Name+" — ") {
			t.Errorf("the screen does not list %s:\n%s", f.Name, v.Features.Text)
		}
	}
	if n := strings.Count(v.Features.Text, "\n") + 1; n != len(syncapp.Features) {
		t.Errorf("the screen lists %d usage events, the app sends %d", n, len(syncapp.Features))
	}
	tel.Use("report.gstr1") // not one of them: never kept
	if b := tel.Pending(); len(b.Events) != 0 {
		t.Errorf("a usage event the screen does not list was kept: %+v", b.Events)
	}
	tel.Use("bill.save")
	tel.Error(errors.New(`party "Meena Traders" owes 1250`), "")
	v.Refresh()
	if !v.Usage.Checked || !strings.Contains(v.Batch.Text, `"feature": "bill.save"`) || !strings.Contains(v.Batch.Text, `"app_version": "1.4.0"`) ||
		strings.Contains(v.Batch.Text, "Meena") || strings.Contains(v.Batch.Text, "1250") || !strings.Contains(v.Batch.Text, "owes") {
		t.Fatalf("batch shown:\n%s", v.Batch.Text)
	}
	test.Tap(v.Usage)
	if tel.UsageOn() || strings.Contains(v.Batch.Text, "bill.save") || !strings.Contains(v.Batch.Text, "owes") {
		t.Errorf("after turning usage events off (on=%v):\n%s", tel.UsageOn(), v.Batch.Text)
	}
	tel.Use("bill.save")
	if b := tel.Pending(); len(b.Events) != 0 {
		t.Errorf("usage events kept while off: %+v", b.Events)
	}

	if err := books.SetMeta(map[string]string{client.MetaServer: "https://sync.example.in/"}); err != nil {
		t.Fatal(err)
	}
	var opened string
	v = privacyview.New(win, tel, func(u *url.URL) error { opened = u.String(); return nil }, privacyview.Rights{})
	if v.Usage.Checked {
		t.Error("usage events shown on after they were turned off")
	}
	test.Tap(v.Account)
	if opened != "https://sync.example.in/account" {
		t.Errorf("opened %q", opened)
	}
}
