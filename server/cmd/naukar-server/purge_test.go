package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
)

// TestPurgeCommand: `naukar-server purge --now T` purges the accounts
// whose purge is due at T, and only those; a bad --now says what to type.
func TestPurgeCommand(t *testing.T) {
	bin, dir := serverBinary(t), t.TempDir()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	closed := storetest.Business(t, db)
	open := storetest.Business(t, db)
	now := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
	if _, err := db.CloseAccount(ctx, closed, now, now.Add(28*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	db.Close()

	run := func(args ...string) (string, error) {
		out, err := exec.Command(bin, append([]string{"purge", "--data", dir}, args...)...).CombinedOutput()
		return string(out), err
	}
	if out, err := run("--now", "tomorrow"); err == nil || !strings.Contains(out, "RFC 3339") {
		t.Errorf("bad --now: %v %s", err, out)
	}
	if out, err := run("--now", "2026-02-01T00:00:00Z"); err != nil || !strings.Contains(out, "0 closed accounts purged") {
		t.Errorf("purge before it is due: %v %s", err, out)
	}
	out, err := run("--now", "2026-02-10T12:00:00Z")
	if err != nil || !strings.Contains(out, "purged account "+closed.AccountID) || !strings.Contains(out, "1 closed accounts purged") {
		t.Fatalf("purge 31 days later: %v %s", err, out)
	}
	db, err = store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Account(ctx, closed); err == nil {
		t.Error("the purged account is still there")
	}
	if _, err := db.Account(ctx, open); err != nil {
		t.Errorf("the open account is gone: %v", err)
	}
}

// TestNotifyPolicyCommand: `naukar-server notify-policy` stores the notice
// once per version, for the server's job to email and the apps to show.
func TestNotifyPolicyCommand(t *testing.T) {
	bin, dir := serverBinary(t), t.TempDir()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Business(t, db)
	storetest.Business(t, db)
	db.Close()
	summary := filepath.Join(dir, "summary.txt")
	if err := os.WriteFile(summary, []byte("We now keep error reports 30 days.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, error) {
		out, err := exec.Command(bin, append([]string{"notify-policy", "--data", dir}, args...)...).CombinedOutput()
		return string(out), err
	}
	if out, err := run("--version", "2026-12"); err == nil || !strings.Contains(out, "--summary FILE") {
		t.Errorf("no summary: %v %s", err, out)
	}
	out, err := run("--version", "2026-12", "--summary", summary)
	if err != nil || !strings.Contains(out, "emails it to 2 open accounts") || !strings.Contains(out, "apps show it once") {
		t.Fatalf("notify: %v %s", err, out)
	}
	if out, err := run("--version", "2026-12", "--summary", summary); err == nil || !strings.Contains(out, "already sent") {
		t.Errorf("the same version again: %v %s", err, out)
	}
	db, err = store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ns, err := db.NoticesToEmail(ctx)
	if err != nil || len(ns) != 1 || ns[0].Kind != "policy" || !strings.Contains(ns[0].Summary, "30 days") {
		t.Errorf("stored notices: %+v %v", ns, err)
	}
}
