package reportsview_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/ui/reportsview"
)

// shop makes books with a few sales this month (the books' today is
// 15-10-2026) to a walk-in and to a registered customer.
func shop(t *testing.T) *reports.Service {
	t.Helper()
	now := time.Date(2026, 10, 15, 11, 0, 0, 0, time.Local)
	st, err := store.Open(filepath.Join(t.TempDir(), "books.db"), store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Init(books.Business{Name: "Screen Stores", GSTIN: "27AAPFU0939F1ZV", StateCode: "27", InvoicePrefix: "SS"}); err != nil {
		t.Fatal(err)
	}
	id, err := st.SaveProduct(books.Product{Name: "Tea 250g", SKU: "T1", HSN: "0902", Unit: "PCS", SalePrice: 120_00, PurchasePrice: 90_00, GSTRate: 500, OpeningStock: 50_000})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := st.Product(id)
	for i, party := range []*books.PartySnapshot{nil, {Name: "Reddy Traders", GSTIN: "29AABCR1718E1ZL"}, nil} {
		d := &books.SaleDraft{Date: now.AddDate(0, 0, -i), Party: party, Lines: []books.DraftLine{{ProductID: id, Product: p, Qty: int64(i+1) * 1000}}}
		if party != nil {
			d.Payments = []books.PaymentPart{{Mode: books.ModeCredit}}
		}
		if _, err := st.CreateSale(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	return reports.New(st)
}

func all[T any](w fyne.Window) []T {
	var out []T
	for _, o := range test.LaidOutObjects(w.Content()) {
		if x, ok := o.(T); ok {
			out = append(out, x)
		}
	}
	return out
}

func button(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	for _, b := range all[*widget.Button](w) {
		if b.Text == text {
			return b
		}
	}
	t.Fatalf("no %q button", text)
	return nil
}

// uiQueue stands in for the UI goroutine: reports run off it and hand
// their results here; the test goroutine runs them, as the app's event
// loop would.
type uiQueue chan func()

func (q uiQueue) do(f func()) { q <- f }

// waitFor runs queued UI work until cond holds.
func (q uiQueue) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for drained := false; !drained; {
			select {
			case f := <-q:
				f()
			default:
				drained = true
			}
		}
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func open(t *testing.T) (fyne.Window, uiQueue) {
	t.Helper()
	test.NewTempApp(t)
	svc := shop(t)
	q := make(uiQueue, 64)
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	w.SetContent(reportsview.NewWithDo(w, svc, q.do))
	w.Resize(fyne.NewSize(1200, 800))
	return w, q
}

func labelTexts(w fyne.Window) string {
	var b strings.Builder
	for _, l := range all[*widget.Label](w) {
		b.WriteString(l.Text + "\n")
	}
	return b.String()
}

// TestPickReportSeesRows picks the sales register like a user, presses
// Show and sees the bills of the month in the table.
func TestPickReportSeesRows(t *testing.T) {
	w, q := open(t)

	var pick *widget.Select
	for _, s := range all[*widget.Select](w) {
		for _, o := range s.Options {
			if o == "Sales register" {
				pick = s
			}
		}
	}
	if pick == nil {
		t.Fatal("no report picker")
	}
	pick.SetSelected("Sales register")
	var used []string // the app's usage events: a report opened
	w.Content().(*reportsview.View).Used = func(f string) { used = append(used, f) }
	test.Tap(button(t, w, "Show"))

	var table *widget.Table
	q.waitFor(t, "the sales register's rows", func() bool {
		tables := all[*widget.Table](w)
		if len(tables) == 0 || tables[0].Length == nil {
			return false
		}
		table = tables[0]
		rows, cols := table.Length()
		return rows == 4 && cols == 14 // three bills and the totals row
	})
	q.waitFor(t, "the status", func() bool { return strings.Contains(labelTexts(w), "Sales register: 3 rows") })
	// Read the cells as the table renders them.
	var cells []string
	rows, cols := table.Length()
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			o := table.CreateCell()
			table.UpdateCell(widget.TableCellID{Row: r, Col: c}, o)
			cells = append(cells, o.(*widget.Label).Text)
		}
	}
	text := strings.Join(cells, "|") + labelTexts(w)
	for _, want := range []string{"SSA-2627-1", "SSA-2627-2", "Reddy Traders", "Total", "Date", "Taxable value"} {
		if !strings.Contains(text, want) {
			t.Errorf("table shows no %q: %s", want, text)
		}
	}
	if strings.Join(used, " ") != "report.open" {
		t.Errorf("usage events %v, want report.open", used)
	}
}

// TestGSTR1ShowsWarningsAndSections runs GSTR-1 and sees its section
// summary first and a table picker for the sections.
func TestGSTR1ShowsWarningsAndSections(t *testing.T) {
	w, q := open(t)
	// GSTR-1 is the first report: Show runs it for this month.
	test.Tap(button(t, w, "Show"))
	q.waitFor(t, "the GSTR-1 summary", func() bool { return strings.Contains(labelTexts(w), "Sections of GSTR-1") })
	var picker *widget.Select
	for _, s := range all[*widget.Select](w) {
		for _, o := range s.Options {
			if o == "B2B invoices" {
				picker = s
			}
		}
	}
	if picker == nil {
		t.Fatal("no section picker")
	}
	picker.SetSelected("B2B invoices")
	q.waitFor(t, "the b2b table", func() bool { return strings.Contains(labelTexts(w), "B2B invoices: 1 rows") })
}

// TestChartsTab opens the charts and sees the sales per day drawn.
func TestChartsTab(t *testing.T) {
	w, q := open(t)
	for _, o := range test.LaidOutObjects(w.Content()) {
		if at, ok := o.(*container.AppTabs); ok {
			at.SelectIndex(1)
		}
	}
	q.waitFor(t, "the charts", func() bool {
		for _, c := range all[*reportsview.BarChart](w) {
			if c.Title == "Sales per day" && len(c.Values) == 31 {
				var sum int64
				for _, v := range c.Values {
					sum += v
				}
				return sum > 0
			}
		}
		return false
	})
}

// TestTallyWithItems ticks "with items" beside the Tally button, as an
// owner whose accountant keeps stock in Tally would: the file then holds
// item invoices with stock items.
func TestTallyWithItems(t *testing.T) {
	test.NewTempApp(t)
	svc := shop(t)
	q := make(uiQueue, 64)
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	v := reportsview.NewWithDo(w, svc, q.do)
	w.SetContent(v)
	w.Resize(fyne.NewSize(1200, 800))
	if v.TallyOptions().Inventory {
		t.Fatal("items are on before the box is ticked")
	}
	var items *widget.Check
	for _, c := range all[*widget.Check](w) {
		if c.Text == "with items" {
			items = c
		}
	}
	if items == nil {
		t.Fatal(`no "with items" box`)
	}
	test.Tap(items)
	if !v.TallyOptions().Inventory {
		t.Fatal("ticking the box does not ask for items")
	}
	p, err := reports.ParsePeriod("102026")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	stats, err := svc.WriteTally(context.Background(), &buf, p, v.TallyOptions())
	if err != nil || stats.StockItems != 1 || !bytes.Contains(buf.Bytes(), []byte("<STOCKITEMNAME>Tea 250g</STOCKITEMNAME>")) {
		t.Errorf("stats %+v, %v", stats, err)
	}
}
