package books

import (
	"fmt"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/gst"
)

// ReturnLine asks to return qty (milli-units) of the invoice line at Index.
type ReturnLine struct {
	Index int
	Qty   int64
}

// PriceReturn builds a credit note for goods returned against inv. returned
// holds, per invoice line index, what earlier credit notes already took back.
// The returned lines keep the invoice's price, discount share and rate.
func PriceReturn(biz *Business, inv *Invoice, cancelled bool, returned map[int]int64, items []ReturnLine, date time.Time, reason string, refunds []PaymentPart, restock bool) (*CreditNote, error) {
	if cancelled {
		return nil, Invalid("invoice", "Invoice %s is cancelled; a cancelled invoice cannot take a return.", inv.Number)
	}
	if len(items) == 0 {
		return nil, Invalid("lines", "Say which items come back and how many.")
	}
	if date.Format(DateLayout) < inv.Date {
		return nil, Invalid("date", "The return date %s is before the invoice date %s.", gst.FormatDay(date), gst.FormatDate(inv.Date))
	}
	cn := &CreditNote{Date: date.Format(DateLayout), InvoiceID: inv.ID, InvoiceNumber: inv.Number, InvoiceDate: inv.Date,
		Supplier: SupplierOf(biz), Party: inv.Party, PlaceOfSupply: inv.PlaceOfSupply, SupplyType: inv.SupplyType,
		ReverseCharge: inv.ReverseCharge, ZeroRated: inv.ZeroRated, Reason: strings.TrimSpace(reason), Restock: restock}
	seen := map[int]bool{}
	for _, it := range items {
		if it.Index < 0 || it.Index >= len(inv.Lines) {
			return nil, Invalid("lines", "Invoice %s has no line %d.", inv.Number, it.Index+1)
		}
		if seen[it.Index] {
			return nil, Invalid("lines", "Line %d is listed twice.", it.Index+1)
		}
		seen[it.Index] = true
		ol := inv.Lines[it.Index]
		left := ol.Qty - returned[it.Index]
		if it.Qty <= 0 || it.Qty > left {
			return nil, Invalid("lines", "Line %d (%s): can return between 0 and %s %s, not %s.", it.Index+1, ol.Name,
				gst.FormatQty(left), ol.Unit, gst.FormatQty(it.Qty))
		}
		l := ol
		l.Qty = it.Qty
		if it.Qty != ol.Qty {
			l.Discount = gst.RoundDiv(ol.Discount*it.Qty, ol.Qty)
		}
		cn.Lines = append(cn.Lines, l)
		cn.LineRefs = append(cn.LineRefs, it.Index)
	}
	cn.Totals = computeTax(cn.Lines, cn.SupplyType, noteTaxMode(inv))
	var refunded int64
	for i, r := range refunds {
		r.Mode = strings.ToLower(strings.TrimSpace(r.Mode))
		if !ValidMode(r.Mode) || r.Mode == ModeCredit {
			return nil, Invalid(fmt.Sprintf("refunds[%d].mode", i), "Refund mode %q must be cash, upi, card or bank.", r.Mode)
		}
		if r.Amount <= 0 {
			return nil, Invalid(fmt.Sprintf("refunds[%d].amount", i), "Refund amounts must be more than zero.")
		}
		refunded += r.Amount
		cn.Refunds = append(cn.Refunds, r)
	}
	if refunds == nil && inv.Party == nil {
		cn.Refunds = []PaymentPart{{Mode: ModeCash, Amount: cn.GrandTotal}}
		refunded = cn.GrandTotal
	}
	if refunded > cn.GrandTotal {
		return nil, Invalid("refunds", "Refunds of %s exceed the credit note total of %s.", gst.FormatINR(refunded), gst.FormatINR(cn.GrandTotal))
	}
	if refunded < cn.GrandTotal && inv.Party == nil {
		return nil, Invalid("refunds", "A walk-in customer's return must be refunded in full (%s).", gst.FormatINR(cn.GrandTotal))
	}
	cn.Refunded = refunded
	return cn, nil
}

// PurchaseDraft is a supplier's bill being entered.
type PurchaseDraft struct {
	Date       time.Time
	BillNumber string
	Party      *PartySnapshot
	Lines      []DraftLine // Price overrides the product's purchase price (tax exclusive)
	Payments   []PaymentPart
	// ReverseCharge: the shop pays the tax itself (notified goods or
	// services, or from an unregistered supplier where notified).
	ReverseCharge bool
}

// PricePurchase validates and prices a purchase bill. Input tax is computed
// only when the supplier has a GSTIN (an unregistered supplier cannot charge GST).
func PricePurchase(biz *Business, d *PurchaseDraft) (*Purchase, error) {
	if d.Party == nil || strings.TrimSpace(d.Party.Name) == "" {
		return nil, Invalid("party", "A purchase needs the supplier's name.")
	}
	if strings.TrimSpace(d.BillNumber) == "" {
		return nil, Invalid("bill_number", "Enter the supplier's bill number.")
	}
	if len(d.Lines) == 0 {
		return nil, Invalid("lines", "A purchase needs at least one item.")
	}
	if d.Date.IsZero() {
		return nil, Invalid("date", "The bill date is missing.")
	}
	if d.Party.GSTIN != "" {
		d.Party.GSTIN = gst.NormalizeGSTIN(d.Party.GSTIN)
		if err := gst.ValidateGSTIN(d.Party.GSTIN); err != nil {
			return nil, Invalid("party.gstin", "Supplier GSTIN: %s", err.Error())
		}
		if d.Party.StateCode == "" {
			d.Party.StateCode = gst.GSTINState(d.Party.GSTIN)
		}
	}
	st := gst.Intra
	if d.Party.StateCode != "" {
		st = gst.SupplyTypeFor(biz.StateCode, d.Party.StateCode, false)
	}
	lines, err := priceLines(biz, d.Date, d.Lines, false)
	if err != nil {
		return nil, err
	}
	p := &Purchase{BillNumber: strings.TrimSpace(d.BillNumber), Date: d.Date.Format(DateLayout), Party: d.Party,
		SupplyType: st, ReverseCharge: d.ReverseCharge, Lines: lines}
	mode := taxNormal
	switch {
	case d.ReverseCharge:
		if !biz.Registered() || biz.Composition {
			return nil, Invalid("reverse_charge", "Only a GST-registered shop outside the composition scheme enters tax on reverse charge here; a composition dealer pays it with CMP-08.")
		}
		mode = taxRecipient // the shop pays the tax, not the supplier
	case d.Party.GSTIN == "":
		mode = taxNone // an unregistered supplier charges no GST
	}
	rates := make([][2]gst.RateBP, len(p.Lines))
	for i, l := range p.Lines {
		rates[i] = [2]gst.RateBP{l.Rate, l.CessRate}
	}
	p.Totals = computeTax(p.Lines, st, mode)
	if mode == taxNone {
		// No tax is charged, but the item keeps its rate: an 18% item bought
		// from an unregistered supplier is not a nil-rated purchase.
		for i := range p.Lines {
			p.Lines[i].Rate, p.Lines[i].CessRate = rates[i][0], rates[i][1]
		}
	}
	pays := d.Payments
	if pays == nil {
		pays = []PaymentPart{{Mode: ModeCredit, Amount: p.GrandTotal}}
	}
	p.Payments, p.Paid, err = settle(pays, p.GrandTotal, true, "purchase")
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Validate checks a payment.
func (p *Payment) Validate() error {
	if p.Direction != PaymentIn && p.Direction != PaymentOut {
		return Invalid("direction", "Payment direction must be in (received) or out (paid).")
	}
	if p.Party == nil || p.Party.ID == "" {
		return Invalid("party", "Say which party the money is from or to.")
	}
	if p.Amount <= 0 {
		return Invalid("amount", "The amount must be more than zero.")
	}
	if !ValidMode(p.Mode) || p.Mode == ModeCredit {
		return Invalid("mode", "Payment mode %q must be cash, upi, card or bank.", p.Mode)
	}
	return validDate(p.Date)
}

// Validate checks an expense.
func (e *Expense) Validate() error {
	e.Category = strings.TrimSpace(e.Category)
	if e.Category == "" {
		return Invalid("category", "Pick an expense category (for example Rent, Electricity, Salary).")
	}
	if e.Amount <= 0 {
		return Invalid("amount", "The amount must be more than zero.")
	}
	if e.Mode == "" {
		e.Mode = ModeCash
	}
	if !ValidMode(e.Mode) || e.Mode == ModeCredit {
		return Invalid("mode", "Payment mode %q must be cash, upi, card or bank.", e.Mode)
	}
	return validDate(e.Date)
}

// Validate checks a stock adjustment.
func (a *StockAdjustment) Validate() error {
	if a.ProductID == "" {
		return Invalid("product", "Pick the product whose stock changes.")
	}
	if a.Qty == 0 {
		return Invalid("qty", "The quantity change cannot be zero.")
	}
	if strings.TrimSpace(a.Reason) == "" {
		return Invalid("reason", "Give a reason for the stock change (damaged, counted, expired…).")
	}
	return validDate(a.Date)
}

// Validate checks a cancellation.
func (c *Cancellation) Validate() error {
	if strings.TrimSpace(c.Reason) == "" {
		return Invalid("reason", "Give a reason for cancelling %s.", c.DocNumber)
	}
	return validDate(c.Date)
}

func validDate(s string) error {
	if _, err := time.Parse(DateLayout, s); err != nil {
		return Invalid("date", "Date %q must look like 2026-10-05.", s)
	}
	return nil
}

// ParseDate parses a YYYY-MM-DD date (also DD-MM-YYYY) in local time.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{DateLayout, "02-01-2006", "02/01/2006"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, Invalid("date", "Date %q must look like 05-10-2026 or 2026-10-05.", s)
}
