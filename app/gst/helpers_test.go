package gst_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/gst"
)

// MustDate returns midnight in IST of a dd-mm-yyyy date.
func MustDate(tb testing.TB, s string) time.Time {
	tb.Helper()
	d, err := time.ParseInLocation("02-01-2006", s, time.FixedZone("IST", 5*3600+1800))
	if err != nil {
		tb.Fatalf("bad test date %q: %v", s, err)
	}
	return d
}

// AssertErr checks that err is a *gst.Error with the given field and, if msg is
// not empty, exactly that message.
func AssertErr(tb testing.TB, err error, field, msg string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("want error on %q, got nil", field)
	}
	var ge *gst.Error
	if !errors.As(err, &ge) {
		tb.Fatalf("want *gst.Error, got %T: %v", err, err)
	}
	if ge.Field != field {
		tb.Errorf("field = %q, want %q (msg %q)", ge.Field, field, ge.Msg)
	}
	if msg != "" && ge.Msg != msg {
		tb.Errorf("message =\n  %q\nwant\n  %q", ge.Msg, msg)
	}
	if err.Error() != ge.Msg {
		tb.Errorf("Error() = %q, want Msg %q", err.Error(), ge.Msg)
	}
}

// AssertNoErr fails the test if err is not nil.
func AssertNoErr(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("unexpected error: %v", err)
	}
}
