package api

import (
	"sync"
	"time"

	"github.com/ainaukar/naukar/server/core"
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
