package books

import (
	"errors"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/gst"
)

// Money is in integer paise and quantities are in thousandths of a unit
// (milli-units: 1.5 kg = 1500) throughout the books.

// DateLayout is how dates are stored and exchanged: 2026-10-05.
const DateLayout = "2006-01-02"

// Business is the shop's profile (one per books file).
type Business struct {
	ID               string `json:"-"`
	Name             string `json:"name"`
	GSTIN            string `json:"gstin,omitempty"`
	StateCode        string `json:"state_code"`
	Address          string `json:"address,omitempty"`
	City             string `json:"city,omitempty"`
	Pincode          string `json:"pincode,omitempty"`
	Phone            string `json:"phone,omitempty"`
	Email            string `json:"email,omitempty"`
	UPI              string `json:"upi,omitempty"`
	Composition      bool   `json:"composition,omitempty"`
	InvoicePrefix    string `json:"invoice_prefix"`
	CreditNotePrefix string `json:"credit_note_prefix"`
	BankName         string `json:"bank_name,omitempty"`
	BankAccount      string `json:"bank_account,omitempty"`
	BankIFSC         string `json:"bank_ifsc,omitempty"`
	Terms            string `json:"terms,omitempty"`
	// AnnualTurnover (paise) decides HSN digits on invoices (4 up to ₹5 crore, else 6).
	AnnualTurnover int64 `json:"annual_turnover,omitempty"`
	// ReminderRule is the shop's automatic WhatsApp payment reminder rule
	// (app/messaging.Rule says what it means and applies it); nil: no
	// automatic reminders. It is set on its own (Store.SetReminderRule),
	// never by saving the profile.
	ReminderRule *ReminderRule `json:"reminder_rule,omitempty"`
}

// ReminderRule is how a reminder rule is kept in the business profile:
// the first reminder After days after the oldest unpaid bill, then every
// Every days, at most Max. app/messaging.Rule is the same fields with the
// rule's behaviour.
type ReminderRule struct {
	After int `json:"after_days"`
	Every int `json:"every_days"`
	Max   int `json:"max"`
}

// Registered reports whether the shop has a GSTIN.
func (b *Business) Registered() bool { return b.GSTIN != "" }

// Normalize trims fields, upper-cases codes and fills defaults.
func (b *Business) Normalize() {
	b.Name = strings.TrimSpace(b.Name)
	b.GSTIN, b.StateCode = gst.NormalizeRegistration(b.GSTIN, b.StateCode)
	b.UPI = strings.TrimSpace(b.UPI)
	b.InvoicePrefix = strings.ToUpper(strings.TrimSpace(b.InvoicePrefix))
	b.CreditNotePrefix = strings.ToUpper(strings.TrimSpace(b.CreditNotePrefix))
	if b.CreditNotePrefix == "" {
		b.CreditNotePrefix = "CN"
	}
}

// Validate checks the profile.
func (b *Business) Validate() error {
	if b.Name == "" {
		return Invalid("name", "Business name is required.")
	}
	if err := gst.CheckRegistration(b.GSTIN, b.StateCode); err != nil {
		return invalidGST(err)
	}
	if b.UPI != "" {
		if err := gst.ValidateVPA(b.UPI); err != nil {
			return Invalid("upi", "%s", err.Error())
		}
	}
	for _, p := range []struct{ field, v string }{{"invoice_prefix", b.InvoicePrefix}, {"credit_note_prefix", b.CreditNotePrefix}} {
		if len(p.v) > 6 {
			return Invalid(p.field, "Prefix %q is too long: at most 6 characters, so invoice numbers stay within 16.", p.v)
		}
		for _, c := range p.v {
			if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '/') {
				return Invalid(p.field, "Prefix %q may use only letters, digits, '-' and '/'.", p.v)
			}
		}
	}
	return nil
}

// Product is a catalogue record.
type Product struct {
	ID               string       `json:"-"`
	Name             string       `json:"name"`
	SKU              string       `json:"sku,omitempty"`
	Barcodes         []string     `json:"barcodes,omitempty"`
	HSN              string       `json:"hsn,omitempty"`
	Unit             string       `json:"unit"`
	SalePrice        int64        `json:"sale_price"`
	PriceIncludesTax bool         `json:"price_includes_tax"`
	PurchasePrice    int64        `json:"purchase_price,omitempty"`
	MRP              int64        `json:"mrp,omitempty"`
	GSTRate          gst.RateBP   `json:"gst_rate"`
	CessRate         gst.RateBP   `json:"cess_rate,omitempty"`
	Category         gst.Category `json:"category,omitempty"`
	OpeningStock     int64        `json:"opening_stock,omitempty"`
	ReorderLevel     int64        `json:"reorder_level,omitempty"`
	Deleted          bool         `json:"deleted,omitempty"`
}

// Normalize trims and canonicalises fields.
func (p *Product) Normalize() {
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	p.SKU = strings.TrimSpace(p.SKU)
	p.HSN = strings.TrimSpace(p.HSN)
	if u, err := gst.NormalizeUQC(p.Unit); err == nil {
		p.Unit = u
	}
	out := p.Barcodes[:0]
	seen := map[string]bool{}
	for _, b := range p.Barcodes {
		b = strings.TrimSpace(b)
		if b != "" && !seen[b] {
			seen[b] = true
			out = append(out, b)
		}
	}
	p.Barcodes = out
	if p.Category == "" {
		p.Category = gst.Taxable
	}
}

// Validate checks a product; date decides which GST rates are allowed.
// It finds every problem at once: one *Error, or Problems in the order of
// the product form, or nil.
func (p *Product) Validate(date time.Time) error {
	var ps Problems
	if p.Name == "" {
		ps = append(ps, Invalid("name", "Product name is required."))
	}
	if len(p.Name) > 200 {
		ps = append(ps, Invalid("name", "Product name is too long (at most 200 characters)."))
	}
	if p.HSN != "" {
		if err := gst.ValidateHSN(p.HSN); err != nil {
			ps = append(ps, Invalid("hsn", "%s", err.Error()))
		}
	}
	if !gst.ValidUQC(p.Unit) {
		ps = append(ps, Invalid("unit", "Unit %q is not a GST unit (UQC); use one such as NOS, PCS, KGS, LTR, BOX.", p.Unit))
	}
	if _, err := gst.ParseCategory(string(p.Category)); err != nil {
		ps = append(ps, Invalid("category", "%s", err.Error()))
	} else if p.Category == gst.Taxable {
		if err := gst.ValidateRate(p.GSTRate, date); err != nil {
			ps = append(ps, Invalid("gst_rate", "%s", err.Error()))
		}
	}
	if p.CessRate < 0 || p.CessRate > 30000 {
		ps = append(ps, Invalid("cess_rate", "Cess rate must be between 0 and 300%%."))
	}
	for _, f := range []struct {
		field string
		v     int64
	}{{"sale_price", p.SalePrice}, {"purchase_price", p.PurchasePrice}, {"mrp", p.MRP}} {
		if f.v < 0 {
			ps = append(ps, Invalid(f.field, "Prices cannot be negative."))
		}
	}
	if p.ReorderLevel < 0 {
		ps = append(ps, Invalid("reorder_level", "Reorder level cannot be negative."))
	}
	return ps.Err()
}

// Party kinds.
const (
	Customer = "customer"
	Supplier = "supplier"
)

// Party is a customer or supplier. OpeningBalance > 0 means they owe the
// shop (receivable); < 0 means the shop owes them (payable).
type Party struct {
	ID             string `json:"-"`
	Name           string `json:"name"`
	Kind           string `json:"kind"`
	Phone          string `json:"phone,omitempty"`
	Email          string `json:"email,omitempty"`
	GSTIN          string `json:"gstin,omitempty"`
	StateCode      string `json:"state_code,omitempty"`
	Address        string `json:"address,omitempty"`
	City           string `json:"city,omitempty"`
	Pincode        string `json:"pincode,omitempty"`
	OpeningBalance int64  `json:"opening_balance,omitempty"`
	Deleted        bool   `json:"deleted,omitempty"`
}

// Normalize trims and canonicalises a party.
func (p *Party) Normalize() {
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	p.Kind = strings.ToLower(strings.TrimSpace(p.Kind))
	if p.Kind == "" {
		p.Kind = Customer
	}
	p.Phone = strings.TrimSpace(p.Phone)
	if m, err := gst.NormalizeMobile(p.Phone); err == nil {
		p.Phone = m
	}
	p.GSTIN, p.StateCode = gst.NormalizeRegistration(p.GSTIN, p.StateCode)
	p.Email = strings.TrimSpace(p.Email)
}

// Validate checks a party.
func (p *Party) Validate() error {
	if p.Name == "" {
		return Invalid("name", "Party name is required.")
	}
	if p.Kind != Customer && p.Kind != Supplier {
		return Invalid("kind", "Party kind must be customer or supplier, not %q.", p.Kind)
	}
	if p.Phone != "" {
		if _, err := gst.NormalizeMobile(p.Phone); err != nil {
			return invalidGST(err)
		}
	}
	if p.GSTIN != "" {
		if err := gst.ValidateGSTIN(p.GSTIN); err != nil {
			return Invalid("gstin", "%s", err.Error())
		}
	}
	if p.StateCode != "" && !gst.ValidStateCode(p.StateCode) {
		return Invalid("state_code", "State code %q is not a GST state code; use two digits such as 27.", p.StateCode)
	}
	if p.Email != "" && !strings.Contains(p.Email, "@") {
		return Invalid("email", "Email %q does not look like an email address.", p.Email)
	}
	return nil
}

// invalidGST turns an *gst.Error into an EINVALID error of the books, naming
// the books' field ("state" is the books' "state_code").
func invalidGST(err error) *Error {
	var ge *gst.Error
	if !errors.As(err, &ge) {
		return Invalid("", "%s", err.Error())
	}
	field := ge.Field
	if field == "state" {
		field = "state_code"
	}
	return Invalid(field, "%s", ge.Msg)
}
