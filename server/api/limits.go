package api

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"
	"golang.org/x/time/rate"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Limits bound how much one caller can ask of the server (server/README.md,
// "Security"). Sign-ups are counted in the database, so the limit holds
// across instances; request rates are per instance (token buckets), which
// is what keeps one business's flood from slowing another's on the same
// instance; push bodies in flight bound the memory pushes can hold.
type Limits struct {
	SignupsPerHour    int     // per client address (0: 10)
	DevicePerSecond   float64 // signed-in requests per device token (0: 50)
	DeviceBurst       int     // (0: 100)
	BusinessPerSecond float64 // signed-in requests per business, all its devices (0: 200)
	BusinessBurst     int     // (0: 400)
	PushBytesInFlight int64   // bodies of large requests being read at once (0: 64 MiB)
}

// DefaultLimits are the limits of a zero Limits.
var DefaultLimits = Limits{SignupsPerHour: 10, DevicePerSecond: 50, DeviceBurst: 100,
	BusinessPerSecond: 200, BusinessBurst: 400, PushBytesInFlight: 64 << 20}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.SignupsPerHour > 0 {
		d.SignupsPerHour = l.SignupsPerHour
	}
	if l.DevicePerSecond > 0 {
		d.DevicePerSecond, d.DeviceBurst = l.DevicePerSecond, max(l.DeviceBurst, 1)
	}
	if l.BusinessPerSecond > 0 {
		d.BusinessPerSecond, d.BusinessBurst = l.BusinessPerSecond, max(l.BusinessBurst, 1)
	}
	if l.PushBytesInFlight > 0 {
		d.PushBytesInFlight = l.PushBytesInFlight
	}
	return d
}

// maxLimiters bounds the limiter maps; when full, idle limiters are dropped.
const maxLimiters = 100_000

// buckets holds a token bucket per key (a device or a business).
type buckets struct {
	mu    sync.Mutex
	every rate.Limit
	burst int
	m     map[string]*bucket
}

type bucket struct {
	l    *rate.Limiter
	used time.Time
}

func newBuckets(perSecond float64, burst int) *buckets {
	return &buckets{every: rate.Limit(perSecond), burst: burst, m: map[string]*bucket{}}
}

// allow takes a token for key at now, or says how long until one is free.
func (b *buckets) allow(key string, now time.Time) (bool, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.m[key]
	if e == nil {
		if len(b.m) >= maxLimiters {
			for k, v := range b.m {
				if now.Sub(v.used) > time.Minute {
					delete(b.m, k)
				}
			}
			if len(b.m) >= maxLimiters {
				clear(b.m)
			}
		}
		e = &bucket{l: rate.NewLimiter(b.every, b.burst)}
		b.m[key] = e
	}
	e.used = now
	r := e.l.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// rateLimited is the answer to a caller over a request rate.
func rateLimited(wait time.Duration, what string) error {
	return &core.Error{Code: protocol.CodeRateLimited, RetryAfter: max(wait, time.Second),
		Message: "Too many requests from " + what + "; sync will try again shortly."}
}

// limitRate applies the per-device and per-business request rates to a
// signed-in request (every Device route, the server's and the modules').
func (s *Server) limitRate(sess core.Session, now time.Time) error {
	if ok, wait := s.deviceRate.allow(sess.DeviceID, now); !ok {
		return rateLimited(wait, "this device")
	}
	if ok, wait := s.businessRate.allow(sess.BusinessID, now); !ok {
		return rateLimited(wait, "this business's devices")
	}
	return nil
}

// bodyBudget caps the bytes of large request bodies being read at once: a
// request waits up to bodyWait for room, then is told to come back.
func (s *Server) bodyBudget(r *http.Request, maxBody int64) (release func(), err error) {
	n := maxBody
	if r.ContentLength >= 0 && r.ContentLength < n {
		n = r.ContentLength
	}
	n = min(max(n, 1), s.limits.PushBytesInFlight)
	if s.inFlight.TryAcquire(n) {
		return func() { s.inFlight.Release(n) }, nil
	}
	ctx, cancel := context.WithTimeout(r.Context(), bodyWait)
	defer cancel()
	if err := s.inFlight.Acquire(ctx, n); err != nil {
		return nil, &core.Error{Code: protocol.CodeRateLimited, RetryAfter: 2 * time.Second, Err: err,
			Message: "The server is busy receiving other changes; sync will try again shortly."}
	}
	return func() { s.inFlight.Release(n) }, nil
}

// bodyWait is how long a large request waits for room among the bodies in
// flight.
const bodyWait = 2 * time.Second

// limitSignup counts a sign-up against its address's hourly limit, in the
// database (shared by every instance).
func (s *Server) limitSignup(r *http.Request, now time.Time) error {
	wait, err := s.store.Hit(r.Context(), "signup:"+s.clientIP(r), now, time.Hour, s.limits.SignupsPerHour)
	if err != nil {
		return err
	}
	if wait > 0 {
		return &core.Error{Code: protocol.CodeRateLimited, RetryAfter: wait,
			Message: "Too many sign-ups from this address. Please wait " + strconv.Itoa(int(wait.Minutes())+1) + " minutes and try again."}
	}
	return nil
}

func newInFlight(l Limits) *semaphore.Weighted { return semaphore.NewWeighted(l.PushBytesInFlight) }
