package reports

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

// Period is the date range of a report, both ends inclusive.
type Period struct {
	From  string `json:"from"` // YYYY-MM-DD
	To    string `json:"to"`
	FP    string `json:"fp"`    // return period MMYYYY: the month of To (a quarter files as its last month)
	Label string `json:"label"` // for titles: "October 2026", "Q3 2026-27"
}

// Month returns the period of one calendar month.
func Month(year int, month time.Month) Period {
	first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1)
	return Period{From: first.Format(books.DateLayout), To: last.Format(books.DateLayout),
		FP: first.Format("012006"), Label: first.Format("January 2006")}
}

// Quarter returns quarter q (1 = April–June) of the financial year starting in fy.
func Quarter(fy, q int) Period {
	first := gst.FYQuarterStart(fy, q)
	last := first.AddDate(0, 3, -1)
	return Period{From: first.Format(books.DateLayout), To: last.Format(books.DateLayout),
		FP: last.Format("012006"), Label: fmt.Sprintf("Q%d %s (%s–%s)", q, gst.FYLabel(fy), first.Format("Jan"), last.Format("Jan 2006"))}
}

// FinancialYear returns April to March of the year starting in fy.
func FinancialYear(fy int) Period {
	first, last := gst.FYStart(fy), gst.FYEnd(fy)
	return Period{From: first.Format(books.DateLayout), To: last.Format(books.DateLayout),
		FP: last.Format("012006"), Label: "FY " + gst.FYLabel(fy)}
}

// Range returns the period from..to (dates as YYYY-MM-DD or DD-MM-YYYY).
func Range(from, to string) (Period, error) {
	f, err := books.ParseDate(from)
	if err != nil {
		return Period{}, books.Invalid("from", "--from: date %q must look like 2026-10-01.", from)
	}
	t, err := books.ParseDate(to)
	if err != nil {
		return Period{}, books.Invalid("to", "--to: date %q must look like 2026-10-31.", to)
	}
	if t.Before(f) {
		return Period{}, books.Invalid("to", "The period ends (%s) before it starts (%s).", gst.FormatDay(t), gst.FormatDay(f))
	}
	p := Period{From: f.Format(books.DateLayout), To: t.Format(books.DateLayout), FP: t.Format("012006")}
	p.Label = f.Format("02-01-2006") + " to " + t.Format("02-01-2006")
	if m := Month(f.Year(), f.Month()); m.From == p.From && m.To == p.To {
		p.Label = m.Label
	}
	return p, nil
}

// ParsePeriod reads a period: a month as MMYYYY (102026) or YYYY-MM
// (2026-10), a quarter of a financial year as Q3-2026-27 (Q1 is April to
// June), or a financial year as 2026-27 or FY2026-27.
func ParsePeriod(s string) (Period, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	bad := books.Invalid("period", "Period %q is not one I know: use a month like 102026 or 2026-10, a quarter like Q3-2026-27, or a year like 2026-27.", s)
	switch {
	case len(t) == 6 && allDigits(t):
		m, _ := strconv.Atoi(t[:2])
		y, _ := strconv.Atoi(t[2:])
		if m < 1 || m > 12 || y < 2017 {
			return Period{}, bad
		}
		return Month(y, time.Month(m)), nil
	case len(t) == 7 && t[4] == '-' && allDigits(t[:4]) && allDigits(t[5:]) && t[5:] >= "01" && t[5:] <= "12":
		// 2026-10 is a month; 2026-27 (a year) cannot be one.
		y, _ := strconv.Atoi(t[:4])
		m, _ := strconv.Atoi(t[5:])
		if y < 2017 {
			return Period{}, bad
		}
		return Month(y, time.Month(m)), nil
	case strings.HasPrefix(t, "Q") && len(t) >= 2:
		q, err := strconv.Atoi(t[1:2])
		if err != nil || q < 1 || q > 4 {
			return Period{}, bad
		}
		fy, ok := parseFY(strings.TrimPrefix(t[2:], "-"))
		if !ok {
			return Period{}, bad
		}
		return Quarter(fy, q), nil
	default:
		fy, ok := parseFY(strings.TrimPrefix(t, "FY"))
		if !ok {
			return Period{}, bad
		}
		return FinancialYear(fy), nil
	}
}

// parseFY reads 2026-27 (or 2026-2027) into 2026, for years since GST began.
func parseFY(s string) (int, bool) {
	fy, ok := gst.ParseFYLabel(s)
	return fy, ok && fy >= 2017
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// days returns the number of days in the period.
func (p Period) days() int {
	f, _ := time.Parse(books.DateLayout, p.From)
	t, _ := time.Parse(books.DateLayout, p.To)
	return int(t.Sub(f).Hours()/24) + 1
}
