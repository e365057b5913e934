package ui

import (
	"fmt"
	"log/slog"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/store"
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
	fyneapp.SetMetadata(fyne.AppMetadata{ID: AppID, Name: "Naukar", Version: "0.1.0", Build: 1,
		Migrations: map[string]bool{"fyneDo": true}})
	fa := fyneapp.NewWithID(AppID)
	fa.Settings().SetTheme(Theme{})
	w := fa.NewWindow("Naukar")
	w.Resize(fyne.NewSize(1366, 768))
	w.SetMaster()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		l := widget.NewLabel(fmt.Sprintf(L("Cannot open the books at %s: %v"), path, err))
		l.Wrapping = fyne.TextWrapWord
		w.SetContent(container.NewPadded(l))
		w.ShowAndRun()
		return 1
	}
	defer st.Close()
	if look, _ := st.Meta("appearance"); look != "" {
		applyAppearance(look)
	}
	sv := wire(st, &opt)
	defer sv.Close()
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
	})
	a.Start()
	w.ShowAndRun()
	return 0
}
