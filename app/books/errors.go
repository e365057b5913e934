// Package books holds the domain of a shop's books: money in paise,
// products, parties, and the documents (invoices, credit notes, purchases,
// payments, expenses, stock adjustments, cancellations) with their rules.
// It has no SQL and no UI; app/store persists it and app/ui shows it.
package books

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes (machine readable); Msg is what a shopkeeper reads.
const (
	EINVALID  = "invalid"
	ENOTFOUND = "not_found"
	ECONFLICT = "conflict"
	// EFORBIDDEN: the signed-in staff member's role may not do this (the
	// Field names the staff action, see app/staff).
	EFORBIDDEN = "forbidden"
	EINTERNAL  = "internal"
)

// Error is the application error: a code, the field at fault (if any) and a
// plain message that says what to fix.
type Error struct {
	Code  string
	Field string
	Msg   string
	// Cause is the typed error Msg says, when a screen may say it in
	// its own words (a wrong staff PIN, a refusal by role); may be nil.
	Cause error `json:"-"`
	// Format is the message before the facts were filled in ("%s owes
	// %s"): what an error report may say of the error (no business data).
	Format string `json:"-"`
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns the cause (nil if none).
func (e *Error) Unwrap() error { return e.Cause }

// Errorf returns an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...), Format: format}
}

// Invalid returns an EINVALID error for field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Msg: fmt.Sprintf(format, args...), Format: format}
}

// Problems are several field errors found at once (a form shows each next
// to its field). errors.As finds the first; Error joins their messages.
type Problems []*Error

func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, e := range ps {
		msgs[i] = e.Msg
	}
	return strings.Join(msgs, " ")
}

// Unwrap gives each problem.
func (ps Problems) Unwrap() []error {
	errs := make([]error, len(ps))
	for i, e := range ps {
		errs[i] = e
	}
	return errs
}

// Err is nil with no problems, the one *Error with one, else ps.
func (ps Problems) Err() error {
	switch len(ps) {
	case 0:
		return nil
	case 1:
		return ps[0]
	}
	return ps
}

// ErrorCode returns the code of err, EINTERNAL for foreign errors, "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var ps Problems
	if errors.As(err, &ps) {
		return ps.Error()
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Msg
	}
	return "Something went wrong inside AI Naukar; the details are in the log."
}
