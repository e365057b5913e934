package cli_test

import (
	"archive/zip"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/server/privacy/privacytest"
)

// privacyServer starts a sync server with the privacy rights on loopback.
func privacyServer(t *testing.T) string { return privacytest.Server(t) }

// TestAccountExportAndDelete: `naukar account export -o` waits for the
// server's export and writes the ZIP with the synced books; `naukar account
// delete` wants --yes and the right password, then the device is signed
// out and sync is refused.
func TestAccountExportAndDelete(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	url := privacyServer(t)
	books := setup(t)
	mustRun(t, books, "", "sync", "signup", "--server", url, "--name", "Ravi Sharma", "--email", "ravi@example.in",
		"--phone", "9876543210", "--password", "correct horse", "--business-name", "Sharma Stores", "--state", "27")
	mustRun(t, books, "", "sync", "login", "--server", url, "--login", "ravi@example.in", "--password", "correct horse", "--device-name", "Counter 1")
	mustRun(t, books, "", "sync")

	zipPath := filepath.Join(t.TempDir(), "export.zip")
	r := run(t, books, "", "account", "export", "-o", zipPath)
	if r.code != 0 || !strings.Contains(r.stdout, "Export written to") || !strings.Contains(r.stderr, "Export") {
		t.Fatalf("export: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range zr.File {
		if f.Name == "books/products.csv" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			found = strings.Contains(string(b), "India Gate Basmati Rice 5kg") && strings.Contains(string(b), "Tata Salt 1kg")
		}
	}
	zr.Close()
	if !found {
		t.Errorf("the export's books/products.csv lacks the synced products")
	}

	wantFail(t, run(t, books, "", "account", "delete", "--password", "correct horse"), 2, "add --yes")
	wantFail(t, run(t, books, "", "account", "delete", "--password", "wrong horse", "--yes"), 1, "password is wrong")
	if out := mustRun(t, books, "correct horse\n", "account", "delete", "--password", "-", "--yes"); !strings.Contains(out, "Account closed") {
		t.Fatalf("delete said %q", out)
	}
	wantFail(t, run(t, books, "", "sync"), 1, "not signed in")
	wantFail(t, run(t, books, "", "sync", "login", "--server", url, "--login", "ravi@example.in", "--password", "correct horse"), 1, "Wrong email/phone or password")
}
