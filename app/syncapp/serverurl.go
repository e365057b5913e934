package syncapp

import (
	"net"
	"net/netip"
	"net/url"
	"strings"

	"github.com/ainaukar/naukar/app/books"
)

// What a sync server address risks (CheckServerURL). The messages are the
// English texts (translation keys in the window).
const (
	// PlainHTTPInternet: http:// to a host on the internet.
	PlainHTTPInternet = "Warning: this address starts with http://, so it is not encrypted. Your password, this device's sign-in and all your books would cross the internet readable by anyone on the way. Use the server's https:// address."
	// PlainHTTPLocal: http:// to an address of the shop's own network.
	PlainHTTPLocal = "Note: http:// is not encrypted. This address is on your shop's own network, so that is acceptable only if you trust everyone on it (and its Wi-Fi); use https:// if you can."
)

// CheckServerURL checks a sync server address as typed. It refuses what is
// no http(s) address, and returns a warning ("" for none) for plain http:
// PlainHTTPInternet for a host on the internet, PlainHTTPLocal for a
// private network address (10/8, 172.16/12, 192.168/16, fc00::/7,
// link-local) or a name of the local network (one word, or .local, .lan,
// .home.arpa). Loopback (localhost, 127.0.0.0/8, ::1) never leaves the PC
// and gets none.
func CheckServerURL(raw string) (warning string, err error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", books.Errorf(books.EINVALID, "The server address %q is not a web address: write it like https://sync.example.in.", raw)
	}
	if u.Scheme == "https" {
		return "", nil
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return "", nil
	}
	if a, err := netip.ParseAddr(host); err == nil {
		a = a.Unmap()
		switch {
		case a.IsLoopback():
			return "", nil
		case a.IsPrivate() || a.IsLinkLocalUnicast():
			return PlainHTTPLocal, nil
		}
		return PlainHTTPInternet, nil
	}
	if net.ParseIP(host) == nil && (!strings.Contains(host, ".") ||
		strings.HasSuffix(host, ".local") || strings.HasSuffix(host, ".lan") || strings.HasSuffix(host, ".home.arpa")) {
		return PlainHTTPLocal, nil
	}
	return PlainHTTPInternet, nil
}
