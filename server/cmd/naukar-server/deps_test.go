package main

import (
	"os/exec"
	"strings"
	"testing"
)

// goList returns the packages that pkgs depend on (themselves included),
// as `go list -deps` sees them for this platform, tests excluded.
func goList(t *testing.T, pkgs ...string) []string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list dependencies: %v", err)
	}
	out, err := exec.Command(goBin, append([]string{"list", "-deps", "-f", "{{.ImportPath}}"}, pkgs...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	return strings.Fields(string(out))
}

// TestServerLinksNoAppCode keeps the server free of the app's code: no
// package under server/ (the naukar-server binary, its load generator, its
// tests' libraries aside) may link Fyne, the OS keychain, or the app's sync
// client, store or screens. The server shares the sync protocol
// (sync/protocol) and pure rules (app/gst, app/books) only. The HTTP
// client library (resty) is allowed: the Razorpay client is built on it.
func TestServerLinksNoAppCode(t *testing.T) {
	forbidden := []string{
		"fyne.io/fyne",
		"github.com/zalando/go-keyring",
		"github.com/ainaukar/naukar/app/syncapp",
		"github.com/ainaukar/naukar/app/store",
		"github.com/ainaukar/naukar/app/ui",
	}
	for _, dep := range goList(t, "github.com/ainaukar/naukar/server/...") {
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("a server package depends on %s; the server must not link it (see server/README.md, Layout)", dep)
			}
		}
	}
}

// TestProtocolHasNoIO keeps sync/protocol pure: the shared wire types, HLC
// and merge rule reach no network, database or other package of ours.
func TestProtocolHasNoIO(t *testing.T) {
	for _, dep := range goList(t, "github.com/ainaukar/naukar/sync/protocol") {
		switch {
		case dep == "net/http", dep == "database/sql", dep == "os/exec",
			!strings.HasPrefix(dep, "vendor/") && strings.Contains(dep, ".") && !strings.HasPrefix(dep, "github.com/ainaukar/naukar/sync/protocol"):
			t.Errorf("sync/protocol depends on %s; it must stay free of I/O and of other modules", dep)
		}
	}
}
