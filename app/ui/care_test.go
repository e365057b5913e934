package ui_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ainaukar/naukar/app/backup"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/ui"
	"github.com/ainaukar/naukar/app/update"
)

// careHarness is the app with its care wired: real backups of the books, and
// updates from a manifest server on loopback offering version 1.1.0.
func careHarness(t *testing.T) (*harness, *ui.Care, *int) {
	t.Helper()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{5}, 32))
	build := []byte(strings.Repeat("a new build ", 1000))
	sum := sha256.Sum256(build)
	signed, err := update.Sign(update.Manifest{Product: "naukar", Version: "1.1.0", Files: []update.File{{
		Name: "naukar-1.1.0-linux-amd64", Platform: "linux/amd64", Kind: update.KindBinary, URL: "naukar-1.1.0-linux-amd64",
		Size: int64(len(build)), SHA256: hex.EncodeToString(sum[:])}}}, key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, update.ManifestFile) {
			w.Write(signed)
			return
		}
		w.Write(build)
	}))
	t.Cleanup(srv.Close)

	path, err := demo.Cached(context.Background(), demo.Small, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
	ui.LoadTranslations()
	st, err := backup.New(path).Open(store.Options{Now: func() time.Time { return demo.Today }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	// A cached demo file from an older schema was just migrated with a backup
	// first; start from no backups, as on a counter's first day.
	os.RemoveAll(backup.New(path).DefaultFolder())
	exe := filepath.Join(t.TempDir(), "naukar")
	os.WriteFile(exe, []byte("old build"), 0o755)
	trials := 0
	care := &ui.Care{Backups: backup.New(path), Store: st,
		Updates: &update.Updater{ManifestURL: srv.URL + "/v1/updates/naukar.json", PublicKey: key.Public().(ed25519.PublicKey),
			Current: "1.0.0", Platform: "linux/amd64", Exe: exe, Dir: t.TempDir(), Client: srv.Client()},
		Trial: func(ctx context.Context, staged, v string) error {
			trials++
			if b, _ := os.ReadFile(staged); !bytes.Equal(b, build) || v != "1.1.0" {
				t.Errorf("tried %d bytes as %s", len(b), v)
			}
			return nil
		}}
	h := &harness{t: t, Books: st, queue: make(chan func(), 10000)}
	h.Win = test.NewWindow(nil)
	h.Win.Resize(fyne.NewSize(1366, 768))
	t.Cleanup(h.Win.Close)
	h.App = ui.New(h.Win, st, ui.Options{Do: func(f func()) { h.queue <- f }, Care: care})
	h.App.Start()
	return h, care, &trials
}

// The first care round checks the books, makes the daily backup, and
// fetches, verifies and tries the update; About offers the restart only
// while no bill is open.
func TestCareRoundAndAbout(t *testing.T) {
	h, care, trials := careHarness(t)
	h.App.CareRound(context.Background(), true)
	h.settle("update ready", func() bool { return strings.Contains(h.App.Status(), "1.1.0 is ready") })
	if care.Ready() != "1.1.0" || *trials != 1 {
		t.Fatalf("ready %q after %d trials", care.Ready(), *trials)
	}
	bs, err := care.Backups.List()
	if err != nil || len(bs) != 1 || bs[0].Reason != backup.Daily {
		t.Fatalf("daily backup: %+v %v", bs, err)
	}
	// A second round the same hour: nothing is due.
	h.App.CareRound(context.Background(), false)
	if bs, _ := care.Backups.List(); len(bs) != 1 || *trials != 1 {
		t.Fatalf("a second round made %d backups and %d trials", len(bs), *trials)
	}

	h.press(ui.ActHelp)
	h.App.ShowAbout()
	if b := h.App.AboutRestart; b == nil || b.Disabled() || !strings.Contains(b.Text, "Restart to update to 1.1.0") {
		t.Fatalf("with no bill open: %+v", b)
	}
	for _, want := range []string{"AI Naukar", "the newest 14 kept", "daily"} {
		if !strings.Contains(dialogText(h), want) {
			t.Fatalf("About lacks %q:\n%s", want, dialogText(h))
		}
	}
	h.esc() // no key reaches the screen behind a dialog (issue 12): Esc closes it
	h.press(ui.ActBilling)
	b := h.App.Billing
	h.scan(h.product(0).SKU)
	h.settle("line", func() bool { return len(b.Bill.Lines) == 1 })
	h.App.ShowAbout()
	if r := h.App.AboutRestart; !r.Disabled() || !strings.Contains(r.Text, "save or hold the bill first") {
		t.Fatalf("with a bill open the restart is offered: %q disabled=%v", r.Text, r.Disabled())
	}
}
