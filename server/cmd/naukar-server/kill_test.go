package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// serverBinary builds naukar-server once per test run.
func serverBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "naukar-server-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "naukar-server")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		out, err = exec.Command("go", "build", "-o", filepath.Join(dir, "sqlexec"), "./testdata/sqlexec").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build sqlexec: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// sqlite runs statements on a SQLite file with testdata/sqlexec (built
// without the race detector) and returns the last one's first column of
// its first row, if any.
func sqlite(t *testing.T, file string, stmts ...string) string {
	t.Helper()
	out, err := exec.Command(filepath.Join(filepath.Dir(serverBinary(t)), "sqlexec"), append([]string{file}, stmts...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("sqlexec: %v\n%s", err, out)
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	v, _, _ := strings.Cut(first, "\t")
	return v
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// server is a naukar-server process started by a test.
type server struct {
	cmd  *exec.Cmd
	base string
	log  string
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer runs the binary with args (plus --addr) and the environment
// plus env, and waits until it answers /healthz. It is stopped (SIGTERM)
// when the test ends unless killed before.
func startServer(t *testing.T, addr string, env []string, args ...string) *server {
	t.Helper()
	logf, err := os.CreateTemp(t.TempDir(), "server-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(serverBinary(t), append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Env = append(withoutDatabaseURL(os.Environ()), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, base: "http://" + addr, log: logf.Name()}
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Signal(syscall.SIGTERM)
			_ = s.cmd.Wait()
		}
		logf.Close()
	})
	if err := waitHealthy(context.Background(), s.base, 30*time.Second); err != nil {
		out, _ := os.ReadFile(s.log)
		t.Fatalf("server did not start: %v\n%s", err, out)
	}
	return s
}

func withoutDatabaseURL(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "DATABASE_URL=") {
			out = append(out, kv)
		}
	}
	return out
}

// kill9 kills the server with SIGKILL: no shutdown code runs.
func (s *server) kill9(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = s.cmd.Wait()
}

func (s *server) logText() string {
	b, _ := os.ReadFile(s.log)
	return string(b)
}

// jobRow is what the test reads of River's job table.
type jobRow struct {
	state   string
	attempt int
}

func jobsOfKind(t *testing.T, db *sql.DB, kind string) []jobRow {
	t.Helper()
	rows, err := db.Query(`SELECT state, attempt FROM river_job WHERE kind = $1 ORDER BY id`, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []jobRow
	for rows.Next() {
		var j jobRow
		if err := rows.Scan(&j.state, &j.attempt); err != nil {
			t.Fatal(err)
		}
		out = append(out, j)
	}
	return out
}

func count(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func poll(t *testing.T, limit time.Duration, every time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", limit, what)
		}
		time.Sleep(every)
	}
}

// TestKill9DuringBackup kills the server (SQLite) while the backup job
// writes its snapshot, restarts it, and finds exactly one snapshot: the
// job ran again (second attempt) under the same name, and the cut-short
// file is gone.
func TestKill9DuringBackup(t *testing.T) {
	dir := t.TempDir()
	data, bk := filepath.Join(dir, "data"), filepath.Join(dir, "backups")
	// A database big enough that VACUUM INTO takes a noticeable while.
	db, err := store.OpenSQLite(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	file := filepath.Join(data, store.SQLiteFile)
	const rows = 60000
	sqlite(t, file, fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
		INSERT INTO sync_rows (business_id, tbl, id, hlc, data, field_hlc, seq, device_id, updated_at)
		SELECT 'b', 'products', 'p' || i, 'h', '{"x":"' || hex(randomblob(500)) || '"}', '{}', i, 'd', 0 FROM n`, rows),
		`SELECT 1`)
	// Only small queries run in this (maybe race-instrumented) process.
	raw, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()

	addr := freeAddr(t)
	args := []string{"--data", data, "--backup-dir", bk, "--backup-every", "24h", "--job-poll", "100ms"}
	s := startServer(t, addr, nil, args...)
	partial := func() bool {
		m, _ := filepath.Glob(filepath.Join(bk, "*.partial"))
		return len(m) > 0
	}
	poll(t, 30*time.Second, time.Millisecond, "the backup job started writing", partial)
	s.kill9(t)

	if j := jobsOfKind(t, raw, "sqlite_backup"); len(j) != 1 || j[0].state != "running" {
		t.Fatalf("after kill -9: backup jobs %+v, want one running (killed in flight)", j)
	}
	if done, _ := filepath.Glob(filepath.Join(bk, "naukar-*.db")); len(done) != 0 || !partial() {
		t.Fatalf("after kill -9: snapshots %v, partial %v; want none and a partial", done, partial())
	}

	s = startServer(t, addr, nil, args...)
	poll(t, 30*time.Second, 20*time.Millisecond, "the backup job completed after the restart", func() bool {
		j := jobsOfKind(t, raw, "sqlite_backup")
		return len(j) == 1 && j[0].state == "completed"
	})
	j := jobsOfKind(t, raw, "sqlite_backup")
	if len(j) != 1 || j[0].attempt != 2 {
		t.Fatalf("backup jobs %+v, want one, on its second attempt (the restart's own run-at-start is the same job)", j)
	}
	snaps, _ := filepath.Glob(filepath.Join(bk, "naukar-*.db"))
	if len(snaps) != 1 || partial() {
		t.Fatalf("snapshots %v, partial left %v; want exactly one and no partial", snaps, partial())
	}
	if n := sqlite(t, snaps[0], `SELECT COUNT(*) FROM sync_rows`); n != fmt.Sprint(rows) {
		t.Fatalf("snapshot holds %s rows, want %d", n, rows)
	}
	if !strings.Contains(s.logText(), "jobs left running by a stopped instance will run again") {
		t.Errorf("the restart did not log taking the job back:\n%s", s.logText())
	}
}

// TestKill9DuringRetention kills the server while the retention job is
// deleting old security-log events, on each store; after a restart (same
// instance id) the job runs again and everything older than the limit, and
// nothing newer, is gone.
func TestKill9DuringRetention(t *testing.T) {
	for _, st := range []string{"sqlite", "postgres"} {
		t.Run(st, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"--data", filepath.Join(dir, "data"), "--retention-days", "30", "--job-poll", "100ms",
				"--instance-id", "kill-test"}
			var env []string
			var db *store.DB
			var raw *sql.DB
			var err error
			if st == "postgres" {
				u := storetest.PostgresURL(t)
				env = []string{"DATABASE_URL=" + u}
				db, err = store.OpenPostgres(context.Background(), u)
				if err == nil {
					raw, err = sql.Open("pgx", u)
				}
			} else {
				db, err = store.OpenSQLite(context.Background(), filepath.Join(dir, "data"))
				if err == nil {
					raw, err = sql.Open("sqlite", "file:"+filepath.Join(dir, "data", store.SQLiteFile)+"?_pragma=busy_timeout(5000)")
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			defer raw.Close()
			now := time.Now()
			const old, recent = 150000, 1000
			fill := func(n int, at time.Time) string {
				return fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
					INSERT INTO security_events (at, kind, ip, user_agent) SELECT %d, 'login', '127.0.0.1', 'test' FROM n`, n, at.UnixMilli())
			}
			limit := now.Add(-30 * 24 * time.Hour).UnixMilli()
			// Big SQLite statements run in sqlexec, not in this process.
			countOld := fmt.Sprintf(`SELECT COUNT(*) FROM security_events WHERE at < %d`, limit)
			var oldLeft, all func() int
			if st == "postgres" {
				for _, q := range []string{fill(old, now.Add(-40*24*time.Hour)), fill(recent, now.Add(-29*24*time.Hour))} {
					if _, err := raw.Exec(q); err != nil {
						t.Fatal(err)
					}
				}
				oldLeft = func() int { return count(t, raw, countOld) }
				all = func() int { return count(t, raw, `SELECT COUNT(*) FROM security_events`) }
			} else {
				file := filepath.Join(dir, "data", store.SQLiteFile)
				sqlite(t, file, fill(old, now.Add(-40*24*time.Hour)), fill(recent, now.Add(-29*24*time.Hour)), `SELECT 1`)
				atoi := func(s string) int {
					var n int
					if _, err := fmt.Sscan(s, &n); err != nil {
						t.Fatalf("count %q: %v", s, err)
					}
					return n
				}
				oldLeft = func() int { return atoi(sqlite(t, file, countOld)) }
				all = func() int { return atoi(sqlite(t, file, `SELECT COUNT(*) FROM security_events`)) }
			}

			// The job must still be running when the server is killed.
			// SQLite: the first batch deletes the oldest ids first, so the
			// first row's absence is seen within a millisecond (a cheap
			// probe), 150 batches before the end. PostgreSQL: the test
			// holds a lock on the last old row, so the job cannot finish;
			// it is killed once it runs.
			var started func() bool
			var lock *sql.Tx
			var firstID, lastID int64
			if err := raw.QueryRow(`SELECT MIN(id), MAX(id) FROM security_events WHERE at < $1`, limit).Scan(&firstID, &lastID); err != nil {
				t.Fatal(err)
			}
			if st == "postgres" {
				if lock, err = raw.Begin(); err != nil {
					t.Fatal(err)
				}
				defer lock.Rollback()
				if _, err := lock.Exec(`SELECT id FROM security_events WHERE id = $1 FOR UPDATE`, lastID); err != nil {
					t.Fatal(err)
				}
				started = func() bool {
					j := jobsOfKind(t, raw, "retention")
					return len(j) == 1 && j[0].state == "running"
				}
			} else {
				started = func() bool { return count(t, raw, `SELECT COUNT(*) FROM security_events WHERE id = $1`, firstID) == 0 }
			}

			addr := freeAddr(t)
			s := startServer(t, addr, env, args...)
			poll(t, 30*time.Second, time.Millisecond, "retention started", started)
			s.kill9(t)
			if lock != nil {
				if err := lock.Rollback(); err != nil {
					t.Fatal(err)
				}
			}
			left := oldLeft()
			if j := jobsOfKind(t, raw, "retention"); left == 0 || len(j) != 1 || j[0].state != "running" {
				t.Fatalf("after kill -9: %d old events left, retention jobs %+v; want some left and one job running", left, j)
			}

			startServer(t, addr, env, args...)
			poll(t, 30*time.Second, 20*time.Millisecond, "retention completed after the restart", func() bool {
				j := jobsOfKind(t, raw, "retention")
				return len(j) == 1 && j[0].state == "completed"
			})
			if j := jobsOfKind(t, raw, "retention"); j[0].attempt != 2 {
				t.Fatalf("retention job %+v, want its second attempt", j)
			}
			if n := oldLeft(); n != 0 {
				t.Fatalf("%d events older than 30 days left", n)
			}
			if n := all(); n != recent {
				t.Fatalf("%d events left, want the %d newer than 30 days", n, recent)
			}
		})
	}
}
