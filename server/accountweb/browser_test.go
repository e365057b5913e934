package accountweb_test

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/ainaukar/naukar/server/store/storetest"
)

// chromium finds Debian's chromium (.ci/deps.sh installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no chromium on the PATH: run .ci/deps.sh (apt-get install chromium)")
	return ""
}

// TestAccountPageInChromium uses the page as a shop owner would, in
// headless Chromium at 1366x768 with no script on the page: sign in,
// correct the name, switch to Hindi and back, start an export and download
// it when ready, see a form posted from another site refused, and close
// the account. Screenshots go to $NAUKAR_SCREENSHOT_DIR (docs/screenshots
// when made for the README), else to a temporary folder; each is checked
// to be a 1366x768 PNG.
func TestAccountPageInChromium(t *testing.T) {
	e := newEnv(t, storetest.Stores[0].Open)
	dev := e.signup("kiran@example.in", "9876512345")
	shots := os.Getenv("NAUKAR_SCREENSHOT_DIR")
	if shots == "" {
		shots = t.TempDir()
	}
	downloads := t.TempDir()

	alloc, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.Flag("headless", "new"),
		chromedp.Flag("lang", "en-IN"), chromedp.WindowSize(1366, 768))...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 90*time.Second)
	defer cancel()
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("chromium, %s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("chromium, read %s: %v", sel, err)
		}
		return s
	}
	shot := func(name string) {
		t.Helper()
		b, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil || img.Bounds().Dx() != 1366 || img.Bounds().Dy() != 768 {
			t.Fatalf("screenshot %s: %v %v", name, err, img.Bounds())
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	step("open the page", chromedp.EmulateViewport(1366, 768), chromedp.Navigate(e.srv.URL+"/account"),
		chromedp.WaitVisible(chromedp.CSS("#login")))
	shot("account-01-signin")
	step("sign in", chromedp.SendKeys(chromedp.CSS("#login"), "kiran@example.in"),
		chromedp.SendKeys(chromedp.CSS("#password"), password), chromedp.Click(chromedp.CSS("#signin-button")),
		chromedp.WaitVisible(chromedp.CSS("#profile-name")))
	shot("account-02-signed-in")

	step("correct the name", chromedp.Clear(chromedp.CSS("#profile-name")),
		chromedp.SendKeys(chromedp.CSS("#profile-name"), "Kiran Patil"), chromedp.Click(chromedp.CSS("#profile-save")),
		chromedp.WaitVisible(chromedp.CSS("#done")))
	if got := text("#done"); !strings.Contains(got, "profile is saved") {
		t.Errorf("after saving: %q", got)
	}
	if a, _ := e.db.Account(context.Background(), sessOf(t, e, dev)); a.Name != "Kiran Patil" {
		t.Errorf("name after the browser's correction: %q", a.Name)
	}

	// The old page's fields stay visible until the new one replaces it: wait
	// for the page in the other language itself.
	step("switch to Hindi", chromedp.Click(chromedp.CSS("#lang")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="hi"] #profile-name`)))
	if got := text("#profile h2"); got != "आपकी प्रोफ़ाइल" {
		t.Errorf("Hindi heading %q", got)
	}
	shot("account-03-hindi")
	step("back to English", chromedp.Click(chromedp.CSS("#lang")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #export-start`)))

	step("start an export", chromedp.Click(chromedp.CSS("#export-start")), chromedp.WaitVisible(chromedp.CSS("#done")))
	shot("account-04-export-started")
	// While the export runs the page refreshes itself (no script: a meta
	// refresh every 3 s) until the download link shows.
	deadline := time.Now().Add(40 * time.Second)
	for {
		nodes, err := chromedp.Run(bctx, chromedp.Nodes(chromedp.CSS("#download"), chromedp.AtLeast(0)))
		if err != nil {
			t.Fatalf("look for the download link: %v", err)
		}
		if len(nodes) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no download link after 40 s: the page did not refresh itself")
		}
		step("wait", chromedp.Sleep(200*time.Millisecond))
	}
	step("scroll to the export", chromedp.Navigate(e.srv.URL+"/account#export"), chromedp.WaitVisible(chromedp.CSS("#download")))
	shot("account-05-export-ready")
	progress := chromedp.Events(bctx, cdpbrowser.DownloadProgress)
	step("download", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: downloads, EventsEnabled: ptr(true)})
		return err
	}), chromedp.Click(chromedp.CSS("#download")))
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCanceled {
			t.Fatal("download cancelled")
		}
		if ev.State != cdpbrowser.DownloadProgressStateCompleted {
			continue
		}
		b, err := os.ReadFile(filepath.Join(downloads, ev.GUID))
		if err != nil || !bytes.HasPrefix(b, []byte("PK\x03\x04")) {
			t.Fatalf("downloaded file: %v %q", err, b[:min(len(b), 8)])
		}
		break
	}

	// Another site (another port of 127.0.0.1: the same site for cookies,
	// so the session cookie goes along) posts a form to change the name.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><form method="post" action="` + e.srv.URL + `/account/profile">` +
			`<input type="hidden" name="name" value="Mallory"><button id="go" type="submit">Win a prize</button></form>`))
	}))
	defer evil.Close()
	step("the other site's form", chromedp.Navigate(evil.URL), chromedp.Click(chromedp.CSS("#go")),
		chromedp.WaitVisible(chromedp.CSS("#error")))
	if got := text("#error"); !strings.Contains(got, "came from another site") {
		t.Errorf("refusal says %q", got)
	}
	shot("account-06-csrf-refused")
	if a, _ := e.db.Account(context.Background(), sessOf(t, e, dev)); a.Name != "Kiran Patil" {
		t.Errorf("another site's form changed the name to %q", a.Name)
	}

	step("close the account", chromedp.Navigate(e.srv.URL+"/account#delete"), chromedp.WaitVisible(chromedp.CSS("#delete-password")),
		chromedp.SendKeys(chromedp.CSS("#delete-password"), password), chromedp.Click(chromedp.CSS("#delete-confirm")))
	shot("account-07-close")
	step("confirm", chromedp.Click(chromedp.CSS("#delete-button")), chromedp.WaitVisible(chromedp.CSS("#purge-date")))
	shot("account-08-closed")
	if st := e.api("GET", "/v1/me", dev.Token, nil, nil); st != http.StatusUnauthorized {
		t.Errorf("device token after closing in the browser: %d", st)
	}
	step("the page after closing", chromedp.Navigate(e.srv.URL+"/account"), chromedp.WaitVisible(chromedp.CSS("#login")))
}

func ptr[T any](v T) *T { return &v }
