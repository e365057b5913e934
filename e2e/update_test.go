//go:build linux

package e2e

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/update"
)

// buildVersion compiles naukar stamped with version v and trusting pub.
func buildVersion(t *testing.T, out, v string, pub ed25519.PublicKey) {
	t.Helper()
	ld := "-X github.com/ainaukar/naukar/app/version.version=" + v +
		" -X github.com/ainaukar/naukar/app/update.releaseKey=" + update.EncodePublicKey(pub)
	cmd := exec.Command("go", "build", "-ldflags", ld, "-o", out, "github.com/ainaukar/naukar")
	cmd.Dir = ".."
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build naukar %s: %v\n%s", v, err, b)
	}
}

// updateHost serves release files from a folder like a static host or the
// server's GET /v1/updates/{file}; with cut set it drops each file halfway.
type updateHost struct {
	dir string
	mu  sync.Mutex
	cut bool
}

func (h *updateHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	cut := h.cut
	h.mu.Unlock()
	name := strings.TrimPrefix(r.URL.Path, "/v1/updates/")
	b, err := os.ReadFile(filepath.Join(h.dir, filepath.Base(name)))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if cut && name != update.ManifestFile {
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b[:len(b)/3])
		panic(http.ErrAbortHandler)
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

// publish puts build bin in the host as version v of linux/amd64, signed
// with key; sum overrides the SHA-256 written in the manifest.
func (h *updateHost) publish(t *testing.T, key ed25519.PrivateKey, v, bin, sum string) {
	t.Helper()
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	name := "naukar-" + v + "-linux-amd64"
	if err := os.WriteFile(filepath.Join(h.dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if sum == "" {
		s := sha256.Sum256(b)
		sum = hex.EncodeToString(s[:])
	}
	signed, err := update.Sign(update.Manifest{Product: "naukar", Version: v, Files: []update.File{
		{Name: name, Platform: "linux/amd64", Kind: update.KindBinary, URL: name, Size: int64(len(b)), SHA256: sum}}}, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(h.dir, update.ManifestFile), signed, 0o644); err != nil {
		t.Fatal(err)
	}
}

// An old build updates itself to a new one from a local manifest server;
// a bad signature, a wrong hash, a cut download and a new build that
// fails to start are each refused, and the old build goes on working.
func TestUpdateOldBuildToNew(t *testing.T) {
	dir := t.TempDir()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)) // the test release key
	pub := key.Public().(ed25519.PublicKey)
	installed := filepath.Join(dir, "install", "naukar")
	os.MkdirAll(filepath.Dir(installed), 0o755)
	buildVersion(t, installed, "1.0.0", pub)
	newBuild := filepath.Join(dir, "builds", "naukar-1.1.0")
	buildVersion(t, newBuild, "1.1.0", pub)
	// A "new build" that fails to start: it exits with an error at once.
	broken := filepath.Join(dir, "builds", "broken")
	cmd := exec.Command("go", "build", "-ldflags", "-X main.name=crash", "-o", broken, "./app/update/testdata/fakeapp")
	cmd.Dir = ".."
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build broken: %v\n%s", err, b)
	}

	host := &updateHost{dir: filepath.Join(dir, "host")}
	os.MkdirAll(host.dir, 0o755)
	srv := httptest.NewServer(host)
	defer srv.Close()

	books := filepath.Join(dir, "books", "books.db")
	naukar := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(installed, append([]string{"--books", books}, args...)...)
		cmd.Env = append(os.Environ(), "LANG=en_IN.UTF-8", "DISPLAY=",
			"NAUKAR_UPDATE_URL="+srv.URL+"/v1/updates/"+update.ManifestFile,
			"NAUKAR_UPDATE_DIR="+filepath.Join(dir, "updates"))
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	mustNaukar := func(args ...string) string {
		t.Helper()
		out, code := naukar(args...)
		if code != 0 {
			t.Fatalf("naukar %v: exit %d\n%s", args, code, out)
		}
		return out
	}
	mustNaukar("init", "--name", "Sharma Stores", "--state", "27")
	mustNaukar("product", "add", "--name", "Tata Salt 1kg", "--price", "28", "--gst", "5", "--sku", "SALT1", "--stock", "10")
	os.WriteFile(filepath.Join(dir, "sale.json"), []byte(`{"lines":[{"sku":"SALT1","qty":2}]}`), 0o600)
	mustNaukar("sell", "--json", filepath.Join(dir, "sale.json"))
	stillOld := func(t *testing.T) {
		t.Helper()
		if out := mustNaukar("--version"); !strings.HasPrefix(out, "naukar 1.0.0 ") {
			t.Fatalf("the installed build is now %q", out)
		}
		if out := mustNaukar("invoice", "list"); !strings.Contains(out, "INVA-") {
			t.Fatalf("the old build does not list the bill:\n%s", out)
		}
		if _, err := os.Stat(installed + ".old"); err == nil {
			t.Fatal("a refused update left the executable swapped")
		}
	}
	refused := func(t *testing.T, want string) {
		t.Helper()
		out, code := naukar("update", "apply")
		if code != 1 || !strings.Contains(out, want) {
			t.Fatalf("update apply: exit %d, want 1 with %q:\n%s", code, want, out)
		}
		stillOld(t)
	}

	t.Run("BadSignature", func(t *testing.T) {
		host.publish(t, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{8}, 32)), "1.1.0", newBuild, "")
		refused(t, "signature does not match")
	})
	t.Run("WrongHash", func(t *testing.T) {
		host.publish(t, key, "1.1.0", newBuild, strings.Repeat("0", 64))
		refused(t, "does not match the SHA-256")
	})
	t.Run("BuildThatFailsToStart", func(t *testing.T) {
		host.publish(t, key, "1.1.0", broken, "")
		refused(t, "did not start on a copy of the books")
	})
	t.Run("CutDownload", func(t *testing.T) {
		host.publish(t, key, "1.1.0", newBuild, "")
		host.mu.Lock()
		host.cut = true
		host.mu.Unlock()
		refused(t, "cut short")
		host.mu.Lock()
		host.cut = false
		host.mu.Unlock()
	})
	t.Run("Updates", func(t *testing.T) {
		if out := mustNaukar("update", "check"); !strings.Contains(out, "AI Naukar 1.1.0 is available (this is 1.0.0)") {
			t.Fatalf("update check said:\n%s", out)
		}
		out := mustNaukar("update", "apply")
		if !strings.Contains(out, "Updated AI Naukar 1.0.0 → 1.1.0") {
			t.Fatalf("update apply said:\n%s", out)
		}
		if out := mustNaukar("--version"); !strings.HasPrefix(out, "naukar 1.1.0 ") {
			t.Fatalf("after the update --version says %q", out)
		}
		if out := mustNaukar("invoice", "list"); strings.Count(out, "INVA-") != 1 {
			t.Fatalf("the new build lists:\n%s", out)
		}
		if out := mustNaukar("backup", "list"); !strings.Contains(out, "before-update") {
			t.Fatalf("no backup before the update:\n%s", out)
		}
		if out := mustNaukar("update", "check"); !strings.Contains(out, "1.1.0 is the newest version") {
			t.Fatalf("after updating, check says:\n%s", out)
		}
		if _, err := os.Stat(installed + ".old"); err == nil {
			t.Fatal("the next run did not clean up the old build")
		}
	})
}
