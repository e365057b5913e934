package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestFloods runs the flood limits on every store.
func TestFloods(t *testing.T) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open storetest.Opener)
	}{
		{"SignupsPerAddressAcrossInstances", testSignupFlood},
		{"RequestRatePerDeviceAndBusiness", testRequestRate},
		{"PushBodiesInFlightCapped", testPushBytesInFlight},
	}
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) { tc.fn(t, st.Open) })
			}
		})
	}
}

func signupFrom(t *testing.T, url, ip string, i int) int {
	t.Helper()
	body, _ := json.Marshal(signupReq(fmt.Sprintf("flood%d@example.in", i), fmt.Sprintf("93%08d", i)))
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/signup", bytes.NewReader(body))
	req.Header.Set("X-Forwarded-For", ip)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// testSignupFlood: an address gets its hourly sign-ups and no more, on
// whichever instance it asks; other addresses are unaffected.
func testSignupFlood(t *testing.T, open storetest.Opener) {
	e := newEnv(t, open, trustLoopback, func(c *api.Config) { c.Limits.SignupsPerHour = 3 })
	second := httptest.NewServer(api.New(api.Config{Store: e.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: e.now, BcryptCost: bcrypt.MinCost, TrustProxy: true, Limits: api.Limits{SignupsPerHour: 3}}))
	defer second.Close()
	for i, url := range []string{e.srv.URL, second.URL, e.srv.URL} {
		if st := signupFrom(t, url, "203.0.113.50", i); st != 201 {
			t.Fatalf("sign-up %d: %d", i, st)
		}
	}
	for i, url := range []string{e.srv.URL, second.URL} {
		if st := signupFrom(t, url, "203.0.113.50", 10+i); st != 429 {
			t.Fatalf("sign-up over the limit on instance %d: %d", i, st)
		}
	}
	if st := signupFrom(t, e.srv.URL, "203.0.113.51", 20); st != 201 {
		t.Fatalf("another address: %d", st)
	}
	e.advance(time.Hour + time.Second)
	if st := signupFrom(t, second.URL, "203.0.113.50", 30); st != 201 {
		t.Fatalf("after the hour: %d", st)
	}
}

// testRequestRate: one device over its rate gets 429 with Retry-After;
// another device of the business still works until the business's rate is
// used up; another business is never slowed.
func testRequestRate(t *testing.T, open storetest.Opener) {
	e := newEnv(t, open, func(c *api.Config) {
		c.Limits = api.Limits{DevicePerSecond: 0.001, DeviceBurst: 3, BusinessPerSecond: 0.001, BusinessBurst: 5}
	})
	get := func(token string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Retry-After")
	}
	b := e.mustSignup()
	for i := range 3 {
		if st, _ := get(b.dev.token); st != 200 {
			t.Fatalf("request %d: %d", i, st)
		}
	}
	if st, ra := get(b.dev.token); st != 429 || ra == "" {
		t.Fatalf("over the device's rate: %d retry-after %q", st, ra)
	}
	second := e.mustLogin(b, "Counter 2")
	for i := range 2 {
		if st, _ := get(second.token); st != 200 {
			t.Fatalf("second device, request %d: %d", i, st)
		}
	}
	if st, _ := get(second.token); st != 429 {
		t.Fatalf("over the business's rate: %d", st)
	}
	other := e.mustSignup()
	if st, _ := get(other.dev.token); st != 200 {
		t.Fatalf("another business was slowed: %d", st)
	}
}

// testPushBytesInFlight: while pushes hold the budget of bodies in flight,
// another push waits briefly and is then told to come back (429), and it
// goes through once the budget is free.
func testPushBytesInFlight(t *testing.T, open storetest.Opener) {
	e := newEnv(t, open, func(c *api.Config) { c.Limits.PushBytesInFlight = 1 << 20 })
	b := e.mustSignup()
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/v1/sync/push", pr)
	req.ContentLength = 1 << 20
	req.Header.Set("Authorization", "Bearer "+b.dev.token)
	slow := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			slow <- 0
			return
		}
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	if _, err := pw.Write([]byte(`{"device_id":"`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the slow push holds the budget
	start := time.Now()
	_, err := e.push(&b.dev, b.dev.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Tea"}))
	if ae := wantCode(t, err, 429, protocol.CodeRateLimited); !strings.Contains(ae.Message, "busy") {
		t.Fatalf("message %q", ae.Message)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Fatalf("refused after %v without waiting for room", waited)
	}
	pw.CloseWithError(io.ErrUnexpectedEOF)
	<-slow
	b.dev.n--
	e.mustPush(&b.dev, b.dev.mut("products", newID(), protocol.OpUpsert, map[string]any{"name": "Tea"}))
}
