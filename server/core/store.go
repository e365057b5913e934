package core

import (
	"context"
	"time"

	"github.com/ainaukar/naukar/sync/protocol"
)

// Security event kinds.
const (
	EventLogin         = "login"
	EventLoginFailed   = "login_failed"
	EventLoginLimited  = "login_rate_limited"
	EventLogout        = "logout"
	EventDeviceAdded   = "device_added"
	EventDeviceRevoked = "device_revoked"
	EventDeviceExpired = "device_expired" // signed out after a long idle time
	EventSignup        = "signup"
)

// SecurityEvent is one line of the security log. It never holds a
// password, a token or a full phone number.
type SecurityEvent struct {
	At         time.Time `json:"at"`
	Kind       string    `json:"kind"`
	BusinessID string    `json:"business_id,omitempty"`
	AccountID  string    `json:"account_id,omitempty"`
	DeviceID   string    `json:"device_id,omitempty"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
	Detail     string    `json:"detail,omitempty"`
}

// NewAccount is what the store needs to create an account and its business.
type NewAccount struct {
	Signup       Signup // normalised and validated
	PasswordHash string
	Now          time.Time
}

// LoginAccount is an account found by email or phone, with its business.
type LoginAccount struct {
	Account    Account
	BusinessID string
}

// Store is the persistence the server needs. Every method that touches
// business data takes the business from a Session, and every query it runs
// is scoped by that business. Implementations keep no state between calls
// that a second server instance would need.
type Store interface {
	// Epoch returns the server epoch, an id that changes after a restore.
	Epoch(ctx context.Context) (string, error)
	// NewEpoch sets and returns a fresh epoch (after a restore).
	NewEpoch(ctx context.Context) (string, error)

	// CreateAccount stores a new account with its business. A taken email
	// or phone is a conflict *Error.
	CreateAccount(ctx context.Context, a NewAccount) (accountID, businessID string, err error)
	// AccountByLogin finds an account by normalised email or phone; a
	// missing account is a not_found *Error.
	AccountByLogin(ctx context.Context, login string) (LoginAccount, error)
	// BeginLogin records a login attempt before its password is checked,
	// unless the policy says it must wait (then it records nothing and
	// returns the wait). Counting and recording are one step: attempts
	// sent at once, to any instance, see each other.
	BeginLogin(ctx context.Context, a LoginAttempt, p LoginPolicy) (id int64, wait time.Duration, err error)
	// EndLogin records how an attempt ended (LoginFailed or
	// LoginSucceeded). An attempt never ended (the client went away)
	// stays counted as a failure. A success forgets the failures of its
	// login and address.
	EndLogin(ctx context.Context, id int64, outcome int, at time.Time) error
	// Hit counts a request under key against limit per window, recording
	// it if within the limit, else returning how long to wait. The count
	// holds across server instances.
	Hit(ctx context.Context, key string, at time.Time, window time.Duration, limit int) (wait time.Duration, err error)
	// CreateDevice registers a device with the next invoice series of its
	// business, assigned atomically.
	CreateDevice(ctx context.Context, accountID, businessID, name, tokenHash string, now time.Time) (Device, error)
	// CreateDeviceWithin is CreateDevice for a business that may have at
	// most max devices signed in (not revoked): at the limit it creates
	// nothing and returns refuse(the signed-in devices). The count and
	// the insert are one transaction, so concurrent logins never pass it.
	// clockID is the device part of its change stamps ("": its own id).
	CreateDeviceWithin(ctx context.Context, accountID, businessID, name, clockID, tokenHash string, now time.Time,
		max int, refuse func(signedIn []Device) error) (Device, error)
	// SessionByToken resolves a token hash; unknown or revoked devices give
	// ErrDeviceUnknown or ErrDeviceRevoked.
	SessionByToken(ctx context.Context, tokenHash string) (Session, error)

	// TouchDevice records that the device was seen at now (only moving
	// last_seen_at forward).
	TouchDevice(ctx context.Context, deviceID string, now time.Time) error
	// ExpireIdleDevices revokes, at now, the signed-in devices of a
	// business last seen before the given time, and returns them.
	ExpireIdleDevices(ctx context.Context, businessID string, before, now time.Time) ([]Device, error)

	Account(ctx context.Context, s Session) (Account, error)
	Business(ctx context.Context, s Session) (Business, error)
	Devices(ctx context.Context, s Session) ([]Device, error)
	// RevokeDevice revokes a device of the session's business; a device of
	// another business is not_found.
	RevokeDevice(ctx context.Context, s Session, deviceID string, now time.Time) (Device, error)

	// Push applies a batch in one transaction (see DESIGN.md, sync protocol).
	// The request has been checked for protocol version, device and epoch.
	Push(ctx context.Context, s Session, req protocol.PushRequest, now time.Time) (protocol.PushResponse, error)
	// Pull returns up to limit changes with seq > since.
	Pull(ctx context.Context, s Session, since int64, limit int, now time.Time) (PullPage, error)
	// PullFiltered is Pull narrowed by f for a new device's ordered
	// download; the page carries the feed's head.
	PullFiltered(ctx context.Context, s Session, since int64, limit int, f PullFilter, now time.Time) (PullPage, error)

	LogSecurity(ctx context.Context, e SecurityEvent) error
	SecurityEvents(ctx context.Context, s Session, limit int) ([]SecurityEvent, error)

	StaffStore

	Ping(ctx context.Context) error
	Close() error
}
