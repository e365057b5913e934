package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/backup"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/update"
	"github.com/ainaukar/naukar/app/version"
)

// Care is the books' care and the app's updates as the window sees them:
// the start-up integrity check, the daily backup, the daily update check
// with its background download and trial, and the About dialog. The rules
// live in app/backup and app/update; this only schedules and shows them.
type Care struct {
	Backups *backup.Manager
	Store   *store.Store
	Updates *update.Updater // nil: this build does not look for updates
	// Trial tries a downloaded build before it is offered; nil is a trial
	// on a copy of the books (update.TrialBooks and update.Trial).
	Trial func(ctx context.Context, staged, version string) error
	// Shutdown stops sync and closes the books before a restart (Run sets it).
	Shutdown func()

	mu     sync.Mutex
	ready  *update.Release // downloaded, verified and tried: offered as a restart
	staged string
	note   string // the last thing care said (shown in About)
}

func (c *Care) say(s string) {
	c.mu.Lock()
	c.note = s
	c.mu.Unlock()
}

// Ready is the version downloaded, verified and tried ("" if none).
func (c *Care) Ready() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ready == nil {
		return ""
	}
	return c.ready.Manifest.Version
}

// CareRound runs one round of care off the UI goroutine: the integrity check
// (when start is true: quick, or full once a week), the daily backup when
// due, and the daily update check with its download and trial. What needs
// the shopkeeper comes back to the window through the app's Do.
func (a *App) CareRound(ctx context.Context, start bool) {
	c := a.opt.Care
	if c == nil {
		return
	}
	if start {
		res, err := c.Backups.Check(ctx, c.Store)
		switch {
		case err != nil:
			slog.Error("integrity check", "err", err)
		case len(res.Problems) > 0:
			a.opt.Do(func() { a.showDamaged(res.Problems) })
			return // no backup of damaged books over the good ones
		default:
			slog.Info("integrity check", "full", res.Full, "ms", res.Took.Milliseconds())
		}
	}
	if due, err := c.Backups.Due(); err == nil && due {
		res, err := c.Backups.Make(ctx, c.Store, backup.Daily)
		switch {
		case err != nil:
			msg := fmt.Sprintf(L("The daily backup failed: %s"), Message(err))
			c.say(msg)
			a.opt.Do(func() { a.Say("%s", msg) })
		case res.Fallback != "":
			c.say(res.Fallback)
			a.opt.Do(func() { a.Say("%s", res.Fallback) })
		default:
			c.say(fmt.Sprintf(L("Backed up the books to %s."), res.Path))
		}
	}
	if c.Updates != nil && c.Ready() == "" && c.Updates.CheckDue() {
		a.fetchUpdate(ctx)
	}
}

// fetchUpdate checks, downloads, verifies and tries a new build.
func (a *App) fetchUpdate(ctx context.Context) {
	c := a.opt.Care
	rel, err := c.Updates.Check(ctx)
	if err != nil || rel == nil {
		if err != nil && !errors.Is(err, update.ErrDevBuild) && !errors.Is(err, update.ErrNoURL) {
			c.say(Message(err))
		}
		return
	}
	if rel.Package != nil {
		c.say(fmt.Sprintf(L("AI Naukar %s is available: install %s (%s)."), rel.Manifest.Version, rel.Package.Name, rel.Package.URL))
		return
	}
	staged, err := c.Updates.Download(ctx, rel, nil)
	if err == nil {
		trial := c.Trial
		if trial == nil {
			trial = func(ctx context.Context, staged, v string) error {
				books, cleanup, err := update.TrialBooks(ctx, c.Backups.Books, c.Store)
				if err != nil {
					return err
				}
				defer cleanup()
				return update.Trial(ctx, staged, v, books)
			}
		}
		err = trial(ctx, staged, rel.Manifest.Version)
	}
	if err != nil {
		c.say(Message(err))
		return
	}
	c.mu.Lock()
	c.ready, c.staged = rel, staged
	c.mu.Unlock()
	msg := fmt.Sprintf(L("AI Naukar %s is ready: restart from Help → About when no bill is open."), rel.Manifest.Version)
	c.say(msg)
	a.opt.Do(func() { a.Say("%s", msg) })
}

// billOpen reports whether the counter has a bill with lines on it.
func (a *App) billOpen() bool { return a.Billing != nil && !a.Billing.Bill.Empty() }

// ShowAbout opens the About dialog: version, books, backups and updates.
func (a *App) ShowAbout() {
	c := a.opt.Care
	info := widget.NewForm(
		widget.NewFormItem(L("Version"), widget.NewLabel(version.String("AI Naukar"))),
		widget.NewFormItem(L("Books"), widget.NewLabel(a.booksPath())),
	)
	box := container.NewVBox(info)
	var restart *widget.Button
	if c != nil {
		folder, _ := c.Backups.Folder()
		last := L("none yet")
		if bs, err := c.Backups.List(); err == nil && len(bs) > 0 {
			last = gst.FormatDay(bs[0].Time) + " " + bs[0].Time.Format("15:04") + " (" + bs[0].Reason + ")"
		}
		info.Append(L("Backups"), wrapLabel(fmt.Sprintf(L("%s, the newest %d kept; last: %s"), folder, c.Backups.Keep(), last)))
		c.mu.Lock()
		note := c.note
		c.mu.Unlock()
		if note != "" {
			info.Append(L("Last news"), wrapLabel(note))
		}
		backupNow := widget.NewButtonWithIcon(L("Back up now"), theme.DocumentSaveIcon(), func() {
			a.background(func() error {
				res, err := c.Backups.Make(context.Background(), c.Store, backup.Manual)
				if err == nil {
					c.say(fmt.Sprintf(L("Backed up the books to %s."), res.Path))
				}
				return err
			}, func(err error) {
				if err != nil {
					a.showError(err)
					return
				}
				a.used("backup.now")
				a.Say("%s", L("Backed up the books."))
			})
		})
		chooseFolder := widget.NewButtonWithIcon(L("Backup folder…"), theme.FolderOpenIcon(), func() {
			d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
				if err != nil || u == nil {
					return
				}
				if err := c.Backups.SetFolder(u.Path(), c.Backups.Keep()); err != nil {
					a.showError(err)
					return
				}
				a.Say(L("Backups now go to %s."), u.Path())
			}, a.Win)
			d.Resize(fyne.NewSize(900, 600))
			d.Show()
		})
		box.Add(container.NewHBox(backupNow, chooseFolder))
		if c.Updates != nil {
			restart = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), a.RestartToUpdate)
			restart.Importance = widget.HighImportance
			check := widget.NewButtonWithIcon(L("Check for updates"), theme.SearchIcon(), func() {
				a.background(func() error { a.fetchUpdate(context.Background()); return nil }, func(error) {
					c.mu.Lock()
					note := c.note
					c.mu.Unlock()
					if note == "" {
						note = fmt.Sprintf(L("AI Naukar %s is the newest version."), version.Version())
					}
					a.Say("%s", note)
				})
			})
			a.refreshRestart(restart)
			box.Add(container.NewHBox(check, restart))
		}
	}
	d := dialog.NewCustom(L("About AI Naukar"), L("Close (Esc)"), box, a.Win)
	d.Resize(fyne.NewSize(760, 420))
	a.AboutRestart = restart
	a.openDialog(d)
}

// refreshRestart offers the restart only when a tried update waits and no
// bill is open.
func (a *App) refreshRestart(b *widget.Button) {
	v := a.opt.Care.Ready()
	switch {
	case v == "":
		b.SetText(L("Up to date"))
		b.Disable()
	case a.billOpen():
		b.SetText(fmt.Sprintf(L("Restart to update to %s (save or hold the bill first)"), v))
		b.Disable()
	default:
		b.SetText(fmt.Sprintf(L("Restart to update to %s"), v))
		b.Enable()
	}
}

func (a *App) booksPath() string {
	if a.opt.Care != nil {
		return a.opt.Care.Backups.Books
	}
	return ""
}

// RestartToUpdate swaps in the tried build and starts it; this process
// ends once the new one is up. If it does not come up, the old build comes
// back (and the books as they were, should the new one have migrated them).
func (a *App) RestartToUpdate() {
	c := a.opt.Care
	if c == nil || c.Ready() == "" || a.billOpen() {
		return
	}
	c.mu.Lock()
	rel, staged := c.ready, c.staged
	c.mu.Unlock()
	wait := dialog.NewCustomWithoutButtons(L("Updating"), widget.NewLabel(fmt.Sprintf(L("Starting AI Naukar %s…"), rel.Manifest.Version)), a.Win)
	wait.Show()
	go func() {
		err := a.restartInto(staged)
		a.opt.Do(func() {
			wait.Hide()
			if err == nil {
				fyne.CurrentApp().Quit()
				return
			}
			a.showError(err)
		})
	}()
}

func (a *App) restartInto(staged string) error {
	c := a.opt.Care
	if err := c.Updates.Swap(staged); err != nil {
		return err
	}
	started := time.Now()
	if c.Shutdown != nil {
		c.Shutdown()
	}
	err := c.Updates.Relaunch(nil, 90*time.Second)
	if err == nil {
		return nil
	}
	slog.Error("update did not start; rolling back", "err", err)
	if rerr := c.Updates.Rollback(); rerr != nil {
		return fmt.Errorf("%v; and rolling back failed: %w", err, rerr)
	}
	// The new build may have migrated the books before it failed: put back
	// the backup it made first, so this build opens them again.
	if fi, ierr := store.Inspect(context.Background(), c.Backups.Books, false); ierr == nil && fi.Schema > store.KnownSchema() {
		if bs, lerr := c.Backups.List(); lerr == nil {
			for _, b := range bs {
				if b.Reason == backup.Migration && !b.Time.Before(started.Truncate(time.Second)) {
					c.Backups.Restore(context.Background(), b)
					break
				}
			}
		}
	}
	// The books are closed: start this build again.
	if rerr := relaunchSelf(); rerr != nil {
		return fmt.Errorf("%v; start AI Naukar again: %w", err, rerr)
	}
	return nil
}

// relaunchSelf starts this program again with the same arguments.
func relaunchSelf() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	p, err := os.StartProcess(exe, os.Args, &os.ProcAttr{Env: os.Environ(), Files: []*os.File{os.Stdin, os.Stdout, os.Stderr}})
	if err != nil {
		return err
	}
	return p.Release()
}

// showDamaged tells the shopkeeper the check found damage and offers the
// newest good backup in one click.
func (a *App) showDamaged(problems []string) {
	c := a.opt.Care
	msg := fmt.Sprintf(L("SQLite's check found damage in the books (%d problem(s); the first: %s). Restore the newest good backup? The damaged file is kept aside, not deleted."),
		len(problems), problems[0])
	d := dialog.NewConfirm(L("The books file is damaged"), msg, func(ok bool) {
		if ok {
			a.restoreNewest(c)
		}
	}, a.Win)
	d.SetConfirmText(L("Restore newest good backup"))
	a.openDialog(d)
}

// restoreNewest closes the books, puts the newest good backup in their
// place and starts the app again.
func (a *App) restoreNewest(c *Care) {
	a.background(func() error {
		good, err := c.Backups.NewestGood(context.Background())
		if err != nil {
			return err
		}
		if c.Shutdown != nil {
			c.Shutdown()
		}
		if _, err := c.Backups.Restore(context.Background(), good.Backup); err != nil {
			return err
		}
		return relaunchSelf()
	}, func(err error) {
		if err != nil {
			a.showError(err)
			return
		}
		fyne.CurrentApp().Quit()
	})
}

// OpenFailed is the window shown when the books cannot be opened: the
// reason, and for damaged books a button that restores the newest good
// backup and starts again.
func OpenFailed(w fyne.Window, path string, err error) fyne.CanvasObject {
	l := widget.NewLabel(fmt.Sprintf(L("Cannot open the books at %s: %v"), path, Message(err)))
	l.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(l)
	var de *store.DamagedError
	if errors.As(err, &de) {
		m := backup.New(path)
		status := widget.NewLabel("")
		status.Wrapping = fyne.TextWrapWord
		btn := widget.NewButtonWithIcon(L("Restore newest good backup"), theme.HistoryIcon(), nil)
		btn.Importance = widget.HighImportance
		btn.OnTapped = func() {
			btn.Disable()
			go func() {
				var msg string
				good, err := m.NewestGood(context.Background())
				if err == nil {
					var res backup.Restored
					if res, err = m.Restore(context.Background(), good.Backup); err == nil {
						msg = fmt.Sprintf(L("Restored the books from %s; the damaged file is kept as %s. Starting again…"), good.Path, res.Aside)
						err = relaunchSelf()
					}
				}
				fyne.Do(func() {
					if err != nil {
						status.SetText(Message(err))
						btn.Enable()
						return
					}
					status.SetText(msg)
					fyne.CurrentApp().Quit()
				})
			}()
		}
		box.Add(btn)
		box.Add(status)
	}
	return container.NewPadded(box)
}
