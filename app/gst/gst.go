// Package gst holds the Indian GST rules the books must get right: GSTIN and
// state codes, tax rates by date, tax computation in integer paise, rounding,
// amounts in words, financial years, invoice numbers, units and UPI payment
// links; and the other Indian identifiers both the app and the server check,
// mobile numbers. Every function is pure: no I/O, no clock, no global state
// that changes, so the server uses the same rules.
package gst

// Error is the error returned by the validators and parsers in this package.
// Field names what is wrong (for example "gstin" or "rate") and Msg is a plain
// sentence that can be shown to a shopkeeper as it is.
type Error struct {
	Field string
	Msg   string
}

// Error returns the message meant for the user.
func (e *Error) Error() string { return e.Msg }

// newErr builds an *Error for field with the given message.
func newErr(field, msg string) *Error { return &Error{Field: field, Msg: msg} }
