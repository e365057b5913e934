package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

func fastClient(url string) *client.Client {
	return client.NewClient(url, client.WithRetries(3, time.Millisecond, 5*time.Millisecond), client.WithTimeout(5*time.Second))
}

// flaky answers with fail(w) for the first n calls, then with ok.
func flaky(t *testing.T, n int32, fail func(w http.ResponseWriter), ok string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			fail(w)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(ok))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func status(code int) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{"error":{"code":"internal","message":"try later"}}`))
	}
}

func hangUp(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestClientRetriesIdempotentCalls(t *testing.T) {
	for name, fail := range map[string]func(http.ResponseWriter){
		"503": status(503), "429": status(429), "NetworkError": hangUp,
	} {
		t.Run(name, func(t *testing.T) {
			srv, calls := flaky(t, 2, fail, `{"changes":[],"next":7,"more":false,"epoch":"e1"}`)
			p, err := fastClient(srv.URL).Pull(context.Background(), "tok", 7, 100)
			if err != nil {
				t.Fatal(err)
			}
			if p.Next != 7 || p.Epoch != "e1" || calls.Load() != 3 {
				t.Fatalf("pull = %+v after %d calls", p, calls.Load())
			}
		})
	}
	t.Run("Push", func(t *testing.T) {
		srv, calls := flaky(t, 1, status(502), `{"last_n":3,"accepted":3,"epoch":"e1","server_time":1}`)
		res, err := fastClient(srv.URL).Push(context.Background(), "tok", protocol.PushRequest{DeviceID: "d"})
		if err != nil || res.LastN != 3 || calls.Load() != 2 {
			t.Fatalf("push = %+v, %v after %d calls", res, err, calls.Load())
		}
	})
	t.Run("GivesUp", func(t *testing.T) {
		srv, calls := flaky(t, 100, status(503), `{}`)
		_, err := fastClient(srv.URL).Me(context.Background(), "tok")
		var ae *client.APIError
		if !errors.As(err, &ae) || ae.Status != 503 || calls.Load() != 4 {
			t.Fatalf("err = %v after %d calls", err, calls.Load())
		}
	})
}

func TestClientDoesNotRetryLoginOrClientErrors(t *testing.T) {
	srv, calls := flaky(t, 1, status(503), `{"token":"t"}`)
	_, err := fastClient(srv.URL).Login(context.Background(), protocol.LoginRequest{Login: "a@b.in", Password: "x"})
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != 503 || calls.Load() != 1 {
		t.Fatalf("login err = %v after %d calls", err, calls.Load())
	}
	srv, calls = flaky(t, 1, hangUp, `{}`)
	if _, err := fastClient(srv.URL).Signup(context.Background(), protocol.SignupRequest{}); err == nil || calls.Load() != 1 {
		t.Fatalf("signup err = %v after %d calls", err, calls.Load())
	}
	srv, calls = flaky(t, 5, status(409), `{}`)
	if _, err := fastClient(srv.URL).Push(context.Background(), "tok", protocol.PushRequest{}); err == nil || calls.Load() != 1 {
		t.Fatalf("push 409 err = %v after %d calls", err, calls.Load())
	}
}

func TestClientDecodesErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/me":
			if r.Header.Get("Authorization") != "Bearer tok" {
				t.Errorf("authorization %q", r.Header.Get("Authorization"))
			}
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"error":{"code":"device_revoked","message":"Please sign in again."}}`))
		case "/v1/sync/pull":
			if r.URL.Query().Get("since") != "42" || r.URL.Query().Get("limit") != "10" {
				t.Errorf("query %q", r.URL.RawQuery)
			}
			w.WriteHeader(400)
			_, _ = w.Write([]byte(`<html>bad gateway</html>`))
		}
	}))
	defer srv.Close()
	c := fastClient(srv.URL + "/")
	_, err := c.Me(context.Background(), "tok")
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != 401 || ae.Code != protocol.CodeRevoked || ae.Message != "Please sign in again." {
		t.Fatalf("err = %#v", err)
	}
	_, err = c.Pull(context.Background(), "tok", 42, 10)
	if !errors.As(err, &ae) || ae.Status != 400 || ae.Code != protocol.CodeInternal {
		t.Fatalf("err = %#v", err)
	}
}
