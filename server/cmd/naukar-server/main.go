// Command naukar-server is the AI Naukar sync server.
//
//	naukar-server [serve] [flags]       run the server (default)
//	naukar-server restore --data DIR --from FILE
//	                                    restore a SQLite backup and start a new epoch
//	naukar-server backup --data DIR --to FILE
//	                                    write one SQLite snapshot now
//	naukar-server purge [--now RFC3339] purge the closed accounts that are due
//	naukar-server notify-policy --version V --summary FILE
//	                                    tell every open account of a policy change (email, in-app notice)
//	naukar-server send-update --version V --summary FILE [--subject S]
//	                                    product update email to those who did not opt out
//	naukar-server load --url URL        load-test a server on loopback
//	naukar-server load --stores sqlite,postgres
//	                                    start a server per store and compare
//	naukar-server billing sync-plans    create the paid plans at Razorpay
//	naukar-server --version             print the version
//
// See server/README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ainaukar/naukar/app/version"
	"github.com/ainaukar/naukar/server/accountweb"
	"github.com/ainaukar/naukar/server/ai"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/billing"
	"github.com/ainaukar/naukar/server/billing/razorpay"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/housekeeping"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/mail"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/privacy"
	"github.com/ainaukar/naukar/server/secrets"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/whatsapp"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && (args[0] == "--version" || args[0] == "version") {
		fmt.Println(version.String("naukar-server"))
		return
	}
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(args)
	case "restore":
		err = restore(args)
	case "backup":
		err = backup(args)
	case "load":
		err = runLoad(args)
	case "billing":
		err = billingCmd(args)
	case "purge":
		err = purge(args)
	case "notify-policy":
		err = notify(args, privacy.MailPolicy)
	case "send-update":
		err = notify(args, privacy.MailUpdate)
	default:
		err = fmt.Errorf("unknown command %q (serve, restore, backup, purge, notify-policy, send-update, billing, load)", cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "naukar-server:", err)
		os.Exit(1)
	}
}

// env returns the environment variable or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, ok := os.LookupEnv(name); ok {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}

func envInt(name string, def int) int {
	if v, ok := os.LookupEnv(name); ok {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

func newLogger(level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l})), nil
}

// openStore opens PostgreSQL when DATABASE_URL is set, else SQLite in dataDir.
func openStore(ctx context.Context, dataDir string) (*store.DB, error) {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return store.OpenPostgres(ctx, u)
	}
	return store.OpenSQLite(ctx, dataDir)
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	addr := fs.String("addr", env("NAUKAR_ADDR", "127.0.0.1:8080"), "listen address (env NAUKAR_ADDR)")
	data := fs.String("data", env("NAUKAR_DATA", "data"), "SQLite data directory, used when DATABASE_URL is not set (env NAUKAR_DATA)")
	tlsCert := fs.String("tls-cert", env("NAUKAR_TLS_CERT", ""), "TLS certificate file (env NAUKAR_TLS_CERT)")
	tlsKey := fs.String("tls-key", env("NAUKAR_TLS_KEY", ""), "TLS key file (env NAUKAR_TLS_KEY)")
	logLevel := fs.String("log-level", env("NAUKAR_LOG_LEVEL", "info"), "debug, info, warn or error (env NAUKAR_LOG_LEVEL)")
	backupDir := fs.String("backup-dir", env("NAUKAR_BACKUP_DIR", ""), "write SQLite snapshots here (env NAUKAR_BACKUP_DIR)")
	backupEvery := fs.Duration("backup-every", envDuration("NAUKAR_BACKUP_EVERY", time.Hour), "time between snapshots (env NAUKAR_BACKUP_EVERY)")
	backupKeep := fs.Int("backup-keep", envInt("NAUKAR_BACKUP_KEEP", 48), "snapshots to keep (env NAUKAR_BACKUP_KEEP)")
	newEpoch := fs.Bool("new-epoch", false, "start a new epoch before serving (after restoring the database by other means, e.g. pg_restore)")
	updatesDir := fs.String("updates-dir", env("NAUKAR_UPDATES_DIR", ""), "serve the app's release files (make dist's dist/) at /v1/updates/ (env NAUKAR_UPDATES_DIR)")
	trustProxy := fs.Bool("trust-proxy", env("NAUKAR_TRUST_PROXY", "") == "1", "trust a reverse proxy on loopback: take client IPs from its X-Forwarded-For (env NAUKAR_TRUST_PROXY=1)")
	signupsPerHour := fs.Int("signups-per-hour", envInt("NAUKAR_SIGNUPS_PER_HOUR", api.DefaultLimits.SignupsPerHour), "sign-ups allowed per client address per hour, across all instances (env NAUKAR_SIGNUPS_PER_HOUR)")
	trustedProxies := fs.String("trusted-proxies", env("NAUKAR_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR ranges of the reverse proxies in front of the server (env NAUKAR_TRUSTED_PROXIES)")
	retentionDays := fs.Int("retention-days", envInt("NAUKAR_RETENTION_DAYS", housekeeping.DefaultRetentionDays), "delete security-log events and push rejections older than this many days (env NAUKAR_RETENTION_DAYS)")
	usageDays := fs.Int("usage-retention-days", envInt("NAUKAR_USAGE_RETENTION_DAYS", housekeeping.DefaultUsageDays), "delete usage events from the app older than this many days (env NAUKAR_USAGE_RETENTION_DAYS)")
	errorDays := fs.Int("error-retention-days", envInt("NAUKAR_ERROR_RETENTION_DAYS", housekeeping.DefaultErrorDays), "delete error reports from the app older than this many days (env NAUKAR_ERROR_RETENTION_DAYS)")
	instanceID := fs.String("instance-id", env("NAUKAR_INSTANCE_ID", ""), "this instance's name in the job queue, unique among running instances and kept across restarts (env NAUKAR_INSTANCE_ID; default host name and listen address)")
	jobWorkers := fs.Int("job-workers", envInt("NAUKAR_JOB_WORKERS", 0), "background jobs run at once by this instance (env NAUKAR_JOB_WORKERS; default 10, or WHATSAPP_RATE when higher: a WhatsApp send holds a worker for its round trip to Meta)")
	jobPoll := fs.Duration("job-poll", envDuration("NAUKAR_JOB_POLL", time.Second), "how often an idle instance looks for due jobs (env NAUKAR_JOB_POLL)")
	jobRescue := fs.Duration("job-rescue-after", envDuration("NAUKAR_JOB_RESCUE_AFTER", time.Hour), "retry a job still running this long after it started on an instance that has gone (env NAUKAR_JOB_RESCUE_AFTER)")
	plansFile := fs.String("plans", env("NAUKAR_PLANS", ""), "plans file, TOML (.toml) or JSON (.json); built-in free/pro/business when unset (env NAUKAR_PLANS)")
	exportDir := fs.String("export-dir", env("NAUKAR_EXPORT_DIR", ""), "where account exports are written; instances sharing a database must share it (env NAUKAR_EXPORT_DIR; default DATA/exports)")
	smtpURL := fs.String("smtp-url", env("NAUKAR_SMTP_URL", ""), "SMTP relay for the server's emails: smtp://user:password@host:587 (STARTTLS), smtps://…:465, or smtp://127.0.0.1:25?tls=none; unset: no emails (env NAUKAR_SMTP_URL)")
	mailFrom := fs.String("mail-from", env("NAUKAR_MAIL_FROM", ""), "sender of the server's emails, e.g. \"AI Naukar <no-reply@example.in>\" (env NAUKAR_MAIL_FROM)")
	idleDays := fs.Int("device-idle-days", envInt("NAUKAR_DEVICE_IDLE_DAYS", int(api.DefaultDeviceIdle/(24*time.Hour))), "sign a device out after this many days without a request; 0 never (env NAUKAR_DEVICE_IDLE_DAYS)")
	minFreeDisk := fs.Int64("min-free-disk-mb", int64(envInt("NAUKAR_MIN_FREE_DISK_MB", api.DefaultMinFreeDisk>>20)), "/healthz answers 503 when the data directory's file system has less free space than this, in MiB (env NAUKAR_MIN_FREE_DISK_MB)")
	sessionTTL := fs.Duration("session-ttl", envDuration("NAUKAR_SESSION_TTL", 2*time.Second), "how long a verified device token is trusted before the database is asked again; a device revoked through another instance may pull for this long (env NAUKAR_SESSION_TTL)")
	_ = fs.Parse(args)

	log, err := newLogger(*logLevel)
	if err != nil {
		return err
	}
	slog.SetDefault(log)
	if os.Getenv("GOGC") == "" {
		// The live heap is small (tens of MB) and most garbage is
		// per-request: collect less often, for less CPU per request.
		debug.SetGCPercent(400)
	}
	proxies, err := parsePrefixes(*trustedProxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	plansCfg, err := plans.Load(*plansFile)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if os.Getenv("DATABASE_URL") == "" {
		unlock, err := lockDataDir(*data)
		if err != nil {
			return err
		}
		defer unlock()
	}
	db, err := openStore(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	if *newEpoch {
		e, err := db.NewEpoch(ctx)
		if err != nil {
			return err
		}
		log.Warn("started a new epoch: devices will resync", "epoch", e)
	}
	epoch, err := db.Epoch(ctx)
	if err != nil {
		return err
	}
	// quotas counts WhatsApp messages and AI questions against each
	// business's plan; the modules that spend them are handed it.
	quotas := plans.NewCounter(db, plansCfg, nil)

	if *sessionTTL <= 0 || *sessionTTL > time.Minute {
		return errors.New("--session-ttl must be between 1ns and 1m")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *instanceID == "" {
		host, _ := os.Hostname()
		*instanceID = host + ":" + portOf(ln.Addr())
	}
	if *jobWorkers <= 0 {
		s, _ := whatsapp.FromEnv(os.Getenv) // a bad setting is reported below
		*jobWorkers = whatsapp.JobWorkers(s.Rate)
	}
	queue := jobs.New(db, jobs.Config{Logger: log, ID: *instanceID, Workers: *jobWorkers, PollInterval: *jobPoll,
		RescueAfter: *jobRescue, SoleInstance: db.Dialect() == "sqlite"})
	if _, err := housekeeping.Register(queue, housekeeping.Config{DB: db, Logger: log, BackupDir: *backupDir,
		BackupEvery: *backupEvery, BackupKeep: *backupKeep, RetentionDays: *retentionDays,
		UsageDays: *usageDays, ErrorDays: *errorDays}); err != nil {
		ln.Close()
		return err
	}
	var mailer mail.Sender
	if *smtpURL != "" {
		m, err := mail.New(*smtpURL, *mailFrom)
		if err != nil {
			ln.Close()
			return err
		}
		mailer = m
	} else {
		log.Warn("NAUKAR_SMTP_URL is not set: the server sends no emails (signup, billing notices, account closing, policy notices, product updates)")
	}
	priv, err := privacy.New(privacy.Config{Store: db, Queue: queue, Logger: log, ExportDir: exportDirOf(*exportDir, *data),
		UsageDays: *usageDays, ErrorDays: *errorDays, Mail: mailer, PublicURL: os.Getenv("NAUKAR_PUBLIC_URL")})
	if err != nil {
		ln.Close()
		return err
	}
	billingCfg := billingConfig(db, plansCfg, quotas, log, queue)
	billingCfg.Notifier = priv
	billingModule := billing.New(billingCfg)
	waSettings, err := whatsapp.FromEnv(os.Getenv)
	if err != nil {
		ln.Close()
		return err
	}
	if !waSettings.Configured() {
		log.Info("whatsapp is not configured: sending is off", "missing", strings.Join(waSettings.Missing(), ","))
	}
	// A shop's own number's token and app secret are sealed with the key
	// that seals its Razorpay keys.
	wa := whatsapp.New(whatsapp.Config{Settings: waSettings, Store: db, Queue: queue, Logger: log, Quota: quotas,
		Secrets: billingCfg.Secrets, PublicURL: os.Getenv("NAUKAR_PUBLIC_URL"),
		Usage: func(ctx context.Context, businessID string) (int, int, error) {
			used, err := quotas.Used(ctx, businessID)
			if err != nil {
				return 0, 0, err
			}
			plan, _, err := quotas.Plan(ctx, businessID)
			return used.WhatsApp, plan.WhatsApp, err
		}})
	if err := queue.Start(ctx); err != nil {
		ln.Close()
		return err
	}
	defer func() {
		// Jobs in flight get a while to finish; cut short, they run
		// again later.
		stopCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := queue.Stop(stopCtx); err != nil {
			log.Error("stopping the job queue", "err", err)
		}
	}()

	// The AI proxy's key comes from the environment only (a flag would
	// show in the process list); without model and key it answers
	// not_configured and the rest of the server works.
	aiCfg := ai.Config{Store: db, Logger: log, Quota: quotas, Model: os.Getenv("NAUKAR_AI_MODEL"),
		APIKey: os.Getenv("ANTHROPIC_API_KEY"), BaseURL: os.Getenv("ANTHROPIC_BASE_URL")}
	handler := api.New(api.Config{Store: db, Logger: log, TrustProxy: *trustProxy, TrustedProxies: proxies, Limits: api.Limits{SignupsPerHour: *signupsPerHour}, SessionTTL: *sessionTTL, UpdatesDir: *updatesDir,
		HealthDir: healthDir(*data, *exportDir), MinFreeDisk: *minFreeDisk << 20, DeviceIdle: idleOf(*idleDays),
		DeviceLimits: quotas, Modules: []api.Module{billingModule, priv.Module(), ai.New(aiCfg), wa,
			accountweb.New(accountweb.Config{Store: db, Privacy: priv, Billing: billingModule, Logger: log})}})
	srv := &http.Server{
		Addr:              *addr,
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("naukar-server listening", "version", version.Version(), "commit", version.Commit(),
		"addr", ln.Addr().String(), "store", db.Dialect(), "epoch", epoch, "tls", *tlsCert != "", "instance", queue.ID(),
		"updates", *updatesDir != "", "ai", aiCfg.Configured())
	errc := make(chan error, 1)
	go func() {
		if *tlsCert != "" {
			errc <- srv.ServeTLS(ln, *tlsCert, *tlsKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Warn("shutting down: finishing requests in flight")
	shutCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Warn("stopped")
	return nil
}

// portOf returns the port of a listener's address.
func portOf(a net.Addr) string {
	_, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return port
}

func restore(args []string) error {
	fs := flag.NewFlagSet("restore", flag.ExitOnError)
	data := fs.String("data", env("NAUKAR_DATA", "data"), "SQLite data directory to restore into")
	from := fs.String("from", "", "backup file written by --backup-dir or the backup command")
	_ = fs.Parse(args)
	if *from == "" {
		return errors.New("restore: --from FILE is required")
	}
	if os.Getenv("DATABASE_URL") != "" {
		return errors.New("restore: for PostgreSQL restore with pg_restore, then run the server once with --new-epoch")
	}
	unlock, err := lockDataDir(*data)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer unlock()
	epoch, err := store.RestoreSQLite(context.Background(), *data, *from)
	if err != nil {
		return err
	}
	fmt.Printf("restored %s into %s; new epoch %s: devices will resync\n", *from, *data, epoch)
	return nil
}

func backup(args []string) error {
	fs := flag.NewFlagSet("backup", flag.ExitOnError)
	data := fs.String("data", env("NAUKAR_DATA", "data"), "SQLite data directory")
	to := fs.String("to", "", "snapshot file to write")
	_ = fs.Parse(args)
	if *to == "" {
		return errors.New("backup: --to FILE is required")
	}
	db, err := store.OpenSQLite(context.Background(), *data)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Backup(context.Background(), *to)
}

// exportDirOf is the export directory: as set, or DATA/exports.
func exportDirOf(set, data string) string {
	if set != "" {
		return set
	}
	return filepath.Join(data, "exports")
}

// purge runs the purge of closed accounts now, as the hourly job does:
// every account closed long enough ago (or, with --now, as if it were that
// time) is deleted with everything of its business except our billing
// records.
func purge(args []string) error {
	fs := flag.NewFlagSet("purge", flag.ExitOnError)
	data := fs.String("data", env("NAUKAR_DATA", "data"), "SQLite data directory, used when DATABASE_URL is not set")
	exportDir := fs.String("export-dir", env("NAUKAR_EXPORT_DIR", ""), "the server's export directory (default DATA/exports)")
	nowFlag := fs.String("now", "", "purge as if it were this time (RFC 3339, e.g. 2026-02-01T00:00:00Z); default now")
	_ = fs.Parse(args)
	now := time.Now()
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return fmt.Errorf("purge: --now %q is not an RFC 3339 time such as 2026-02-01T00:00:00Z", *nowFlag)
		}
		now = t
	}
	ctx := context.Background()
	db, err := openStore(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := privacy.New(privacy.Config{Store: db, ExportDir: exportDirOf(*exportDir, *data), Now: func() time.Time { return now }})
	if err != nil {
		return err
	}
	purged, err := svc.PurgeDue(ctx, now)
	for _, a := range purged {
		fmt.Println("purged account", a)
	}
	if err != nil {
		return err
	}
	fmt.Printf("%d closed accounts purged\n", len(purged))
	return nil
}

// billingConfig reads the billing module's settings from the environment
// (secrets only there, never in flags, which the process list shows).
func billingConfig(db *store.DB, cfg plans.Config, quotas *plans.Counter, log *slog.Logger, queue *jobs.Queue) billing.Config {
	c := billing.Config{Store: db, Plans: cfg, Counter: quotas, Logger: log, Queue: queue,
		WebhookSecret: os.Getenv("RAZORPAY_WEBHOOK_SECRET"), PublicURL: os.Getenv("NAUKAR_PUBLIC_URL"),
		CheckoutJS: os.Getenv("RAZORPAY_CHECKOUT_JS"),
		Seller: plans.Seller{Name: env("NAUKAR_BILLING_NAME", "AI Naukar"), GSTIN: os.Getenv("NAUKAR_BILLING_GSTIN"),
			Address: os.Getenv("NAUKAR_BILLING_ADDRESS"), SAC: env("NAUKAR_BILLING_SAC", "998315")}}
	c.ShopAPIURL = env("RAZORPAY_API_URL", razorpay.DefaultBaseURL)
	switch box, err := secrets.FromEnv(os.Getenv); {
	case err == nil:
		c.Secrets = box
	case errors.Is(err, secrets.ErrNoKey):
		log.Warn("NAUKAR_SECRET_KEY is not set: shops cannot connect their own Razorpay keys, so no payment links are made")
	default:
		log.Error("NAUKAR_SECRET_KEY is not usable: shops cannot connect their own Razorpay keys", "err", err)
	}
	if c.Seller.GSTIN == "" {
		log.Warn("NAUKAR_BILLING_GSTIN is not set: our tax invoices to shops will carry no GSTIN")
	}
	if id, secret := os.Getenv("RAZORPAY_KEY_ID"), os.Getenv("RAZORPAY_KEY_SECRET"); id != "" && secret != "" {
		c.Razorpay = razorpay.New(env("RAZORPAY_API_URL", razorpay.DefaultBaseURL), id, secret)
	} else {
		log.Warn("RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET are not set: paid plans cannot be bought; every business has its plan in force")
	}
	return c
}

// billingCmd runs `naukar-server billing sync-plans`: the paid plans of
// NAUKAR_PLANS (or the built-in ones) that name no razorpay_plan_id are
// created at Razorpay, and the ids to put in the plans file are printed.
func billingCmd(args []string) error {
	if len(args) == 0 || args[0] != "sync-plans" {
		return errors.New("billing: the command is `naukar-server billing sync-plans [--plans FILE]`")
	}
	fs := flag.NewFlagSet("billing sync-plans", flag.ExitOnError)
	plansFile := fs.String("plans", env("NAUKAR_PLANS", ""), "plans file (env NAUKAR_PLANS)")
	_ = fs.Parse(args[1:])
	cfg, err := plans.Load(*plansFile)
	if err != nil {
		return err
	}
	id, secret := os.Getenv("RAZORPAY_KEY_ID"), os.Getenv("RAZORPAY_KEY_SECRET")
	if id == "" || secret == "" {
		return errors.New("billing sync-plans: set RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET (and RAZORPAY_API_URL for a test account's address)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, created, err := billing.SyncPlans(ctx, razorpay.New(env("RAZORPAY_API_URL", razorpay.DefaultBaseURL), id, secret), cfg)
	for _, p := range out.Plans {
		if p.Paid() {
			fmt.Printf("[[plans]] id = %q: razorpay_plan_id = %q\n", p.ID, p.RazorpayPlanID)
		}
	}
	if err != nil {
		return err
	}
	if len(created) == 0 {
		fmt.Println("Every paid plan already has its Razorpay plan.")
		return nil
	}
	fmt.Printf("Created at Razorpay: %s. Put the razorpay_plan_id lines above into the plans file (NAUKAR_PLANS) and restart the server.\n", strings.Join(created, ", "))
	return nil
}

// notify stores a policy notice or a product update; the running server's
// hourly privacy job emails it (policy notices to every open account,
// updates to those who did not opt out) and the apps show policy notices
// once.
func notify(args []string, kind string) error {
	name := "notify-policy"
	if kind == privacy.MailUpdate {
		name = "send-update"
	}
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	data := fs.String("data", env("NAUKAR_DATA", "data"), "SQLite data directory, used when DATABASE_URL is not set")
	version := fs.String("version", "", "the policy or release version, e.g. 2026-12 (required; each version is sent once)")
	summaryFile := fs.String("summary", "", "a text file with the summary to send (required)")
	subject := fs.String("subject", "", "the email subject (default names the version)")
	_ = fs.Parse(args)
	if *version == "" || *summaryFile == "" {
		return fmt.Errorf("%s: --version V and --summary FILE are required", name)
	}
	summary, err := os.ReadFile(*summaryFile)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	ctx := context.Background()
	db, err := openStore(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := privacy.New(privacy.Config{Store: db, ExportDir: exportDirOf("", *data)})
	if err != nil {
		return err
	}
	n, err := svc.Notify(ctx, kind, *version, *subject, string(summary))
	if err != nil {
		return fmt.Errorf("%s: %s", name, core.ErrorMessage(err))
	}
	accounts, err := db.OpenAccounts(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("%s %q stored (%s). The running server emails it to %d open accounts within the hour", name, n.Version, n.ID, len(accounts))
	if kind == privacy.MailPolicy {
		fmt.Print(" and the apps show it once")
	} else {
		fmt.Print(" (not to those who unsubscribed)")
	}
	fmt.Println(".")
	return nil
}

// healthDir is the directory whose free space /healthz watches: the SQLite
// data directory, or on PostgreSQL the export directory (the server's own
// files), whichever of it or its parents exists now.
func healthDir(data, exportDir string) string {
	dir := data
	if os.Getenv("DATABASE_URL") != "" {
		dir = exportDirOf(exportDir, data)
	}
	dir, _ = filepath.Abs(dir)
	for {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return dir
		}
		dir = parent
	}
}

// idleOf is --device-idle-days as api.Config.DeviceIdle (0: never).
func idleOf(days int) time.Duration {
	if days <= 0 {
		return -1
	}
	return time.Duration(days) * 24 * time.Hour
}
