//go:build linux

// Package e2e drives the real naukar binary: the CLI prepares books, the
// window runs under X (Xvfb), xdotool types like a cashier with a barcode
// scanner, and the CLI checks what the books hold.
package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// build compiles the naukar binary once into dir.
func build(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "naukar")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/ainaukar/naukar")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build naukar: %v\n%s", err, out)
	}
	return bin
}

// display returns an X display: $DISPLAY, else an Xvfb started for the test.
func display(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("DISPLAY"); d != "" {
		return d
	}
	if _, err := exec.LookPath("Xvfb"); err != nil {
		t.Fatal("DISPLAY is unset and Xvfb is not installed (apt-get install xvfb)")
	}
	d := ":98"
	x := exec.Command("Xvfb", d, "-screen", "0", "1366x768x24", "-nolisten", "tcp")
	if err := x.Start(); err != nil {
		t.Fatalf("start Xvfb: %v", err)
	}
	t.Cleanup(func() { x.Process.Kill(); x.Wait() })
	for i := 0; i < 50; i++ {
		if exec.Command("xdpyinfo", "-display", d).Run() == nil {
			return d
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("Xvfb did not come up")
	return ""
}

func cli(t *testing.T, bin, books string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--books", books}, args...)...)
	cmd.Env = append(os.Environ(), "LANG=en_IN.UTF-8")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("naukar %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

func xdo(t *testing.T, disp string, args ...string) string {
	t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+disp)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

type invoice struct {
	Number string `json:"number"`
	Party  *struct {
		Name  string `json:"name"`
		Phone string `json:"phone"`
	} `json:"party"`
	Lines []struct {
		Name string `json:"name"`
		SKU  string `json:"sku"`
		Qty  any    `json:"qty"`
	} `json:"lines"`
	Payments []struct {
		Mode string `json:"mode"`
	} `json:"payments"`
}

func TestScanAndSaveInRealWindow(t *testing.T) {
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Fatal("xdotool is not installed (apt-get install xdotool)")
	}
	dir := t.TempDir()
	bin := build(t, dir)
	books := filepath.Join(dir, "books.db")
	cli(t, bin, books, "init", "--name", "E2E Kirana", "--state", "27", "--gstin", "27AAPFU0939F1ZV", "--prefix", "E2E")
	cli(t, bin, books, "product", "add", "--name", "Tata Salt 1kg", "--price", "28", "--gst", "5", "--sku", "SALT1", "--barcode", "8901234567890", "--stock", "40")
	cli(t, bin, books, "product", "add", "--name", "Parle-G 100g", "--price", "10", "--gst", "18", "--sku", "PG100", "--barcode", "8901725133979", "--stock", "100")
	disp := display(t)

	app := exec.Command(bin)
	app.Env = append(os.Environ(), "DISPLAY="+disp, "NAUKAR_BOOKS="+books, "LANG=en_IN.UTF-8", "HOME="+dir)
	stderr, err := app.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Process.Kill(); app.Wait() })
	ready := make(chan int, 1)
	var logMu strings.Builder
	go func() {
		re := regexp.MustCompile(`naukar: ready in (\d+) ms`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logMu.WriteString(sc.Text() + "\n")
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				ms, _ := strconv.Atoi(m[1])
				ready <- ms
			}
		}
	}()
	var inside int
	select {
	case inside = <-ready:
	case <-time.After(60 * time.Second):
		t.Fatalf("the window did not become ready in 60 s")
	}
	wall := time.Since(start)
	win := xdo(t, disp, "search", "--sync", "--onlyvisible", "--name", "^Naukar$")
	win = strings.Fields(win)[0]
	t.Logf("start to usable billing screen: %d ms inside the process, %d ms from exec (window %s)", inside, wall.Milliseconds(), win)
	// The target is 2 s (about 0.4 s on an idle 2-core machine, also with
	// the 100,000-product books); CI runs many test binaries at once, so
	// only a start far beyond the target fails the test.
	if wall > 8*time.Second {
		t.Errorf("start took %v, far more than the 2 s target", wall)
	} else if wall > 2*time.Second {
		t.Logf("start took %v, more than the 2 s target (a busy machine?)", wall)
	}
	os.WriteFile(filepath.Join(os.TempDir(), "naukar-e2e-startup.txt"), []byte(fmt.Sprintf("inside=%dms exec=%dms\n", inside, wall.Milliseconds())), 0o644)

	// Keyboard focus to the window (no window manager runs under Xvfb).
	xdo(t, disp, "mousemove", "--window", win, "400", "300")
	xdo(t, disp, "windowfocus", "--sync", win)
	time.Sleep(300 * time.Millisecond)

	// A scanner types the digits and Enter; the same item twice, then another.
	xdo(t, disp, "type", "--delay", "20", "8901234567890")
	xdo(t, disp, "key", "Return")
	xdo(t, disp, "type", "--delay", "20", "8901234567890")
	xdo(t, disp, "key", "Return")
	xdo(t, disp, "type", "--delay", "20", "PG100")
	xdo(t, disp, "key", "Return")
	time.Sleep(500 * time.Millisecond)
	xdo(t, disp, "key", "ctrl+s")

	var got []invoice
	deadline := time.Now().Add(20 * time.Second)
	for {
		got = nil
		if err := json.Unmarshal(cli(t, bin, books, "invoice", "list", "--json"), &got); err != nil {
			t.Fatal(err)
		}
		if len(got) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(got) != 1 {
		t.Fatalf("invoices in the books: %d, want 1\napp log:\n%s", len(got), logMu.String())
	}
	inv := got[0]
	if !strings.HasPrefix(inv.Number, "E2E") || len(inv.Lines) != 2 || inv.Lines[0].SKU != "SALT1" || fmt.Sprint(inv.Lines[0].Qty) != "2" || inv.Lines[1].SKU != "PG100" {
		t.Fatalf("saved invoice %+v", inv)
	}
	if len(inv.Payments) != 1 || inv.Payments[0].Mode != "cash" {
		t.Fatalf("payments %+v, want cash in full", inv.Payments)
	}
}

// window is the app running under X with the keyboard on its window.
type window struct {
	t    *testing.T
	disp string
	log  *strings.Builder
}

// openWindow starts the real app with args and env and waits until its
// first screen takes keys.
func openWindow(t *testing.T, bin, home string, args, env []string) *window {
	t.Helper()
	disp := display(t)
	app := exec.Command(bin, args...)
	app.Env = append(append(os.Environ(), "DISPLAY="+disp, "LANG=en_IN.UTF-8", "HOME="+home), env...)
	stderr, err := app.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Process.Kill(); app.Wait() })
	ready := make(chan struct{}, 1)
	w := &window{t: t, disp: disp, log: &strings.Builder{}}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			w.log.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "naukar: ready in") {
				ready <- struct{}{}
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(60 * time.Second):
		t.Fatalf("the window did not become ready in 60 s")
	}
	win := strings.Fields(xdo(t, disp, "search", "--sync", "--onlyvisible", "--name", "^Naukar$"))[0]
	xdo(t, disp, "mousemove", "--window", win, "400", "300")
	xdo(t, disp, "windowfocus", "--sync", win)
	time.Sleep(300 * time.Millisecond)
	return w
}

// typ types text like a person (or a scanner) at the keyboard.
func (w *window) typ(text string) {
	w.t.Helper()
	xdo(w.t, w.disp, "type", "--delay", "20", text)
}

// key presses keys such as "Return" or "ctrl+s", with a moment after for
// the app to act.
func (w *window) key(keys ...string) {
	w.t.Helper()
	for _, k := range keys {
		xdo(w.t, w.disp, "key", k)
		time.Sleep(250 * time.Millisecond)
	}
}

// waitFor polls the books with the CLI until ok holds.
func waitFor(t *testing.T, w *window, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s\napp log:\n%s", what, w.log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func invoices(t *testing.T, bin, books string) []invoice {
	t.Helper()
	var got []invoice
	if err := json.Unmarshal(cli(t, bin, books, "invoice", "list", "--json"), &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestDialogsKeepTheirKeysInRealWindow: Ctrl+S in a form saves that form,
// never the bill behind it (issue 12): the product form saves the product
// and no bill; the new-party form opened from a bill saves the party, and
// the bill is saved by the next Ctrl+S, with its party.
func TestDialogsKeepTheirKeysInRealWindow(t *testing.T) {
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Fatal("xdotool is not installed (apt-get install xdotool)")
	}
	dir := t.TempDir()
	bin := build(t, dir)
	books := filepath.Join(dir, "books.db")
	cli(t, bin, books, "init", "--name", "E2E Kirana", "--state", "27", "--gstin", "27AAPFU0939F1ZV", "--prefix", "E2E")
	cli(t, bin, books, "product", "add", "--name", "Tata Salt 1kg", "--price", "28", "--gst", "5", "--sku", "SALT1", "--barcode", "8901234567890", "--stock", "40")
	w := openWindow(t, bin, dir, nil, []string{"NAUKAR_BOOKS=" + books})

	// A bill on the counter, then the product form over another screen.
	w.typ("8901234567890")
	w.key("Return", "alt+3", "ctrl+e")
	w.typ("Nirma Bathing Soap")
	w.key("ctrl+s")
	waitFor(t, w, "the product", func() bool {
		return strings.Contains(string(cli(t, bin, books, "product", "search", "Nirma", "--json")), "Nirma Bathing Soap")
	})
	if got := invoices(t, bin, books); len(got) != 0 {
		t.Fatalf("Ctrl+S in the product form saved a bill: %+v", got)
	}

	// Back to the bill: a new customer by name, the phone in the form.
	w.key("alt+1", "ctrl+k")
	w.typ("Ramesh Newcustomer")
	w.key("Return")
	time.Sleep(500 * time.Millisecond)
	w.typ("9876501234")
	w.key("ctrl+s")
	waitFor(t, w, "the party", func() bool {
		return strings.Contains(string(cli(t, bin, books, "party", "balance", "--json")), "Ramesh Newcustomer")
	})
	time.Sleep(500 * time.Millisecond)
	if got := invoices(t, bin, books); len(got) != 0 {
		t.Fatalf("Ctrl+S in the party form saved the bill without its party: %+v", got)
	}

	// The next Ctrl+S saves the bill, with the party.
	w.key("ctrl+s")
	var got []invoice
	waitFor(t, w, "the bill", func() bool { got = invoices(t, bin, books); return len(got) > 0 })
	if len(got) != 1 || got[0].Party == nil || got[0].Party.Name != "Ramesh Newcustomer" || len(got[0].Lines) != 1 || got[0].Lines[0].SKU != "SALT1" {
		t.Fatalf("saved %+v, want one bill of SALT1 to Ramesh Newcustomer", got)
	}
}

// TestBooksFlagOpensTheWindow: `naukar --books FILE` with no command opens
// the window on FILE (it printed the usage before).
func TestBooksFlagOpensTheWindow(t *testing.T) {
	dir := t.TempDir()
	bin := build(t, dir)
	books := filepath.Join(dir, "shop2.db")
	cli(t, bin, books, "init", "--name", "Second Shop", "--state", "29", "--prefix", "TWO")
	cli(t, bin, books, "product", "add", "--name", "Parle-G 100g", "--price", "10", "--gst", "18", "--sku", "PG100")
	w := openWindow(t, bin, dir, []string{"--books", books}, []string{"NAUKAR_BOOKS=" + filepath.Join(dir, "other.db")})
	w.typ("PG100")
	w.key("Return", "ctrl+s")
	var got []invoice
	waitFor(t, w, "the bill in "+books, func() bool { got = invoices(t, bin, books); return len(got) > 0 })
	if !strings.HasPrefix(got[0].Number, "TWO") {
		t.Fatalf("saved %+v", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "other.db")); err == nil {
		t.Fatal("the window opened NAUKAR_BOOKS, not --books")
	}
}
