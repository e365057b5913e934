package update

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
)

// Limits on what is fetched.
const (
	maxManifest = 1 << 20   // 1 MiB
	maxFile     = 512 << 20 // 512 MiB
	CheckEvery  = 24 * time.Hour
)

// Updater checks for, fetches and installs new builds of the running app.
type Updater struct {
	ManifestURL string
	PublicKey   ed25519.PublicKey
	Current     string // this build's version
	Platform    string // GOOS/GOARCH; "" is this machine's
	Exe         string // the running executable; "" is os.Executable
	Dir         string // where downloads and the update state are kept
	Client      *http.Client
	Now         func() time.Time
}

func (u *Updater) platform() string {
	if u.Platform != "" {
		return u.Platform
	}
	return runtime.GOOS + "/" + runtime.GOARCH
}

func (u *Updater) now() time.Time {
	if u.Now != nil {
		return u.Now()
	}
	return time.Now()
}

func (u *Updater) client() *http.Client {
	if u.Client != nil {
		return u.Client
	}
	return &http.Client{Timeout: 30 * time.Minute}
}

// exe is the running executable with links resolved.
func (u *Updater) exe() (string, error) {
	p := u.Exe
	if p == "" {
		var err error
		if p, err = os.Executable(); err != nil {
			return "", err
		}
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	return p, nil
}

// Release is a newer build for this machine.
type Release struct {
	Manifest Manifest
	File     File   // the executable to replace this one with
	URL      string // File's URL, resolved
	// Package is set when this copy was installed by a package manager
	// (its folder is not writable): the package to install instead.
	Package *File
}

// state is what the updater remembers between runs.
type state struct {
	LastCheck time.Time `json:"last_check"`
}

func (u *Updater) statePath() string { return filepath.Join(u.Dir, "update-state.json") }

func (u *Updater) readState() state {
	var s state
	if b, err := os.ReadFile(u.statePath()); err == nil {
		json.Unmarshal(b, &s)
	}
	return s
}

func (u *Updater) writeState(s state) error {
	if err := os.MkdirAll(u.Dir, 0o700); err != nil {
		return err
	}
	b, _ := json.Marshal(s)
	tmp := u.statePath() + ".partial"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, u.statePath())
}

// CheckDue reports whether the daily check is due.
func (u *Updater) CheckDue() bool {
	return u.now().Sub(u.readState().LastCheck) >= CheckEvery
}

// ErrDevBuild: a development build does not update itself.
var ErrDevBuild = books.Errorf(books.EINVALID, "This is a development build (no version stamped); it does not update itself. Build with `make build` or install a release.")

// ErrNoURL: nowhere to look for updates.
var ErrNoURL = books.Errorf(books.EINVALID, "No update address is set: sign in to a sync server (Settings → Sync), or set NAUKAR_UPDATE_URL.")

// Check reads and verifies the manifest. It returns nil when this build is
// the newest. The time of the check is remembered for CheckDue.
func (u *Updater) Check(ctx context.Context) (*Release, error) {
	if !Newer(u.Current, "0.0.0") {
		return nil, ErrDevBuild
	}
	if u.ManifestURL == "" {
		return nil, ErrNoURL
	}
	data, err := u.get(ctx, u.ManifestURL, maxManifest)
	if err != nil {
		return nil, err
	}
	m, err := Verify(data, u.PublicKey)
	if err != nil {
		return nil, err
	}
	_ = u.writeState(state{LastCheck: u.now()})
	if !Newer(m.Version, u.Current) {
		return nil, nil
	}
	rel := &Release{Manifest: m}
	f, ok := m.Find(u.platform(), KindBinary)
	if !ok {
		return nil, books.Errorf(books.ENOTFOUND, "Version %s has no build for %s.", m.Version, u.platform())
	}
	rel.File = f
	if rel.URL, err = resolve(u.ManifestURL, f.URL); err != nil {
		return nil, err
	}
	if exe, err := u.exe(); err == nil && managed(exe) {
		if p, ok := m.Find(u.platform(), KindDeb); ok {
			rel.Package = &p
			if abs, err := resolve(u.ManifestURL, p.URL); err == nil {
				rel.Package.URL = abs
			}
		}
	}
	return rel, nil
}

func resolve(base, ref string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("update address %q: %w", base, err)
	}
	r, err := url.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("update file address %q: %w", ref, err)
	}
	return b.ResolveReference(r).String(), nil
}

func (u *Updater) get(ctx context.Context, url string, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := u.client().Do(req)
	if err != nil {
		return nil, books.Errorf(books.EINVALID, "Cannot reach the update address %s: %v", url, errors.Unwrap(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, books.Errorf(books.EINVALID, "The update address %s answered %s.", url, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", url, err)
	}
	if int64(len(b)) > limit {
		return nil, books.Errorf(books.EINVALID, "The update manifest at %s is too large.", url)
	}
	return b, nil
}

// ErrHash means the download is not the file the signed manifest names.
var ErrHash = books.Errorf(books.ECONFLICT, "The downloaded update does not match the SHA-256 in the signed manifest; it was deleted and nothing changed.")

// Staged is the path of a downloaded and verified build for version v.
func (u *Updater) Staged(v string) string {
	name := "naukar-" + v
	if strings.HasPrefix(u.platform(), "windows/") {
		name += ".exe"
	}
	return filepath.Join(u.Dir, name)
}

// Download fetches the release's executable into Dir, resuming a cut
// download, and verifies its size and SHA-256 against the signed manifest.
// It returns the path of the verified file (Staged). A file that does not
// match is deleted; a short one is kept to resume from.
func (u *Updater) Download(ctx context.Context, rel *Release, progress func(done, total int64)) (string, error) {
	f := rel.File
	if f.Size > maxFile {
		return "", books.Errorf(books.EINVALID, "The update %s is too large (%d bytes).", f.Name, f.Size)
	}
	dst := u.Staged(rel.Manifest.Version)
	if ok, _ := fileMatches(dst, f); ok {
		return dst, nil
	}
	if err := os.MkdirAll(u.Dir, 0o700); err != nil {
		return "", fmt.Errorf("update folder: %w", err)
	}
	part := dst + ".download"
	out, err := os.OpenFile(part, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return "", fmt.Errorf("update download: %w", err)
	}
	have, _ := out.Seek(0, io.SeekEnd)
	if have > f.Size {
		out.Truncate(0)
		have, _ = out.Seek(0, io.SeekStart)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rel.URL, nil)
	if err != nil {
		out.Close()
		return "", err
	}
	if have > 0 && have < f.Size {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", have))
	}
	resp, err := u.client().Do(req)
	if err != nil {
		out.Close()
		return "", books.Errorf(books.EINVALID, "Cannot download the update from %s: %v; it will be tried again.", rel.URL, errors.Unwrap(err))
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPartialContent && have > 0:
	case resp.StatusCode == http.StatusOK:
		out.Truncate(0)
		out.Seek(0, io.SeekStart)
		have = 0
	default:
		out.Close()
		return "", books.Errorf(books.EINVALID, "The update download from %s answered %s.", rel.URL, resp.Status)
	}
	pw := &progressWriter{w: out, done: have, total: f.Size, fn: progress}
	_, cerr := io.Copy(pw, io.LimitReader(resp.Body, f.Size-have+1))
	if err := out.Close(); err != nil && cerr == nil {
		cerr = err
	}
	fi, err := os.Stat(part)
	if err != nil {
		return "", err
	}
	if fi.Size() < f.Size {
		why := "the connection ended early"
		if cerr != nil {
			why = cerr.Error()
		}
		return "", books.Errorf(books.EINVALID, "The update download was cut short (%d of %d bytes: %s); the part is kept and the rest will be fetched next time. Nothing changed.", fi.Size(), f.Size, why)
	}
	ok, err := fileMatches(part, f)
	if err != nil {
		return "", err
	}
	if !ok {
		os.Remove(part)
		return "", ErrHash
	}
	if err := os.Chmod(part, 0o755); err != nil {
		return "", err
	}
	if err := os.Rename(part, dst); err != nil {
		return "", err
	}
	return dst, nil
}

type progressWriter struct {
	w           io.Writer
	done, total int64
	fn          func(done, total int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.done += int64(n)
	if p.fn != nil {
		p.fn(p.done, p.total)
	}
	return n, err
}

// fileMatches reports whether the file at path has f's size and SHA-256.
func fileMatches(path string, f File) (bool, error) {
	in, err := os.Open(path)
	if err != nil {
		return false, nil
	}
	defer in.Close()
	h := sha256.New()
	n, err := io.Copy(h, in)
	if err != nil {
		return false, err
	}
	return n == f.Size && strings.EqualFold(hex.EncodeToString(h.Sum(nil)), f.SHA256), nil
}

func dirWritable(dir string) bool {
	f, err := os.CreateTemp(dir, ".naukar-update-probe-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return true
}

// managed reports whether the executable belongs to a package manager: its
// folder is not writable, or (on Linux) it lives under /usr outside
// /usr/local, where only dpkg should change files, root or not.
func managed(exe string) bool {
	if runtime.GOOS == "linux" && strings.HasPrefix(exe, "/usr/") && !strings.HasPrefix(exe, "/usr/local/") {
		return true
	}
	return !dirWritable(filepath.Dir(exe))
}

// ErrManaged: the app was installed by a package manager.
var ErrManaged = books.Errorf(books.EINVALID, "This copy of AI Naukar was installed by the system's package manager (its folder is not writable); install the new package instead.")

// Swap puts the staged build in place of the running executable. The old
// one is kept beside it as EXE.old until the new one has started (Cleanup
// removes it; Rollback brings it back). A running executable can be renamed
// on Windows as on Linux, though not overwritten.
func (u *Updater) Swap(staged string) error {
	exe, err := u.exe()
	if err != nil {
		return err
	}
	if managed(exe) {
		return ErrManaged
	}
	// Copy next to the executable first: the staged file may be on another drive.
	next := exe + ".new"
	if err := copyFile(staged, next, 0o755); err != nil {
		os.Remove(next)
		return fmt.Errorf("install the update: %w", err)
	}
	old := exe + ".old"
	os.Remove(old) // an earlier update's; may fail on Windows while that one runs
	if err := os.Rename(exe, old); err != nil {
		os.Remove(next)
		return fmt.Errorf("install the update: %w", err)
	}
	if err := os.Rename(next, exe); err != nil {
		os.Rename(old, exe)
		os.Remove(next)
		return fmt.Errorf("install the update: %w", err)
	}
	return nil
}

// Rollback brings back the executable Swap set aside (the new one is kept as
// EXE.failed for a look). It does nothing when there is none.
func (u *Updater) Rollback() error {
	exe, err := u.exe()
	if err != nil {
		return err
	}
	old := exe + ".old"
	if _, err := os.Stat(old); err != nil {
		return nil
	}
	failed := exe + ".failed"
	os.Remove(failed)
	if err := os.Rename(exe, failed); err != nil {
		return fmt.Errorf("roll back the update: %w", err)
	}
	if err := os.Rename(old, exe); err != nil {
		os.Rename(failed, exe)
		return fmt.Errorf("roll back the update: %w", err)
	}
	return nil
}

// Cleanup removes what a finished update left: the previous executable and
// verified downloads of versions not newer than this one. Errors are
// ignored (on Windows the old executable stays until it has exited).
func (u *Updater) Cleanup() {
	if exe, err := u.exe(); err == nil {
		os.Remove(exe + ".old")
		os.Remove(exe + ".new")
	}
	ents, _ := os.ReadDir(u.Dir)
	for _, e := range ents {
		v := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(e.Name(), "naukar-"), ".download"), ".exe")
		if strings.HasPrefix(e.Name(), "naukar-") && !Newer(v, u.Current) {
			os.Remove(filepath.Join(u.Dir, e.Name()))
		}
	}
}

func copyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
