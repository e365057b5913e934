package gst_test

import (
	"testing"

	"github.com/ainaukar/naukar/app/gst"
)

func TestValidateGSTIN(t *testing.T) {
	valid := []struct{ name, in string }{
		{"ValidMaharashtra", "27AAPFU0939F1ZV"},
		{"ValidGujarat", "24AANFA2641L1ZF"},
		{"ValidKarnataka", "29AABCR1718E1ZL"},
		{"ValidLowerCaseAndSpaces", "  27aapfu0939f1zv \t"},
	}
	for _, tc := range valid {
		t.Run(tc.name, func(t *testing.T) {
			AssertNoErr(t, gst.ValidateGSTIN(tc.in))
		})
	}
	invalid := []struct{ name, in, msg string }{
		{"ErrGSTINEmpty", "  ", "GSTIN is empty"},
		{"ErrGSTINLength", "27AAPFU0939F1Z", "GSTIN must be 15 characters (got 14)"},
		{"ErrGSTINTooLong", "27AAPFU0939F1ZVX", "GSTIN must be 15 characters (got 16)"},
		{"ErrGSTINChecksum", "27AAPFU0939F1ZW", "GSTIN check character is wrong: expected V, got W — check for a typing mistake"},
		{"ErrGSTINEntityZero", "27AAPFU0939F0ZV", "GSTIN 13th character (entity number) must be 1-9 or A-Z, not 0"},
		{"ErrGSTINBadChar", "27AAPFU0939F1Z-", `GSTIN may contain only letters and digits (found '-' at position 15)`},
		{"ErrGSTINStateNotDigits", "2AAAPFU0939F1ZV", "GSTIN must start with a 2-digit state code (got 2A)"},
		{"ErrGSTINStateUnknown", "99AAPFU0939F1ZV", "GSTIN state code 99 is not a known state code (01-38 or 97)"},
		{"ErrGSTINStateZero", "00AAPFU0939F1ZV", "GSTIN state code 00 is not a known state code (01-38 or 97)"},
		{"ErrGSTINState96", "96AAPFU0939F1ZV", "GSTIN state code 96 is not a known state code (01-38 or 97)"},
		{"ErrGSTINPAN", "27AAPF10939F1ZV", "GSTIN characters 3 to 12 must be a PAN like AAAAA9999A (got AAPF10939F)"},
		{"ErrGSTINPANLastLetter", "27AAPFU093991ZV", "GSTIN characters 3 to 12 must be a PAN like AAAAA9999A (got AAPFU09399)"},
		{"ErrGSTINNotZ", "27AAPFU0939F1YV", "GSTIN 14th character must be Z (got Y); UIN, non-resident, TDS and TCS registrations are not accepted here"},
	}
	for _, tc := range invalid {
		t.Run(tc.name, func(t *testing.T) {
			AssertErr(t, gst.ValidateGSTIN(tc.in), "gstin", tc.msg)
		})
	}
	t.Run("ValidState97", func(t *testing.T) {
		c, err := gst.GSTINCheckChar("97AAPFU0939F1Z")
		AssertNoErr(t, err)
		AssertNoErr(t, gst.ValidateGSTIN("97AAPFU0939F1Z"+string(c)))
	})
	t.Run("ValidLegacyState28", func(t *testing.T) {
		c, err := gst.GSTINCheckChar("28AAPFU0939F1Z")
		AssertNoErr(t, err)
		AssertNoErr(t, gst.ValidateGSTIN("28AAPFU0939F1Z"+string(c)))
	})
}

func TestGSTINCheckChar(t *testing.T) {
	for _, g := range []string{"27AAPFU0939F1ZV", "24AANFA2641L1ZF", "29AABCR1718E1ZL"} {
		t.Run("Computes"+g[:2], func(t *testing.T) {
			c, err := gst.GSTINCheckChar(g[:14])
			AssertNoErr(t, err)
			if c != g[14] {
				t.Errorf("check char of %s = %c, want %c", g[:14], c, g[14])
			}
		})
	}
	t.Run("LowerCaseNormalized", func(t *testing.T) {
		c, err := gst.GSTINCheckChar("27aapfu0939f1z")
		AssertNoErr(t, err)
		if c != 'V' {
			t.Errorf("got %c, want V", c)
		}
	})
	t.Run("ErrLength", func(t *testing.T) {
		_, err := gst.GSTINCheckChar("27AAPFU0939F1")
		AssertErr(t, err, "gstin", "need the first 14 characters of a GSTIN to compute its check character (got 13)")
	})
	t.Run("ErrBadChar", func(t *testing.T) {
		_, err := gst.GSTINCheckChar("27AAPFU0939F1#")
		AssertErr(t, err, "gstin", "")
	})
}

func TestGSTINHelpers(t *testing.T) {
	if got := gst.NormalizeGSTIN(" 27aapfu0939f1zv\n"); got != "27AAPFU0939F1ZV" {
		t.Errorf("NormalizeGSTIN = %q", got)
	}
	if got := gst.GSTINState(" 27aapfu0939f1zv"); got != "27" {
		t.Errorf("GSTINState = %q, want 27", got)
	}
	if got := gst.GSTINState("2"); got != "" {
		t.Errorf("GSTINState(short) = %q, want empty", got)
	}
}
