package staff

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Table is the synced table that holds the staff records.
const Table = "staff"

// OverridesTable is the synced document table of approved overrides.
const OverridesTable = "staff_overrides"

// DefaultDiscountLimitBP is a new cashier's largest discount without a
// manager's PIN: 5% of a line.
const DefaultDiscountLimitBP = 500

// Member is a staff record (synced as a record of table "staff", last
// writer wins per field; removal is a tombstone). The PIN's hash syncs with
// it so that every device checks PINs offline.
type Member struct {
	ID      string `json:"-"`
	Name    string `json:"name"`
	Role    Role   `json:"role"`
	PINHash string `json:"pin_hash"`
	// DiscountLimitBP is the largest discount (basis points of a line's
	// price) this member gives without a manager's PIN. Managers and owners
	// have no limit.
	DiscountLimitBP int  `json:"discount_limit_bp,omitempty"`
	Deleted         bool `json:"-"`
}

// Normalize trims the name.
func (m *Member) Normalize() {
	m.Name = strings.Join(strings.Fields(m.Name), " ")
}

// Validate checks a member record.
func (m *Member) Validate() error {
	if m.Name == "" {
		return errors.New("Staff name is required.")
	}
	if utf8.RuneCountInString(m.Name) > 60 {
		return errors.New("Staff name is too long (at most 60 characters).")
	}
	if !m.Role.Valid() {
		return fmt.Errorf("Role %q is not one of owner, manager, cashier.", m.Role)
	}
	if m.PINHash == "" {
		return errors.New("Set a PIN for " + m.Name + ".")
	}
	if m.DiscountLimitBP < 0 || m.DiscountLimitBP > 10000 {
		return errors.New("The discount limit must be between 0% and 100%.")
	}
	return nil
}

// CanDiscount reports whether m may give a discount of bp basis points
// without a manager's PIN.
func (m *Member) CanDiscount(bp int) bool {
	return bp <= 0 || Allowed(m.Role, DiscountOverLimit) || bp <= m.DiscountLimitBP
}

// CheckPIN says what is wrong with a new PIN: 4 to 8 digits, not all the
// same digit and not a plain run such as 1234 or 9876.
func CheckPIN(pin string) error {
	if len(pin) < 4 || len(pin) > 8 {
		return errors.New("A PIN has 4 to 8 digits.")
	}
	for _, c := range pin {
		if c < '0' || c > '9' {
			return errors.New("A PIN has digits only.")
		}
	}
	same, up, down := true, true, true
	for i := 1; i < len(pin); i++ {
		d := int(pin[i]) - int(pin[i-1])
		same = same && d == 0
		up = up && d == 1
		down = down && d == -1
	}
	if same || up || down {
		return fmt.Errorf("PIN %s is too easy to guess: pick digits that are not all the same or in a row.", strings.Repeat("•", len(pin)))
	}
	return nil
}

// Params are the argon2id costs of a PIN hash. The hash records them, so
// a PIN hashed with any allowed params verifies everywhere.
type Params struct {
	Time      uint32 // passes
	MemoryKiB uint32
}

// DefaultParams is OWASP's minimum for argon2id (19 MiB, two passes): a PIN
// has few digits, so each try must be slow. TestParams is the least that
// VerifyPIN accepts, for tests that hash many PINs.
var (
	DefaultParams = Params{Time: 2, MemoryKiB: 19 * 1024}
	TestParams    = Params{Time: 1, MemoryKiB: 8 * 1024}
)

const (
	pinThreads = 1
	pinKeyLen  = 32
)

// HashPIN hashes a PIN with argon2id (DefaultParams) and a random salt, in
// the PHC string form ($argon2id$v=19$m=...,t=...,p=...$salt$hash).
func HashPIN(pin string) (string, error) { return DefaultParams.Hash(pin) }

// Hash hashes a PIN with these params.
func (p Params) Hash(pin string) (string, error) {
	if err := CheckPIN(pin); err != nil {
		return "", err
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash PIN: %w", err)
	}
	key := argon2.IDKey([]byte(pin), salt, p.Time, p.MemoryKiB, pinThreads, pinKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, pinThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPIN reports whether pin matches hash (made by HashPIN). A hash it
// cannot read never matches.
func VerifyPIN(hash, pin string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	// Bounds keep a hostile synced row from making a device hash for ever.
	if m < 8*1024 || m > 256*1024 || t < 1 || t > 10 || p < 1 || p > 4 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(pin), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// Lockout: after MaxFailures wrong PINs in a row a member is locked for
// LockFor; each later wrong PIN locks again for the same time.
const (
	MaxFailures = 5
	LockFor     = 15 * time.Minute
)

// LockedUntil is when a member with failures wrong PINs in a row, the last
// at last, may try again (zero: not locked).
func LockedUntil(failures int, last time.Time) time.Time {
	if failures < MaxFailures {
		return time.Time{}
	}
	return last.Add(LockFor)
}

// ErrLocked says a member must wait before another try.
type ErrLocked struct {
	Name  string
	Until time.Time
}

func (e *ErrLocked) Error() string {
	return fmt.Sprintf("Too many wrong PINs for %s: try again after %s, or ask the owner.", e.Name, e.Until.Local().Format("15:04"))
}

// ErrWrongPIN is a wrong PIN; Left is how many tries remain before a lock.
type ErrWrongPIN struct {
	Name string
	Left int
}

func (e *ErrWrongPIN) Error() string {
	if e.Left <= 0 {
		return fmt.Sprintf("Wrong PIN for %s.", e.Name)
	}
	return fmt.Sprintf("Wrong PIN for %s: %d more tries before a %d-minute lock.", e.Name, e.Left, int(LockFor/time.Minute))
}

// Override is the log of a manager's approval of something a cashier may
// not do alone (a document of table staff_overrides, written once).
type Override struct {
	ID           string `json:"-"`
	Action       Action `json:"action"`
	CashierID    string `json:"cashier_id"`
	CashierName  string `json:"cashier_name"`
	ApproverID   string `json:"approver_id"`
	ApproverName string `json:"approver_name"`
	Detail       string `json:"detail,omitempty"` // what was approved: an invoice number, a discount
	DeviceID     string `json:"device_id,omitempty"`
	CreatedAt    string `json:"created_at"` // RFC 3339
}

// RosterError is a staff change that the rules of the staff list refuse.
// Field names the input at fault ("" for none); Conflict marks a change
// that contradicts the staff as they are (removing the last owner) rather
// than a bad input.
type RosterError struct {
	Field    string
	Conflict bool
	Msg      string
}

func (e *RosterError) Error() string { return e.Msg }

// The rules of the staff list, in one place for every way staff change:
// the app's store (Settings → Staff, naukar staff) and the server's
// account web page both check a change against the live members with
// these before they write it.

// SetDiscountLimit sets a member's discount limit by its role: bp for a
// cashier (-1: DefaultDiscountLimitBP), none for managers and owners, who
// have no limit.
func (m *Member) SetDiscountLimit(bp int) {
	switch {
	case m.Role != Cashier:
		m.DiscountLimitBP = 0
	case bp < 0:
		m.DiscountLimitBP = DefaultDiscountLimitBP
	default:
		m.DiscountLimitBP = bp
	}
}

// CheckAdd checks adding m to the live members: the first member must be
// an owner (the shop's owner setting up staff), and names are unique.
func CheckAdd(members []Member, m Member) error {
	if len(members) == 0 && m.Role != Owner {
		return &RosterError{Field: "role", Msg: "Add yourself first, as the owner: once the books have staff, only the owner can add or remove staff."}
	}
	return CheckUniqueName(members, m.Name, "")
}

// CheckUniqueName refuses a name another live member (but except) has, in
// any case: staff sign in by name.
func CheckUniqueName(members []Member, name, except string) error {
	for _, o := range members {
		if o.ID != except && strings.EqualFold(o.Name, name) {
			return &RosterError{Field: "name", Msg: "There is already a staff member called " + name + "; use another name (staff sign in by name)."}
		}
	}
	return nil
}

// KeepAnOwner refuses a change that would leave no owner when leaving
// (removed, or no longer an owner) goes.
func KeepAnOwner(members []Member, leaving string) error {
	for _, o := range members {
		if o.ID != leaving && o.Role == Owner {
			return nil
		}
	}
	return &RosterError{Conflict: true, Msg: "This is the only owner: add another owner first, so that someone can still manage staff and settings."}
}

// CheckRemove checks removing m from the live members; self is who makes
// the change ("" when nobody signed in with a PIN, as on the account web
// page, where the account's owner signs in with the password): nobody
// removes themselves, and the last owner stays.
func CheckRemove(members []Member, m Member, self string) error {
	if self != "" && self == m.ID {
		return &RosterError{Conflict: true, Msg: "You cannot remove yourself; another owner can."}
	}
	if m.Role == Owner {
		return KeepAnOwner(members, m.ID)
	}
	return nil
}
