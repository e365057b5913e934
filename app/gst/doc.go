package gst

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// FinancialYear returns the start year of the Indian financial year (1 April
// to 31 March) containing t, read in t's own location: 31-03-2026 gives 2025
// and 01-04-2026 gives 2026.
func FinancialYear(t time.Time) int {
	if t.Month() >= time.April {
		return t.Year()
	}
	return t.Year() - 1
}

// FinancialYearOf returns the start year of the financial year of a
// YYYY-MM-DD date (the date's calendar day decides, as in FinancialYear);
// ok is false when date is not such a date.
func FinancialYearOf(date string) (fy int, ok bool) {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return 0, false
	}
	return FinancialYear(t), true
}

// FYStart returns 1 April of the financial year starting in fy, at
// midnight UTC.
func FYStart(fy int) time.Time { return time.Date(fy, time.April, 1, 0, 0, 0, 0, time.UTC) }

// FYEnd returns 31 March, the last day of the financial year starting in
// fy, at midnight UTC.
func FYEnd(fy int) time.Time { return FYStart(fy+1).AddDate(0, 0, -1) }

// FYQuarter returns the financial year of t and its quarter: 1 is April to
// June, 4 is January to March.
func FYQuarter(t time.Time) (fy, q int) {
	return FinancialYear(t), (int(t.Month())+8)%12/3 + 1
}

// FYQuarterStart returns the first day of quarter q (1 = April–June) of the
// financial year starting in fy, at midnight UTC.
func FYQuarterStart(fy, q int) time.Time { return FYStart(fy).AddDate(0, 3*(q-1), 0) }

// ParseFYLabel reads a financial year label, "2026-27" or "2026-2027", into
// its start year 2026; ok is false for anything else (including 2026-28).
func ParseFYLabel(s string) (fy int, ok bool) {
	a, b, found := strings.Cut(strings.TrimSpace(s), "-")
	if !found || len(a) != 4 || !allDigits(a) || !allDigits(b) {
		return 0, false
	}
	y, _ := strconv.Atoi(a)
	n, _ := strconv.Atoi(b)
	switch len(b) {
	case 2:
		return y, n == mod100(y+1)
	case 4:
		return y, n == y+1
	}
	return 0, false
}

// FYCode returns the four-digit code of the financial year starting in
// startYear, as used in document numbers: 2025 gives "2526".
func FYCode(startYear int) string {
	return fmt.Sprintf("%02d%02d", mod100(startYear), mod100(startYear+1))
}

// FYLabel returns the label of the financial year starting in startYear:
// 2025 gives "2025-26".
func FYLabel(startYear int) string {
	return fmt.Sprintf("%d-%02d", startYear, mod100(startYear+1))
}

func mod100(y int) int { return ((y % 100) + 100) % 100 }

// MaxInvoiceNumberLen is the longest invoice serial number CGST Rule 46 allows.
const MaxInvoiceNumberLen = 16

// ValidateInvoiceNumber checks an invoice serial number against CGST Rule 46:
// at most 16 characters, only letters, digits, '-' and '/', and starting with
// a letter or digit.
func ValidateInvoiceNumber(s string) error {
	if s == "" {
		return newErr("number", "invoice number is empty")
	}
	if n := utf8.RuneCountInString(s); n > MaxInvoiceNumberLen {
		return newErr("number", fmt.Sprintf("invoice number %q is %d characters; the law allows at most %d", s, n, MaxInvoiceNumberLen))
	}
	for i, r := range s {
		ok := r < utf8.RuneSelf && (isLetter(byte(r)) || isDigit(byte(r)) || r == '-' || r == '/')
		if !ok {
			return newErr("number", fmt.Sprintf("invoice number %q has %q; only letters, digits, - and / are allowed", s, r))
		}
		if i == 0 && (r == '-' || r == '/') {
			return newErr("number", fmt.Sprintf("invoice number %q must start with a letter or digit", s))
		}
	}
	return nil
}

// ValidateSeries checks a document series code: 1 to 3 characters, capital
// letters and digits only (one series per device is legal).
func ValidateSeries(s string) error {
	if s == "" {
		return newErr("series", "series is empty; use 1 to 3 capital letters or digits, like A")
	}
	if n := utf8.RuneCountInString(s); n > 3 {
		return newErr("series", fmt.Sprintf("series %q is %d characters; use at most 3", s, n))
	}
	for i := 0; i < len(s); i++ {
		if !isUpper(s[i]) && !isDigit(s[i]) {
			return newErr("series", fmt.Sprintf("series %q may use only capital letters and digits", s))
		}
	}
	return nil
}

// FormatDocNumber builds a document number "<prefix><series>-<fycode>-<n>",
// for example FormatDocNumber("INV", "A", 2026, 17) gives "INVA-2627-17". The
// prefix may be empty; a non-empty series must pass ValidateSeries and n must
// be at least 1. If the result breaks CGST Rule 46 the error says which
// setting to change (for a number that is too long: shorten the prefix).
func FormatDocNumber(prefix, series string, fyStart int, n int64) (string, error) {
	if series != "" {
		if err := ValidateSeries(series); err != nil {
			return "", err
		}
	}
	if n < 1 {
		return "", newErr("number", fmt.Sprintf("document counter must be at least 1 (got %d)", n))
	}
	for i, r := range prefix {
		ok := r < utf8.RuneSelf && (isLetter(byte(r)) || isDigit(byte(r)) || r == '-' || r == '/')
		if !ok || (i == 0 && (r == '-' || r == '/')) {
			return "", newErr("prefix", fmt.Sprintf("invoice prefix %q may use only letters, digits, - and /, and must start with a letter or digit", prefix))
		}
	}
	s := fmt.Sprintf("%s%s-%s-%d", prefix, series, FYCode(fyStart), n)
	if len(s) > MaxInvoiceNumberLen {
		over := len(s) - MaxInvoiceNumberLen
		if prefix != "" {
			return "", newErr("prefix", fmt.Sprintf("invoice number %s would be %d characters, more than the %d allowed; shorten the invoice prefix %q by at least %d", s, len(s), MaxInvoiceNumberLen, prefix, over))
		}
		return "", newErr("series", fmt.Sprintf("invoice number %s would be %d characters, more than the %d allowed; shorten the series %q or start a new series", s, len(s), MaxInvoiceNumberLen, series))
	}
	if err := ValidateInvoiceNumber(s); err != nil {
		return "", err
	}
	return s, nil
}

var uqcList = strings.Fields(`BAG BAL BDL BKL BOU BOX BTL BUN CAN CBM CCM CMS CTN DOZ DRM GGK GMS GRS GYD KGS KLR KME
LTR MLT MTR MTS NOS OTH PAC PCS PRS QTL ROL SET SQF SQM SQY TBS TGM THD TON TUB UGS UNT YDS`)

var uqcSet = func() map[string]bool {
	m := make(map[string]bool, len(uqcList))
	for _, u := range uqcList {
		m[u] = true
	}
	return m
}()

var uqcAlias = map[string]string{
	"PC": "PCS", "PIECE": "PCS", "PIECES": "PCS",
	"KG": "KGS", "KILO": "KGS", "KILOGRAM": "KGS", "KILOGRAMS": "KGS",
	"L": "LTR", "LT": "LTR", "LITRE": "LTR", "LITRES": "LTR", "LITER": "LTR", "LITERS": "LTR",
	"NO": "NOS", "NUMBER": "NOS", "NUMBERS": "NOS",
	"G": "GMS", "GM": "GMS", "GRAM": "GMS", "GRAMS": "GMS",
	"ML": "MLT", "M": "MTR", "METRE": "MTR", "METER": "MTR", "METRES": "MTR", "METERS": "MTR",
	"BOXES": "BOX", "DOZEN": "DOZ", "PAIR": "PRS", "PAIRS": "PRS",
	"PACK": "PAC", "PACKET": "PAC", "PKT": "PAC", "BOTTLE": "BTL", "BOTTLES": "BTL",
	"TONNE": "TON", "TONNES": "TON", "QUINTAL": "QTL", "UNIT": "UNT", "UNITS": "UNT",
}

// ValidUQC reports whether u is exactly one of the GST unit quantity codes.
func ValidUQC(u string) bool { return uqcSet[u] }

// UQCs returns all GST unit quantity codes, sorted. The slice is a copy.
func UQCs() []string {
	out := append([]string(nil), uqcList...)
	sort.Strings(out)
	return out
}

// NormalizeUQC turns a unit typed by a person into a GST unit quantity code:
// it upper-cases, maps common words ("pc", "piece", "kg", "litre", "g", "ml",
// "m", ...) to their code, and treats "" as NOS.
func NormalizeUQC(s string) (string, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	u = strings.TrimSuffix(u, ".")
	if u == "" {
		return "NOS", nil
	}
	if a, ok := uqcAlias[u]; ok {
		u = a
	}
	if ValidUQC(u) {
		return u, nil
	}
	return "", newErr("unit", fmt.Sprintf("unit %q is not a GST unit (UQC); use one such as PCS, NOS, KGS, GMS, LTR, MLT, MTR, BOX, or OTH for others", s))
}

// ValidateHSN checks an HSN or SAC code: digits only, 4, 6 or 8 long; a SAC
// (services, starting 99) is exactly 6 digits. "" is allowed (nil); whether a
// code is required, and how many digits, is the caller's decision (see
// HSNDigitsRequired).
func ValidateHSN(s string) error {
	if s == "" {
		return nil
	}
	if !allDigits(s) {
		return newErr("hsn", fmt.Sprintf("HSN/SAC code %q may contain digits only", s))
	}
	if strings.HasPrefix(s, "99") {
		if len(s) != 6 {
			return newErr("hsn", fmt.Sprintf("SAC code %q must be 6 digits (got %d)", s, len(s)))
		}
		return nil
	}
	switch len(s) {
	case 4, 6, 8:
		return nil
	}
	return newErr("hsn", fmt.Sprintf("HSN code %q must be 4, 6 or 8 digits (got %d)", s, len(s)))
}

// HSNDigitsRequired returns how many HSN digits invoices must show for an
// annual turnover in paise: 4 up to ₹5 crore, 6 above (Notification 78/2020-CT).
func HSNDigitsRequired(annualTurnoverPaise int64) int {
	if annualTurnoverPaise <= 5_00_00_000*100 {
		return 4
	}
	return 6
}
