package gst

import (
	"strconv"
	"time"
)

// DateShown is how a person in India reads a date: 03-12-2026. The books
// store and exchange dates as YYYY-MM-DD; every screen, printout and
// message a person reads writes them with FormatDate.
const DateShown = "02-01-2006"

// FormatDate writes a stored date (YYYY-MM-DD) as dd-mm-yyyy; text that is
// not such a date comes back as it is.
func FormatDate(iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return t.Format(DateShown)
}

// FormatDay writes a moment's date as dd-mm-yyyy.
func FormatDay(t time.Time) string { return t.Format(DateShown) }

// Count writes a number of things with the right word for one or many:
// Count(1, "product", "products") is "1 product", Count(3, …) "3 products".
func Count(n int, one, many string) string {
	if n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + one
	}
	return strconv.Itoa(n) + " " + many
}
