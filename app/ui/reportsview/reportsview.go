// Package reportsview is the Reports screen: pick a report and a date
// range, see its first page in a table (more on demand), look at charts of
// the period (sales per day, collections by payment mode, top products,
// dues by age) and save any report as CSV or Excel, GST returns as JSON
// and the books as Tally XML. Reports run off the UI goroutine; results
// come back through fyne.Do.
package reportsview

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/reports"
)

// PageSize is how many rows the screen asks for at a time.
const PageSize = 100

// Period presets of the date-range picker.
const (
	ThisMonth   = "This month"
	LastMonth   = "Last month"
	ThisQuarter = "This quarter"
	LastQuarter = "Last quarter"
	ThisYear    = "This financial year"
	LastYear    = "Last financial year"
	Custom      = "Custom dates"
)

// Do applies f on the UI goroutine: fyne.Do in the app; tests pass a
// queue they drain on their own goroutine.
type Do func(func())

// View is the Reports screen.
type View struct {
	widget.BaseWidget
	win fyne.Window
	src *reports.Service
	do  Do

	// Used counts a report opened (report.open) or saved as a file
	// (report.export); Failed hears a report that could not be made or
	// saved (the app's usage events and error reports); nil: nobody.
	Used   func(feature string)
	Failed func(err error)

	defs      []reports.Def
	report    *widget.Select
	preset    *widget.Select
	from, to  *DateBox
	party     *widget.Entry
	low       *widget.Check
	show      *widget.Button
	more      *widget.Button
	status    *widget.Label
	warnings  *widget.Label
	tablePick *widget.Select
	table     *widget.Table
	charts    []*BarChart
	tabs      *container.AppTabs
	exportCSV *widget.Button
	exportXL  *widget.Button
	exportJS  *widget.Button
	tally     *widget.Button
	items     *widget.Check // Tally: item invoices with stock items
	root      *fyne.Container

	// State, touched on the UI goroutine only.
	rep     *reports.Report
	cur     *reports.Table
	q       reports.Query
	reqID   int
	loading bool
}

// New makes the Reports screen over src.
func New(win fyne.Window, src *reports.Service) fyne.CanvasObject {
	return NewWithDo(win, src, fyne.Do)
}

// NewWithDo makes the Reports screen, applying results through do.
func NewWithDo(win fyne.Window, src *reports.Service, do Do) *View {
	if do == nil {
		do = fyne.Do
	}
	v := &View{win: win, src: src, defs: reports.Reports(), do: do}
	titles := make([]string, len(v.defs))
	for i, d := range v.defs {
		titles[i] = d.Title
	}
	v.report = widget.NewSelect(titles, func(string) { v.syncOptions() })
	v.report.PlaceHolder = "Pick a report"
	v.from, v.to = NewDateBox(win), NewDateBox(win)
	v.preset = widget.NewSelect([]string{ThisMonth, LastMonth, ThisQuarter, LastQuarter, ThisYear, LastYear, Custom}, v.applyPreset)
	v.party = widget.NewEntry()
	v.party.SetPlaceHolder("Party name or phone")
	v.low = widget.NewCheck("Low stock only", nil)
	v.show = widget.NewButton("Show", v.Run)
	v.show.Importance = widget.HighImportance
	v.more = widget.NewButton("Show more rows", v.loadMore)
	v.more.Hide()
	v.status = widget.NewLabel("Pick a report and the dates, then press Show.")
	v.status.Wrapping = fyne.TextWrapWord
	v.warnings = widget.NewLabel("")
	v.warnings.Wrapping = fyne.TextWrapWord
	v.warnings.Importance = widget.WarningImportance
	v.warnings.Hide()
	v.tablePick = widget.NewSelect(nil, v.pickTable)
	v.tablePick.Hide()
	v.table = widget.NewTableWithHeaders(v.length, v.createCell, v.updateCell)
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	v.table.UpdateHeader = v.updateHeader
	v.exportCSV = widget.NewButton("Save CSV…", func() { v.save("csv") })
	v.exportXL = widget.NewButton("Save Excel…", func() { v.save("xlsx") })
	v.exportJS = widget.NewButton("Save return JSON…", func() { v.save("json") })
	v.tally = widget.NewButton("Tally XML…", v.saveTally)
	v.items = widget.NewCheck("with items", nil)
	for _, b := range []*widget.Button{v.exportCSV, v.exportXL, v.exportJS} {
		b.Disable()
	}
	v.exportJS.Hide()

	v.charts = []*BarChart{NewBarChart("Sales per day", true), NewBarChart("Collections by payment mode", false),
		NewBarChart("Top products", false), NewBarChart("Dues by age", false)}
	chartGrid := container.NewGridWithColumns(2)
	for _, c := range v.charts {
		chartGrid.Add(c)
	}

	v.preset.SetSelected(ThisMonth)
	v.report.SetSelected(v.defs[0].Title)

	controls := container.NewVBox(
		container.NewGridWithColumns(4, v.report, v.preset, v.from, v.to),
		container.NewHBox(v.show, v.party, v.low, v.tablePick, v.exportCSV, v.exportXL, v.exportJS, v.tally, v.items),
		v.status, v.warnings,
	)
	reportTab := container.NewBorder(nil, v.more, nil, nil, v.table)
	v.tabs = container.NewAppTabs(container.NewTabItem("Report", reportTab), container.NewTabItem("Charts", chartGrid))
	v.tabs.OnSelected = func(t *container.TabItem) {
		if t.Text == "Charts" {
			v.loadCharts()
		}
	}
	v.root = container.NewBorder(controls, nil, nil, nil, v.tabs)
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer implements fyne.Widget.
func (v *View) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.root) }

// today is the books' today.
func (v *View) today() time.Time { return v.src.Store().Now() }

// applyPreset fills the date entries for a preset range.
func (v *View) applyPreset(preset string) {
	now := v.today()
	y, m := now.Year(), now.Month()
	fy, q := gst.FYQuarter(now)
	var p reports.Period
	switch preset {
	case ThisMonth:
		p = reports.Month(y, m)
	case LastMonth:
		last := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
		p = reports.Month(last.Year(), last.Month())
	case ThisQuarter:
		p = reports.Quarter(fy, q)
	case LastQuarter:
		if q == 1 {
			p = reports.Quarter(fy-1, 4)
		} else {
			p = reports.Quarter(fy, q-1)
		}
	case ThisYear:
		p = reports.FinancialYear(fy)
	case LastYear:
		p = reports.FinancialYear(fy - 1)
	default:
		return
	}
	f, _ := time.ParseInLocation(books.DateLayout, p.From, time.Local)
	t, _ := time.ParseInLocation(books.DateLayout, p.To, time.Local)
	v.from.SetDate(&f)
	v.to.SetDate(&t)
}

// syncOptions shows the party box and low-stock tick only where they matter.
func (v *View) syncOptions() {
	name := v.selectedName()
	if name == "ledger" {
		v.party.Show()
	} else {
		v.party.Hide()
	}
	if name == "stock" {
		v.low.Show()
	} else {
		v.low.Hide()
	}
	if name == "gstr1" || name == "gstr3b" {
		v.exportJS.Show()
	} else {
		v.exportJS.Hide()
	}
}

func (v *View) selectedName() string {
	i := v.report.SelectedIndex()
	if i < 0 || i >= len(v.defs) {
		return ""
	}
	return v.defs[i].Name
}

// period reads the date range.
func (v *View) period() (reports.Period, error) {
	if v.from.Date == nil || v.to.Date == nil {
		return reports.Period{}, books.Invalid("period", "Pick the first and last date of the report.")
	}
	return reports.Range(v.from.Date.Format(books.DateLayout), v.to.Date.Format(books.DateLayout))
}

// Pick selects the report with this title, as the report list does.
func (v *View) Pick(title string) { v.report.SetSelected(title) }

// Run runs the selected report for the selected dates: the first page.
func (v *View) Run() {
	name := v.selectedName()
	if name == "" {
		v.status.SetText("Pick a report first.")
		return
	}
	p, err := v.period()
	if err != nil {
		v.status.SetText(books.ErrorMessage(err))
		return
	}
	q := reports.Query{Period: p, Limit: PageSize, Party: v.party.Text, LowStock: v.low.Checked}
	v.reqID++
	id := v.reqID
	v.loading = true
	v.show.Disable()
	v.status.SetText("Working out " + v.report.Selected + " for " + p.Label + "…")
	go func() {
		rep, err := v.src.Run(context.Background(), name, q)
		v.do(func() {
			if id != v.reqID {
				return // a newer request replaced this one
			}
			v.loading = false
			v.show.Enable()
			if err != nil {
				v.failed(err)
				v.status.SetText(books.ErrorMessage(err))
				return
			}
			v.q = q
			v.use("report.open")
			v.setReport(rep)
		})
	}()
	if v.tabs.Selected() != nil && v.tabs.Selected().Text == "Charts" {
		v.loadCharts()
	}
}

// setReport shows a report's first table (or the table picked before).
func (v *View) setReport(rep *reports.Report) {
	prev := ""
	if v.cur != nil && v.rep != nil && v.rep.Name == rep.Name {
		prev = v.cur.Name
	}
	v.rep = rep
	var titles []string
	pick := 0
	for i, t := range rep.Tables {
		titles = append(titles, t.Title)
		if t.Name == prev {
			pick = i
		}
	}
	v.tablePick.Options = titles
	if len(titles) > 1 {
		v.tablePick.Show()
	} else {
		v.tablePick.Hide()
	}
	v.showTable(rep.Tables[pick])
	v.tablePick.SetSelectedIndex(pick)
	for _, b := range []*widget.Button{v.exportCSV, v.exportXL, v.exportJS} {
		b.Enable()
	}
	if len(rep.Warnings) > 0 {
		var lines []string
		for _, w := range rep.Warnings {
			l := "• " + w.Message
			if len(w.Docs) > 0 {
				l += " (" + strings.Join(w.Docs, ", ") + ")"
			}
			lines = append(lines, l)
		}
		v.warnings.SetText("Check before filing:\n" + strings.Join(lines, "\n"))
		v.warnings.Show()
	} else {
		v.warnings.Hide()
	}
}

func (v *View) pickTable(title string) {
	if v.rep == nil {
		return
	}
	for _, t := range v.rep.Tables {
		if t.Title == title && t != v.cur {
			v.showTable(t)
		}
	}
}

func (v *View) showTable(t *reports.Table) {
	v.cur = t
	for i, c := range t.Columns {
		w := float32(90)
		switch c.Kind {
		case reports.Text:
			w = 160
			if c.Key == "nature" || c.Key == "item" || c.Key == "section" || c.Key == "type" && len(t.Columns) < 6 {
				w = 320
			}
		case reports.Money:
			w = 120
		case reports.Date:
			w = 100
		}
		if t.Name == "daybook" { // ten columns that fit a 1366-pixel window
			w = map[string]float32{"date": 106, "type": 115, "number": 140, "party": 145, "made_by": 105,
				"amount": 104, "in": 104, "out": 104, "modes": 80, "status": 85}[c.Key]
		}
		if tw := float32(len(c.Title))*8 + 16; tw > w {
			w = tw
		}
		v.table.SetColumnWidth(i, w)
	}
	v.table.Refresh()
	v.table.ScrollToTop()
	v.updateStatus()
}

func (v *View) updateStatus() {
	t := v.cur
	if t == nil {
		return
	}
	msg := fmt.Sprintf("%s — %s: %d rows", v.rep.Title, t.Title, len(t.Rows))
	if t.TotalRows > len(t.Rows) {
		msg = fmt.Sprintf("%s — %s: first %d of %d rows", v.rep.Title, t.Title, len(t.Rows), t.TotalRows)
		v.more.Show()
	} else {
		v.more.Hide()
	}
	if len(t.Rows) == 0 {
		msg = fmt.Sprintf("%s — %s: nothing in this period", v.rep.Title, t.Title)
	}
	for _, n := range v.rep.Notes {
		msg += "\n" + n
	}
	v.status.SetText(msg)
}

// loadMore fetches the next page of the current table.
func (v *View) loadMore() {
	if v.rep == nil || v.cur == nil || v.loading {
		return
	}
	q := v.q
	q.Offset = len(v.cur.Rows)
	name, tname := v.rep.Name, v.cur.Name
	v.loading = true
	v.more.Disable()
	go func() {
		rep, err := v.src.Run(context.Background(), name, q)
		v.do(func() {
			v.loading = false
			v.more.Enable()
			if err != nil {
				v.status.SetText(books.ErrorMessage(err))
				return
			}
			if next := rep.Table(tname); next != nil && v.cur != nil && v.cur.Name == tname {
				v.cur.Rows = append(v.cur.Rows, next.Rows...)
				v.table.Refresh()
				v.updateStatus()
			}
		})
	}()
}

// The table shows the current rows and then the totals row.
func (v *View) length() (int, int) {
	if v.cur == nil {
		return 0, 0
	}
	n := len(v.cur.Rows)
	if v.cur.Totals != nil {
		n++
	}
	return n, len(v.cur.Columns)
}

func (v *View) createCell() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func (v *View) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	t := v.cur
	if t == nil || id.Col < 0 || id.Col >= len(t.Columns) {
		l.SetText("")
		return
	}
	var row reports.Row
	bold := false
	switch {
	case id.Row >= 0 && id.Row < len(t.Rows):
		row = t.Rows[id.Row]
	case id.Row == len(t.Rows) && t.Totals != nil:
		row, bold = t.Totals, true
	}
	text := ""
	c := t.Columns[id.Col]
	if id.Col < len(row) {
		text = reports.Display(c.Kind, row[id.Col])
	}
	align := fyne.TextAlignLeading
	if c.Kind != reports.Text && c.Kind != reports.Date {
		align = fyne.TextAlignTrailing
	}
	if l.Text != text || l.Alignment != align || l.TextStyle.Bold != bold {
		l.Alignment = align
		l.TextStyle.Bold = bold
		l.SetText(text)
	}
}

func (v *View) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if v.cur == nil || id.Col < 0 || id.Col >= len(v.cur.Columns) {
		l.SetText("")
		return
	}
	l.SetText(v.cur.Columns[id.Col].Title)
}

// loadCharts draws the period's charts.
func (v *View) loadCharts() {
	p, err := v.period()
	if err != nil {
		return
	}
	go func() {
		cs, err := v.src.Charts(context.Background(), p)
		v.do(func() {
			if err != nil {
				v.status.SetText(books.ErrorMessage(err))
				return
			}
			for i, c := range cs {
				if i < len(v.charts) {
					v.charts[i].SetData(c)
				}
			}
		})
	}()
}

// save writes the whole report (every row, not just the page) to a file.
func (v *View) save(format string) {
	if v.rep == nil {
		return
	}
	name, q := v.rep.Name, v.q
	q.Offset, q.Limit = 0, 0
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		v.status.SetText("Saving " + w.URI().Name() + "…")
		go func() {
			rep, err := v.src.Run(context.Background(), name, q)
			if err == nil {
				err = writeReport(w, rep, format)
			}
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			v.do(func() {
				if err != nil {
					v.failed(err)
					dialog.ShowError(fmt.Errorf("%s", books.ErrorMessage(err)), v.win)
					return
				}
				v.use("report.export")
				v.status.SetText("Saved " + w.URI().Name() + ".")
			})
		}()
	}, v.win)
	d.SetFileName(fmt.Sprintf("%s-%s-to-%s.%s", name, q.Period.From, q.Period.To, format))
	d.Show()
}

func (v *View) use(feature string) {
	if v.Used != nil {
		v.Used(feature)
	}
}

func (v *View) failed(err error) {
	if v.Failed != nil {
		v.Failed(err)
	}
}

func writeReport(w io.Writer, rep *reports.Report, format string) error {
	switch format {
	case "csv":
		if len(rep.Tables) == 1 {
			return reports.WriteCSV(w, rep.Tables[0])
		}
		return reports.WriteCSVAll(w, rep)
	case "json":
		return reports.WriteJSON(w, rep)
	}
	return reports.WriteXLSX(w, rep)
}

// TallyOptions is what the Tally file will hold: with "with items" ticked,
// item invoices with stock items for an accountant who keeps stock in Tally.
func (v *View) TallyOptions() reports.TallyOptions {
	return reports.TallyOptions{Inventory: v.items.Checked}
}

// saveTally writes the period's books as Tally XML.
func (v *View) saveTally() {
	p, err := v.period()
	if err != nil {
		v.status.SetText(books.ErrorMessage(err))
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		v.status.SetText("Writing Tally XML…")
		opts := v.TallyOptions()
		go func() {
			stats, err := v.src.WriteTally(context.Background(), w, p, opts)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			v.do(func() {
				if err != nil {
					v.failed(err)
					dialog.ShowError(fmt.Errorf("%s", books.ErrorMessage(err)), v.win)
					return
				}
				v.use("report.export")
				v.status.SetText(fmt.Sprintf("Saved %d vouchers and %d ledgers to %s for your accountant.", stats.Vouchers, stats.Ledgers, w.URI().Name()))
			})
		}()
	}, v.win)
	d.SetFileName(fmt.Sprintf("tally-%s-to-%s.xml", p.From, p.To))
	d.Show()
}
