package billing_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/billing"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

var ctx = context.Background()

// env is a server with the billing module on loopback over a fresh store,
// with a clock the test sets.
type env struct {
	t       testing.TB
	db      *store.DB
	srv     *httptest.Server
	c       *client.Client
	mod     *billing.Module
	counter *plans.Counter
	mu      sync.Mutex
	clock   time.Time
}

func (e *env) now() time.Time { e.mu.Lock(); defer e.mu.Unlock(); return e.clock }

func (e *env) set(t time.Time) { e.mu.Lock(); e.clock = t; e.mu.Unlock() }

// envOpt changes the env's billing config once the job queue exists (for
// a module that registers jobs on it, such as the email notices).
type envOpt func(e *env, q *jobs.Queue, cfg *billing.Config)

// newEnv makes the env; opts are core.LoginPolicy values and envOpts.
func newEnv(t testing.TB, open storetest.Opener, cfg billing.Config, opts ...any) *env {
	t.Helper()
	e := &env{t: t, db: open(t), clock: time.Now()}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if cfg.Plans.Plans == nil {
		cfg.Plans = plans.Defaults()
	}
	e.counter = plans.NewCounter(e.db, cfg.Plans, e.now)
	cfg.Store, cfg.Counter, cfg.Logger, cfg.Now = e.db, e.counter, log, e.now
	q := jobs.New(e.db, jobs.Config{Logger: log, PollInterval: 50 * time.Millisecond, SoleInstance: e.db.Dialect() == "sqlite"})
	cfg.Queue = q
	var policy []core.LoginPolicy
	for _, o := range opts {
		switch o := o.(type) {
		case core.LoginPolicy:
			policy = append(policy, o)
		case envOpt:
			o(e, q, &cfg)
		default:
			t.Fatalf("newEnv: unknown option %T", o)
		}
	}
	e.mod = billing.New(cfg)
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(c)
	})
	policy = append(policy, core.DefaultLoginPolicy)
	e.srv = httptest.NewServer(api.New(api.Config{Store: e.db, Logger: log, Now: e.now, BcryptCost: bcrypt.MinCost,
		Modules: []api.Module{e.mod}, DeviceLimits: e.counter, LoginPolicy: policy[0]}))
	t.Cleanup(e.srv.Close)
	e.c = client.NewClient(e.srv.URL)
	return e
}

var signups atomic.Int64

type shop struct {
	id, email string
	token     string // the first device's
	deviceID  string
}

func (e *env) signup() *shop {
	e.t.Helper()
	i := signups.Add(1)
	s := &shop{email: fmt.Sprintf("billing%d-%d@example.in", i, time.Now().UnixNano()%1e6)}
	res, err := e.c.Signup(ctx, protocol.SignupRequest{
		Owner: protocol.SignupOwner{Name: "Ramesh Kumar", Email: s.email, Phone: fmt.Sprintf("97%08d", time.Now().UnixNano()%1e8), Password: "correct horse"},
		Business: protocol.SignupBusiness{Name: "Kumar Kirana", GSTIN: "27AAPFU0939F1ZV", StateCode: "27",
			Address: "12 MG Road", City: "Pune"},
		AgeConfirmed: true, TermsAccepted: true})
	if err != nil {
		e.t.Fatalf("signup: %v", err)
	}
	s.id = res.BusinessID
	l, err := e.login(s, "Counter 1")
	if err != nil {
		e.t.Fatalf("login: %v", err)
	}
	s.token, s.deviceID = l.Token, l.DeviceID
	return s
}

func (e *env) login(s *shop, device string) (protocol.LoginResponse, error) {
	return e.c.Login(ctx, protocol.LoginRequest{Login: s.email, Password: "correct horse", DeviceName: device})
}

// call does a request with the shop's token and decodes a JSON answer into
// out (when not nil); it returns the status and the raw body.
func (e *env) call(method, path, token string, body any, out any) (int, string) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			e.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
	return res.StatusCode, string(raw)
}

func (e *env) status(s *shop) protocol.BillingStatus {
	e.t.Helper()
	var st protocol.BillingStatus
	if code, body := e.call("GET", "/v1/billing", s.token, nil, &st); code != 200 {
		e.t.Fatalf("GET /v1/billing: %d %s", code, body)
	}
	return st
}

func (e *env) setPlan(s *shop, st plans.State) {
	e.t.Helper()
	_, err := e.db.UpdatePlanState(ctx, s.id, e.now(), func(plans.State) (plans.State, bool, error) { return st, true, nil })
	if err != nil {
		e.t.Fatal(err)
	}
}

// eventually waits (up to 10 s) for cond, which a background job makes
// true.
func (e *env) eventually(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
