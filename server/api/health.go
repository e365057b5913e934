package api

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/ainaukar/naukar/server/core"
)

// Health check defaults (Config.MinFreeDisk, Config.IntegrityEvery).
const (
	DefaultMinFreeDisk    = 1 << 30 // 1 GiB
	DefaultIntegrityEvery = 10 * time.Minute
)

// IntegrityChecker is a store that can check its database for damage
// (store.DB: PRAGMA quick_check on SQLite, a query on PostgreSQL).
type IntegrityChecker interface {
	CheckIntegrity(ctx context.Context) error
}

// HealthResponse is the body of GET /healthz.
type HealthResponse struct {
	Status  string   `json:"status"`            // "ok" or "unavailable"
	Reasons []string `json:"reasons,omitempty"` // why it is unavailable
	Error   *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// integrityCache runs the store's integrity check at most once per period
// (it reads the whole database on SQLite; /healthz is public and polled).
type integrityCache struct {
	every time.Duration
	mu    sync.Mutex
	at    time.Time
	err   error
}

func (c *integrityCache) check(ctx context.Context, st core.Store, now time.Time) error {
	ic, ok := st.(IntegrityChecker)
	if !ok {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && now.Sub(c.at) < c.every {
		return c.err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	c.err, c.at = ic.CheckIntegrity(ctx), now
	return c.err
}

// healthz answers 200 when the database answers, passed its integrity
// check (cached for Config.IntegrityEvery) and the data directory has at
// least Config.MinFreeDisk free; else 503 with the reasons (also logged).
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	var reasons []string
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.Error("health check: database", "err", err)
		reasons = append(reasons, "the database does not answer")
	} else if err := s.integrity.check(r.Context(), s.store, s.now()); err != nil {
		s.log.Error("health check: database integrity", "err", err)
		reasons = append(reasons, "the database failed its integrity check")
	}
	if s.healthDir != "" {
		free, err := freeDisk(s.healthDir)
		switch {
		case err != nil:
			s.log.Error("health check: free disk space", "dir", s.healthDir, "err", err)
			reasons = append(reasons, "free disk space cannot be read")
		case free < s.minFreeDisk:
			s.log.Error("health check: low disk space", "dir", s.healthDir, "free_bytes", free, "min_bytes", s.minFreeDisk)
			reasons = append(reasons, fmt.Sprintf("free disk space is %s, below the %s required", mib(free), mib(s.minFreeDisk)))
		}
	}
	if len(reasons) == 0 {
		s.writeJSON(w, http.StatusOK, HealthResponse{Status: "ok"})
		return
	}
	resp := HealthResponse{Status: "unavailable", Reasons: reasons}
	resp.Error = &struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}{core.CodeUnavailable, "The server cannot serve now: " + reasons[0] + "."}
	if r.Context().Err() == nil {
		s.writeJSON(w, http.StatusServiceUnavailable, resp)
	}
}

func mib(n int64) string { return fmt.Sprintf("%d MiB", n>>20) }
