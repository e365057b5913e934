package gst_test

import (
	"math"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/gst"
)

func TestAmountInWords(t *testing.T) {
	cases := []struct {
		name  string
		paise int64
		want  string
	}{
		{"Zero", 0, "Rupees Zero Only"},
		{"FivePaise", 5, "Rupees Zero and Five Paise Only"},
		{"OneRupee", 100, "Rupees One Only"},
		{"Teens", 1911, "Rupees Nineteen and Eleven Paise Only"},
		{"Lakh", 1_23_456_78, "Rupees One Lakh Twenty Three Thousand Four Hundred Fifty Six and Seventy Eight Paise Only"},
		{"ExactLakh", 1_00_000_00, "Rupees One Lakh Only"},
		{"OneCrore", 1_00_00_000_00, "Rupees One Crore Only"},
		{"AllNines", 99_99_99_999_00, "Rupees Ninety Nine Crore Ninety Nine Lakh Ninety Nine Thousand Nine Hundred Ninety Nine Only"},
		{"HundredCrore", 1_00_00_00_000_00, "Rupees One Hundred Crore Only"},
		{"CroreOfCrore", 1_00_00_000_00_00_000_00, "Rupees One Crore Crore Only"},
		{"Negative", -150, "Minus Rupees One and Fifty Paise Only"},
		{"TwentyAndTen", 2010, "Rupees Twenty and Ten Paise Only"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := gst.AmountInWords(tc.paise); got != tc.want {
				t.Errorf("AmountInWords(%d) =\n  %q\nwant\n  %q", tc.paise, got, tc.want)
			}
		})
	}
	t.Run("MinInt64DoesNotPanic", func(t *testing.T) {
		if got := gst.AmountInWords(math.MinInt64); !strings.HasPrefix(got, "Minus Rupees Nine") {
			t.Errorf("AmountInWords(MinInt64) = %q", got)
		}
	})
}

func TestFormatINR(t *testing.T) {
	cases := []struct {
		paise       int64
		inr, digits string
		plain       string
	}{
		{1_23_45_67_890_50, "₹1,23,45,67,890.50", "1,23,45,67,890.50", "1234567890.50"},
		{1_23_45_678_90, "₹1,23,45,678.90", "1,23,45,678.90", "12345678.90"},
		{50, "₹0.50", "0.50", "0.50"},
		{0, "₹0.00", "0.00", "0.00"},
		{-1_000_00, "-₹1,000.00", "-1,000.00", "-1000.00"},
		{-1, "-₹0.01", "-0.01", "-0.01"},
		{999_99, "₹999.99", "999.99", "999.99"},
		{1_000_00, "₹1,000.00", "1,000.00", "1000.00"},
		{12_345_00, "₹12,345.00", "12,345.00", "12345.00"},
		{1_00_000_00, "₹1,00,000.00", "1,00,000.00", "100000.00"},
		{123450, "₹1,234.50", "1,234.50", "1234.50"},
	}
	for _, tc := range cases {
		if got := gst.FormatINR(tc.paise); got != tc.inr {
			t.Errorf("FormatINR(%d) = %q, want %q", tc.paise, got, tc.inr)
		}
		if got := gst.FormatIndianDigits(tc.paise); got != tc.digits {
			t.Errorf("FormatIndianDigits(%d) = %q, want %q", tc.paise, got, tc.digits)
		}
		if got := gst.FormatAmount(tc.paise); got != tc.plain {
			t.Errorf("FormatAmount(%d) = %q, want %q", tc.paise, got, tc.plain)
		}
	}
}

func TestParseAmount(t *testing.T) {
	ok := []struct {
		in   string
		want int64
	}{
		{"245.50", 24550}, {"245.5", 24550}, {"245", 24500}, {"₹1,234.50", 123450}, {" 12 ", 1200},
		{"-5.00", -500}, {"-₹5", -500}, {"₹ -5", -500}, {"Rs. 10", 1000}, {"1,23,456.78", 12345678},
		{"0.05", 5}, {".5", 50}, {"0", 0},
	}
	for _, tc := range ok {
		t.Run("Ok"+tc.in, func(t *testing.T) {
			got, err := gst.ParseAmount(tc.in)
			AssertNoErr(t, err)
			if got != tc.want {
				t.Errorf("ParseAmount(%q) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
	bad := []struct{ name, in, msg string }{
		{"ErrEmpty", "  ", "amount is empty"},
		{"ErrThreeDecimals", "1.234", `amount "1.234" has more than 2 decimal places; paise go to two places, like 245.50`},
		{"ErrGarbage", "12abc", `amount "12abc" is not a number; type rupees like 245.50`},
		{"ErrOnlySymbol", "₹", `amount "₹" is not a number; type rupees like 245.50`},
		{"ErrTwoSigns", "--5", ""},
		{"ErrDoubleComma", "1,,000", ""},
		{"ErrTooLarge", "999999999999999999999", `amount "999999999999999999999" is too large`},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := gst.ParseAmount(tc.in)
			AssertErr(t, err, "amount", tc.msg)
		})
	}
	t.Run("RoundTripsFormatINR", func(t *testing.T) {
		for _, p := range []int64{0, 1, 99, 123450, -100000, 1_23_45_67_890_50} {
			got, err := gst.ParseAmount(gst.FormatINR(p))
			AssertNoErr(t, err)
			if got != p {
				t.Errorf("ParseAmount(FormatINR(%d)) = %d", p, got)
			}
		}
	})
}

func TestQty(t *testing.T) {
	format := map[int64]string{1000: "1", 1500: "1.5", 250: "0.25", 2125: "2.125", 0: "0", 1: "0.001", -1500: "-1.5"}
	for milli, want := range format {
		if got := gst.FormatQty(milli); got != want {
			t.Errorf("FormatQty(%d) = %q, want %q", milli, got, want)
		}
		back, err := gst.ParseQty(want)
		AssertNoErr(t, err)
		if back != milli {
			t.Errorf("ParseQty(%q) = %d, want %d", want, back, milli)
		}
	}
	t.Run("ErrFourDecimals", func(t *testing.T) {
		_, err := gst.ParseQty("1.0005")
		AssertErr(t, err, "qty", `quantity "1.0005" has more than 3 decimal places`)
	})
	t.Run("ErrGarbage", func(t *testing.T) {
		_, err := gst.ParseQty("two")
		AssertErr(t, err, "qty", `quantity "two" is not a number; type a quantity like 2 or 1.5`)
	})
	t.Run("ErrEmpty", func(t *testing.T) {
		_, err := gst.ParseQty("")
		AssertErr(t, err, "qty", "quantity is empty")
	})
}

func TestFormatDateAndCount(t *testing.T) {
	for in, want := range map[string]string{"2026-12-03": "03-12-2026", "2027-01-31": "31-01-2027", "": "", "soon": "soon"} {
		if got := gst.FormatDate(in); got != want {
			t.Errorf("FormatDate(%q) = %q, want %q", in, got, want)
		}
	}
	for n, want := range map[int]string{0: "0 products", 1: "1 product", 2: "2 products"} {
		if got := gst.Count(n, "product", "products"); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}
