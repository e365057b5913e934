package update_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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

var ctx = context.Background()

// releaseServer serves a signed manifest and release files like a static
// host (http.ServeContent: ranges for resumed downloads).
type releaseServer struct {
	mu       sync.Mutex
	manifest []byte
	files    map[string][]byte
	truncate bool     // serve only the first half of each file, then cut the connection
	ranges   []string // Range headers seen
}

func (rs *releaseServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	name := strings.TrimPrefix(r.URL.Path, "/v1/updates/")
	if name == update.ManifestFile {
		w.Write(rs.manifest)
		return
	}
	b, ok := rs.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if h := r.Header.Get("Range"); h != "" {
		rs.ranges = append(rs.ranges, h)
	}
	if rs.truncate {
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b[:len(b)/2])
		panic(http.ErrAbortHandler) // the connection drops mid-file
	}
	http.ServeContent(w, r, name, time.Time{}, strings.NewReader(string(b)))
}

func hexSum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// publish signs a manifest of version v with one linux/amd64 binary.
func (rs *releaseServer) publish(t *testing.T, key ed25519.PrivateKey, v string, bin []byte, sum string) {
	t.Helper()
	name := "naukar-" + v + "-linux-amd64"
	if sum == "" {
		sum = hexSum(bin)
	}
	m := update.Manifest{Product: "naukar", Version: v, Notes: "Faster reports.", Files: []update.File{
		{Name: name, Platform: "linux/amd64", Kind: update.KindBinary, URL: name, Size: int64(len(bin)), SHA256: sum},
		{Name: "naukar_" + v + "_amd64.deb", Platform: "linux/amd64", Kind: update.KindDeb, URL: "naukar_" + v + "_amd64.deb", Size: 3, SHA256: hexSum([]byte("deb"))},
	}}
	signed, err := update.Sign(m, key)
	if err != nil {
		t.Fatal(err)
	}
	rs.mu.Lock()
	rs.manifest = signed
	rs.files = map[string][]byte{name: bin, "naukar_" + v + "_amd64.deb": []byte("deb")}
	rs.mu.Unlock()
}

func newUpdater(t *testing.T, srv *httptest.Server, now *time.Time) *update.Updater {
	exeDir := t.TempDir()
	exe := filepath.Join(exeDir, "naukar")
	os.WriteFile(exe, []byte("old build"), 0o755)
	return &update.Updater{ManifestURL: srv.URL + "/v1/updates/naukar.json", PublicKey: testKey(1).Public().(ed25519.PublicKey),
		Current: "1.0.0", Platform: "linux/amd64", Exe: exe, Dir: t.TempDir(), Client: srv.Client(),
		Now: func() time.Time { return *now }}
}

func TestCheckDownload(t *testing.T) {
	rs := &releaseServer{}
	srv := httptest.NewServer(rs)
	defer srv.Close()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	u := newUpdater(t, srv, &now)
	newBin := []byte(strings.Repeat("new build ", 5000))
	rs.publish(t, testKey(1), "1.1.0", newBin, "")

	if !u.CheckDue() {
		t.Fatal("the first check is due")
	}
	rel, err := u.Check(ctx)
	if err != nil || rel == nil || rel.Manifest.Version != "1.1.0" || rel.Package != nil {
		t.Fatalf("check: %+v %v", rel, err)
	}
	if u.CheckDue() {
		t.Fatal("right after a check the next is not due")
	}
	now = now.Add(update.CheckEvery)
	if !u.CheckDue() {
		t.Fatal("a day later a check is due")
	}
	var last int64
	staged, err := u.Download(ctx, rel, func(done, total int64) { last = done })
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(staged); string(got) != string(newBin) || last != int64(len(newBin)) {
		t.Fatalf("staged %d bytes, progress %d", len(got), last)
	}
	if fi, _ := os.Stat(staged); fi.Mode()&0o100 == 0 {
		t.Fatalf("staged build is not executable: %v", fi.Mode())
	}

	t.Run("UpToDate", func(t *testing.T) {
		rs.publish(t, testKey(1), "1.0.0", []byte("same"), "")
		if rel, err := u.Check(ctx); err != nil || rel != nil {
			t.Fatalf("same version: %+v %v", rel, err)
		}
	})
	t.Run("ErrDevBuild", func(t *testing.T) {
		d := *u
		d.Current = "dev"
		if _, err := d.Check(ctx); !errors.Is(err, update.ErrDevBuild) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("PackageManaged", func(t *testing.T) {
		rs.publish(t, testKey(1), "1.1.0", newBin, "")
		d := *u
		d.Exe = "/usr/bin/naukar"
		rel, err := d.Check(ctx)
		if err != nil || rel.Package == nil || rel.Package.URL != srv.URL+"/v1/updates/naukar_1.1.0_amd64.deb" {
			t.Fatalf("check: %+v %v", rel, err)
		}
		if err := d.Swap(staged); !errors.Is(err, update.ErrManaged) {
			t.Fatalf("swap of a package's binary: %v", err)
		}
	})
}

func TestDownloadRefusals(t *testing.T) {
	rs := &releaseServer{}
	srv := httptest.NewServer(rs)
	defer srv.Close()
	now := time.Now()
	newBin := []byte(strings.Repeat("new build ", 20000))

	t.Run("ErrSignature", func(t *testing.T) {
		u := newUpdater(t, srv, &now)
		rs.publish(t, testKey(9), "1.1.0", newBin, "")
		if _, err := u.Check(ctx); !errors.Is(err, update.ErrSignature) {
			t.Fatalf("err = %v", err)
		}
		if ents, _ := os.ReadDir(u.Dir); len(ents) != 0 {
			t.Fatalf("a refused manifest left files: %v", ents)
		}
	})
	t.Run("ErrHash", func(t *testing.T) {
		u := newUpdater(t, srv, &now)
		rs.publish(t, testKey(1), "1.1.0", newBin, hexSum([]byte("another build")))
		rel, err := u.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := u.Download(ctx, rel, nil); !errors.Is(err, update.ErrHash) {
			t.Fatalf("err = %v", err)
		}
		if ents, _ := os.ReadDir(u.Dir); len(ents) != 1 || ents[0].Name() != "update-state.json" {
			t.Fatalf("a mismatching download was kept: %v", ents)
		}
	})
	t.Run("TruncatedThenResumed", func(t *testing.T) {
		u := newUpdater(t, srv, &now)
		rs.publish(t, testKey(1), "1.1.0", newBin, "")
		rs.truncate = true
		rel, err := u.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = u.Download(ctx, rel, nil)
		if err == nil || !strings.Contains(err.Error(), "cut short") {
			t.Fatalf("err = %v", err)
		}
		if _, err := os.Stat(u.Staged("1.1.0")); err == nil {
			t.Fatal("a cut download was staged")
		}
		rs.mu.Lock()
		rs.truncate = false
		rs.mu.Unlock()
		staged, err := u.Download(ctx, rel, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(staged); string(got) != string(newBin) {
			t.Fatal("resumed download differs")
		}
		if len(rs.ranges) != 1 || !strings.HasPrefix(rs.ranges[0], "bytes=") || rs.ranges[0] == "bytes=0-" {
			t.Fatalf("the second download did not resume: ranges %v", rs.ranges)
		}
	})
}

// buildFake builds testdata/fakeapp named name into dir.
func buildFake(t *testing.T, dir, name string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-ldflags", "-X main.name="+name, "-o", out, "./testdata/fakeapp")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build fakeapp: %v\n%s", err, b)
	}
	return out
}

func run(t *testing.T, exe string) string {
	t.Helper()
	out, err := exec.Command(exe).Output()
	if err != nil {
		t.Fatalf("%s: %v", exe, err)
	}
	return strings.TrimSpace(string(out))
}

func TestSwapRelaunchRollback(t *testing.T) {
	bins := t.TempDir()
	old := buildFake(t, bins, "old")
	builds := map[string]string{}
	for _, n := range []string{"new", "crash", "hang"} {
		builds[n] = buildFake(t, bins, n)
	}
	install := func(t *testing.T) *update.Updater {
		dir := t.TempDir()
		exe := filepath.Join(dir, "naukar")
		b, _ := os.ReadFile(old)
		os.WriteFile(exe, b, 0o755)
		return &update.Updater{Exe: exe, Dir: t.TempDir(), Current: "1.0.0"}
	}
	t.Run("StartsAndIsKept", func(t *testing.T) {
		u := install(t)
		if err := u.Swap(builds["new"]); err != nil {
			t.Fatal(err)
		}
		if got := run(t, u.Exe); got != "fakeapp new" {
			t.Fatalf("after swap the executable is %q", got)
		}
		if got := run(t, u.Exe+".old"); got != "fakeapp old" {
			t.Fatalf("the old build kept aside is %q", got)
		}
		if err := u.Relaunch([]string{"linger"}, 20*time.Second); err != nil {
			t.Fatal(err)
		}
		u.Cleanup()
		if _, err := os.Stat(u.Exe + ".old"); err == nil {
			t.Fatal("cleanup left the old build")
		}
	})
	for _, bad := range []string{"crash", "hang"} {
		t.Run("RollsBack_"+bad, func(t *testing.T) {
			u := install(t)
			if err := u.Swap(builds[bad]); err != nil {
				t.Fatal(err)
			}
			err := u.Relaunch(nil, 2*time.Second)
			if err == nil {
				t.Fatal("a build that never came up was taken as started")
			}
			if err := u.Rollback(); err != nil {
				t.Fatal(err)
			}
			if got := run(t, u.Exe); got != "fakeapp old" {
				t.Fatalf("after rollback the executable is %q", got)
			}
			if _, err := os.Stat(u.Exe + ".failed"); err != nil {
				t.Fatal("the failed build is not kept for a look")
			}
		})
	}
}
