// Package load is a bounded load generator for naukar-server: it signs up
// businesses, logs in many devices and runs sync round trips from each (push
// a small batch, pull what is new), reporting throughput, latency and what
// the CPU went to. It refuses any server that is not on loopback, so it
// cannot be pointed at someone else's host.
//
// A device syncs on a schedule (Rate round trips per second over all
// devices), as the app does, rather than as fast as it can: latency is
// measured from the scheduled start, so a server that falls behind shows
// it in the percentiles instead of hiding it by slowing the generator down.
// The generator is meant to be cheap next to the server it measures: each
// device sends pre-built JSON over keep-alive connections and reads only the
// cursor of a pull reply. Sign-ups and logins (bcrypt) happen before the
// measured window.
package load

import (
	"bytes"
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
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/sync/protocol"
)

// Config bounds a run.
type Config struct {
	// URL is the server's base URL; several instances of one server
	// (sharing a PostgreSQL database) are given as a comma-separated list.
	// Device i then talks to instance i mod n, as behind a load balancer
	// that keeps each device's keep-alive connection on one instance;
	// sign-ups and logins go to the first.
	URL        string
	Devices    int
	Businesses int // devices are spread over this many businesses (default 1)
	Duration   time.Duration
	Batch      int     // mutations per push (default 3)
	Rate       float64 // round trips per second over all devices; 0: each device as fast as it can
	// ServerPIDs, when set (Linux), are the server processes whose CPU
	// time the report shows (summed); Database names the database's
	// processes (e.g. "postgres") to show theirs. With DatabaseName
	// (PostgreSQL) only the backends connected to that database and the
	// server's background processes (WAL writer, checkpointer, autovacuum)
	// count: other databases' work on a shared machine does not.
	ServerPIDs   []int
	Database     string
	DatabaseName string
}

// Report is the outcome of a run.
type Report struct {
	Instances    int
	Devices      int
	Businesses   int
	Batch        int
	Rate         float64 // target; 0 for closed loop
	LoginTime    time.Duration
	Elapsed      time.Duration
	RoundTrips   int
	Mutations    int
	Pulled       int
	Errors       int
	FirstError   string
	Push, Pull   Latency
	RoundTrip    Latency // from the scheduled start to the end of the pull
	RoundTripsPS float64
	MutationsPS  float64
	CPU          CPU
	// LoadBefore and LoadAfter are the machine's one-minute load average
	// as the measured window began and ended (Linux; 0 elsewhere): other
	// work on the machine shows here.
	LoadBefore, LoadAfter float64
}

// CPU is where processor time went during the measured window, per round
// trip. Machine is every process (server, generator, database), from
// /proc/stat; zero where the platform does not say.
type CPU struct {
	Cores                                int
	Generator, Server, Database, Machine time.Duration // per round trip
	MachineBusy                          float64       // fraction of all cores busy
}

// Latency holds percentiles.
type Latency struct{ P50, P99, Max time.Duration }

func (r Report) String() string {
	var b strings.Builder
	mode := "as fast as each device can (closed loop)"
	if r.Rate > 0 {
		mode = fmt.Sprintf("paced at %.0f round trips/s", r.Rate)
	}
	fmt.Fprintf(&b, "devices %d in %d businesses on %d instance(s), %d mutations a push, %s (logins took %s)\n",
		r.Devices, r.Businesses, r.Instances, r.Batch, mode, r.LoginTime.Round(time.Millisecond))
	fmt.Fprintf(&b, "ran %s: %d push+pull round trips (%.1f/s), %d mutations pushed (%.1f/s), %d changes pulled, %d errors\n",
		r.Elapsed.Round(time.Millisecond), r.RoundTrips, r.RoundTripsPS, r.Mutations, r.MutationsPS, r.Pulled, r.Errors)
	fmt.Fprintf(&b, "push       p50 %s  p99 %s  max %s\n", r.Push.P50, r.Push.P99, r.Push.Max)
	fmt.Fprintf(&b, "pull       p50 %s  p99 %s  max %s\n", r.Pull.P50, r.Pull.P99, r.Pull.Max)
	fmt.Fprintf(&b, "round trip p50 %s  p99 %s  max %s", r.RoundTrip.P50, r.RoundTrip.P99, r.RoundTrip.Max)
	if r.CPU.Cores > 0 {
		fmt.Fprintf(&b, "\ncpu per round trip: generator %s, server %s, database %s, whole machine %s (%d cores %.0f%% busy)",
			us(r.CPU.Generator), us(r.CPU.Server), us(r.CPU.Database), us(r.CPU.Machine), r.CPU.Cores, 100*r.CPU.MachineBusy)
		if c := r.CPU.Capacity(); c > 0 {
			fmt.Fprintf(&b, "\ncapacity: generator+server+database %s a round trip, %d cores carry %.0f round trips/s with nothing else running",
				us(r.CPU.Measured()), r.CPU.Cores, c)
		}
	}
	if r.LoadBefore > 0 || r.LoadAfter > 0 {
		fmt.Fprintf(&b, "\nmachine load average %.1f at the start, %.1f at the end", r.LoadBefore, r.LoadAfter)
	}
	if r.FirstError != "" {
		fmt.Fprintf(&b, "\nfirst error: %s", r.FirstError)
	}
	return b.String()
}

func us(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%dµs", d.Microseconds())
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

// device is one simulated device.
type device struct {
	token, auth, id string
	clock           *protocol.Clock
	n, since        int64
	product         string
	pending         []byte // a push body not yet acknowledged, sent again as is
	pendingN        int
	buf             bytes.Buffer
	conn            *rawConn // plain http: the device's own connection
}

// Run performs a load run; progress lines go to w.
func Run(ctx context.Context, cfg Config, w io.Writer) (Report, error) {
	var bases []string
	for _, u := range strings.Split(cfg.URL, ",") {
		if u = strings.TrimSpace(u); u == "" {
			continue
		}
		if err := CheckLoopback(u); err != nil {
			return Report{}, err
		}
		bases = append(bases, strings.TrimRight(u, "/"))
	}
	if len(bases) == 0 {
		return Report{}, errors.New("load: no server URL")
	}
	if cfg.Devices < 1 || cfg.Devices > 2000 {
		return Report{}, errors.New("load: --devices must be 1..2000")
	}
	if cfg.Duration <= 0 || cfg.Duration > 10*time.Minute {
		return Report{}, errors.New("load: --duration must be up to 10m")
	}
	if cfg.Rate < 0 || cfg.Rate > 100_000 {
		return Report{}, errors.New("load: --rate must be 0..100000")
	}
	if cfg.Batch < 1 || cfg.Batch > 1000 {
		cfg.Batch = 3
	}
	if cfg.Businesses < 1 {
		cfg.Businesses = 1
	}
	if cfg.Businesses > cfg.Devices {
		cfg.Businesses = cfg.Devices
	}
	base := bases[0]
	tr := &http.Transport{MaxIdleConns: cfg.Devices + 10, MaxIdleConnsPerHost: cfg.Devices + 10,
		IdleConnTimeout: time.Minute, DisableCompression: true}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	lc := &loadClient{base: base, hc: hc, batch: cfg.Batch}

	var rb [4]byte
	_, _ = rand.Read(rb[:])
	tag := hex.EncodeToString(rb[:])
	password := "load-" + tag + "-password"
	emails := make([]string, cfg.Businesses)
	for i := range emails {
		phone, _ := rand.Int(rand.Reader, big.NewInt(1e9))
		emails[i] = fmt.Sprintf("load-%s-%d@load.invalid", tag, i)
		err := lc.post(ctx, "/v1/signup", protocol.SignupRequest{
			Owner:        protocol.SignupOwner{Name: "Load Test", Email: emails[i], Phone: fmt.Sprintf("9%09d", phone.Int64()), Password: password},
			Business:     protocol.SignupBusiness{Name: fmt.Sprintf("Load Test %s %d", tag, i), StateCode: "27"},
			AgeConfirmed: true, TermsAccepted: true,
		}, &protocol.SignupResponse{})
		if err != nil {
			return Report{}, fmt.Errorf("load: signup: %w", err)
		}
	}
	fmt.Fprintf(w, "signed up %d businesses (load-%s-*@load.invalid); logging in %d devices\n", cfg.Businesses, tag, cfg.Devices)

	devs := make([]*device, cfg.Devices)
	start := time.Now()
	var wg gosync.WaitGroup
	var mu gosync.Mutex
	var loginErr error
	next := make(chan int)
	for range 16 {
		wg.Go(func() {
			for i := range next {
				var l protocol.LoginResponse
				err := lc.post(ctx, "/v1/login", protocol.LoginRequest{Login: emails[i%len(emails)], Password: password, DeviceName: fmt.Sprint("load ", i)}, &l)
				// The server checks at most two logins of one account at
				// once; a device refused for that waits its turn.
				for try := 0; try < 100 && isRateLimited(err); try++ {
					time.Sleep(50 * time.Millisecond)
					err = lc.post(ctx, "/v1/login", protocol.LoginRequest{Login: emails[i%len(emails)], Password: password, DeviceName: fmt.Sprint("load ", i)}, &l)
				}
				if err != nil {
					mu.Lock()
					loginErr = err
					mu.Unlock()
					continue
				}
				devs[i] = &device{token: l.Token, auth: "Bearer " + l.Token, id: l.DeviceID,
					clock: protocol.NewClock(l.DeviceID, protocol.HLC{}, nil), product: uuid.Must(uuid.NewV7()).String()}
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
	rep := Report{Instances: len(bases), Devices: cfg.Devices, Businesses: cfg.Businesses, Batch: cfg.Batch, Rate: cfg.Rate, LoginTime: time.Since(start)}
	fmt.Fprintf(w, "logged in %d devices in %s; one warm-up round trip each\n", cfg.Devices, rep.LoginTime.Round(time.Millisecond))

	// Warm-up: every device opens its connection and catches up once.
	lcs := make([]*loadClient, len(bases))
	for i, b := range bases {
		lcs[i] = &loadClient{base: b, hc: hc, batch: cfg.Batch}
		if u, err := url.Parse(b); err == nil && u.Scheme == "http" {
			lcs[i].host = u.Host
			if u.Port() == "" {
				lcs[i].host = net.JoinHostPort(u.Hostname(), "80")
			}
		}
	}
	defer func() {
		for _, d := range devs {
			if d != nil && d.conn != nil {
				d.conn.close()
			}
		}
	}()
	clientOf := func(i int) *loadClient { return lcs[i%len(lcs)] }
	sem := make(chan struct{}, 32)
	for i, d := range devs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			_, _, _, _, err := clientOf(i).roundTrip(ctx, d)
			if err != nil {
				mu.Lock()
				loginErr = err
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if loginErr != nil {
		return Report{}, fmt.Errorf("load: warm-up: %w", loginErr)
	}
	fmt.Fprintf(w, "running for %s\n", cfg.Duration)

	var pushL, pullL, rtL []time.Duration
	rep.LoadBefore = loadAverage()
	cpu0 := sampleCPU(cfg.ServerPIDs, cfg.Database, cfg.DatabaseName)
	start = time.Now()
	end := start.Add(cfg.Duration)
	// In-flight round trips may finish after the window, but not forever.
	runCtx, cancel := context.WithDeadline(ctx, end.Add(30*time.Second))
	defer cancel()
	var period time.Duration
	if cfg.Rate > 0 {
		period = time.Duration(float64(time.Second) * float64(cfg.Devices) / cfg.Rate)
	}
	for i, d := range devs {
		lc := clientOf(i)
		wg.Go(func() {
			var myPush, myPull, myRT []time.Duration
			var muts, pulled, errs int
			var firstErr string
			// Devices start spread over one period, then keep their slot.
			at := start.Add(time.Duration(int64(period) * int64(i) / int64(len(devs))))
			timer := time.NewTimer(0)
			defer timer.Stop()
			for runCtx.Err() == nil {
				if period > 0 {
					if at.After(end) {
						break
					}
					if wait := time.Until(at); wait > 0 {
						timer.Reset(wait)
						select {
						case <-timer.C:
						case <-runCtx.Done():
						}
					}
				} else {
					at = time.Now()
					if at.After(end) {
						break
					}
				}
				sched := at
				at = at.Add(period)
				t0 := time.Now()
				n, got, t1, t2, err := lc.roundTrip(runCtx, d)
				if err != nil {
					if runCtx.Err() != nil {
						break
					}
					errs++
					if firstErr == "" {
						firstErr = err.Error()
					}
					continue
				}
				muts += n
				pulled += got
				myPush, myPull, myRT = append(myPush, t1.Sub(t0)), append(myPull, t2.Sub(t1)), append(myRT, t2.Sub(sched))
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
	// Throughput until the last round trip ended: a server that falls
	// behind the schedule finishes late and shows a lower rate.
	rep.Elapsed = time.Since(start)
	rep.CPU = sampleCPU(cfg.ServerPIDs, cfg.Database, cfg.DatabaseName).since(cpu0, len(rtL))
	rep.LoadAfter = loadAverage()
	rep.RoundTrips = len(rtL)
	rep.RoundTripsPS = float64(rep.RoundTrips) / rep.Elapsed.Seconds()
	rep.MutationsPS = float64(rep.Mutations) / rep.Elapsed.Seconds()
	rep.Push, rep.Pull, rep.RoundTrip = percentiles(pushL), percentiles(pullL), percentiles(rtL)
	return rep, nil
}

// loadClient sends a device's requests with hand-built bodies: over the
// device's own connection (rawhttp.go) when host is set, else with
// net/http.
type loadClient struct {
	base  string
	host  string // host:port of a plain http base
	hc    *http.Client
	batch int
}

// pullReply is the part of a pull reply the generator reads.
type pullReply struct {
	changes int
	next    int64
	more    bool
}

// readPull reads the cursor of a pull reply without decoding the changes:
// they are counted by their "seq" keys, and the cursor follows the array.
// The data the generator pushes never holds those keys; a reply of another
// shape is decoded in full.
func readPull(body []byte) (pullReply, error) {
	const tail = `],"next":`
	if i := bytes.LastIndex(body, []byte(tail)); i > 0 && bytes.HasPrefix(body, []byte(`{"changes":[`)) {
		rest := body[i+len(tail):]
		j := bytes.IndexByte(rest, ',')
		next, err := strconv.ParseInt(string(rest[:max(j, 0)]), 10, 64)
		if err == nil && j > 0 && bytes.HasPrefix(rest[j:], []byte(`,"more":`)) {
			return pullReply{changes: bytes.Count(body[:i], []byte(`{"seq":`)), next: next,
				more: bytes.HasPrefix(rest[j+len(`,"more":`):], []byte("true"))}, nil
		}
	}
	var p struct {
		Changes []struct{} `json:"changes"`
		Next    int64      `json:"next"`
		More    bool       `json:"more"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return pullReply{}, err
	}
	return pullReply{changes: len(p.Changes), next: p.Next, more: p.More}, nil
}

// roundTrip pushes a new batch (or the unacknowledged one again) and pulls
// to the end of the feed. It returns the mutations pushed, the changes
// pulled and when the push and the pull ended.
func (lc *loadClient) roundTrip(ctx context.Context, d *device) (pushed, pulled int, t1, t2 time.Time, err error) {
	if d.pending == nil {
		d.pending, d.pendingN = d.pushBody(lc.batch), lc.batch
	}
	if err := lc.do(ctx, d, http.MethodPost, "/v1/sync/push", d.pending); err != nil {
		return 0, 0, t1, t2, err
	}
	pushed, d.pending = d.pendingN, nil
	t1 = time.Now()
	for {
		if err := lc.do(ctx, d, http.MethodGet, "/v1/sync/pull?limit=500&since="+strconv.FormatInt(d.since, 10), nil); err != nil {
			return pushed, pulled, t1, t2, err
		}
		p, err := readPull(d.buf.Bytes())
		if err != nil {
			return pushed, pulled, t1, t2, fmt.Errorf("pull: %w", err)
		}
		pulled += p.changes
		d.since = p.next
		if !p.more {
			break
		}
	}
	return pushed, pulled, t1, time.Now(), nil
}

// do sends one request and reads the reply into d.buf; a status other than
// 200 is an error carrying the server's error code.
func (lc *loadClient) do(ctx context.Context, d *device, method, path string, body []byte) error {
	if lc.host != "" {
		status, err := lc.doRaw(ctx, d, method, path, body)
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return replyError(method, path, status, d.buf.Bytes())
		}
		return nil
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, lc.base+path, rd)
	if err != nil {
		return err
	}
	req.Header["Authorization"] = []string{d.auth}
	req.Header["User-Agent"] = []string{"naukar-load"}
	if body != nil {
		req.Header["Content-Type"] = []string{"application/json"}
	}
	resp, err := lc.hc.Do(req)
	if err != nil {
		return err
	}
	d.buf.Reset()
	_, err = d.buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return replyError(method, path, resp.StatusCode, d.buf.Bytes())
	}
	return nil
}

// post sends a JSON body without a token (sign-up, login; not retried, as
// neither is idempotent) and decodes a 2xx reply into out.
func (lc *loadClient) post(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, lc.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header["Content-Type"] = []string{"application/json"}
	req.Header["User-Agent"] = []string{"naukar-load"}
	resp, err := lc.hc.Do(req)
	if err != nil {
		return err
	}
	reply, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return replyError(http.MethodPost, path, resp.StatusCode, reply)
	}
	return json.Unmarshal(reply, out)
}

// replyError is a reply other than the expected one, with the server's
// error code and message.
func replyError(method, path string, status int, body []byte) error {
	var eb protocol.ErrorBody
	_ = json.Unmarshal(body, &eb)
	return &replyErr{code: eb.Error.Code, msg: fmt.Sprintf("%s %s: %d %s: %s", method, strings.SplitN(path, "?", 2)[0], status, eb.Error.Code, eb.Error.Message)}
}

type replyErr struct{ code, msg string }

func (e *replyErr) Error() string { return e.msg }

// isRateLimited tells whether err is the server's rate_limited answer.
func isRateLimited(err error) bool {
	var e *replyErr
	return errors.As(err, &e) && e.code == protocol.CodeRateLimited
}

// invoiceTail is the rest of a sale invoice document after its number: two
// lines, tax and a cash payment, about the size the app writes.
const invoiceTail = `","date":"2026-01-15","party":{"name":"Walk-in customer","state_code":"27"},` +
	`"lines":[{"product":"Parle-G 100g","hsn":"1905","qty":2,"unit":"pcs","price":1000,"gst_rate":1800,"taxable":1695,"tax":305},` +
	`{"product":"Tata Tea Gold 250g","hsn":"0902","qty":1,"unit":"pcs","price":15500,"gst_rate":500,"taxable":14762,"tax":738}],` +
	`"cgst":521,"sgst":522,"igst":0,"total":17500,"payments":[{"mode":"cash","amount":17500}]}`

// pushBody builds a push of n mutations: an edit of the device's product
// (a price change, a record) and n-1 new invoices (documents).
func (d *device) pushBody(n int) []byte {
	b := make([]byte, 0, 200+n*700)
	b = append(b, `{"device_id":"`...)
	b = append(b, d.id...)
	b = append(b, `","protocol_version":1,"mutations":[`...)
	for j := range n {
		d.n++
		if j > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"n":`...)
		b = strconv.AppendInt(b, d.n, 10)
		b = append(b, `,"hlc":"`...)
		b = append(b, d.clock.Now().String()...)
		if j == 0 {
			b = append(b, `","table":"products","id":"`...)
			b = append(b, d.product...)
			b = append(b, `","op":"upsert","data":{"price":`...)
			b = strconv.AppendInt(b, 1000+d.n%500, 10)
			b = append(b, `,"stock_alert":5}}`...)
			continue
		}
		b = append(b, `","table":"invoices","id":"`...)
		b = append(b, uuid.Must(uuid.NewV7()).String()...)
		b = append(b, `","op":"insert","data":{"number":"`...)
		b = append(b, d.id[len(d.id)-4:]...)
		b = append(b, '-')
		b = strconv.AppendInt(b, d.n, 10)
		b = append(b, invoiceTail...)
		b = append(b, '}')
	}
	return append(b, "]}"...)
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
