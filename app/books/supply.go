package books

import (
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/gst"
)

// This file holds the GST terms of a sale beyond the regular one:
// zero-rated supplies (exports and supplies to an SEZ, with IGST or under
// LUT), reverse charge, the shipping bill of an export, and the sales the
// books do not support yet (through an e-commerce operator, advances).

// ShippingBill is the customs shipping bill of an export: the port the
// goods leave from, the bill's number and its date. GSTR-1 table 6A
// reports it with the export invoice.
type ShippingBill struct {
	PortCode string `json:"port_code"`
	Number   string `json:"number"`
	Date     string `json:"date"` // YYYY-MM-DD
}

// Normalize trims the fields and upper-cases the port code; a date typed
// as DD-MM-YYYY becomes YYYY-MM-DD.
func (sb *ShippingBill) Normalize() {
	sb.PortCode = strings.ToUpper(strings.TrimSpace(sb.PortCode))
	sb.Number = strings.TrimSpace(sb.Number)
	sb.Date = strings.TrimSpace(sb.Date)
	if t, err := ParseDate(sb.Date); err == nil {
		sb.Date = t.Format(DateLayout)
	}
}

// Empty reports whether nothing of the shipping bill is given.
func (sb *ShippingBill) Empty() bool {
	return sb == nil || sb.PortCode == "" && sb.Number == "" && sb.Date == ""
}

// Validate checks the shipping bill of an export invoice dated
// invoiceDate (YYYY-MM-DD): the port code, number and date come together,
// and the shipping bill is not dated before the invoice.
func (sb *ShippingBill) Validate(invoiceDate string) error {
	if sb.PortCode == "" || sb.Number == "" || sb.Date == "" {
		return Invalid("shipping_bill", "Give the shipping bill's port code, number and date together (for example INNSA1, 1234567, 2026-10-08).")
	}
	if err := gst.ValidatePortCode(sb.PortCode); err != nil {
		return Invalid("shipping_bill.port_code", "Shipping bill: %s.", err.Error())
	}
	if err := gst.ValidateShippingBillNumber(sb.Number); err != nil {
		return Invalid("shipping_bill.number", "Shipping bill: %s.", err.Error())
	}
	if _, err := time.Parse(DateLayout, sb.Date); err != nil {
		return Invalid("shipping_bill.date", "Shipping bill date %q must look like 2026-10-08.", sb.Date)
	}
	if sb.Date < invoiceDate {
		return Invalid("shipping_bill.date", "The shipping bill date %s is before the invoice date %s; the shipping bill follows the invoice.", sb.Date, invoiceDate)
	}
	return nil
}

// ExportDetails records the shipping bill of an export invoice after the
// invoice was issued. The invoice itself never changes (documents are
// written once): this is a document of its own that names the invoice,
// like a cancellation. When several name one invoice, the newest (by its
// stamp) counts.
type ExportDetails struct {
	ID            string       `json:"-"`
	Date          string       `json:"date"` // when it was recorded
	InvoiceID     string       `json:"invoice_id"`
	InvoiceNumber string       `json:"invoice_number"`
	ShippingBill  ShippingBill `json:"shipping_bill"`
	DeviceID      string       `json:"device_id,omitempty"`
	CreatedAt     string       `json:"created_at,omitempty"`
	Maker
}

// Validate checks the details against the invoice they complete: only an
// export invoice that is not cancelled takes them.
func (e *ExportDetails) Validate(inv *Invoice, cancelled bool) error {
	if !inv.ZeroRated.Export() {
		return Invalid("invoice", "Invoice %s is not an export; only an export invoice has a shipping bill.", inv.Number)
	}
	if cancelled {
		return Invalid("invoice", "Invoice %s is cancelled; its shipping bill is not reported.", inv.Number)
	}
	if err := validDate(e.Date); err != nil {
		return err
	}
	e.ShippingBill.Normalize()
	if err := e.ShippingBill.Validate(inv.Date); err != nil {
		return err
	}
	if e.ShippingBill.Date > e.Date {
		return Invalid("shipping_bill.date", "The shipping bill date %s is after today (%s).", e.ShippingBill.Date, e.Date)
	}
	return nil
}

// checkTerms checks the GST terms of a sale draft against the shop, the
// buyer and the lines, and settles the place of supply of an export. pos
// is the place of supply worked out so far.
func checkTerms(biz *Business, d *SaleDraft, pos string) (string, error) {
	z := d.ZeroRated
	if d.ECommerceGSTIN != "" {
		return "", Invalid("ecommerce_gstin", "Sales through an e-commerce operator (who collects TCS or pays the tax under section 9(5)) are not supported: AI Naukar does not fill GSTR-1 tables 14 and 15. Report this sale on the GST portal yourself.")
	}
	if d.Advance {
		return "", Invalid("advance", "Advances received before the supply (GSTR-1 tables 11A and 11B) are not supported. Record the money as a payment from the customer (naukar pay), and bill when you supply.")
	}
	if p := d.Party; p != nil && p.GSTIN != "" && biz.GSTIN != "" && p.GSTIN == biz.GSTIN {
		return "", Invalid("party.gstin", "GSTIN %s is this shop's own: a shop cannot bill itself. A branch in another state has a GSTIN of its own; bill that GSTIN.", p.GSTIN)
	}
	if z == "" && !d.ReverseCharge {
		if pos == gst.OtherCountries {
			return "", Invalid("zero_rated", "Place of supply 96 (Other Countries) is an export: choose export with IGST or export under LUT.")
		}
		return pos, nil
	}
	if !biz.Registered() || biz.Composition {
		what := "reverse charge"
		if z != "" {
			what = strings.ToLower(z.Label())
		}
		return "", Invalid("zero_rated", "Only a GST-registered shop outside the composition scheme can bill %s.", what)
	}
	if z != "" && d.ReverseCharge {
		return "", Invalid("reverse_charge", "A zero-rated supply (%s) is not on reverse charge; choose one.", strings.ToLower(z.Label()))
	}
	if d.ReverseCharge {
		if d.Party == nil || d.Party.GSTIN == "" {
			return "", Invalid("reverse_charge", "Reverse charge applies to sales to a registered buyer: pick a customer with a GSTIN.")
		}
		return pos, nil
	}
	if _, err := gst.ParseZeroRated(string(z)); err != nil || z == "" {
		return "", Invalid("zero_rated", "Zero-rated supply %q is not known; use export_igst, export_lut, sez_igst or sez_lut.", z)
	}
	switch {
	case z.Export():
		if d.Party == nil {
			return "", Invalid("party", "An export bill needs the foreign buyer's name and address: pick or add the customer.")
		}
		if d.Party.GSTIN != "" {
			return "", Invalid("party.gstin", "An export buyer abroad has no GSTIN; a buyer with GSTIN %s is billed as a regular or SEZ sale.", d.Party.GSTIN)
		}
		if d.PlaceOfSupply != "" && pos != gst.OtherCountries {
			return "", Invalid("place_of_supply", "The place of supply of an export is 96 (Other Countries), not %s.", pos)
		}
		if !d.ShippingBill.Empty() {
			sb := *d.ShippingBill
			sb.Normalize()
			if err := sb.Validate(d.Date.Format(DateLayout)); err != nil {
				return "", err
			}
			d.ShippingBill = &sb
		}
		return gst.OtherCountries, nil
	default: // SEZ
		if d.Party == nil || d.Party.GSTIN == "" {
			return "", Invalid("party.gstin", "A supply to an SEZ unit or developer needs the buyer's GSTIN.")
		}
		if pos == gst.OtherCountries {
			return "", Invalid("place_of_supply", "An SEZ is in India: its place of supply is its state, not 96 (Other Countries).")
		}
	}
	if !d.ShippingBill.Empty() {
		return "", Invalid("shipping_bill", "Only an export has a shipping bill.")
	}
	return pos, nil
}

// taxMode is how a document's tax is charged.
type taxMode uint8

const (
	taxNormal    taxMode = iota
	taxNone              // bill of supply: no tax, lines keep no rate
	taxUnderLUT          // zero-rated under LUT: lines keep their rate, no tax
	taxRecipient         // reverse charge: tax shown, paid by the recipient, not in the total
)

// saleTaxMode is the tax mode of an invoice (and of its credit notes).
func saleTaxMode(kind string, z gst.ZeroRated, reverseCharge bool) taxMode {
	switch {
	case kind == BillOfSupply:
		return taxNone
	case z.UnderLUT():
		return taxUnderLUT
	case reverseCharge:
		return taxRecipient
	}
	return taxNormal
}

// noteTaxMode is how a credit note against inv charges tax: as the
// invoice did.
func noteTaxMode(inv *Invoice) taxMode {
	return saleTaxMode(inv.Kind, inv.ZeroRated, inv.ReverseCharge)
}
