package reports

import (
	"github.com/ainaukar/naukar/app/gst"
)

// Kind says what a column holds and how it is shown.
type Kind int

// Column kinds. Money is paise (int64), Qty thousandths (int64), Count a
// plain int64, Rate basis points (int64), Percent basis points (int64);
// Text and Date are strings (dates YYYY-MM-DD).
const (
	Text Kind = iota
	Date
	Money
	Qty
	Count
	Rate
	Percent
)

// Column is one column of a table.
type Column struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	Kind  Kind   `json:"-"`
}

// Row holds one value per column: string for Text and Date, int64 for the
// numeric kinds, nil for an empty cell.
type Row []any

// Table is one grid of a report (a report may have several: the sections
// of GSTR-1, the parts of P&L).
type Table struct {
	Name    string   `json:"name"` // short, for sheet and file names: "b2b", "register"
	Title   string   `json:"title"`
	Columns []Column `json:"columns"`
	Rows    []Row    `json:"rows"`
	Totals  Row      `json:"totals,omitempty"` // nil: no totals row
	// TotalRows is how many rows the whole table has when Rows is one page.
	TotalRows int `json:"total_rows"`
}

// Report is the result of running a report for a period.
type Report struct {
	Name     string        `json:"report"`
	Title    string        `json:"title"`
	Business string        `json:"business"`
	GSTIN    string        `json:"gstin,omitempty"`
	Period   Period        `json:"period"`
	Tables   []*Table      `json:"tables"`
	Warnings []gst.Warning `json:"warnings,omitempty"`
	Notes    []string      `json:"notes,omitempty"`
	// Return is the portal JSON of a return (GSTR-1, GSTR-3B); nil for
	// other reports.
	Return any `json:"-"`
	// Files is the return laid out as the GSTN offline tool's CSV
	// templates (GSTR-1), one section per file; CSV exports write these
	// instead of the tables.
	Files []gst.CSVSection `json:"-"`
	// Chart holds series for the Reports screen's charts, when the report has one.
	Chart *Chart `json:"-"`
}

// Chart is a simple series of labelled values (paise) to draw.
type Chart struct {
	Title  string
	Labels []string
	Values []int64
}

// Table returns the report's table named name, or nil.
func (r *Report) Table(name string) *Table {
	for _, t := range r.Tables {
		if t.Name == name {
			return t
		}
	}
	return nil
}

func col(key, title string, k Kind) Column { return Column{Key: key, Title: title, Kind: k} }

// Cell formats a value for a screen or CSV: money as 1234.50, quantities
// trimmed (1.5), rates and percents as 18 and 12.5.
func Cell(k Kind, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		switch k {
		case Money:
			return gst.FormatAmount(x)
		case Qty:
			return gst.FormatQty(x)
		case Rate, Percent:
			return gst.RateBP(x).String()
		default:
			return itoa(x)
		}
	case int:
		return itoa(int64(x))
	case bool:
		if x {
			return "Yes"
		}
		return "No"
	}
	return ""
}

// Display formats a value for reading on screen: money with Indian
// grouping (1,23,456.50), rates with a % sign, dates as dd-mm-yyyy.
func Display(k Kind, v any) string {
	if x, ok := v.(string); ok && k == Date {
		return gst.FormatDate(x) // dd-mm-yyyy, as people read dates
	}
	if x, ok := v.(int64); ok {
		switch k {
		case Money:
			return gst.FormatIndianDigits(x)
		case Rate, Percent:
			return gst.RateBP(x).String() + "%"
		}
	}
	return Cell(k, v)
}

func itoa(v int64) string {
	if v == 0 {
		return "0"
	}
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	var b [24]byte
	i := len(b)
	for u > 0 {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// page cuts rows to offset/limit (limit 0: all) and records the total.
func page(t *Table, offset, limit int) {
	t.TotalRows = len(t.Rows)
	if offset > len(t.Rows) {
		offset = len(t.Rows)
	}
	t.Rows = t.Rows[offset:]
	if limit > 0 && limit < len(t.Rows) {
		t.Rows = t.Rows[:limit]
	}
}

// pct returns part/whole in basis points (12.5% = 1250), 0 when whole is 0.
func pct(part, whole int64) int64 {
	if whole == 0 {
		return 0
	}
	return gst.RoundDiv(part*10000, whole)
}
