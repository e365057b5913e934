package printing

import (
	"fmt"
	"strings"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

// docKind is what a printed document is, in GST terms.
type docKind uint8

const (
	taxInvoice   docKind = iota
	billOfSupply         // Rule 49: exempt goods, composition dealers
	creditNote           // Rule 53
)

// document is everything printed on an invoice or credit note, whatever
// the paper: worked out once from the books and shared by the A4 layout,
// the thermal PDF and ESC/POS.
type document struct {
	kind          docKind
	title         string
	numberLabel   string // "Invoice No." or "Credit Note No."
	number        string
	date          string // dd-mm-yyyy
	supplier      books.SupplierSnapshot
	email         string
	bankName      string
	bankAccount   string
	bankIFSC      string
	terms         string
	party         *books.PartySnapshot
	pos           string // place of supply, state code
	supply        gst.SupplyType
	sgstLabel     string // SGST, or UTGST in a union territory without legislature
	reverseCharge bool
	// recipientPays: the tax is shown but not in the total (reverse charge).
	recipientPays bool
	zeroRated     gst.ZeroRated
	shippingBill  *books.ShippingBill // an export's, as known at billing
	taxed         bool                // tax columns are shown
	lines         []books.Line
	totals        books.Totals
	payments      []books.PaymentPart
	paid          int64
	due           int64
	notes         string
	againstNumber string // credit note: the invoice it corrects
	againstDate   string
	reason        string
	cancelled     bool
	hasCess       bool
	hasDiscount   bool
	inclusive     bool   // some rate includes tax
	upiURL        string // the QR's content: a UPI request, or the payment link
	upiAmount     int64
	payLink       string // the invoice's online payment link (Razorpay), when it has one
	hsn           []hsnRow
	rates         []rateRow
	logo          []byte
}

// hsnRow is one line of the HSN/SAC summary: the lines of one HSN code at
// one rate.
type hsnRow struct {
	hsn                             string
	rate, cessRate                  gst.RateBP
	taxable, cgst, sgst, igst, cess int64
}

func (r hsnRow) tax() int64 { return r.cgst + r.sgst + r.igst + r.cess }

// rateRow sums the lines of one GST rate (for receipts).
type rateRow struct {
	rate                            gst.RateBP
	taxable, cgst, sgst, igst, cess int64
}

// printDate turns a books date (2026-11-20) into the Indian 20-11-2026.
func printDate(d string) string { return gst.FormatDate(d) }

// stateLabel is "27-Maharashtra", or the code alone if unknown.
func stateLabel(code string) string {
	if code == "" {
		return ""
	}
	if name, ok := gst.StateName(code); ok {
		return code + "-" + name
	}
	return code
}

func newInvoiceDocument(inv *books.Invoice, opt *Options) (*document, error) {
	if inv == nil {
		return nil, fmt.Errorf("printing: no invoice")
	}
	d := &document{
		kind:          taxInvoice,
		title:         "TAX INVOICE",
		numberLabel:   "Invoice No.",
		number:        inv.Number,
		date:          printDate(inv.Date),
		supplier:      inv.Supplier,
		party:         inv.Party,
		pos:           inv.PlaceOfSupply,
		supply:        inv.SupplyType,
		reverseCharge: inv.ReverseCharge,
		recipientPays: inv.ReverseCharge && inv.TaxOutsideTotal(),
		zeroRated:     inv.ZeroRated,
		shippingBill:  inv.ShippingBill,
		lines:         inv.Lines,
		totals:        inv.Totals,
		payments:      inv.Payments,
		paid:          inv.Paid,
		due:           inv.Due(),
		notes:         inv.Notes,
		cancelled:     opt.Cancelled,
		taxed:         true,
	}
	if inv.Kind == books.BillOfSupply {
		d.kind, d.taxed = billOfSupply, false
		d.title = "BILL OF SUPPLY"
		if inv.Supplier.GSTIN == "" {
			d.title = "INVOICE"
		}
	}
	d.finish(opt)
	// The QR asks for what is still due; a bill paid in full has none. A
	// payment link (any UPI app, card or net banking) wins over the UPI id.
	if opt.PayLink != "" && !d.cancelled && d.due > 0 {
		d.payLink, d.upiURL, d.upiAmount = opt.PayLink, opt.PayLink, d.due
	} else if d.supplier.UPI != "" && !d.cancelled && d.due > 0 {
		d.upiAmount = d.due
		u, err := gst.UPIPayURL(d.supplier.UPI, d.supplier.Name, d.upiAmount, "Invoice "+d.number, d.number)
		if err == nil {
			d.upiURL = u
		}
	}
	return d, nil
}

func newCreditNoteDocument(cn *books.CreditNote, opt *Options) (*document, error) {
	if cn == nil {
		return nil, fmt.Errorf("printing: no credit note")
	}
	d := &document{
		kind:          creditNote,
		title:         "CREDIT NOTE",
		numberLabel:   "Credit Note No.",
		number:        cn.Number,
		date:          printDate(cn.Date),
		supplier:      cn.Supplier,
		party:         cn.Party,
		pos:           cn.PlaceOfSupply,
		supply:        cn.SupplyType,
		reverseCharge: cn.ReverseCharge,
		recipientPays: cn.ReverseCharge && cn.TaxOutsideTotal(),
		zeroRated:     cn.ZeroRated,
		lines:         cn.Lines,
		totals:        cn.Totals,
		payments:      cn.Refunds,
		paid:          cn.Refunded,
		due:           cn.GrandTotal - cn.Refunded,
		againstNumber: cn.InvoiceNumber,
		againstDate:   printDate(cn.InvoiceDate),
		reason:        cn.Reason,
		cancelled:     opt.Cancelled,
		taxed:         cn.Supplier.GSTIN != "" && !cn.Supplier.Composition,
	}
	d.finish(opt)
	return d, nil
}

// finish fills what both kinds share: the shop's profile, flags and the
// HSN and rate summaries.
func (d *document) finish(opt *Options) {
	if b := opt.Business; b != nil {
		d.email, d.terms = b.Email, b.Terms
		d.bankName, d.bankAccount, d.bankIFSC = b.BankName, b.BankAccount, b.BankIFSC
	}
	d.logo = opt.Logo
	d.sgstLabel = "SGST"
	if gst.IsUT(d.pos) {
		d.sgstLabel = "UTGST"
	}
	if d.totals.Tax() != 0 {
		d.taxed = true
	}
	hsnIndex := map[hsnRow]int{}
	rateIndex := map[gst.RateBP]int{}
	for _, l := range d.lines {
		if l.Cess != 0 || l.CessRate != 0 {
			d.hasCess = true
		}
		if l.Discount != 0 {
			d.hasDiscount = true
		}
		if l.PriceIncludesTax {
			d.inclusive = true
		}
		k := hsnRow{hsn: l.HSN, rate: l.Rate, cessRate: l.CessRate}
		i, ok := hsnIndex[k]
		if !ok {
			i = len(d.hsn)
			hsnIndex[k] = i
			d.hsn = append(d.hsn, k)
		}
		h := &d.hsn[i]
		h.taxable += l.Taxable
		h.cgst += l.CGST
		h.sgst += l.SGST
		h.igst += l.IGST
		h.cess += l.Cess
		j, ok := rateIndex[l.Rate]
		if !ok {
			j = len(d.rates)
			rateIndex[l.Rate] = j
			d.rates = append(d.rates, rateRow{rate: l.Rate})
		}
		r := &d.rates[j]
		r.taxable += l.Taxable
		r.cgst += l.CGST
		r.sgst += l.SGST
		r.igst += l.IGST
		r.cess += l.Cess
	}
}

func (d *document) inter() bool { return d.supply == gst.Inter }

// supplierAddress is the shop's address lines.
func (d *document) supplierAddress() string {
	return joinAddress(d.supplier.Address, d.supplier.City, d.supplier.Pincode)
}

func joinAddress(addr, city, pin string) string {
	var parts []string
	if a := strings.TrimSpace(addr); a != "" {
		parts = append(parts, a)
	}
	cp := strings.TrimSpace(strings.TrimSpace(city) + " " + strings.TrimSpace(pin))
	if cp != "" {
		if len(parts) > 0 {
			return parts[0] + ", " + cp
		}
		return cp
	}
	return strings.Join(parts, "")
}

// paymentSummary is "Cash 500.00, UPI 120.00".
func (d *document) paymentSummary() string {
	var parts []string
	for _, p := range d.payments {
		if p.Mode == books.ModeCredit {
			continue
		}
		parts = append(parts, modeName(p.Mode)+" "+gst.FormatIndianDigits(p.Amount))
	}
	return strings.Join(parts, ", ")
}

func modeName(m string) string {
	switch m {
	case books.ModeCash:
		return "Cash"
	case books.ModeUPI:
		return "UPI"
	case books.ModeCard:
		return "Card"
	case books.ModeBank:
		return "Bank"
	case books.ModeCredit:
		return "Credit"
	}
	return m
}

// declaration is the closing statement printed above the signature.
func (d *document) declarations() []string {
	var out []string
	if d.supplier.Composition {
		out = append(out, "Composition taxable person, not eligible to collect tax on supplies.")
	}
	if t := d.zeroRated.Declaration(); t != "" {
		out = append(out, t)
	}
	if d.recipientPays {
		out = append(out, gst.ReverseChargeDeclaration)
	} else if d.reverseCharge {
		out = append(out, "Tax on this supply is payable by the recipient on reverse charge basis.")
	}
	if d.inclusive {
		out = append(out, "* Rate includes GST; taxable value is worked back from it.")
	}
	switch d.kind {
	case creditNote:
		out = append(out, "This credit note reduces the value of the invoice named above.")
	default:
		out = append(out, "We declare that this invoice shows the actual price of the goods described and that all particulars are true and correct.")
	}
	return out
}

// taxLabel names a tax head in the totals: on reverse charge, as the
// recipient's to pay.
func (d *document) taxLabel(head string) string {
	if d.recipientPays {
		return head + " (payable by recipient)"
	}
	return head
}

// shippingText is an export's shipping bill in one line, or "".
func (d *document) shippingText() string {
	sb := d.shippingBill
	if sb.Empty() {
		return ""
	}
	return fmt.Sprintf("No. %s dt %s, port %s", sb.Number, printDate(sb.Date), sb.PortCode)
}

// copyLabels for Rule 48.
const (
	labelOriginal   = "ORIGINAL FOR RECIPIENT"
	labelDuplicate  = "DUPLICATE FOR TRANSPORTER"
	labelTriplicate = "TRIPLICATE FOR SUPPLIER"
)
