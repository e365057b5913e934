package reportsview

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/reports"
)

// BarChart draws labelled values (paise) as bars with canvas rectangles:
// vertical bars for a series over days, horizontal bars for a ranking.
type BarChart struct {
	widget.BaseWidget
	Title    string
	Labels   []string
	Values   []int64
	Vertical bool
}

// NewBarChart makes an empty chart with a title.
func NewBarChart(title string, vertical bool) *BarChart {
	c := &BarChart{Title: title, Vertical: vertical}
	c.ExtendBaseWidget(c)
	return c
}

// SetData replaces the chart's data and redraws it (call on the UI goroutine).
func (c *BarChart) SetData(ch reports.Chart) {
	c.Labels, c.Values = ch.Labels, ch.Values
	if ch.Title != "" {
		c.Title = ch.Title
	}
	c.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (c *BarChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c, title: canvas.NewText(c.Title, theme.Color(theme.ColorNameForeground)),
		bg: canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))}
	r.title.TextStyle.Bold = true
	r.empty = canvas.NewText("Nothing in this period", theme.Color(theme.ColorNamePlaceHolder))
	r.rebuild()
	return r
}

type chartRenderer struct {
	c      *BarChart
	title  *canvas.Text
	bg     *canvas.Rectangle
	empty  *canvas.Text
	bars   []*canvas.Rectangle
	labels []*canvas.Text
	values []*canvas.Text
	objs   []fyne.CanvasObject
	size   fyne.Size
}

const maxBarsShown = 62

// rebuild makes one rectangle and text pair per value.
func (r *chartRenderer) rebuild() {
	fg := theme.Color(theme.ColorNameForeground)
	n := len(r.c.Values)
	if n > maxBarsShown {
		n = maxBarsShown
	}
	r.bars, r.labels, r.values = r.bars[:0], r.labels[:0], r.values[:0]
	r.objs = []fyne.CanvasObject{r.bg, r.title}
	for i := 0; i < n; i++ {
		bar := canvas.NewRectangle(barColour(i))
		text := r.c.Labels[i]
		if !r.c.Vertical {
			text = shorten(text, 24)
		}
		label := canvas.NewText(text, fg)
		label.TextSize = theme.CaptionTextSize()
		value := canvas.NewText(shortMoney(r.c.Values[i]), fg)
		value.TextSize = theme.CaptionTextSize()
		r.bars = append(r.bars, bar)
		r.labels = append(r.labels, label)
		r.values = append(r.values, value)
		r.objs = append(r.objs, bar, label, value)
	}
	if n == 0 || allZero(r.c.Values) {
		r.objs = append(r.objs, r.empty)
	}
}

func allZero(vs []int64) bool {
	for _, v := range vs {
		if v != 0 {
			return false
		}
	}
	return true
}

func barColour(i int) color.Color {
	if i%2 == 0 {
		return theme.Color(theme.ColorNamePrimary)
	}
	c := theme.Color(theme.ColorNamePrimary)
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0xb0}
}

// shortMoney shows rupees compactly: ₹950, ₹12.5K, ₹3.4L, ₹1.2Cr.
func shortMoney(paise int64) string {
	rs := paise / 100
	neg := ""
	if rs < 0 {
		neg, rs = "-", -rs
	}
	switch {
	case rs >= 1_00_00_000:
		return neg + "₹" + oneDecimal(rs, 1_00_00_000) + "Cr"
	case rs >= 1_00_000:
		return neg + "₹" + oneDecimal(rs, 1_00_000) + "L"
	case rs >= 1_000:
		return neg + "₹" + oneDecimal(rs, 1_000) + "K"
	}
	return neg + "₹" + reports.Cell(reports.Count, rs)
}

// shorten keeps labels of ranked bars to n characters.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func oneDecimal(v, unit int64) string {
	tenths := (v*10 + unit/2) / unit
	s := reports.Cell(reports.Count, tenths/10)
	if d := tenths % 10; d != 0 {
		s += "." + string(rune('0'+d))
	}
	return s
}

func (r *chartRenderer) Layout(size fyne.Size) {
	r.size = size
	pad := theme.Padding()
	r.bg.Resize(size)
	r.bg.Move(fyne.NewPos(0, 0))
	r.title.Move(fyne.NewPos(pad, pad))
	r.title.Resize(r.title.MinSize())
	top := pad*2 + r.title.MinSize().Height
	r.empty.Move(fyne.NewPos(pad, top+pad))
	r.empty.Resize(r.empty.MinSize())
	n := len(r.bars)
	if n == 0 {
		return
	}
	var maxV int64 = 1
	for i := 0; i < n; i++ {
		if v := r.c.Values[i]; v > maxV {
			maxV = v
		}
	}
	area := fyne.NewSize(size.Width-2*pad, size.Height-top-pad)
	if r.c.Vertical {
		textH := r.labels[0].MinSize().Height
		plotH := area.Height - 2*textH - pad
		if plotH < 1 {
			plotH = 1
		}
		slot := area.Width / float32(n)
		every := 1
		for slot*float32(every) < r.labels[0].MinSize().Width+pad && every < n {
			every++
		}
		for i := 0; i < n; i++ {
			v := r.c.Values[i]
			if v < 0 {
				v = 0
			}
			h := plotH * float32(v) / float32(maxV)
			x := pad + slot*float32(i)
			r.bars[i].Move(fyne.NewPos(x+slot*0.1, top+textH+plotH-h))
			r.bars[i].Resize(fyne.NewSize(slot*0.8, h))
			r.labels[i].Hidden = i%every != 0
			r.labels[i].Move(fyne.NewPos(x, top+textH+plotH+pad/2))
			r.labels[i].Resize(r.labels[i].MinSize())
			r.values[i].Hidden = v != maxV // label only the best day
			r.values[i].Move(fyne.NewPos(x, top+textH+plotH-h-textH))
			r.values[i].Resize(r.values[i].MinSize())
		}
		return
	}
	rowH := area.Height / float32(n)
	labelW := area.Width * 0.38
	valueW := float32(0)
	for i := 0; i < n; i++ {
		if w := r.values[i].MinSize().Width; w > valueW {
			valueW = w
		}
	}
	plotW := area.Width - labelW - valueW - 2*pad
	if plotW < 1 {
		plotW = 1
	}
	for i := 0; i < n; i++ {
		v := r.c.Values[i]
		if v < 0 {
			v = 0
		}
		y := top + rowH*float32(i)
		th := r.labels[i].MinSize().Height
		r.labels[i].Hidden = false
		r.labels[i].Move(fyne.NewPos(pad, y+(rowH-th)/2))
		r.labels[i].Resize(fyne.NewSize(labelW, th))
		w := plotW * float32(v) / float32(maxV)
		r.bars[i].Move(fyne.NewPos(pad+labelW+pad, y+rowH*0.15))
		r.bars[i].Resize(fyne.NewSize(w, rowH*0.7))
		r.values[i].Hidden = false
		r.values[i].Move(fyne.NewPos(pad+labelW+pad+w+pad/2, y+(rowH-th)/2))
		r.values[i].Resize(r.values[i].MinSize())
	}
}

func (r *chartRenderer) MinSize() fyne.Size {
	return fyne.NewSize(240, 160)
}

func (r *chartRenderer) Refresh() {
	r.title.Text = r.c.Title
	r.title.Color = theme.Color(theme.ColorNameForeground)
	r.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.rebuild()
	r.Layout(r.size)
	canvas.Refresh(r.c)
}

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *chartRenderer) Destroy() {}
