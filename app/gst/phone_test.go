package gst_test

import (
	"testing"

	"github.com/ainaukar/naukar/app/gst"
)

func TestNormalizeMobile(t *testing.T) {
	for in, want := range map[string]string{
		"9876543210":          "9876543210",
		"09876543210":         "9876543210",
		"+91 98765-43210":     "9876543210",
		"+919876543210":       "9876543210",
		"91 98765 43210":      "9876543210",
		"919876543210":        "9876543210",
		" (98765) 43210 ":     "9876543210",
		"98765.43210":         "9876543210",
		"+91 6000000000":      "6000000000",
		"9123456789":          "9123456789", // starts with 91 but is 10 digits: a number, not a code
		"+91 91234 56789":     "9123456789",
		"0 91234 56789":       "9123456789",
		"+91-70000-00000":     "7000000000",
		"8 0 0 0 0 0 0 0 0 0": "8000000000",
	} {
		got, err := gst.NormalizeMobile(in)
		if err != nil || got != want {
			t.Errorf("NormalizeMobile(%q) = %q, %v; want %q", in, got, err, want)
		}
		intl, err := gst.MobileWithCountryCode(in)
		if err != nil || intl != "91"+want {
			t.Errorf("MobileWithCountryCode(%q) = %q, %v; want %q", in, intl, err, "91"+want)
		}
	}
	for _, in := range []string{
		"", "12345", "5876543210", "98765432101", "+1 9876543210", "+44 7911 123456",
		"98765abcde", "9876543210 (shop)", "022-2345 6789", "0091 98765 43210",
		"+91 098765 43210", "++919876543210", "919876543210 1", "+9876543210",
	} {
		got, err := gst.NormalizeMobile(in)
		if err == nil || got != "" {
			t.Errorf("NormalizeMobile(%q) = %q, %v; want a refusal", in, got, err)
			continue
		}
		AssertErr(t, err, "phone", "")
		if _, err := gst.MobileWithCountryCode(in); err == nil {
			t.Errorf("MobileWithCountryCode(%q) accepted", in)
		}
	}
	_, err := gst.NormalizeMobile("98765")
	AssertErr(t, err, "phone", `"98765" is not a 10-digit Indian mobile number; type it as 98765 43210 (a leading +91 or 0 is fine).`)
	_, err = gst.NormalizeMobile("  ")
	AssertErr(t, err, "phone", "Mobile number is empty.")
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{"9876543210": "******3210", "919876543210": "********3210", "123": "****", "": "****"} {
		if got := gst.MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}
