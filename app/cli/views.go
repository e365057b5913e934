package cli

import (
	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

// money is paise shown as rupees with two decimals in JSON ("1234.50").
type money int64

func (m money) MarshalJSON() ([]byte, error) {
	return []byte(`"` + gst.FormatAmount(int64(m)) + `"`), nil
}

type qty int64

func (q qty) MarshalJSON() ([]byte, error) { return []byte(`"` + gst.FormatQty(int64(q)) + `"`), nil }

type lineView struct {
	N        int    `json:"n"`
	Product  string `json:"product_id,omitempty"`
	Name     string `json:"name"`
	SKU      string `json:"sku,omitempty"`
	HSN      string `json:"hsn,omitempty"`
	Unit     string `json:"unit"`
	Qty      qty    `json:"qty"`
	Price    money  `json:"price"`
	Discount money  `json:"discount"`
	Rate     string `json:"gst_rate"`
	CessRate string `json:"cess_rate,omitempty"`
	Taxable  money  `json:"taxable"`
	CGST     money  `json:"cgst"`
	SGST     money  `json:"sgst"`
	IGST     money  `json:"igst"`
	Cess     money  `json:"cess"`
	Total    money  `json:"total"`
}

type totalsView struct {
	Taxable       money  `json:"taxable"`
	CGST          money  `json:"cgst"`
	SGST          money  `json:"sgst"`
	IGST          money  `json:"igst"`
	Cess          money  `json:"cess"`
	RoundOff      money  `json:"round_off"`
	GrandTotal    money  `json:"grand_total"`
	AmountInWords string `json:"amount_in_words"`
}

type paymentView struct {
	Mode   string `json:"mode"`
	Amount money  `json:"amount"`
	Ref    string `json:"ref,omitempty"`
}

type invoiceView struct {
	ID                string               `json:"id"`
	Number            string               `json:"number"`
	Kind              string               `json:"kind"`
	Date              string               `json:"date"`
	Cancelled         bool                 `json:"cancelled"`
	Party             *books.PartySnapshot `json:"party,omitempty"`
	PlaceOfSupply     string               `json:"place_of_supply"`
	PlaceOfSupplyName string               `json:"place_of_supply_name"`
	SupplyType        string               `json:"supply_type"`
	ReverseCharge     bool                 `json:"reverse_charge"`
	ZeroRated         string               `json:"zero_rated,omitempty"`
	ShippingBill      *books.ShippingBill  `json:"shipping_bill,omitempty"` // as it now stands (added later, or the invoice's own)
	Lines             []lineView           `json:"lines"`
	totalsView
	Payments []paymentView `json:"payments"`
	Paid     money         `json:"paid"`
	Due      money         `json:"due"`
}

func viewLines(ls []books.Line) []lineView {
	out := make([]lineView, len(ls))
	for i, l := range ls {
		out[i] = lineView{N: i + 1, Product: l.ProductID, Name: l.Name, SKU: l.SKU, HSN: l.HSN, Unit: l.Unit,
			Qty: qty(l.Qty), Price: money(l.Price), Discount: money(l.Discount), Rate: l.Rate.String(),
			Taxable: money(l.Taxable), CGST: money(l.CGST), SGST: money(l.SGST), IGST: money(l.IGST),
			Cess: money(l.Cess), Total: money(l.Total)}
		if l.CessRate != 0 {
			out[i].CessRate = l.CessRate.String()
		}
	}
	return out
}

func viewTotals(t books.Totals) totalsView {
	return totalsView{Taxable: money(t.Taxable), CGST: money(t.CGST), SGST: money(t.SGST), IGST: money(t.IGST),
		Cess: money(t.Cess), RoundOff: money(t.RoundOff), GrandTotal: money(t.GrandTotal),
		AmountInWords: gst.AmountInWords(t.GrandTotal)}
}

func viewPayments(ps []books.PaymentPart) []paymentView {
	out := make([]paymentView, 0, len(ps))
	for _, p := range ps {
		out = append(out, paymentView{Mode: p.Mode, Amount: money(p.Amount), Ref: p.Ref})
	}
	return out
}

func viewInvoice(inv *books.Invoice, cancelled bool) invoiceView {
	name, _ := gst.StateName(inv.PlaceOfSupply)
	return invoiceView{ID: inv.ID, Number: inv.Number, Kind: inv.Kind, Date: inv.Date, Cancelled: cancelled,
		Party: inv.Party, PlaceOfSupply: inv.PlaceOfSupply, PlaceOfSupplyName: name, SupplyType: string(inv.SupplyType),
		ReverseCharge: inv.ReverseCharge, ZeroRated: string(inv.ZeroRated), ShippingBill: inv.ShippingBill,
		Lines: viewLines(inv.Lines), totalsView: viewTotals(inv.Totals),
		Payments: viewPayments(inv.Payments), Paid: money(inv.Paid), Due: money(inv.Due())}
}

type creditNoteView struct {
	ID            string               `json:"id"`
	Number        string               `json:"number"`
	Date          string               `json:"date"`
	InvoiceNumber string               `json:"invoice_number"`
	InvoiceDate   string               `json:"invoice_date"`
	Party         *books.PartySnapshot `json:"party,omitempty"`
	PlaceOfSupply string               `json:"place_of_supply"`
	SupplyType    string               `json:"supply_type"`
	ReverseCharge bool                 `json:"reverse_charge,omitempty"`
	ZeroRated     string               `json:"zero_rated,omitempty"`
	Reason        string               `json:"reason,omitempty"`
	Restock       bool                 `json:"restock"`
	Lines         []lineView           `json:"lines"`
	totalsView
	Refunds  []paymentView `json:"refunds"`
	Refunded money         `json:"refunded"`
}

func viewCreditNote(cn *books.CreditNote) creditNoteView {
	return creditNoteView{ID: cn.ID, Number: cn.Number, Date: cn.Date, InvoiceNumber: cn.InvoiceNumber,
		InvoiceDate: cn.InvoiceDate, Party: cn.Party, PlaceOfSupply: cn.PlaceOfSupply, SupplyType: string(cn.SupplyType),
		ReverseCharge: cn.ReverseCharge, ZeroRated: string(cn.ZeroRated),
		Reason: cn.Reason, Restock: cn.Restock, Lines: viewLines(cn.Lines), totalsView: viewTotals(cn.Totals),
		Refunds: viewPayments(cn.Refunds), Refunded: money(cn.Refunded)}
}

type purchaseView struct {
	ID         string               `json:"id"`
	BillNumber string               `json:"bill_number"`
	Date       string               `json:"date"`
	Party      *books.PartySnapshot `json:"party"`
	SupplyType string               `json:"supply_type"`
	// ReverseCharge: the tax shown is the shop's to pay, not the supplier's.
	ReverseCharge bool       `json:"reverse_charge,omitempty"`
	Lines         []lineView `json:"lines"`
	totalsView
	Payments []paymentView `json:"payments"`
	Paid     money         `json:"paid"`
	Due      money         `json:"due"`
}

func viewPurchase(p *books.Purchase) purchaseView {
	return purchaseView{ID: p.ID, BillNumber: p.BillNumber, Date: p.Date, Party: p.Party, SupplyType: string(p.SupplyType),
		ReverseCharge: p.ReverseCharge, Lines: viewLines(p.Lines), totalsView: viewTotals(p.Totals), Payments: viewPayments(p.Payments),
		Paid: money(p.Paid), Due: money(p.GrandTotal - p.Paid)}
}
