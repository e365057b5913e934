package books

import (
	"github.com/ainaukar/naukar/app/gst"
)

// Document kinds of an invoice.
const (
	TaxInvoice   = "tax_invoice"
	BillOfSupply = "bill_of_supply"
)

// Payment modes.
const (
	ModeCash   = "cash"
	ModeUPI    = "upi"
	ModeCard   = "card"
	ModeBank   = "bank"
	ModeCredit = "credit" // on the party's account: not a payment
)

// ValidMode reports whether m is a payment mode.
func ValidMode(m string) bool {
	switch m {
	case ModeCash, ModeUPI, ModeCard, ModeBank, ModeCredit:
		return true
	}
	return false
}

// PartySnapshot is what an issued document keeps of the party: the facts as
// they were on the document's date.
type PartySnapshot struct {
	ID        string `json:"id,omitempty"`
	Name      string `json:"name"`
	GSTIN     string `json:"gstin,omitempty"`
	StateCode string `json:"state_code,omitempty"`
	Address   string `json:"address,omitempty"`
	City      string `json:"city,omitempty"`
	Pincode   string `json:"pincode,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Email     string `json:"email,omitempty"`
}

// SnapshotOf returns the snapshot of a party.
func SnapshotOf(p *Party, id string) *PartySnapshot {
	return &PartySnapshot{ID: id, Name: p.Name, GSTIN: p.GSTIN, StateCode: p.StateCode,
		Address: p.Address, City: p.City, Pincode: p.Pincode, Phone: p.Phone, Email: p.Email}
}

// SupplierSnapshot is what a sale document keeps of the shop itself.
type SupplierSnapshot struct {
	Name        string `json:"name"`
	GSTIN       string `json:"gstin,omitempty"`
	StateCode   string `json:"state_code"`
	Address     string `json:"address,omitempty"`
	City        string `json:"city,omitempty"`
	Pincode     string `json:"pincode,omitempty"`
	Phone       string `json:"phone,omitempty"`
	UPI         string `json:"upi,omitempty"`
	Composition bool   `json:"composition,omitempty"`
}

// SupplierOf snapshots the business.
func SupplierOf(b *Business) SupplierSnapshot {
	return SupplierSnapshot{Name: b.Name, GSTIN: b.GSTIN, StateCode: b.StateCode, Address: b.Address,
		City: b.City, Pincode: b.Pincode, Phone: b.Phone, UPI: b.UPI, Composition: b.Composition}
}

// Line is one priced line of a sale, credit note or purchase, with the
// product facts it was issued with.
type Line struct {
	ProductID        string       `json:"product_id,omitempty"`
	Name             string       `json:"name"`
	SKU              string       `json:"sku,omitempty"`
	HSN              string       `json:"hsn,omitempty"`
	Unit             string       `json:"unit"`
	Qty              int64        `json:"qty"`   // milli-units
	Price            int64        `json:"price"` // per unit, paise, as charged
	PriceIncludesTax bool         `json:"price_includes_tax,omitempty"`
	Discount         int64        `json:"discount,omitempty"` // paise off the line
	Rate             gst.RateBP   `json:"rate"`
	CessRate         gst.RateBP   `json:"cess_rate,omitempty"`
	Category         gst.Category `json:"category,omitempty"`
	Cost             int64        `json:"cost,omitempty"` // purchase price per unit at sale (for margins)
	Taxable          int64        `json:"taxable"`
	CGST             int64        `json:"cgst"`
	SGST             int64        `json:"sgst"`
	IGST             int64        `json:"igst"`
	Cess             int64        `json:"cess"`
	Total            int64        `json:"total"`
}

// Gross is qty × price before discount, in paise.
func (l *Line) Gross() int64 { return gst.RoundDiv(l.Qty*l.Price, 1000) }

// Totals are a document's summed tax heads.
type Totals struct {
	Taxable    int64 `json:"taxable"`
	CGST       int64 `json:"cgst"`
	SGST       int64 `json:"sgst"`
	IGST       int64 `json:"igst"`
	Cess       int64 `json:"cess"`
	RoundOff   int64 `json:"round_off"`
	GrandTotal int64 `json:"grand_total"`
}

// Tax is the sum of all tax heads.
func (t Totals) Tax() int64 { return t.CGST + t.SGST + t.IGST + t.Cess }

// TaxOutsideTotal reports whether the document's tax is not part of its
// total: on reverse charge the recipient pays it to the government (bills
// issued before that rule kept it in the total).
func (t Totals) TaxOutsideTotal() bool { return t.Tax() != 0 && t.GrandTotal-t.RoundOff == t.Taxable }

// PaymentPart is one mode of payment on a bill (split payments have several).
type PaymentPart struct {
	Mode   string `json:"mode"`
	Amount int64  `json:"amount"`
	Ref    string `json:"ref,omitempty"`
}

// Invoice is an issued sale: a tax invoice or a bill of supply. Immutable.
type Invoice struct {
	ID            string           `json:"-"`
	Kind          string           `json:"kind"`
	Number        string           `json:"number"`
	Series        string           `json:"series"`
	FY            int              `json:"fy"`  // financial year start (2026 = 2026-27)
	Seq           int64            `json:"seq"` // position in the series and year
	Date          string           `json:"date"`
	Supplier      SupplierSnapshot `json:"supplier"`
	Party         *PartySnapshot   `json:"party,omitempty"` // nil: walk-in customer
	PlaceOfSupply string           `json:"place_of_supply"`
	SupplyType    gst.SupplyType   `json:"supply_type"`
	// ReverseCharge: the recipient pays the tax; it is shown but not in
	// the totals (invoices from before this rule kept it in the total).
	ReverseCharge bool `json:"reverse_charge,omitempty"`
	// ZeroRated is set on an export or a supply to an SEZ (with IGST or
	// under LUT); ShippingBill is an export's shipping bill as known at
	// billing (ExportDetails documents may add it later).
	ZeroRated    gst.ZeroRated `json:"zero_rated,omitempty"`
	ShippingBill *ShippingBill `json:"shipping_bill,omitempty"`
	Lines        []Line        `json:"lines"`
	Totals
	Payments  []PaymentPart `json:"payments,omitempty"`
	Paid      int64         `json:"paid"` // sum of payments other than credit
	Notes     string        `json:"notes,omitempty"`
	DeviceID  string        `json:"device_id,omitempty"`
	CreatedAt string        `json:"created_at,omitempty"` // RFC 3339
	Maker
}

// Due is what stays on the party's account.
func (inv *Invoice) Due() int64 { return inv.GrandTotal - inv.Paid }

// CreditNote is a sales return or price correction against an invoice (Rule 53).
type CreditNote struct {
	ID            string           `json:"-"`
	Number        string           `json:"number"`
	Series        string           `json:"series"`
	FY            int              `json:"fy"`
	Seq           int64            `json:"seq"`
	Date          string           `json:"date"`
	InvoiceID     string           `json:"invoice_id"`
	InvoiceNumber string           `json:"invoice_number"`
	InvoiceDate   string           `json:"invoice_date"`
	Supplier      SupplierSnapshot `json:"supplier"`
	Party         *PartySnapshot   `json:"party,omitempty"`
	PlaceOfSupply string           `json:"place_of_supply"`
	SupplyType    gst.SupplyType   `json:"supply_type"`
	// ReverseCharge and ZeroRated are the invoice's: a note corrects the
	// supply as it was made.
	ReverseCharge bool          `json:"reverse_charge,omitempty"`
	ZeroRated     gst.ZeroRated `json:"zero_rated,omitempty"`
	Reason        string        `json:"reason,omitempty"`
	Restock       bool          `json:"restock"` // returned goods go back into stock
	Lines         []Line        `json:"lines"`
	LineRefs      []int         `json:"line_refs"` // index of each line's invoice line
	Totals
	Refunds   []PaymentPart `json:"refunds,omitempty"` // money paid back; the rest is credited to the party
	Refunded  int64         `json:"refunded"`
	DeviceID  string        `json:"device_id,omitempty"`
	CreatedAt string        `json:"created_at,omitempty"`
	Maker
}

// Purchase is a supplier's bill: stock in, input tax.
type Purchase struct {
	ID         string         `json:"-"`
	BillNumber string         `json:"bill_number"`
	Date       string         `json:"date"`
	Party      *PartySnapshot `json:"party"`
	SupplyType gst.SupplyType `json:"supply_type"`
	// ReverseCharge: the shop pays the tax on this inward supply itself
	// (notified goods or services, CGST Act s.9(3) and 9(4)); it is worked
	// out at the lines' rates and is not owed to the supplier.
	ReverseCharge bool   `json:"reverse_charge,omitempty"`
	Lines         []Line `json:"lines"`
	Totals
	Payments  []PaymentPart `json:"payments,omitempty"`
	Paid      int64         `json:"paid"`
	DeviceID  string        `json:"device_id,omitempty"`
	CreatedAt string        `json:"created_at,omitempty"`
	Maker
}

// Payment directions.
const (
	PaymentIn  = "in"  // received from a customer
	PaymentOut = "out" // paid to a supplier
)

// Payment is money received from or paid to a party, outside a bill.
type Payment struct {
	ID        string         `json:"-"`
	Date      string         `json:"date"`
	Direction string         `json:"direction"`
	Party     *PartySnapshot `json:"party"`
	Mode      string         `json:"mode"`
	Amount    int64          `json:"amount"`
	InvoiceID string         `json:"invoice_id,omitempty"`
	Note      string         `json:"note,omitempty"`
	DeviceID  string         `json:"device_id,omitempty"`
	CreatedAt string         `json:"created_at,omitempty"`
	Maker
}

// Expense is a shop expense by category.
type Expense struct {
	ID        string `json:"-"`
	Date      string `json:"date"`
	Category  string `json:"category"`
	Amount    int64  `json:"amount"`
	Mode      string `json:"mode"`
	Note      string `json:"note,omitempty"`
	DeviceID  string `json:"device_id,omitempty"`
	CreatedAt string `json:"created_at,omitempty"`
	Maker
}

// StockAdjustment changes stock for a reason (damage, count, gift…).
type StockAdjustment struct {
	ID          string `json:"-"`
	Date        string `json:"date"`
	ProductID   string `json:"product_id"`
	ProductName string `json:"product_name"`
	Qty         int64  `json:"qty"` // signed milli-units
	Reason      string `json:"reason"`
	DeviceID    string `json:"device_id,omitempty"`
	CreatedAt   string `json:"created_at,omitempty"`
	Maker
}

// Cancellation voids an issued document; the document itself never changes.
type Cancellation struct {
	ID        string `json:"-"`
	Date      string `json:"date"`
	DocTable  string `json:"doc_table"` // "invoices"
	DocID     string `json:"doc_id"`
	DocNumber string `json:"doc_number"`
	Reason    string `json:"reason"`
	DeviceID  string `json:"device_id,omitempty"`
	CreatedAt string `json:"created_at,omitempty"`
	Maker
}
