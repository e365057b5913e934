package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/ainaukar/naukar/server/load"
)

func runLoad(args []string) error {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	cfg := load.Config{}
	fs.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "server base URL (loopback only); several instances comma-separated, device i on instance i mod n")
	stores := fs.String("stores", "", "instead of --url, start this binary as a server for each store in turn "+
		"(sqlite in a temporary directory, postgres at DATABASE_URL) and compare them, e.g. sqlite,postgres")
	fs.IntVar(&cfg.Devices, "devices", 500, "devices to log in and run (max 2000)")
	fs.IntVar(&cfg.Businesses, "businesses", 100, "spread the devices over this many businesses")
	fs.DurationVar(&cfg.Duration, "duration", 20*time.Second, "how long to measure (max 10m)")
	fs.IntVar(&cfg.Batch, "batch", 3, "mutations per push (a product edit and new invoices)")
	fs.Float64Var(&cfg.Rate, "rate", 1000, "round trips per second over all devices, each device on a schedule; 0: every device as fast as it can")
	pids := fs.String("server-pid", "", "server process ids, comma-separated, to report their CPU time (Linux)")
	instances := fs.Int("instances", 1, "with --stores postgres: start this many server instances on the one database")
	fs.StringVar(&cfg.Database, "database-process", "", "database process name, to report its CPU time (Linux; --stores sets postgres)")
	_ = fs.Parse(args)
	for _, p := range strings.Split(*pids, ",") {
		if p = strings.TrimSpace(p); p != "" {
			pid, err := strconv.Atoi(p)
			if err != nil {
				return fmt.Errorf("--server-pid: %w", err)
			}
			cfg.ServerPIDs = append(cfg.ServerPIDs, pid)
		}
	}
	if *instances < 1 || *instances > 8 {
		return errors.New("--instances must be 1..8")
	}
	// The generator shares the machine with the server it measures: it
	// trades memory for fewer garbage collections.
	debug.SetGCPercent(400)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if *stores == "" {
		rep, err := load.Run(ctx, cfg, os.Stdout)
		if err != nil {
			return err
		}
		fmt.Println(rep)
		return nil
	}
	var names []string
	var reps []load.Report
	for _, name := range strings.Split(*stores, ",") {
		name = strings.TrimSpace(name)
		fmt.Printf("== %s\n", name)
		rep, err := loadStore(ctx, name, *instances, cfg)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Println(rep)
		names, reps = append(names, name), append(reps, rep)
	}
	printComparison(cfg, names, reps)
	return nil
}

// loadStore starts this binary as a server on the named store (n
// instances of it for PostgreSQL), runs the load against it and stops it.
func loadStore(ctx context.Context, name string, n int, cfg load.Config) (load.Report, error) {
	dir, err := os.MkdirTemp("", "naukar-load-")
	if err != nil {
		return load.Report{}, err
	}
	defer os.RemoveAll(dir)
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "DATABASE_URL=") })
	switch name {
	case "sqlite":
	case "postgres":
		u := os.Getenv("DATABASE_URL")
		if u == "" {
			return load.Report{}, errors.New("set DATABASE_URL to the PostgreSQL database to load")
		}
		env = append(env, "DATABASE_URL="+u)
		cfg.Database, cfg.DatabaseName = "postgres", databaseName(u)
	default:
		return load.Report{}, fmt.Errorf("unknown store %q (sqlite, postgres)", name)
	}
	if name == "sqlite" && n > 1 {
		return load.Report{}, errors.New("several instances need PostgreSQL: a SQLite data directory has one server")
	}
	self, err := os.Executable()
	if err != nil {
		return load.Report{}, err
	}
	// Every load device signs in: the free plan of these servers allows
	// them all (the built-in one allows 2 a business).
	plansFile := filepath.Join(dir, "plans.json")
	plans := fmt.Sprintf(`{"grace_days": 7, "plans": [{"id": "free", "name": "Free", "devices": %d, "whatsapp": 50, "ai": 30}]}`, max(cfg.Devices, 1))
	if err := os.WriteFile(plansFile, []byte(plans), 0o600); err != nil {
		return load.Report{}, err
	}
	var urls []string
	cfg.ServerPIDs = nil
	for i := range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return load.Report{}, err
		}
		addr := ln.Addr().String()
		ln.Close()
		logFile, err := os.Create(filepath.Join(dir, fmt.Sprintf("server-%d.log", i+1)))
		if err != nil {
			return load.Report{}, err
		}
		defer logFile.Close()
		// The load signs up every business from loopback.
		cmd := exec.Command(self, "serve", "--addr", addr, "--data", filepath.Join(dir, "data"), "--signups-per-hour", "1000000", "--plans", plansFile)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, logFile, logFile
		if err := cmd.Start(); err != nil {
			return load.Report{}, err
		}
		defer func() {
			if cmd.Process.Signal(syscall.SIGTERM) != nil {
				_ = cmd.Process.Kill()
			}
			_ = cmd.Wait()
		}()
		base := "http://" + addr
		if err := waitHealthy(ctx, base, 30*time.Second); err != nil {
			return load.Report{}, fmt.Errorf("server did not start (log %s): %w", logFile.Name(), err)
		}
		urls = append(urls, base)
		cfg.ServerPIDs = append(cfg.ServerPIDs, cmd.Process.Pid)
	}
	cfg.URL = strings.Join(urls, ",")
	return load.Run(ctx, cfg, os.Stdout)
}

// databaseName is the database a libpq URL or DSN names ("" if none).
func databaseName(u string) string {
	if strings.Contains(u, "://") {
		if p, err := url.Parse(u); err == nil {
			return strings.TrimPrefix(p.Path, "/")
		}
		return ""
	}
	for _, f := range strings.Fields(u) {
		if v, ok := strings.CutPrefix(f, "dbname="); ok {
			return strings.Trim(v, "'")
		}
	}
	return ""
}

func waitHealthy(ctx context.Context, base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("healthz %d", resp.StatusCode)
		}
		if time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// printComparison prints the runs side by side with the targets.
func printComparison(cfg load.Config, names []string, reps []load.Report) {
	fmt.Printf("\n%d devices in %d businesses on %d instance(s), %d mutations a push, target %.0f round trips/s, %s each:\n\n",
		cfg.Devices, cfg.Businesses, reps[0].Instances, cfg.Batch, cfg.Rate, cfg.Duration)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 3, ' ', tabwriter.AlignRight)
	row := func(label, target string, f func(load.Report) string) {
		fmt.Fprintf(tw, "%s\t%s\t", label, target)
		for _, r := range reps {
			fmt.Fprintf(tw, "%s\t", f(r))
		}
		fmt.Fprintln(tw)
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
	cpu := func(d time.Duration) string {
		if d == 0 {
			return "-"
		}
		return fmt.Sprintf("%d µs", d.Microseconds())
	}
	fmt.Fprintf(tw, "\ttarget\t")
	for _, n := range names {
		fmt.Fprintf(tw, "%s\t", n)
	}
	fmt.Fprintln(tw)
	row("round trips/s", fmt.Sprintf("≥ %.0f", cfg.Rate), func(r load.Report) string { return fmt.Sprintf("%.0f", r.RoundTripsPS) })
	row("round trip p50", "", func(r load.Report) string { return ms(r.RoundTrip.P50) })
	row("round trip p99", "≤ 100 ms", func(r load.Report) string { return ms(r.RoundTrip.P99) })
	row("push p50 / p99", "", func(r load.Report) string { return ms(r.Push.P50) + " / " + ms(r.Push.P99) })
	row("pull p50 / p99", "", func(r load.Report) string { return ms(r.Pull.P50) + " / " + ms(r.Pull.P99) })
	row("mutations/s", "", func(r load.Report) string { return fmt.Sprintf("%.0f", r.MutationsPS) })
	row("errors", "0", func(r load.Report) string { return fmt.Sprint(r.Errors) })
	row("server CPU / round trip", "", func(r load.Report) string { return cpu(r.CPU.Server) })
	row("database CPU / round trip", "", func(r load.Report) string { return cpu(r.CPU.Database) })
	row("generator CPU / round trip", "", func(r load.Report) string { return cpu(r.CPU.Generator) })
	row("machine CPU / round trip", "", func(r load.Report) string { return cpu(r.CPU.Machine) })
	row("machine busy", "", func(r load.Report) string {
		return fmt.Sprintf("%.0f%% of %d cores", 100*r.CPU.MachineBusy, r.CPU.Cores)
	})
	row("load average start / end", "", func(r load.Report) string { return fmt.Sprintf("%.1f / %.1f", r.LoadBefore, r.LoadAfter) })
	row("generator+server+database / rt", "", func(r load.Report) string { return cpu(r.CPU.Measured()) })
	row("capacity at that CPU / round trip", fmt.Sprintf("≥ %.0f", cfg.Rate), func(r load.Report) string {
		if r.CPU.Capacity() == 0 {
			return "-"
		}
		return fmt.Sprintf("%.0f/s", r.CPU.Capacity())
	})
	tw.Flush()
}
