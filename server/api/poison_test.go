package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestPoisonAndOddStrings runs the bad-input tests on every store.
func TestPoisonAndOddStrings(t *testing.T) {
	tests := []struct {
		name string
		fn   func(t *testing.T, e *env)
	}{
		{"DeepRowRejectedOthersKeepSyncing", testDeepRow},
		{"BigRowRejected", testBigRow},
		{"OddStringsInPushNeverFail", testOddPushStrings},
		{"OddStringsInLoginAndSignup", testOddLoginStrings},
		{"SecurityLogKeepsOddUserAgents", testOddUserAgents},
	}
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					tc.fn(t, newEnv(t, st.Open))
				})
			}
		})
	}
}

func nested(depth int) string {
	return strings.Repeat(`{"a":`, depth-1) + `{"name":"deep"}` + strings.Repeat(`}`, depth-1)
}

// testDeepRow: a record nested deeper than the limit is a rejected
// mutation (the batch around it applies), one at the limit is fine, and
// another device of the business keeps pulling.
func testDeepRow(t *testing.T, e *env) {
	b := e.mustSignup()
	d := &b.dev
	deep := d.mut("products", newID(), protocol.OpUpsert, nil)
	deep.Data = json.RawMessage(nested(1001))
	ok := d.mut("products", newID(), protocol.OpUpsert, nil)
	ok.Data = json.RawMessage(nested(core.MaxRowDepth))
	after := d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Tea"})
	res := e.mustPush(d, deep, ok, after)
	if res.LastN != 3 || res.Accepted != 2 || len(res.Rejected) != 1 || res.Rejected[0].N != deep.N ||
		res.Rejected[0].Code != protocol.CodeInvalid || !strings.Contains(res.Rejected[0].Message, "nested 1001 levels") {
		t.Fatalf("push = %+v", res)
	}
	other := e.mustLogin(b, "Counter 2")
	feed := e.pullAll(&other, 0)
	if len(feed) != 2 || feed[0].ID != ok.ID || feed[1].ID != after.ID {
		t.Fatalf("feed = %+v", feed)
	}
}

// testBigRow: a row over the per-row size is rejected, not the batch.
func testBigRow(t *testing.T, e *env) {
	b := e.mustSignup()
	d := &b.dev
	big := d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": strings.Repeat("x", core.MaxRowBytes)})
	small := d.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Tea"})
	res := e.mustPush(d, big, small)
	if res.LastN != 2 || res.Accepted != 1 || len(res.Rejected) != 1 || !strings.Contains(res.Rejected[0].Message, "KiB") {
		t.Fatalf("push = %+v", res)
	}
}

// rawPush sends a push body as bytes (the test client would clean them).
func (e *env) rawPush(d *device, body string) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/v1/sync/push", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+d.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// testOddPushStrings: NUL bytes, text cut inside a character and bytes
// that are not UTF-8, in every field of a mutation, give rejected
// mutations (stored and pulled back), never a failing batch.
func testOddPushStrings(t *testing.T, e *env) {
	b := e.mustSignup()
	d := &b.dev
	stamp := func() string { return d.clock.Now().String() }
	longTable := strings.Repeat("t", 99) + "ब" // 102 bytes: stored cut at 100, inside the character
	muts := []string{
		fmt.Sprintf(`{"n":1,"table":"products\u0000x","id":%q,"hlc":%q,"op":"upsert","data":{"name":"a"}}`, newID(), stamp()),
		fmt.Sprintf(`{"n":2,"table":%q,"id":"\u0000%s","hlc":%q,"op":"upsert","data":{"name":"a"}}`, longTable, strings.Repeat("ब", 40), stamp()),
		fmt.Sprintf(`{"n":3,"table":"products","id":%q,"hlc":%q,"op":"upsert","data":{"name":"bad `+"\xff\xfe"+` bytes"}}`, newID(), stamp()),
		fmt.Sprintf(`{"n":4,"table":"products","id":%q,"hlc":"%s\u0000","op":"upsert","data":{"name":"a"}}`, newID(), stamp()),
		fmt.Sprintf(`{"n":5,"table":"products","id":%q,"hlc":%q,"op":"upsert\u0000","data":{"name":"a"}}`, newID(), stamp()),
		fmt.Sprintf(`{"n":6,"table":"products","id":%q,"hlc":%q,"op":"upsert","data":{"name":"NUL \u0000 escaped is text"}}`, newID(), stamp()),
	}
	d.n = 6
	body := fmt.Sprintf(`{"device_id":%q,"protocol_version":1,"mutations":[%s]}`, d.id, strings.Join(muts, ","))
	status, out := e.rawPush(d, body)
	if status != 200 {
		t.Fatalf("push answered %d: %s", status, out)
	}
	var res protocol.PushResponse
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.LastN != 6 || res.Accepted != 1 || len(res.Rejected) != 5 {
		t.Fatalf("push = %+v", res)
	}
	pull, err := e.c.Pull(ctx, d.token, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(pull.Rejections) != 5 || len(pull.Changes) != 1 {
		t.Fatalf("pull: %d rejections, %d changes", len(pull.Rejections), len(pull.Changes))
	}
	for _, r := range pull.Rejections {
		if !utf8.ValidString(r.Table+r.ID+r.Message) || strings.ContainsRune(r.Table+r.ID, 0) || len(r.Table) > 100 || len(r.ID) > 100 {
			t.Fatalf("rejection stored unclean: %q %q %q", r.Table, r.ID, r.Message)
		}
	}
}

// testOddLoginStrings: NUL and odd text in login and signup fields are a
// wrong login or a clear 400, never a 500.
func testOddLoginStrings(t *testing.T, e *env) {
	b := e.mustSignup()
	_, err := e.c.Login(ctx, protocol.LoginRequest{Login: b.email + "\x00", Password: b.password})
	wantCode(t, err, 401, protocol.CodeUnauthorized)
	_, err = e.c.Login(ctx, protocol.LoginRequest{Login: strings.Repeat("ब", 2000), Password: "x"})
	wantCode(t, err, 401, protocol.CodeUnauthorized)
	req := signupReq("nul\x00@example.in", "9811112222")
	_, err = e.c.Signup(ctx, req)
	wantCode(t, err, 400, protocol.CodeInvalid)
	req = signupReq("odd@example.in", "9811112222")
	req.Owner.Name = "Ram\x00esh"
	_, err = e.c.Signup(ctx, req)
	wantCode(t, err, 400, protocol.CodeInvalid)
	req.Owner.Name, req.Business.City = "Ramesh", "Pune\x00"
	_, err = e.c.Signup(ctx, req)
	wantCode(t, err, 400, protocol.CodeInvalid)
}

// testOddUserAgents: failed logins sent with user agents that are not
// UTF-8, or long enough to be cut inside a character, are all in the
// security log, stored as valid text.
func testOddUserAgents(t *testing.T, e *env) {
	b := e.mustSignup()
	agents := []string{"bad \xff\xfe agent", "a" + strings.Repeat("ब", 150), strings.Repeat("\xe0\xa4", 200)}
	for _, ua := range agents {
		body, _ := json.Marshal(protocol.LoginRequest{Login: b.email, Password: "wrong password"})
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/v1/login", bytes.NewReader(body))
		req.Header.Set("User-Agent", ua)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Fatalf("user agent %q: status %d", ua, resp.StatusCode)
		}
	}
	events, err := e.db.SecurityEvents(ctx, sessionOf(b.id), 100)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, ev := range events {
		if ev.Kind != core.EventLoginFailed {
			continue
		}
		failed++
		if !utf8.ValidString(ev.UserAgent) || len(ev.UserAgent) > 300 || ev.UserAgent == "" {
			t.Fatalf("user agent stored as %q", ev.UserAgent)
		}
	}
	if failed != len(agents) {
		t.Fatalf("%d failed logins in the security log, want %d", failed, len(agents))
	}
}
