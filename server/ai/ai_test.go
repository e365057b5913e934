package ai_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/server/ai"
	"github.com/ainaukar/naukar/server/ai/anthropictest"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/quota"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

const key = "sk-ant-test-key"

// fixedQuota is a monthly question limit per business, the way a plan
// would set it (the billing module's Counter does it from plans).
type fixedQuota struct {
	mu    sync.Mutex
	limit int
	used  map[string]int
	now   func() time.Time
}

func (q *fixedQuota) Use(_ context.Context, biz string, f quota.Feature, n int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	k := biz + "/" + string(f) + "/" + quota.Month(q.now())
	if q.used[k]+n > q.limit {
		return quota.Exceeded(f, q.limit, q.now())
	}
	q.used[k] += n
	return nil
}

func (q *fixedQuota) Refund(_ context.Context, biz string, f quota.Feature, n int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.used[biz+"/"+string(f)+"/"+quota.Month(q.now())] -= n
	return nil
}

func (q *fixedQuota) Used(biz string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.used[biz+"/ai/"+quota.Month(q.now())]
}

// env is a server with the AI module on a store, a fake Anthropic API and
// one signed-in device.
type env struct {
	t     *testing.T
	db    *store.DB
	fake  *anthropictest.Server
	srv   *httptest.Server
	quota *fixedQuota
	logs  *syncBuffer
	now   time.Time
	biz   string
	dev   string
	token string
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var signups atomic.Int32

type option func(*ai.Config)

func newEnv(t *testing.T, db *store.DB, opts ...option) *env {
	e := &env{t: t, db: db, logs: &syncBuffer{}, now: time.Date(2026, 12, 3, 10, 0, 0, 0, quota.IST)}
	e.fake = anthropictest.New(t, key)
	e.quota = &fixedQuota{limit: 3, used: map[string]int{}, now: func() time.Time { return e.now }}
	// Debug level: every line the server could write about a request.
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := ai.Config{Store: db, Quota: e.quota, Model: "claude-test-model", APIKey: key, BaseURL: e.fake.URL,
		Logger: log, Now: func() time.Time { return e.now }}
	for _, o := range opts {
		o(&cfg)
	}
	e.srv = httptest.NewServer(api.New(api.Config{Store: db, Logger: log, BcryptCost: bcrypt.MinCost,
		Modules: []api.Module{ai.New(cfg)}}))
	t.Cleanup(e.srv.Close)
	i := signups.Add(1)
	email, phone := fmt.Sprintf("ai%d@example.in", i), fmt.Sprintf("97%08d", i)
	var su protocol.SignupResponse
	e.post("/v1/signup", "", protocol.SignupRequest{
		Owner:    protocol.SignupOwner{Name: "Ramesh Kumar", Email: email, Phone: phone, Password: "correct horse"},
		Business: protocol.SignupBusiness{Name: "Kumar Kirana", StateCode: "27", City: "Pune"}, AgeConfirmed: true, TermsAccepted: true}, &su)
	var lr protocol.LoginResponse
	e.post("/v1/login", "", protocol.LoginRequest{Login: email, Password: "correct horse", DeviceName: "Counter 1"}, &lr)
	e.biz, e.dev, e.token = su.BusinessID, lr.DeviceID, lr.Token
	return e
}

func (e *env) post(path, token string, body, out any) {
	e.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", e.srv.URL+path, bytes.NewReader(b))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(res.Body)
		e.t.Fatalf("%s: %d %s", path, res.StatusCode, msg)
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		e.t.Fatal(err)
	}
}

// answer is what the proxy sent back.
type answer struct {
	status int
	header http.Header
	events []sse     // a stream
	body   []byte    // anything else
	err    errorBody // an error answer
}

type sse struct{ event, data string }

type errorBody struct {
	Error struct{ Code, Message string }
}

// ask sends a Messages request to the proxy.
func (e *env) ask(req map[string]any) answer {
	e.t.Helper()
	b, _ := json.Marshal(req)
	return e.askRaw(b)
}

func (e *env) askRaw(b []byte) answer {
	e.t.Helper()
	hr, _ := http.NewRequest("POST", e.srv.URL+"/v1/ai/messages", bytes.NewReader(b))
	hr.Header.Set("Authorization", "Bearer "+e.token)
	hr.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	a := answer{status: res.StatusCode, header: res.Header}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		sc := bufio.NewScanner(res.Body)
		var cur sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				cur.event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				cur.data = strings.TrimPrefix(line, "data: ")
			case line == "":
				a.events = append(a.events, cur)
				cur = sse{}
			}
		}
		return a
	}
	a.body, _ = io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		_ = json.Unmarshal(a.body, &a.err)
	}
	return a
}

func question(text string, stream bool) map[string]any {
	return map[string]any{"max_tokens": 512, "stream": stream, "system": "You are the shop's assistant.",
		"messages": []any{map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": text}}}},
		"tools": []any{map[string]any{"name": "sales_summary", "description": "sales in a period",
			"input_schema": map[string]any{"type": "object", "properties": map[string]any{"from": map[string]any{"type": "string"}}}}}}
}

func (e *env) usage() []ai.Usage {
	e.t.Helper()
	us, err := e.db.AIUsage(context.Background(), e.biz, time.Time{})
	if err != nil {
		e.t.Fatal(err)
	}
	return us
}

func eachStore(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for _, s := range storetest.Stores {
		t.Run(s.Name, func(t *testing.T) { fn(t, s.Open(t)) })
	}
}

func types(evs []sse) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.event)
	}
	return out
}

// TestStreamForwarded: the events come back in the API's order (the ping
// aside), the model and key are the server's, the usage log has the tokens
// and the question counts once.
func TestStreamForwarded(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.fake.Script(anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text("Aaj ₹1,250.00 ki bikri hui.")},
			InputTokens: 321, OutputTokens: 45})
		req := question("aaj kitna becha?", true)
		req["model"] = "some-model-the-device-wants"
		a := e.ask(req)
		if a.status != 200 {
			t.Fatalf("status %d: %s", a.status, a.body)
		}
		want := "message_start content_block_start content_block_delta content_block_delta content_block_delta content_block_stop message_delta message_stop"
		if got := strings.Join(types(a.events), " "); got != want {
			t.Fatalf("events:\n got %s\nwant %s", got, want)
		}
		var text string
		for _, ev := range a.events {
			var d struct {
				Delta struct{ Text string }
			}
			_ = json.Unmarshal([]byte(ev.data), &d)
			text += d.Delta.Text
		}
		if text != "Aaj ₹1,250.00 ki bikri hui." {
			t.Errorf("streamed text %q", text)
		}
		rq := e.fake.Requests()
		if len(rq) != 1 || rq[0].Body["model"] != "claude-test-model" || rq[0].Body["stream"] != true ||
			rq[0].Header.Get("Authorization") != "Bearer "+key || rq[0].Header.Get("anthropic-version") != anthropictest.VersionV2 {
			t.Fatalf("upstream request: %+v", rq)
		}
		if rq[0].Body["system"] == nil || rq[0].Body["tools"] == nil {
			t.Errorf("system and tools not forwarded: %s", rq[0].Raw)
		}
		us := e.usage()
		if len(us) != 1 || us[0].InputTokens != 321 || us[0].OutputTokens != 45 || us[0].Outcome != ai.OutcomeOK ||
			!us[0].Question || us[0].DeviceID != e.dev || us[0].Model != "claude-test-model" || !us[0].At.Equal(e.now) {
			t.Fatalf("usage: %+v", us)
		}
		if e.quota.Used(e.biz) != 1 {
			t.Errorf("questions used %d, want 1", e.quota.Used(e.biz))
		}
	})
}

// TestToolRoundNotCounted: the request that returns tool results continues
// the question; the quota counts the question once; a plain JSON answer
// comes back when stream is off.
func TestToolRoundNotCounted(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	e.fake.Script(
		anthropictest.Turn{Blocks: []anthropictest.Block{{Tool: "sales_summary", ID: "toolu_1", Input: map[string]any{"from": "2026-12-03"}}}},
		anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text("₹1,250.00")}})
	req := question("aaj kitna becha?", false)
	a := e.ask(req)
	var msg struct {
		StopReason string `json:"stop_reason"`
		Content    []map[string]any
	}
	if a.status != 200 || json.Unmarshal(a.body, &msg) != nil || msg.StopReason != "tool_use" || msg.Content[0]["id"] != "toolu_1" {
		t.Fatalf("first round: %d %s", a.status, a.body)
	}
	req["messages"] = append(req["messages"].([]any),
		map[string]any{"role": "assistant", "content": msg.Content},
		map[string]any{"role": "user", "content": []any{map[string]any{"type": "tool_result", "tool_use_id": "toolu_1", "content": `{"grand_total":"1250.00"}`}}})
	if a := e.ask(req); a.status != 200 || !strings.Contains(string(a.body), "1,250.00") {
		t.Fatalf("second round: %d %s", a.status, a.body)
	}
	us := e.usage()
	if len(us) != 2 || !us[0].Question || us[1].Question {
		t.Fatalf("usage: %+v", us)
	}
	if e.quota.Used(e.biz) != 1 {
		t.Fatalf("questions used %d, want 1", e.quota.Used(e.biz))
	}
}

// TestErrors: each failure answers its code, status and plain words, the
// usage log has its outcome, and a question the model never answered is
// given back to the quota.
func TestErrors(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		t.Run("NotConfigured", func(t *testing.T) {
			e := newEnv(t, db, func(c *ai.Config) { c.APIKey = "" })
			a := e.ask(question("hi", true))
			if a.status != 501 || a.err.Error.Code != protocol.CodeNotConfig || !strings.Contains(a.err.Error.Message, "not set up") {
				t.Fatalf("%d %+v", a.status, a.err)
			}
			if us := e.usage(); len(us) != 1 || us[0].Outcome != ai.OutcomeNotConfigured {
				t.Fatalf("usage %+v", us)
			}
		})
		t.Run("QuotaUsedUp", func(t *testing.T) {
			e := newEnv(t, db)
			for range 3 {
				e.fake.Script(anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text("ok")}})
				if a := e.ask(question("hi", true)); a.status != 200 {
					t.Fatalf("%d %s", a.status, a.body)
				}
			}
			a := e.ask(question("one more", true))
			if a.status != 429 || a.err.Error.Code != protocol.CodeQuotaExceeded || !strings.Contains(a.err.Error.Message, "01-01-2027") {
				t.Fatalf("%d %+v", a.status, a.err)
			}
			if len(e.fake.Requests()) != 3 {
				t.Fatalf("the model was asked %d times", len(e.fake.Requests()))
			}
			us := e.usage()
			if len(us) != 4 || us[3].Outcome != ai.OutcomeQuota || us[3].Question {
				t.Fatalf("usage %+v", us)
			}
			// Next month the questions start again.
			e.now = e.now.AddDate(0, 1, 0)
			e.fake.Script(anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text("ok")}})
			if a := e.ask(question("new month", true)); a.status != 200 {
				t.Fatalf("next month: %d %s", a.status, a.body)
			}
		})
		t.Run("RateLimited", func(t *testing.T) {
			e := newEnv(t, db)
			e.fake.Script(anthropictest.Turn{Status: 429, RetryAfter: "7"})
			a := e.ask(question("hi", true))
			if a.status != 429 || a.err.Error.Code != protocol.CodeRateLimited || a.header.Get("Retry-After") != "7" ||
				!strings.Contains(a.err.Error.Message, "7 seconds") {
				t.Fatalf("%d %v %+v", a.status, a.header, a.err)
			}
			if us := e.usage(); len(us) != 1 || us[0].Outcome != ai.OutcomeRateLimited || e.quota.Used(e.biz) != 0 {
				t.Fatalf("usage %+v, used %d", us, e.quota.Used(e.biz))
			}
		})
		t.Run("Overloaded", func(t *testing.T) {
			e := newEnv(t, db)
			e.fake.Script(anthropictest.Turn{Status: 529})
			a := e.ask(question("hi", true))
			if a.status != 529 || a.err.Error.Code != protocol.CodeOverloaded || !strings.Contains(a.err.Error.Message, "overloaded") {
				t.Fatalf("%d %+v", a.status, a.err)
			}
			if us := e.usage(); len(us) != 1 || us[0].Outcome != ai.OutcomeOverloaded || e.quota.Used(e.biz) != 0 {
				t.Fatalf("usage %+v", us)
			}
		})
		t.Run("OverloadedMidStream", func(t *testing.T) {
			e := newEnv(t, db)
			e.fake.Script(anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text("Aaj ki bikri ₹1,250.00 hai")}, FailAfter: 4})
			a := e.ask(question("hi", true))
			if a.status != 200 || len(a.events) != 4 || a.events[3].event != "error" {
				t.Fatalf("%d %v", a.status, a.events)
			}
			var ev protocol.AIStreamError
			if err := json.Unmarshal([]byte(a.events[3].data), &ev); err != nil || ev.Type != "error" ||
				ev.Error.Type != "overloaded_error" || ev.Error.Code != protocol.CodeOverloaded || ev.Error.Message == "" {
				t.Fatalf("error event %s (%v)", a.events[3].data, err)
			}
			if us := e.usage(); len(us) != 1 || us[0].Outcome != ai.OutcomeOverloaded || e.quota.Used(e.biz) != 0 {
				t.Fatalf("usage %+v, used %d", us, e.quota.Used(e.biz))
			}
		})
		t.Run("TooLarge", func(t *testing.T) {
			e := newEnv(t, db, func(c *ai.Config) { c.MaxBody = 2000 })
			big := question(strings.Repeat("cheeni ", 400), true)
			a := e.ask(big)
			if a.status != 413 || a.err.Error.Code != core.CodeTooLarge || !strings.Contains(a.err.Error.Message, "shorter period") {
				t.Fatalf("%d %+v", a.status, a.err)
			}
			e.fake.Script(anthropictest.Turn{Status: 413})
			a = e.ask(question("small", true))
			if a.status != 413 || a.err.Error.Code != core.CodeTooLarge {
				t.Fatalf("upstream 413: %d %+v", a.status, a.err)
			}
			if us := e.usage(); len(us) != 2 || us[0].Outcome != ai.OutcomeTooLarge || us[1].Outcome != ai.OutcomeTooLarge {
				t.Fatalf("usage %+v", us)
			}
		})
		t.Run("Invalid", func(t *testing.T) {
			e := newEnv(t, db)
			for _, body := range []string{`not json`, `{"max_tokens":10,"messages":[]}`, `{"max_tokens":100000,"messages":[{"role":"user","content":"hi"}]}`} {
				if a := e.askRaw([]byte(body)); a.status != 400 || a.err.Error.Code != protocol.CodeInvalid || a.err.Error.Message == "" {
					t.Errorf("%s: %d %+v", body, a.status, a.err)
				}
			}
			if len(e.fake.Requests()) != 0 || e.quota.Used(e.biz) != 0 {
				t.Fatal("an invalid request reached the model or the quota")
			}
		})
		t.Run("KeyRefused", func(t *testing.T) {
			e := newEnv(t, db, func(c *ai.Config) { c.APIKey = "sk-ant-wrong" })
			a := e.ask(question("hi", true))
			if a.status != 501 || a.err.Error.Code != protocol.CodeNotConfig || !strings.Contains(a.err.Error.Message, "ANTHROPIC_API_KEY") {
				t.Fatalf("%d %+v", a.status, a.err)
			}
			if strings.Contains(e.logs.String(), "sk-ant-wrong") {
				t.Fatal("the key reached the log")
			}
		})
	})
}

// TestNoContentKept: whatever was asked or answered, including failures,
// appears in no log line and no table of the server's database.
func TestNoContentKept(t *testing.T) {
	const asked, told = "SECRET-QUESTION-Sharma-ji-ka-baaki", "SECRET-ANSWER-₹4,321.00"
	dump := map[string]func(t *testing.T) (*store.DB, func() string){
		"sqlite": func(t *testing.T) (*store.DB, func() string) {
			dir := t.TempDir()
			db, err := store.OpenSQLite(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db, func() string {
				raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile)+"?mode=ro")
				if err != nil {
					t.Fatal(err)
				}
				defer raw.Close()
				return dumpTables(t, raw, `SELECT name FROM sqlite_master WHERE type = 'table'`, `SELECT * FROM %s`)
			}
		},
		"postgres": func(t *testing.T) (*store.DB, func() string) {
			u := storetest.PostgresURL(t)
			db, err := store.OpenPostgres(context.Background(), u)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db, func() string {
				raw, err := sql.Open("pgx", u)
				if err != nil {
					t.Fatal(err)
				}
				defer raw.Close()
				return dumpTables(t, raw, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
					`SELECT t::text FROM %s t`)
			}
		},
	}
	for name, open := range dump {
		t.Run(name, func(t *testing.T) {
			db, all := open(t)
			e := newEnv(t, db)
			e.fake.Script(
				anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text(told)}},
				anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text(told)}, FailAfter: 2},
				anthropictest.Turn{Status: 400},
				anthropictest.Turn{Status: 500},
				anthropictest.Turn{Status: 529},
				anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text(told)}})
			for range 5 {
				e.ask(question(asked, true))
			}
			e.ask(question(asked, false))
			if got := len(e.usage()); got != 6 {
				t.Fatalf("%d usage rows", got)
			}
			tables := all()
			if !strings.Contains(tables, "ai_usage") || !strings.Contains(tables, e.dev) {
				t.Fatalf("the dump missed the usage log:\n%.500s", tables)
			}
			for _, secret := range []string{"SECRET-QUESTION", "SECRET-ANSWER", "Sharma"} {
				if strings.Contains(tables, secret) {
					t.Errorf("a table holds %q", secret)
				}
				if strings.Contains(e.logs.String(), secret) {
					t.Errorf("the log holds %q:\n%s", secret, e.logs.String())
				}
			}
		})
	}
}

func dumpTables(t *testing.T, db *sql.DB, list, each string) string {
	t.Helper()
	rows, err := db.Query(list)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	var out strings.Builder
	for _, n := range names {
		out.WriteString("table " + n + "\n")
		rs, err := db.Query(fmt.Sprintf(each, n))
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		cols, _ := rs.Columns()
		for rs.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			_ = rs.Scan(ptrs...)
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				fmt.Fprintf(&out, "%v|", v)
			}
			out.WriteString("\n")
		}
		rs.Close()
	}
	return out.String()
}

// TestFakeTakesBothHeaderStyles: the fake answers the v1 SDK's x-api-key
// with its version as well as v2's bearer token, and refuses a key in the
// wrong style for the version or a wrong key.
func TestFakeTakesBothHeaderStyles(t *testing.T) {
	f := anthropictest.New(t, key,
		anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text("v1")}},
		anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text("v2")}})
	body := `{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`
	call := func(h map[string]string) (int, string) {
		req, _ := http.NewRequest("POST", f.URL+"/v1/messages", strings.NewReader(body))
		for k, v := range h {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if st, b := call(map[string]string{"x-api-key": key, "anthropic-version": anthropictest.VersionV1}); st != 200 || !strings.Contains(b, `"v1"`) {
		t.Fatalf("v1 style: %d %s", st, b)
	}
	if st, b := call(map[string]string{"Authorization": "Bearer " + key, "anthropic-version": anthropictest.VersionV2}); st != 200 || !strings.Contains(b, `"v2"`) {
		t.Fatalf("v2 style: %d %s", st, b)
	}
	if st, b := call(map[string]string{"x-api-key": key, "anthropic-version": anthropictest.VersionV2}); st != 401 || !strings.Contains(b, "authentication_error") {
		t.Fatalf("mixed style: %d %s", st, b)
	}
	if st, b := call(map[string]string{"x-api-key": "nope", "anthropic-version": anthropictest.VersionV1}); st != 401 {
		t.Fatalf("wrong key: %d %s", st, b)
	}
	if st, b := call(map[string]string{"x-api-key": key}); st != 400 || !strings.Contains(b, "anthropic-version") {
		t.Fatalf("no version: %d %s", st, b)
	}
}
