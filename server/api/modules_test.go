package api_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// echoModule is a module as billing or WhatsApp would write one.
type echoModule struct{}

func (echoModule) Mount(m *api.Mux) {
	m.Device("POST /v1/echo", 16, func(w http.ResponseWriter, r *http.Request, sess core.Session) {
		var body struct{ Say string }
		if err := m.Decode(r, &body); err != nil {
			m.Error(w, r, err)
			return
		}
		if api.SessionFrom(r.Context()) != sess {
			m.Error(w, r, core.Errorf(protocol.CodeInternal, "session differs"))
			return
		}
		m.JSON(w, http.StatusOK, map[string]string{"business": sess.BusinessID, "say": body.Say})
	})
	m.Public("GET /v1/echo/public", 0, func(w http.ResponseWriter, r *http.Request) {
		m.JSON(w, http.StatusOK, map[string]string{"ok": "yes"})
	})
}

// TestModuleRoutes: a module's device routes get the server's token check,
// body limit and error shape; its public routes need no token.
func TestModuleRoutes(t *testing.T) {
	e := newEnv(t, storetest.Stores[0].Open)
	srv := httptest.NewServer(api.New(api.Config{Store: e.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BcryptCost: bcrypt.MinCost, Modules: []api.Module{echoModule{}}}))
	defer srv.Close()
	e.srv, e.c = srv, client.NewClient(srv.URL)
	b := e.mustSignup()

	call := func(method, path, token, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	if st, out := call("POST", "/v1/echo", b.dev.token, `{"say":"hi"}`); st != 200 || out["business"] != b.id || out["say"] != "hi" {
		t.Fatalf("device route: %d %v", st, out)
	}
	if st, out := call("POST", "/v1/echo", "", `{"say":"hi"}`); st != 401 || out["error"] == nil {
		t.Fatalf("no token: %d %v", st, out)
	}
	if st, out := call("POST", "/v1/echo", b.dev.token, `{"say":"far too long for the limit"}`); st != 413 || out["error"] == nil {
		t.Fatalf("over the body limit: %d %v", st, out)
	}
	if st, out := call("GET", "/v1/echo/public", "", ""); st != 200 || out["ok"] != "yes" {
		t.Fatalf("public route: %d %v", st, out)
	}
}
