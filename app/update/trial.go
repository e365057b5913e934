package update

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/backup"
	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/store"
)

// defaultURL is the manifest address stamped at build
// (-X github.com/ainaukar/naukar/app/update.defaultURL=https://…); "" if none.
var defaultURL = ""

// ManifestFile is the manifest's name on the server and in dist/.
const ManifestFile = "naukar.json"

// ManifestURL picks where to look for updates: NAUKAR_UPDATE_URL, else the
// books' own setting, else the address stamped at build, else the sync
// server's GET /v1/updates/naukar.json; "" when there is none.
func ManifestURL(setting, syncServer string) string {
	for _, u := range []string{os.Getenv("NAUKAR_UPDATE_URL"), setting, defaultURL} {
		if u = strings.TrimSpace(u); u != "" {
			return u
		}
	}
	if syncServer != "" {
		return strings.TrimRight(syncServer, "/") + "/v1/updates/" + ManifestFile
	}
	return ""
}

// TrialBooks prepares the books a new build is tried on: a fresh backup of
// the books (kept with the others, "before-update"), copied to a folder of
// its own, so the trial may migrate the copy and never touches the books.
// st is the open books, or nil to open them here. For books not made yet
// the trial makes new ones. cleanup removes the copy.
func TrialBooks(ctx context.Context, booksPath string, st *store.Store) (path string, cleanup func(), err error) {
	tmp, err := os.MkdirTemp("", "naukar-update-trial-")
	if err != nil {
		return "", nil, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	path = filepath.Join(tmp, "books.db")
	if st == nil {
		if _, err := os.Stat(booksPath); err != nil {
			return path, cleanup, nil
		}
		m := backup.New(booksPath)
		if st, err = m.Open(store.Options{}); err != nil {
			cleanup()
			return "", nil, err
		}
		defer st.Close()
	}
	res, err := backup.New(booksPath).Make(ctx, st, backup.Update)
	if err != nil {
		cleanup()
		return "", nil, err
	}
	if err := copyFile(res.Path, path, 0o600); err != nil {
		cleanup()
		return "", nil, err
	}
	return path, cleanup, nil
}

// SelfTestArgs make a build open books, check them and print its version
// (`naukar --books PATH update selftest`): the trial of a new build.
func SelfTestArgs(booksPath string) []string {
	return []string{"--books", booksPath, "update", "selftest"}
}

// TrialTimeout bounds a trial run (a migration of large books included).
var TrialTimeout = 5 * time.Minute

// Trial runs the staged build's self-test on trialBooks (see TrialBooks)
// and checks that it is version want. An error means the build must not be
// installed.
func Trial(ctx context.Context, staged, want, trialBooks string) error {
	ctx, cancel := context.WithTimeout(ctx, TrialTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, staged, SelfTestArgs(trialBooks)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return books.Errorf(books.ECONFLICT, "The new version %s did not start on a copy of the books (%v: %s); it was not installed and this version stays.", want, err, lastLine(out))
	}
	if !strings.Contains(string(out), "naukar "+want+" ") {
		return books.Errorf(books.ECONFLICT, "The new build says %q, not version %s; it was not installed.", lastLine(out), want)
	}
	return nil
}

func lastLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// confirmEnv names the file a relaunched build writes once it is up.
const confirmEnv = "NAUKAR_UPDATE_CONFIRM"

// ConfirmStarted tells the build that relaunched this one (after an update)
// that it is up: call it once the books are open and the window usable.
// It reports whether this process was such a relaunch.
func ConfirmStarted() bool {
	p := os.Getenv(confirmEnv)
	if p == "" {
		return false
	}
	os.Unsetenv(confirmEnv)
	_ = os.WriteFile(p, []byte("started\n"), 0o600)
	return true
}

// Relaunch starts the executable (after Swap, the new build) with args and
// waits until it confirms it is up (ConfirmStarted), exits, or timeout
// passes. On success the new process goes on and the caller should exit;
// on failure the new process is stopped and the caller should Rollback.
func (u *Updater) Relaunch(args []string, timeout time.Duration) error {
	exe, err := u.exe()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(u.Dir, 0o700); err != nil {
		return err
	}
	confirm := filepath.Join(u.Dir, fmt.Sprintf("started-%d", os.Getpid()))
	os.Remove(confirm)
	defer os.Remove(confirm)
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), confirmEnv+"="+confirm)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return books.Errorf(books.ECONFLICT, "The new version could not be started: %v.", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	started := func() bool { _, err := os.Stat(confirm); return err == nil }
	for {
		select {
		case err := <-done:
			if started() {
				return nil // it came up, then the user closed it
			}
			if err == nil {
				err = errors.New("it exited at once")
			}
			return books.Errorf(books.ECONFLICT, "The new version stopped before it was up (%v).", err)
		case <-tick.C:
			if started() {
				return nil
			}
		case <-deadline.C:
			cmd.Process.Kill()
			<-done
			return books.Errorf(books.ECONFLICT, "The new version was not up within %s.", timeout)
		}
	}
}
