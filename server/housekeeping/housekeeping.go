// Package housekeeping holds the server's own periodic jobs, run by the
// job queue (server/jobs): SQLite snapshots and retention of the security
// log, push rejections, usage events and error reports.
//
// The WAL checkpoint of the SQLite store is not a job: it runs every
// 500 ms on a connection of the process that owns the file (store's
// checkpointLoop). A job per checkpoint would add two writes to the WAL it
// is trying to shorten, River's periodic jobs run at most once a second
// and on whichever instance leads, and a missed checkpoint loses nothing:
// it is per-process upkeep, not durable work.
package housekeeping

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/store"
)

// Defaults of Config.
const (
	// DefaultRetentionDays is how long security-log events and push
	// rejections are kept.
	DefaultRetentionDays = 180
	// RejectionsPerDevice is how many of each device's newest rejections
	// are kept whatever their age: pulls return only the newest 1000.
	RejectionsPerDevice = 1000
	// DefaultUsageDays is how long usage events from the app are kept.
	DefaultUsageDays = 90
	// DefaultErrorDays is how long error reports from the app are kept.
	DefaultErrorDays = 30
	// RetentionEvery is how often retention runs.
	RetentionEvery = 24 * time.Hour
)

// Config configures the housekeeping jobs.
type Config struct {
	DB     *store.DB
	Logger *slog.Logger     // nil: slog.Default()
	Now    func() time.Time // nil: time.Now

	// BackupDir, when set (SQLite only), receives a snapshot every
	// BackupEvery (at least a minute; default 1 h), the newest BackupKeep
	// (default 48) kept.
	BackupDir   string
	BackupEvery time.Duration
	BackupKeep  int

	// RetentionDays: security-log events and push rejections older than
	// this many days are deleted once a day (default 180).
	RetentionDays int
	// UsageDays and ErrorDays: usage events and error reports older than
	// this are deleted by the same job (defaults 90 and 30).
	UsageDays, ErrorDays int
}

// BackupArgs is the job that writes one SQLite snapshot.
type BackupArgs struct{}

// Kind implements jobs.Args.
func (BackupArgs) Kind() string { return "sqlite_backup" }

// RetentionArgs is the job that deletes what is older than the retention
// limit.
type RetentionArgs struct{}

// Kind implements jobs.Args.
func (RetentionArgs) Kind() string { return "retention" }

// Housekeeper does the work of the housekeeping jobs.
type Housekeeper struct {
	cfg Config
	log *slog.Logger
}

// Register adds the housekeeping job kinds and their schedules to q.
func Register(q *jobs.Queue, cfg Config) (*Housekeeper, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.RetentionDays = cmp.Or(cfg.RetentionDays, DefaultRetentionDays)
	cfg.UsageDays = cmp.Or(cfg.UsageDays, DefaultUsageDays)
	cfg.ErrorDays = cmp.Or(cfg.ErrorDays, DefaultErrorDays)
	cfg.BackupEvery = max(cmp.Or(cfg.BackupEvery, time.Hour), time.Minute)
	cfg.BackupKeep = cmp.Or(cfg.BackupKeep, 48)
	if cfg.RetentionDays < 1 || cfg.UsageDays < 1 || cfg.ErrorDays < 1 {
		return nil, errors.New("retention: keep at least one day")
	}
	h := &Housekeeper{cfg: cfg, log: cmp.Or(cfg.Logger, slog.Default())}
	// Both are slow-lane kinds: long runs must not hold up other jobs.
	jobs.Register(q, jobs.Kind{Slow: true, Timeout: 30 * time.Minute, MaxAttempts: 5},
		func(ctx context.Context, j *jobs.Job[RetentionArgs]) error {
			_, err := h.Retain(ctx)
			return err
		})
	jobs.Every(q, RetentionEvery, RetentionArgs{})
	if cfg.BackupDir != "" {
		if cfg.DB.Dialect() != "sqlite" {
			return nil, errors.New("backups: --backup-dir works with the SQLite store; back up PostgreSQL with pg_dump (server/README.md, Deploying)")
		}
		jobs.Register(q, jobs.Kind{Slow: true, Timeout: 30 * time.Minute, MaxAttempts: 3},
			func(ctx context.Context, j *jobs.Job[BackupArgs]) error {
				return h.Backup(ctx, j.ScheduledAt)
			})
		jobs.Every(q, cfg.BackupEvery, BackupArgs{})
	}
	return h, nil
}

// Pruned counts what a retention run deleted.
type Pruned struct {
	SecurityEvents, Rejections int64
	Before                     time.Time
	UsageEvents, ErrorReports  int64
}

// Retain deletes security-log events and push rejections older than the
// retention limit (and rejections beyond each device's newest
// RejectionsPerDevice), usage events older than UsageDays and error
// reports older than ErrorDays. Deleting is idempotent: a run cut short and run
// again deletes the rest.
func (h *Housekeeper) Retain(ctx context.Context) (Pruned, error) {
	p := Pruned{Before: h.cfg.Now().Add(-time.Duration(h.cfg.RetentionDays) * 24 * time.Hour)}
	var err error
	if p.SecurityEvents, err = h.cfg.DB.PruneSecurityEvents(ctx, p.Before); err != nil {
		return p, err
	}
	if p.Rejections, err = h.cfg.DB.PruneRejections(ctx, p.Before, RejectionsPerDevice); err != nil {
		return p, err
	}
	now := h.cfg.Now()
	if p.UsageEvents, err = h.cfg.DB.PruneUsageEvents(ctx, now.AddDate(0, 0, -h.cfg.UsageDays)); err != nil {
		return p, err
	}
	if p.ErrorReports, err = h.cfg.DB.PruneErrorReports(ctx, now.AddDate(0, 0, -h.cfg.ErrorDays)); err != nil {
		return p, err
	}
	h.log.Info("retention", "before", p.Before.UTC().Format(time.RFC3339), "security_events", p.SecurityEvents,
		"rejections", p.Rejections, "usage_events", p.UsageEvents, "error_reports", p.ErrorReports)
	return p, nil
}

// Backup writes the snapshot of the run scheduled at (its name holds that
// time, so a run retried after a crash writes the same file, not a second
// one) and keeps the newest BackupKeep.
func (h *Housekeeper) Backup(ctx context.Context, scheduled time.Time) error {
	start := time.Now()
	file, err := h.cfg.DB.RotateBackup(ctx, h.cfg.BackupDir, h.cfg.BackupKeep, scheduled)
	if err != nil {
		return err
	}
	h.log.Info("backup written", "file", file, "dur_ms", time.Since(start).Milliseconds())
	return nil
}
