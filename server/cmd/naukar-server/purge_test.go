package main

import (
	"context"
	"os/exec"
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
