package reportsview

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

// DateBox is a date typed as dd-mm-yyyy, the one format the app shows
// dates in (Fyne's date entry follows the system locale: 01/12/2026), with
// a calendar to pick from.
type DateBox struct {
	widget.BaseWidget
	Entry *widget.Entry
	// Date is the date typed or picked; nil while the text is not a date.
	Date *time.Time
	btn  *widget.Button
	win  fyne.Window
	cal  *widget.PopUp
}

// NewDateBox makes an empty DateBox; win is where its calendar opens.
func NewDateBox(win fyne.Window) *DateBox {
	d := &DateBox{Entry: widget.NewEntry(), win: win}
	d.Entry.SetPlaceHolder("dd-mm-yyyy")
	d.Entry.Validator = func(s string) error {
		_, err := books.ParseDate(s)
		return err
	}
	d.Entry.OnChanged = func(s string) {
		if t, err := books.ParseDate(s); err == nil {
			d.Date = &t
		} else {
			d.Date = nil
		}
	}
	d.btn = widget.NewButtonWithIcon("", theme.CalendarIcon(), d.showCalendar)
	d.btn.Importance = widget.LowImportance
	d.ExtendBaseWidget(d)
	return d
}

// SetDate shows t (nil empties the box).
func (d *DateBox) SetDate(t *time.Time) {
	if t == nil {
		d.Entry.SetText("")
		return
	}
	d.Entry.SetText(gst.FormatDay(*t))
}

func (d *DateBox) showCalendar() {
	start := time.Now()
	if d.Date != nil {
		start = *d.Date
	}
	cal := widget.NewCalendar(start, func(t time.Time) {
		d.SetDate(&t)
		if d.cal != nil {
			d.cal.Hide()
		}
	})
	d.cal = widget.NewPopUp(cal, d.win.Canvas())
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(d)
	d.cal.ShowAtPosition(pos.Add(fyne.NewPos(0, d.Size().Height)))
}

// CreateRenderer implements fyne.Widget.
func (d *DateBox) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, d.btn, d.Entry))
}
