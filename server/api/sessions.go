package api

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// sessionTTL is how long a verified token is trusted without asking the
// store again (Config.SessionTTL overrides it). Revoking a device through this server drops its entry at
// once; a revocation made through another instance takes effect here
// within sessionTTL (a push still checks the device row in its own
// transaction, so a revoked device never gets a push through).
const sessionTTL = 2 * time.Second

// maxCachedSessions bounds the cache; when full, expired entries are
// dropped, and if none are, the cache is emptied.
const maxCachedSessions = 100_000

// sessionCache maps token hashes to verified sessions for sessionTTL.
type sessionCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]cachedSession
	// gen counts revocations; a lookup that raced with one is not cached.
	gen uint64
}

type cachedSession struct {
	s       core.Session
	expires time.Time
}

func newSessionCache(ttl time.Duration) *sessionCache {
	return &sessionCache{ttl: ttl, m: map[string]cachedSession{}}
}

// get returns the cached session, or false and the generation to pass to
// put after asking the store.
func (c *sessionCache) get(tokenHash string, now time.Time) (core.Session, uint64, bool) {
	c.mu.Lock()
	e, ok := c.m[tokenHash]
	gen := c.gen
	c.mu.Unlock()
	if !ok || now.After(e.expires) {
		return core.Session{}, gen, false
	}
	return e.s, gen, true
}

// put caches a session read from the store, unless a device was revoked
// since get returned gen (the read may predate the revocation).
func (c *sessionCache) put(tokenHash string, s core.Session, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.m) >= maxCachedSessions {
		for k, e := range c.m {
			if now.After(e.expires) {
				delete(c.m, k)
			}
		}
		if len(c.m) >= maxCachedSessions {
			clear(c.m)
		}
	}
	c.m[tokenHash] = cachedSession{s: s, expires: now.Add(c.ttl)}
}

// dropBusiness forgets every cached session of a business (its staff
// changed: roles follow at once through this instance).
func (c *sessionCache) dropBusiness(businessID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k, e := range c.m {
		if e.s.BusinessID == businessID {
			delete(c.m, k)
		}
	}
}

// dropDevice forgets every cached session of a device (after revoking it).
func (c *sessionCache) dropDevice(deviceID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k, e := range c.m {
		if e.s.DeviceID == deviceID {
			delete(c.m, k)
		}
	}
}

// DefaultDeviceIdle is how long a device may go unseen before it is signed
// out (Config.DeviceIdle).
const DefaultDeviceIdle = 90 * 24 * time.Hour

// touchEvery is how stale a device's last_seen_at may get before a request
// records it again: one write per device an hour at most, whatever it
// pulls.
const touchEvery = time.Hour

// idleDays says the idle limit in days for messages.
func (s *Server) idleDays() string { return itoa(int64(s.idle / (24 * time.Hour))) }

// expired reports whether a device last seen at lastSeen is past the idle
// limit at now.
func (s *Server) expired(lastSeen, now time.Time) bool {
	return s.idle > 0 && now.Sub(lastSeen) > s.idle
}

// expireDevice signs out a device found idle past the limit and returns
// the error its request gets.
func (s *Server) expireDevice(r *http.Request, sess core.Session, now time.Time) error {
	ctx := context.WithoutCancel(r.Context())
	if _, err := s.store.RevokeDevice(ctx, sess, sess.DeviceID, now); err != nil {
		return err
	}
	s.sessions.dropDevice(sess.DeviceID)
	s.security(r, core.SecurityEvent{Kind: core.EventDeviceExpired, AccountID: sess.AccountID, BusinessID: sess.BusinessID,
		DeviceID: sess.DeviceID, Detail: "not seen since " + sess.LastSeen.UTC().Format(time.DateOnly) + "; signed out after " + s.idleDays() + " days idle"})
	return &core.Error{Code: protocol.CodeRevoked,
		Message: "This device was signed out because it had not synced for " + s.idleDays() + " days. Please sign in again; nothing in your books is lost."}
}

// expireIdle signs out the business's devices idle past the limit (before
// a login counts its devices against the plan), into the security log.
func (s *Server) expireIdle(r *http.Request, businessID string, now time.Time) error {
	if s.idle <= 0 {
		return nil
	}
	devs, err := s.store.ExpireIdleDevices(r.Context(), businessID, now.Add(-s.idle), now)
	for _, d := range devs {
		s.sessions.dropDevice(d.ID)
		last := d.CreatedAt
		if d.LastSeenAt != nil {
			last = *d.LastSeenAt
		}
		s.security(r, core.SecurityEvent{Kind: core.EventDeviceExpired, AccountID: d.AccountID, BusinessID: businessID, DeviceID: d.ID,
			Detail: "device " + d.Name + " not seen since " + last.UTC().Format(time.DateOnly) + "; signed out after " + s.idleDays() + " days idle"})
	}
	return err
}
