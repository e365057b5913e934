package gst_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/gst"
)

func TestRateString(t *testing.T) {
	cases := map[gst.RateBP]string{0: "0", 10: "0.1", 25: "0.25", 150: "1.5", 300: "3", 1800: "18", 4000: "40", 1205: "12.05", -150: "-1.5"}
	for r, want := range cases {
		if got := r.String(); got != want {
			t.Errorf("RateBP(%d).String() = %q, want %q", int64(r), got, want)
		}
	}
}

func TestParseRate(t *testing.T) {
	ok := []struct {
		in   string
		want gst.RateBP
	}{
		{"18", 1800}, {"18%", 1800}, {" 18 % ", 1800}, {"0.25", 25}, {"1.5", 150}, {"0", 0}, {"0.1", 10}, {"40.00", 4000}, {".5", 50},
	}
	for _, tc := range ok {
		t.Run("Ok"+tc.in, func(t *testing.T) {
			got, err := gst.ParseRate(tc.in)
			AssertNoErr(t, err)
			if got != tc.want {
				t.Errorf("ParseRate(%q) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
	bad := []struct{ name, in, msg string }{
		{"ErrEmpty", "", "GST rate is empty; enter a rate such as 18 or 0.25"},
		{"ErrNegative", "-5", `GST rate cannot be negative (got "-5")`},
		{"ErrGarbage", "eighteen", `GST rate "eighteen" is not a number; enter a rate such as 18 or 0.25`},
		{"ErrTwoDots", "1.2.3", `GST rate "1.2.3" is not a number; enter a rate such as 18 or 0.25`},
		{"ErrThreeDecimals", "0.125", `GST rate "0.125" has more than 2 decimal places`},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := gst.ParseRate(tc.in)
			AssertErr(t, err, "rate", tc.msg)
		})
	}
}

func TestRatesOn(t *testing.T) {
	old := []gst.RateBP{0, 10, 25, 150, 300, 500, 1200, 1800, 2800}
	with28 := []gst.RateBP{0, 10, 25, 150, 300, 500, 1800, 2800, 4000}
	now := []gst.RateBP{0, 10, 25, 150, 300, 500, 1800, 4000}
	cases := []struct {
		date string
		want []gst.RateBP
	}{
		{"01-07-2017", old},
		{"21-09-2025", old},
		{"22-09-2025", with28},
		{"31-01-2026", with28},
		{"01-02-2026", now},
		{"01-04-2030", now},
	}
	for _, tc := range cases {
		t.Run("On"+tc.date, func(t *testing.T) {
			if got := gst.RatesOn(MustDate(t, tc.date)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("RatesOn(%s) = %v, want %v", tc.date, got, tc.want)
			}
		})
	}
	t.Run("LateEveningIsSameDay", func(t *testing.T) {
		d := time.Date(2025, 9, 21, 23, 59, 0, 0, time.FixedZone("IST", 19800))
		if got := gst.RatesOn(d); !reflect.DeepEqual(got, old) {
			t.Errorf("RatesOn(21-09-2025 23:59 IST) = %v, want old slabs", got)
		}
	})
	t.Run("ReturnsCopy", func(t *testing.T) {
		r := gst.RatesOn(MustDate(t, "01-01-2020"))
		r[0] = 999
		if gst.RatesOn(MustDate(t, "01-01-2020"))[0] != 0 {
			t.Error("RatesOn returns shared storage")
		}
	})
}

func TestValidateRate(t *testing.T) {
	ok := []struct {
		name string
		r    gst.RateBP
		date string
	}{
		{"Ok12Before", 1200, "21-09-2025"},
		{"Ok28Before", 2800, "21-09-2025"},
		{"Ok40From", 4000, "22-09-2025"},
		{"Ok28LastDay", 2800, "31-01-2026"},
		{"Ok18Always", 1800, "01-02-2026"},
		{"OkQuarter", 25, "01-02-2026"},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			AssertNoErr(t, gst.ValidateRate(tc.r, MustDate(t, tc.date)))
		})
	}
	bad := []struct {
		name string
		r    gst.RateBP
		date string
		msg  string
	}{
		{"Err12AfterGST2", 1200, "22-09-2025", "GST rate 12% is not allowed on 22-09-2025; allowed rates are 0%, 0.1%, 0.25%, 1.5%, 3%, 5%, 18%, 28%, 40%"},
		{"Err40Before", 4000, "21-09-2025", "GST rate 40% is not allowed on 21-09-2025; allowed rates are 0%, 0.1%, 0.25%, 1.5%, 3%, 5%, 12%, 18%, 28%"},
		{"Err28AfterTobaccoEnd", 2800, "01-02-2026", "GST rate 28% is not allowed on 01-02-2026; allowed rates are 0%, 0.1%, 0.25%, 1.5%, 3%, 5%, 18%, 40%"},
		{"ErrOddRate", 1750, "01-02-2026", ""},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			AssertErr(t, gst.ValidateRate(tc.r, MustDate(t, tc.date)), "rate", tc.msg)
		})
	}
}

func TestParseCategory(t *testing.T) {
	ok := map[string]gst.Category{"": gst.Taxable, "taxable": gst.Taxable, " NIL ": gst.Nil, "exempt": gst.Exempt, "non_gst": gst.NonGST, "Non-GST": gst.NonGST}
	for in, want := range ok {
		got, err := gst.ParseCategory(in)
		AssertNoErr(t, err)
		if got != want {
			t.Errorf("ParseCategory(%q) = %q, want %q", in, got, want)
		}
	}
	t.Run("ErrUnknown", func(t *testing.T) {
		_, err := gst.ParseCategory("zero")
		AssertErr(t, err, "category", `supply category "zero" is not known; use taxable, nil, exempt or non_gst`)
	})
}
