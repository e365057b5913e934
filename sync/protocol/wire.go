package protocol

import "encoding/json"

// ProtocolVersion is the sync protocol version spoken by this build. A server
// refuses a client whose version is below its minimum with ErrClientTooOld.
const ProtocolVersion = 1

// Ops of a mutation.
const (
	OpUpsert = "upsert" // record: set the given fields (per-field last writer wins)
	OpDelete = "delete" // record: tombstone (deleted=1), never a row removal
	OpInsert = "insert" // document: insert if absent, never updated
)

// Mutation is one local change as queued in the outbox and pushed.
type Mutation struct {
	N     int64           `json:"n"`     // the device's gapless mutation number
	Table string          `json:"table"` // e.g. "products", "invoices"
	ID    string          `json:"id"`    // UUIDv7 of the row
	HLC   string          `json:"hlc"`   // stamp of this change
	Op    string          `json:"op"`
	Data  json.RawMessage `json:"data"` // record: changed fields; document: the whole document
}

// PushRequest is the body of POST /v1/sync/push.
type PushRequest struct {
	DeviceID        string `json:"device_id"`
	ProtocolVersion int    `json:"protocol_version"`
	Epoch           string `json:"epoch,omitempty"` // the server epoch the client last saw
	// Rebase is set on the first push after a server restore (epoch change):
	// the server then takes the first mutation's n as this device's new base
	// instead of refusing the jump as a gap.
	Rebase bool `json:"rebase,omitempty"`
	// Acked is the highest mutation number the server has acknowledged
	// to this device. The server honours Rebase only when it holds less
	// than that (it was restored, or lost a commit): then the device's
	// requeued books replace what it lost. Anywhere else a gap stays a
	// gap.
	Acked int64 `json:"acked,omitempty"`
	// ResendThrough, on a rebase push, is the last mutation number of the
	// books queued again. Those carry the stamps the books hold, of other
	// devices and the server too; the server accepts such stamps only up
	// to this number, given in a rebase push.
	ResendThrough int64      `json:"resend_through,omitempty"`
	Mutations     []Mutation `json:"mutations"`
}

// Rejection tells a device that one of its mutations can never apply.
type Rejection struct {
	N       int64  `json:"n"`
	Table   string `json:"table"`
	ID      string `json:"id"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// PushResponse is the reply to a push.
type PushResponse struct {
	LastN      int64       `json:"last_n"`   // the device's last applied mutation number
	Accepted   int         `json:"accepted"` // mutations newly applied by this request
	Rejected   []Rejection `json:"rejected,omitempty"`
	Epoch      string      `json:"epoch"`
	ServerTime int64       `json:"server_time"` // Unix ms
}

// Change is one row's newest merged state in the pull feed.
type Change struct {
	Seq      int64             `json:"seq"`
	Table    string            `json:"table"`
	ID       string            `json:"id"`
	HLC      string            `json:"hlc"` // newest stamp of the row
	Op       string            `json:"op"`  // upsert, delete or insert
	Data     json.RawMessage   `json:"data"`
	FieldHLC map[string]string `json:"field_hlc,omitempty"` // records: stamp per field
	DeviceID string            `json:"device_id,omitempty"` // the device that made the newest change
}

// PullResponse is the reply to GET /v1/sync/pull.
type PullResponse struct {
	Changes    []Change    `json:"changes"`
	Next       int64       `json:"next"`
	More       bool        `json:"more"`
	Epoch      string      `json:"epoch"`
	Rejections []Rejection `json:"rejections,omitempty"` // this device's rejected mutations
	ServerTime int64       `json:"server_time"`
	// Head is the newest seq of the business's feed, sent with the pulls
	// of a new device's ordered download (download.go).
	Head int64 `json:"head,omitempty"`
}

// ErrorBody is the JSON error shape of every /v1 endpoint.
type ErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		// Quota says which monthly quota a quota_exceeded error is
		// about, so the app can say it in the shop's language.
		Quota *QuotaInfo `json:"quota,omitempty"`
	} `json:"error"`
}

// Error codes a sync client branches on.
const (
	CodeReRegister    = "device_unknown" // the server does not know this device: sign in again
	CodeRevoked       = "device_revoked" // the device was revoked by the owner
	CodeEpochChanged  = "epoch_changed"  // the server was restored: resync
	CodeClockSkew     = "clock_skew"     // the device clock is far ahead
	CodeTooOld        = "client_too_old" // upgrade the app
	CodeOutOfOrder    = "mutation_gap"   // a batch skipped ahead of last_n+1
	CodeInvalid       = "invalid"        // a mutation that can never apply
	CodeUnauthorized  = "unauthorized"   // missing or bad token
	CodeForbidden     = "forbidden"      // not allowed
	CodeNotFound      = "not_found"      // no such thing
	CodeConflict      = "conflict"       // duplicate or conflicting request
	CodeRateLimited   = "rate_limited"   // slow down
	CodeNotConfig     = "not_configured" // feature needs a key that is not set
	CodeQuotaExceeded = "quota_exceeded" // the plan's monthly quota is used up
	CodeInternal      = "internal"       // our fault
)
