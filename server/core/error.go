// Package core holds the server's domain: accounts, businesses, devices and
// sessions, their validation rules, the application error type and the Store
// interface that server/store implements for SQLite and PostgreSQL. It does
// no I/O of its own.
package core

import (
	"errors"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/sync/protocol"
)

// Error codes used by the server besides the shared ones in sync/protocol.
const (
	CodeTooLarge         = "too_large"          // request body over the limit
	CodeMethodNotAllowed = "method_not_allowed" // the path exists, not with this method
	CodeUnavailable      = "unavailable"        // the server cannot serve now (health check)
)

// Error is the one application error type. Code is a machine code the
// client branches on (see sync/protocol for the list); Message is a sentence
// a shopkeeper can read. Err is internal detail for the log only.
type Error struct {
	Code       string
	Message    string
	RetryAfter time.Duration // for rate_limited
	// Quota names the used-up quota of a quota_exceeded error.
	Quota *protocol.QuotaInfo
	Err   error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, or internal if err is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return protocol.CodeInternal
}

// ErrorMessage returns the user-facing message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on the server. Please try again."
}

// Common errors.
var (
	ErrDeviceUnknown = &Error{Code: protocol.CodeReRegister,
		Message: "This device is not known to the server. Please sign in again."}
	ErrDeviceRevoked = &Error{Code: protocol.CodeRevoked,
		Message: "This device was signed out or removed by the owner. Please sign in again."}
	ErrUnauthorized = &Error{Code: protocol.CodeUnauthorized,
		Message: "Please sign in: the request has no valid token."}
	ErrBadLogin = &Error{Code: protocol.CodeUnauthorized,
		Message: "Wrong email/phone or password."}
)
