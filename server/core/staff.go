package core

import (
	"context"
	"encoding/json"
	"errors"
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

// Security event kinds of staff changes made on the server (the account
// web page); changes made on a device arrive as synced rows.
const (
	EventStaffAdded   = "staff_added"
	EventStaffRemoved = "staff_removed"
)

// StaffWriter is what changing the staff from the server needs: the live
// staff records of a business, and writing one as the server's own synced
// change (store.WriteServerRows), which every device then pulls.
type StaffWriter interface {
	StaffMembers(ctx context.Context, businessID string) ([]staff.Member, error)
	WriteStaff(ctx context.Context, businessID string, m staff.Member, remove bool, now time.Time) error
}

// NewStaff is a member the owner adds on the server: PIN in clear, hashed
// here; DiscountLimitBP -1 gives a cashier the default limit.
type NewStaff struct {
	Name            string
	Role            staff.Role
	PIN             string
	DiscountLimitBP int
}

// AddStaff adds a staff member to the session's business by the same rules
// as the app (app/staff: the owner only, the first member an owner, names
// unique, a PIN that is not easy to guess, hashed with params). The new id
// is newID.
func AddStaff(ctx context.Context, w StaffWriter, s Session, in NewStaff, newID string, params staff.Params, now time.Time) (staff.Member, error) {
	m := staff.Member{ID: newID, Name: in.Name, Role: in.Role}
	if err := Require(s, staff.ManageStaff); err != nil {
		return m, err
	}
	m.Normalize()
	m.SetDiscountLimit(in.DiscountLimitBP)
	if !m.Role.Valid() {
		return m, Errorf(protocol.CodeInvalid, "Pick a role: owner, manager or cashier.")
	}
	hash, err := params.Hash(in.PIN)
	if err != nil {
		return m, Errorf(protocol.CodeInvalid, "%s", err.Error())
	}
	m.PINHash = hash
	if err := m.Validate(); err != nil {
		return m, Errorf(protocol.CodeInvalid, "%s", err.Error())
	}
	members, err := w.StaffMembers(ctx, s.BusinessID)
	if err != nil {
		return m, err
	}
	if err := staff.CheckAdd(members, m); err != nil {
		return m, rosterError(err)
	}
	return m, w.WriteStaff(ctx, s.BusinessID, m, false, now)
}

// RemoveStaff removes a staff member of the session's business (a
// tombstone that syncs) by the app's rules: the owner only, and the last
// owner stays.
func RemoveStaff(ctx context.Context, w StaffWriter, s Session, id string, now time.Time) (staff.Member, error) {
	if err := Require(s, staff.ManageStaff); err != nil {
		return staff.Member{}, err
	}
	members, err := w.StaffMembers(ctx, s.BusinessID)
	if err != nil {
		return staff.Member{}, err
	}
	for _, m := range members {
		if m.ID != id {
			continue
		}
		if err := staff.CheckRemove(members, m, s.UserID); err != nil {
			return m, rosterError(err)
		}
		return m, w.WriteStaff(ctx, s.BusinessID, m, true, now)
	}
	return staff.Member{}, Errorf(protocol.CodeNotFound, "No such staff member: the list may have changed on a counter. Reload the page.")
}

func rosterError(err error) error {
	var re *staff.RosterError
	if errors.As(err, &re) {
		if re.Conflict {
			return Errorf(protocol.CodeConflict, "%s", re.Msg)
		}
		return Errorf(protocol.CodeInvalid, "%s", re.Msg)
	}
	return err
}
