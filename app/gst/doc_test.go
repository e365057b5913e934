package gst_test

import (
	"reflect"
	"testing"

	"github.com/ainaukar/naukar/app/gst"
)

func TestFinancialYear(t *testing.T) {
	cases := []struct {
		date string
		fy   int
	}{
		{"31-03-2026", 2025},
		{"01-04-2026", 2026},
		{"01-01-2026", 2025},
		{"31-12-2025", 2025},
	}
	for _, tc := range cases {
		t.Run("On"+tc.date, func(t *testing.T) {
			if got := gst.FinancialYear(MustDate(t, tc.date)); got != tc.fy {
				t.Errorf("FinancialYear(%s) = %d, want %d", tc.date, got, tc.fy)
			}
		})
	}
	if got := gst.FYCode(2025); got != "2526" {
		t.Errorf("FYCode(2025) = %q", got)
	}
	if got := gst.FYCode(1999); got != "9900" {
		t.Errorf("FYCode(1999) = %q", got)
	}
	if got := gst.FYLabel(2025); got != "2025-26" {
		t.Errorf("FYLabel(2025) = %q", got)
	}
	if got := gst.FYLabel(2099); got != "2099-00" {
		t.Errorf("FYLabel(2099) = %q", got)
	}
}

func TestValidateInvoiceNumber(t *testing.T) {
	for _, s := range []string{"INV-2627-1", "A/1", "1", "ABCDEFGH12345678", "inv-1"} {
		t.Run("Ok"+s, func(t *testing.T) { AssertNoErr(t, gst.ValidateInvoiceNumber(s)) })
	}
	bad := []struct{ name, in, msg string }{
		{"ErrEmpty", "", "invoice number is empty"},
		{"ErrTooLong", "ABCDEFGH123456789", `invoice number "ABCDEFGH123456789" is 17 characters; the law allows at most 16`},
		{"ErrBadChar", "INV 1", `invoice number "INV 1" has ' '; only letters, digits, - and / are allowed`},
		{"ErrUnderscore", "INV_1", `invoice number "INV_1" has '_'; only letters, digits, - and / are allowed`},
		{"ErrStartsWithSlash", "/1", `invoice number "/1" must start with a letter or digit`},
		{"ErrStartsWithDash", "-1", `invoice number "-1" must start with a letter or digit`},
		{"ErrNonASCII", "बिल1", ""},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			AssertErr(t, gst.ValidateInvoiceNumber(tc.in), "number", tc.msg)
		})
	}
}

func TestFormatDocNumber(t *testing.T) {
	ok := []struct {
		prefix, series string
		fy             int
		n              int64
		want           string
	}{
		{"INV", "A", 2026, 17, "INVA-2627-17"},
		{"", "A", 2025, 1, "A-2526-1"},
		{"CN", "B2", 2025, 3, "CNB2-2526-3"},
		{"INV", "", 2025, 9, "INV-2526-9"},
		{"INVO", "A", 2026, 12345, "INVOA-2627-12345"}, // exactly 16 characters
	}
	for _, tc := range ok {
		t.Run("Ok"+tc.want, func(t *testing.T) {
			got, err := gst.FormatDocNumber(tc.prefix, tc.series, tc.fy, tc.n)
			AssertNoErr(t, err)
			if got != tc.want {
				t.Errorf("FormatDocNumber = %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("ErrPrefixTooLong", func(t *testing.T) {
		_, err := gst.FormatDocNumber("INVOI", "A", 2026, 12345)
		AssertErr(t, err, "prefix", `invoice number INVOIA-2627-12345 would be 17 characters, more than the 16 allowed; shorten the invoice prefix "INVOI" by at least 1`)
	})
	t.Run("ErrTooLongNoPrefix", func(t *testing.T) {
		_, err := gst.FormatDocNumber("", "ABC", 2026, 12345678)
		AssertErr(t, err, "series", `invoice number ABC-2627-12345678 would be 17 characters, more than the 16 allowed; shorten the series "ABC" or start a new series`)
	})
	t.Run("ErrBadSeries", func(t *testing.T) {
		_, err := gst.FormatDocNumber("INV", "a", 2026, 1)
		AssertErr(t, err, "series", `series "a" may use only capital letters and digits`)
	})
	t.Run("ErrBadPrefix", func(t *testing.T) {
		_, err := gst.FormatDocNumber("IN V", "A", 2026, 1)
		AssertErr(t, err, "prefix", `invoice prefix "IN V" may use only letters, digits, - and /, and must start with a letter or digit`)
	})
	t.Run("ErrZeroCounter", func(t *testing.T) {
		_, err := gst.FormatDocNumber("INV", "A", 2026, 0)
		AssertErr(t, err, "number", "document counter must be at least 1 (got 0)")
	})
}

func TestValidateSeries(t *testing.T) {
	for _, s := range []string{"A", "B2", "ABC", "1"} {
		t.Run("Ok"+s, func(t *testing.T) { AssertNoErr(t, gst.ValidateSeries(s)) })
	}
	bad := []struct{ name, in, msg string }{
		{"ErrEmpty", "", "series is empty; use 1 to 3 capital letters or digits, like A"},
		{"ErrTooLong", "ABCD", `series "ABCD" is 4 characters; use at most 3`},
		{"ErrLowerCase", "ab", `series "ab" may use only capital letters and digits`},
		{"ErrDash", "A-", `series "A-" may use only capital letters and digits`},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) { AssertErr(t, gst.ValidateSeries(tc.in), "series", tc.msg) })
	}
}

func TestUQC(t *testing.T) {
	all := gst.UQCs()
	if len(all) != 45 {
		t.Errorf("UQCs() has %d codes, want 45", len(all))
	}
	for _, u := range all {
		if !gst.ValidUQC(u) {
			t.Errorf("ValidUQC(%s) = false", u)
		}
	}
	if gst.ValidUQC("pcs") || gst.ValidUQC("PC") || gst.ValidUQC("") {
		t.Error("ValidUQC accepts a non-code")
	}
	norm := map[string]string{
		"": "NOS", "pc": "PCS", "Piece": "PCS", "PCS": "PCS", "kg": "KGS", "KGS": "KGS",
		"l": "LTR", "ltr": "LTR", "Litre": "LTR", "no": "NOS", "Nos.": "NOS", "g": "GMS",
		"gm": "GMS", "GMS": "GMS", "ml": "MLT", "m": "MTR", "mtr": "MTR", "box": "BOX", "doz": "DOZ",
	}
	for in, want := range norm {
		got, err := gst.NormalizeUQC(in)
		AssertNoErr(t, err)
		if got != want {
			t.Errorf("NormalizeUQC(%q) = %q, want %q", in, got, want)
		}
	}
	t.Run("ErrUnknownUnit", func(t *testing.T) {
		_, err := gst.NormalizeUQC("furlong")
		AssertErr(t, err, "unit", `unit "furlong" is not a GST unit (UQC); use one such as PCS, NOS, KGS, GMS, LTR, MLT, MTR, BOX, or OTH for others`)
	})
	all[0] = "XXX"
	if !reflect.DeepEqual(gst.UQCs()[0], "BAG") {
		t.Error("UQCs returns shared storage")
	}
}

func TestValidateHSN(t *testing.T) {
	for _, s := range []string{"", "1006", "100630", "10063010", "998314"} {
		t.Run("Ok"+s, func(t *testing.T) { AssertNoErr(t, gst.ValidateHSN(s)) })
	}
	bad := []struct{ name, in, msg string }{
		{"ErrLetters", "10A6", `HSN/SAC code "10A6" may contain digits only`},
		{"ErrLength5", "10063", `HSN code "10063" must be 4, 6 or 8 digits (got 5)`},
		{"ErrLength2", "10", `HSN code "10" must be 4, 6 or 8 digits (got 2)`},
		{"ErrSACLength", "9983", `SAC code "9983" must be 6 digits (got 4)`},
		{"ErrSpaces", " 1006", `HSN/SAC code " 1006" may contain digits only`},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) { AssertErr(t, gst.ValidateHSN(tc.in), "hsn", tc.msg) })
	}
	fiveCrore := int64(5_00_00_000_00)
	if gst.HSNDigitsRequired(fiveCrore) != 4 || gst.HSNDigitsRequired(fiveCrore+1) != 6 || gst.HSNDigitsRequired(0) != 4 {
		t.Error("HSNDigitsRequired boundary at ₹5 crore is wrong")
	}
}
