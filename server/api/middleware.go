package api

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/ainaukar/naukar/server/core"
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
		next.ServeHTTP(sw, r)
		s.log.Info("http", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"dur_ms", time.Since(start).Milliseconds(), "ip", s.clientIP(r))
	})
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
