package ui

import (
	"fmt"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/store"
)

// TodayScreen is the day at a glance: sales, collections by mode,
// expenses, cash in hand and low stock.
type TodayScreen struct {
	screenBase
	a       *App
	Date    *Entry
	sales   *bigLabel
	cash    *bigLabel
	summary *widget.Form
	modes   *widget.Form
	low     *widget.List
	lowRows []store.ProductHit
	msg     *widget.Label
	why     *widget.Label // how sales and collections add up
	Day     store.DaySummary
	// ByStaff is each staff member's takings (books with staff): everyone's
	// for a manager or the owner, a cashier's own for a cashier.
	ByStaff *widget.Form
	byTitle *widget.Label
}

func newTodayScreen(a *App) *TodayScreen {
	s := &TodayScreen{a: a}
	s.Date = a.entry("dd-mm-yyyy")
	s.Date.OnSubmitted = func(string) { s.Reload() }
	s.sales, s.cash = newBigLabel(34), newBigLabel(34)
	s.summary, s.modes = widget.NewForm(), widget.NewForm()
	s.msg = errorText()
	s.low = widget.NewList(func() int { return len(s.lowRows) },
		func() fyne.CanvasObject {
			n := widget.NewLabel("")
			n.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, nil, widget.NewLabel(""), n)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(s.lowRows) {
				return
			}
			h := s.lowRows[id]
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(h.Name)
			c.Objects[1].(*widget.Label).SetText(fmt.Sprintf("%s %s %s / %s %s", L("stock"), gst.FormatQty(h.Stock), h.Unit, L("reorder at"), gst.FormatQty(h.Reorder)))
		})
	refresh := widget.NewButtonWithIcon(L("Refresh"), theme.ViewRefreshIcon(), s.Reload)
	card := func(title string, v *bigLabel) fyne.CanvasObject {
		return widget.NewCard("", title, v)
	}
	top := container.NewBorder(nil, nil, heading(L("Today")), container.NewHBox(container.NewGridWrap(fyne.NewSize(150, 38), s.Date), refresh))
	cards := container.NewGridWithColumns(2, card(L("Sales"), s.sales), card(L("Cash in hand (today)"), s.cash))
	s.why = wrapLabel("")
	s.ByStaff, s.byTitle = widget.NewForm(), boldLabel(L("Collections by staff"))
	s.byTitle.Hide()
	left := container.NewVBox(cards, s.summary, s.why, boldLabel(L("Collections by mode")), s.modes, s.byTitle, s.ByStaff, s.msg)
	right := container.NewBorder(boldLabel(L("Low stock")), nil, nil, nil, s.low)
	split := container.NewHSplit(container.NewVScroll(left), right)
	split.Offset = 0.55
	s.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, split))
	s.ExtendBaseWidget(s)
	return s
}

func (s *TodayScreen) shown() {
	if s.Date.Text == "" {
		s.Date.SetText(gst.FormatDay(s.a.Books.Now()))
	}
	s.Reload()
}

// Reload reads the day again.
func (s *TodayScreen) Reload() {
	t, err := books.ParseDate(s.Date.Text)
	if err != nil {
		setError(s.msg, Message(err))
		return
	}
	date := t.Format(books.DateLayout)
	var day store.DaySummary
	var low []store.ProductHit
	var lowCount int
	var byStaff []store.Collection
	var own bool
	s.a.background(func() error {
		var err error
		if byStaff, own, err = s.a.collectionsFor(s.a.Books.Now()); err != nil || own {
			return err // a cashier sees today's own collections only
		}
		if byStaff, _, err = s.a.collectionsFor(t); err != nil {
			return err
		}
		if day, err = s.a.Books.Day(date); err != nil {
			return err
		}
		if lowCount, err = s.a.Books.CountLowStock(); err != nil {
			return err
		}
		low, err = s.a.Books.ListProducts(store.ProductFilter{LowStock: true, Limit: 200})
		return err
	}, func(err error) {
		if err != nil {
			setError(s.msg, Message(err))
			return
		}
		setError(s.msg, "")
		if s.showByStaff(byStaff, own) {
			return
		}
		s.Day = day
		s.sales.set(gst.FormatINR(day.Sales))
		s.cash.set(gst.FormatINR(day.CashInHand))
		item := func(label, v string) *widget.FormItem {
			l := widget.NewLabel(v)
			l.Alignment = fyne.TextAlignTrailing
			return widget.NewFormItem(label, l)
		}
		s.summary.Items = []*widget.FormItem{
			item(L("Bills"), fmt.Sprint(day.Bills)),
			item(L("Paid at the counter"), gst.FormatINR(day.SalesPaid)),
			item(L("On credit (customers' accounts)"), gst.FormatINR(day.OnCredit)),
			item(L("Received on customers' accounts"), gst.FormatINR(day.Received)),
			item(L("Cancelled bills"), fmt.Sprint(day.Cancelled)),
			item(L("Returns (credit notes)"), gst.FormatINR(day.Returns)),
			item(L("Expenses"), gst.FormatINR(day.Expenses)),
			item(L("Products low on stock"), fmt.Sprint(lowCount)),
		}
		s.summary.Refresh()
		modes := make([]string, 0, len(day.Collections))
		for m := range day.Collections {
			modes = append(modes, m)
		}
		sort.Strings(modes)
		s.modes.Items = nil
		var in int64
		for _, m := range modes {
			s.modes.Items = append(s.modes.Items, item(modeLabel(m), gst.FormatINR(day.Collections[m])))
			in += day.Collections[m]
		}
		if len(modes) > 1 {
			s.modes.Items = append(s.modes.Items, item(L("Total collected"), gst.FormatINR(in)))
		}
		// Sales and collections differ by what went on account and what
		// came in against accounts: say so, in the day's own figures.
		s.why.SetText(fmt.Sprintf(L("Sales %s = %s paid at the counter + %s on credit. Collections = %s paid at the counter + %s received on accounts."),
			gst.FormatINR(day.Sales), gst.FormatINR(day.SalesPaid), gst.FormatINR(day.OnCredit), gst.FormatINR(day.SalesPaid), gst.FormatINR(day.Received)))
		if len(modes) == 0 {
			s.modes.Items = append(s.modes.Items, item(L("none yet"), gst.FormatINR(0)))
		}
		s.modes.Refresh()
		s.lowRows = low
		s.low.Refresh()
	})
}
