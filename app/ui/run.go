package ui

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/ainaukar/naukar/app/backup"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/update"
	"github.com/ainaukar/naukar/app/version"
)

// AppID is the Fyne application id (also in FyneApp.toml).
const AppID = "in.ainaukar.naukar"

// Run opens the books at path in the counter window and returns the exit
// code when the window closes. It prints how long the start took to a
// usable billing screen ("naukar: ready in 412 ms") on stderr.
func Run(path string, opt Options) int {
	start := time.Now()
	if os.Getenv("LANG") == "" {
		os.Setenv("LANG", "en_IN.UTF-8") // Fyne cannot parse the "C" locale
	}
	LoadTranslations()
	// The same facts as FyneApp.toml, for binaries made with plain go build.
	fyneapp.SetMetadata(fyne.AppMetadata{ID: AppID, Name: "Naukar", Version: version.Version(), Build: 1,
		Migrations: map[string]bool{"fyneDo": true}})
	fa := fyneapp.NewWithID(AppID)
	fa.Settings().SetTheme(Theme{})
	w := fa.NewWindow("Naukar")
	w.Resize(fyne.NewSize(1366, 768))
	w.SetMaster()
	// Books made by a newer app are refused untouched; older books are
	// backed up before they migrate.
	books := backup.New(path)
	st, err := books.Open(store.Options{})
	if err != nil {
		w.SetContent(OpenFailed(w, path, err))
		w.ShowAndRun()
		return 1
	}
	var closeOnce sync.Once
	closeBooks := func() { closeOnce.Do(func() { st.Close() }) }
	defer closeBooks()
	if look, _ := st.Meta("appearance"); look != "" {
		applyAppearance(look)
	}
	sv := wire(st, &opt)
	// A panic that takes the app down is kept in the books and reported
	// after the next start; then it goes on as before.
	defer func() {
		if r := recover(); r != nil {
			opt.Telemetry.Panic(r, string(debug.Stack()), true)
			panic(r)
		}
	}()
	var stopSync sync.Once
	defer stopSync.Do(func() { sv.Close() })
	if opt.Care == nil {
		opt.Care = &Care{Backups: books, Store: st, Updates: updater(st)}
	}
	opt.Care.Shutdown = func() {
		stopSync.Do(func() { sv.Close() })
		closeBooks()
	}
	ready := opt.Ready
	opt.Ready = nil
	a := New(w, st, opt)
	fa.Lifecycle().SetOnStarted(func() {
		// The first frame is up: the item box has focus and takes scans.
		ms := time.Since(start).Milliseconds()
		fmt.Fprintf(os.Stderr, "naukar: ready in %d ms\n", ms)
		slog.Debug("ui ready", "ms", ms)
		if ready != nil {
			ready()
		}
		// Up with the books open: tell an updating build that started
		// this one, then look after the books and updates in the background.
		update.ConfirmStarted()
		go a.careLoop(opt.Care)
		if !a.WatchInput() {
			slog.Warn("idle lock: only keys count as activity (the window's mouse is out of reach)")
		}
		go a.ShowNotices(context.Background())
		go a.idleLoop()
	})
	a.Start()
	w.ShowAndRun()
	return 0
}

// updater is this build's updater for the books in st.
func updater(st *store.Store) *update.Updater {
	u, err := update.ForBooks(st.Meta)
	if err != nil {
		slog.Warn("updates off", "err", err)
		return nil
	}
	return u
}

// careLoop runs the care rounds: at start, then every hour while the
// window is open (the daily backup and update check decide themselves
// whether they are due).
func (a *App) careLoop(c *Care) {
	if c.Updates != nil {
		c.Updates.Cleanup()
	}
	ctx := context.Background()
	a.CareRound(ctx, true)
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for range t.C {
		a.CareRound(ctx, false)
	}
}
