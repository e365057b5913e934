package gst

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

const gstinAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// NormalizeGSTIN trims surrounding space from s and upper-cases it.
func NormalizeGSTIN(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// GSTINState returns the state code of a GSTIN: its first two characters after
// normalizing, or "" if it is shorter than two characters.
func GSTINState(gstin string) string {
	g := NormalizeGSTIN(gstin)
	if len(g) < 2 {
		return ""
	}
	return g[:2]
}

// gstinValue returns the value 0-35 of c in the GSTIN alphabet, or -1.
func gstinValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}

// GSTINCheckChar computes the check character of a GSTIN from its first 14
// characters (normalized first): with the alphabet 0-9A-Z valued 0-35, the
// characters are weighted 1,2,1,2,... from the left, each product p adds
// p/36 + p%36, and the check is (36 - sum%36) % 36.
func GSTINCheckChar(first14 string) (byte, error) {
	s := NormalizeGSTIN(first14)
	if len(s) != 14 {
		return 0, newErr("gstin", fmt.Sprintf("need the first 14 characters of a GSTIN to compute its check character (got %d)", utf8.RuneCountInString(s)))
	}
	sum := 0
	for i := 0; i < 14; i++ {
		v := gstinValue(s[i])
		if v < 0 {
			return 0, newErr("gstin", fmt.Sprintf("GSTIN may contain only letters and digits (found %q at position %d)", s[i], i+1))
		}
		p := v * (1 + i%2)
		sum += p/36 + p%36
	}
	return gstinAlphabet[(36-sum%36)%36], nil
}

// ValidateGSTIN checks a regular GSTIN. The input is trimmed and upper-cased
// before checking, so " 27aapfu0939f1zv " is valid. A GSTIN is 15 characters:
// a 2-digit state code (01-38 or 97), a PAN (five letters, four digits, a
// letter), an entity number (1-9 or A-Z), the letter Z and a check character.
// Other registration kinds (UIN, non-resident, TDS, TCS) are refused with a
// message saying so. Each failure returns an *Error with Field "gstin".
func ValidateGSTIN(s string) error {
	g := NormalizeGSTIN(s)
	if g == "" {
		return newErr("gstin", "GSTIN is empty")
	}
	if n := utf8.RuneCountInString(g); n != 15 || len(g) != 15 {
		return newErr("gstin", fmt.Sprintf("GSTIN must be 15 characters (got %d)", n))
	}
	for i := 0; i < 15; i++ {
		if gstinValue(g[i]) < 0 {
			return newErr("gstin", fmt.Sprintf("GSTIN may contain only letters and digits (found %q at position %d)", g[i], i+1))
		}
	}
	code := g[:2]
	if !isDigit(code[0]) || !isDigit(code[1]) {
		return newErr("gstin", fmt.Sprintf("GSTIN must start with a 2-digit state code (got %s)", code))
	}
	if !gstinStateOK(code) {
		return newErr("gstin", fmt.Sprintf("GSTIN state code %s is not a known state code (01-38 or 97)", code))
	}
	pan := g[2:12]
	for i := 0; i < 10; i++ {
		c := pan[i]
		ok := isUpper(c)
		if i >= 5 && i < 9 {
			ok = isDigit(c)
		}
		if !ok {
			return newErr("gstin", fmt.Sprintf("GSTIN characters 3 to 12 must be a PAN like AAAAA9999A (got %s)", pan))
		}
	}
	if g[12] == '0' {
		return newErr("gstin", "GSTIN 13th character (entity number) must be 1-9 or A-Z, not 0")
	}
	if g[13] != 'Z' {
		return newErr("gstin", fmt.Sprintf("GSTIN 14th character must be Z (got %c); UIN, non-resident, TDS and TCS registrations are not accepted here", g[13]))
	}
	want, _ := GSTINCheckChar(g[:14])
	if g[14] != want {
		return newErr("gstin", fmt.Sprintf("GSTIN check character is wrong: expected %c, got %c — check for a typing mistake", want, g[14]))
	}
	return nil
}

// gstinStateOK reports whether code may start a regular GSTIN: 01-38 or 97.
func gstinStateOK(code string) bool {
	if code == "97" {
		return true
	}
	n := int(code[0]-'0')*10 + int(code[1]-'0')
	return n >= 1 && n <= 38
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isLetter(c byte) bool {
	return isUpper(c) || (c >= 'a' && c <= 'z')
}
