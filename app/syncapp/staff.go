package syncapp

import (
	"context"
	"errors"
	gosync "sync"

	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

// StaffLink carries the counter's staff sign-in to the server. The counter
// signs staff in offline from the synced staff table; the server, which
// lets a device do only what its signed-in member's role may, learns of it
// before the next push: the PIN is kept in memory until the server has
// checked it (never written anywhere), and a sign-out is sent the same way.
type StaffLink struct {
	mu      gosync.Mutex
	userID  string
	pin     string
	signOut bool
	last    protocol.StaffSession
}

// SignedIn remembers a member who signed in on the counter.
func (l *StaffLink) SignedIn(userID, pin string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.userID, l.pin, l.signOut = userID, pin, false
}

// SignedOut forgets the member (the counter locked); the server hears it
// before the next push.
func (l *StaffLink) SignedOut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.userID, l.pin, l.signOut = "", "", true
}

// Server is who the server last said is at this device.
func (l *StaffLink) Server() protocol.StaffSession {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last
}

// BeforePush is the engine's hook (client.Engine.BeforePush). A member the
// server does not know yet (their record is in this push) stays pending
// for the next round; a wrong PIN there (changed on another counter) is
// dropped. Network errors stop the round like a failed push would.
func (l *StaffLink) BeforePush(ctx context.Context, c *client.Client, token string) error {
	l.mu.Lock()
	userID, pin, signOut := l.userID, l.pin, l.signOut
	l.mu.Unlock()
	var s protocol.StaffSession
	var err error
	switch {
	case signOut:
		s, err = c.StaffSignOut(ctx, token)
	case pin != "":
		s, err = c.StaffSignIn(ctx, token, userID, pin)
	default:
		return nil
	}
	var ae *client.APIError
	if errors.As(err, &ae) && ae.Code == protocol.CodeNotFound {
		return nil // not on the server yet: after this push
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.userID != userID || l.signOut != signOut {
		return nil // changed meanwhile: the next round sends the new state
	}
	if err != nil && ae == nil {
		return err
	}
	l.pin, l.signOut = "", false
	if err == nil {
		l.last = s
	}
	return nil
}
