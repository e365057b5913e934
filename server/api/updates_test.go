package api_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/sync/protocol"
)

func TestUpdateFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "naukar.json"), []byte(`{"signed":{}}`), 0o644)
	build := strings.Repeat("0123456789", 1000)
	os.WriteFile(filepath.Join(dir, "naukar-1.2.0-windows-amd64.exe"), []byte(build), 0o644)
	os.WriteFile(filepath.Join(filepath.Dir(dir), "secret.txt"), []byte("not for clients"), 0o600)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(api.New(api.Config{Logger: logger, UpdatesDir: dir}))
	defer srv.Close()

	get := func(path, rng string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	resp, body := get("/v1/updates/naukar.json", "")
	if resp.StatusCode != 200 || body != `{"signed":{}}` || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("manifest: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	resp, body = get("/v1/updates/naukar-1.2.0-windows-amd64.exe", "bytes=9000-")
	if resp.StatusCode != http.StatusPartialContent || body != build[9000:] {
		t.Fatalf("range: %d, %d bytes", resp.StatusCode, len(body))
	}
	for _, p := range []string{"/v1/updates/missing.exe", "/v1/updates/..%2Fsecret.txt", "/v1/updates/.hidden"} {
		resp, body = get(p, "")
		var eb protocol.ErrorBody
		json.Unmarshal([]byte(body), &eb)
		if resp.StatusCode != 404 || eb.Error.Code != protocol.CodeNotFound || strings.Contains(body, "not for clients") {
			t.Fatalf("%s: %d %s", p, resp.StatusCode, body)
		}
	}
	t.Run("NotServed", func(t *testing.T) {
		srv := httptest.NewServer(api.New(api.Config{Logger: logger}))
		defer srv.Close()
		resp, err := srv.Client().Get(srv.URL + "/v1/updates/naukar.json")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 404 || !strings.Contains(string(b), "NAUKAR_UPDATES_DIR") {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
	})
}
