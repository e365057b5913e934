package protocol

// AIMessagesPath is the server route that forwards a Messages API request
// to the model (POST, device token). The body is an Anthropic Messages
// request without the model (the server sets it); with "stream": true the
// answer is the model's server-sent events as they come, else its message.
const AIMessagesPath = "/v1/ai/messages"

// Error codes of the AI proxy besides the shared ones (not_configured,
// quota_exceeded, rate_limited, too_large, invalid).
const (
	CodeOverloaded = "overloaded"     // the model is overloaded (HTTP 529): ask again in a minute
	CodeUpstream   = "upstream_error" // the model's service failed (HTTP 502)
)

// AIStreamError is the data of an "error" server-sent event the proxy
// sends when the model fails after the answer started. It has the shape of
// the Messages API's own error events, plus our code and a message a
// shopkeeper can read.
type AIStreamError struct {
	Type  string `json:"type"` // "error"
	Error struct {
		Type    string `json:"type"`    // the model's error type, e.g. overloaded_error
		Code    string `json:"code"`    // our error code
		Message string `json:"message"` // plain words
	} `json:"error"`
}
