package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	out := mustRun(t, filepath.Join(t.TempDir(), "none.db"), "", "--version")
	if !regexp.MustCompile(`^naukar (dev|\d+\.\d+\.\d+\S*) \(.*linux/amd64\)\n$`).MatchString(out) {
		t.Fatalf("--version said %q", out)
	}
}

func TestBackupNowListFolderRestore(t *testing.T) {
	books := setup(t)
	mustRun(t, books, `{"date":"2026-10-05","lines":[{"barcode":"8901234567890","qty":2}]}`, "sell", "--json", "-")
	out := mustRun(t, books, "", "backup", "now")
	if !strings.Contains(out, "Backed up the books to "+filepath.Join(filepath.Dir(books), "backups")) {
		t.Fatalf("backup now said %q", out)
	}
	type entry struct{ Path, Reason string }
	list := decode[[]entry](t, mustRun(t, books, "", "backup", "list", "--json"))
	if len(list) != 1 || list[0].Reason != "manual" {
		t.Fatalf("list = %+v", list)
	}

	usb := filepath.Join(t.TempDir(), "usb")
	if out := mustRun(t, books, "", "backup", "folder", usb, "--keep", "2"); !strings.Contains(out, usb) || !strings.Contains(out, "newest 2") {
		t.Fatalf("backup folder said %q", out)
	}
	for i := 0; i < 3; i++ {
		mustRun(t, books, "", "backup", "now")
	}
	ents, _ := os.ReadDir(usb)
	if len(ents) != 2 {
		t.Fatalf("the chosen folder holds %d backups, want the newest 2", len(ents))
	}
	if out := mustRun(t, books, "", "backup", "list"); strings.Count(out, "  manual  ") != 3 {
		t.Fatalf("list should show 2 in the chosen folder and 1 in the default one:\n%s", out)
	}
	wantFail(t, run(t, books, "", "backup", "folder", "--keep", "0"), 1, "at least one")

	if out := mustRun(t, books, "", "backup", "check", "--full"); !strings.Contains(out, "sound (full check") {
		t.Fatalf("check said %q", out)
	}

	// A bill after the backup, then the books are damaged.
	mustRun(t, books, `{"date":"2026-10-05","lines":[{"barcode":"8904043901015","qty":1}]}`, "sell", "--json", "-")
	f, _ := os.OpenFile(books, os.O_RDWR, 0)
	f.WriteAt([]byte(strings.Repeat("garbage!", 12)), 0)
	f.Close()
	wantFail(t, run(t, books, "", "invoice", "list"), 1, "is damaged")

	out = mustRun(t, books, "", "backup", "restore")
	if !strings.Contains(out, "Restored the books from "+usb) || !strings.Contains(out, "1 invoices") || !strings.Contains(out, "kept as "+books+".replaced-") {
		t.Fatalf("restore said %q", out)
	}
	if out := mustRun(t, books, "", "invoice", "list"); strings.Count(out, "INV") != 1 {
		t.Fatalf("after restoring, the books hold the one bill of the backup:\n%s", out)
	}
	wantFail(t, run(t, books, "", "backup", "restore", filepath.Join(usb, "missing.db")), 1, "No backup file")
}
