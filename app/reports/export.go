package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

// WriteCSV writes one table as CSV: a header row, the rows and, if the
// table has one, a totals row. Amounts are plain rupees (1234.50).
func WriteCSV(w io.Writer, t *Table) error {
	cw := csv.NewWriter(w)
	rec := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		rec[i] = c.Title
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	write := func(r Row) error {
		for i, c := range t.Columns {
			rec[i] = ""
			if i < len(r) {
				rec[i] = Cell(c.Kind, r[i])
			}
		}
		return cw.Write(rec)
	}
	for _, r := range t.Rows {
		if err := write(r); err != nil {
			return err
		}
	}
	if t.Totals != nil {
		if err := write(t.Totals); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteCSVSection writes one section of a return as its offline-tool CSV
// template: the template's header row and the rows, nothing else.
func WriteCSVSection(w io.Writer, s gst.CSVSection) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(s.Header); err != nil {
		return err
	}
	if err := cw.WriteAll(s.Rows); err != nil {
		return err
	}
	return cw.Error()
}

// CSVPart is one CSV file of a report: a table, or a section of a return
// in the offline tool's template.
type CSVPart struct {
	Name  string // for file names: "b2b", "register"
	Title string // heads the part when several share one file
	Write func(io.Writer) error
}

// CSVParts are the CSV files of a report: a return's offline-tool
// sections (Files) when it has them, else its tables.
func CSVParts(r *Report) []CSVPart {
	var out []CSVPart
	if len(r.Files) > 0 {
		for _, s := range r.Files {
			out = append(out, CSVPart{Name: s.Name, Title: s.Name, Write: func(w io.Writer) error { return WriteCSVSection(w, s) }})
		}
		return out
	}
	for _, t := range r.Tables {
		out = append(out, CSVPart{Name: t.Name, Title: t.Title, Write: func(w io.Writer) error { return WriteCSV(w, t) }})
	}
	return out
}

// WriteCSVAll writes every part of a report (CSVParts) to one file; when
// there are several, each is headed by its title on a line of its own and
// followed by a blank line.
func WriteCSVAll(w io.Writer, r *Report) error {
	parts := CSVParts(r)
	for i, p := range parts {
		if len(parts) > 1 {
			if i > 0 {
				if _, err := io.WriteString(w, "\n"); err != nil {
					return err
				}
			}
			cw := csv.NewWriter(w)
			cw.Write([]string{p.Title})
			cw.Flush()
		}
		if err := p.Write(w); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes a return's portal JSON (GSTR-1, GSTR-3B) or, for other
// reports, the report with each row as an object keyed by column. Amounts
// are numbers in rupees.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if r.Return != nil {
		return enc.Encode(r.Return)
	}
	type table struct {
		Name      string            `json:"name"`
		Title     string            `json:"title"`
		Rows      []json.RawMessage `json:"rows"`
		Totals    json.RawMessage   `json:"totals,omitempty"`
		TotalRows int               `json:"total_rows"`
	}
	out := struct {
		Report   string        `json:"report"`
		Title    string        `json:"title"`
		Business string        `json:"business"`
		GSTIN    string        `json:"gstin,omitempty"`
		Period   Period        `json:"period"`
		Tables   []table       `json:"tables"`
		Warnings []gst.Warning `json:"warnings,omitempty"`
		Notes    []string      `json:"notes,omitempty"`
	}{Report: r.Name, Title: r.Title, Business: r.Business, GSTIN: r.GSTIN, Period: r.Period, Warnings: r.Warnings, Notes: r.Notes}
	for _, t := range r.Tables {
		jt := table{Name: t.Name, Title: t.Title, Rows: make([]json.RawMessage, 0, len(t.Rows)), TotalRows: t.TotalRows}
		for _, row := range t.Rows {
			jt.Rows = append(jt.Rows, rowJSON(t.Columns, row))
		}
		if t.Totals != nil {
			jt.Totals = rowJSON(t.Columns, t.Totals)
		}
		out.Tables = append(out.Tables, jt)
	}
	return enc.Encode(out)
}

func rowJSON(cols []Column, r Row) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	n := 0
	for i, c := range cols {
		if i >= len(r) || r[i] == nil {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		k, _ := json.Marshal(c.Key)
		b.Write(k)
		b.WriteByte(':')
		switch x := r[i].(type) {
		case string:
			v, _ := json.Marshal(x)
			b.Write(v)
		case int64:
			switch c.Kind {
			case Money:
				b.WriteString(gst.FormatAmount(x))
			case Qty:
				b.WriteString(gst.FormatQty(x))
			case Rate, Percent:
				b.WriteString(gst.RateBP(x).String())
			default:
				b.WriteString(itoa(x))
			}
		default:
			v, _ := json.Marshal(x)
			b.Write(v)
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

// sheetName makes a valid, unique Excel sheet name (at most 31 characters,
// none of : \ / ? * [ ]).
func sheetName(name string, used map[string]bool) string {
	s := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, name)
	if s == "" {
		s = "Sheet"
	}
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	base := s
	for i := 2; used[strings.ToLower(s)]; i++ {
		suffix := fmt.Sprintf(" %d", i)
		r := []rune(base)
		if len(r)+len(suffix) > 31 {
			r = r[:31-len(suffix)]
		}
		s = string(r) + suffix
	}
	used[strings.ToLower(s)] = true
	return s
}

// xlsxTables are the sheets of a report's workbook: its tables and, when it
// has warnings, a Warnings sheet.
func xlsxTables(r *Report) []*Table {
	if len(r.Warnings) == 0 {
		return r.Tables
	}
	wt := &Table{Name: "warnings", Title: "Check before filing",
		Columns: []Column{col("code", "Check", Text), col("count", "Count", Count), col("message", "What to do", Text), col("docs", "Documents", Text)}}
	for _, wr := range r.Warnings {
		wt.Rows = append(wt.Rows, Row{wr.Code, int64(wr.Count), wr.Message, strings.Join(wr.Docs, ", ")})
	}
	return append(append([]*Table(nil), r.Tables...), wt)
}

// XLSXSheets is how many sheets WriteXLSX writes for the report.
func XLSXSheets(r *Report) int { return len(xlsxTables(r)) }

// WriteXLSX writes the report as an Excel workbook: one sheet per table
// (title, period, header, rows, totals) and, when the report has warnings,
// a Warnings sheet. Amounts are numbers with two decimals, dates real dates.
func WriteXLSX(w io.Writer, r *Report) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	moneyFmt := "#,##0.00"
	money, err := f.NewStyle(&excelize.Style{CustomNumFmt: &moneyFmt})
	if err != nil {
		return err
	}
	moneyBold, err := f.NewStyle(&excelize.Style{CustomNumFmt: &moneyFmt, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	qtyFmt := "0.###"
	qtyStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &qtyFmt})
	if err != nil {
		return err
	}
	dateFmt := "dd-mm-yyyy"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	used := map[string]bool{}
	first := true
	for _, t := range xlsxTables(r) {
		name := sheetName(t.Name, used)
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		title := t.Title
		if r.Business != "" {
			title = r.Business + " — " + title
		}
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: title}}); err != nil {
			return err
		}
		if err := sw.SetRow("A2", []any{"Period: " + r.Period.Label + " (" + gst.PortalDate(r.Period.From) + " to " + gst.PortalDate(r.Period.To) + ")"}); err != nil {
			return err
		}
		head := make([]any, len(t.Columns))
		for i, c := range t.Columns {
			head[i] = excelize.Cell{StyleID: bold, Value: c.Title}
		}
		if err := sw.SetRow("A4", head); err != nil {
			return err
		}
		cells := make([]any, len(t.Columns))
		put := func(rowNum int, row Row, totals bool) error {
			for i, c := range t.Columns {
				cells[i] = nil
				if i >= len(row) || row[i] == nil {
					continue
				}
				switch x := row[i].(type) {
				case string:
					if c.Kind == Date {
						if d, err := time.Parse(books.DateLayout, x); err == nil {
							cells[i] = excelize.Cell{StyleID: dateStyle, Value: d}
							continue
						}
					}
					if totals {
						cells[i] = excelize.Cell{StyleID: bold, Value: x}
					} else {
						cells[i] = x
					}
				case int64:
					switch c.Kind {
					case Money:
						st := money
						if totals {
							st = moneyBold
						}
						cells[i] = excelize.Cell{StyleID: st, Value: float64(x) / 100}
					case Qty:
						cells[i] = excelize.Cell{StyleID: qtyStyle, Value: float64(x) / 1000}
					case Rate, Percent:
						cells[i] = float64(x) / 100
					default:
						cells[i] = x
					}
				default:
					cells[i] = Cell(c.Kind, x)
				}
			}
			axis, err := excelize.CoordinatesToCellName(1, rowNum)
			if err != nil {
				return err
			}
			return sw.SetRow(axis, cells)
		}
		n := 5
		for _, row := range t.Rows {
			if err := put(n, row, false); err != nil {
				return err
			}
			n++
		}
		if t.Totals != nil {
			if err := put(n, t.Totals, true); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return f.Write(w)
}
