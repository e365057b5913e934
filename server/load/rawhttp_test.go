package load_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/load"
)

// TestRawHTTP: a device's hand-spoken HTTP/1.1 reads replies with a length,
// chunked and closing ones, carries status and body, keeps its connection
// alive, and dials again when the server closed it while idle.
func TestRawHTTP(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t" || r.Header.Get("User-Agent") != "naukar-load" {
			http.Error(w, "headers", http.StatusBadRequest)
			return
		}
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/echo":
			w.Write(append([]byte(r.Method+" "+r.URL.RawQuery+" "), body...))
		case "/chunked":
			w.Write([]byte("part one, "))
			w.(http.Flusher).Flush()
			w.Write([]byte("part two"))
		case "/close":
			w.Header().Set("Connection", "close")
			w.Write([]byte("bye"))
		case "/refused":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"error":{"code":"rate_limited","message":"slow down"}}`))
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d := load.NewRawDevice(strings.TrimPrefix(srv.URL, "http://"))
	check := func(method, path, body string, wantStatus int, want string) {
		t.Helper()
		var b []byte
		if body != "" {
			b = []byte(body)
		}
		status, got, err := d.Do(ctx, method, path, b)
		if err != nil || status != wantStatus || got != want {
			t.Fatalf("%s %s: %d %q %v, want %d %q", method, path, status, got, err, wantStatus, want)
		}
	}
	check("POST", "/echo", `{"a":1}`, 200, `POST  {"a":1}`)
	check("GET", "/echo?since=5", "", 200, "GET since=5 ")
	check("GET", "/chunked", "", 200, "part one, part two")
	check("GET", "/refused", "", 429, `{"error":{"code":"rate_limited","message":"slow down"}}`)
	if n := conns.Load(); n != 1 || !d.Open() {
		t.Fatalf("%d connections for four requests (open %v), want one kept alive", n, d.Open())
	}
	check("GET", "/close", "", 200, "bye")
	if d.Open() {
		t.Fatal("connection kept after Connection: close")
	}
	check("GET", "/echo", "", 200, "GET  ")
	// The server drops the idle connection: the next request dials again.
	srv.CloseClientConnections()
	time.Sleep(50 * time.Millisecond)
	check("POST", "/echo?x=1", "again", 200, "POST x=1 again")
	if n := conns.Load(); n != 3 {
		t.Fatalf("%d connections, want 3", n)
	}
	// A cancelled context ends the request.
	cctx, ccancel := context.WithCancel(ctx)
	ccancel()
	if _, _, err := d.Do(cctx, "GET", "/echo", nil); err == nil {
		t.Fatal("request with a cancelled context succeeded")
	}
}
