package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// trustLoopback lets tests pick their client address with X-Forwarded-For
// (the test client is on loopback, the trusted proxy).
func trustLoopback(c *api.Config) { c.TrustProxy = true }

// answer is a login reply as an attacker sees it.
type answer struct {
	status     int
	retryAfter string
	body       string
}

// loginFrom logs in as if from address ip.
func (e *env) loginFrom(ip, login, password string) answer {
	e.t.Helper()
	body, _ := json.Marshal(protocol.LoginRequest{Login: login, Password: password, DeviceName: "Counter"})
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/v1/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", ip)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("login: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header.Get("Retry-After"), string(b)}
}

// TestLoginThrottle runs the login-throttling tests on every store.
func TestLoginThrottle(t *testing.T) {
	tests := []struct {
		name string
		fn   func(t *testing.T, e *env)
	}{
		{"ConcurrentGuessesCountedBeforeBcrypt", testConcurrentGuesses},
		{"GrowingDelaysPerLoginAndAddress", testGrowingDelays},
		{"OtherAddressUnaffected", testOtherAddressUnaffected},
		{"UnknownAndKnownAnsweredAlike", testUnknownLikeKnown},
		{"ManyAddressesCannotLockOutKnownAddress", testDistributedGuessing},
		{"OneAddressCannotLockOutItsNAT", testNAT},
		{"DisconnectCountsAsFailure", testDisconnectCounts},
		{"PasswordOver72BytesRefused", testLongPassword},
		{"DeviceNameControlCharsRefused", testDeviceNameControl},
	}
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					tc.fn(t, newEnv(t, st.Open, trustLoopback))
				})
			}
		})
	}
}

// testConcurrentGuesses sends a burst of wrong guesses at once: only the
// free attempts of the pair reach bcrypt, the rest are refused before any
// check, and the address must wait before its next guess.
func testConcurrentGuesses(t *testing.T, e *env) {
	b := e.mustSignup()
	e.freeze()
	const burst = 40
	answers := make([]answer, burst)
	var wg gosync.WaitGroup
	for i := range burst {
		pw := fmt.Sprintf("guess %d", i)
		wg.Go(func() { answers[i] = e.loginFrom("198.51.100.7", b.email, pw) })
	}
	wg.Wait()
	checked := 0
	for _, a := range answers {
		switch a.status {
		case 401:
			checked++
		case 429:
		default:
			t.Fatalf("unexpected answer %+v", a)
		}
	}
	if checked > core.DefaultLoginPolicy.PairFree {
		t.Fatalf("%d of %d concurrent guesses were checked; at most %d may be", checked, burst, core.DefaultLoginPolicy.PairFree)
	}
	if checked == 0 {
		t.Fatal("no attempt of the burst was checked")
	}
	if a := e.loginFrom("198.51.100.7", b.email, b.password); a.status != 429 {
		t.Fatalf("the next guess right after the burst got %+v", a)
	}
}

// testGrowingDelays: after the free failures each attempt waits twice as
// long as the one before, and the wait is told in Retry-After.
func testGrowingDelays(t *testing.T, e *env) {
	b := e.mustSignup()
	const ip = "198.51.100.8"
	p := core.DefaultLoginPolicy
	for range p.PairFree {
		if a := e.loginFrom(ip, b.email, "wrong password"); a.status != 401 {
			t.Fatalf("free failure answered %+v", a)
		}
	}
	for i, want := range []string{"1", "2", "4", "8"} {
		a := e.loginFrom(ip, b.email, "wrong password")
		if a.status != 429 || a.retryAfter != want {
			t.Fatalf("step %d: want 429 with Retry-After %s, got %d %q", i, want, a.status, a.retryAfter)
		}
		e.advance(p.Delay(p.PairFree + i))
		if a := e.loginFrom(ip, b.email, "wrong password"); a.status != 401 {
			t.Fatalf("step %d: after the wait: %+v", i, a)
		}
	}
	if d := p.Delay(100); d != p.MaxDelay {
		t.Fatalf("delay after 100 failures %v, want the cap %v", d, p.MaxDelay)
	}
	// The right password once the wait is over; it clears the failures.
	e.advance(p.Delay(p.PairFree + 4))
	if a := e.loginFrom(ip, b.email, b.password); a.status != 200 {
		t.Fatalf("right password after the wait: %+v", a)
	}
	for range p.PairFree {
		if a := e.loginFrom(ip, b.email, "wrong password"); a.status != 401 {
			t.Fatalf("failures not forgotten after a login: %+v", a)
		}
	}
}

// testOtherAddressUnaffected: failures from one address do not stop the
// owner's right password from another.
func testOtherAddressUnaffected(t *testing.T, e *env) {
	b := e.mustSignup()
	for range 10 {
		e.loginFrom("203.0.113.66", b.email, "wrong password")
	}
	if a := e.loginFrom("203.0.113.66", b.email, b.password); a.status != 429 {
		t.Fatalf("the guessing address got %+v", a)
	}
	if a := e.loginFrom("192.0.2.10", b.email, b.password); a.status != 200 {
		t.Fatalf("the owner's address got %+v", a)
	}
}

// testUnknownLikeKnown: the same attempts against an account that exists
// and one that does not get byte-identical answers.
func testUnknownLikeKnown(t *testing.T, e *env) {
	b := e.mustSignup()
	// The clock stands still, so both sequences earn the same delays and
	// the same Retry-After however slowly a loaded machine runs them.
	e.freeze()
	seq := func(login, ip string) []answer {
		var out []answer
		for range core.DefaultLoginPolicy.PairFree + 2 {
			out = append(out, e.loginFrom(ip, login, "wrong password"))
		}
		return out
	}
	known, unknown := seq(b.email, "198.51.100.20"), seq("nobody-here@example.in", "198.51.100.21")
	for i := range known {
		if known[i] != unknown[i] {
			t.Fatalf("attempt %d: known account answered %+v, unknown %+v", i, known[i], unknown[i])
		}
	}
	if known[len(known)-1].status != 429 {
		t.Fatalf("the sequence never reached the limit: %+v", known)
	}
}

// testDistributedGuessing: guesses from many addresses close the account
// to new addresses, not to one the owner signed in from before.
func testDistributedGuessing(t *testing.T, e *env) {
	b := e.mustSignup() // signs in from 127.0.0.1
	p := core.DefaultLoginPolicy
	for i := range p.PerLogin {
		if a := e.loginFrom(fmt.Sprintf("10.9.%d.%d", i/200, i%200+1), b.email, "wrong password"); a.status != 401 {
			t.Fatalf("guess %d: %+v", i, a)
		}
	}
	if a := e.loginFrom("10.10.0.1", b.email, b.password); a.status != 429 {
		t.Fatalf("a new address during the attack got %+v", a)
	}
	if _, err := e.c.Login(ctx, protocol.LoginRequest{Login: b.email, Password: b.password}); err != nil {
		t.Fatalf("the owner's known address was locked out: %v", err)
	}
	e.advance(p.Window + time.Second)
	if a := e.loginFrom("10.10.0.1", b.email, b.password); a.status != 200 {
		t.Fatalf("after the window: %+v", a)
	}
}

// testNAT: one guesser behind a shop's address trying many logins stops
// new logins from there, but not staff who signed in from there before.
func testNAT(t *testing.T, e *env) {
	const nat = "100.64.1.1"
	staff := e.mustSignup()
	if a := e.loginFrom(nat, staff.email, staff.password); a.status != 200 {
		t.Fatalf("staff login: %+v", a)
	}
	p := core.DefaultLoginPolicy
	for i := range p.PerIP {
		if a := e.loginFrom(nat, fmt.Sprintf("victim%d@example.in", i), "wrong password"); a.status != 401 {
			t.Fatalf("guess %d: %+v", i, a)
		}
	}
	other := e.mustSignup()
	if a := e.loginFrom(nat, other.email, other.password); a.status != 429 {
		t.Fatalf("a login new to the address got %+v", a)
	}
	if a := e.loginFrom(nat, staff.email, staff.password); a.status != 200 {
		t.Fatalf("staff who signed in from the address before got %+v", a)
	}
}

// testDisconnectCounts: a client that hangs up while its password is being
// checked still used up an attempt. The server here uses a slow bcrypt
// cost so the test can hang up in the middle.
func testDisconnectCounts(t *testing.T, e *env) {
	// The clock stands still, so the delays the failures earn do not run
	// out while bcrypt works.
	e.freeze()
	slow := httptest.NewServer(api.New(api.Config{Store: e.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: e.now, BcryptCost: 12, TrustProxy: true}))
	defer slow.Close()
	i := signupCount.Add(1)
	sreq := signupReq(fmt.Sprintf("slow%d@example.in", i), fmt.Sprintf("95%08d", i))
	res, err := client.NewClient(slow.URL).Signup(ctx, sreq)
	if err != nil {
		t.Fatal(err)
	}
	b := &business{id: res.BusinessID, email: sreq.Owner.Email, password: sreq.Owner.Password}
	const ip = "198.51.100.99"
	disconnected := func() int {
		events, err := e.db.SecurityEvents(ctx, sessionOf(b.id), 100)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ev := range events {
			if ev.Kind == core.EventLoginFailed && strings.Contains(ev.Detail, "client disconnected") {
				n++
			}
		}
		return n
	}
	// The right password each time, abandoned. An attempt that hangs up
	// before the server recorded it (a slow machine) is sent again; one
	// answered 429 shows the abandoned ones were counted already.
	limited := false
	for try := 0; !limited && disconnected() < core.DefaultLoginPolicy.PairFree; try++ {
		if try == 20 {
			t.Fatalf("only %d of the abandoned logins reached the password check", disconnected())
		}
		before := disconnected()
		body, _ := json.Marshal(protocol.LoginRequest{Login: b.email, Password: b.password})
		rctx, cancel := context.WithTimeout(ctx, 60*time.Millisecond)
		req, _ := http.NewRequestWithContext(rctx, http.MethodPost, slow.URL+"/v1/login", bytes.NewReader(body))
		req.Header.Set("X-Forwarded-For", ip)
		resp, err := http.DefaultClient.Do(req)
		cancel()
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != 429 || before == 0 {
				t.Fatalf("login answered %d before the client hung up", resp.StatusCode)
			}
			limited = true
			continue
		}
		// The handler finishes bcrypt after the hang-up, then logs.
		deadline := time.Now().Add(5 * time.Second)
		for disconnected() == before && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
	}
	body, _ := json.Marshal(protocol.LoginRequest{Login: b.email, Password: b.password})
	req, _ := http.NewRequest(http.MethodPost, slow.URL+"/v1/login", bytes.NewReader(body))
	req.Header.Set("X-Forwarded-For", ip)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if a := (answer{status: resp.StatusCode}); a.status != 429 {
		t.Fatalf("after %d abandoned attempts the next one got %+v", core.DefaultLoginPolicy.PairFree, a)
	}
}

// testLongPassword: a password longer than bcrypt reads is wrong at login,
// as sign-up refuses it, even when its first 72 bytes are right.
func testLongPassword(t *testing.T, e *env) {
	i := signupCount.Add(1)
	pw := strings.Repeat("p", 72)
	req := signupReq(fmt.Sprintf("long%d@example.in", i), fmt.Sprintf("97%08d", i))
	req.Owner.Password = pw
	if _, err := e.c.Signup(ctx, req); err != nil {
		t.Fatal(err)
	}
	_, err := e.c.Login(ctx, protocol.LoginRequest{Login: req.Owner.Email, Password: pw + "extra"})
	wantCode(t, err, 401, protocol.CodeUnauthorized)
	if _, err := e.c.Login(ctx, protocol.LoginRequest{Login: req.Owner.Email, Password: pw}); err != nil {
		t.Fatalf("the 72-byte password: %v", err)
	}
}

// testDeviceNameControl: device names with control or direction-override
// characters are refused; Indian scripts with joiners are fine.
func testDeviceNameControl(t *testing.T, e *env) {
	b := e.mustSignup()
	for _, name := range []string{"Counter\x00", "Counter\x1b[31m", "Counter\u202e1", "Counter\u2066x", "Counter\u0007"} {
		_, err := e.c.Login(ctx, protocol.LoginRequest{Login: b.email, Password: b.password, DeviceName: name})
		if ae := wantCode(t, err, 400, protocol.CodeInvalid); !strings.Contains(ae.Message, "device name") {
			t.Fatalf("%q: message %q", name, ae.Message)
		}
	}
	if _, err := e.c.Login(ctx, protocol.LoginRequest{Login: b.email, Password: b.password, DeviceName: "काउंटर क्\u200dष"}); err != nil {
		t.Fatalf("a Devanagari name: %v", err)
	}
}

// TestClientIPRightMostUntrusted: behind a list of trusted proxies the
// client address is the right-most X-Forwarded-For hop that is not one of
// them; what the client writes further left changes nothing, and a client
// that is not a proxy cannot set its address at all.
func TestClientIPRightMostUntrusted(t *testing.T) {
	db := storetest.SQLite(t)
	srv := httptest.NewServer(api.New(api.Config{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BcryptCost: bcrypt.MinCost, TrustProxy: true,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}))
	defer srv.Close()
	untrusted := httptest.NewServer(api.New(api.Config{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BcryptCost: bcrypt.MinCost, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}))
	defer untrusted.Close()
	i := 0
	loggedIP := func(url string, xff ...string) string {
		t.Helper()
		i++
		body, _ := json.Marshal(signupReq(fmt.Sprintf("xff%d@example.in", i), fmt.Sprintf("96%08d", i)))
		req, _ := http.NewRequest(http.MethodPost, url+"/v1/signup", bytes.NewReader(body))
		for _, h := range xff {
			req.Header.Add("X-Forwarded-For", h)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var res protocol.SignupResponse
		if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != 201 {
			t.Fatalf("signup: %d %v", resp.StatusCode, err)
		}
		events, err := db.SecurityEvents(ctx, sessionOf(res.BusinessID), 10)
		if err != nil || len(events) == 0 {
			t.Fatalf("security log: %v %v", events, err)
		}
		return events[0].IP
	}
	for _, tc := range []struct {
		xff  []string
		want string
	}{
		{[]string{"203.0.113.9"}, "203.0.113.9"},
		{[]string{"6.6.6.6, 203.0.113.9"}, "203.0.113.9"},
		{[]string{"1.2.3.4, 5.6.7.8, 203.0.113.9, 10.0.0.2"}, "203.0.113.9"},
		{[]string{"1.2.3.4", "203.0.113.9, 10.1.2.3"}, "203.0.113.9"},
		{[]string{"::ffff:203.0.113.9"}, "203.0.113.9"},
		{[]string{"10.0.0.1, 10.0.0.2"}, "10.0.0.1"},
		{[]string{"1.2.3.4, not-an-address, 10.0.0.2"}, "10.0.0.2"},
		{nil, "127.0.0.1"},
	} {
		if got := loggedIP(srv.URL, tc.xff...); got != tc.want {
			t.Errorf("X-Forwarded-For %q: logged %q, want %q", tc.xff, got, tc.want)
		}
	}
	if got := loggedIP(untrusted.URL, "203.0.113.9"); got != "127.0.0.1" {
		t.Errorf("a peer that is not a trusted proxy set its address to %q", got)
	}
}
