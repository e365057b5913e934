// Package backup takes care of the books file: automatic local backups
// (daily, before every migration, before an update, on demand), the last N
// kept in a folder the owner chooses (a USB drive, say), SQLite's integrity
// check at start (quick every start, full every week), and restoring the
// newest good backup. It has no UI: the window and the CLI call it.
//
// Its settings live beside the books, in BOOKS.backup.json, not in the books:
// they must be readable when the books themselves are damaged.
package backup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/store"
)

// Policy defaults.
const (
	DefaultKeep    = 14                 // backups kept per books
	DailyEvery     = 24 * time.Hour     // an automatic backup when the newest is older
	FullCheckEvery = 7 * 24 * time.Hour // a full integrity_check when the last is older
)

// Why a backup was made (the last part of its file name).
const (
	Daily     = "daily"
	Manual    = "manual"
	Migration = "before-migration"
	Update    = "before-update"
)

// Settings are the owner's choices and the care schedule.
type Settings struct {
	Folder        string    `json:"folder,omitempty"` // "" is the default folder beside the books
	Keep          int       `json:"keep,omitempty"`   // 0 is DefaultKeep
	Tag           string    `json:"tag,omitempty"`    // names this books' backups (from its device id)
	LastFullCheck time.Time `json:"last_full_check,omitempty"`
}

// Manager cares for one books file.
type Manager struct {
	Books string           // path of the books file
	Now   func() time.Time // the clock; nil is time.Now
}

// New is the manager of the books at path.
func New(path string) *Manager { return &Manager{Books: path} }

func (m *Manager) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *Manager) settingsPath() string { return m.Books + ".backup.json" }

// DefaultFolder is where backups go until the owner picks a folder: a
// "backups" folder beside the books.
func (m *Manager) DefaultFolder() string { return filepath.Join(filepath.Dir(m.Books), "backups") }

// Settings reads the settings (defaults when none were saved).
func (m *Manager) Settings() (Settings, error) {
	var st Settings
	b, err := os.ReadFile(m.settingsPath())
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("read backup settings: %w", err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return Settings{}, books.Errorf(books.EINVALID, "The backup settings in %s are not readable (%v); fix or delete that file.", m.settingsPath(), err)
	}
	return st, nil
}

func (m *Manager) saveSettings(st Settings) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(m.settingsPath()), 0o700); err != nil {
		return fmt.Errorf("save backup settings: %w", err)
	}
	tmp := m.settingsPath() + ".partial"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("save backup settings: %w", err)
	}
	if err := os.Rename(tmp, m.settingsPath()); err != nil {
		return fmt.Errorf("save backup settings: %w", err)
	}
	return nil
}

func (m *Manager) update(fn func(*Settings)) error {
	st, err := m.Settings()
	if err != nil {
		return err
	}
	fn(&st)
	return m.saveSettings(st)
}

// Folder is where backups are written now.
func (m *Manager) Folder() (string, error) {
	st, err := m.Settings()
	if err != nil {
		return "", err
	}
	if st.Folder == "" {
		return m.DefaultFolder(), nil
	}
	return st.Folder, nil
}

// Keep is how many backups are kept.
func (m *Manager) Keep() int {
	st, _ := m.Settings()
	if st.Keep <= 0 {
		return DefaultKeep
	}
	return st.Keep
}

// SetFolder chooses where backups go ("" for the default) and how many are
// kept (0 for the default). The folder is made if missing and must take a
// file: a read-only or absent drive is refused with the reason.
func (m *Manager) SetFolder(dir string, keep int) error {
	if keep < 0 || keep > 1000 {
		return books.Invalid("keep", "Keep between 1 and 1000 backups (you asked for %d).", keep)
	}
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return books.Invalid("folder", "The folder %s is not a usable path: %v", dir, err)
		}
		dir = abs
		if err := writable(dir); err != nil {
			return books.Invalid("folder", "Backups cannot be written to %s: %v. Plug in the drive or pick another folder.", dir, unwrapPath(err))
		}
	}
	return m.update(func(st *Settings) { st.Folder, st.Keep = dir, keep })
}

func writable(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".naukar-probe-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Backup is one backup file.
type Backup struct {
	Path   string    `json:"path"`
	Time   time.Time `json:"time"`
	Reason string    `json:"reason"`
	Size   int64     `json:"size"`
	seq    int       // the n of a second backup within one second (name-20261120-093000-2-daily.db)
}

// newer orders backups newest first.
func newer(a, b Backup) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.After(b.Time)
	}
	return a.seq > b.seq
}

// Result is what Make did.
type Result struct {
	Backup
	Took time.Duration `json:"took_ns"`
	// Fallback is set when the chosen folder could not be written and the
	// backup went to the default folder instead: the reason.
	Fallback string `json:"fallback,omitempty"`
}

const stampLayout = "20060102-150405"

var nameRE = regexp.MustCompile(`^naukar-([0-9a-z]+)-(\d{8}-\d{6})(?:-(\d+))?-([a-z-]+)\.db$`)

// tagOf names a books' backups by the random tail of its device id, so the
// backups of two counters can share one USB drive.
func tagOf(deviceID string) string {
	id := strings.ToLower(strings.ReplaceAll(deviceID, "-", ""))
	if len(id) < 8 {
		return "books"
	}
	return id[len(id)-8:]
}

// Make backs up the open books now and prunes the oldest past Keep.
func (m *Manager) Make(ctx context.Context, st *store.Store, reason string) (Result, error) {
	tag := tagOf(st.DeviceID())
	return m.write(ctx, tag, reason, st.Backup)
}

func (m *Manager) write(ctx context.Context, tag, reason string, backup func(context.Context, string) error) (Result, error) {
	var res Result
	s, err := m.Settings()
	if err != nil {
		return res, err
	}
	dir := s.Folder
	if dir == "" {
		dir = m.DefaultFolder()
	}
	if err := writable(dir); err != nil {
		if s.Folder == "" {
			return res, fmt.Errorf("back up the books: cannot write to %s: %w", dir, unwrapPath(err))
		}
		res.Fallback = fmt.Sprintf("The backup folder %s cannot be written (%v); this backup went to %s. Plug the drive in again or pick another folder.", dir, unwrapPath(err), m.DefaultFolder())
		dir = m.DefaultFolder()
	}
	t := m.now()
	name := fmt.Sprintf("naukar-%s-%s-%s.db", tag, t.Format(stampLayout), reason)
	for i := 2; exists(filepath.Join(dir, name)); i++ {
		name = fmt.Sprintf("naukar-%s-%s-%d-%s.db", tag, t.Format(stampLayout), i, reason)
	}
	dst := filepath.Join(dir, name)
	start := time.Now()
	if err := backup(ctx, dst); err != nil {
		return res, err
	}
	res.Took = time.Since(start)
	fi, err := os.Stat(dst)
	if err != nil {
		return res, err
	}
	res.Backup = Backup{Path: dst, Time: t, Reason: reason, Size: fi.Size()}
	if s.Tag != tag {
		if err := m.update(func(st *Settings) { st.Tag = tag }); err != nil {
			return res, err
		}
	}
	keep := s.Keep
	if keep <= 0 {
		keep = DefaultKeep
	}
	return res, m.prune(dir, tag, keep)
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// prune deletes the oldest of this books' backups in dir past keep.
func (m *Manager) prune(dir, tag string, keep int) error {
	bs, err := listDir(dir, tag)
	if err != nil {
		return err
	}
	for i := keep; i < len(bs); i++ {
		if err := os.Remove(bs[i].Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove old backup: %w", err)
		}
	}
	return nil
}

// listDir lists the backups in dir (of books tag; any books when tag is
// ""), newest first.
func listDir(dir, tag string) ([]Backup, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups in %s: %w", dir, err)
	}
	var bs []Backup
	for _, e := range ents {
		mm := nameRE.FindStringSubmatch(e.Name())
		if mm == nil || e.IsDir() || (tag != "" && mm[1] != tag) {
			continue
		}
		t, err := time.ParseInLocation(stampLayout, mm[2], time.Local)
		if err != nil {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		seq, _ := strconv.Atoi(mm[3])
		bs = append(bs, Backup{Path: filepath.Join(dir, e.Name()), Time: t, Reason: mm[4], Size: info.Size(), seq: seq})
	}
	sort.SliceStable(bs, func(i, j int) bool { return newer(bs[i], bs[j]) })
	return bs, nil
}

// List lists this books' backups, newest first: in the chosen folder and in
// the default folder (where backups go while the chosen one is missing).
func (m *Manager) List() ([]Backup, error) {
	s, err := m.Settings()
	if err != nil {
		return nil, err
	}
	dirs := []string{m.DefaultFolder()}
	if s.Folder != "" && filepath.Clean(s.Folder) != filepath.Clean(m.DefaultFolder()) {
		dirs = append([]string{s.Folder}, dirs...)
	}
	var all []Backup
	for _, d := range dirs {
		bs, err := listDir(d, s.Tag)
		if err != nil && d == m.DefaultFolder() {
			return nil, err
		}
		all = append(all, bs...)
	}
	sort.SliceStable(all, func(i, j int) bool { return newer(all[i], all[j]) })
	return all, nil
}

// Due reports whether the daily backup is due: the newest backup is more
// than a day old, or there is none.
func (m *Manager) Due() (bool, error) {
	bs, err := m.List()
	if err != nil {
		return false, err
	}
	return len(bs) == 0 || m.now().Sub(bs[0].Time) >= DailyEvery, nil
}

// Open opens the books for the app or the CLI: books made by a newer app
// are refused untouched, and older books are backed up before they migrate.
func (m *Manager) Open(opt store.Options) (*store.Store, error) {
	opt.BeforeMigrate = m.BeforeMigrate
	return store.Open(m.Books, opt)
}

// BeforeMigrate backs the books up before a migration changes them (the
// store.Options hook). A failed backup stops the migration.
func (m *Manager) BeforeMigrate(ctx context.Context, mi store.MigrationInfo) error {
	_, err := m.write(ctx, tagOf(mi.DeviceID), Migration, mi.Backup)
	return err
}

// CheckResult is what the start-up check found.
type CheckResult struct {
	Full     bool
	Problems []string
	Took     time.Duration
}

// Check runs the integrity check on the open books: quick_check at every
// start, the full integrity_check when the last full one is a week old.
func (m *Manager) Check(ctx context.Context, st *store.Store) (CheckResult, error) {
	var res CheckResult
	s, err := m.Settings()
	if err != nil {
		return res, err
	}
	res.Full = m.now().Sub(s.LastFullCheck) >= FullCheckEvery
	start := time.Now()
	res.Problems, err = st.Check(ctx, res.Full)
	res.Took = time.Since(start)
	if err != nil {
		return res, err
	}
	if res.Full && len(res.Problems) == 0 {
		now := m.now()
		err = m.update(func(s *Settings) { s.LastFullCheck = now })
	}
	return res, err
}

// Candidate is a backup with what its check found.
type Candidate struct {
	Backup
	Info store.FileInfo
}

// NewestGood finds the newest backup that passes SQLite's quick_check and
// that this app can open.
func (m *Manager) NewestGood(ctx context.Context) (Candidate, error) {
	bs, err := m.List()
	if err != nil {
		return Candidate{}, err
	}
	for _, b := range bs {
		if c, err := m.vet(ctx, b); err == nil {
			return c, nil
		}
	}
	if len(bs) == 0 {
		return Candidate{}, books.Errorf(books.ENOTFOUND, "There are no backups of these books in %s.", strings.Join(m.folders(), " or "))
	}
	return Candidate{}, books.Errorf(books.ENOTFOUND, "None of the %d backups of these books passes SQLite's check; keep them and ask for help.", len(bs))
}

func (m *Manager) folders() []string {
	s, _ := m.Settings()
	if s.Folder != "" {
		return []string{s.Folder, m.DefaultFolder()}
	}
	return []string{m.DefaultFolder()}
}

// vet checks one backup: sound, and not newer than this app.
func (m *Manager) vet(ctx context.Context, b Backup) (Candidate, error) {
	info, err := store.Inspect(ctx, b.Path, false)
	if err != nil {
		return Candidate{}, err
	}
	if len(info.Problems) > 0 {
		return Candidate{}, &store.DamagedError{Path: b.Path, Problems: info.Problems}
	}
	if info.Schema > store.KnownSchema() {
		return Candidate{}, &store.TooNewError{Path: b.Path, Have: info.Schema, Known: store.KnownSchema()}
	}
	if info.Schema == 0 {
		return Candidate{}, books.Errorf(books.EINVALID, "%s is not a backup of AI Naukar books.", b.Path)
	}
	return Candidate{Backup: b, Info: info}, nil
}

// FileBackup describes a backup file given by path (any name).
func FileBackup(path string) (Backup, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return Backup{}, books.Errorf(books.ENOTFOUND, "No backup file at %s.", path)
	}
	b := Backup{Path: path, Time: fi.ModTime(), Reason: "file", Size: fi.Size()}
	if mm := nameRE.FindStringSubmatch(filepath.Base(path)); mm != nil {
		if t, err := time.ParseInLocation(stampLayout, mm[2], time.Local); err == nil {
			b.Time, b.Reason = t, mm[4]
		}
	}
	return b, nil
}

// Restored says what Restore did.
type Restored struct {
	From  Candidate
	Aside string // where the replaced books file was moved ("" if there was none)
}

// Restore puts backup b in place of the books. The books must be closed.
// The backup is checked first; the books file it replaces is moved aside
// (BOOKS.replaced-STAMP, with its -wal), never deleted.
func (m *Manager) Restore(ctx context.Context, b Backup) (Restored, error) {
	var res Restored
	c, err := m.vet(ctx, b)
	if err != nil {
		return res, fmt.Errorf("restore %s: %w", b.Path, err)
	}
	res.From = c
	if abs, _ := filepath.Abs(b.Path); abs == mustAbs(m.Books) {
		return res, books.Errorf(books.EINVALID, "%s is the books file itself, not a backup.", b.Path)
	}
	if exists(m.Books) {
		res.Aside = fmt.Sprintf("%s.replaced-%s", m.Books, m.now().Format(stampLayout))
		for i := 2; exists(res.Aside); i++ {
			res.Aside = fmt.Sprintf("%s.replaced-%s-%d", m.Books, m.now().Format(stampLayout), i)
		}
		if err := os.Rename(m.Books, res.Aside); err != nil {
			return res, books.Errorf(books.ECONFLICT, "Cannot move the current books aside (%v): close AI Naukar on this computer and try again.", unwrapPath(err))
		}
		for _, side := range []string{"-wal", "-shm"} {
			if exists(m.Books + side) {
				if err := os.Rename(m.Books+side, res.Aside+side); err != nil {
					// Put the books back as they were.
					os.Rename(res.Aside, m.Books)
					return res, books.Errorf(books.ECONFLICT, "Cannot move the current books aside (%v): close AI Naukar on this computer and try again.", unwrapPath(err))
				}
			}
		}
	}
	if err := copyDurably(b.Path, m.Books); err != nil {
		if res.Aside != "" {
			os.Rename(res.Aside, m.Books)
			os.Rename(res.Aside+"-wal", m.Books+"-wal")
		}
		return res, fmt.Errorf("restore %s: %w", b.Path, err)
	}
	return res, nil
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// copyDurably copies src to dst through a temporary file, synced, renamed.
func copyDurably(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".partial"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, dst)
}
