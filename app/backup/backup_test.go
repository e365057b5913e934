package backup_test

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/backup"
	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/store"
)

var ctx = context.Background()

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.Local)} }
func tiny() demo.Size {
	return demo.Size{Products: 40, Parties: 5, Invoices: 50, Purchases: 3, Expenses: 4, Seed: 3}
}

type result[T any] struct {
	v   T
	err error
}

// try pairs a call's two results; .must(t) fails the test on the error.
func try[T any](v T, err error) result[T] { return result[T]{v, err} }

func (r result[T]) must(tb testing.TB) T {
	tb.Helper()
	if r.err != nil {
		tb.Fatal(r.err)
	}
	return r.v
}

var (
	masterOnce sync.Once
	master     string
	masterErr  error
)

// MustShopBooks puts small books with data at dir/books.db: a copy of one
// built once per test run.
func MustShopBooks(tb testing.TB, dir string) string {
	tb.Helper()
	masterOnce.Do(func() {
		d, err := os.MkdirTemp("", "naukar-backup-test-")
		if err != nil {
			masterErr = err
			return
		}
		master = filepath.Join(d, "books.db")
		if masterErr = demo.Build(ctx, master, tiny()); masterErr != nil {
			return
		}
		st, err := store.Open(master, store.Options{})
		if err != nil {
			masterErr = err
			return
		}
		st.Checkpoint()
		masterErr = st.Close()
	})
	if masterErr != nil {
		tb.Fatal(masterErr)
	}
	path := filepath.Join(dir, "books.db")
	b, err := os.ReadFile(master)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if master != "" {
		os.RemoveAll(filepath.Dir(master))
	}
	os.Exit(code)
}

func invoices(tb testing.TB, path string) int {
	tb.Helper()
	fi, err := store.Inspect(ctx, path, false)
	if err != nil {
		tb.Fatalf("inspect %s: %v", path, err)
	}
	if len(fi.Problems) > 0 {
		tb.Fatalf("%s has problems: %v", path, fi.Problems)
	}
	return fi.Invoices
}

func TestMakeListPrune(t *testing.T) {
	dir := t.TempDir()
	path := MustShopBooks(t, dir)
	c := newClock()
	m := &backup.Manager{Books: path, Now: c.now}
	st := try(m.Open(store.Options{})).must(t)
	defer st.Close()
	if due := try(m.Due()).must(t); !due {
		t.Fatal("a books file with no backup must be due for one")
	}
	if m.Keep() != backup.DefaultKeep {
		t.Fatalf("keep %d by default, want %d", m.Keep(), backup.DefaultKeep)
	}
	const keep = 4
	if err := m.SetFolder("", keep); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < keep+2; i++ {
		res, err := m.Make(ctx, st, backup.Daily)
		if err != nil {
			t.Fatal(err)
		}
		if res.Fallback != "" || res.Size == 0 || filepath.Dir(res.Path) != m.DefaultFolder() {
			t.Fatalf("backup %d: %+v", i, res)
		}
		c.add(time.Hour)
	}
	if due := try(m.Due()).must(t); due {
		t.Fatal("an hour after a backup the daily one is not due")
	}
	c.add(backup.DailyEvery)
	if due := try(m.Due()).must(t); !due {
		t.Fatal("a day after the newest backup the daily one is due")
	}
	bs := try(m.List()).must(t)
	if len(bs) != keep {
		t.Fatalf("kept %d backups, want %d", len(bs), keep)
	}
	for i := 1; i < len(bs); i++ {
		if !bs[i-1].Time.After(bs[i].Time) {
			t.Fatalf("not newest first: %v then %v", bs[i-1].Time, bs[i].Time)
		}
	}
	// The newest kept is the last made; the two oldest are gone.
	if want := c.t.Add(-backup.DailyEvery - time.Hour); !bs[0].Time.Equal(want) {
		t.Fatalf("newest backup at %v, want %v", bs[0].Time, want)
	}
	want := invoices(t, path)
	if got := invoices(t, bs[0].Path); got != want || want == 0 {
		t.Fatalf("backup holds %d invoices, the books %d", got, want)
	}
	if bs[0].Reason != backup.Daily {
		t.Fatalf("reason %q", bs[0].Reason)
	}
}

func TestChosenFolderAndFallback(t *testing.T) {
	dir := t.TempDir()
	path := MustShopBooks(t, dir)
	m := &backup.Manager{Books: path, Now: newClock().now}
	st := try(m.Open(store.Options{})).must(t)
	defer st.Close()

	usb := filepath.Join(t.TempDir(), "USB DRIVE", "shop backups")
	if err := m.SetFolder(usb, 3); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrFolderNotWritable", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "a-file")
		os.WriteFile(file, []byte("x"), 0o600)
		err := m.SetFolder(filepath.Join(file, "sub"), 0)
		if books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), "cannot be written") {
			t.Fatalf("err = %v", err)
		}
		if f := try(m.Folder()).must(t); f != usb {
			t.Fatalf("a refused folder changed the setting to %s", f)
		}
	})
	t.Run("ErrKeep", func(t *testing.T) {
		if err := m.SetFolder(usb, -1); books.ErrorCode(err) != books.EINVALID {
			t.Fatalf("err = %v", err)
		}
	})
	res := try(m.Make(ctx, st, backup.Manual)).must(t)
	if filepath.Dir(res.Path) != usb || res.Fallback != "" {
		t.Fatalf("backup went to %s (fallback %q), want the chosen folder %s", res.Path, res.Fallback, usb)
	}
	// The drive is pulled out: the next backup goes to the default folder and says so.
	if err := os.RemoveAll(filepath.Dir(usb)); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Dir(usb), []byte("not a folder any more"), 0o600)
	res = try(m.Make(ctx, st, backup.Daily)).must(t)
	if filepath.Dir(res.Path) != m.DefaultFolder() || !strings.Contains(res.Fallback, "cannot be written") {
		t.Fatalf("with the drive gone: %+v", res)
	}
	if bs := try(m.List()).must(t); len(bs) != 1 || bs[0].Path != res.Path {
		t.Fatalf("list = %+v", bs)
	}
	// Keep 3 applies in the folder written to.
	os.Remove(filepath.Dir(usb))
	for i := 0; i < 5; i++ {
		try(m.Make(ctx, st, backup.Manual)).must(t)
	}
	if bs := try(m.List()).must(t); len(bs) != 1+3 {
		t.Fatalf("after 5 more into the chosen folder with keep 3: %d backups listed", len(bs))
	}
}

func TestCheckSchedule(t *testing.T) {
	path := MustShopBooks(t, t.TempDir())
	c := newClock()
	m := &backup.Manager{Books: path, Now: c.now}
	st := try(m.Open(store.Options{})).must(t)
	defer st.Close()
	steps := []struct {
		after time.Duration
		full  bool
	}{{0, true}, {time.Hour, false}, {6 * 24 * time.Hour, false}, {24 * time.Hour, true}, {time.Minute, false}}
	for i, s := range steps {
		c.add(s.after)
		res, err := m.Check(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		if res.Full != s.full || len(res.Problems) != 0 {
			t.Fatalf("step %d: %+v, want full=%v and no problems", i, res, s.full)
		}
	}
}

// corrupt overwrites n bytes at off with garbage.
func corrupt(tb testing.TB, path string, off int64, n int) {
	tb.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	junk := make([]byte, n)
	for i := range junk {
		junk[i] = byte(0xA5 ^ i)
	}
	if _, err := f.WriteAt(junk, off); err != nil {
		tb.Fatal(err)
	}
}

func TestDamagedBooksRestoreNewestGood(t *testing.T) {
	dir := t.TempDir()
	path := MustShopBooks(t, dir)
	c := newClock()
	m := &backup.Manager{Books: path, Now: c.now}
	st := try(m.Open(store.Options{})).must(t)
	older := try(m.Make(ctx, st, backup.Daily)).must(t)
	c.add(time.Hour)
	newer := try(m.Make(ctx, st, backup.Daily)).must(t)
	want := invoices(t, path)
	if err := st.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	st.Close()

	// The newest backup is damaged too: the restore skips it.
	corrupt(t, newer.Path, 0, 64)
	// The books' header is overwritten: SQLite cannot read them.
	corrupt(t, path, 0, 100)
	_, err := m.Open(store.Options{})
	var de *store.DamagedError
	if !errors.As(err, &de) || !strings.Contains(books.ErrorMessage(err), "backup restore") {
		t.Fatalf("open damaged books: %v", err)
	}
	damagedSum := sum(t, path)

	good, err := m.NewestGood(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if good.Path != older.Path {
		t.Fatalf("newest good = %s, want %s (the newer one is damaged)", good.Path, older.Path)
	}
	res, err := m.Restore(ctx, good.Backup)
	if err != nil {
		t.Fatal(err)
	}
	if res.Aside == "" || sum(t, res.Aside) != damagedSum {
		t.Fatalf("the damaged books were not kept aside unchanged: %+v", res)
	}
	st = try(m.Open(store.Options{})).must(t)
	defer st.Close()
	if problems := try(st.Check(ctx, true)).must(t); len(problems) != 0 {
		t.Fatalf("restored books: %v", problems)
	}
	if got := invoices(t, path); got != want {
		t.Fatalf("restored books hold %d invoices, want %d", got, want)
	}
	if _, err := st.Business(); err != nil {
		t.Fatal(err)
	}
}

func TestCheckFindsDamagedPages(t *testing.T) {
	dir := t.TempDir()
	path := MustShopBooks(t, dir)
	m := &backup.Manager{Books: path, Now: newClock().now}
	st := try(m.Open(store.Options{})).must(t)
	st.Checkpoint()
	st.Close()
	fi, _ := os.Stat(path)
	// Garbage over pages in the middle of the file (the header stays good).
	corrupt(t, path, fi.Size()/2, 3*4096)
	st, err := m.Open(store.Options{})
	if err != nil {
		var de *store.DamagedError
		if !errors.As(err, &de) {
			t.Fatalf("open: %v", err)
		}
		return // damage found at open: also a clear refusal
	}
	defer st.Close()
	res, err := m.Check(ctx, st)
	if err == nil && len(res.Problems) == 0 {
		t.Fatal("the integrity check found nothing in a file with garbage pages")
	}
}

func TestRestoreRefusesNewerBackup(t *testing.T) {
	dir := t.TempDir()
	path := MustShopBooks(t, dir)
	m := &backup.Manager{Books: path, Now: newClock().now}
	st := try(m.Open(store.Options{})).must(t)
	res := try(m.Make(ctx, st, backup.Manual)).must(t)
	st.Close()
	setSchema(t, res.Path, 999)
	before := sum(t, path)
	_, err := m.Restore(ctx, res.Backup)
	var tn *store.TooNewError
	if !errors.As(err, &tn) {
		t.Fatalf("restore of a newer backup: %v", err)
	}
	if sum(t, path) != before {
		t.Fatal("a refused restore changed the books")
	}
}

func sum(tb testing.TB, path string) [32]byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return sha256.Sum256(b)
}

func gunzip(tb testing.TB, src, dst string) {
	tb.Helper()
	f, err := os.Open(src)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	out, err := os.Create(dst)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		tb.Fatal(err)
	}
	out.Close()
}
