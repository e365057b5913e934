package protocol

import "time"

// The bodies of the privacy endpoints (server/privacy): correction of the
// profile, closing the account, exports, telemetry and notices.

// AccountPatch is the body of PATCH /v1/account: the fields to correct
// (absent fields stay as they are).
type AccountPatch struct {
	Name  *string `json:"name,omitempty"`
	Email *string `json:"email,omitempty"`
	Phone *string `json:"phone,omitempty"`
}

// BusinessPatch is the body of PATCH /v1/business.
type BusinessPatch struct {
	Name      *string `json:"name,omitempty"`
	GSTIN     *string `json:"gstin,omitempty"`
	StateCode *string `json:"state_code,omitempty"`
	Address   *string `json:"address,omitempty"`
	City      *string `json:"city,omitempty"`
	Category  *string `json:"category,omitempty"`
}

// DeleteAccountRequest is the body of POST /v1/account/delete.
type DeleteAccountRequest struct {
	Password string `json:"password"`
}

// DeleteAccountResponse says when the closed account's data is purged.
type DeleteAccountResponse struct {
	ClosedAt time.Time `json:"closed_at"`
	PurgeAt  time.Time `json:"purge_at"`
}

// ExportStarted is the reply to POST /v1/account/exports.
type ExportStarted struct {
	ID string `json:"id"`
}

// Export states.
const (
	ExportQueued  = "queued"
	ExportRunning = "running"
	ExportReady   = "ready"
	ExportFailed  = "failed"
)

// ExportStatus is the reply to GET /v1/account/exports/{id} while the
// export is not ready (202), or when asked with Accept: application/json.
type ExportStatus struct {
	ID        string    `json:"id"`
	State     string    `json:"state"`
	Done      int64     `json:"done"`
	Total     int64     `json:"total"`
	Size      int64     `json:"size,omitempty"`
	Error     string    `json:"error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// UsageEvent is one use of a feature of the app: which, when, and the app
// version. Never business data.
type UsageEvent struct {
	Feature    string    `json:"feature"`
	At         time.Time `json:"at"`
	AppVersion string    `json:"app_version"`
}

// ErrorReport is an error the app met: its message, stack and version.
type ErrorReport struct {
	Message    string    `json:"message"`
	Stack      string    `json:"stack,omitempty"`
	At         time.Time `json:"at"`
	AppVersion string    `json:"app_version"`
}

// TelemetryBatch is the body of POST /v1/telemetry.
type TelemetryBatch struct {
	Events []UsageEvent  `json:"events,omitempty"`
	Errors []ErrorReport `json:"errors,omitempty"`
}

// Notice is a notice for the owner (a change of the privacy policy).
type Notice struct {
	ID        string    `json:"id"`
	Version   string    `json:"version"`
	Summary   string    `json:"summary"`
	CreatedAt time.Time `json:"created_at"`
}

// NoticesResponse is the reply to GET /v1/notices: the notices not yet
// seen by the account.
type NoticesResponse struct {
	Notices []Notice `json:"notices"`
}
