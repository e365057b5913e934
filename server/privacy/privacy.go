// Package privacy makes the privacy policy's rights self-service
// (DESIGN.md, "Privacy promises"): correction of the owner's and the
// business's profile, a portable export of everything the server holds
// about a business, closing the account (all devices signed out at once,
// no more sign-ins) and the purge of a closed account after PurgeAfter,
// which keeps only our billing records. The work that takes long (exports,
// purges) runs as jobs of server/jobs.
package privacy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/housekeeping"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/mail"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Defaults of Config.
const (
	// DefaultPurgeAfter is how long after closing an account its data is
	// purged. The policy promises "within 30 days"; SQLite snapshots
	// (--backup-keep × --backup-every, 48 h by default) keep a copy that
	// long after the purge, so the purge runs two days earlier.
	DefaultPurgeAfter = 28 * 24 * time.Hour
	// ExportValid is how long an export can be downloaded.
	ExportValid = 7 * 24 * time.Hour
	// PurgeEvery is how often due purges and expired exports are looked for.
	PurgeEvery = time.Hour
)

// Security-log event kinds of this package.
const (
	EventAccountCorrected  = "account_corrected"
	EventBusinessCorrected = "business_corrected"
	EventAccountClosed     = "account_closed"
	EventExportStarted     = "export_started"
	EventExportDownloaded  = "export_downloaded"
)

// Store is what the privacy rights need of the database (server/store).
type Store interface {
	Account(ctx context.Context, s core.Session) (core.Account, error)
	Business(ctx context.Context, s core.Session) (core.Business, error)
	Devices(ctx context.Context, s core.Session) ([]core.Device, error)
	LogSecurity(ctx context.Context, e core.SecurityEvent) error
	PasswordHash(ctx context.Context, accountID string) (string, error)
	UpdateAccount(ctx context.Context, accountID string, u store.AccountUpdate) error
	UpdateBusiness(ctx context.Context, businessID string, b protocol.SignupBusiness) error
	CloseAccount(ctx context.Context, s core.Session, now, purgeAt time.Time) ([]string, error)
	ClosureOf(ctx context.Context, accountID string) (store.Closure, error)
	DuePurges(ctx context.Context, now time.Time) ([]store.Closure, error)
	Purge(ctx context.Context, c store.Closure, now time.Time) error
	CreateExport(ctx context.Context, e store.Export) error
	ExportByID(ctx context.Context, businessID, id string) (store.Export, error)
	SetExportProgress(ctx context.Context, id, state string, done, total int64) error
	FinishExport(ctx context.Context, id, file string, size int64, failure string) error
	ExportFiles(ctx context.Context, accountID string) ([]string, error)
	ExpiredExports(ctx context.Context, now time.Time) ([]store.Export, error)
	DeleteExport(ctx context.Context, id string) error
	CountBusinessRows(ctx context.Context, businessID string) (int64, error)
	EachSyncRow(ctx context.Context, businessID, table string, fn func(store.SyncRow) error) error
	EachTableRow(ctx context.Context, table, businessID string, fn func(cols []string, vals []any) error) error
	AddTelemetry(ctx context.Context, s core.Session, b protocol.TelemetryBatch) error
}

// Config configures the privacy rights.
type Config struct {
	Store  Store
	Queue  *jobs.Queue
	Logger *slog.Logger     // nil: slog.Default()
	Now    func() time.Time // nil: time.Now
	// ExportDir holds the export files (several instances must share it).
	ExportDir string
	// PurgeAfter is the time from closing to the purge (default 28 days).
	PurgeAfter time.Duration
	// UsageDays and ErrorDays are how long usage events and error reports
	// are kept (the retention job deletes them; older ones sent late are
	// not stored). Defaults: housekeeping.DefaultUsageDays and
	// DefaultErrorDays.
	UsageDays, ErrorDays int
	// Mail sends the emails (closing, policy notices, product updates);
	// nil: no email is sent. The Store must then also be a MailStore.
	Mail mail.Sender
	// PublicURL is the server's address as users reach it, for the
	// unsubscribe links in emails (e.g. https://sync.example.in).
	PublicURL string
}

// Service carries out the privacy rights.
type Service struct {
	cfg Config
	log *slog.Logger
}

// ExportArgs is the job that writes one export.
type ExportArgs struct {
	BusinessID string `json:"business_id"`
	ExportID   string `json:"export_id"`
}

// Kind implements jobs.Args.
func (ExportArgs) Kind() string { return "privacy_export" }

// PurgeArgs is the periodic job that purges the closed accounts that are
// due and removes expired exports.
type PurgeArgs struct{}

// Kind implements jobs.Args.
func (PurgeArgs) Kind() string { return "privacy_purge" }

// New returns the service and registers its jobs on cfg.Queue (before the
// queue starts). With a nil Queue no job runs (the purge command).
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("privacy: no store")
	}
	if _, ok := cfg.Store.(MailStore); cfg.Mail != nil && !ok {
		return nil, errors.New("privacy: the store keeps no email records")
	}
	if cfg.ExportDir == "" {
		return nil, errors.New("privacy: no export directory")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.PurgeAfter = cmp.Or(cfg.PurgeAfter, DefaultPurgeAfter)
	cfg.UsageDays = cmp.Or(cfg.UsageDays, housekeeping.DefaultUsageDays)
	cfg.ErrorDays = cmp.Or(cfg.ErrorDays, housekeeping.DefaultErrorDays)
	s := &Service{cfg: cfg, log: cmp.Or(cfg.Logger, slog.Default()).With("component", "privacy")}
	s.registerMail()
	if cfg.Queue != nil {
		jobs.Register(cfg.Queue, jobs.Kind{Unique: true, Slow: true, Timeout: 30 * time.Minute, MaxAttempts: 5},
			func(ctx context.Context, j *jobs.Job[ExportArgs]) error {
				return s.RunExport(ctx, j.Args.BusinessID, j.Args.ExportID)
			})
		jobs.Register(cfg.Queue, jobs.Kind{Slow: true, Timeout: 50 * time.Minute, MaxAttempts: 5},
			func(ctx context.Context, j *jobs.Job[PurgeArgs]) error {
				if _, err := s.EmailNotices(ctx); err != nil {
					return err
				}
				_, err := s.PurgeDue(ctx, s.cfg.Now())
				return err
			})
		jobs.Every(cfg.Queue, PurgeEvery, PurgeArgs{})
	}
	return s, nil
}

// CorrectAccount applies a correction of the owner's profile, checked by
// the sign-up's rules, and returns the account as it is now.
func (s *Service) CorrectAccount(ctx context.Context, sess core.Session, p protocol.AccountPatch) (core.Account, error) {
	a, err := s.cfg.Store.Account(ctx, sess)
	if err != nil {
		return a, err
	}
	su := core.Signup{Owner: protocol.SignupOwner{Name: a.Name, Email: a.Email, Phone: a.Phone}}
	if p.Name != nil {
		su.Owner.Name = *p.Name
	}
	if p.Email != nil {
		su.Owner.Email = *p.Email
	}
	if p.Phone != nil {
		su.Owner.Phone = *p.Phone
	}
	su.Normalize()
	if err := su.ValidateOwner(); err != nil {
		return a, err
	}
	if err := s.cfg.Store.UpdateAccount(ctx, sess.AccountID, store.AccountUpdate{Name: su.Owner.Name,
		Email: su.Owner.Email, Phone: su.Owner.Phone}); err != nil {
		return a, err
	}
	return s.cfg.Store.Account(ctx, sess)
}

// CorrectBusiness applies a correction of the business profile (GSTIN and
// state by the app's rules) and returns the business as it is now.
func (s *Service) CorrectBusiness(ctx context.Context, sess core.Session, p protocol.BusinessPatch) (core.Business, error) {
	b, err := s.cfg.Store.Business(ctx, sess)
	if err != nil {
		return b, err
	}
	if err := s.ownerOnly(b, sess); err != nil {
		return b, err
	}
	su := core.Signup{Business: b.SignupBusiness}
	for _, f := range []struct {
		v   *string
		dst *string
	}{{p.Name, &su.Business.Name}, {p.GSTIN, &su.Business.GSTIN}, {p.StateCode, &su.Business.StateCode},
		{p.Address, &su.Business.Address}, {p.City, &su.Business.City}, {p.Category, &su.Business.Category}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if p.GSTIN != nil && p.StateCode == nil && *p.GSTIN != "" {
		su.Business.StateCode = "" // taken from the new GSTIN
	}
	su.Normalize()
	if err := su.ValidateBusiness(); err != nil {
		return b, err
	}
	if err := s.cfg.Store.UpdateBusiness(ctx, sess.BusinessID, su.Business); err != nil {
		return b, err
	}
	return s.cfg.Store.Business(ctx, sess)
}

func (s *Service) ownerOnly(b core.Business, sess core.Session) error {
	if b.AccountID != sess.AccountID {
		return core.Errorf(protocol.CodeForbidden, "Only the owner of the business can do this.")
	}
	return nil
}

// CloseAccount closes the owner's account after checking the password: all
// its devices are signed out at once, it cannot sign in again, and its data
// is purged after PurgeAfter. It returns the devices signed out (for the
// session cache) and the closure.
func (s *Service) CloseAccount(ctx context.Context, sess core.Session, password string) ([]string, store.Closure, error) {
	b, err := s.cfg.Store.Business(ctx, sess)
	if err != nil {
		return nil, store.Closure{}, err
	}
	if err := s.ownerOnly(b, sess); err != nil {
		return nil, store.Closure{}, err
	}
	hash, err := s.cfg.Store.PasswordHash(ctx, sess.AccountID)
	if err != nil {
		return nil, store.Closure{}, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return nil, store.Closure{}, core.Errorf(protocol.CodeUnauthorized, "The password is wrong. Type the password you sign in with to close the account.")
	}
	now := s.cfg.Now()
	devices, err := s.cfg.Store.CloseAccount(ctx, sess, now, now.Add(s.cfg.PurgeAfter))
	if err != nil {
		return nil, store.Closure{}, err
	}
	c, err := s.cfg.Store.ClosureOf(ctx, sess.AccountID)
	if err != nil {
		return devices, c, err
	}
	if err := s.queueEmail(context.WithoutCancel(ctx), EmailArgs{Mail: MailAccountClosed, AccountID: sess.AccountID,
		Ref: strconv.FormatInt(c.ClosedAt.UnixMilli(), 10)}); err != nil {
		s.log.Error("account closed, but its confirmation email could not be queued", "account", sess.AccountID, "err", err)
	}
	s.log.Info("account closed", "account", sess.AccountID, "purge_at", c.PurgeAt.UTC().Format(time.RFC3339))
	return devices, c, nil
}

// PurgeDue purges every closed account whose purge is due at now and
// removes expired exports. It returns the accounts purged.
func (s *Service) PurgeDue(ctx context.Context, now time.Time) ([]string, error) {
	if err := s.removeExpiredExports(ctx, now); err != nil {
		return nil, err
	}
	due, err := s.cfg.Store.DuePurges(ctx, now)
	if err != nil {
		return nil, err
	}
	var purged []string
	for _, c := range due {
		files, err := s.cfg.Store.ExportFiles(ctx, c.AccountID)
		if err != nil {
			return purged, err
		}
		for _, f := range files {
			if err := removeFile(s.cfg.ExportDir, f); err != nil {
				return purged, err
			}
		}
		if err := s.cfg.Store.Purge(ctx, c, now); err != nil {
			return purged, fmt.Errorf("purge account %s: %w", c.AccountID, err)
		}
		s.log.Info("closed account purged", "account", c.AccountID, "closed_at", c.ClosedAt.UTC().Format(time.RFC3339))
		purged = append(purged, c.AccountID)
	}
	return purged, nil
}

func (s *Service) removeExpiredExports(ctx context.Context, now time.Time) error {
	old, err := s.cfg.Store.ExpiredExports(ctx, now)
	if err != nil {
		return err
	}
	for _, e := range old {
		if e.File != "" {
			if err := removeFile(s.cfg.ExportDir, e.File); err != nil {
				return err
			}
		}
		if err := s.cfg.Store.DeleteExport(ctx, e.ID); err != nil {
			return err
		}
	}
	return nil
}

// removeFile removes an export file (a name inside dir) and its partial.
func removeFile(dir, name string) error {
	for _, f := range []string{name, name + ".partial"} {
		err := os.Remove(filepath.Join(dir, filepath.Base(f)))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove export file: %w", err)
		}
	}
	return nil
}

// StartExport records a new export of the session's business and queues
// the job that writes it.
func (s *Service) StartExport(ctx context.Context, sess core.Session) (string, error) {
	b, err := s.cfg.Store.Business(ctx, sess)
	if err != nil {
		return "", err
	}
	if err := s.ownerOnly(b, sess); err != nil {
		return "", err
	}
	if s.cfg.Queue == nil {
		return "", core.Errorf(protocol.CodeNotConfig, "Exports are not available on this server.")
	}
	now := s.cfg.Now()
	id := uuid.Must(uuid.NewV7()).String()
	if err := s.cfg.Store.CreateExport(ctx, store.Export{ID: id, BusinessID: sess.BusinessID, AccountID: sess.AccountID,
		CreatedAt: now, ExpiresAt: now.Add(ExportValid)}); err != nil {
		return "", err
	}
	if _, err := s.cfg.Queue.Enqueue(ctx, ExportArgs{BusinessID: sess.BusinessID, ExportID: id}); err != nil {
		return "", err
	}
	return id, nil
}

// Export returns an export of the session's business; an expired one is
// not_found.
func (s *Service) Export(ctx context.Context, sess core.Session, id string) (store.Export, error) {
	if _, err := uuid.Parse(id); err != nil {
		return store.Export{}, core.Errorf(protocol.CodeNotFound, "No export %s.", id)
	}
	e, err := s.cfg.Store.ExportByID(ctx, sess.BusinessID, id)
	if err != nil {
		return e, err
	}
	if !s.cfg.Now().Before(e.ExpiresAt) {
		return e, core.Errorf(protocol.CodeNotFound, "This export expired on %s (exports can be downloaded for 7 days). Start a new export.",
			e.ExpiresAt.Format("02-01-2006"))
	}
	return e, nil
}

// ExportPath is where an export's finished file is.
func (s *Service) ExportPath(e store.Export) string {
	return filepath.Join(s.cfg.ExportDir, filepath.Base(e.File))
}

// Status is the wire form of an export's state.
func Status(e store.Export) protocol.ExportStatus {
	return protocol.ExportStatus{ID: e.ID, State: e.State, Done: e.Done, Total: e.Total, Size: e.Size, Error: e.Error,
		CreatedAt: e.CreatedAt, ExpiresAt: e.ExpiresAt}
}
