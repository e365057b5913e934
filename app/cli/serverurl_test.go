package cli_test

import (
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/syncapp"
)

// TestSyncLoginWarnsOfPlainHTTP: `naukar sync login` and `sync signup`
// warn before sending a password to a plain http:// server on the
// internet, note it for the shop's own network, stay quiet for https and
// loopback, and refuse what is no web address.
func TestSyncLoginWarnsOfPlainHTTP(t *testing.T) {
	books := setup(t)
	login := func(server string) result {
		return run(t, books, "", "sync", "login", "--server", server, "--login", "owner@example.in", "--password", "correct horse", "--device-name", "Counter")
	}
	// Nothing listens on these; the sign-in itself fails.
	r := login("http://sync.example.invalid:9")
	if r.code == 0 || !strings.Contains(r.stderr, syncapp.PlainHTTPInternet) {
		t.Fatalf("http to the internet: exit %d\n%s", r.code, r.stderr)
	}
	r = login("http://192.168.1.20:9")
	if r.code == 0 || !strings.Contains(r.stderr, syncapp.PlainHTTPLocal) || strings.Contains(r.stderr, "Warning:") {
		t.Fatalf("http on the shop's network: exit %d\n%s", r.code, r.stderr)
	}
	for _, quiet := range []string{"http://127.0.0.1:9", "https://sync.example.invalid:9"} {
		if r := login(quiet); r.code == 0 || strings.Contains(r.stderr, "not encrypted") {
			t.Fatalf("%s: exit %d\n%s", quiet, r.code, r.stderr)
		}
	}
	wantFail(t, login("sync.example.in"), 1, "is not a web address")
	r = run(t, books, "", "sync", "signup", "--server", "http://sync.example.invalid:9", "--name", "Ravi", "--email", "r@example.in",
		"--phone", "9876543210", "--password", "correct horse", "--business-name", "Shop", "--state", "27")
	if r.code == 0 || !strings.Contains(r.stderr, syncapp.PlainHTTPInternet) {
		t.Fatalf("signup over http: exit %d\n%s", r.code, r.stderr)
	}
}
