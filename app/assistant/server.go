package assistant

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Error codes of the assistant besides the server's (sync/protocol:
// not_configured, quota_exceeded, rate_limited, overloaded, too_large ...).
const (
	CodeOffline       = "offline"         // the server cannot be reached
	CodeNotSignedIn   = "not_signed_in"   // the books have no sync account
	CodeTooManyRounds = "too_many_rounds" // the model kept asking for tools
	CodeInvalid       = protocol.CodeInvalid
)

// Error is a failure the shopkeeper reads: Message says what to do.
type Error struct {
	Code       string
	Message    string
	RetryAfter time.Duration
	// Quota names the used-up monthly quota of a quota_exceeded answer
	// (the screens say it with syncapp.QuotaWords in the shop's language).
	Quota *protocol.QuotaInfo
}

func (e *Error) Error() string { return e.Message }

// ErrNotSignedIn: the assistant goes through the sync server.
var ErrNotSignedIn = &Error{Code: CodeNotSignedIn,
	Message: "The assistant works through your AI Naukar server: sign in first (Settings → Sync). Everything else works without it."}

// ServerModel reaches the model through our server's /v1/ai/messages with
// the device token, using the official SDK (its types, SSE decoding and
// message accumulation).
type ServerModel struct {
	client anthropic.Client
}

// NewServerModel talks to server (the sync server URL) as the device with
// token. hc may be nil.
func NewServerModel(server, token string, hc *http.Client) *ServerModel {
	opts := []option.RequestOption{option.WithoutEnvironmentDefaults(), option.WithBaseURL(strings.TrimRight(server, "/") + "/"),
		option.WithAuthToken(token), option.WithMaxRetries(0), option.WithoutOpenTelemetry(),
		option.WithMiddleware(func(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
			// The SDK posts to v1/messages; our server's route is its own.
			if strings.HasSuffix(r.URL.Path, "/v1/messages") {
				r.URL.Path = strings.TrimSuffix(r.URL.Path, "/v1/messages") + protocol.AIMessagesPath
			}
			return next(r)
		})}
	if hc != nil {
		opts = append(opts, option.WithHTTPClient(hc))
	}
	return &ServerModel{client: anthropic.NewClient(opts...)}
}

// Stream implements Model.
func (m *ServerModel) Stream(ctx context.Context, p anthropic.MessageNewParams, onText func(string)) (anthropic.Message, error) {
	s := m.client.Messages.NewStreaming(ctx, p)
	defer s.Close()
	var msg anthropic.Message
	for s.Next() {
		ev := s.Current()
		if err := msg.Accumulate(ev); err != nil {
			return msg, &Error{Code: protocol.CodeUpstream, Message: "The answer arrived garbled. Please ask again."}
		}
		if ev.Type == "content_block_delta" && ev.Delta.Type == "text_delta" && onText != nil {
			onText(ev.Delta.Text)
		}
	}
	if err := s.Err(); err != nil {
		return msg, explain(ctx, err)
	}
	return msg, nil
}

// explain turns what the SDK returned into an *Error in plain words: the
// server's error body ({"error":{"code","message"}}), a mid-stream error
// event, or no connection at all.
func explain(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ae *anthropic.Error
	if !errors.As(err, &ae) {
		return &Error{Code: CodeOffline, Message: "The assistant cannot reach your AI Naukar server right now (no internet?). Everything else works offline; ask again when you are online."}
	}
	var body struct {
		Error struct {
			Code, Message, Type string
			Quota               *protocol.QuotaInfo
		} `json:"error"`
	}
	_ = json.Unmarshal([]byte(ae.RawJSON()), &body)
	e := &Error{Code: body.Error.Code, Message: body.Error.Message, Quota: body.Error.Quota}
	if e.Quota != nil {
		e.Message = syncapp.QuotaWords(*e.Quota, nil)
	}
	if e.Code == "" {
		e.Code = map[string]string{"overloaded_error": protocol.CodeOverloaded, "rate_limit_error": protocol.CodeRateLimited}[body.Error.Type]
	}
	if e.Code == "" {
		switch ae.StatusCode {
		case http.StatusUnauthorized:
			e.Code = protocol.CodeUnauthorized
		case 529:
			e.Code = protocol.CodeOverloaded
		case http.StatusTooManyRequests:
			e.Code = protocol.CodeRateLimited
		default:
			e.Code = protocol.CodeUpstream
		}
	}
	if ae.Response != nil {
		if n, err := strconv.Atoi(ae.Response.Header.Get("Retry-After")); err == nil {
			e.RetryAfter = time.Duration(n) * time.Second
		}
	}
	if e.Message == "" {
		e.Message = map[string]string{
			protocol.CodeOverloaded:   "The AI model is overloaded at the moment. Please ask again in a minute.",
			protocol.CodeRateLimited:  "The AI is answering too many questions right now. Please ask again shortly.",
			protocol.CodeUnauthorized: "This device is signed out of the server: sign in again (Settings → Sync).",
		}[e.Code]
	}
	if e.Message == "" {
		e.Message = "The assistant could not answer (HTTP " + strconv.Itoa(ae.StatusCode) + "). Please try again."
	}
	return e
}
