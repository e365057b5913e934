package books

import (
	"fmt"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/gst"
)

// MaxLines is the most lines one bill may carry.
const MaxLines = 500

// DraftLine is a line being billed: a product and how much of it.
type DraftLine struct {
	ProductID  string
	Product    Product
	Qty        int64  // milli-units, > 0
	Price      *int64 // per-unit price override in paise; nil uses the product's sale price
	DiscountBP int64  // discount in basis points of the line value (250 = 2.5%)
	Discount   int64  // flat discount in paise; used when DiscountBP is 0
}

// SaleDraft is a bill before it is issued.
type SaleDraft struct {
	Date          time.Time
	Party         *PartySnapshot // nil: walk-in
	PlaceOfSupply string         // state code; "" means the party's state, else the shop's
	Lines         []DraftLine
	Payments      []PaymentPart // nil: paid in full in cash
	// ReverseCharge: the buyer (registered) pays the tax to the government;
	// the invoice shows it but does not collect it.
	ReverseCharge bool
	// ZeroRated makes the sale an export or a supply to an SEZ, with IGST
	// or under LUT; ShippingBill is an export's shipping bill, when known
	// at billing (it can be added later: ExportDetails).
	ZeroRated    gst.ZeroRated
	ShippingBill *ShippingBill
	// ECommerceGSTIN (a sale through an e-commerce operator) and Advance
	// (an advance before the supply) are refused: not supported yet.
	ECommerceGSTIN string
	Advance        bool
	Notes          string
}

// Warning is something the shopkeeper should see but that does not stop a sale.
type Warning struct {
	Field string `json:"field"`
	Msg   string `json:"message"`
}

// PriceSale validates a draft and prices it: taxes per invoice per rate,
// allocated to lines, round off, payments. The result has no id or number
// yet; the store gives those when it saves.
func PriceSale(biz *Business, d *SaleDraft) (*Invoice, error) {
	if len(d.Lines) == 0 {
		return nil, Invalid("lines", "A bill needs at least one item.")
	}
	if len(d.Lines) > MaxLines {
		return nil, Invalid("lines", "A bill can have at most %d lines; split it into two bills.", MaxLines)
	}
	if d.Date.IsZero() {
		return nil, Invalid("date", "The bill date is missing.")
	}
	inv := &Invoice{
		Kind:          TaxInvoice,
		Date:          d.Date.Format(DateLayout),
		Supplier:      SupplierOf(biz),
		Party:         d.Party,
		ReverseCharge: d.ReverseCharge,
		ZeroRated:     d.ZeroRated,
		Notes:         strings.TrimSpace(d.Notes),
	}
	if p := inv.Party; p != nil {
		p.Name = strings.TrimSpace(p.Name)
		if p.Name == "" {
			return nil, Invalid("party", "The customer's name is missing; leave the customer out for a walk-in sale.")
		}
		if p.GSTIN != "" {
			p.GSTIN = gst.NormalizeGSTIN(p.GSTIN)
			if err := gst.ValidateGSTIN(p.GSTIN); err != nil {
				return nil, Invalid("party.gstin", "Customer GSTIN: %s", err.Error())
			}
			if p.StateCode == "" {
				p.StateCode = gst.GSTINState(p.GSTIN)
			}
		}
		if p.StateCode != "" {
			sc, err := gst.NormalizeStateCode(p.StateCode)
			if err != nil {
				return nil, Invalid("party.state_code", "Customer state: %s", err.Error())
			}
			p.StateCode = sc
		}
	}
	pos := strings.TrimSpace(d.PlaceOfSupply)
	switch {
	case pos != "":
		sc, err := gst.NormalizeStateCode(pos)
		if err != nil {
			return nil, Invalid("place_of_supply", "Place of supply: %s", err.Error())
		}
		pos = sc
	case inv.Party != nil && inv.Party.StateCode != "":
		pos = inv.Party.StateCode
	default:
		// IGST Act s.10(1)(ca): an unregistered buyer with no recorded
		// address is supplied at the supplier's location.
		pos = biz.StateCode
	}
	pos, err := checkTerms(biz, d, pos)
	if err != nil {
		return nil, err
	}
	inv.PlaceOfSupply = pos
	inv.SupplyType = gst.SupplyTypeFor(biz.StateCode, pos, inv.ZeroRated.SEZ())
	if inv.ZeroRated.Export() {
		inv.ShippingBill = d.ShippingBill
	}

	lines, err := priceLines(biz, d.Date, d.Lines, true)
	if err != nil {
		return nil, err
	}
	inv.Lines = lines
	if !biz.Registered() || biz.Composition || allUntaxed(lines) {
		inv.Kind = BillOfSupply
		if inv.ReverseCharge {
			return nil, Invalid("reverse_charge", "Reverse charge needs taxable items; every item on this bill is untaxed.")
		}
	}
	inv.Totals = computeTax(inv.Lines, inv.SupplyType, saleTaxMode(inv.Kind, inv.ZeroRated, inv.ReverseCharge))

	pays, paid, err := settle(d.Payments, inv.GrandTotal, inv.Party != nil, "bill")
	if err != nil {
		return nil, err
	}
	inv.Payments, inv.Paid = pays, paid
	return inv, nil
}

func allUntaxed(lines []Line) bool {
	for _, l := range lines {
		if l.Category == gst.Taxable || l.Category == "" {
			return false
		}
	}
	return true
}

// priceLines turns draft lines into lines with values before tax.
func priceLines(biz *Business, date time.Time, in []DraftLine, sale bool) ([]Line, error) {
	out := make([]Line, len(in))
	for i, dl := range in {
		p := &dl.Product
		where := fmt.Sprintf("Line %d (%s)", i+1, p.Name)
		if dl.Qty <= 0 {
			return nil, Invalid(fmt.Sprintf("lines[%d].qty", i), "%s: quantity must be more than zero.", where)
		}
		if dl.Qty > 1_000_000_000 {
			return nil, Invalid(fmt.Sprintf("lines[%d].qty", i), "%s: quantity %s is too large.", where, gst.FormatQty(dl.Qty))
		}
		price := p.SalePrice
		incl := p.PriceIncludesTax
		if !sale {
			price, incl = p.PurchasePrice, false
		}
		if dl.Price != nil {
			price = *dl.Price
		}
		if price < 0 {
			return nil, Invalid(fmt.Sprintf("lines[%d].price", i), "%s: price cannot be negative.", where)
		}
		if price > 100_000_000_00 {
			return nil, Invalid(fmt.Sprintf("lines[%d].price", i), "%s: price %s is too large.", where, gst.FormatINR(price))
		}
		cat := p.Category
		if cat == "" {
			cat = gst.Taxable
		}
		if cat == gst.Taxable && sale {
			if err := gst.ValidateRate(p.GSTRate, date); err != nil {
				return nil, Invalid(fmt.Sprintf("lines[%d].rate", i), "%s: %s", where, err.Error())
			}
		}
		l := Line{ProductID: dl.ProductID, Name: p.Name, SKU: p.SKU, HSN: p.HSN, Unit: p.Unit,
			Qty: dl.Qty, Price: price, PriceIncludesTax: incl, Rate: p.GSTRate, CessRate: p.CessRate,
			Category: cat, Cost: p.PurchasePrice}
		if cat != gst.Taxable {
			l.Rate, l.CessRate = 0, 0
		}
		gross := l.Gross()
		switch {
		case dl.DiscountBP < 0 || dl.DiscountBP > 10000:
			return nil, Invalid(fmt.Sprintf("lines[%d].discount_pct", i), "%s: discount must be between 0%% and 100%%.", where)
		case dl.DiscountBP > 0:
			l.Discount = gst.RoundDiv(gross*dl.DiscountBP, 10000)
		default:
			l.Discount = dl.Discount
		}
		if l.Discount < 0 || l.Discount > gross {
			return nil, Invalid(fmt.Sprintf("lines[%d].discount", i), "%s: discount %s is more than the line value %s.", where, gst.FormatINR(l.Discount), gst.FormatINR(gross))
		}
		out[i] = l
	}
	return out, nil
}

// computeTax fills each line's tax heads and returns the document totals.
// Untaxed (bill of supply) documents carry their inclusive value as is; a
// supply under LUT carries no tax; under reverse charge the tax is shown
// but left out of the totals (the recipient pays it).
func computeTax(lines []Line, st gst.SupplyType, mode taxMode) Totals {
	untaxed := mode == taxNone
	in := make([]gst.LineInput, len(lines))
	for i, l := range lines {
		li := gst.LineInput{Amount: l.Gross() - l.Discount, Inclusive: l.PriceIncludesTax,
			Rate: l.Rate, CessRate: l.CessRate, Category: l.Category}
		if untaxed {
			li = gst.LineInput{Amount: li.Amount, Category: gst.Exempt}
		}
		in[i] = li
	}
	res := gst.Compute(in, st)
	switch mode {
	case taxUnderLUT:
		res = res.Untaxed()
	case taxRecipient:
		res = res.RecipientPays()
	}
	for i := range lines {
		lt := res.Lines[i]
		lines[i].Taxable, lines[i].CGST, lines[i].SGST, lines[i].IGST, lines[i].Cess, lines[i].Total =
			lt.Taxable, lt.CGST, lt.SGST, lt.IGST, lt.Cess, lt.Total
		if untaxed {
			lines[i].Rate, lines[i].CessRate = 0, 0
		}
	}
	return Totals{Taxable: res.Taxable, CGST: res.CGST, SGST: res.SGST, IGST: res.IGST, Cess: res.Cess,
		RoundOff: res.RoundOff, GrandTotal: res.GrandTotal}
}

// settle checks the payments of a bill of grand total and returns them
// with the amount actually paid. No payments means paid in full in cash.
func settle(pays []PaymentPart, grand int64, hasParty bool, what string) ([]PaymentPart, int64, error) {
	if len(pays) == 0 {
		if grand == 0 {
			return nil, 0, nil
		}
		return []PaymentPart{{Mode: ModeCash, Amount: grand}}, grand, nil
	}
	var paid, credit int64
	out := make([]PaymentPart, 0, len(pays))
	for i, p := range pays {
		p.Mode = strings.ToLower(strings.TrimSpace(p.Mode))
		if !ValidMode(p.Mode) {
			return nil, 0, Invalid(fmt.Sprintf("payments[%d].mode", i), "Payment mode %q is not one of cash, upi, card, bank, credit.", p.Mode)
		}
		if p.Amount < 0 {
			return nil, 0, Invalid(fmt.Sprintf("payments[%d].amount", i), "Payment amounts cannot be negative.")
		}
		if p.Amount == 0 {
			continue
		}
		if p.Mode == ModeCredit {
			credit += p.Amount
		} else {
			paid += p.Amount
		}
		out = append(out, p)
	}
	if paid > grand {
		return nil, 0, Invalid("payments", "Payments add up to %s, more than the %s total of %s; enter the %s amount and give the change back in cash.",
			gst.FormatINR(paid), what, gst.FormatINR(grand), what)
	}
	if credit > 0 && paid+credit != grand {
		return nil, 0, Invalid("payments", "Payments including credit add up to %s but the %s total is %s.",
			gst.FormatINR(paid+credit), what, gst.FormatINR(grand))
	}
	if paid < grand && !hasParty {
		return nil, 0, Invalid("payments", "A walk-in %s must be paid in full (%s short); pick a customer to put the rest on their account.",
			what, gst.FormatINR(grand-paid))
	}
	return out, paid, nil
}
