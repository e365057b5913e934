package api_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// rawStore is a store with a second, plain connection to its database, to
// damage it as a failing disk or a hand-made edit would.
type rawStore struct {
	name string
	open func(t testing.TB) (*store.DB, *sql.DB)
}

var rawStores = []rawStore{
	{"sqlite", func(t testing.TB) (*store.DB, *sql.DB) {
		dir := t.TempDir()
		db, err := store.OpenSQLite(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile)+"?_pragma=busy_timeout(5000)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		return db, raw
	}},
	{"postgres", func(t testing.TB) (*store.DB, *sql.DB) {
		u := storetest.PostgresURL(t)
		db, err := store.OpenPostgres(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		raw, err := sql.Open("pgx", u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		return db, raw
	}},
}

// logBuffer collects a server's log lines.
type logBuffer struct {
	mu  gosync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// errorBody is the server's JSON error shape.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// get sends a request and returns the status, headers and body.
func get(t *testing.T, method, url string, hdr map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// mustErrorBody checks body is the JSON error shape with code.
func mustErrorBody(t *testing.T, hdr http.Header, body []byte, code string) errorBody {
	t.Helper()
	var eb errorBody
	if ct := hdr.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q, body %q", ct, body)
	}
	if err := json.Unmarshal(body, &eb); err != nil || eb.Error.Code != code || eb.Error.Message == "" {
		t.Fatalf("want error %s, got %q (%v)", code, body, err)
	}
	return eb
}

// TestSmallerHardening runs the tests of issue 11's smaller items on every
// store.
func TestSmallerHardening(t *testing.T) {
	tests := []struct {
		name string
		fn   func(t *testing.T, rs rawStore)
	}{
		{"NotFoundAndMethodAnswerJSON", testNotFoundJSON},
		{"HSTSOnlyOverTLS", testHSTS},
		{"DamagedRowIsALogged500NotBadJSON", testDamagedRow},
		{"HealthzReportsReasons", testHealthz},
	}
	for _, rs := range rawStores {
		t.Run(rs.name, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) { tc.fn(t, rs) })
			}
		})
	}
}

func openerOf(rs rawStore, raw **sql.DB) storetest.Opener {
	return func(tb testing.TB) *store.DB {
		db, r := rs.open(tb)
		if raw != nil {
			*raw = r
		}
		return db
	}
}

// testNotFoundJSON: an unknown path is a 404 and a known path with another
// method a 405 (with Allow), both in the JSON error shape.
func testNotFoundJSON(t *testing.T, rs rawStore) {
	e := newEnv(t, openerOf(rs, nil))
	st, hdr, body := get(t, http.MethodGet, e.srv.URL+"/v1/no-such-thing", nil)
	if st != http.StatusNotFound {
		t.Fatalf("unknown path: %d %s", st, body)
	}
	mustErrorBody(t, hdr, body, protocol.CodeNotFound)

	st, hdr, body = get(t, http.MethodPost, e.srv.URL+"/v1/sync/pull", nil)
	if st != http.StatusMethodNotAllowed {
		t.Fatalf("POST pull: %d %s", st, body)
	}
	eb := mustErrorBody(t, hdr, body, "method_not_allowed")
	if !strings.Contains(hdr.Get("Allow"), "GET") || !strings.Contains(eb.Error.Message, "GET") {
		t.Fatalf("Allow %q, message %q", hdr.Get("Allow"), eb.Error.Message)
	}
	st, hdr, body = get(t, http.MethodDelete, e.srv.URL+"/healthz", nil)
	if st != http.StatusMethodNotAllowed {
		t.Fatalf("DELETE healthz: %d %s", st, body)
	}
	mustErrorBody(t, hdr, body, "method_not_allowed")
	// A known route still answers as before.
	if st, _, body := get(t, http.MethodGet, e.srv.URL+"/healthz", nil); st != http.StatusOK {
		t.Fatalf("healthz: %d %s", st, body)
	}
}

// testHSTS: Strict-Transport-Security is sent over TLS, and behind a
// trusted proxy that took HTTPS, never over plain HTTP or when an
// untrusted client claims HTTPS.
func testHSTS(t *testing.T, rs rawStore) {
	db, _ := rs.open(t)
	newServer := func(tls bool, trust bool) *httptest.Server {
		s := api.New(api.Config{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BcryptCost: bcrypt.MinCost, TrustProxy: trust})
		var srv *httptest.Server
		if tls {
			srv = httptest.NewTLSServer(s)
		} else {
			srv = httptest.NewServer(s)
		}
		t.Cleanup(srv.Close)
		return srv
	}
	hstsOf := func(c *http.Client, url string, hdr map[string]string) string {
		req, _ := http.NewRequest(http.MethodGet, url+"/healthz", nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get("Strict-Transport-Security")
	}
	https := newServer(true, false)
	if h := hstsOf(https.Client(), https.URL, nil); !strings.HasPrefix(h, "max-age=31536000") {
		t.Fatalf("over TLS: Strict-Transport-Security %q", h)
	}
	plain := newServer(false, false)
	if h := hstsOf(http.DefaultClient, plain.URL, map[string]string{"X-Forwarded-Proto": "https"}); h != "" {
		t.Fatalf("plain HTTP, untrusted client claiming https: %q", h)
	}
	proxied := newServer(false, true)
	if h := hstsOf(http.DefaultClient, proxied.URL, map[string]string{"X-Forwarded-Proto": "https"}); !strings.HasPrefix(h, "max-age=") {
		t.Fatalf("behind a trusted proxy that took https: %q", h)
	}
	if h := hstsOf(http.DefaultClient, proxied.URL, map[string]string{"X-Forwarded-Proto": "http"}); h != "" {
		t.Fatalf("behind a trusted proxy over http: %q", h)
	}
}

// testDamagedRow: a stored row whose data is no longer JSON (a damaged
// page, a hand edit) makes the pull a 500 in the JSON error shape, with
// the row named in the server log; the server never sends a 200 page
// that is not JSON.
func testDamagedRow(t *testing.T, rs rawStore) {
	var raw *sql.DB
	logs := &logBuffer{}
	e := newEnv(t, openerOf(rs, &raw), func(c *api.Config) { c.Logger = slog.New(slog.NewTextHandler(logs, nil)) })
	b := e.mustSignup()
	id := newID()
	e.mustPush(&b.dev, b.dev.mut("products", id, protocol.OpUpsert, map[string]any{"name": "Tea"}))
	bads := []string{`{"name":"Te`}
	if rs.name == "sqlite" { // PostgreSQL stores no broken UTF-8
		bads = append(bads, "{\"name\":\"\xff\xfe\"}")
	}
	for _, bad := range bads {
		if _, err := raw.ExecContext(ctx, `UPDATE sync_rows SET data = $1 WHERE id = $2`, bad, id); err != nil {
			t.Fatal(err)
		}
		st, hdr, body := get(t, http.MethodGet, e.srv.URL+"/v1/sync/pull?since=0", map[string]string{"Authorization": "Bearer " + b.dev.token})
		if st != http.StatusInternalServerError {
			t.Fatalf("pull of a damaged row %q: %d %s", bad, st, body)
		}
		mustErrorBody(t, hdr, body, protocol.CodeInternal)
		if l := logs.String(); !strings.Contains(l, "level=ERROR") || !strings.Contains(l, "not valid JSON") || !strings.Contains(l, id) {
			t.Fatalf("the damaged row is not in the log:\n%s", l)
		}
	}
	// Mended, the page goes out again.
	if _, err := raw.ExecContext(ctx, `UPDATE sync_rows SET data = $1 WHERE id = $2`, `{"name":"Tea"}`, id); err != nil {
		t.Fatal(err)
	}
	if got := e.row(&b.dev, "products", id); got["name"] != "Tea" {
		t.Fatalf("mended row: %v", got)
	}
}

// testHealthz: /healthz is 200 when all is well; 503 with reasons when
// free disk space is under the threshold or the database does not answer.
func testHealthz(t *testing.T, rs rawStore) {
	db, _ := rs.open(t)
	logs := &logBuffer{}
	serve := func(minFree int64) string {
		srv := httptest.NewServer(api.New(api.Config{Store: db, Logger: slog.New(slog.NewTextHandler(logs, nil)),
			BcryptCost: bcrypt.MinCost, HealthDir: t.TempDir(), MinFreeDisk: minFree}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	health := func(url string) (int, api.HealthResponse) {
		st, _, body := get(t, http.MethodGet, url+"/healthz", nil)
		var h api.HealthResponse
		if err := json.Unmarshal(body, &h); err != nil {
			t.Fatalf("healthz body %q: %v", body, err)
		}
		return st, h
	}
	ok, full := serve(1<<20), serve(1<<62)
	if st, h := health(ok); st != 200 || h.Status != "ok" || len(h.Reasons) != 0 {
		t.Fatalf("healthy: %d %+v", st, h)
	}
	st, h := health(full)
	if st != 503 || h.Status != "unavailable" || len(h.Reasons) != 1 || !strings.Contains(h.Reasons[0], "free disk space") ||
		h.Error == nil || h.Error.Code != "unavailable" {
		t.Fatalf("disk full: %d %+v", st, h)
	}
	if !strings.Contains(logs.String(), "low disk space") {
		t.Fatalf("low disk space not logged:\n%s", logs.String())
	}
	db.Close()
	st, h = health(full)
	if st != 503 || len(h.Reasons) != 2 || !strings.Contains(h.Reasons[0], "database") {
		t.Fatalf("database closed, disk full: %d %+v", st, h)
	}
}

// TestDeviceIdleExpiry: a device not seen for longer than the idle limit
// (90 days by default) is signed out: its token gets device_revoked with a
// message saying why, the owner's security log says so, and a login
// signs out every idle device of the business first (freeing its place in
// the plan's count). Any request keeps a device alive, pulls too. A
// negative limit keeps devices forever. On every store.
func TestDeviceIdleExpiry(t *testing.T) {
	const day = 24 * time.Hour
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			t.Run("Expires", func(t *testing.T) {
				e := newEnv(t, st.Open)
				e.freeze()
				b := e.mustSignup()
				idle := e.mustLogin(b, "Till 2")
				forgotten := e.mustLogin(b, "Old laptop")
				e.advance(89 * day)
				if _, err := e.c.Pull(ctx, b.dev.token, 0, 10); err != nil {
					t.Fatalf("day 89: %v", err)
				}
				if _, err := e.c.Pull(ctx, idle.token, 0, 10); err != nil {
					t.Fatalf("day 89, second device: %v", err)
				}
				devs, err := e.c.Devices(ctx, b.dev.token)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range devs {
					if d.ID == idle.id && (d.LastSeenAt == nil || e.now().Sub(*d.LastSeenAt) > time.Minute) {
						t.Fatalf("a pull did not record the device as seen: %+v", d)
					}
				}
				e.advance(60 * day) // day 149: both seen on day 89, forgotten on day 0
				if _, err := e.c.Pull(ctx, b.dev.token, 0, 10); err != nil {
					t.Fatalf("day 149, seen on day 89: %v", err)
				}
				_, err = e.c.Pull(ctx, forgotten.token, 0, 10)
				if ae := wantCode(t, err, 401, protocol.CodeRevoked); !strings.Contains(ae.Message, "90 days") {
					t.Fatalf("message %q", ae.Message)
				}
				// Still refused later, as any revoked device.
				_, err = e.c.Push(ctx, forgotten.token, protocol.PushRequest{DeviceID: forgotten.id, ProtocolVersion: 1})
				wantCode(t, err, 401, protocol.CodeRevoked)

				// The second device goes unseen past the limit; a login
				// signs it out before counting devices.
				e.advance(80 * day) // day 229: idle seen on day 89
				if _, err := e.c.Pull(ctx, b.dev.token, 0, 10); err != nil {
					t.Fatalf("day 229: %v", err)
				}
				e.mustLogin(b, "Till 3")
				devs, err = e.c.Devices(ctx, b.dev.token)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range devs {
					if d.ID == idle.id && d.RevokedAt == nil {
						t.Fatalf("the idle device is still signed in after a login: %+v", d)
					}
				}
				events, err := e.db.SecurityEvents(ctx, sessionOf(b.id), 100)
				if err != nil {
					t.Fatal(err)
				}
				expired := map[string]string{}
				for _, ev := range events {
					if ev.Kind == core.EventDeviceExpired {
						expired[ev.DeviceID] = ev.Detail
					}
				}
				if len(expired) != 2 || !strings.Contains(expired[forgotten.id], "90 days idle") || !strings.Contains(expired[idle.id], "Till 2") {
					t.Fatalf("security log expiries: %v", expired)
				}
			})
			t.Run("NeverWhenOff", func(t *testing.T) {
				e := newEnv(t, st.Open, func(c *api.Config) { c.DeviceIdle = -1 })
				e.freeze()
				b := e.mustSignup()
				e.advance(400 * day)
				if _, err := e.c.Pull(ctx, b.dev.token, 0, 10); err != nil {
					t.Fatalf("idle expiry off, 400 days: %v", err)
				}
			})
		})
	}
}

// TestLoginClockID: a device signs in naming the id its stamps carry (the
// books' own); its changes under that id apply, under any other id (its
// server id included) they are rejected mutations. A clock id that is not
// a plain id, or is the server's, is refused. Without one the stamps must
// carry the device id the login returned. On every store.
func TestLoginClockID(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			e := newEnv(t, st.Open)
			b := e.mustSignup()
			for _, bad := range []string{"server", "a.b", "has space", strings.Repeat("x", 65), "ü"} {
				_, err := e.c.Login(ctx, protocol.LoginRequest{Login: b.email, Password: b.password, DeviceName: "Till", ClockID: bad})
				wantCode(t, err, 400, protocol.CodeInvalid)
			}
			clock := newID()
			res, err := e.c.Login(ctx, protocol.LoginRequest{Login: b.email, Password: b.password, DeviceName: "Till 2", ClockID: clock})
			if err != nil {
				t.Fatal(err)
			}
			d := &device{token: res.Token, id: res.DeviceID, clock: protocol.NewClock(clock, protocol.HLC{}, e.now)}
			own := d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Tea"})
			byID := d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Sugar"})
			byID.HLC = protocol.NewClock(d.id, protocol.HLC{}, e.now).Now().String()
			got := e.mustPush(d, own, byID)
			if got.LastN != 2 || got.Accepted != 1 || len(got.Rejected) != 1 || got.Rejected[0].N != 2 || got.Rejected[0].Code != protocol.CodeForbidden {
				t.Fatalf("push: %+v", got)
			}
			// The first device signed in without one: its server id.
			rice := b.dev.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Rice"})
			forged := b.dev.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Salt"})
			forged.HLC = protocol.NewClock(clock, protocol.HLC{}, e.now).Now().String()
			got = e.mustPush(&b.dev, rice, forged)
			if got.Accepted != 1 || len(got.Rejected) != 1 || !strings.Contains(got.Rejected[0].Message, clock) {
				t.Fatalf("push of the first device: %+v", got)
			}
		})
	}
}
