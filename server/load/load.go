// Package load is a bounded load generator for naukar-server: it signs up
// one business, logs in many devices and runs push+pull round trips from
// each, reporting throughput and latency. It refuses any server that is not
// on loopback, so it cannot be pointed at someone else's host.
package load

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	gosync "sync"
	"time"

	"github.com/google/uuid"

	nsync "github.com/ainaukar/naukar/sync"
)

// Config bounds a run.
type Config struct {
	URL        string
	Devices    int
	Businesses int // devices are spread over this many businesses (default 1)
	Duration   time.Duration
	Batch      int // mutations per push
}

// Report is the outcome of a run.
type Report struct {
	Devices      int
	Businesses   int
	LoginTime    time.Duration
	Elapsed      time.Duration
	RoundTrips   int
	Mutations    int
	Pulled       int
	Errors       int
	FirstError   string
	Push, Pull   Latency
	RoundTrip    Latency
	RoundTripsPS float64
	MutationsPS  float64
}

// Latency holds percentiles.
type Latency struct{ P50, P99, Max time.Duration }

func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "devices %d in %d businesses (logins took %s)\n", r.Devices, r.Businesses, r.LoginTime.Round(time.Millisecond))
	fmt.Fprintf(&b, "ran %s: %d push+pull round trips (%.1f/s), %d mutations pushed (%.1f/s), %d changes pulled, %d errors\n",
		r.Elapsed.Round(time.Millisecond), r.RoundTrips, r.RoundTripsPS, r.Mutations, r.MutationsPS, r.Pulled, r.Errors)
	fmt.Fprintf(&b, "push       p50 %s  p99 %s  max %s\n", r.Push.P50, r.Push.P99, r.Push.Max)
	fmt.Fprintf(&b, "pull       p50 %s  p99 %s  max %s\n", r.Pull.P50, r.Pull.P99, r.Pull.Max)
	fmt.Fprintf(&b, "round trip p50 %s  p99 %s  max %s", r.RoundTrip.P50, r.RoundTrip.P99, r.RoundTrip.Max)
	if r.FirstError != "" {
		fmt.Fprintf(&b, "\nfirst error: %s", r.FirstError)
	}
	return b.String()
}

// CheckLoopback refuses URLs whose host is not a loopback address.
func CheckLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("load: %q is not an http(s) URL", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("load: refusing %s: the load generator only targets loopback (127.0.0.1, ::1, localhost)", host)
}

// Run performs a load run; progress lines go to w.
func Run(ctx context.Context, cfg Config, w io.Writer) (Report, error) {
	if err := CheckLoopback(cfg.URL); err != nil {
		return Report{}, err
	}
	if cfg.Devices < 1 || cfg.Devices > 2000 {
		return Report{}, errors.New("load: --devices must be 1..2000")
	}
	if cfg.Duration <= 0 || cfg.Duration > 10*time.Minute {
		return Report{}, errors.New("load: --duration must be up to 10m")
	}
	if cfg.Batch < 1 || cfg.Batch > 1000 {
		cfg.Batch = 10
	}
	hc := &http.Client{Transport: &http.Transport{
		MaxIdleConns: cfg.Devices + 10, MaxIdleConnsPerHost: cfg.Devices + 10, IdleConnTimeout: time.Minute}}
	c := nsync.NewClient(cfg.URL, nsync.WithHTTPClient(hc), nsync.WithTimeout(60*time.Second),
		nsync.WithRetries(2, 100*time.Millisecond, 2*time.Second), nsync.WithUserAgent("naukar-load"))

	if cfg.Businesses < 1 {
		cfg.Businesses = 1
	}
	if cfg.Businesses > cfg.Devices {
		cfg.Businesses = cfg.Devices
	}
	var rb [4]byte
	_, _ = rand.Read(rb[:])
	tag := hex.EncodeToString(rb[:])
	password := "load-" + tag + "-password"
	emails := make([]string, cfg.Businesses)
	for i := range emails {
		phone, _ := rand.Int(rand.Reader, big.NewInt(1e9))
		emails[i] = fmt.Sprintf("load-%s-%d@load.invalid", tag, i)
		_, err := c.Signup(ctx, nsync.SignupRequest{
			Owner:        nsync.SignupOwner{Name: "Load Test", Email: emails[i], Phone: fmt.Sprintf("9%09d", phone.Int64()), Password: password},
			Business:     nsync.SignupBusiness{Name: fmt.Sprintf("Load Test %s %d", tag, i), StateCode: "27"},
			AgeConfirmed: true, TermsAccepted: true,
		})
		if err != nil {
			return Report{}, fmt.Errorf("load: signup: %w", err)
		}
	}
	fmt.Fprintf(w, "signed up %d businesses (load-%s-*@load.invalid); logging in %d devices\n", cfg.Businesses, tag, cfg.Devices)

	type dev struct {
		token, id string
		clock     *nsync.Clock
		n, since  int64
	}
	devs := make([]*dev, cfg.Devices)
	start := time.Now()
	var wg gosync.WaitGroup
	var mu gosync.Mutex
	var loginErr error
	next := make(chan int)
	for range 16 {
		wg.Go(func() {
			for i := range next {
				l, err := c.Login(ctx, nsync.LoginRequest{Login: emails[i%len(emails)], Password: password, DeviceName: fmt.Sprint("load ", i)})
				if err != nil {
					mu.Lock()
					loginErr = err
					mu.Unlock()
					continue
				}
				devs[i] = &dev{token: l.Token, id: l.DeviceID, clock: nsync.NewClock(l.DeviceID, nsync.HLC{}, nil)}
			}
		})
	}
	for i := range devs {
		next <- i
	}
	close(next)
	wg.Wait()
	if loginErr != nil {
		return Report{}, fmt.Errorf("load: login: %w", loginErr)
	}
	rep := Report{Devices: cfg.Devices, Businesses: cfg.Businesses, LoginTime: time.Since(start)}
	fmt.Fprintf(w, "logged in %d devices in %s; running for %s\n", cfg.Devices, rep.LoginTime.Round(time.Millisecond), cfg.Duration)

	runCtx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	var pushL, pullL, rtL []time.Duration
	start = time.Now()
	for _, d := range devs {
		wg.Go(func() {
			var myPush, myPull, myRT []time.Duration
			var muts, pulled, errs int
			var firstErr string
			productID := uuid.Must(uuid.NewV7()).String()
			for runCtx.Err() == nil {
				t0 := time.Now()
				ms := make([]nsync.Mutation, 0, cfg.Batch)
				for j := range cfg.Batch {
					d.n++
					m := nsync.Mutation{N: d.n, HLC: d.clock.Now().String()}
					if j == 0 {
						m.Table, m.ID, m.Op = "products", productID, nsync.OpUpsert
						m.Data, _ = json.Marshal(map[string]any{"price": d.n})
					} else {
						m.Table, m.ID, m.Op = "invoices", uuid.Must(uuid.NewV7()).String(), nsync.OpInsert
						m.Data, _ = json.Marshal(map[string]any{"number": fmt.Sprint(d.n), "total": 11800, "lines": []any{map[string]any{"qty": 1}}})
					}
					ms = append(ms, m)
				}
				_, err := c.Push(runCtx, d.token, nsync.PushRequest{DeviceID: d.id, Mutations: ms})
				if err != nil {
					if runCtx.Err() != nil {
						break
					}
					errs++
					if firstErr == "" {
						firstErr = err.Error()
					}
					d.n -= int64(cfg.Batch)
					continue
				}
				t1 := time.Now()
				muts += len(ms)
				for {
					p, err := c.Pull(runCtx, d.token, d.since, 500)
					if err != nil {
						if runCtx.Err() == nil {
							errs++
							if firstErr == "" {
								firstErr = err.Error()
							}
						}
						break
					}
					pulled += len(p.Changes)
					d.since = p.Next
					if !p.More {
						break
					}
				}
				t2 := time.Now()
				if runCtx.Err() != nil {
					break
				}
				myPush, myPull, myRT = append(myPush, t1.Sub(t0)), append(myPull, t2.Sub(t1)), append(myRT, t2.Sub(t0))
			}
			mu.Lock()
			pushL, pullL, rtL = append(pushL, myPush...), append(pullL, myPull...), append(rtL, myRT...)
			rep.Mutations += muts
			rep.Pulled += pulled
			rep.Errors += errs
			if rep.FirstError == "" {
				rep.FirstError = firstErr
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	rep.RoundTrips = len(rtL)
	rep.RoundTripsPS = float64(rep.RoundTrips) / rep.Elapsed.Seconds()
	rep.MutationsPS = float64(rep.Mutations) / rep.Elapsed.Seconds()
	rep.Push, rep.Pull, rep.RoundTrip = percentiles(pushL), percentiles(pullL), percentiles(rtL)
	return rep, nil
}

func percentiles(d []time.Duration) Latency {
	if len(d) == 0 {
		return Latency{}
	}
	slices.Sort(d)
	at := func(p float64) time.Duration {
		return d[min(len(d)-1, int(p*float64(len(d))))].Round(10 * time.Microsecond)
	}
	return Latency{P50: at(0.50), P99: at(0.99), Max: d[len(d)-1].Round(10 * time.Microsecond)}
}
