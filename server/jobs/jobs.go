// Package jobs runs the server's durable background work: WhatsApp sends,
// webhook follow-ups, exports, purges, emails, retention and backups. Jobs
// live in the server's own database (River, on SQLite or PostgreSQL), so
// they survive a crash or a kill -9, are retried with backoff when they
// fail, can be made unique by a business key, and each runs on one
// instance at a time however many instances share the database.
//
// A job kind is a struct of arguments with a Kind method, registered once
// with the function that does the work:
//
//	type SendArgs struct {
//		BusinessID string `json:"business_id" river:"unique"`
//		MessageID  string `json:"message_id" river:"unique"`
//	}
//
//	func (SendArgs) Kind() string { return "whatsapp_send" }
//
//	jobs.Register(q, jobs.Kind{Unique: true, MaxAttempts: 8}, func(ctx context.Context, j *jobs.Job[SendArgs]) error {
//		return send(ctx, j.Args)
//	})
//	...
//	q.Enqueue(ctx, SendArgs{BusinessID: b, MessageID: m})
//
// A job runs at least once: a worker that returns an error, panics, runs
// past its Timeout or dies with its process is tried again. Its effect must
// therefore be idempotent by its business key (a row keyed by it, a
// provider's idempotency key); Unique kinds make sure no second job with
// the same key is waiting or running meanwhile. See server/README.md,
// "Jobs".
package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/ainaukar/naukar/server/store"
)

// Args are a job's arguments: a struct that encodes to JSON, with a Kind
// that names the job kind (lower case letters, digits and _; stored with
// every job, so never rename one that has been deployed).
type Args = river.JobArgs

// Job is a job being worked: its Args, and ID, Attempt (1 on the first
// try), MaxAttempts, CreatedAt and ScheduledAt among other fields.
type Job[T Args] = river.Job[T]

// Kind holds what is decided once per job kind.
type Kind struct {
	// MaxAttempts is how many times a failing job is tried before it is
	// given up (kept as "discarded" and logged). Default 10: with the
	// default backoff the last try is about 4 h 15 min after the first.
	MaxAttempts int
	// Timeout cancels a try's context after this long (the try then counts
	// as failed). Default 1 minute. It must be shorter than
	// Config.RescueAfter.
	Timeout time.Duration
	// Backoff gives the wait before try attempt+1 after try attempt failed.
	// Default: attempt⁴ seconds plus up to 10% jitter (1 s, 16 s, 81 s,
	// 4 min 16 s, 10 min 25 s, ...).
	Backoff func(attempt int) time.Duration
	// Unique makes Enqueue a no-op (Enqueued.Duplicate) while another job
	// of this kind with the same business key is scheduled, waiting,
	// running, waiting for a retry, or completed within the last 24 h. The
	// business key is the Args fields tagged `river:"unique"` (all fields
	// when none is tagged).
	Unique bool
	// Per, with Unique, adds the time bucket of this length (from the Unix
	// epoch, UTC) to the business key: at most one job per key per hour,
	// say; at least a second. Every sets it to the job's interval.
	Per time.Duration
	// Slow runs the kind in the slow lane: one job at a time per instance,
	// so that a long backup or export never holds up sends.
	Slow bool
}

// Config configures a Queue.
type Config struct {
	Logger *slog.Logger // nil: slog.Default()
	// ID names this instance among those sharing the database, in job
	// attempts and leader election. It must differ between instances that
	// run at the same time; a restarted instance should keep its ID (the
	// default of cmd/naukar-server is host name and listen address), so
	// that at start it takes back at once the jobs its killed predecessor
	// left running. Default: host name and process id.
	ID string
	// Workers bounds the jobs this instance runs at once (default 10), not
	// counting the slow lane's one. An instance takes up to this many due
	// jobs every 100 ms, so it also bounds throughput (10: 100 jobs/s).
	Workers int
	// PollInterval is how often an idle instance looks for due jobs
	// (default 1 s). On PostgreSQL a new job is also announced to every
	// instance (LISTEN/NOTIFY) and starts at once.
	PollInterval time.Duration
	// RescueAfter is how long after its start a job still marked running
	// (its instance died) is given to another instance to retry (default
	// 1 h). It must exceed every kind's Timeout.
	RescueAfter time.Duration
	// SoleInstance says no other process runs jobs on this database (the
	// SQLite store, whose data directory is locked by the server): at start
	// every job left running, and the leadership, are taken back at once.
	SoleInstance bool
}

// Queue is the job queue of one server instance.
type Queue struct {
	db      *store.DB
	cfg     Config
	log     *slog.Logger
	workers *river.Workers

	mu       sync.Mutex
	kinds    map[string]Kind
	periodic []*river.PeriodicJob
	maxEvery time.Duration
	errs     []error
	client   client
}

// client is what Queue uses of a River client, whichever its driver.
type client interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error)
}

const (
	defaultQueue = river.QueueDefault
	slowQueue    = "slow"
)

// New returns the queue of the store's database. Register kinds and
// periodic jobs, then Start it.
func New(db *store.DB, cfg Config) *Queue {
	if cfg.ID == "" {
		host, _ := os.Hostname()
		cfg.ID = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	cfg.ID = cleanID(cfg.ID)
	cfg.Workers = cmp.Or(cfg.Workers, 10)
	cfg.PollInterval = cmp.Or(cfg.PollInterval, time.Second)
	cfg.RescueAfter = cmp.Or(cfg.RescueAfter, time.Hour)
	log := cmp.Or(cfg.Logger, slog.Default())
	return &Queue{db: db, cfg: cfg, log: log.With("component", "jobs"), workers: river.NewWorkers(), kinds: map[string]Kind{}}
}

var notID = regexp.MustCompile(`[^A-Za-z0-9_.:/-]+`)

func cleanID(id string) string {
	id = notID.ReplaceAllString(id, "_")
	if len(id) > 100 {
		id = id[:100]
	}
	return id
}

// ID returns the instance's name in job attempts.
func (q *Queue) ID() string { return q.cfg.ID }

// Register adds a job kind and the function that works it. Call it before
// Start, once per kind (a kind whose Timeout is not below
// Config.RescueAfter makes Start fail). work returns nil when done; an error (or a panic,
// or running past the Timeout) fails the try, which is retried after the
// kind's Backoff until MaxAttempts; Permanent(err) gives up at once.
func Register[T Args](q *Queue, kind Kind, work func(ctx context.Context, job *Job[T]) error) {
	var zero T
	name := zero.Kind()
	kind.MaxAttempts = cmp.Or(kind.MaxAttempts, 10)
	kind.Timeout = cmp.Or(kind.Timeout, time.Minute)
	q.mu.Lock()
	defer q.mu.Unlock()
	// Settings that may come from the operator are reported by Start.
	if kind.Timeout >= q.cfg.RescueAfter {
		q.errs = append(q.errs, fmt.Errorf("job kind %s runs for up to %s, so the rescue time (%s) must be longer",
			name, kind.Timeout, q.cfg.RescueAfter))
	}
	if kind.Per != 0 && kind.Per < time.Second {
		q.errs = append(q.errs, fmt.Errorf("job kind %s: Per must be at least a second", name))
	}
	if q.client != nil {
		panic("jobs: Register after Start")
	}
	if _, dup := q.kinds[name]; dup {
		panic("jobs: kind registered twice: " + name)
	}
	q.kinds[name] = kind
	river.AddWorker(q.workers, &worker[T]{kind: kind, work: work, log: q.log})
}

// worker adapts a work function to River.
type worker[T Args] struct {
	river.WorkerDefaults[T]
	kind Kind
	work func(ctx context.Context, job *Job[T]) error
	log  *slog.Logger
}

func (w *worker[T]) Work(ctx context.Context, job *Job[T]) error {
	start := time.Now()
	err := w.work(ctx, job)
	var snooze *river.JobSnoozeError
	if errors.As(err, &snooze) {
		w.log.Debug("job snoozed", "kind", job.Kind, "job", job.ID, "for", snooze.Duration)
		return err
	}
	if err != nil {
		// The error goes to the log and the job row: workers must keep
		// secrets and message bodies out of their errors.
		w.log.Warn("job failed", "kind", job.Kind, "job", job.ID, "attempt", job.Attempt,
			"max_attempts", job.MaxAttempts, "dur_ms", time.Since(start).Milliseconds(), "err", err)
		return err
	}
	w.log.Debug("job done", "kind", job.Kind, "job", job.ID, "attempt", job.Attempt, "dur_ms", time.Since(start).Milliseconds())
	return nil
}

func (w *worker[T]) Timeout(*Job[T]) time.Duration { return w.kind.Timeout }

func (w *worker[T]) NextRetry(job *Job[T]) time.Time {
	if w.kind.Backoff == nil {
		return time.Time{} // River's attempt⁴ seconds with jitter
	}
	return time.Now().Add(w.kind.Backoff(job.Attempt))
}

// Permanent marks err as one that no retry can fix: the job is given up
// (kept as "cancelled") instead of tried again.
func Permanent(err error) error { return river.JobCancel(err) }

// Every runs a job with args every interval, on one instance (the elected
// leader) however many share the database, the first time when the queue
// starts. The kind must be registered; its uniqueness is by interval bucket
// whatever the Kind says, so that a new leader (after a restart or a
// failover) does not run it a second time in the same bucket.
func Every(q *Queue, interval time.Duration, args Args) {
	if interval < time.Second {
		panic("jobs: Every needs an interval of a second or more")
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.client != nil {
		panic("jobs: Every after Start")
	}
	kind, ok := q.kinds[args.Kind()]
	if !ok {
		panic("jobs: Every for a kind not registered: " + args.Kind())
	}
	kind.Unique, kind.Per = true, interval
	opts := insertOpts(kind)
	q.periodic = append(q.periodic, river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return args, opts },
		&river.PeriodicJobOpts{ID: args.Kind(), RunOnStart: true}))
	q.maxEvery = max(q.maxEvery, interval)
}

func insertOpts(k Kind) *river.InsertOpts {
	o := &river.InsertOpts{MaxAttempts: k.MaxAttempts, Queue: defaultQueue}
	if k.Slow {
		o.Queue = slowQueue
	}
	if k.Unique {
		o.UniqueOpts = river.UniqueOpts{ByArgs: true, ByPeriod: k.Per}
	}
	return o
}

// Start migrates nothing (the store did), takes back what a killed
// predecessor left (see Config.ID and SoleInstance) and starts working
// jobs. Stop it before closing the store.
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.client != nil {
		return errors.New("jobs: already started")
	}
	if err := errors.Join(q.errs...); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	if err := q.recover(ctx); err != nil {
		return err
	}
	rc := &river.Config{
		ID:                   q.cfg.ID,
		Logger:               slog.New(warnOnly{q.log.Handler()}),
		Workers:              q.workers,
		PeriodicJobs:         q.periodic,
		FetchPollInterval:    q.cfg.PollInterval,
		FetchCooldown:        min(100*time.Millisecond, q.cfg.PollInterval),
		RescueStuckJobsAfter: q.cfg.RescueAfter,
		MaxAttempts:          10,
		// Unique periodic jobs stay unique while their completed row is kept.
		CompletedJobRetentionPeriod: max(24*time.Hour, q.maxEvery+time.Hour),
		Queues: map[string]river.QueueConfig{
			defaultQueue: {MaxWorkers: q.cfg.Workers},
			slowQueue:    {MaxWorkers: 1},
		},
	}
	var err error
	if w := q.db.JobsSQLite(); w != nil {
		// SQLite has no LISTEN: every instance polls (there is one).
		rc.PollOnly = true
		q.client, err = river.NewClient[*sql.Tx](riversqlite.New(w), rc)
	} else {
		pool, schema := q.db.JobsPostgres()
		rc.Schema = schema
		q.client, err = river.NewClient[pgx.Tx](riverpgxv5.New(pool), rc)
	}
	if err != nil {
		q.client = nil
		return fmt.Errorf("jobs: %w", err)
	}
	if err := q.client.Start(ctx); err != nil {
		q.client = nil
		return fmt.Errorf("jobs: start: %w", err)
	}
	q.log.Info("job queue started", "instance", q.cfg.ID, "kinds", len(q.kinds), "periodic", len(q.periodic))
	return nil
}

// recover takes back what an earlier process with this queue's ID (or,
// with SoleInstance, any earlier process) left behind when it was killed:
// jobs it was running go back to waiting at once, and its leadership is
// released, instead of both waiting to time out.
func (q *Queue) recover(ctx context.Context) error {
	var res sql.Result
	var n int64
	if w := q.db.JobsSQLite(); w != nil {
		if !q.cfg.SoleInstance {
			return nil
		}
		if _, err := w.ExecContext(ctx, `DELETE FROM river_leader`); err != nil {
			return fmt.Errorf("jobs: recover: %w", err)
		}
		var err error
		res, err = w.ExecContext(ctx, `UPDATE river_job SET state = 'available' WHERE state = 'running'`)
		if err != nil {
			return fmt.Errorf("jobs: recover: %w", err)
		}
		n, _ = res.RowsAffected()
	} else {
		pool, schema := q.db.JobsPostgres()
		s := pgx.Identifier{schema}.Sanitize() + "."
		// With SoleInstance every instance is this one ($2).
		if _, err := pool.Exec(ctx, `DELETE FROM `+s+`river_leader WHERE leader_id = $1 OR $2`,
			q.cfg.ID, q.cfg.SoleInstance); err != nil {
			return fmt.Errorf("jobs: recover: %w", err)
		}
		tag, err := pool.Exec(ctx, `UPDATE `+s+`river_job SET state = 'available'
			WHERE state = 'running' AND (attempted_by[array_length(attempted_by, 1)] = $1 OR $2)`,
			q.cfg.ID, q.cfg.SoleInstance)
		if err != nil {
			return fmt.Errorf("jobs: recover: %w", err)
		}
		n = tag.RowsAffected()
	}
	if n > 0 {
		q.log.Warn("jobs left running by a stopped instance will run again", "jobs", n, "instance", q.cfg.ID)
	}
	return nil
}

// Stop stops taking jobs and waits for the running ones until ctx ends,
// then cancels them (a cancelled try is retried later).
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	c := q.client
	q.mu.Unlock()
	if c == nil {
		return nil
	}
	err := c.Stop(ctx)
	if err != nil && ctx.Err() != nil {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = c.StopAndCancel(cctx)
	}
	return err
}

// Enqueued says what Enqueue did.
type Enqueued struct {
	ID int64
	// Duplicate: the kind is Unique and a job with the same key already
	// exists (ID is that job's); nothing was added.
	Duplicate bool
}

// Option changes one Enqueue.
type Option func(*river.InsertOpts)

// At runs the job no earlier than t.
func At(t time.Time) Option { return func(o *river.InsertOpts) { o.ScheduledAt = t } }

// In runs the job no earlier than d from now.
func In(d time.Duration) Option { return At(time.Now().Add(d)) }

// Enqueue adds a job of a registered kind; it is durable once Enqueue
// returns. The queue must be started.
func (q *Queue) Enqueue(ctx context.Context, args Args, opts ...Option) (Enqueued, error) {
	q.mu.Lock()
	c := q.client
	kind, ok := q.kinds[args.Kind()]
	q.mu.Unlock()
	if !ok {
		return Enqueued{}, fmt.Errorf("enqueue %s: kind not registered", args.Kind())
	}
	if c == nil {
		return Enqueued{}, fmt.Errorf("enqueue %s: the job queue is not started", args.Kind())
	}
	o := insertOpts(kind)
	for _, opt := range opts {
		opt(o)
	}
	res, err := c.Insert(ctx, args, o)
	if err != nil {
		return Enqueued{}, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return Enqueued{ID: res.Job.ID, Duplicate: res.UniqueSkippedAsDuplicate}, nil
}

// EnqueueMany adds many jobs of registered kinds in one statement (a push
// bringing hundreds of message requests); Unique kinds skip the
// duplicates as Enqueue does. It returns how many were added.
func (q *Queue) EnqueueMany(ctx context.Context, args []Args) (int, error) {
	if len(args) == 0 {
		return 0, nil
	}
	q.mu.Lock()
	c := q.client
	params := make([]river.InsertManyParams, len(args))
	for i, a := range args {
		kind, ok := q.kinds[a.Kind()]
		if !ok {
			q.mu.Unlock()
			return 0, fmt.Errorf("enqueue %s: kind not registered", a.Kind())
		}
		params[i] = river.InsertManyParams{Args: a, InsertOpts: insertOpts(kind)}
	}
	q.mu.Unlock()
	if c == nil {
		return 0, errors.New("enqueue: the job queue is not started")
	}
	res, err := c.InsertMany(ctx, params)
	if err != nil {
		return 0, fmt.Errorf("enqueue %d jobs: %w", len(args), err)
	}
	n := 0
	for _, r := range res {
		if !r.UniqueSkippedAsDuplicate {
			n++
		}
	}
	return n, nil
}

// State is a job's state as Lookup finds it.
type State struct {
	// State is one of scheduled, available, running, retryable (waiting
	// for its next try), completed, cancelled (Permanent) or discarded
	// (out of attempts).
	State   string
	Attempt int
	// Errors holds the error of each failed try, oldest first.
	Errors []string
}

// Lookup returns the state of job id (as Enqueue returned it). Finished
// jobs are kept for 24 hours (longer for the longest periodic interval).
func (q *Queue) Lookup(ctx context.Context, id int64) (State, error) {
	q.mu.Lock()
	c := q.client
	q.mu.Unlock()
	if c == nil {
		return State{}, errors.New("jobs: the job queue is not started")
	}
	j, err := c.JobGet(ctx, id)
	if err != nil {
		return State{}, fmt.Errorf("job %d: %w", id, err)
	}
	st := State{State: string(j.State), Attempt: j.Attempt}
	for _, e := range j.Errors {
		st.Errors = append(st.Errors, e.Error)
	}
	return st, nil
}

// warnOnly passes River's own log lines at warning and above: its
// informational lines (elections, starts, stats) are noise in the server's
// log.
type warnOnly struct{ slog.Handler }

func (h warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}

func (h warnOnly) WithAttrs(a []slog.Attr) slog.Handler { return warnOnly{h.Handler.WithAttrs(a)} }
func (h warnOnly) WithGroup(n string) slog.Handler      { return warnOnly{h.Handler.WithGroup(n)} }

// Snooze puts the job off for d without counting a try (a send waiting for
// a free slot under a rate limit): return it from the work function.
func Snooze(d time.Duration) error { return river.JobSnooze(max(d, 0)) }
