package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Entry is the app's text box: a widget.Entry whose keys pass through the
// app first (Esc closes the open dialog) and then through OnKey (arrow keys in the
// item box and the bill grid) before the entry itself sees them.
type Entry struct {
	widget.Entry
	OnKey func(*fyne.KeyEvent) bool // true: handled
	hook  func(*Entry, *fyne.KeyEvent) bool
}

// NewEntry makes an Entry; hook is the app-wide key hook (may be nil).
func NewEntry(hook func(*Entry, *fyne.KeyEvent) bool) *Entry {
	e := &Entry{hook: hook}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey implements fyne.Focusable.
func (e *Entry) TypedKey(k *fyne.KeyEvent) {
	if e.hook != nil && e.hook(e, k) {
		return
	}
	if e.OnKey != nil && e.OnKey(k) {
		return
	}
	e.Entry.TypedKey(k)
}

// TipButton is a button whose tooltip (its action's key) appears on hover.
// The tip shows in the window's hint line, not in a pop-up: a pop-up would
// take the keyboard from the item box while the scanner is typing.
type TipButton struct {
	widget.Button
	Tip string
}

// ShowTip is where tooltips appear (the app's hint line); "" hides it.
var ShowTip = func(string) {}

// NewTipButton makes a button labelled with text whose tooltip is tip.
func NewTipButton(text, tip string, icon fyne.Resource, tapped func()) *TipButton {
	b := &TipButton{Tip: tip}
	b.Text, b.Icon, b.OnTapped = text, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// ActionButton is a TipButton for an action: its label and key tooltip come
// from Shortcuts.
func ActionButton(a Action, text string, icon fyne.Resource, tapped func()) *TipButton {
	if text == "" {
		text = L(ShortcutFor(a).Label)
	}
	return NewTipButton(text, Hint(a), icon, tapped)
}

// MouseIn shows the tooltip.
func (b *TipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	ShowTip(b.Tip)
}

// MouseOut hides the tooltip.
func (b *TipButton) MouseOut() {
	b.Button.MouseOut()
	ShowTip("")
}

// errorText is a red line of plain words shown next to a field.
func errorText() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// setError shows msg in l in red, or hides l when msg is "".
func setError(l *widget.Label, msg string) {
	setImportance(l, widget.DangerImportance)
	showText(l, msg)
}

// setNote shows msg in l as news rather than a problem ("" hides l).
func setNote(l *widget.Label, msg string) {
	setImportance(l, widget.HighImportance)
	showText(l, msg)
}

func setImportance(l *widget.Label, imp widget.Importance) {
	if l.Importance != imp {
		l.Importance = imp
		l.Refresh()
	}
}

func showText(l *widget.Label, msg string) {
	setText(l, msg)
	if msg == "" && l.Visible() {
		l.Hide()
	} else if msg != "" && !l.Visible() {
		l.Show()
	}
}

// setText changes a label only when its text changes: measuring and
// shaping text is the costly part of redrawing the bill.
func setText(l *widget.Label, s string) {
	if l.Text != s {
		l.SetText(s)
	}
}

// bigText is large bold text for totals.
func bigText(size float32) *canvas.Text {
	t := canvas.NewText("", theme.Color(theme.ColorNameForeground))
	t.TextStyle = fyne.TextStyle{Bold: true}
	t.TextSize = size
	t.Alignment = fyne.TextAlignTrailing
	return t
}

// heading is a screen title.
func heading(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// screenBase makes a screen a custom widget around its content. A screen
// type embeds it and calls ExtendBaseWidget on itself.
type screenBase struct {
	widget.BaseWidget
	content fyne.CanvasObject
}

// CreateRenderer implements fyne.Widget.
func (s *screenBase) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.content)
}

// worker runs slow work (SQL, files) off the UI goroutine, one job at a
// time in order, so a burst of scans adds lines in the order they came.
type worker struct{ jobs chan func() }

func newWorker() *worker {
	w := &worker{jobs: make(chan func(), 256)}
	go func() {
		for j := range w.jobs {
			j()
		}
	}()
	return w
}

func (w *worker) run(j func()) { w.jobs <- j }

// rect is a filled rectangle (separators, highlights).
func rect(c color.Color) *canvas.Rectangle { return canvas.NewRectangle(c) }

// bigLabel is large bold right-aligned text (totals) that follows the
// theme's foreground colour in light and dark mode.
type bigLabel struct {
	widget.BaseWidget
	Text string
	size float32
}

func newBigLabel(size float32) *bigLabel {
	b := &bigLabel{size: size}
	b.ExtendBaseWidget(b)
	return b
}

func (b *bigLabel) set(s string) {
	if b.Text != s {
		b.Text = s
		b.Refresh()
	}
}

// CreateRenderer implements fyne.Widget.
func (b *bigLabel) CreateRenderer() fyne.WidgetRenderer {
	t := bigText(b.size)
	r := &bigLabelRenderer{b: b, t: t}
	r.Refresh()
	return r
}

type bigLabelRenderer struct {
	b *bigLabel
	t *canvas.Text
}

func (r *bigLabelRenderer) Layout(s fyne.Size) { r.t.Resize(s) }
func (r *bigLabelRenderer) MinSize() fyne.Size { return r.t.MinSize() }
func (r *bigLabelRenderer) Refresh() {
	r.t.Text = r.b.Text
	r.t.Color = theme.Color(theme.ColorNameForeground)
	r.t.Refresh()
}
func (r *bigLabelRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.t} }
func (r *bigLabelRenderer) Destroy()                     {}

// wrapLabel is a word-wrapped label.
func wrapLabel(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// pickList is a short list picked from with the keyboard: Up and Down move
// the highlight, Enter (or Space, or a click) picks; other keys go to the
// app's key hook first (Esc closes the dialog it is in).
type pickList struct {
	widget.List
	items []string
	sel   int
	pick  func(int)
	hook  func(*Entry, *fyne.KeyEvent) bool
}

func newPickList(items []string, pick func(int), hook func(*Entry, *fyne.KeyEvent) bool) *pickList {
	l := &pickList{items: items, pick: pick, hook: hook}
	l.Length = func() int { return len(l.items) }
	l.CreateItem = func() fyne.CanvasObject { return widget.NewLabel("") }
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		if id < 0 || id >= len(l.items) {
			return
		}
		lb := o.(*widget.Label)
		lb.TextStyle.Bold = id == l.sel
		lb.SetText(l.items[id])
	}
	l.OnSelected = func(id widget.ListItemID) { l.pick(id) }
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey implements fyne.Focusable.
func (l *pickList) TypedKey(k *fyne.KeyEvent) {
	if l.hook != nil && l.hook(nil, k) {
		return
	}
	switch k.Name {
	case fyne.KeyDown, fyne.KeyUp:
		// The list moves its own focus highlight; sel follows it.
		l.List.TypedKey(k)
		if k.Name == fyne.KeyDown && l.sel < len(l.items)-1 {
			l.sel++
		} else if k.Name == fyne.KeyUp && l.sel > 0 {
			l.sel--
		}
		l.Refresh()
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		if l.sel < len(l.items) {
			l.pick(l.sel)
		}
	default:
		l.List.TypedKey(k)
	}
}
