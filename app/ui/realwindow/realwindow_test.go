//go:build linux

// Package realwindow tests the counter in a real window: Fyne's desktop
// driver (GLFW) on an X display of the test's own (Xvfb), with xdotool
// pressing keys and moving the mouse as a person does. One window serves
// every test of the package; TestMain runs it on the main thread.
package realwindow

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/ui"
)

var (
	app     *ui.App
	win     fyne.Window
	display string
	watched bool // the mouse reaches the idle lock (App.WatchInput)
)

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	for _, tool := range []string{"Xvfb", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			fmt.Fprintf(os.Stderr, "%s is not installed (apt-get install xvfb xdotool)\n", tool)
			return 1
		}
	}
	stop, err := startX()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer stop()
	os.Setenv("LANG", "en_IN.UTF-8")
	dir, err := os.MkdirTemp("", "naukar-realwindow")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	st, err := staffBooks(filepath.Join(dir, "books.db"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer st.Close()

	ui.LoadTranslations()
	fyneapp.SetMetadata(fyne.AppMetadata{ID: ui.AppID, Name: "Naukar", Migrations: map[string]bool{"fyneDo": true}})
	fa := fyneapp.NewWithID(ui.AppID)
	fa.Settings().SetTheme(ui.Theme{})
	win = fa.NewWindow("Naukar")
	win.Resize(fyne.NewSize(1366, 768))
	app = ui.New(win, st, ui.Options{})
	app.Start()
	code := 1
	fa.Lifecycle().SetOnStarted(func() {
		watched = app.WatchInput()
		go func() {
			code = m.Run()
			fyne.Do(fa.Quit)
		}()
	})
	win.ShowAndRun()
	return code
}

// startX starts an X server on a free display (Xvfb picks it and tells
// through -displayfd), so that no other test's keys or mouse reach this
// window.
func startX() (stop func(), err error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1366x768x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("start Xvfb: %w", err)
	}
	w.Close()
	stop = func() {
		// SIGTERM: Xvfb removes its lock file and socket on the way out.
		x.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { x.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			x.Process.Kill()
			<-done
		}
	}
	got := make(chan string, 1)
	go func() {
		buf := make([]byte, 16)
		n, _ := r.Read(buf)
		got <- strings.TrimSpace(string(buf[:n]))
	}()
	select {
	case d := <-got:
		if d == "" {
			stop()
			return nil, fmt.Errorf("Xvfb did not say its display")
		}
		display = ":" + d
	case <-time.After(30 * time.Second):
		stop()
		return nil, fmt.Errorf("Xvfb did not come up in 30 s")
	}
	// The server takes connections once a client gets an answer.
	for deadline := time.Now().Add(15 * time.Second); ; {
		cmd := exec.Command("xdotool", "getdisplaygeometry")
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		if cmd.Run() == nil {
			break
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("the X server on %s takes no connections", display)
		}
		time.Sleep(50 * time.Millisecond)
	}
	os.Setenv("DISPLAY", display)
	return stop, nil
}

// staffBooks makes books with one product and the staff Meera (owner,
// 2580), Vikram (manager, 3690) and Ravi (cashier, 1470).
func staffBooks(path string) (*store.Store, error) {
	s, err := store.Open(path, store.Options{Now: func() time.Time { return demo.Today }, PINParams: &staff.TestParams})
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	steps := []func() error{
		func() error {
			_, err := s.Init(books.Business{Name: "Sharma Stores", StateCode: "27", InvoicePrefix: "INV"})
			return err
		},
		func() error {
			_, err := s.SaveProduct(books.Product{Name: "Sugar 1kg", SKU: "SUGAR", Unit: "NOS", SalePrice: 5000, GSTRate: 500, PriceIncludesTax: true, OpeningStock: 100000})
			return err
		},
		func() error {
			_, err := s.AddStaff(ctx, store.StaffInput{Name: "Meera", Role: staff.Owner, PIN: "2580"})
			return err
		},
		func() error { _, err := s.SignIn(ctx, "Meera", "2580"); return err },
		func() error {
			_, err := s.AddStaff(ctx, store.StaffInput{Name: "Vikram", Role: staff.Manager, PIN: "3690"})
			return err
		},
		func() error {
			_, err := s.AddStaff(ctx, store.StaffInput{Name: "Ravi", Role: staff.Cashier, PIN: "1470", DiscountLimitBP: -1})
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			s.Close()
			return nil, err
		}
	}
	s.SignOut()
	return s, nil
}

// onMain runs f on the UI thread and waits for it.
func onMain(f func()) { fyne.DoAndWait(f) }

// xdo runs xdotool on the test's display.
func xdo(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// windowID finds the app's X window and gives it the keyboard (no window
// manager runs on the test's display).
func windowID(t *testing.T) string {
	t.Helper()
	id := strings.Fields(xdo(t, "search", "--sync", "--onlyvisible", "--name", "^Naukar$"))[0]
	xdo(t, "mousemove", "--window", id, "683", "20")
	xdo(t, "windowfocus", "--sync", id)
	return id
}

// waitFor waits until ok (read on the UI thread) holds.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var done bool
		onMain(func() { done = ok() })
		if done {
			return
		}
		if time.Now().After(deadline) {
			var status string
			onMain(func() { status = app.Status() })
			t.Fatalf("timed out waiting for %s (status %q)", what, status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// key presses keys in the window, one after the other, each handled by the
// app before the next (xdotool's --sync would only wait for X).
func key(t *testing.T, keys ...string) {
	t.Helper()
	for _, k := range keys {
		xdo(t, "key", k)
		onMain(func() {}) // the key's events are in; let the UI thread take them
	}
}

// typ types text as a person does.
func typ(t *testing.T, text string) {
	t.Helper()
	xdo(t, "type", "--delay", "15", text)
	onMain(func() {})
}

func focused() fyne.Focusable { return win.Canvas().Focused() }

// TestKeyboardOnlySignIn: from the lock screen, with keys alone, a cashier
// picks their name by its first letter, types a wrong PIN and reads why,
// types the right one and lands on Billing with the item box ready; the
// Switch user key locks the counter again, and the owner signs in with the
// arrow keys and Enter.
func TestKeyboardOnlySignIn(t *testing.T) {
	lockNow(t)
	windowID(t)
	l := app.Lockscreen
	waitFor(t, "the name list to have the keyboard", func() bool { return focused() == fyne.Focusable(l.Who) })

	key(t, "r")
	waitFor(t, "Ravi picked by his letter", func() bool { return strings.HasPrefix(l.Who.Selected, "Ravi ") })
	typ(t, "0000") // a digit goes on to the PIN box
	key(t, "Return")
	waitFor(t, "the wrong PIN's message", func() bool { return l.Msg.Text != "" })
	var msg string
	var pinFocused bool
	onMain(func() { msg, pinFocused = l.Msg.Text, focused() == fyne.Focusable(l.PIN) })
	if !strings.Contains(msg, "Wrong PIN for Ravi") || !pinFocused {
		t.Fatalf("a wrong PIN: %q, PIN box has the keyboard: %v", msg, pinFocused)
	}
	typ(t, "1470")
	key(t, "Return")
	waitFor(t, "Ravi at the billing screen", func() bool { return !app.Locked() && app.Current() == ui.ActBilling })
	onMain(func() {
		if s := app.Status(); !strings.Contains(s, "Signed in as Ravi (Cashier)") {
			t.Errorf("status after sign-in: %q", s)
		}
		if focused() != fyne.Focusable(app.Billing.ItemBox) {
			t.Errorf("the item box does not have the keyboard: %T", focused())
		}
	})
	// The cashier's keys stop at what their role may do: Alt+8 (Settings)
	// does nothing, and the next key still lands in the item box.
	key(t, "alt+8")
	typ(t, "x")
	waitFor(t, "the key after Alt+8", func() bool { return app.Billing.ItemBox.Text == "x" })
	onMain(func() {
		if app.Current() != ui.ActBilling {
			t.Errorf("Alt+8 opened %s for the cashier", app.Current())
		}
	})
	key(t, "BackSpace")

	// Switch user: the owner signs in with the arrow keys.
	key(t, "ctrl+u")
	waitFor(t, "the lock after Ctrl+U", func() bool { return app.Locked() && focused() == fyne.Focusable(l.Who) })
	for i := 0; i < 3; i++ {
		var sel string
		onMain(func() { sel = l.Who.Selected })
		if strings.HasPrefix(sel, "Meera ") {
			break
		}
		key(t, "Down")
		// xdotool's key reaches the window later: read the list again only
		// once it has moved, or a busy machine skips past Meera or stops short.
		waitFor(t, "the next name after Down", func() bool { return l.Who.Selected != sel })
	}
	key(t, "Return")
	waitFor(t, "the PIN box after Enter", func() bool { return focused() == fyne.Focusable(l.PIN) && strings.HasPrefix(l.Who.Selected, "Meera ") })
	typ(t, "2580")
	key(t, "Return")
	waitFor(t, "Meera at the billing screen", func() bool { return !app.Locked() && strings.Contains(app.Status(), "Signed in as Meera (Owner)") })
	key(t, "alt+8")
	waitFor(t, "Settings for the owner", func() bool { return app.Current() == ui.ActSettings })
	key(t, "alt+1")
}

// TestIdleLockCountsTheMouse: a mouse move, a click and a scroll each
// count as activity, so the counter does not lock while someone uses only
// the mouse; with nothing at all for the idle time it locks.
func TestIdleLockCountsTheMouse(t *testing.T) {
	if !watched {
		t.Fatal("the app could not reach the window's mouse events (App.WatchInput)")
	}
	signIn(t, "Vikram", "3690")
	id := windowID(t)
	var idle time.Duration
	onMain(func() { idle = app.IdleLock() })
	if idle <= 0 {
		t.Fatalf("idle lock %v", idle)
	}
	x := 400
	for _, c := range []struct {
		what string
		do   func()
	}{
		{"a mouse move", func() { x += 37; xdo(t, "mousemove", "--window", id, fmt.Sprint(x), "300") }},
		{"a click", func() { xdo(t, "click", "1") }},
		{"a scroll", func() { xdo(t, "click", "5") }},
		{"a scroll up", func() { xdo(t, "click", "4") }},
	} {
		settleInput()
		mark := time.Now()
		if app.LastActive().After(mark) {
			t.Fatalf("activity after the mark before %s", c.what)
		}
		c.do()
		waitFor(t, c.what+" to count as activity", func() bool { return app.LastActive().After(mark) })
		onMain(func() {
			if app.LockIfIdle(mark.Add(idle)) || app.Locked() {
				t.Errorf("the counter locked %v after %s", idle, c.what)
			}
		})
	}
	onMain(func() {
		if !app.LockIfIdle(time.Now().Add(idle+time.Second)) || !app.Locked() {
			t.Error("no lock after the idle time with nothing done")
		}
	})
}

// settleInput waits until the events of earlier keys and mouse moves are
// all in (no activity for 150 ms).
func settleInput() {
	last := app.LastActive()
	for {
		time.Sleep(150 * time.Millisecond)
		now := app.LastActive()
		if now.Equal(last) {
			return
		}
		last = now
	}
}

// lockNow shows the lock screen (Switch user), whoever is signed in.
func lockNow(t *testing.T) {
	t.Helper()
	onMain(func() {
		if !app.Locked() {
			app.Press(ui.ActSwitchUser)
		}
	})
	waitFor(t, "the lock screen", app.Locked)
}

// signIn signs a member in on the lock screen without the keyboard.
func signIn(t *testing.T, name, pin string) {
	t.Helper()
	lockNow(t)
	onMain(func() {
		l := app.Lockscreen
		l.Choose(name)
		l.PIN.SetText(pin)
		l.Submit()
	})
	waitFor(t, name+" signed in", func() bool { return !app.Locked() })
}
