package protocol

import "time"

// StaffSignInRequest is the body of POST /v1/staff/signin: a staff member
// (an id of the synced table "staff") signs in on the calling device with
// their PIN. The server checks the PIN against the synced record's hash.
type StaffSignInRequest struct {
	UserID string `json:"user_id"`
	PIN    string `json:"pin"`
}

// StaffSession says who the server takes to be at a device and what they
// may do there: the reply to POST /v1/staff/signin and /v1/staff/signout.
// Role is owner, manager or cashier (app/staff).
type StaffSession struct {
	UserID string     `json:"user_id,omitempty"`
	Name   string     `json:"name,omitempty"`
	Role   string     `json:"role"`
	Until  *time.Time `json:"until,omitempty"`
}
