package api

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request: never the body, the token or the
// query string.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		if s.viaTLS(r) {
			w.Header().Set("Strict-Transport-Security", hsts)
		}
		next.ServeHTTP(sw, r)
		s.log.Info("http", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"dur_ms", time.Since(start).Milliseconds(), "ip", s.clientIP(r))
	})
}

// hsts tells browsers to use only HTTPS for the server's host for a year
// (the account and checkout pages are served from it).
const hsts = "max-age=31536000"

// viaTLS reports whether the client reached the server over TLS: served
// with TLS here, or through a trusted proxy that says it took HTTPS
// (X-Forwarded-Proto). A header from anyone else proves nothing.
func (s *Server) viaTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if len(s.proxies) == 0 || !strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	peer, err := netip.ParseAddr(host)
	return err == nil && s.trusted(peer.Unmap())
}

// recoverPanics turns a panic in a handler into a 500 error body.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				s.writeError(w, r, &core.Error{Code: "internal"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limit caps the request body at n bytes. Bodies larger than the small
// limit (pushes) also take their size from the budget of bodies in flight
// until the handler is done, so parallel large requests cannot take all
// the memory.
func (s *Server) limit(n int64, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, n)
		if n > smallBody {
			release, err := s.bodyBudget(r, n)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			defer release()
		}
		next(w, r)
	}
}

// HashToken returns the stored form of a device token: hex SHA-256.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// auth resolves the bearer token to a session and puts it in the context.
// Unknown and revoked devices get distinct codes so the app can tell the
// shopkeeper to sign in again.
func (s *Server) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(token) == "" {
			s.writeError(w, r, core.ErrUnauthorized)
			return
		}
		hash := HashToken(strings.TrimSpace(token))
		now := s.now() // Config.Now: the session cache ages by the server's clock
		sess, gen, ok := s.sessions.get(hash, now)
		if !ok {
			var err error
			if sess, err = s.store.SessionByToken(r.Context(), hash); err != nil {
				s.writeError(w, r, err)
				return
			}
			// Checked on every read from the store (at least every
			// SessionTTL for a device in use): idle past the limit, the
			// device is signed out; else it is recorded as seen, at most
			// once an hour.
			if s.expired(sess.LastSeen, now) {
				s.writeError(w, r, s.expireDevice(r, sess, now))
				return
			}
			if now.Sub(sess.LastSeen) > touchEvery {
				if err := s.store.TouchDevice(r.Context(), sess.DeviceID, now); err != nil {
					s.writeError(w, r, err)
					return
				}
				sess.LastSeen = now
			}
			s.sessions.put(hash, sess, gen, now)
		}
		sess.Role = sess.RoleAt(now)
		if err := s.limitRate(sess, now); err != nil {
			s.writeError(w, r, err)
			return
		}
		r = r.WithContext(contextWithSession(r.Context(), sess))
		next(w, r)
	}
}

// jsonNotFound answers requests no route takes with the server's JSON error
// body instead of ServeMux's plain text: 404 for an unknown path, 405 (with
// Allow) for a known path and another method.
func (s *Server) jsonNotFound(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		rec := &headerRecorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		if rec.status == http.StatusMethodNotAllowed {
			if allow := rec.header.Get("Allow"); allow != "" {
				w.Header().Set("Allow", allow)
			}
			s.writeError(w, r, core.Errorf(core.CodeMethodNotAllowed,
				"%s is not allowed here; this address takes %s.", core.CleanString(r.Method, 20), rec.header.Get("Allow")))
			return
		}
		if rec.status >= 300 && rec.status < 400 {
			// A redirect to the cleaned path: let ServeMux answer it.
			mux.ServeHTTP(w, r)
			return
		}
		s.writeError(w, r, core.Errorf(protocol.CodeNotFound, "There is nothing at this address on the server."))
	})
}

// headerRecorder keeps the status and headers of ServeMux's own answer to
// an unrouted request and drops its plain-text body.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header { return h.header }
func (h *headerRecorder) WriteHeader(code int) {
	if h.status == 0 {
		h.status = code
	}
}
func (h *headerRecorder) Write(b []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	return len(b), nil
}
