package syncapp_test

import (
	"testing"

	"github.com/ainaukar/naukar/app/syncapp"
)

// TestCheckServerURL: https and loopback pass quietly, plain http to the
// shop's own network gets the note, to anywhere else the warning, and what
// is no web address is refused.
func TestCheckServerURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://sync.example.in":       "",
		"https://203.0.113.5:8443":      "",
		"http://127.0.0.1:8080":         "",
		"http://localhost:8080":         "",
		"http://[::1]:8080":             "",
		"http://192.168.1.20:8080":      syncapp.PlainHTTPLocal,
		"http://10.0.0.7":               syncapp.PlainHTTPLocal,
		"http://172.20.1.1":             syncapp.PlainHTTPLocal,
		"http://[fd12::1]:8080":         syncapp.PlainHTTPLocal,
		"http://169.254.10.10":          syncapp.PlainHTTPLocal,
		"http://backoffice:8080":        syncapp.PlainHTTPLocal,
		"http://shop-pc.local":          syncapp.PlainHTTPLocal,
		"http://sync.example.in":        syncapp.PlainHTTPInternet,
		"HTTP://Sync.Example.IN/":       syncapp.PlainHTTPInternet,
		"http://203.0.113.5:8080":       syncapp.PlainHTTPInternet,
		"http://[2001:db8::1]:8080":     syncapp.PlainHTTPInternet,
		"http://127.0.0.1.example.in":   syncapp.PlainHTTPInternet,
		" http://sync.example.in:80/x ": syncapp.PlainHTTPInternet,
	} {
		got, err := syncapp.CheckServerURL(raw)
		if err != nil || got != want {
			t.Errorf("%q: warning %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, bad := range []string{"", "sync.example.in", "ftp://sync.example.in", "https://", "javascript:alert(1)"} {
		if _, err := syncapp.CheckServerURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
