package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// env is one server on loopback over a fresh store, with a client and a
// clock the test can move.
type env struct {
	t      testing.TB
	db     *store.DB
	srv    *httptest.Server
	c      *client.Client
	offset atomic.Int64 // added to time.Now by the server clock
	frozen atomic.Int64 // Unix ns the clock stands at (0: it runs)
}

func (e *env) now() time.Time {
	if f := e.frozen.Load(); f != 0 {
		return time.Unix(0, f).Add(time.Duration(e.offset.Load()))
	}
	return time.Now().Add(time.Duration(e.offset.Load()))
}

// freeze stops the servers' clock (advance still moves it), so that a slow
// machine does not let a wait run out in the middle of a test.
func (e *env) freeze() { e.frozen.Store(time.Now().UnixNano()) }

// advance moves the servers' clock (and the devices' clocks) forward by d.
func (e *env) advance(d time.Duration) { e.offset.Add(int64(d)) }

func newEnv(t testing.TB, open storetest.Opener, opts ...func(*api.Config)) *env {
	t.Helper()
	e := &env{t: t, db: open(t)}
	cfg := api.Config{
		Store:      e.db,
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:        e.now,
		BcryptCost: bcrypt.MinCost,
	}
	for _, o := range opts {
		o(&cfg)
	}
	s := api.New(cfg)
	e.srv = httptest.NewServer(s)
	t.Cleanup(e.srv.Close)
	e.c = client.NewClient(e.srv.URL, client.WithRetries(2, 10*time.Millisecond, 50*time.Millisecond))
	return e
}

var ctx = context.Background()

// business is a signed-up business with one logged-in device.
type business struct {
	id, email, phone, password string
	dev                        device
}

type device struct {
	token, id, series string
	n                 int64 // last mutation number used
	clock             *protocol.Clock
}

var signupCount atomic.Int64

func signupReq(email, phone string) protocol.SignupRequest {
	return protocol.SignupRequest{
		Owner: protocol.SignupOwner{Name: "Ramesh Kumar", Email: email, Phone: phone, Password: "correct horse"},
		Business: protocol.SignupBusiness{Name: "Kumar Kirana", GSTIN: "27AAPFU0939F1ZV", StateCode: "27",
			Address: "12 MG Road", City: "Pune", Category: "grocery"},
		AgeConfirmed: true, TermsAccepted: true,
	}
}

func (e *env) mustSignup() *business {
	e.t.Helper()
	i := signupCount.Add(1)
	b := &business{email: fmt.Sprintf("owner%d@example.in", i), phone: fmt.Sprintf("98%08d", i), password: "correct horse"}
	res, err := e.c.Signup(ctx, signupReq(b.email, b.phone))
	if err != nil {
		e.t.Fatalf("signup: %v", err)
	}
	b.id = res.BusinessID
	b.dev = e.mustLogin(b, "Counter 1")
	return b
}

func (e *env) mustLogin(b *business, name string) device {
	e.t.Helper()
	res, err := e.c.Login(ctx, protocol.LoginRequest{Login: b.email, Password: b.password, DeviceName: name})
	if err != nil {
		e.t.Fatalf("login: %v", err)
	}
	return device{token: res.Token, id: res.DeviceID, series: res.Series, clock: protocol.NewClock(res.DeviceID, protocol.HLC{}, e.now)}
}

// mut builds the next mutation of d.
func (d *device) mut(table, id, op string, data any) protocol.Mutation {
	d.n++
	raw, _ := json.Marshal(data)
	return protocol.Mutation{N: d.n, Table: table, ID: id, HLC: d.clock.Now().String(), Op: op, Data: raw}
}

func (e *env) push(d *device, ms ...protocol.Mutation) (protocol.PushResponse, error) {
	return e.c.Push(ctx, d.token, protocol.PushRequest{DeviceID: d.id, ProtocolVersion: 1, Mutations: ms})
}

func (e *env) mustPush(d *device, ms ...protocol.Mutation) protocol.PushResponse {
	e.t.Helper()
	res, err := e.push(d, ms...)
	if err != nil {
		e.t.Fatalf("push: %v", err)
	}
	return res
}

// pullAll pages through the whole feed.
func (e *env) pullAll(d *device, since int64) []protocol.Change {
	e.t.Helper()
	var out []protocol.Change
	for {
		res, err := e.c.Pull(ctx, d.token, since, 1000)
		if err != nil {
			e.t.Fatalf("pull: %v", err)
		}
		out = append(out, res.Changes...)
		since = res.Next
		if !res.More {
			return out
		}
	}
}

func (e *env) row(d *device, table, id string) map[string]any {
	e.t.Helper()
	for _, c := range e.pullAll(d, 0) {
		if c.Table == table && c.ID == id {
			var m map[string]any
			if err := json.Unmarshal(c.Data, &m); err != nil {
				e.t.Fatalf("row data: %v", err)
			}
			return m
		}
	}
	e.t.Fatalf("row %s %s not in pull", table, id)
	return nil
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// wantCode checks err is an *APIError with status and code.
func wantCode(t *testing.T, err error, status int, code string) *client.APIError {
	t.Helper()
	var ae *client.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want API error %d %s, got %v", status, code, err)
	}
	if ae.Status != status || ae.Code != code {
		t.Fatalf("want %d %s, got %d %s (%s)", status, code, ae.Status, ae.Code, ae.Message)
	}
	if ae.Message == "" {
		t.Fatalf("error %s has no message", code)
	}
	return ae
}

// TestSuite runs the same server tests against every store.
func TestSuite(t *testing.T) {
	tests := []struct {
		name string
		fn   func(t *testing.T, e *env)
	}{
		{"Signup", testSignup},
		{"SignupRefusesDuplicates", testSignupDuplicates},
		{"LoginSeriesAndMe", testLoginSeries},
		{"LoginRateLimited", testLoginRateLimit},
		{"RevokeStopsTokenAtOnce", testRevoke},
		{"RevokeThroughAnotherInstance", testRevokeOtherInstance},
		{"SecurityLog", testSecurityLog},
		{"PushIdempotentOnRetry", testPushIdempotent},
		{"PushGapRefused", testPushGap},
		{"InvalidMutationRejected", testInvalidMutation},
		{"PerFieldLWW", testPerFieldLWW},
		{"DocumentsNeverChange", testDocuments},
		{"TombstoneAndUnknownTable", testTombstoneUnknownTable},
		{"PullPaging", testPullPaging},
		{"TenantIsolation", testTenantIsolation},
		{"EpochChange", testEpoch},
		{"ClockSkewRefused", testClockSkew},
		{"ClientTooOld", testTooOld},
		{"BodyTooLarge", testTooLarge},
		{"ConcurrentPushesGaplessSeq", testConcurrentPushes},
	}
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					tc.fn(t, newEnv(t, st.Open))
				})
			}
		})
	}
}

func testSignup(t *testing.T, e *env) {
	res, err := e.c.Signup(ctx, signupReq("a@example.in", "+91 98765 43210"))
	if err != nil {
		t.Fatal(err)
	}
	if res.AccountID == "" || res.BusinessID == "" {
		t.Fatalf("ids missing: %+v", res)
	}
	// The phone was stored as its 10 digits (as the app keeps phones): log
	// in with any spelling of it.
	var l protocol.LoginResponse
	for _, login := range []string{"9876543210", "09876543210", "+91 98765-43210", "919876543210"} {
		if l, err = e.c.Login(ctx, protocol.LoginRequest{Login: login, Password: "correct horse", DeviceName: "PC"}); err != nil {
			t.Fatalf("login as %q: %v", login, err)
		}
	}
	me, err := e.c.Me(ctx, l.Token)
	if err != nil {
		t.Fatal(err)
	}
	if me.Account.Phone != "9876543210" || me.Business.GSTIN != "27AAPFU0939F1ZV" || me.Business.ID != res.BusinessID {
		t.Fatalf("me = %+v", me)
	}

	bad := []struct {
		name   string
		mutate func(r *protocol.SignupRequest)
		want   string
	}{
		{"ErrUnder18", func(r *protocol.SignupRequest) { r.AgeConfirmed = false }, "18"},
		{"ErrTerms", func(r *protocol.SignupRequest) { r.TermsAccepted = false }, "terms"},
		{"ErrName", func(r *protocol.SignupRequest) { r.Owner.Name = " " }, "Owner name"},
		{"ErrEmail", func(r *protocol.SignupRequest) { r.Owner.Email = "not-an-email" }, "email"},
		{"ErrPhone", func(r *protocol.SignupRequest) { r.Owner.Phone = "12345" }, "10-digit Indian mobile number"},
		{"ErrPassword", func(r *protocol.SignupRequest) { r.Owner.Password = "short" }, "8 characters"},
		{"ErrStateCode", func(r *protocol.SignupRequest) { r.Business.StateCode = "40"; r.Business.GSTIN = "" }, "State code"},
		{"ErrStateAbroad", func(r *protocol.SignupRequest) { r.Business.StateCode = "96"; r.Business.GSTIN = "" }, "only a place of supply for exports"},
		{"ErrGSTINChecksum", func(r *protocol.SignupRequest) { r.Business.GSTIN = "27AAPFU0939F1ZW" }, "check character"},
		{"ErrGSTINState", func(r *protocol.SignupRequest) { r.Business.GSTIN = "29AABCR1718E1ZL" }, "state"},
		{"ErrBusinessName", func(r *protocol.SignupRequest) { r.Business.Name = "" }, "Business name"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			req := signupReq("b@example.in", "9123456789")
			tc.mutate(&req)
			_, err := e.c.Signup(ctx, req)
			ae := wantCode(t, err, 400, protocol.CodeInvalid)
			if !strings.Contains(ae.Message, tc.want) {
				t.Fatalf("message %q does not mention %q", ae.Message, tc.want)
			}
		})
	}
	t.Run("GSTINOptional", func(t *testing.T) {
		req := signupReq("c@example.in", "9123456780")
		req.Business.GSTIN, req.Business.StateCode = "", "29"
		if _, err := e.c.Signup(ctx, req); err != nil {
			t.Fatal(err)
		}
	})
}

func testSignupDuplicates(t *testing.T, e *env) {
	if _, err := e.c.Signup(ctx, signupReq("dup@example.in", "9000000001")); err != nil {
		t.Fatal(err)
	}
	_, err := e.c.Signup(ctx, signupReq("DUP@example.in", "9000000002"))
	if ae := wantCode(t, err, 409, protocol.CodeConflict); !strings.Contains(ae.Message, "email") {
		t.Fatalf("message %q", ae.Message)
	}
	for _, phone := range []string{"+91-9000000001", "09000000001"} {
		_, err = e.c.Signup(ctx, signupReq("other@example.in", phone))
		if ae := wantCode(t, err, 409, protocol.CodeConflict); !strings.Contains(ae.Message, "phone") {
			t.Fatalf("%s: message %q", phone, ae.Message)
		}
	}
}

func testLoginSeries(t *testing.T, e *env) {
	b := e.mustSignup()
	if b.dev.series != "A" {
		t.Fatalf("first series %q", b.dev.series)
	}
	byPhone, err := e.c.Login(ctx, protocol.LoginRequest{Login: "+91" + b.phone, Password: b.password, DeviceName: "Laptop"})
	if err != nil {
		t.Fatal(err)
	}
	if byPhone.Series != "B" || byPhone.BusinessID != b.id || byPhone.Epoch == "" || len(byPhone.Token) != 43 {
		t.Fatalf("login = %+v", byPhone)
	}
	me, err := e.c.Me(ctx, byPhone.Token)
	if err != nil {
		t.Fatal(err)
	}
	if me.Device.ID != byPhone.DeviceID || me.Device.Series != "B" || me.Device.Name != "Laptop" || me.Epoch != byPhone.Epoch {
		t.Fatalf("me = %+v", me)
	}
	devs, err := e.c.Devices(ctx, byPhone.Token)
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) != 2 || !devs[1].Current || devs[0].Current {
		t.Fatalf("devices = %+v", devs)
	}
	// Series are assigned atomically: concurrent logins get distinct ones
	// (through a server whose login policy lets 8 run at once).
	loose := core.DefaultLoginPolicy
	loose.PairFree, loose.InFlightPerLogin = 8, 8
	ls := httptest.NewServer(api.New(api.Config{Store: e.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: e.now, BcryptCost: bcrypt.MinCost, LoginPolicy: loose}))
	defer ls.Close()
	lc := client.NewClient(ls.URL)
	var wg gosync.WaitGroup
	series := make(chan string, 8)
	for range 8 {
		wg.Go(func() {
			l, err := lc.Login(ctx, protocol.LoginRequest{Login: b.email, Password: b.password})
			if err != nil {
				t.Error(err)
				return
			}
			series <- l.Series
		})
	}
	wg.Wait()
	close(series)
	seen := map[string]bool{}
	for s := range series {
		if seen[s] {
			t.Fatalf("series %s given twice", s)
		}
		seen[s] = true
	}
	for _, s := range []string{"C", "D", "E", "F", "G", "H", "I", "J"} {
		if !seen[s] {
			t.Fatalf("series %s missing: %v", s, seen)
		}
	}
	_, err = e.c.Login(ctx, protocol.LoginRequest{Login: b.email, Password: "wrong password"})
	wantCode(t, err, 401, protocol.CodeUnauthorized)
	_, err = e.c.Login(ctx, protocol.LoginRequest{Login: "nobody@example.in", Password: "whatever1"})
	wantCode(t, err, 401, protocol.CodeUnauthorized)
}

func testLoginRateLimit(t *testing.T, e *env) {
	b := e.mustSignup()
	free := core.DefaultLoginPolicy.PairFree
	for range free {
		_, err := e.c.Login(ctx, protocol.LoginRequest{Login: b.email, Password: "wrong password"})
		wantCode(t, err, 401, protocol.CodeUnauthorized)
	}
	// From the same address even the right password waits now.
	_, err := e.c.Login(ctx, protocol.LoginRequest{Login: b.email, Password: b.password})
	wantCode(t, err, 429, protocol.CodeRateLimited)
	// Raw request to see Retry-After.
	resp, err := http.Post(e.srv.URL+"/v1/login", "application/json",
		strings.NewReader(`{"login":"`+b.email+`","password":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d retry-after %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// After the delay the right password works.
	e.advance(core.DefaultLoginPolicy.BaseDelay)
	if _, err := e.c.Login(ctx, protocol.LoginRequest{Login: b.email, Password: b.password}); err != nil {
		t.Fatalf("login after the delay: %v", err)
	}
}

func testRevoke(t *testing.T, e *env) {
	b := e.mustSignup()
	second := e.mustLogin(b, "Counter 2")
	if _, err := e.c.Me(ctx, second.token); err != nil {
		t.Fatal(err)
	}
	if err := e.c.RevokeDevice(ctx, b.dev.token, second.id); err != nil {
		t.Fatal(err)
	}
	_, err := e.c.Me(ctx, second.token)
	if ae := wantCode(t, err, 401, protocol.CodeRevoked); !strings.Contains(ae.Message, "sign in again") {
		t.Fatalf("message %q", ae.Message)
	}
	_, err = e.push(&second, second.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "x"}))
	wantCode(t, err, 401, protocol.CodeRevoked)
	_, err = e.c.Pull(ctx, second.token, 0, 10)
	wantCode(t, err, 401, protocol.CodeRevoked)

	_, err = e.c.Me(ctx, "no-such-token")
	if ae := wantCode(t, err, 401, protocol.CodeReRegister); !strings.Contains(ae.Message, "sign in again") {
		t.Fatalf("message %q", ae.Message)
	}
	_, err = e.c.Me(ctx, "")
	wantCode(t, err, 401, protocol.CodeUnauthorized)

	// Another business's device cannot be revoked.
	other := e.mustSignup()
	err = e.c.RevokeDevice(ctx, b.dev.token, other.dev.id)
	wantCode(t, err, 404, protocol.CodeNotFound)
	if _, err := e.c.Me(ctx, other.dev.token); err != nil {
		t.Fatalf("other business's device was hurt: %v", err)
	}

	if err := e.c.Logout(ctx, b.dev.token); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.Me(ctx, b.dev.token)
	wantCode(t, err, 401, protocol.CodeRevoked)
}

// testRevokeOtherInstance revokes a device through one server while a
// second server on the same store has its token cached: the second refuses
// its pushes at once and its pulls once the cache entry expires, after the
// default cache time by the second server's clock (moved, not slept).
func testRevokeOtherInstance(t *testing.T, e *env) {
	const ttl = 2 * time.Second // the documented default (server/README.md)
	start := e.now()
	var elapsed atomic.Int64
	otherNow := func() time.Time { return start.Add(time.Duration(elapsed.Load())) }
	other := httptest.NewServer(api.New(api.Config{Store: e.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: otherNow, BcryptCost: bcrypt.MinCost}))
	defer other.Close()
	oc := client.NewClient(other.URL, client.WithRetries(0, time.Millisecond, time.Millisecond))
	b := e.mustSignup()
	second := e.mustLogin(b, "Counter 2")
	if _, err := oc.Pull(ctx, second.token, 0, 10); err != nil {
		t.Fatal(err)
	}
	if err := e.c.RevokeDevice(ctx, b.dev.token, second.id); err != nil {
		t.Fatal(err)
	}
	m := second.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "x"})
	_, err := oc.Push(ctx, second.token, protocol.PushRequest{DeviceID: second.id, ProtocolVersion: 1, Mutations: []protocol.Mutation{m}})
	wantCode(t, err, 401, protocol.CodeRevoked)
	// Within the cache time the other instance still serves pulls...
	elapsed.Store(int64(ttl - time.Millisecond))
	if _, err := oc.Pull(ctx, second.token, 0, 10); err != nil {
		t.Fatalf("pull within the cache time: %v", err)
	}
	// ...and refuses them once it has passed.
	elapsed.Store(int64(ttl + time.Millisecond))
	_, err = oc.Pull(ctx, second.token, 0, 10)
	wantCode(t, err, 401, protocol.CodeRevoked)
}

func testSecurityLog(t *testing.T, e *env) {
	b := e.mustSignup()
	_, _ = e.c.Login(ctx, protocol.LoginRequest{Login: b.phone, Password: "wrong password"})
	second := e.mustLogin(b, "Counter 2")
	if err := e.c.RevokeDevice(ctx, second.token, b.dev.id); err != nil {
		t.Fatal(err)
	}
	third := e.mustLogin(b, "Counter 3")
	if err := e.c.Logout(ctx, second.token); err != nil {
		t.Fatal(err)
	}
	events, err := e.db.SecurityEvents(ctx, sessionOf(b.id), 100)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, ev := range events {
		kinds[ev.Kind]++
		if ev.IP != "127.0.0.1" || ev.UserAgent == "" || ev.At.IsZero() {
			t.Fatalf("event without ip/agent/time: %+v", ev)
		}
	}
	for _, k := range []string{"signup", "login", "login_failed", "device_added", "device_revoked", "logout"} {
		if kinds[k] == 0 {
			t.Fatalf("no %s event in %v", k, kinds)
		}
	}
	all, _ := json.Marshal(events)
	for _, secret := range []string{b.password, "wrong password", b.dev.token, second.token, third.token, b.phone, b.phone[2:]} {
		if strings.Contains(string(all), secret) {
			t.Fatalf("security log contains %q: %s", secret, all)
		}
	}
	if !strings.Contains(string(all), b.phone[len(b.phone)-4:]) {
		t.Fatalf("masked phone missing: %s", all)
	}
}

func testPushIdempotent(t *testing.T, e *env) {
	b := e.mustSignup()
	d := &b.dev
	ms := []protocol.Mutation{
		d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Tea", "price": 1000}),
		d.mut("parties", newID(), protocol.OpUpsert, map[string]any{"name": "Sita"}),
		d.mut("invoices", newID(), protocol.OpInsert, map[string]any{"number": "A-1", "total": 1000}),
	}
	res := e.mustPush(d, ms...)
	if res.LastN != 3 || res.Accepted != 3 || len(res.Rejected) != 0 || res.Epoch == "" {
		t.Fatalf("push = %+v", res)
	}
	before := e.pullAll(d, 0)
	res = e.mustPush(d, ms...)
	if res.LastN != 3 || res.Accepted != 0 {
		t.Fatalf("retry = %+v", res)
	}
	after := e.pullAll(d, 0)
	if len(before) != 3 || len(after) != 3 || after[2].Seq != before[2].Seq {
		t.Fatalf("retry changed the feed: %+v -> %+v", before, after)
	}
	// A batch that overlaps: 2..4 applies only 4.
	m4 := d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Sugar"})
	res = e.mustPush(d, ms[1], ms[2], m4)
	if res.LastN != 4 || res.Accepted != 1 {
		t.Fatalf("overlap = %+v", res)
	}
	me, _ := e.c.Me(ctx, d.token)
	if me.Device.LastN != 4 {
		t.Fatalf("me last_n = %d", me.Device.LastN)
	}
}

func testPushGap(t *testing.T, e *env) {
	b := e.mustSignup()
	d := &b.dev
	e.mustPush(d, d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Tea"}))
	m2 := d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Rice"})
	d.mut("products", newID(), protocol.OpUpsert, nil) // 3 is lost
	m4 := d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Dal"})
	_, err := e.push(d, m2, m4)
	if ae := wantCode(t, err, 409, protocol.CodeOutOfOrder); !strings.Contains(ae.Message, "3") {
		t.Fatalf("message %q", ae.Message)
	}
	// Nothing of the refused batch applied, not even 2.
	if got := e.pullAll(d, 0); len(got) != 1 {
		t.Fatalf("feed has %d rows, want 1", len(got))
	}
	_, err = e.push(d, m4)
	wantCode(t, err, 409, protocol.CodeOutOfOrder)
	if res := e.mustPush(d, m2); res.LastN != 2 {
		t.Fatalf("push 2 = %+v", res)
	}
}

func testInvalidMutation(t *testing.T, e *env) {
	b := e.mustSignup()
	d := &b.dev
	good1 := d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Tea"})
	badDoc := d.mut("invoices", newID(), protocol.OpUpsert, map[string]any{"total": 5})
	badTable := d.mut("Bad-Table", newID(), protocol.OpUpsert, map[string]any{"x": 1})
	badID := d.mut("products", "123", protocol.OpUpsert, map[string]any{"x": 1})
	badData := d.mut("products", newID(), protocol.OpUpsert, []int{1, 2})
	badOp := d.mut("products", newID(), "merge", map[string]any{"x": 1})
	badJSON := d.mut("products", newID(), protocol.OpUpsert, nil)
	badJSON.Data = json.RawMessage(`{"x":`)
	badHLC := d.mut("products", newID(), protocol.OpUpsert, map[string]any{"x": 1})
	badHLC.HLC = "yesterday"
	good2 := d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Rice"})
	// Raw JSON that is not valid cannot travel inside a valid body; send it as a string instead.
	badJSON.Data = json.RawMessage(`"{\"x\":"`)
	res := e.mustPush(d, good1, badDoc, badTable, badID, badData, badOp, badJSON, badHLC, good2)
	if res.LastN != 9 || res.Accepted != 2 || len(res.Rejected) != 7 {
		t.Fatalf("push = %+v", res)
	}
	for _, r := range res.Rejected {
		if r.Code != protocol.CodeInvalid || r.Message == "" {
			t.Fatalf("rejection %+v", r)
		}
	}
	pull, err := e.c.Pull(ctx, d.token, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(pull.Changes) != 2 || pull.Changes[0].ID != good1.ID || pull.Changes[1].ID != good2.ID {
		t.Fatalf("changes = %+v", pull.Changes)
	}
	if len(pull.Rejections) != 7 || pull.Rejections[0].N != 2 || pull.Rejections[6].N != 8 {
		t.Fatalf("rejections = %+v", pull.Rejections)
	}
	// The queue moves on.
	if res := e.mustPush(d, d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Dal"})); res.LastN != 10 {
		t.Fatalf("next push = %+v", res)
	}
	// Another device does not see this device's rejections.
	other := e.mustLogin(b, "Counter 2")
	if p, _ := e.c.Pull(ctx, other.token, 0, 10); len(p.Rejections) != 0 {
		t.Fatalf("other device sees rejections: %+v", p.Rejections)
	}
}

func testPerFieldLWW(t *testing.T, e *env) {
	b := e.mustSignup()
	d1 := &b.dev
	d2v := e.mustLogin(b, "Counter 2")
	d2 := &d2v
	pid := newID()
	e.mustPush(d1, d1.mut("products", pid, protocol.OpUpsert, map[string]any{"name": "Soap", "price": 1000, "hsn": "3401"}))
	// Different fields edited on two devices: both survive.
	e.mustPush(d1, d1.mut("products", pid, protocol.OpUpsert, map[string]any{"name": "Soap Bar"}))
	e.mustPush(d2, d2.mut("products", pid, protocol.OpUpsert, map[string]any{"price": 1200}))
	got := e.row(d1, "products", pid)
	if got["name"] != "Soap Bar" || got["price"] != float64(1200) || got["hsn"] != "3401" {
		t.Fatalf("row = %v", got)
	}

	// Same field: the higher stamp wins whichever arrives first.
	for _, order := range []string{"newer-first", "older-first"} {
		t.Run(order, func(t *testing.T) {
			id := newID()
			e.mustPush(d1, d1.mut("products", id, protocol.OpUpsert, map[string]any{"name": "Oil", "price": 100}))
			older := d2.mut("products", id, protocol.OpUpsert, map[string]any{"price": 140})
			e.advance(2 * time.Millisecond)
			newer := d1.mut("products", id, protocol.OpUpsert, map[string]any{"price": 150})
			if order == "newer-first" {
				e.mustPush(d1, newer)
				e.mustPush(d2, older)
			} else {
				e.mustPush(d2, older)
				e.mustPush(d1, newer)
			}
			if got := e.row(d2, "products", id); got["price"] != float64(150) || got["name"] != "Oil" {
				t.Fatalf("row = %v", got)
			}
		})
	}
	// Field stamps travel with the change.
	for _, c := range e.pullAll(d1, 0) {
		if c.ID == pid && (c.FieldHLC["name"] == "" || c.FieldHLC["price"] == "" || c.FieldHLC["name"] == c.FieldHLC["price"]) {
			t.Fatalf("field stamps = %v", c.FieldHLC)
		}
	}
}

func testDocuments(t *testing.T, e *env) {
	b := e.mustSignup()
	d1 := &b.dev
	d2v := e.mustLogin(b, "Counter 2")
	d2 := &d2v
	id := newID()
	e.mustPush(d1, d1.mut("invoices", id, protocol.OpInsert, map[string]any{"number": "A-1", "total": 11800}))
	seqBefore := e.pullAll(d1, 0)[0].Seq
	res := e.mustPush(d2, d2.mut("invoices", id, protocol.OpInsert, map[string]any{"number": "B-1", "total": 99}))
	if res.Accepted != 1 || len(res.Rejected) != 0 {
		t.Fatalf("push = %+v", res)
	}
	res = e.mustPush(d2, d2.mut("invoices", id, protocol.OpDelete, nil))
	if len(res.Rejected) != 1 {
		t.Fatalf("delete of a document not rejected: %+v", res)
	}
	feed := e.pullAll(d2, 0)
	if len(feed) != 1 || feed[0].Seq != seqBefore || feed[0].Op != protocol.OpInsert {
		t.Fatalf("feed = %+v", feed)
	}
	if got := e.row(d2, "invoices", id); got["number"] != "A-1" || got["total"] != float64(11800) {
		t.Fatalf("document changed: %v", got)
	}
}

func testTombstoneUnknownTable(t *testing.T, e *env) {
	b := e.mustSignup()
	d := &b.dev
	pid, lid := newID(), newID()
	e.mustPush(d,
		d.mut("products", pid, protocol.OpUpsert, map[string]any{"name": "Tea"}),
		d.mut("products", pid, protocol.OpDelete, nil),
		d.mut("loyalty_points", lid, protocol.OpUpsert, map[string]any{"points": 7, "future_field": "kept"}))
	feed := e.pullAll(d, 0)
	if len(feed) != 2 {
		t.Fatalf("feed = %+v", feed)
	}
	if feed[0].ID != pid || feed[0].Op != protocol.OpDelete || !strings.Contains(string(feed[0].Data), `"deleted":1`) {
		t.Fatalf("tombstone = %+v", feed[0])
	}
	if feed[1].Table != "loyalty_points" || !strings.Contains(string(feed[1].Data), `"future_field":"kept"`) {
		t.Fatalf("unknown table = %+v %s", feed[1], feed[1].Data)
	}
}

func testPullPaging(t *testing.T, e *env) {
	b := e.mustSignup()
	d := &b.dev
	var ms []protocol.Mutation
	ids := make([]string, 25)
	for i := range ids {
		ids[i] = newID()
		ms = append(ms, d.mut("products", ids[i], protocol.OpUpsert, map[string]any{"name": fmt.Sprint("P", i)}))
	}
	e.mustPush(d, ms...)
	// Edit the first row: the feed keeps only its newest version, at the end.
	e.mustPush(d, d.mut("products", ids[0], protocol.OpUpsert, map[string]any{"name": "P0 new"}))
	var since int64
	var pages []int
	var all []protocol.Change
	for {
		p, err := e.c.Pull(ctx, d.token, since, 10)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, len(p.Changes))
		all = append(all, p.Changes...)
		if len(p.Changes) > 0 && p.Next != p.Changes[len(p.Changes)-1].Seq {
			t.Fatalf("next %d is not the last seq", p.Next)
		}
		since = p.Next
		if !p.More {
			break
		}
	}
	if fmt.Sprint(pages) != "[10 10 5]" {
		t.Fatalf("pages = %v", pages)
	}
	seen := map[string]bool{}
	for i, c := range all {
		if seen[c.ID] {
			t.Fatalf("row %s twice in feed", c.ID)
		}
		seen[c.ID] = true
		if i > 0 && c.Seq <= all[i-1].Seq {
			t.Fatalf("feed not in seq order")
		}
	}
	if last := all[len(all)-1]; last.ID != ids[0] || !strings.Contains(string(last.Data), "P0 new") {
		t.Fatalf("last = %+v", last)
	}
	p, err := e.c.Pull(ctx, d.token, since, 10)
	if err != nil || len(p.Changes) != 0 || p.More || p.Next != since {
		t.Fatalf("pull at end = %+v, %v", p, err)
	}
	// Limits: default and max.
	resp, err := http.Get(e.srv.URL + "/v1/sync/pull?since=-1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("unauthenticated pull: %d", resp.StatusCode)
	}
}

func testTenantIsolation(t *testing.T, e *env) {
	a, b := e.mustSignup(), e.mustSignup()
	shared := newID() // the same row id in both businesses stays two rows
	e.mustPush(&a.dev, a.dev.mut("products", shared, protocol.OpUpsert, map[string]any{"name": "A's"}))
	e.mustPush(&b.dev, b.dev.mut("products", shared, protocol.OpUpsert, map[string]any{"name": "B's"}))
	e.mustPush(&b.dev, b.dev.mut("parties", newID(), protocol.OpUpsert, map[string]any{"name": "B secret"}))
	feed := e.pullAll(&a.dev, 0)
	if len(feed) != 1 || !strings.Contains(string(feed[0].Data), "A's") {
		t.Fatalf("A sees %+v", feed)
	}
	// A's token naming B's device is refused.
	_, err := e.c.Push(ctx, a.dev.token, protocol.PushRequest{DeviceID: b.dev.id, ProtocolVersion: 1,
		Mutations: []protocol.Mutation{a.dev.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "x"})}})
	wantCode(t, err, 403, protocol.CodeForbidden)
	a.dev.n--
	// A body naming B's business is refused.
	body := fmt.Sprintf(`{"device_id":%q,"business_id":%q,"protocol_version":1,"mutations":[]}`, a.dev.id, b.id)
	req, _ := http.NewRequest("POST", e.srv.URL+"/v1/sync/push", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+a.dev.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("push naming business B: %d", resp.StatusCode)
	}
	// B's data is unchanged and B does not see A.
	feed = e.pullAll(&b.dev, 0)
	if len(feed) != 2 || !strings.Contains(string(feed[0].Data), "B's") {
		t.Fatalf("B sees %+v", feed)
	}
	devs, _ := e.c.Devices(ctx, a.dev.token)
	if len(devs) != 1 || devs[0].ID != a.dev.id {
		t.Fatalf("A's devices = %+v", devs)
	}
	me, _ := e.c.Me(ctx, b.dev.token)
	if me.Business.ID != b.id || me.Account.Email != b.email {
		t.Fatalf("B's me = %+v", me)
	}
}

func testEpoch(t *testing.T, e *env) {
	b := e.mustSignup()
	d := &b.dev
	me, _ := e.c.Me(ctx, d.token)
	old := me.Epoch
	m := d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Tea"})
	if _, err := e.c.Push(ctx, d.token, protocol.PushRequest{DeviceID: d.id, ProtocolVersion: 1, Epoch: old,
		Mutations: []protocol.Mutation{m}}); err != nil {
		t.Fatal(err)
	}
	fresh, err := e.db.NewEpoch(ctx)
	if err != nil || fresh == old {
		t.Fatalf("new epoch %q %v", fresh, err)
	}
	_, err = e.c.Push(ctx, d.token, protocol.PushRequest{DeviceID: d.id, ProtocolVersion: 1, Epoch: old,
		Mutations: []protocol.Mutation{d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Rice"})}})
	if ae := wantCode(t, err, 409, protocol.CodeEpochChanged); !strings.Contains(ae.Message, "restored") {
		t.Fatalf("message %q", ae.Message)
	}
	p, err := e.c.Pull(ctx, d.token, 0, 10)
	if err != nil || p.Epoch != fresh {
		t.Fatalf("pull epoch %q, %v", p.Epoch, err)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/v1/sync/pull?since=0&epoch="+old, nil)
	req.Header.Set("Authorization", "Bearer "+d.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 409 {
		t.Fatalf("pull with old epoch: %d", resp.StatusCode)
	}
}

func testClockSkew(t *testing.T, e *env) {
	b := e.mustSignup()
	d := &b.dev
	ok := d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Tea"})
	ahead := d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Future"})
	ahead.HLC = protocol.HLC{Wall: time.Now().Add(protocol.MaxSkew + time.Minute).UnixMilli(), Device: d.id}.String()
	_, err := e.push(d, ok, ahead)
	if ae := wantCode(t, err, 400, protocol.CodeClockSkew); !strings.Contains(ae.Message, "clock") {
		t.Fatalf("message %q", ae.Message)
	}
	if feed := e.pullAll(d, 0); len(feed) != 0 {
		t.Fatalf("a refused batch applied %d rows", len(feed))
	}
	// Within the bound is fine.
	ahead.HLC = protocol.HLC{Wall: time.Now().Add(protocol.MaxSkew - time.Minute).UnixMilli(), Device: d.id}.String()
	if res := e.mustPush(d, ok, ahead); res.LastN != 2 {
		t.Fatalf("push = %+v", res)
	}
}

func testTooOld(t *testing.T, e *env) {
	b := e.mustSignup()
	_, err := e.c.Push(ctx, b.dev.token, protocol.PushRequest{DeviceID: b.dev.id, ProtocolVersion: -1})
	if ae := wantCode(t, err, 426, protocol.CodeTooOld); !strings.Contains(ae.Message, "update") {
		t.Fatalf("message %q", ae.Message)
	}
}

func testTooLarge(t *testing.T, e *env) {
	b := e.mustSignup()
	big := strings.Repeat("x", 9<<20)
	_, err := e.push(&b.dev, b.dev.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": big}))
	wantCode(t, err, 413, "too_large")
}

func testConcurrentPushes(t *testing.T, e *env) {
	b := e.mustSignup()
	const devices, batches, perBatch = 4, 8, 25
	devs := []*device{&b.dev}
	for i := 1; i < devices; i++ {
		d := e.mustLogin(b, fmt.Sprint("Counter ", i+1))
		devs = append(devs, &d)
	}
	var wg gosync.WaitGroup
	for _, d := range devs {
		wg.Go(func() {
			for range batches {
				var ms []protocol.Mutation
				for range perBatch {
					ms = append(ms, d.mut("invoices", newID(), protocol.OpInsert, map[string]any{"series": d.series}))
				}
				if _, err := e.push(d, ms...); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	feed := e.pullAll(devs[0], 0)
	if len(feed) != devices*batches*perBatch {
		t.Fatalf("feed has %d rows, want %d", len(feed), devices*batches*perBatch)
	}
	for i, c := range feed {
		if c.Seq != int64(i+1) {
			t.Fatalf("seq %d at position %d: seqs are not unique and gapless", c.Seq, i)
		}
	}
}
