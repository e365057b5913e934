package core

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ainaukar/naukar/sync/protocol"
)

// Account is an owner as the server keeps it: what the API shows of it
// (protocol.Account) and the password hash, which it never shows.
type Account struct {
	protocol.Account
	PasswordHash string `json:"-"`
}

// Business is one shop's books on the server, as the API shows it.
type Business = protocol.Business

// Device is one registered copy of the app, as the API shows it.
type Device = protocol.Device

// Session is what an authenticated device token stands for. The business
// of every request is taken from here, never from a request body.
type Session struct {
	AccountID  string
	BusinessID string
	DeviceID   string
}

// Signup is the body of POST /v1/signup with the server's checks on it.
type Signup protocol.SignupRequest

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s.]+$`)

// Normalize trims and canonicalises the fields (email lower case, phone as
// 91XXXXXXXXXX, GSTIN upper case). Call Validate after it.
func (s *Signup) Normalize() {
	s.Owner.Name = strings.TrimSpace(s.Owner.Name)
	s.Owner.Email = strings.ToLower(strings.TrimSpace(s.Owner.Email))
	if p, ok := NormalizePhone(s.Owner.Phone); ok {
		s.Owner.Phone = p
	}
	b := &s.Business
	b.Name = strings.TrimSpace(b.Name)
	b.GSTIN = strings.ToUpper(strings.TrimSpace(b.GSTIN))
	b.StateCode = strings.TrimSpace(b.StateCode)
	b.Address = strings.TrimSpace(b.Address)
	b.City = strings.TrimSpace(b.City)
	b.Category = strings.TrimSpace(b.Category)
}

// Validate checks a normalised signup and returns an invalid *Error naming
// the first problem.
func (s *Signup) Validate() error {
	if !s.AgeConfirmed {
		return Errorf(protocol.CodeInvalid, "AI Naukar is only for people aged 18 or over: please confirm your age.")
	}
	if !s.TermsAccepted {
		return Errorf(protocol.CodeInvalid, "Please accept the terms of service and privacy policy to create an account.")
	}
	if err := checkName("Owner name", s.Owner.Name, 100); err != nil {
		return err
	}
	if len(s.Owner.Email) > 254 || !emailRE.MatchString(s.Owner.Email) {
		return Errorf(protocol.CodeInvalid, "Email %q does not look like an email address.", s.Owner.Email)
	}
	if _, ok := NormalizePhone(s.Owner.Phone); !ok {
		return Errorf(protocol.CodeInvalid, "Phone must be a 10-digit Indian mobile number (optionally starting with +91).")
	}
	if err := CheckPassword(s.Owner.Password); err != nil {
		return err
	}
	b := s.Business
	if err := checkName("Business name", b.Name, 200); err != nil {
		return err
	}
	if !ValidStateCode(b.StateCode) {
		return Errorf(protocol.CodeInvalid, "State code %q is not a GST state code (two digits, 01 to 38, or 97).", b.StateCode)
	}
	if b.GSTIN != "" {
		if err := CheckGSTIN(b.GSTIN); err != nil {
			return err
		}
		if b.GSTIN[:2] != b.StateCode {
			return Errorf(protocol.CodeInvalid, "GSTIN %s belongs to state %s but the business state code is %s.", b.GSTIN, b.GSTIN[:2], b.StateCode)
		}
	}
	for _, f := range []struct{ name, v string }{{"Address", b.Address}, {"City", b.City}, {"Category", b.Category}} {
		if utf8.RuneCountInString(f.v) > 500 || hasControl(f.v) {
			return Errorf(protocol.CodeInvalid, "%s is too long or has invalid characters.", f.name)
		}
	}
	return nil
}

// CheckPassword enforces the password rules.
func CheckPassword(p string) error {
	if utf8.RuneCountInString(p) < 8 {
		return Errorf(protocol.CodeInvalid, "Password must be at least 8 characters long.")
	}
	if len(p) > 72 { // bcrypt reads at most 72 bytes
		return Errorf(protocol.CodeInvalid, "Password must be at most 72 bytes long.")
	}
	return nil
}

func checkName(what, v string, max int) error {
	if v == "" {
		return Errorf(protocol.CodeInvalid, "%s is required.", what)
	}
	if utf8.RuneCountInString(v) > max || hasControl(v) {
		return Errorf(protocol.CodeInvalid, "%s is too long or has invalid characters.", what)
	}
	return nil
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, unicode.IsControl)
}

// NormalizePhone turns an Indian mobile number (10 digits starting 6-9,
// optionally prefixed +91 or 91, spaces and dashes allowed) into
// 91XXXXXXXXXX.
func NormalizePhone(p string) (string, bool) {
	p = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '(' || r == ')' {
			return -1
		}
		return r
	}, strings.TrimSpace(p))
	p = strings.TrimPrefix(p, "+91")
	if len(p) == 12 && strings.HasPrefix(p, "91") {
		p = p[2:]
	}
	if len(p) != 10 || p[0] < '6' || p[0] > '9' {
		return "", false
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return "91" + p, true
}

// MaskPhone hides all but the last four digits, for logs.
func MaskPhone(p string) string {
	if len(p) <= 4 {
		return strings.Repeat("*", len(p))
	}
	return strings.Repeat("*", len(p)-4) + p[len(p)-4:]
}

// MaskLogin masks a login identifier (email or phone) for the security log.
func MaskLogin(login string) string {
	if i := strings.IndexByte(login, '@'); i >= 0 {
		if i <= 1 {
			return "*" + login[i:]
		}
		return login[:1] + strings.Repeat("*", i-1) + login[i:]
	}
	return MaskPhone(login)
}

// ValidStateCode reports whether s is a GST state code: 01-38 or 97.
func ValidStateCode(s string) bool {
	if len(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return false
	}
	n := int(s[0]-'0')*10 + int(s[1]-'0')
	return (n >= 1 && n <= 38) || n == 97
}

const gstinAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// CheckGSTIN validates the shape and check character of a GSTIN.
func CheckGSTIN(g string) error {
	if len(g) != 15 {
		return Errorf(protocol.CodeInvalid, "GSTIN must be 15 characters long.")
	}
	if !ValidStateCode(g[:2]) {
		return Errorf(protocol.CodeInvalid, "GSTIN %s does not start with a valid state code.", g)
	}
	sum := 0
	for i := 0; i < 15; i++ {
		v := strings.IndexByte(gstinAlphabet, g[i])
		if v < 0 {
			return Errorf(protocol.CodeInvalid, "GSTIN %s has a character that is not a digit or capital letter.", g)
		}
		if i == 14 {
			break
		}
		p := v * (1 + i%2)
		sum += p/36 + p%36
	}
	if want := gstinAlphabet[(36-sum%36)%36]; g[14] != want {
		return Errorf(protocol.CodeInvalid, "GSTIN %s is not valid: its check character should be %c. Please check it for typing mistakes.", g, want)
	}
	return nil
}

// SeriesName returns the invoice series of the n-th device of a business
// (1-based): A..Z, AA, AB, ...
func SeriesName(n int64) string {
	var b []byte
	for n > 0 {
		n--
		b = append([]byte{byte('A' + n%26)}, b...)
		n /= 26
	}
	return string(b)
}
