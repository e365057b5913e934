package protocol

import "time"

// The bodies of the account endpoints (/v1/signup, /v1/login, /v1/me,
// /v1/devices), read by the server and sent by the app.

// SignupOwner is the owner part of a signup.
type SignupOwner struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Password string `json:"password"`
}

// SignupBusiness is the business part of a signup.
type SignupBusiness struct {
	Name      string `json:"name"`
	GSTIN     string `json:"gstin,omitempty"`
	StateCode string `json:"state_code"`
	Address   string `json:"address,omitempty"`
	City      string `json:"city,omitempty"`
	Category  string `json:"category,omitempty"`
}

// SignupRequest is the body of POST /v1/signup.
type SignupRequest struct {
	Owner         SignupOwner    `json:"owner"`
	Business      SignupBusiness `json:"business"`
	AgeConfirmed  bool           `json:"age_confirmed"`
	TermsAccepted bool           `json:"terms_accepted"`
}

// SignupResponse is the reply to a signup.
type SignupResponse struct {
	AccountID  string `json:"account_id"`
	BusinessID string `json:"business_id"`
}

// LoginRequest is the body of POST /v1/login; Login is an email or phone.
type LoginRequest struct {
	Login      string `json:"login"`
	Password   string `json:"password"`
	DeviceName string `json:"device_name"`
	// ClockID is the device part of the stamps this device's changes
	// carry (its books' own id). The server refuses a pushed change whose
	// stamp names another device; without it the stamps must name the
	// device id the login returns.
	ClockID string `json:"clock_id,omitempty"`
}

// LoginResponse is the reply to a login: the device token (keep it in the
// OS keyring), the device's invoice series and the server epoch.
type LoginResponse struct {
	Token      string `json:"token"`
	DeviceID   string `json:"device_id"`
	Series     string `json:"series"`
	BusinessID string `json:"business_id"`
	Epoch      string `json:"epoch"`
}

// Account is the person who signs in, the owner of a business, as the
// server shows it.
type Account struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	Phone     string    `json:"phone"`
	CreatedAt time.Time `json:"created_at"`
}

// Business is one shop's books on the server: what was signed up, with its
// ids and time (JSON: id, account_id, the sign-up's fields, created_at).
type Business struct {
	ID        string `json:"id"`
	AccountID string `json:"account_id"`
	SignupBusiness
	CreatedAt time.Time `json:"created_at"`
}

// Device is one registered copy of the app. Each device of a business has
// its own invoice series so two counters billing offline never clash. It is
// the reply to DELETE /v1/devices/{id}.
type Device struct {
	ID         string     `json:"id"`
	BusinessID string     `json:"business_id"`
	AccountID  string     `json:"account_id"`
	Name       string     `json:"name"`
	Series     string     `json:"series"`
	LastN      int64      `json:"last_n"`
	CreatedAt  time.Time  `json:"created_at"`
	LastSeenAt *time.Time `json:"last_seen_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// DeviceView is a device as listed, marking the caller's own device.
type DeviceView struct {
	Device
	Current bool `json:"current"`
}

// DevicesResponse is the reply to GET /v1/devices.
type DevicesResponse struct {
	Devices []DeviceView `json:"devices"`
}

// MeResponse is the reply to GET /v1/me.
type MeResponse struct {
	Account  Account  `json:"account"`
	Business Business `json:"business"`
	Device   Device   `json:"device"`
	Epoch    string   `json:"epoch"`
}
