package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/printing"
	"github.com/ainaukar/naukar/app/store"
)

// searchDelay waits for a pause in typing before searching.
var searchDelay = 120 * time.Millisecond

// BillingScreen is the home screen: item box, bill grid, customer, totals
// and payment. It shows what its Bill says and saves through the books.
type BillingScreen struct {
	screenBase
	a    *App
	Bill *Bill

	ItemBox  *Entry
	itemMsg  *widget.Label // unknown barcode, stock warnings
	hits     []store.ProductHit
	hitSel   int
	hitMoved bool
	hitQuery string
	results  *widget.List
	resultsC *fyne.Container
	searchN  int
	timer    *time.Timer

	rows    []*lineRow
	linesC  *fyne.Container
	lineMsg *widget.Label
	scroll  *container.Scroll
	syncing bool

	CustomerBox *Entry
	custHits    []store.PartyHit
	custSel     int
	custList    *widget.List
	custListC   *fyne.Container
	custLabel   *widget.Label
	custClear   *widget.Button
	custN       int
	terms       *termsPicker // GST terms: export, SEZ, reverse charge (supply.go)

	taxRows     map[string]*taxRow
	right       *fyne.Container // the totals and payment column, laid out again when tax rows show or hide
	rightScroll *container.Scroll
	taxBox      *fyne.Container
	total       *bigLabel
	words       *widget.Label

	Cash, UPI, Card *Entry
	payLabels       [3]*widget.Label
	Credit          *widget.Check
	change          *bigLabel
	payMsg          *widget.Label
	saveBtn         *TipButton
	recallBtn       *TipButton

	held    []HeldBill
	lastInv string
	saving  int
}

func newBillingScreen(a *App) *BillingScreen {
	s := &BillingScreen{a: a, Bill: NewBill(a.Biz, a.Books.Now)}

	// Item box and live matches.
	s.ItemBox = a.entry(L("Scan a barcode, or type an SKU or name, then Enter"))
	s.ItemBox.TextStyle = fyne.TextStyle{Bold: true}
	s.ItemBox.OnChanged = s.itemChanged
	s.ItemBox.OnSubmitted = func(string) { s.submitItem() }
	s.ItemBox.OnKey = s.itemKey
	s.itemMsg = errorText()
	s.results = widget.NewList(func() int { return len(s.hits) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			info := widget.NewLabel("")
			return container.NewBorder(nil, nil, nil, info, name)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(s.hits) {
				return
			}
			h := s.hits[id]
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(h.Name)
			stock := L("stock") + " " + gst.FormatQty(h.Stock)
			if s.a.stockLoading() {
				stock = L("stock still loading")
			}
			c.Objects[1].(*widget.Label).SetText(fmt.Sprintf("%s   %s   %s", h.SKU, gst.FormatINR(h.SalePrice), stock))
		})
	s.results.OnSelected = func(id widget.ListItemID) { s.hitSel = id }
	resultsBg := rect(theme.Color(theme.ColorNameMenuBackground))
	s.resultsC = container.NewStack(resultsBg, s.results)
	s.resultsC.Hide()

	// The bill grid.
	s.linesC = container.NewVBox()
	s.lineMsg = errorText()
	s.scroll = container.NewVScroll(s.linesC)
	head := gridRow(boldLabel("#"), boldLabel(L("Item")), boldLabel(L("Qty")), boldLabel(L("Price")), boldLabel(L("Disc")), boldLabel(L("GST")), boldLabel(L("Amount")), widget.NewLabel(""))
	linesArea := container.NewStack(container.NewBorder(head, s.lineMsg, nil, nil, s.scroll),
		container.NewBorder(container.NewGridWrap(fyne.NewSize(10, 0)), nil, nil, nil, container.NewGridWithRows(2, s.resultsC, layout.NewSpacer())))
	itemLabel := boldLabel(L("Item"))
	left := container.NewBorder(container.NewVBox(container.NewBorder(nil, nil, itemLabel, nil, s.ItemBox), s.itemMsg), nil, nil, nil, linesArea)

	// Customer.
	s.CustomerBox = a.entry(L("Name or phone"))
	s.CustomerBox.OnChanged = s.customerChanged
	s.CustomerBox.OnSubmitted = func(string) { s.submitCustomer() }
	s.CustomerBox.OnKey = s.customerKey
	s.custList = widget.NewList(func() int { return len(s.custHits) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(s.custHits) {
				h := s.custHits[id]
				o.(*widget.Label).SetText(fmt.Sprintf("%s  %s  %s", h.Name, h.Phone, balanceText(h.Balance)))
			}
		})
	s.custList.OnSelected = func(id widget.ListItemID) { s.custSel = id }
	// The matches open over the totals (not above them), so the column
	// keeps its height while a name is typed.
	s.custListC = container.NewGridWrap(fyne.NewSize(380, 150), container.NewStack(rect(theme.Color(theme.ColorNameMenuBackground)), s.custList))
	s.custListC.Hide()
	s.custLabel = widget.NewLabel(L("Walk-in customer"))
	s.custLabel.Truncation = fyne.TextTruncateEllipsis
	s.custClear = widget.NewButton(L("Walk-in"), func() { s.pickParty(nil, 0) })
	s.custClear.Hide()
	custBox := container.NewBorder(nil, nil, boldLabel(L("Customer")), NewTipButton("", Hint(ActCustomer)+" · "+L("new customer"), theme.ContentAddIcon(), func() { s.addCustomer(s.CustomerBox.Text) }), s.CustomerBox)
	custWho := container.NewBorder(nil, nil, nil, s.custClear, s.custLabel)

	// Totals, two to a row: every head fits at 1366×768.
	s.taxRows = map[string]*taxRow{}
	s.taxBox = container.NewGridWithColumns(2)
	for _, k := range []string{"Taxable value", "Round off", "CGST", "SGST", "UTGST", "IGST", "Cess"} {
		r := newTaxRow(L(k))
		s.taxRows[k] = r
		s.taxBox.Add(r.obj)
	}
	s.total = newBigLabel(40)
	s.words = widget.NewLabel("")
	s.words.Wrapping = fyne.TextWrapWord
	s.words.SizeName = theme.SizeNameCaptionText
	totalRow := container.NewBorder(nil, nil, boldLabel(L("Grand total")), nil, s.total)

	// Payment: the three modes on one row.
	s.Cash = a.entry(L("cash"))
	s.UPI = a.entry("0")
	s.Card = a.entry("0")
	for _, e := range []*Entry{s.Cash, s.UPI, s.Card} {
		e.OnChanged = func(string) { s.tenderChanged() }
		e.OnSubmitted = func(string) { s.a.Run(ActSaveBill) }
	}
	s.Credit = widget.NewCheck(L("Rest on credit (customer's account)"), func(bool) { s.tenderChanged() })
	s.change = newBigLabel(28)
	s.payMsg = errorText()
	mode := func(i int, label string, e *Entry) fyne.CanvasObject {
		s.payLabels[i] = boldLabel(label)
		return container.NewBorder(nil, nil, s.payLabels[i], nil, e)
	}
	pay := container.NewGridWithColumns(3, mode(PayCash, L("Cash"), s.Cash), mode(PayUPI, L("UPI"), s.UPI), mode(PayCard, L("Card"), s.Card))
	changeRow := container.NewBorder(nil, nil, boldLabel(L("Change to return")), nil, s.change)

	s.saveBtn = ActionButton(ActSaveBill, Hint(ActSaveBill), theme.DocumentSaveIcon(), func() { s.a.Run(ActSaveBill) })
	s.saveBtn.Importance = widget.HighImportance
	short := func(a Action, text string, icon fyne.Resource) *TipButton {
		return ActionButton(a, text+"  "+ShortcutFor(a).KeyText(), icon, func() { s.a.Run(a) })
	}
	hold := short(ActHoldBill, L("Hold"), theme.MediaPauseIcon())
	s.recallBtn = short(ActRecallBill, L("Recall"), theme.MediaPlayIcon())
	newBill := short(ActNewBill, L("New"), theme.ContentClearIcon())
	last := short(ActLastBill, L("Last bill"), theme.HistoryIcon())
	buttons := container.NewVBox(s.saveBtn, container.NewGridWithColumns(2, hold, s.recallBtn, newBill, last))

	s.terms = newTermsPicker(s)
	below := container.NewVBox(custWho, s.terms.obj, widget.NewSeparator(), s.taxBox, totalRow, s.words, widget.NewSeparator(),
		pay, s.Credit, changeRow, s.payMsg)
	right := container.NewVBox(custBox, container.NewStack(below, container.NewVBox(s.custListC)))
	s.right = right
	s.rightScroll = container.NewVScroll(right)
	rightW := container.NewBorder(nil, buttons, widget.NewSeparator(), nil, s.rightScroll)
	split := container.NewHSplit(left, rightW)
	split.Offset = 0.6
	s.content = container.NewPadded(split)
	s.ExtendBaseWidget(s)
	s.loadHeld()
	s.refresh()
	return s
}

func (s *BillingScreen) shown() { s.focusItemBox() }

func (s *BillingScreen) focusItemBox() {
	s.a.focus(s.ItemBox)
}

// handle runs a billing action.
func (s *BillingScreen) handle(act Action) bool {
	switch act {
	case ActNewBill:
		if !s.Bill.Empty() {
			s.confirmDiscard()
			return true
		}
		s.clear()
	case ActSaveBill:
		s.Save()
	case ActHoldBill:
		s.Hold()
	case ActRecallBill:
		s.showRecall()
	case ActLastBill:
		s.showLast()
	case ActDeleteLine:
		s.deleteFocusedLine()
	case ActCustomer:
		s.a.focus(s.CustomerBox)
	case ActPayment:
		s.a.focus(s.Cash)
	case ActItemBox:
		s.focusItemBox()
	default:
		return false
	}
	return true
}

// ---- item box ----

func (s *BillingScreen) itemChanged(text string) {
	setError(s.itemMsg, "")
	q := strings.TrimSpace(text)
	if s.timer != nil {
		s.timer.Stop()
	}
	if q == "" || !hasLetter(q) && len(q) >= 6 {
		// Empty, or digits like a barcode being scanned: no live matches.
		s.showHits(nil, "")
		return
	}
	s.searchN++
	n := s.searchN
	_, code := ParseQtyCode(q)
	s.timer = time.AfterFunc(searchDelay, func() {
		hits, err := s.a.Books.SearchProducts(code, 12)
		s.a.opt.Do(func() {
			if n != s.searchN || err != nil {
				return
			}
			s.showHits(hits, q)
		})
	})
}

func digitCount(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func (s *BillingScreen) showHits(hits []store.ProductHit, q string) {
	s.hits, s.hitQuery, s.hitSel, s.hitMoved = hits, q, 0, false
	if len(hits) == 0 {
		s.resultsC.Hide()
		return
	}
	s.results.Refresh()
	s.results.Select(0)
	s.results.ScrollToTop()
	s.resultsC.Show()
}

// Hits are the live matches shown under the item box.
func (s *BillingScreen) Hits() []store.ProductHit {
	if !s.resultsC.Visible() {
		return nil
	}
	return s.hits
}

func (s *BillingScreen) itemKey(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyDown, fyne.KeyUp:
		if len(s.Hits()) == 0 {
			if k.Name == fyne.KeyUp && len(s.rows) > 0 {
				s.a.focus(s.rows[len(s.rows)-1].qty)
				return true
			}
			return false
		}
		d := 1
		if k.Name == fyne.KeyUp {
			d = -1
		}
		s.hitSel = (s.hitSel + d + len(s.hits)) % len(s.hits)
		s.hitMoved = true
		s.results.Select(s.hitSel)
		s.results.ScrollTo(s.hitSel)
		return true
	case fyne.KeyEscape:
		if s.ItemBox.Text != "" || s.resultsC.Visible() {
			s.ItemBox.SetText("")
			s.showHits(nil, "")
			return true
		}
	}
	return false
}

// submitItem adds what the item box holds: an exact barcode or SKU (again:
// one more), else the highlighted live match, else the best match by name.
func (s *BillingScreen) submitItem() {
	text := strings.TrimSpace(s.ItemBox.Text)
	if text == "" {
		if !s.Bill.Empty() {
			s.a.focus(s.Cash)
		}
		return
	}
	qty, code := ParseQtyCode(text)
	picked := ""
	if hits := s.Hits(); len(hits) > 0 && s.hitQuery == text && s.hitSel < len(hits) && (s.hitMoved || hasLetter(code)) {
		picked = hits[s.hitSel].ID
	}
	s.searchN++ // late matches for this text are stale now
	if s.timer != nil {
		s.timer.Stop()
	}
	s.ItemBox.SetText("")
	s.showHits(nil, "")
	var p books.Product
	var stock int64
	s.a.background(func() error {
		var err error
		if picked != "" {
			p, err = s.a.Books.Product(picked)
		} else {
			p, err = s.a.Books.ProductByCode(code)
			if books.ErrorCode(err) == books.ENOTFOUND && hasLetter(code) {
				if hits, e := s.a.Books.SearchProducts(code, 1); e == nil && len(hits) > 0 {
					p, err = s.a.Books.Product(hits[0].ID)
				}
			}
		}
		if err != nil {
			return err
		}
		stock, err = s.a.Books.StockOnHand(p.ID)
		if s.a.stockLoading() {
			stock = unknownStock
		}
		return err
	}, func(err error) {
		if err != nil {
			if books.ErrorCode(err) == books.ENOTFOUND {
				setError(s.itemMsg, fmt.Sprintf(L("No product has the barcode or SKU %q. Type part of the name to search, or add it in Products (Alt+3)."), code))
			} else {
				setError(s.itemMsg, Message(err))
			}
			return
		}
		s.AddProduct(p, qty, stock)
	})
}

// AddProduct puts a product on the bill (as a scan does) and re-totals.
func (s *BillingScreen) AddProduct(p books.Product, qty, stock int64) {
	i, warn := s.Bill.Add(p, qty, stock)
	s.refresh()
	setError(s.itemMsg, warn)
	if i < len(s.rows) {
		s.scroll.ScrollToBottom()
	}
}

// ---- the grid ----

type lineRow struct {
	obj                   fyne.CanvasObject
	n, name, rate, amount *widget.Label
	qty, price, disc      *Entry
}

func gridRow(n, name, qty, price, disc, rate, amount, del fyne.CanvasObject) fyne.CanvasObject {
	cell := func(w float32, o fyne.CanvasObject) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(w, 38), o)
	}
	right := container.NewHBox(cell(64, qty), cell(92, price), cell(60, disc), cell(50, rate), cell(92, amount), cell(36, del))
	return container.NewBorder(nil, nil, cell(30, n), right, name)
}

func boldLabel(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

func (s *BillingScreen) newRow() *lineRow {
	r := &lineRow{n: widget.NewLabel(""), name: widget.NewLabel(""), rate: widget.NewLabel(""), amount: widget.NewLabel("")}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.amount.Alignment = fyne.TextAlignTrailing
	r.qty, r.price, r.disc = s.a.entry(""), s.a.entry(""), s.a.entry("0")
	idx := len(s.rows)
	for col, e := range []*Entry{r.qty, r.price, r.disc} {
		col, e := col, e
		e.OnChanged = func(t string) { s.cellChanged(idx, col, t) }
		e.OnSubmitted = func(string) { s.focusItemBox() }
		e.OnKey = func(k *fyne.KeyEvent) bool { return s.gridKey(idx, col, k) }
	}
	del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { s.RemoveLine(idx) })
	del.Importance = widget.LowImportance
	r.obj = gridRow(r.n, r.name, r.qty, r.price, r.disc, r.rate, r.amount, del)
	return r
}

func (s *BillingScreen) cellChanged(i, col int, text string) {
	if s.syncing {
		return
	}
	var err error
	switch col {
	case ColQty:
		err = s.Bill.SetQty(i, text)
	case ColPrice:
		err = s.Bill.SetPrice(i, text)
	case ColDiscount:
		err = s.Bill.SetDiscount(i, text)
	}
	markBox(s.Cell(i, col), err)
	s.markRow(i)
	if err != nil {
		s.refreshValues()
		setError(s.lineMsg, fmt.Sprintf("%s %d: %s", L("Line"), i+1, Message(err)))
		return
	}
	if bad := s.Bill.firstBad(); bad != nil && bad.Line >= 0 {
		setError(s.lineMsg, bad.Msg())
	} else {
		setError(s.lineMsg, "")
	}
	if col == ColQty {
		setError(s.itemMsg, s.Bill.StockWarning(i))
	}
	s.refreshValues()
}

// markRow colours line i's number and name red while a box of it holds
// what the bill cannot take: the box itself shows the focus ring, not its
// red border, while the cashier is in it.
func (s *BillingScreen) markRow(i int) {
	if i < 0 || i >= len(s.rows) {
		return
	}
	imp := widget.MediumImportance
	if s.rowBad(i) {
		imp = widget.DangerImportance
	}
	for _, l := range []*widget.Label{s.rows[i].n, s.rows[i].name} {
		setImportance(l, imp)
	}
}

// rowBad reports whether a box of line i holds what the bill cannot take.
func (s *BillingScreen) rowBad(i int) bool {
	for col := range 3 {
		if s.Bill.Invalid(Box{i, col}) != nil {
			return true
		}
	}
	return false
}

// markBox shows err on a box with a red border ("nil" clears it).
func markBox(e *Entry, err error) {
	if e == nil {
		return
	}
	e.AlwaysShowValidationError = true
	e.SetValidationError(err)
}

// BoxError is why the bill cannot take what box e shows ("" when it can).
func (s *BillingScreen) BoxError(e *Entry) string {
	if box, ok := s.boxOf(e); ok {
		if err := s.Bill.Invalid(box); err != nil {
			return Message(err)
		}
	}
	return ""
}

// boxOf names the bill's box e is.
func (s *BillingScreen) boxOf(e *Entry) (Box, bool) {
	for i, r := range s.rows {
		for col, c := range []*Entry{r.qty, r.price, r.disc} {
			if c == e {
				return Box{i, col}, true
			}
		}
	}
	for mode, c := range []*Entry{s.Cash, s.UPI, s.Card} {
		if c == e {
			return Box{-1, mode}, true
		}
	}
	return Box{}, false
}

// entryOf is the text box of a bill's box.
func (s *BillingScreen) entryOf(b Box) *Entry {
	if b.Line < 0 {
		return []*Entry{s.Cash, s.UPI, s.Card}[b.Col]
	}
	return s.Cell(b.Line, b.Col)
}

// refuseBad marks the first box the bill cannot take, says why and puts
// the focus in it; false when every box is fine.
func (s *BillingScreen) refuseBad(err error) bool {
	var be *BoxError
	if !errors.As(err, &be) {
		return false
	}
	e := s.entryOf(be.Box)
	markBox(e, be.Err)
	if be.Line >= 0 {
		setError(s.lineMsg, be.Msg())
	} else {
		setError(s.payMsg, be.Msg())
	}
	s.a.Say("%s", be.Msg())
	if e != nil {
		s.a.focus(e)
	}
	return true
}

func (s *BillingScreen) gridKey(i, col int, k *fyne.KeyEvent) bool {
	cell := func(r *lineRow) *Entry { return []*Entry{r.qty, r.price, r.disc}[col] }
	switch k.Name {
	case fyne.KeyUp:
		if i > 0 {
			s.a.focus(cell(s.rows[i-1]))
		}
		return true
	case fyne.KeyDown:
		if i+1 < len(s.rows) {
			s.a.focus(cell(s.rows[i+1]))
		} else {
			s.focusItemBox()
		}
		return true
	}
	return false
}

// RemoveLine deletes line i from the bill.
func (s *BillingScreen) RemoveLine(i int) {
	s.Bill.Remove(i)
	s.refresh()
	s.focusItemBox()
}

func (s *BillingScreen) deleteFocusedLine() {
	f := s.a.Win.Canvas().Focused()
	for i, r := range s.rows {
		if f == r.qty || f == r.price || f == r.disc {
			s.RemoveLine(i)
			return
		}
	}
	if n := len(s.Bill.Lines); n > 0 {
		s.RemoveLine(n - 1)
	}
}

// SetCell types into a grid cell (0 qty, 1 price, 2 discount) of line i.
func (s *BillingScreen) SetCell(i, col int, text string) {
	if i < len(s.rows) {
		[]*Entry{s.rows[i].qty, s.rows[i].price, s.rows[i].disc}[col].SetText(text)
	}
}

// refresh makes the grid match the bill's lines, then the values.
func (s *BillingScreen) refresh() {
	for len(s.rows) < len(s.Bill.Lines) {
		r := s.newRow()
		s.rows = append(s.rows, r)
		s.linesC.Add(r.obj)
	}
	if len(s.rows) > len(s.Bill.Lines) {
		for _, r := range s.rows[len(s.Bill.Lines):] {
			s.linesC.Remove(r.obj)
		}
		s.rows = s.rows[:len(s.Bill.Lines)]
	}
	s.syncing = true
	for i, l := range s.Bill.Lines {
		r := s.rows[i]
		setText(r.n, strconv.Itoa(i+1))
		setText(r.name, l.Product.Name)
		// A box the bill could not take keeps what the cashier typed (and
		// its mark) until it is put right: saving refuses meanwhile.
		if s.Bill.Invalid(Box{i, ColQty}) == nil {
			setIfDiff(r.qty, gst.FormatQty(l.Qty))
		}
		price := l.Product.SalePrice
		if l.Price != nil {
			price = *l.Price
		}
		if v, err := gst.ParseAmount(r.price.Text); s.Bill.Invalid(Box{i, ColPrice}) == nil && (err != nil || v != price) {
			r.price.SetText(gst.FormatAmount(price))
		}
		if s.Bill.Invalid(Box{i, ColDiscount}) == nil && l.DiscountBP == 0 && l.Discount == 0 && r.disc.Text != "" && r.disc.Text != "0" {
			r.disc.SetText("")
		}
		for col, c := range []*Entry{r.qty, r.price, r.disc} {
			markBox(c, s.Bill.Invalid(Box{i, col}))
		}
		s.markRow(i)
	}
	s.syncing = false
	s.refreshValues()
}

func setIfDiff(e *Entry, text string) {
	if e.Text != text {
		if q, err := gst.ParseQty(e.Text); err == nil {
			if q2, _ := gst.ParseQty(text); q == q2 {
				return
			}
		}
		e.SetText(text)
	}
}

// refreshValues updates amounts, totals, customer and payment.
func (s *BillingScreen) refreshValues() {
	inv := s.Bill.Priced()
	for i, r := range s.rows {
		if inv != nil && i < len(inv.Lines) {
			l := inv.Lines[i]
			setText(r.rate, l.Rate.String()+"%")
			if s.rowBad(i) {
				setText(r.amount, "—") // no amount for a quantity or price the bill cannot take
			} else {
				setText(r.amount, gst.FormatAmount(l.Total))
			}
		} else {
			setText(r.rate, "")
			setText(r.amount, "")
		}
	}
	shown := map[string]bool{}
	show := func(k string, v int64) {
		r := s.taxRows[k]
		setText(r.value, gst.FormatINR(v))
		shown[k] = true
	}
	if inv != nil {
		show("Taxable value", inv.Taxable)
		if inv.CGST != 0 || inv.SGST != 0 {
			show("CGST", inv.CGST)
			if gst.IsUT(inv.Supplier.StateCode) {
				show("UTGST", inv.SGST)
			} else {
				show("SGST", inv.SGST)
			}
		}
		if inv.IGST != 0 {
			show("IGST", inv.IGST)
		}
		if inv.Cess != 0 {
			show("Cess", inv.Cess)
		}
		show("Round off", inv.RoundOff)
		s.total.set(gst.FormatINR(inv.GrandTotal))
		setText(s.words, gst.AmountInWords(inv.GrandTotal))
	} else {
		show("Taxable value", 0)
		s.total.set(gst.FormatINR(0))
		setText(s.words, "")
	}
	relayout := false
	for k, r := range s.taxRows {
		if shown[k] != r.obj.Visible() {
			relayout = true
			if shown[k] {
				r.obj.Show()
			} else {
				r.obj.Hide()
			}
		}
	}
	if relayout && s.right != nil {
		// A row that appears or goes changes the column's height: lay the
		// whole column out again, or the rows below would overlap.
		s.taxBox.Refresh()
		s.right.Refresh()
	}
	if err := s.Bill.Err(); err != nil {
		setError(s.lineMsg, Message(err))
	} else if s.lineMsg.Text != "" && !strings.HasPrefix(s.lineMsg.Text, L("Line")) {
		setError(s.lineMsg, "")
	}
	s.refreshPayment()
	s.terms.refresh()
	if t := fmt.Sprintf("%s (%d)  %s", L("Recall"), len(s.held), ShortcutFor(ActRecallBill).KeyText()); t != s.recallBtn.Text {
		s.recallBtn.SetText(t)
	}
}

// ---- customer ----

func (s *BillingScreen) customerChanged(text string) {
	q := strings.TrimSpace(text)
	s.custN++
	n := s.custN
	if q == "" {
		s.custHits = nil
		s.custListC.Hide()
		return
	}
	go func() {
		hits, err := s.a.Books.ListParties(q, 8)
		s.a.opt.Do(func() {
			if n != s.custN || err != nil {
				return
			}
			s.custHits, s.custSel = hits, 0
			s.custList.Refresh()
			if len(hits) == 0 {
				s.custListC.Hide()
				return
			}
			s.custList.Select(0)
			s.custListC.Show()
		})
	}()
}

// CustomerHits are the parties matching the customer box.
func (s *BillingScreen) CustomerHits() []store.PartyHit {
	if !s.custListC.Visible() {
		return nil
	}
	return s.custHits
}

func (s *BillingScreen) customerKey(k *fyne.KeyEvent) bool {
	hits := s.CustomerHits()
	switch k.Name {
	case fyne.KeyDown, fyne.KeyUp:
		if len(hits) == 0 {
			return false
		}
		d := 1
		if k.Name == fyne.KeyUp {
			d = -1
		}
		s.custSel = (s.custSel + d + len(hits)) % len(hits)
		s.custList.Select(s.custSel)
		return true
	}
	return false
}

func (s *BillingScreen) submitCustomer() {
	text := strings.TrimSpace(s.CustomerBox.Text)
	if hits := s.CustomerHits(); len(hits) > 0 && s.custSel < len(hits) {
		h := hits[s.custSel]
		var p books.Party
		s.a.background(func() error {
			var err error
			p, err = s.a.Books.Party(h.ID)
			return err
		}, func(err error) {
			if err != nil {
				s.a.showError(err)
				return
			}
			s.pickParty(books.SnapshotOf(&p, p.ID), h.Balance)
		})
		return
	}
	if text != "" {
		s.addCustomer(text)
	}
}

// pickParty sets the customer (nil: walk-in) and shows who it is.
func (s *BillingScreen) pickParty(p *books.PartySnapshot, balance int64) {
	s.Bill.SetParty(p)
	s.custN++
	s.CustomerBox.SetText("")
	s.custListC.Hide()
	if p == nil {
		s.custLabel.SetText(L("Walk-in customer"))
		s.custClear.Hide()
		s.Credit.SetChecked(false)
	} else {
		parts := []string{p.Name}
		if p.Phone != "" {
			parts = append(parts, p.Phone)
		}
		if p.GSTIN != "" {
			parts = append(parts, p.GSTIN)
		}
		parts = append(parts, balanceText(balance))
		s.custLabel.SetText(strings.Join(parts, " · "))
		s.custClear.Show()
	}
	s.refreshValues()
	s.a.focus(s.ItemBox)
}

func balanceText(b int64) string {
	switch {
	case b > 0:
		return L("owes") + " " + gst.FormatINR(b)
	case b < 0:
		return L("advance") + " " + gst.FormatINR(-b)
	}
	return L("no dues")
}

// addCustomer asks for a new customer's details (name or phone prefilled).
func (s *BillingScreen) addCustomer(text string) {
	p := books.Party{Kind: books.Customer}
	if digitCount(text) >= 6 && !hasLetter(text) { // looks like a phone number, maybe partial
		p.Phone = text
	} else {
		p.Name = text
	}
	s.a.partyDialog(p, func(saved books.Party) {
		s.pickParty(books.SnapshotOf(&saved, saved.ID), saved.OpeningBalance)
	})
}

// ---- payment ----

func (s *BillingScreen) tenderChanged() {
	if s.syncing {
		return
	}
	var msgs []string
	for mode, e := range []*Entry{s.Cash, s.UPI, s.Card} {
		err := s.Bill.SetPayment(mode, e.Text)
		markBox(e, err)
		imp := widget.MediumImportance
		if err != nil {
			msgs = append(msgs, Message(err))
			imp = widget.DangerImportance
		}
		setImportance(s.payLabels[mode], imp)
	}
	s.Bill.Tender.Credit = s.Credit.Checked
	s.refreshPayment()
	if len(msgs) > 0 {
		setError(s.payMsg, strings.Join(msgs, " "))
	}
}

func (s *BillingScreen) refreshPayment() {
	if s.Bill.Empty() {
		s.change.set(gst.FormatINR(0))
		setError(s.payMsg, "")
		return
	}
	st, err := s.Bill.Settle()
	s.change.set(gst.FormatINR(st.Change))
	if err != nil && (s.Bill.Tender.CashEntered || s.Bill.Tender.UPI > 0 || s.Bill.Tender.Card > 0 || s.Bill.Tender.Credit) {
		setError(s.payMsg, Message(err))
		return
	}
	if st.Credit > 0 {
		setNote(s.payMsg, fmt.Sprintf(L("%s goes on the customer's account."), gst.FormatINR(st.Credit)))
		return
	}
	setError(s.payMsg, "")
}

// ---- save, hold, recall ----

// Save checks the bill, clears the counter for the next customer at once
// and saves in the background. If the books refuse it, the bill comes back.
func (s *BillingScreen) Save() {
	d, inv, st, err := s.Bill.Draft()
	if s.refuseBad(err) {
		return
	}
	if err != nil {
		msg := Message(err)
		if s.Bill.Empty() {
			setError(s.itemMsg, msg)
			s.focusItemBox()
		} else {
			setError(s.payMsg, msg)
			s.a.Say("%s", msg)
		}
		return
	}
	// A discount above the cashier's limit or a price below cost needs a
	// manager's PIN first (staff.go); the bill stays on the counter meanwhile.
	if needs := s.a.approvalFor(d); len(needs) > 0 {
		s.a.approve(needs, "", func(ctx context.Context) { s.saveDraft(ctx, d, inv.GrandTotal, st.Change) })
		return
	}
	s.saveDraft(context.Background(), d, inv.GrandTotal, st.Change)
}

// saveDraft clears the counter and saves the bill in the background (ctx
// may carry a manager's approval).
func (s *BillingScreen) saveDraft(ctx context.Context, d *books.SaleDraft, total, change int64) {
	kept := s.Bill.Hold()
	s.clear()
	s.saving++
	s.a.Say(L("Saving bill of %s…"), gst.FormatINR(total))
	printAfter := false
	var saved *books.Invoice
	s.a.background(func() error {
		var err error
		saved, err = s.a.Books.CreateSale(ctx, d)
		if err == nil {
			if ps, err := printing.LoadSettings(s.a.Books); err == nil && ps.Auto {
				printAfter = true
			}
		}
		return err
	}, func(err error) {
		s.saving--
		if err != nil {
			if s.Bill.Empty() {
				s.Bill.Recall(kept)
				s.refreshAll()
			} else {
				s.held = append(s.held, kept)
				s.saveHeld()
			}
			s.a.showError(err)
			return
		}
		s.lastInv = saved.Number
		s.a.used("bill.save")
		if s.a.opt.Saved != nil {
			s.a.opt.Saved(saved.Number)
		}
		msg := fmt.Sprintf(L("Saved %s for %s."), saved.Number, gst.FormatINR(saved.GrandTotal))
		if change > 0 {
			msg += " " + fmt.Sprintf(L("Give back %s change."), gst.FormatINR(change))
		}
		s.a.Say("%s", msg)
		if printAfter {
			s.print(saved.Number)
		}
	})
}

// Saving reports whether a save is still running.
func (s *BillingScreen) Saving() bool { return s.saving > 0 }

// LastInvoice is the number of the last bill saved at this counter.
func (s *BillingScreen) LastInvoice() string { return s.lastInv }

func (s *BillingScreen) print(number string) {
	s.a.background(func() error { return s.a.opt.Printer.PrintInvoice(number) }, func(err error) {
		if printing.IsSetupError(err) {
			// No dialog: the scanner may be typing the next bill.
			s.a.sayWithAction(Message(err), L("Printer settings"), s.a.openPrinterSettings)
			return
		}
		if err != nil {
			s.a.Say("%s", Message(err))
			return
		}
		s.a.used("invoice.print")
		s.a.Say(L("Sent %s to the printer."), number)
	})
}

func (s *BillingScreen) clear() {
	s.Bill.Clear()
	s.refreshAll()
	setError(s.itemMsg, "")
	setError(s.lineMsg, "")
	s.focusItemBox()
}

// refreshAll shows the bill after it was replaced (clear, recall).
func (s *BillingScreen) refreshAll() {
	s.syncing = true
	s.Cash.SetText(amountText(s.Bill.Tender.Cash, s.Bill.Tender.CashEntered))
	s.UPI.SetText(amountText(s.Bill.Tender.UPI, false))
	s.Card.SetText(amountText(s.Bill.Tender.Card, false))
	s.Credit.SetChecked(s.Bill.Tender.Credit)
	for i, e := range []*Entry{s.Cash, s.UPI, s.Card} {
		markBox(e, nil)
		setImportance(s.payLabels[i], widget.MediumImportance)
	}
	s.syncing = false
	// Rows are rebuilt: their cells belong to the old lines.
	for _, r := range s.rows {
		s.linesC.Remove(r.obj)
	}
	s.rows = nil
	p := s.Bill.Party
	s.Bill.Party = nil
	if p != nil {
		s.pickParty(p, 0)
	} else {
		s.custLabel.SetText(L("Walk-in customer"))
		s.custClear.Hide()
	}
	s.refresh()
}

func amountText(v int64, force bool) string {
	if v == 0 && !force {
		return ""
	}
	return gst.FormatAmount(v)
}

func (s *BillingScreen) confirmDiscard() {
	d := dialog.NewConfirm(L("New bill"), L("Throw away this bill and start a new one? (Hold it with Ctrl+H to keep it.)"), func(ok bool) {
		if ok {
			s.clear()
		}
	}, s.a.Win)
	s.a.openDialog(d)
}

// Hold parks the bill so the next customer can be served.
func (s *BillingScreen) Hold() {
	if s.Bill.Empty() {
		s.a.Say("%s", L("The bill is empty; there is nothing to hold."))
		return
	}
	if bad := s.Bill.firstBad(); bad != nil {
		s.refuseBad(bad) // held as shown, or not at all
		return
	}
	h := s.Bill.Hold()
	s.held = append(s.held, h)
	s.saveHeld()
	s.clear()
	s.a.Say(L("Held: %s. Recall it with %s."), h.Describe(), ShortcutFor(ActRecallBill).KeyText())
}

// Held lists the parked bills.
func (s *BillingScreen) Held() []HeldBill { return s.held }

// Recall brings held bill i back; the bill on the counter, if any, is held.
func (s *BillingScreen) Recall(i int) {
	if i < 0 || i >= len(s.held) {
		return
	}
	h := s.held[i]
	s.held = append(s.held[:i], s.held[i+1:]...)
	if !s.Bill.Empty() {
		s.held = append(s.held, s.Bill.Hold())
	}
	s.Bill.Recall(h)
	s.saveHeld()
	s.refreshAll()
	s.focusItemBox()
	s.a.Say(L("Recalled: %s."), h.Describe())
}

func (s *BillingScreen) showRecall() {
	if len(s.held) == 0 {
		s.a.Say("%s", L("No bills are on hold."))
		return
	}
	items := make([]string, len(s.held))
	for i, h := range s.held {
		items[i] = fmt.Sprintf("%d.  %s", i+1, h.Describe())
	}
	var d dialog.Dialog
	list := newPickList(items, func(i int) {
		d.Hide()
		s.Recall(i)
	}, s.a.keyHook)
	note := widget.NewLabel(L("Up and Down to choose, Enter to bring it back."))
	note.Importance = widget.LowImportance
	body := container.NewBorder(note, nil, nil, nil, container.NewGridWrap(fyne.NewSize(620, float32(min(len(items), 8))*40+8), list))
	d = dialog.NewCustom(L("Recall a held bill"), L("Close (Esc)"), body, s.a.Win)
	s.a.openDialog(d)
	s.a.focus(list)
}

func (s *BillingScreen) loadHeld() {
	var held []HeldBill
	s.a.background(func() error {
		_, err := s.a.Books.MetaJSON("held_bills", &held)
		return err
	}, func(err error) {
		if err != nil {
			s.a.Say("%s", Message(err))
			return
		}
		// Bills held before this one loaded come after the saved ones.
		s.held = append(held, s.held...)
		s.refreshValues()
	})
}

func (s *BillingScreen) saveHeld() {
	held := append([]HeldBill(nil), s.held...)
	s.a.background(func() error { return s.a.Books.SetMetaJSON("held_bills", held) }, func(err error) {
		if err != nil {
			s.a.showError(err)
		}
	})
}

func (s *BillingScreen) showLast() {
	num := s.lastInv
	s.a.background(func() error {
		if num != "" {
			return nil
		}
		var err error
		num, err = s.a.Books.LastInvoice()
		return err
	}, func(err error) {
		if err != nil {
			s.a.showError(err)
			return
		}
		if num == "" {
			s.a.Say("%s", L("No bill has been saved at this counter yet."))
			return
		}
		s.a.openInvoice(num, nil)
	})
}

// Cell is the text box of line i, column col (0 qty, 1 price, 2 discount).
func (s *BillingScreen) Cell(i, col int) *Entry {
	if i < 0 || i >= len(s.rows) {
		return nil
	}
	return []*Entry{s.rows[i].qty, s.rows[i].price, s.rows[i].disc}[col]
}

// ItemMessage is the error or warning shown under the item box.
func (s *BillingScreen) ItemMessage() string {
	if !s.itemMsg.Visible() {
		return ""
	}
	return s.itemMsg.Text
}

// PaymentMessage is the message shown under the payment boxes.
func (s *BillingScreen) PaymentMessage() string {
	if !s.payMsg.Visible() {
		return ""
	}
	return s.payMsg.Text
}

// PanelOverflow says what of the totals and payment column does not fit
// the window ("" when all of it shows): the column would need a scrollbar,
// or the grand total is cut.
func (s *BillingScreen) PanelOverflow() string {
	if need, have := s.right.MinSize().Height, s.rightScroll.Size().Height; need > have+0.5 {
		return fmt.Sprintf("the column needs %.0f px and has %.0f", need, have)
	}
	if need, have := s.total.MinSize().Width, s.total.Size().Width; need > have+0.5 {
		return fmt.Sprintf("the grand total needs %.0f px and has %.0f", need, have)
	}
	return ""
}

// LineAmount is the amount shown on line i of the grid.
func (s *BillingScreen) LineAmount(i int) string {
	if i < 0 || i >= len(s.rows) {
		return ""
	}
	return s.rows[i].amount.Text
}

// Change is the change-to-return shown.
func (s *BillingScreen) Change() string { return s.change.Text }

// Total is the grand total shown.
func (s *BillingScreen) Total() string { return s.total.Text }

// SetCustomer sets the bill's customer as picking one does (nil: walk-in).
func (s *BillingScreen) SetCustomer(p *books.PartySnapshot, balance int64) { s.pickParty(p, balance) }

// ShowMatches searches the item box text now (without waiting for a pause).
func (s *BillingScreen) ShowMatches(text string) {
	s.ItemBox.SetText(text)
	hits, err := s.a.Books.SearchProducts(text, 12)
	if err == nil {
		s.showHits(hits, text)
	}
}

// taxRow is one line of the totals: a label and a right-aligned amount.
type taxRow struct {
	obj   fyne.CanvasObject
	value *widget.Label
}

func newTaxRow(label string) *taxRow {
	v := widget.NewLabel("")
	v.Alignment = fyne.TextAlignTrailing
	l := widget.NewLabel(label)
	return &taxRow{obj: container.NewBorder(nil, nil, l, nil, v), value: v}
}
