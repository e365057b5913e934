// Package ai is the server's AI proxy: POST /v1/ai/messages forwards a
// signed-in device's Messages API request to the model with the server's
// key and model, counts the business's monthly questions against its plan
// (server/quota) and records how much each request used. It keeps no
// prompt or answer: the usage log has who, when, the model, the token
// counts and the outcome, and nothing the shopkeeper asked or was told
// reaches the log or the database.
package ai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/quota"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Outcomes of a request in the usage log.
const (
	OutcomeOK            = "ok"
	OutcomeNotConfigured = "not_configured"
	OutcomeInvalid       = "invalid"
	OutcomeTooLarge      = "too_large"
	OutcomeQuota         = "quota_exceeded"
	OutcomeRateLimited   = "rate_limited"
	OutcomeOverloaded    = "overloaded"
	OutcomeUpstream      = "upstream_error"
	OutcomeCancelled     = "cancelled"
)

// Usage is one request in the usage log. It never holds content.
type Usage struct {
	BusinessID, DeviceID string
	At                   time.Time
	Model                string
	InputTokens          int64
	OutputTokens         int64
	Outcome              string
	Question             bool // counted as a question against the quota
	Duration             time.Duration
}

// Store is what the proxy keeps: the usage log (server/store implements it
// for SQLite and PostgreSQL).
type Store interface {
	RecordAIUsage(ctx context.Context, u Usage) error
}

// Defaults.
const (
	DefaultMaxBody   = 1 << 20 // a question with the books' answers to earlier tool calls
	DefaultMaxTokens = 4096    // the most a device may ask the model to write
	writeWindow      = 60 * time.Second
)

// Config configures the proxy. An empty Model or APIKey leaves it not
// configured: every request answers not_configured and the rest of the
// server works.
type Config struct {
	Store  Store
	Quota  quota.Counter // nil: no monthly limit (no plans yet)
	Model  string        // NAUKAR_AI_MODEL
	APIKey string        // ANTHROPIC_API_KEY
	// BaseURL is the Messages API's base (ANTHROPIC_BASE_URL; empty: Anthropic's).
	BaseURL    string
	MaxBody    int64 // bytes of a request (0: DefaultMaxBody)
	MaxTokens  int64 // cap on max_tokens (0: DefaultMaxTokens)
	HTTPClient *http.Client
	Logger     *slog.Logger
	Now        func() time.Time
}

// Module is the AI proxy as a server module.
type Module struct {
	cfg    Config
	client *anthropic.Client
	log    *slog.Logger
	mux    *api.Mux
}

// New returns the module.
func New(cfg Config) *Module {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.MaxTokens <= 0 {
		cfg.MaxTokens = DefaultMaxTokens
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	m := &Module{cfg: cfg, log: cfg.Logger}
	if cfg.Configured() {
		// Hermetic: nothing is taken from the environment but what main
		// passed in; no retries here (the device decides, and a quota is
		// counted once); no traces that could carry content.
		opts := []option.RequestOption{option.WithoutEnvironmentDefaults(), option.WithAPIKey(cfg.APIKey),
			option.WithMaxRetries(0), option.WithoutOpenTelemetry()}
		if cfg.BaseURL != "" {
			opts = append(opts, option.WithBaseURL(cfg.BaseURL))
		}
		if cfg.HTTPClient != nil {
			opts = append(opts, option.WithHTTPClient(cfg.HTTPClient))
		}
		c := anthropic.NewClient(opts...)
		m.client = &c
	}
	return m
}

// Configured reports whether the proxy has a model and a key.
func (c Config) Configured() bool { return c.Model != "" && c.APIKey != "" }

// Mount registers POST /v1/ai/messages.
func (m *Module) Mount(mux *api.Mux) {
	m.mux = mux
	// The handler reads the body itself, under its own limit and with its
	// own words for a body too large.
	mux.Permit("POST /v1/ai/messages", staff.AskAI, m.cfg.MaxBody+1, m.messages)
}

var errNotConfigured = &core.Error{Code: protocol.CodeNotConfig,
	Message: "The AI assistant is not set up on this server yet (the server needs NAUKAR_AI_MODEL and ANTHROPIC_API_KEY). Everything else works."}

func tooLarge() *core.Error {
	return &core.Error{Code: core.CodeTooLarge,
		Message: "The question with the books' figures sent along is too large for the AI. Ask about a shorter period or fewer items."}
}

// request is the part of the body the proxy reads itself.
type request struct {
	Stream   bool `json:"stream"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
}

// isQuestion tells a new question from a tool round of one: a request whose
// last message holds only tool_result blocks continues the question before
// it and is not counted again.
func (r request) isQuestion() bool {
	if len(r.Messages) == 0 {
		return true
	}
	var blocks []struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(r.Messages[len(r.Messages)-1].Content, &blocks) != nil || len(blocks) == 0 {
		return true
	}
	for _, b := range blocks {
		if b.Type != "tool_result" {
			return true
		}
	}
	return false
}

func (m *Module) messages(w http.ResponseWriter, r *http.Request, sess core.Session) {
	start := m.cfg.Now()
	u := Usage{BusinessID: sess.BusinessID, DeviceID: sess.DeviceID, At: start, Model: m.cfg.Model}
	defer func() {
		u.Duration = m.cfg.Now().Sub(start)
		// Recorded even when the device went away mid-answer.
		if err := m.cfg.Store.RecordAIUsage(context.WithoutCancel(r.Context()), u); err != nil {
			m.log.Error("record ai usage", "business", u.BusinessID, "err", err)
		}
	}()
	fail := func(outcome string, err error) {
		u.Outcome = outcome
		m.mux.Error(w, r, err)
	}
	if m.client == nil {
		fail(OutcomeNotConfigured, errNotConfigured)
		return
	}
	raw, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || int64(len(raw)) > m.cfg.MaxBody {
		fail(OutcomeTooLarge, tooLarge())
		return
	}
	if err != nil {
		fail(OutcomeCancelled, &core.Error{Code: protocol.CodeInvalid, Message: "The request did not arrive whole. Please try again.", Err: err})
		return
	}
	var head request
	var params anthropic.MessageNewParams
	if json.Unmarshal(raw, &head) != nil || json.Unmarshal(raw, &params) != nil {
		fail(OutcomeInvalid, core.Errorf(protocol.CodeInvalid, "The request is not a Messages API request in JSON."))
		return
	}
	if len(head.Messages) == 0 {
		fail(OutcomeInvalid, core.Errorf(protocol.CodeInvalid, "The request has no messages: send the question as the first user message."))
		return
	}
	if params.MaxTokens <= 0 || params.MaxTokens > m.cfg.MaxTokens {
		fail(OutcomeInvalid, core.Errorf(protocol.CodeInvalid, "max_tokens must be between 1 and %d.", m.cfg.MaxTokens))
		return
	}
	params.Model = anthropic.Model(m.cfg.Model)
	u.Question = head.isQuestion()
	if u.Question && m.cfg.Quota != nil {
		if err := m.cfg.Quota.Use(r.Context(), sess.BusinessID, quota.AI, 1); err != nil {
			u.Question = false
			fail(OutcomeQuota, err)
			return
		}
	}
	answered := false
	defer func() {
		if u.Question && !answered && m.cfg.Quota != nil {
			// A question the model never answered is given back.
			if err := m.cfg.Quota.Refund(context.WithoutCancel(r.Context()), sess.BusinessID, quota.AI, 1); err != nil {
				m.log.Error("refund ai question", "business", sess.BusinessID, "err", err)
			}
		}
	}()
	if !head.Stream {
		msg, err := m.client.Messages.New(r.Context(), params)
		if err != nil {
			outcome, e := m.upstream(r.Context(), err)
			fail(outcome, e)
			return
		}
		u.InputTokens, u.OutputTokens, u.Outcome, answered = msg.Usage.InputTokens, msg.Usage.OutputTokens, OutcomeOK, true
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, msg.RawJSON())
		return
	}
	answered = m.stream(w, r, params, &u, fail)
}

// stream forwards the model's events as they come. An error before the
// first event is an ordinary error answer; after it, an "error" event.
func (m *Module) stream(w http.ResponseWriter, r *http.Request, params anthropic.MessageNewParams, u *Usage,
	fail func(string, error)) bool {
	s := m.client.Messages.NewStreaming(r.Context(), params)
	defer s.Close()
	rc := http.NewResponseController(w)
	started := false
	for s.Next() {
		ev := s.Current()
		switch ev.Type {
		case "message_start":
			u.InputTokens = ev.Message.Usage.InputTokens
			u.OutputTokens = ev.Message.Usage.OutputTokens
		case "message_delta":
			u.OutputTokens = ev.Usage.OutputTokens
			if ev.Usage.JSON.InputTokens.Valid() {
				u.InputTokens = ev.Usage.InputTokens
			}
		}
		if !started {
			started = true
			w.Header().Set("Content-Type", "text/event-stream")
			w.Header().Set("Cache-Control", "no-cache")
			w.Header().Set("X-Accel-Buffering", "no")
			w.WriteHeader(http.StatusOK)
		}
		// A long answer outlives the server's write timeout: each event
		// moves the deadline on.
		_ = rc.SetWriteDeadline(time.Now().Add(writeWindow))
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.Type, ev.RawJSON()); err != nil {
			u.Outcome = OutcomeCancelled
			return false
		}
		_ = rc.Flush()
	}
	err := s.Err()
	if err == nil {
		if !started {
			u.Outcome = OutcomeUpstream
			fail(OutcomeUpstream, &core.Error{Code: protocol.CodeUpstream, Message: "The AI service sent an empty answer. Please ask again."})
			return false
		}
		u.Outcome = OutcomeOK
		return true
	}
	outcome, e := m.upstream(r.Context(), err)
	if !started {
		fail(outcome, e)
		return false
	}
	u.Outcome = outcome
	var ev protocol.AIStreamError
	ev.Type = "error"
	ev.Error.Type, ev.Error.Code, ev.Error.Message = errorType(err), core.ErrorCode(e), core.ErrorMessage(e)
	b, _ := json.Marshal(ev)
	_ = rc.SetWriteDeadline(time.Now().Add(writeWindow))
	_, _ = fmt.Fprintf(w, "event: error\ndata: %s\n\n", b)
	_ = rc.Flush()
	return false
}

func errorType(err error) string {
	var ae *anthropic.Error
	if errors.As(err, &ae) && ae.Type() != "" {
		return string(ae.Type())
	}
	return "api_error"
}

// upstream turns a failure reaching the model into plain words and an
// outcome. The model's own error text is not passed on or logged: only its
// status and type.
func (m *Module) upstream(ctx context.Context, err error) (string, error) {
	if ctx.Err() != nil {
		return OutcomeCancelled, &core.Error{Code: protocol.CodeInvalid, Message: "The question was cancelled.", Err: ctx.Err()}
	}
	var ae *anthropic.Error
	if !errors.As(err, &ae) {
		// A network failure: no content in it, but no request body either.
		return OutcomeUpstream, &core.Error{Code: protocol.CodeUpstream,
			Message: "The server could not reach the AI service. Please try again in a minute.", Err: errors.New(scrub(err))}
	}
	typ := string(ae.Type())
	detail := fmt.Errorf("anthropic: status %d, type %s", ae.StatusCode, typ)
	switch {
	case ae.StatusCode == http.StatusTooManyRequests || typ == "rate_limit_error":
		wait := retryAfter(ae)
		return OutcomeRateLimited, &core.Error{Code: protocol.CodeRateLimited, RetryAfter: wait, Err: detail,
			Message: fmt.Sprintf("The AI is answering too many questions right now. Please ask again in %d seconds.", int(wait/time.Second))}
	case ae.StatusCode == 529 || typ == "overloaded_error":
		return OutcomeOverloaded, &core.Error{Code: protocol.CodeOverloaded, RetryAfter: retryAfter(ae), Err: detail,
			Message: "The AI model is overloaded at the moment. Please ask again in a minute."}
	case ae.StatusCode == http.StatusRequestEntityTooLarge || typ == "request_too_large":
		e := tooLarge()
		e.Err = detail
		return OutcomeTooLarge, e
	case ae.StatusCode == http.StatusUnauthorized || ae.StatusCode == http.StatusForbidden:
		m.log.Error("ai key refused", "status", ae.StatusCode, "type", typ)
		return OutcomeNotConfigured, &core.Error{Code: protocol.CodeNotConfig, Err: detail,
			Message: "The AI service refused this server's key. The server's operator must check ANTHROPIC_API_KEY."}
	case ae.StatusCode == http.StatusBadRequest || ae.StatusCode == http.StatusNotFound:
		m.log.Warn("ai request refused", "status", ae.StatusCode, "type", typ)
		return OutcomeInvalid, &core.Error{Code: protocol.CodeInvalid, Err: detail,
			Message: "The AI service could not take this request. Updating the app may help."}
	}
	return OutcomeUpstream, &core.Error{Code: protocol.CodeUpstream, Err: detail,
		Message: fmt.Sprintf("The AI service failed (HTTP %d). Please try again in a minute.", ae.StatusCode)}
}

// retryAfter reads the model's retry-after (seconds); 30 s when absent.
func retryAfter(ae *anthropic.Error) time.Duration {
	if ae.Response != nil {
		if n, err := strconv.Atoi(strings.TrimSpace(ae.Response.Header.Get("retry-after"))); err == nil && n > 0 {
			return time.Duration(n) * time.Second
		}
	}
	return 30 * time.Second
}

// scrub keeps a transport error's kind and drops anything after the URL.
func scrub(err error) string {
	s := err.Error()
	if i := strings.Index(s, "{"); i >= 0 {
		s = s[:i]
	}
	return s
}
