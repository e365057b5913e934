package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestTrustProxyTakesTheProxysAddress: behind a reverse proxy that appends
// the client's address to X-Forwarded-For, the address the server logs is
// the one the proxy added (the last), not one the client wrote itself,
// which would let a client pick its IP and dodge the per-IP login limit.
func TestTrustProxyTakesTheProxysAddress(t *testing.T) {
	db := storetest.SQLite(t)
	srv := httptest.NewServer(api.New(api.Config{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BcryptCost: bcrypt.MinCost, TrustProxy: true}))
	defer srv.Close()
	body, _ := json.Marshal(signupReq("proxy@example.in", "9812340000"))
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/signup", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", "6.6.6.6, 203.0.113.9")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res protocol.SignupResponse
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("signup: %d %v", resp.StatusCode, err)
	}
	events, err := db.SecurityEvents(ctx, sessionOf(res.BusinessID), 10)
	if err != nil || len(events) == 0 {
		t.Fatalf("security log: %v %v", events, err)
	}
	if ip := events[0].IP; ip != "203.0.113.9" {
		t.Fatalf("logged IP %q, want the proxy's 203.0.113.9", ip)
	}
}
