package api

import (
	"context"
	"net/http"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Module is a part of the server with routes of its own (billing, WhatsApp,
// the AI proxy, privacy requests, the account page ...). It lives in its own
// package and is handed to New in Config.Modules; Mount registers its routes
// on the Mux, which gives it the server's authentication, body limits,
// error shape and logging, so no module re-implements them. Business rules
// stay in the module's package; handlers only decode, call and encode.
type Module interface {
	Mount(m *Mux)
}

// PushObserver is a Module that hears of every push the store applied, after
// its commit: a synced row can be a request for the server to act (a
// WhatsApp message a device asked for while offline). Pushed gets the
// request's mutations (some may have been applied by an earlier try of the
// same push, some rejected); it must be quick and idempotent, hand its
// work to the job queue, and cannot fail the push.
type PushObserver interface {
	Pushed(ctx context.Context, s core.Session, muts []protocol.Mutation)
}

// SignupObserver is a Module that hears of every new account, after it is
// stored (the signup confirmation email). It must be quick (hand the work
// to the job queue) and cannot fail the sign-up.
type SignupObserver interface {
	SignedUp(ctx context.Context, accountID, businessID string)
}

// Mux registers a module's routes on the server.
type Mux struct {
	s   *Server
	mux *http.ServeMux
}

// Public registers a handler reachable without a device token (webhooks,
// web pages). The body is capped at maxBody bytes (0: 64 KiB).
func (m *Mux) Public(pattern string, maxBody int64, h http.HandlerFunc) {
	m.mux.Handle(pattern, m.s.limit(bodyLimit(maxBody), h))
}

// Device registers a handler for signed-in devices: the bearer token is
// checked first and the session reaches h (also through SessionFrom).
func (m *Mux) Device(pattern string, maxBody int64, h func(w http.ResponseWriter, r *http.Request, sess core.Session)) {
	m.mux.Handle(pattern, m.s.limit(bodyLimit(maxBody), m.s.auth(func(w http.ResponseWriter, r *http.Request) {
		h(w, r, sessionFrom(r.Context()))
	})))
}

// JSON answers with v encoded as JSON.
func (m *Mux) JSON(w http.ResponseWriter, status int, v any) { m.s.writeJSON(w, status, v) }

// Error answers with the server's error body for err (a *core.Error gives
// its code, status and message; anything else is a logged 500).
func (m *Mux) Error(w http.ResponseWriter, r *http.Request, err error) { m.s.writeError(w, r, err) }

// Decode reads a JSON body into v, with the server's errors for bad JSON and
// bodies over the limit.
func (m *Mux) Decode(r *http.Request, v any) error { return decode(r, v) }

// ClientIP is the caller's address (after trusted proxies).
func (m *Mux) ClientIP(r *http.Request) string { return m.s.clientIP(r) }

// Security appends an event to the business's security log.
func (m *Mux) Security(r *http.Request, e core.SecurityEvent) { m.s.security(r, e) }

// SessionFrom returns the session a Device handler runs under.
func SessionFrom(ctx context.Context) core.Session { return sessionFrom(ctx) }

func bodyLimit(n int64) int64 {
	if n <= 0 {
		return smallBody
	}
	return n
}

// DropSessions forgets the cached sessions of devices a module revoked
// (closing an account), so their tokens are refused at once on this
// instance (on others within Config.SessionTTL; pushes check the device
// row in their own transaction).
func (m *Mux) DropSessions(deviceIDs ...string) {
	for _, id := range deviceIDs {
		m.s.sessions.dropDevice(id)
	}
}

// Now is the server's clock (Config.Now).
func (m *Mux) Now() time.Time { return m.s.now() }

// CheckPassword checks an account's login (email or phone) and password
// for a module that signs people in without a device (the account web
// page), under the same login policy, throttling and security log as
// POST /v1/login. It returns the account and its business; a wrong
// password or unknown login is core.ErrBadLogin, too many tries
// rate_limited.
func (m *Mux) CheckPassword(r *http.Request, login, password, detail string) (core.LoginAccount, error) {
	la, id, masked, err := m.s.checkPassword(r, login, password)
	if err != nil {
		return la, err
	}
	if err := m.s.store.EndLogin(context.WithoutCancel(r.Context()), id, core.LoginSucceeded, m.s.now()); err != nil {
		m.s.log.Error("record login", "err", err)
	}
	m.s.security(r, core.SecurityEvent{Kind: core.EventLogin, AccountID: la.Account.ID, BusinessID: la.BusinessID,
		Detail: masked + " " + detail})
	return la, nil
}

// RevokeDevice signs a device of the session's business out exactly as
// DELETE /v1/devices/{id} does (the session's role must allow
// staff.Devices); detail says who did it, for the security log.
func (m *Mux) RevokeDevice(r *http.Request, sess core.Session, deviceID, detail string) (core.Device, error) {
	return m.s.revoke(r, sess, deviceID, detail)
}

// StaffChanged drops the cached sessions of a business whose staff a
// module changed (roles follow at once, as after a push of the staff table).
func (m *Mux) StaffChanged(businessID string) { m.s.sessions.dropBusiness(businessID) }
