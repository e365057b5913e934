package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

// Bill is the bill being made at the counter, without any widget: the draft
// lines, the customer and the tender. Every total comes from books.PriceSale;
// the billing screen only shows what Bill says. It is not safe for concurrent
// use: the UI goroutine owns it.
type Bill struct {
	Biz   books.Business
	Lines []books.DraftLine
	// Stock on hand of each line's product when it was added (milli-units);
	// used only to warn about stock going negative.
	Stock   []int64
	Party   *books.PartySnapshot // nil: walk-in
	Terms   SaleTerms            // export, SEZ or reverse charge (supply.go)
	Tender  Tender
	Now     func() time.Time
	priced  *books.Invoice
	err     error
	changed bool
	// bad holds the boxes whose text the bill could not take: saving
	// refuses until each shows a value the bill holds.
	bad map[Box]error
}

// Box names a box of the bill that the cashier types into: a cell of the
// grid (Line ≥ 0, Col one of ColQty, ColPrice, ColDiscount) or a payment
// box (Line -1, Col one of PayCash, PayUPI, PayCard).
type Box struct{ Line, Col int }

// Columns of the grid and the payment boxes.
const (
	ColQty, ColPrice, ColDiscount = 0, 1, 2
	PayCash, PayUPI, PayCard      = 0, 1, 2
)

// BoxError is a box whose text the bill cannot take; Draft returns it so
// the screen can mark the box and put the focus in it.
type BoxError struct {
	Box
	Err error
}

func (e *BoxError) Error() string { return e.Msg() }

// Unwrap gives the books error (its code and field).
func (e *BoxError) Unwrap() error { return e.Err }

// Msg is the plain-words message, naming the line or the payment box.
func (e *BoxError) Msg() string {
	if e.Line < 0 {
		return books.ErrorMessage(e.Err)
	}
	col := []string{L("quantity"), L("price"), L("discount")}[e.Col]
	return fmt.Sprintf(L("Line %d, %s: %s"), e.Line+1, col, books.ErrorMessage(e.Err))
}

// Invalid reports why box cannot be taken ("" when it can).
func (b *Bill) Invalid(box Box) error { return b.bad[box] }

func (b *Bill) mark(box Box, err error) error {
	if err == nil {
		delete(b.bad, box)
		return nil
	}
	if b.bad == nil {
		b.bad = map[Box]error{}
	}
	b.bad[box] = err
	return err
}

// firstBad is the first box, top to bottom, that the bill cannot take.
func (b *Bill) firstBad() *BoxError {
	var first *BoxError
	for box, err := range b.bad {
		if first == nil || box.Line >= 0 && (first.Line < 0 || box.Line < first.Line || box.Line == first.Line && box.Col < first.Col) ||
			box.Line < 0 && first.Line < 0 && box.Col < first.Col {
			first = &BoxError{box, err}
		}
	}
	return first
}

// Tender is what the customer hands over, by mode, in paise. Cash may be
// more than the bill (the change goes back); Credit puts whatever is not
// paid on the customer's account.
type Tender struct {
	Cash, UPI, Card int64
	Credit          bool
	// CashEntered says the cashier typed a cash amount; without it an
	// unpaid rest is taken as cash (the common walk-in sale).
	CashEntered bool
}

// NewBill starts an empty bill for the business.
func NewBill(biz books.Business, now func() time.Time) *Bill {
	if now == nil {
		now = time.Now
	}
	return &Bill{Biz: biz, Now: now}
}

// Empty reports whether the bill has no lines.
func (b *Bill) Empty() bool { return len(b.Lines) == 0 }

// Add puts qty (milli-units) of p on the bill. A product already on the bill
// gets its quantity raised instead of a second line. It returns the line
// index and a warning when the sale takes stock below zero (the sale still
// happens: the goods are at the counter).
func (b *Bill) Add(p books.Product, qty, stock int64) (int, string) {
	if qty <= 0 {
		qty = 1000
	}
	for i := range b.Lines {
		if b.Lines[i].ProductID == p.ID && p.ID != "" {
			b.Lines[i].Qty += qty
			b.reprice()
			return i, b.StockWarning(i)
		}
	}
	b.Lines = append(b.Lines, books.DraftLine{ProductID: p.ID, Product: p, Qty: qty})
	b.Stock = append(b.Stock, stock)
	b.reprice()
	i := len(b.Lines) - 1
	return i, b.StockWarning(i)
}

// StockWarning says, in plain words, when line i sells more than is in stock.
func (b *Bill) StockWarning(i int) string {
	if i < 0 || i >= len(b.Lines) || i >= len(b.Stock) {
		return ""
	}
	l := b.Lines[i]
	if left := b.Stock[i] - l.Qty; left < 0 {
		return fmt.Sprintf(L("Stock of %s goes below zero (%s %s in stock); the sale is saved anyway."),
			l.Product.Name, gst.FormatQty(b.Stock[i]), l.Product.Unit)
	}
	return ""
}

// SetQty changes the quantity of line i from text such as "2" or "1.5".
func (b *Bill) SetQty(i int, text string) error {
	if i < 0 || i >= len(b.Lines) {
		return nil
	}
	box := Box{i, ColQty}
	q, err := gst.ParseQty(text)
	if err != nil {
		return b.mark(box, books.Invalid("qty", "%s", L("Type a quantity like 2 or 1.5.")))
	}
	if q <= 0 {
		return b.mark(box, books.Invalid("qty", "%s", L("Quantity must be more than zero; delete the line to remove it.")))
	}
	b.mark(box, nil)
	b.Lines[i].Qty = q
	b.reprice()
	return nil
}

// SetPrice overrides the unit price of line i ("" goes back to the product's price).
func (b *Bill) SetPrice(i int, text string) error {
	if i < 0 || i >= len(b.Lines) {
		return nil
	}
	box := Box{i, ColPrice}
	if strings.TrimSpace(text) == "" {
		b.mark(box, nil)
		b.Lines[i].Price = nil
		b.reprice()
		return nil
	}
	v, err := gst.ParseAmount(text)
	if err != nil || v < 0 {
		return b.mark(box, books.Invalid("price", "%s", L("Type a price in rupees, like 45 or 45.50.")))
	}
	b.mark(box, nil)
	b.Lines[i].Price = &v
	b.reprice()
	return nil
}

// SetDiscount sets the discount of line i: "10%" is a percentage, "25" is
// rupees off the line, "" is none.
func (b *Bill) SetDiscount(i int, text string) error {
	if i < 0 || i >= len(b.Lines) {
		return nil
	}
	t := strings.TrimSpace(text)
	l := &b.Lines[i]
	box := Box{i, ColDiscount}
	bad := func() error {
		return b.mark(box, books.Invalid("discount", "%s", L("Type a discount like 10% or 25 (rupees).")))
	}
	switch {
	case t == "":
		l.DiscountBP, l.Discount = 0, 0
	case strings.HasSuffix(t, "%"):
		r, err := gst.ParseRate(t)
		if err != nil || r > 10000 {
			return bad()
		}
		l.DiscountBP, l.Discount = int64(r), 0
	default:
		v, err := gst.ParseAmount(t)
		if err != nil || v < 0 {
			return bad()
		}
		l.DiscountBP, l.Discount = 0, v
	}
	b.mark(box, nil)
	b.reprice()
	return nil
}

// SetPayment sets the amount paid by a mode (PayCash, PayUPI, PayCard)
// from its box's text ("" is none).
func (b *Bill) SetPayment(mode int, text string) error {
	t := strings.TrimSpace(text)
	var v int64
	if t != "" {
		var err error
		if v, err = gst.ParseAmount(t); err != nil || v < 0 {
			label := []string{L("Cash"), L("UPI"), L("Card")}[mode]
			return b.mark(Box{-1, mode}, books.Invalid("payments", L("%s: type an amount in rupees, like 500."), label))
		}
	}
	b.mark(Box{-1, mode}, nil)
	switch mode {
	case PayCash:
		b.Tender.Cash, b.Tender.CashEntered = v, t != ""
	case PayUPI:
		b.Tender.UPI = v
	case PayCard:
		b.Tender.Card = v
	}
	return nil
}

// Remove deletes line i.
func (b *Bill) Remove(i int) {
	if i < 0 || i >= len(b.Lines) {
		return
	}
	b.Lines = append(b.Lines[:i], b.Lines[i+1:]...)
	if i < len(b.Stock) {
		b.Stock = append(b.Stock[:i], b.Stock[i+1:]...)
	}
	// The boxes of the lines below move up with them.
	bad := b.bad
	b.bad = nil
	for box, err := range bad {
		switch {
		case box.Line < i:
			b.mark(box, err)
		case box.Line > i:
			b.mark(Box{box.Line - 1, box.Col}, err)
		}
	}
	b.reprice()
}

// SetParty sets the customer (nil for walk-in).
func (b *Bill) SetParty(p *books.PartySnapshot) {
	b.Party = p
	if p == nil {
		b.Tender.Credit = false
	}
	b.reprice()
}

// Priced is the bill as books.PriceSale prices it (nil when it cannot be
// priced yet, for example with no lines; see Err).
func (b *Bill) Priced() *books.Invoice { return b.priced }

// Err is why the bill cannot be priced ("nil" when it can, or is empty).
func (b *Bill) Err() error { return b.err }

// Reprice prices the bill again (after the business profile changed).
func (b *Bill) Reprice() { b.reprice() }

func (b *Bill) reprice() {
	b.changed = true
	if len(b.Lines) == 0 {
		b.priced, b.err = nil, nil
		return
	}
	d := b.draft(nil)
	b.priced, b.err = books.PriceSale(&b.Biz, d)
}

// draft builds a SaleDraft with copies of the party, so pricing never
// changes the bill's own state.
func (b *Bill) draft(pays []books.PaymentPart) *books.SaleDraft {
	d := &books.SaleDraft{Date: b.Now(), Lines: append([]books.DraftLine(nil), b.Lines...), Payments: pays}
	b.Terms.apply(d)
	if b.Party != nil {
		p := *b.Party
		d.Party = &p
	}
	return d
}

// GrandTotal is the bill's total after round off (0 when empty).
func (b *Bill) GrandTotal() int64 {
	if b.priced == nil {
		return 0
	}
	return b.priced.GrandTotal
}

// Settlement is how a tender pays the bill.
type Settlement struct {
	Parts  []books.PaymentPart
	Change int64 // cash to hand back
	Short  int64 // still unpaid (0 when settled)
	Credit int64 // put on the customer's account
}

// Settle works out the payment parts of the tender against the total:
// non-cash modes first, then cash (any excess is change), then credit for
// the rest when the customer buys on account.
func (b *Bill) Settle() (Settlement, error) {
	var s Settlement
	grand := b.GrandTotal()
	t := b.Tender
	if t.Cash < 0 || t.UPI < 0 || t.Card < 0 {
		return s, books.Invalid("payments", "%s", L("Payment amounts cannot be negative."))
	}
	nonCash := t.UPI + t.Card
	if nonCash > grand {
		return s, books.Invalid("payments", L("UPI and card add up to %s, more than the bill of %s."),
			gst.FormatINR(nonCash), gst.FormatINR(grand))
	}
	rest := grand - nonCash
	cash := t.Cash
	if !t.CashEntered && !t.Credit {
		cash = rest // nothing typed: the rest is paid in cash
	}
	applied := min(cash, rest)
	s.Change = cash - applied
	for _, p := range []books.PaymentPart{{Mode: books.ModeCash, Amount: applied}, {Mode: books.ModeUPI, Amount: t.UPI}, {Mode: books.ModeCard, Amount: t.Card}} {
		if p.Amount > 0 {
			s.Parts = append(s.Parts, p)
		}
	}
	left := rest - applied
	switch {
	case left > 0 && t.Credit && b.Party != nil:
		s.Credit = left
		s.Parts = append(s.Parts, books.PaymentPart{Mode: books.ModeCredit, Amount: left})
	case left > 0 && t.Credit:
		s.Short = left
		return s, books.Invalid("party", "%s", L("Pick a customer to put the rest on their account (credit)."))
	case left > 0:
		s.Short = left
		return s, books.Invalid("payments", L("%s still to pay; take more, or tick Credit for a customer."), gst.FormatINR(left))
	}
	if s.Parts == nil {
		s.Parts = []books.PaymentPart{}
	}
	return s, nil
}

// Draft returns the sale to save: lines, customer and settled payments. It
// checks the whole bill with books.PriceSale first, so a bill that would be
// refused never leaves the screen.
func (b *Bill) Draft() (*books.SaleDraft, *books.Invoice, Settlement, error) {
	if len(b.Lines) == 0 {
		return nil, nil, Settlement{}, books.Invalid("lines", "%s", L("The bill is empty: scan or type an item first."))
	}
	if bad := b.firstBad(); bad != nil {
		return nil, nil, Settlement{}, bad
	}
	if b.err != nil {
		return nil, nil, Settlement{}, b.err
	}
	s, err := b.Settle()
	if err != nil {
		return nil, nil, s, err
	}
	pays := s.Parts
	if len(pays) == 0 {
		pays = nil
	}
	d := b.draft(pays)
	inv, err := books.PriceSale(&b.Biz, b.draft(pays))
	if err != nil {
		return nil, nil, s, err
	}
	return d, inv, s, nil
}

// HeldBill is a parked bill: enough to put it back on the counter.
type HeldBill struct {
	At     string               `json:"at"`
	Lines  []books.DraftLine    `json:"lines"`
	Stock  []int64              `json:"stock"`
	Party  *books.PartySnapshot `json:"party,omitempty"`
	Terms  SaleTerms            `json:"terms"`
	Tender Tender               `json:"tender"`
	Total  int64                `json:"total"`
}

// Hold parks the bill and empties it.
func (b *Bill) Hold() HeldBill {
	h := HeldBill{At: b.Now().Format("15:04"), Lines: b.Lines, Stock: b.Stock, Party: b.Party, Terms: b.Terms, Tender: b.Tender, Total: b.GrandTotal()}
	b.Clear()
	return h
}

// Recall puts a held bill back on the counter (replacing what is there).
func (b *Bill) Recall(h HeldBill) {
	b.Lines, b.Stock, b.Party, b.Terms, b.Tender, b.bad = h.Lines, h.Stock, h.Party, h.Terms, h.Tender, nil
	for len(b.Stock) < len(b.Lines) {
		b.Stock = append(b.Stock, 1<<50)
	}
	b.reprice()
}

// Clear empties the bill for the next customer.
func (b *Bill) Clear() {
	b.Lines, b.Stock, b.Party, b.Terms, b.Tender, b.bad = nil, nil, nil, SaleTerms{}, Tender{}, nil
	b.reprice()
}

// Describe is a one-line summary of a held bill.
func (h HeldBill) Describe() string {
	who := L("Walk-in")
	if h.Party != nil {
		who = h.Party.Name
	}
	return fmt.Sprintf("%s · %s · %s · %s", h.At, who, gst.Count(len(h.Lines), L("item"), L("items")), gst.FormatINR(h.Total))
}

// ParseQtyCode splits a scan like "3*8901234567890" into quantity and code.
func ParseQtyCode(s string) (int64, string) {
	s = strings.TrimSpace(s)
	if q, code, ok := strings.Cut(s, "*"); ok {
		if v, err := gst.ParseQty(q); err == nil && v > 0 && strings.TrimSpace(code) != "" {
			return v, strings.TrimSpace(code)
		}
	}
	return 1000, s
}
