package core

import (
	"context"
	"encoding/json"
	"time"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/sync/protocol"
)

// StaffSessionTTL is how long a staff member's sign-in on a device lasts on
// the server (a working day); the app signs them out sooner when the
// counter locks.
const StaffSessionTTL = 12 * time.Hour

// Security event kinds of staff sign-ins.
const (
	EventStaffSignIn       = "staff_signin"
	EventStaffSignInFailed = "staff_signin_failed"
	EventStaffSignOut      = "staff_signout"
	EventForbidden         = "forbidden"
)

// RoleAt is what the device may do at now. A business without staff has one
// user, the owner who signed the device in with the account's password.
// With staff, a device does what the staff member signed in on it (with
// their PIN, checked by the server) may do until their sign-in ends, and
// what a cashier may otherwise: a device alone proves nobody is there.
func (s Session) RoleAt(now time.Time) staff.Role {
	if !s.HasStaff {
		return staff.Owner
	}
	if s.UserID != "" && now.Before(s.UserUntil) && s.UserRole.Valid() {
		return s.UserRole
	}
	return staff.Cashier
}

// Can reports whether the session's role may do a.
func (s Session) Can(a staff.Action) bool { return staff.Allowed(s.Role, a) }

// Require returns a forbidden *Error when the session's role may not do a.
func Require(s Session, a staff.Action) error {
	if s.Can(a) {
		return nil
	}
	name := s.UserName
	if s.UserID == "" || s.Role != s.UserRole {
		name = "" // nobody signed in, or their sign-in ended
	}
	msg := (&staff.Denied{Role: s.Role, Action: a, Name: name}).Error()
	if name == "" {
		msg += " Sign in on this device with a PIN of someone who may."
	}
	return &Error{Code: protocol.CodeForbidden, Message: msg}
}

// CheckStaffMutation refuses a change of the staff table from a device
// whose role may not manage staff, so that a modified app cannot make its
// user an owner. It returns nil for other tables.
func CheckStaffMutation(s Session, m protocol.Mutation) *protocol.Rejection {
	if m.Table != staff.Table || s.Can(staff.ManageStaff) {
		return nil
	}
	return &protocol.Rejection{N: m.N, Table: m.Table, ID: m.ID, Code: protocol.CodeForbidden,
		Message: "Only the owner can add, change or remove staff: sign in on this device as the owner, then make the change again."}
}

// CheckWAMutation refuses a WhatsApp message request (a wa_messages row,
// which the server sends) that the device's role may not make: a reminder
// needs staff.SendMessages (a manager or the owner), anything else on the
// table staff.SendBill (every role sends a customer their bill). So a
// modified app cannot send what its user may not. It returns nil for
// other tables.
func CheckWAMutation(s Session, m protocol.Mutation) *protocol.Rejection {
	if m.Table != protocol.TableWAMessages || m.Op == protocol.OpDelete {
		return nil
	}
	var f struct {
		Kind string `json:"kind"`
	}
	_ = json.Unmarshal(m.Data, &f) // a malformed row is refused by CheckMutation
	a := staff.SendBill
	if f.Kind == protocol.WAKindReminder {
		a = staff.SendMessages
	}
	err := Require(s, a)
	if err == nil {
		return nil
	}
	return &protocol.Rejection{N: m.N, Table: m.Table, ID: m.ID, Code: protocol.CodeForbidden,
		Message: "Not sent on WhatsApp: " + ErrorMessage(err)}
}

// StaffMember reads a synced staff record (data as the devices wrote it).
func StaffMember(id string, data []byte) (staff.Member, error) {
	var m staff.Member
	if err := json.Unmarshal(data, &m); err != nil {
		return m, err
	}
	m.ID = id
	return m, nil
}

// StaffStore is what staff sign-in on the server needs from the store.
type StaffStore interface {
	// StaffRecord returns the data of a live synced staff row of the
	// business (found false when absent or removed).
	StaffRecord(ctx context.Context, businessID, staffID string) (data []byte, found bool, err error)
	// StaffPINFailures counts wrong PINs for a staff member since a time
	// and returns the newest.
	StaffPINFailures(ctx context.Context, businessID, staffID string, since time.Time) (n int, last time.Time, err error)
	// RecordStaffPINFailure stores a wrong PIN (and prunes day-old ones).
	RecordStaffPINFailure(ctx context.Context, businessID, staffID string, at time.Time) error
	// ClearStaffPINFailures forgets a member's wrong PINs (after a right one).
	ClearStaffPINFailures(ctx context.Context, businessID, staffID string) error
	// SetDeviceUser records who is signed in on the session's device and
	// until when ("" and the zero time: nobody).
	SetDeviceUser(ctx context.Context, s Session, userID string, until time.Time) error
}
