// Package api is the HTTP interface of naukar-server: the /v1 JSON API over
// a core.Store. It keeps no state between requests; everything several
// instances must share (sessions, login rate limits, seq counters) lives in
// the store.
package api

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/sync/semaphore"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Config configures a Server.
type Config struct {
	Store      core.Store
	Logger     *slog.Logger     // nil: slog.Default()
	Now        func() time.Time // nil: time.Now
	BcryptCost int              // 0: bcrypt.DefaultCost
	// LoginPolicy throttles logins (zero: core.DefaultLoginPolicy).
	LoginPolicy core.LoginPolicy
	// TrustedProxies are the addresses of the reverse proxies in front of
	// the server. A request from one of them has its client address taken
	// from X-Forwarded-For: the right-most address that is not itself a
	// trusted proxy (anything left of it was written by the client and
	// proves nothing). Requests from anywhere else use the peer address.
	TrustedProxies []netip.Prefix
	// TrustProxy trusts proxies on loopback (127.0.0.0/8, ::1): the usual
	// Caddy or nginx on the same machine. It adds to TrustedProxies.
	TrustProxy bool
	// SessionTTL is how long a verified device token is trusted before the
	// store is asked again (0: 2s). A device revoked through another
	// instance can pull for up to this long; pushes check the device in
	// their own transaction.
	SessionTTL time.Duration
	// UpdatesDir holds the app's release files (dist/: the signed manifest
	// naukar.json and the builds it names), served at GET /v1/updates/{file};
	// "" serves none.
	UpdatesDir string
	// Limits bound sign-ups, request rates and push bodies in flight
	// (zero fields: DefaultLimits).
	Limits Limits
	// Modules add their own routes (see Module).
	Modules []Module
	// DeviceIdle signs a device out once it has not been seen for this
	// long (0: DefaultDeviceIdle; negative: never). Its token is then
	// refused (device_revoked) and it frees its place in the plan's
	// device count.
	DeviceIdle time.Duration
	// HealthDir is the directory whose file system /healthz checks for
	// free space (the SQLite data directory, or where exports and
	// backups go); "" checks none. MinFreeDisk is the least free space
	// it accepts (0: DefaultMinFreeDisk).
	HealthDir   string
	MinFreeDisk int64
	// IntegrityEvery is how often /healthz runs the store's integrity
	// check; between runs it reports the last result (0:
	// DefaultIntegrityEvery).
	IntegrityEvery time.Duration
	// DeviceLimits gives the number of devices a business's plan lets it
	// sign in (server/plans.Counter); nil: no limit.
	DeviceLimits DeviceLimits
}

// DeviceLimits is what login asks before it adds a device: the most devices
// the business may have signed in, and the error for a login over it.
type DeviceLimits interface {
	DeviceLimit(ctx context.Context, businessID string) (max int, refuse func(signedIn []core.Device) error, err error)
}

// Server serves the API. It is an http.Handler.
type Server struct {
	store       core.Store
	log         *slog.Logger
	now         func() time.Time
	cost        int
	loginPolicy core.LoginPolicy
	proxies     []netip.Prefix
	dummyHash   []byte
	handler     http.Handler
	sessions    *sessionCache
	updatesDir  string
	modules     []Module
	devLimits   DeviceLimits

	idle        time.Duration
	healthDir   string
	minFreeDisk int64
	integrity   *integrityCache

	limits       Limits
	deviceRate   *buckets
	businessRate *buckets
	inFlight     *semaphore.Weighted
}

// New returns a Server for cfg.
func New(cfg Config) *Server {
	s := &Server{store: cfg.Store, log: cfg.Logger, now: cfg.Now, cost: cfg.BcryptCost,
		loginPolicy: cfg.LoginPolicy, proxies: trustedProxies(cfg), updatesDir: cfg.UpdatesDir, modules: cfg.Modules, devLimits: cfg.DeviceLimits, sessions: newSessionCache(cmp.Or(cfg.SessionTTL, sessionTTL))}
	s.idle = cmp.Or(cfg.DeviceIdle, DefaultDeviceIdle)
	s.healthDir, s.minFreeDisk = cfg.HealthDir, cmp.Or(cfg.MinFreeDisk, DefaultMinFreeDisk)
	s.integrity = &integrityCache{every: cmp.Or(cfg.IntegrityEvery, DefaultIntegrityEvery)}
	s.limits = cfg.Limits.withDefaults()
	s.deviceRate = newBuckets(s.limits.DevicePerSecond, s.limits.DeviceBurst)
	s.businessRate = newBuckets(s.limits.BusinessPerSecond, s.limits.BusinessBurst)
	s.inFlight = newInFlight(s.limits)
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.cost == 0 {
		s.cost = bcrypt.DefaultCost
	}
	if s.loginPolicy == (core.LoginPolicy{}) {
		s.loginPolicy = core.DefaultLoginPolicy
	}
	// Compared against when the login names no account, so that a wrong
	// email costs the same time as a wrong password.
	s.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a real password"), s.cost)
	s.handler = s.recoverPanics(s.logRequests(s.jsonNotFound(s.routes())))
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// statusOf maps every error code to its HTTP status.
var statusOf = map[string]int{
	protocol.CodeInvalid:       http.StatusBadRequest,
	protocol.CodeClockSkew:     http.StatusBadRequest,
	protocol.CodeUnauthorized:  http.StatusUnauthorized,
	protocol.CodeReRegister:    http.StatusUnauthorized,
	protocol.CodeRevoked:       http.StatusUnauthorized,
	protocol.CodeForbidden:     http.StatusForbidden,
	protocol.CodeNotFound:      http.StatusNotFound,
	protocol.CodeConflict:      http.StatusConflict,
	protocol.CodeOutOfOrder:    http.StatusConflict,
	protocol.CodeEpochChanged:  http.StatusConflict,
	core.CodeTooLarge:          http.StatusRequestEntityTooLarge,
	core.CodeMethodNotAllowed:  http.StatusMethodNotAllowed,
	core.CodeUnavailable:       http.StatusServiceUnavailable,
	protocol.CodeTooOld:        http.StatusUpgradeRequired,
	protocol.CodeRateLimited:   http.StatusTooManyRequests,
	protocol.CodeNotConfig:     http.StatusNotImplemented,
	protocol.CodeQuotaExceeded: http.StatusTooManyRequests,
	protocol.CodeOverloaded:    529, // as the model's own API answers
	protocol.CodeUpstream:      http.StatusBadGateway,
	protocol.CodeInternal:      http.StatusInternalServerError,
}

// StatusOf returns the HTTP status for an error code.
func StatusOf(code string) int {
	if st, ok := statusOf[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putBuf(buf *bytes.Buffer) {
	if buf.Cap() <= 4<<20 {
		buf.Reset()
		bufPool.Put(buf)
	}
}

// writeJSON encodes v into a pooled buffer and sends it with its length
// (no chunked encoding).
func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	buf := bufPool.Get().(*bytes.Buffer)
	defer putBuf(buf)
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		s.log.Error("encode response", "err", err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	s.writeBody(w, status, buf.Bytes())
}

// writeBody sends a JSON body.
func (s *Server) writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if _, err := w.Write(body); err != nil {
		s.log.Debug("write response", "err", err)
	}
}

// writeError answers with the error body. Internal detail goes to the log
// only; the client sees the code and a readable message.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := core.ErrorCode(err), core.ErrorMessage(err)
	status := StatusOf(code)
	if r.Context().Err() != nil {
		// The client went away (or the server is shutting down): not our fault.
		s.log.Info("request abandoned", "method", r.Method, "path", r.URL.Path, "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	} else {
		s.log.Debug("request refused", "method", r.Method, "path", r.URL.Path, "code", code, "msg", msg)
	}
	var e *core.Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", itoa(int64((e.RetryAfter+time.Second-1)/time.Second)))
	}
	var body protocol.ErrorBody
	body.Error.Code, body.Error.Message = code, msg
	if e != nil {
		body.Error.Quota = e.Quota
	}
	s.writeJSON(w, status, body)
}

// decode reads a JSON body. Unknown fields are allowed: a newer client may
// send more than this server knows.
func decode(r *http.Request, v any) error {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &core.Error{Code: core.CodeTooLarge, Err: err,
				Message: "The request is too large. Send fewer changes per batch."}
		}
		return &core.Error{Code: protocol.CodeInvalid, Err: err, Message: "The request body is not valid JSON."}
	}
	return nil
}

type ctxKey int

const sessionKey ctxKey = 0

func sessionFrom(ctx context.Context) core.Session {
	s, _ := ctx.Value(sessionKey).(core.Session)
	return s
}

// trustedProxies lists the proxies of cfg.
func trustedProxies(cfg Config) []netip.Prefix {
	out := slices.Clone(cfg.TrustedProxies)
	if cfg.TrustProxy {
		out = append(out, netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"))
	}
	return out
}

// trusted reports whether a is a trusted proxy.
func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientIP is the caller's address. From a trusted proxy it is the
// right-most X-Forwarded-For hop that is not a trusted proxy: each proxy
// appends the address it saw, so that hop was written by the first proxy
// the request reached, and everything left of it by the client. A hop that
// is not an address stops the walk at the proxy that wrote it.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return core.CleanString(host, 64)
	}
	peer = peer.Unmap()
	if len(s.proxies) == 0 || !s.trusted(peer) {
		return peer.String()
	}
	xff := r.Header.Values("X-Forwarded-For")
	for i := len(xff) - 1; i >= 0; i-- {
		hops := strings.Split(xff[i], ",")
		for j := len(hops) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[j]))
			if err != nil {
				return peer.String()
			}
			if a = a.Unmap(); !s.trusted(a) {
				return a.String()
			}
			peer = a
		}
	}
	return peer.String()
}

// security appends to the security log. The store cleans every field
// (broken UTF-8, NUL, overlong user agents); a write that fails is tried
// again, and if the database stays unwritable the event goes to the server
// log in full, so it is never lost. It does not fail the request.
func (s *Server) security(r *http.Request, e core.SecurityEvent) {
	e.At = s.now()
	e.IP = s.clientIP(r)
	e.UserAgent = r.UserAgent()
	ctx := context.WithoutCancel(r.Context())
	var err error
	for try := range securityLogTries {
		if err = s.store.LogSecurity(ctx, e); err == nil {
			return
		}
		time.Sleep(time.Duration(try+1) * 50 * time.Millisecond)
	}
	s.log.Error("security event not stored; kept here", "err", err, "kind", e.Kind, "at", e.At,
		"business", e.BusinessID, "account", e.AccountID, "device", e.DeviceID, "ip", e.IP,
		"user_agent", core.CleanString(e.UserAgent, 300), "detail", core.CleanString(e.Detail, 300))
}

// securityLogTries is how often a security event is written before it
// goes to the server log instead.
const securityLogTries = 3

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func contextWithSession(ctx context.Context, s core.Session) context.Context {
	return context.WithValue(ctx, sessionKey, s)
}
