package core

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/staff"
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
	// LastSeen is when the device was last seen (its last push, or a
	// request at least an hour after the one before; else when it was
	// added), as the store last read it.
	LastSeen time.Time

	// Staff (staff.go): whether the business has staff, who is signed in
	// on the device as the server last checked their PIN, and until when.
	HasStaff  bool
	UserID    string
	UserName  string
	UserRole  staff.Role
	UserUntil time.Time
	// Role is what the device may do now (RoleAt), set by the server's
	// authentication on every request.
	Role staff.Role
}

// Signup is the body of POST /v1/signup with the server's checks on it.
type Signup protocol.SignupRequest

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s.]+$`)

// Normalize trims and canonicalises the fields the way the app does (email
// lower case, phone as its 10 digits, GSTIN and state code by
// gst.NormalizeRegistration). Call Validate after it.
func (s *Signup) Normalize() {
	s.Owner.Name = strings.TrimSpace(s.Owner.Name)
	s.Owner.Email = strings.ToLower(strings.TrimSpace(s.Owner.Email))
	s.Owner.Phone = strings.TrimSpace(s.Owner.Phone)
	if p, err := gst.NormalizeMobile(s.Owner.Phone); err == nil {
		s.Owner.Phone = p
	}
	b := &s.Business
	b.Name = strings.TrimSpace(b.Name)
	b.GSTIN, b.StateCode = gst.NormalizeRegistration(b.GSTIN, b.StateCode)
	b.Address = strings.TrimSpace(b.Address)
	b.City = strings.TrimSpace(b.City)
	b.Category = strings.TrimSpace(b.Category)
}

// Validate checks a normalised signup and returns an invalid *Error naming
// the first problem. Phone, state and GSTIN are checked by the app's own
// rules (package gst), so what the app accepts the server accepts.
func (s *Signup) Validate() error {
	if !s.AgeConfirmed {
		return Errorf(protocol.CodeInvalid, "AI Naukar is only for people aged 18 or over: an account is a contract with us, which only an adult can make, and our privacy policy keeps no data about anyone under 18. Please confirm your age.")
	}
	if !s.TermsAccepted {
		return Errorf(protocol.CodeInvalid, "Please accept the terms of service and privacy policy to create an account.")
	}
	if err := s.ValidateOwner(); err != nil {
		return err
	}
	if err := CheckPassword(s.Owner.Password); err != nil {
		return err
	}
	return s.ValidateBusiness()
}

// ValidateOwner checks the normalised owner's name, email and phone (also
// for a correction of the profile, PATCH /v1/account).
func (s *Signup) ValidateOwner() error {
	if err := checkName("Owner name", s.Owner.Name, 100); err != nil {
		return err
	}
	if len(s.Owner.Email) > 254 || hasControl(s.Owner.Email) || !emailRE.MatchString(s.Owner.Email) {
		return Errorf(protocol.CodeInvalid, "Email %q does not look like an email address.", CleanString(s.Owner.Email, 254))
	}
	if _, err := gst.NormalizeMobile(s.Owner.Phone); err != nil {
		return &Error{Code: protocol.CodeInvalid, Message: err.Error()}
	}
	return nil
}

// ValidateBusiness checks the normalised business profile (also for a
// correction, PATCH /v1/business).
func (s *Signup) ValidateBusiness() error {
	b := s.Business
	if err := checkName("Business name", b.Name, 200); err != nil {
		return err
	}
	if err := gst.CheckRegistration(b.GSTIN, b.StateCode); err != nil {
		return &Error{Code: protocol.CodeInvalid, Message: err.Error()}
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

// hasControl reports control characters or bytes that are not UTF-8 (a
// string PostgreSQL would refuse to store).
func hasControl(s string) bool {
	return !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl)
}

// MaskLogin masks a login identifier (email or phone) for the security log.
func MaskLogin(login string) string {
	if i := strings.IndexByte(login, '@'); i >= 0 {
		if i <= 1 {
			return "*" + login[i:]
		}
		return login[:1] + strings.Repeat("*", i-1) + login[i:]
	}
	return gst.MaskPhone(login)
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
