package core

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ainaukar/naukar/sync/protocol"
)

// CleanString makes s safe to store in any of the server's databases: valid
// UTF-8 (broken bytes become U+FFFD), no NUL (PostgreSQL text cannot hold
// it), and at most maxBytes long, cut on a character boundary.
func CleanString(s string, maxBytes int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	if len(s) <= maxBytes {
		return s
	}
	cut := maxBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// IsClean reports whether s is valid UTF-8 without NUL, as CleanString
// would leave it (apart from its length).
func IsClean(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// MaxDeviceName is the longest device name, in characters.
const MaxDeviceName = 100

// CheckDeviceName trims a device name and refuses one that is too long or
// holds control characters (including the ones that reverse text
// direction), which would garble the device list and the security log. An
// empty name becomes "Device".
func CheckDeviceName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "Device", nil
	}
	if !utf8.ValidString(name) || strings.ContainsFunc(name, isControlOrBidi) {
		return "", Errorf(protocol.CodeInvalid, "The device name has characters that cannot be shown (control characters). Use letters, digits and spaces.")
	}
	if utf8.RuneCountInString(name) > MaxDeviceName {
		return "", Errorf(protocol.CodeInvalid, "Device name must be at most %d characters.", MaxDeviceName)
	}
	return name, nil
}

// isControlOrBidi reports control characters and the bidirectional
// overrides and isolates (U+202A–U+202E, U+2066–U+2069). Joiners (ZWJ,
// ZWNJ), which Indian scripts need, are allowed.
func isControlOrBidi(r rune) bool {
	return unicode.IsControl(r) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}
