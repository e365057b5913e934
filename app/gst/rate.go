package gst

import (
	"fmt"
	"strings"
	"time"
)

// RateBP is a tax rate in basis points: 1800 is 18%, 25 is 0.25% and 150 is 1.5%.
type RateBP int64

// String returns the rate as a trimmed decimal percent without the % sign,
// for example "18", "0.25" or "1.5".
func (r RateBP) String() string {
	sign := ""
	v := int64(r)
	if v < 0 {
		sign = "-"
		v = -v
	}
	whole, frac := v/100, v%100
	if frac == 0 {
		return fmt.Sprintf("%s%d", sign, whole)
	}
	f := strings.TrimRight(fmt.Sprintf("%02d", frac), "0")
	return fmt.Sprintf("%s%d.%s", sign, whole, f)
}

// ParseRate reads a percent rate such as "18", "18%", "0.25" or "1.5" into
// basis points. It refuses negative rates, text that is not a number and more
// than two decimal places.
func ParseRate(s string) (RateBP, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	if t == "" {
		return 0, newErr("rate", "GST rate is empty; enter a rate such as 18 or 0.25")
	}
	if strings.HasPrefix(t, "-") {
		return 0, newErr("rate", fmt.Sprintf("GST rate cannot be negative (got %q)", s))
	}
	v, err := parseDecimal(t, 2, false)
	if err != nil {
		switch err {
		case errTooManyDecimals:
			return 0, newErr("rate", fmt.Sprintf("GST rate %q has more than 2 decimal places", s))
		default:
			return 0, newErr("rate", fmt.Sprintf("GST rate %q is not a number; enter a rate such as 18 or 0.25", s))
		}
	}
	return RateBP(v), nil
}

// gst2Start is the first day of the "GST 2.0" rate slabs.
var (
	gst2Start      = civil(2025, time.September, 22)
	tobacco28Until = civil(2026, time.January, 31)
)

var (
	ratesBefore2 = []RateBP{0, 10, 25, 150, 300, 500, 1200, 1800, 2800}
	rates2With28 = []RateBP{0, 10, 25, 150, 300, 500, 1800, 2800, 4000}
	rates2       = []RateBP{0, 10, 25, 150, 300, 500, 1800, 4000}
)

// civil returns midnight UTC of a calendar date; dates are compared by their
// calendar day only, so the location of the caller's time does not matter.
func civil(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dayOf returns the calendar day of t (in t's own location) as midnight UTC.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return civil(y, m, d)
}

// RatesOn returns the GST rate slabs valid on the calendar date of date, in
// ascending order. Before 22-09-2025 they are 0, 0.1, 0.25, 1.5, 3, 5, 12, 18
// and 28; from 22-09-2025 they are 0, 0.1, 0.25, 1.5, 3, 5, 18 and 40, plus 28
// (tobacco) until 31-01-2026 inclusive. The returned slice is a fresh copy.
func RatesOn(date time.Time) []RateBP {
	d := dayOf(date)
	var src []RateBP
	switch {
	case d.Before(gst2Start):
		src = ratesBefore2
	case !d.After(tobacco28Until):
		src = rates2With28
	default:
		src = rates2
	}
	return append([]RateBP(nil), src...)
}

// ValidateRate reports whether r is a GST rate slab valid on date. The error
// message names the date (dd-mm-yyyy) and lists the rates allowed on it.
func ValidateRate(r RateBP, date time.Time) error {
	allowed := RatesOn(date)
	for _, a := range allowed {
		if a == r {
			return nil
		}
	}
	parts := make([]string, len(allowed))
	for i, a := range allowed {
		parts[i] = a.String() + "%"
	}
	return newErr("rate", fmt.Sprintf("GST rate %s%% is not allowed on %s; allowed rates are %s",
		r, date.Format("02-01-2006"), strings.Join(parts, ", ")))
}

// Category is the kind of a supply for GST.
type Category string

// The supply categories. Only Taxable supplies carry tax.
const (
	Taxable Category = "taxable"
	Nil     Category = "nil"
	Exempt  Category = "exempt"
	NonGST  Category = "non_gst"
)

// ParseCategory reads a category name, ignoring case and surrounding space;
// "" means Taxable, and "non-gst" or "nongst" are accepted for NonGST.
func ParseCategory(s string) (Category, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "taxable":
		return Taxable, nil
	case "nil", "nil_rated", "nil-rated", "nil rated":
		return Nil, nil
	case "exempt", "exempted":
		return Exempt, nil
	case "non_gst", "non-gst", "nongst", "non gst":
		return NonGST, nil
	}
	return "", newErr("category", fmt.Sprintf("supply category %q is not known; use taxable, nil, exempt or non_gst", s))
}

// ReturnCategory is how the returns report a supply of category cat at
// rate: above 0% it is Taxable (whatever cat says); at 0% it is Exempt or
// NonGST when cat says so and Nil otherwise, since a taxable supply at 0%
// is nil-rated (GSTR-1 table 8, GSTR-3B 3.1(c)). This is the one place the
// returns decide it.
func ReturnCategory(rate RateBP, cat Category) Category {
	switch {
	case rate > 0:
		return Taxable
	case cat == Exempt, cat == NonGST:
		return cat
	}
	return Nil
}
