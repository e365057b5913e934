// Package anthropictest is a fake Anthropic Messages API for tests, on
// loopback. It follows the contract in shared/CONTRACTS.md: POST
// /v1/messages with either SDK's headers (v2: "Authorization: Bearer" and
// anthropic-version 2026-10-21; v1: x-api-key and 2023-06-01), the request
// checked the way the real API checks it (model, max_tokens, alternating
// roles, every tool_result answering a tool_use of the turn before),
// answers as JSON or as the SSE event sequence (message_start,
// content_block_start, ping, content_block_delta, content_block_stop,
// message_delta, message_stop), and errors in the API's shape, including
// 429 with retry-after, 529 overloaded and error events mid-stream.
//
// Each test scripts the turns it expects: the fake answers the n-th
// request with the n-th Turn and fails the request (and the test) when the
// script runs out.
package anthropictest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Versions the fake accepts in anthropic-version, by auth header style.
const (
	VersionV2 = "2026-10-21" // Go SDK v2: Authorization: Bearer
	VersionV1 = "2023-06-01" // Go SDK v1: x-api-key
)

// Block is one content block of a scripted answer.
type Block struct {
	Text  string         // a text block when Tool is ""
	Tool  string         // a tool_use block's name
	ID    string         // tool_use id (made up when empty)
	Input map[string]any // tool_use input
}

// Text is a text block.
func Text(s string) Block { return Block{Text: s} }

// ToolUse is a tool_use block.
func ToolUse(name string, input map[string]any) Block { return Block{Tool: name, Input: input} }

// Turn is the fake's answer to one request.
type Turn struct {
	Blocks []Block
	// StopReason defaults to tool_use when a block is a tool_use, else end_turn.
	StopReason   string
	InputTokens  int
	OutputTokens int

	// Status, when set, answers with an error of that status and ErrType
	// (429 rate_limit_error, 529 overloaded_error, 413 request_too_large ...).
	Status     int
	ErrType    string
	RetryAfter string // retry-after header of an error

	// FailAfter, when > 0 on a streamed answer, sends that many events and
	// then an error event of ErrType (overloaded_error by default).
	FailAfter int
}

// Request is a request the fake received.
type Request struct {
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

// Messages is the request's messages.
func (r Request) Messages() []any { m, _ := r.Body["messages"].([]any); return m }

// Server is the fake.
type Server struct {
	*httptest.Server
	Key string

	t        testing.TB
	mu       sync.Mutex
	script   []Turn
	requests []Request
}

// New starts a fake that takes key and answers with the script's turns in
// order. It closes when the test ends.
func New(t testing.TB, key string, script ...Turn) *Server {
	f := &Server{Key: key, t: t, script: script}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// Script appends turns to the script.
func (f *Server) Script(turns ...Turn) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script = append(f.script, turns...)
}

// Requests returns the requests received so far.
func (f *Server) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// Left is how many scripted turns were not asked for.
func (f *Server) Left() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.script)
}

func writeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("request-id", "req_fake")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"type": "error",
		"error": map[string]any{"type": typ, "message": msg}, "request_id": "req_fake"})
}

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/messages" {
		writeError(w, http.StatusNotFound, "not_found_error", "Not found: "+r.Method+" "+r.URL.Path)
		return
	}
	// Either SDK's header style, each with its own version.
	var key string
	switch v := r.Header.Get("anthropic-version"); {
	case strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") && v == VersionV2:
		key = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	case r.Header.Get("x-api-key") != "" && v == VersionV1:
		key = r.Header.Get("x-api-key")
	case v == "":
		writeError(w, http.StatusBadRequest, "invalid_request_error", "anthropic-version: header is required")
		return
	default:
		writeError(w, http.StatusUnauthorized, "authentication_error", "missing credentials for anthropic-version "+v)
		return
	}
	if key != f.Key {
		writeError(w, http.StatusUnauthorized, "authentication_error", "invalid x-api-key")
		return
	}
	var raw json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "body is not JSON")
		return
	}
	var body map[string]any
	_ = json.Unmarshal(raw, &body)
	if msg := check(body); msg != "" {
		writeError(w, http.StatusBadRequest, "invalid_request_error", msg)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, Request{Header: r.Header.Clone(), Body: body, Raw: raw})
	if len(f.script) == 0 {
		f.mu.Unlock()
		f.t.Errorf("anthropictest: request %d is beyond the script", len(f.requests))
		writeError(w, http.StatusInternalServerError, "api_error", "the fake's script ran out")
		return
	}
	turn := f.script[0]
	f.script = f.script[1:]
	n := len(f.requests)
	f.mu.Unlock()

	if turn.Status != 0 {
		if turn.RetryAfter != "" {
			w.Header().Set("retry-after", turn.RetryAfter)
		}
		typ := turn.ErrType
		if typ == "" {
			typ = map[int]string{429: "rate_limit_error", 529: "overloaded_error", 413: "request_too_large",
				500: "api_error", 400: "invalid_request_error"}[turn.Status]
		}
		writeError(w, turn.Status, typ, "scripted "+typ)
		return
	}
	msg := turn.message(n)
	if stream, _ := body["stream"].(bool); !stream {
		if turn.FailAfter > 0 {
			writeError(w, 529, "overloaded_error", "Overloaded")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(msg)
		return
	}
	f.stream(w, turn, msg)
}

// check is the part of the API's validation the client and proxy can get wrong.
func check(b map[string]any) string {
	if s, _ := b["model"].(string); s == "" {
		return "model: Field required"
	}
	if n, _ := b["max_tokens"].(float64); n < 1 {
		return "max_tokens: Field required"
	}
	msgs, _ := b["messages"].([]any)
	if len(msgs) == 0 {
		return "messages: at least one message is required"
	}
	var lastToolUses map[string]bool
	for i, m := range msgs {
		mm, _ := m.(map[string]any)
		role, _ := mm["role"].(string)
		want := "user"
		if i%2 == 1 {
			want = "assistant"
		}
		if role != want {
			return fmt.Sprintf("messages.%d.role: roles must alternate between user and assistant, starting with user", i)
		}
		uses := map[string]bool{}
		results := map[string]bool{}
		switch c := mm["content"].(type) {
		case string:
		case []any:
			for _, bl := range c {
				blk, _ := bl.(map[string]any)
				switch blk["type"] {
				case "tool_use":
					id, _ := blk["id"].(string)
					uses[id] = true
				case "tool_result":
					id, _ := blk["tool_use_id"].(string)
					if !lastToolUses[id] {
						return fmt.Sprintf("messages.%d: tool_result block(s) provided when previous message does not have a tool_use block with id %s", i, id)
					}
					results[id] = true
				}
			}
		default:
			return fmt.Sprintf("messages.%d.content: Field required", i)
		}
		if role == "user" {
			for id := range lastToolUses {
				if !results[id] {
					return fmt.Sprintf("messages.%d: tool_use ids were found without tool_result blocks immediately after: %s", i, id)
				}
			}
		}
		lastToolUses = uses
	}
	return ""
}

func (t Turn) stopReason() string {
	if t.StopReason != "" {
		return t.StopReason
	}
	for _, b := range t.Blocks {
		if b.Tool != "" {
			return "tool_use"
		}
	}
	return "end_turn"
}

func (b Block) id(n, i int) string {
	if b.ID != "" {
		return b.ID
	}
	return fmt.Sprintf("toolu_%02d%02d", n, i)
}

func (t Turn) message(n int) map[string]any {
	content := []any{}
	for i, b := range t.Blocks {
		if b.Tool != "" {
			in := b.Input
			if in == nil {
				in = map[string]any{}
			}
			content = append(content, map[string]any{"type": "tool_use", "id": b.id(n, i), "name": b.Tool, "input": in})
		} else {
			content = append(content, map[string]any{"type": "text", "text": b.Text})
		}
	}
	return map[string]any{"id": fmt.Sprintf("msg_fake%d", n), "type": "message", "role": "assistant", "model": "fake-model",
		"content": content, "stop_reason": t.stopReason(), "stop_sequence": nil,
		"usage": map[string]any{"input_tokens": t.inTokens(), "output_tokens": t.outTokens()}}
}

func (t Turn) inTokens() int  { return max(t.InputTokens, 10) }
func (t Turn) outTokens() int { return max(t.OutputTokens, 5) }

// stream sends the answer as the API's event sequence: text in a few
// deltas, tool input as partial JSON in two pieces.
func (f *Server) stream(w http.ResponseWriter, t Turn, msg map[string]any) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	fl, _ := w.(http.Flusher)
	sent := 0
	send := func(event string, data any) bool {
		if t.FailAfter > 0 && sent == t.FailAfter {
			typ := t.ErrType
			if typ == "" {
				typ = "overloaded_error"
			}
			b, _ := json.Marshal(map[string]any{"type": "error", "error": map[string]any{"type": typ, "message": "Overloaded"}})
			fmt.Fprintf(w, "event: error\ndata: %s\n\n", b)
			if fl != nil {
				fl.Flush()
			}
			return false
		}
		sent++
		b, _ := json.Marshal(data)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b)
		if fl != nil {
			fl.Flush()
		}
		return true
	}
	start := map[string]any{}
	for k, v := range msg {
		start[k] = v
	}
	start["content"] = []any{}
	start["stop_reason"] = nil
	start["usage"] = map[string]any{"input_tokens": t.inTokens(), "output_tokens": 1}
	if !send("message_start", map[string]any{"type": "message_start", "message": start}) {
		return
	}
	for i, b := range msg["content"].([]any) {
		blk := b.(map[string]any)
		if blk["type"] == "text" {
			if !send("content_block_start", map[string]any{"type": "content_block_start", "index": i,
				"content_block": map[string]any{"type": "text", "text": ""}}) {
				return
			}
			if i == 0 && !send("ping", map[string]any{"type": "ping"}) {
				return
			}
			text := blk["text"].(string)
			for _, piece := range split(text, 3) {
				if !send("content_block_delta", map[string]any{"type": "content_block_delta", "index": i,
					"delta": map[string]any{"type": "text_delta", "text": piece}}) {
					return
				}
			}
		} else {
			if !send("content_block_start", map[string]any{"type": "content_block_start", "index": i,
				"content_block": map[string]any{"type": "tool_use", "id": blk["id"], "name": blk["name"], "input": map[string]any{}}}) {
				return
			}
			in, _ := json.Marshal(blk["input"])
			for _, piece := range split(string(in), 2) {
				if !send("content_block_delta", map[string]any{"type": "content_block_delta", "index": i,
					"delta": map[string]any{"type": "input_json_delta", "partial_json": piece}}) {
					return
				}
			}
		}
		if !send("content_block_stop", map[string]any{"type": "content_block_stop", "index": i}) {
			return
		}
	}
	if !send("message_delta", map[string]any{"type": "message_delta",
		"delta": map[string]any{"stop_reason": msg["stop_reason"], "stop_sequence": nil},
		"usage": map[string]any{"output_tokens": t.outTokens()}}) {
		return
	}
	send("message_stop", map[string]any{"type": "message_stop"})
}

// split cuts s into at most n pieces on rune boundaries.
func split(s string, n int) []string {
	r := []rune(s)
	if len(r) == 0 {
		return []string{""}
	}
	size := (len(r) + n - 1) / n
	var out []string
	for i := 0; i < len(r); i += size {
		out = append(out, string(r[i:min(i+size, len(r))]))
	}
	return out
}
