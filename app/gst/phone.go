package gst

import (
	"fmt"
	"strings"
)

// Indian mobile numbers, the app's and the server's one rule: the books, the
// importer, the CLI and the server's sign-up all call NormalizeMobile, so a
// number typed any of the usual ways is the same number everywhere.

// NormalizeMobile returns the 10-digit form of an Indian mobile number, the
// form the books and the server keep: "+91 98765-43210", "91 98765 43210",
// "09876543210" and "(98765) 43210" all give "9876543210". Spaces, dashes,
// dots and brackets are ignored; the number may start with +91, 91 (12
// digits in all) or a trunk 0 (11 digits in all); what is left must be 10
// digits starting with 6, 7, 8 or 9. Anything else, including letters, a
// landline number and another country's code, is refused with an *Error
// for the field "phone" and "" is returned.
func NormalizeMobile(s string) (string, error) {
	t := strings.TrimSpace(s)
	plus := strings.HasPrefix(t, "+")
	if plus {
		t = t[1:]
	}
	d := make([]byte, 0, 12)
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case isDigit(c):
			d = append(d, c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return "", mobileErr(s)
		}
	}
	switch {
	case plus && (len(d) != 12 || d[0] != '9' || d[1] != '1'):
		return "", mobileErr(s) // +1 …, +44 …: not an Indian number
	case len(d) == 12 && d[0] == '9' && d[1] == '1':
		d = d[2:]
	case len(d) == 11 && d[0] == '0':
		d = d[1:]
	}
	if len(d) != 10 || d[0] < '6' {
		return "", mobileErr(s)
	}
	return string(d), nil
}

func mobileErr(s string) *Error {
	if strings.TrimSpace(s) == "" {
		return newErr("phone", "Mobile number is empty.")
	}
	return newErr("phone", fmt.Sprintf("%q is not a 10-digit Indian mobile number; type it as 98765 43210 (a leading +91 or 0 is fine).", s))
}

// MobileWithCountryCode returns an Indian mobile number as 91 followed by its
// 10 digits ("919876543210"): digits only, country code first, the form the
// WhatsApp Cloud API and SMS gateways take. It accepts what NormalizeMobile
// accepts and refuses the rest the same way.
func MobileWithCountryCode(s string) (string, error) {
	m, err := NormalizeMobile(s)
	if err != nil {
		return "", err
	}
	return "91" + m, nil
}

// MaskPhone hides all but the last four characters of a phone number, for
// logs: "9876543210" gives "******3210". Four characters or fewer are hidden
// whole.
func MaskPhone(s string) string {
	if len(s) <= 4 {
		return "****"
	}
	return strings.Repeat("*", len(s)-4) + s[len(s)-4:]
}
