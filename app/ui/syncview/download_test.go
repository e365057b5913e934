package syncview_test

import (
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/app/ui/syncview"
)

// TestDownloadProgressShown: while a new counter downloads the business,
// the Sync screen says what is coming down, that billing works once the
// products and parties are in, and how far the history is, with a bar.
func TestDownloadProgressShown(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	s, err := store.Open(filepath.Join(t.TempDir(), "books.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := test.NewTempApp(t)
	w := a.NewWindow("sync")
	svc := syncapp.NewService(s, nil)
	defer svc.Close()
	// The screen's first status comes back from a goroutine; the mutex
	// stands in for the UI goroutine until it has.
	var mu gosync.Mutex
	loaded := make(chan struct{}, 8)
	v := syncview.New(w, svc, func(f func()) {
		mu.Lock()
		f()
		mu.Unlock()
		select {
		case loaded <- struct{}{}:
		default:
		}
	})
	mu.Lock()
	w.SetContent(v)
	mu.Unlock()
	<-loaded
	bar := func() *widget.ProgressBar {
		for _, b := range all[*widget.ProgressBar](w) {
			if b.Visible() {
				return b
			}
		}
		return nil
	}
	if bar() != nil || strings.Contains(shown(w), "Downloading") {
		t.Fatalf("download shown before any: %s", shown(w))
	}
	v.ShowDownload(client.Download{Part: client.PartMasters, Table: "products", Rows: 5000})
	if got := shown(w); !strings.Contains(got, "Downloading products…") || !strings.Contains(got, "Billing starts as soon as") || bar() != nil {
		t.Fatalf("masters: %s", got)
	}
	v.ShowDownload(client.Download{Part: client.PartHistory, Done: 40, Total: 100})
	if got := shown(w); !strings.Contains(got, "billing works") || !strings.Contains(got, "history: 40%") || !strings.Contains(got, "still loading") {
		t.Fatalf("history: %s", got)
	}
	if b := bar(); b == nil || b.Value != 0.4 {
		t.Fatalf("progress bar %+v", b)
	}
	v.ShowDownload(client.Download{})
	if got := shown(w); strings.Contains(got, "Downloading") || strings.Contains(got, "history") || bar() != nil {
		t.Fatalf("still shown after the download: %s", got)
	}
}

// shown returns the texts of the visible labels.
func shown(w fyne.Window) string {
	var b strings.Builder
	for _, l := range all[*widget.Label](w) {
		if l.Visible() {
			b.WriteString(l.Text + "\n")
		}
	}
	return b.String()
}
