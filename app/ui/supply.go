package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

// This file lets the counter bill an export, a supply to an SEZ (with IGST
// or under LUT) or a sale on reverse charge. The rules (who may, what it
// costs, what is refused) are books.PriceSale's; this is only the choice.

// SaleTerms are the GST terms of the bill on the counter beyond a regular
// sale: zero-rated (export or SEZ) or reverse charge, and an export's
// shipping bill when it is known already.
type SaleTerms struct {
	ZeroRated     gst.ZeroRated       `json:"zero_rated,omitempty"`
	ReverseCharge bool                `json:"reverse_charge,omitempty"`
	ShippingBill  *books.ShippingBill `json:"shipping_bill,omitempty"`
}

// apply puts the terms on a sale draft.
func (t SaleTerms) apply(d *books.SaleDraft) {
	d.ZeroRated, d.ReverseCharge = t.ZeroRated, t.ReverseCharge
	if t.ShippingBill != nil {
		sb := *t.ShippingBill
		d.ShippingBill = &sb
	}
}

// Label names the terms in a few words: "Regular", "Export under LUT (no IGST)".
func (t SaleTerms) Label() string {
	switch {
	case t.ReverseCharge:
		return L("Reverse charge (buyer pays the GST)")
	case t.ZeroRated != "":
		return L(t.ZeroRated.Label())
	}
	return L("Regular")
}

// SetTerms sets the bill's GST terms and prices it again.
func (b *Bill) SetTerms(t SaleTerms) {
	b.Terms = t
	b.reprice()
}

// termsChoices are the choices of the GST terms dialog, in order.
func termsChoices() []SaleTerms {
	out := []SaleTerms{{}}
	for _, z := range gst.ZeroRatedKinds() {
		out = append(out, SaleTerms{ZeroRated: z})
	}
	return append(out, SaleTerms{ReverseCharge: true})
}

// termsPicker is the billing screen's "GST: …" button and what it says
// about the bill's tax under the chosen terms.
type termsPicker struct {
	s    *BillingScreen
	btn  *widget.Button
	note *widget.Label
	obj  fyne.CanvasObject
}

func newTermsPicker(s *BillingScreen) *termsPicker {
	p := &termsPicker{s: s}
	p.btn = widget.NewButtonWithIcon("", theme.DocumentIcon(), p.open)
	p.btn.Alignment = widget.ButtonAlignLeading
	p.note = widget.NewLabel("")
	p.note.Wrapping = fyne.TextWrapWord
	p.note.Hide()
	p.obj = container.NewVBox(p.btn, p.note)
	p.refresh()
	return p
}

// refresh shows the bill's terms and, on reverse charge, the tax the buyer
// pays outside the total.
func (p *termsPicker) refresh() {
	t := p.s.Bill.Terms
	if txt := L("GST") + ": " + t.Label(); txt != p.btn.Text {
		p.btn.SetText(txt)
	}
	note := ""
	if inv := p.s.Bill.Priced(); inv != nil {
		switch {
		case t.ReverseCharge && inv.Tax() != 0:
			note = L("The buyer pays") + " " + gst.FormatINR(inv.Tax()) + " " + L("GST to the government; it is not in the total.")
		case t.ZeroRated != "":
			note = L(t.ZeroRated.Declaration())
		}
	}
	if note != p.note.Text {
		p.note.SetText(note)
	}
	if (note != "") != p.note.Visible() {
		if note != "" {
			p.note.Show()
		} else {
			p.note.Hide()
		}
	}
}

// open shows the choice of terms, with the shipping bill for an export.
func (p *termsPicker) open() {
	a := p.s.a
	choices := termsChoices()
	labels := make([]string, len(choices))
	for i, c := range choices {
		labels[i] = c.Label()
	}
	pick := widget.NewRadioGroup(labels, nil)
	cur := p.s.Bill.Terms
	for i, c := range choices {
		if c.ZeroRated == cur.ZeroRated && c.ReverseCharge == cur.ReverseCharge {
			pick.SetSelected(labels[i])
		}
	}
	port, number, date := a.entry(L("like INNSA1")), a.entry(L("up to 7 digits")), a.entry(L("like 08-10-2026"))
	if sb := cur.ShippingBill; sb != nil {
		port.SetText(sb.PortCode)
		number.SetText(sb.Number)
		date.SetText(gst.FormatDate(sb.Date))
	}
	shipping := widget.NewForm(widget.NewFormItem(L("Port code"), port), widget.NewFormItem(L("Shipping bill no."), number),
		widget.NewFormItem(L("Shipping bill date"), date))
	shipHint := widget.NewLabel(L("Shipping bill (optional: it can be added later with naukar invoice export-details)"))
	shipHint.Wrapping = fyne.TextWrapWord
	showShipping := func(label string) {
		export := false
		for i, c := range choices {
			if labels[i] == label {
				export = c.ZeroRated.Export()
			}
		}
		if export {
			shipHint.Show()
			shipping.Show()
		} else {
			shipHint.Hide()
			shipping.Hide()
		}
	}
	pick.OnChanged = showShipping
	showShipping(pick.Selected)
	msg := errorText()
	unsupported := widget.NewLabel(L("Not supported here: sales through an e-commerce operator, advances received before the supply, deemed exports. Report those on the GST portal yourself."))
	unsupported.Wrapping = fyne.TextWrapWord
	unsupported.Importance = widget.LowImportance
	apply := func() bool {
		var t SaleTerms
		for i, c := range choices {
			if labels[i] == pick.Selected {
				t = c
			}
		}
		if t.ZeroRated.Export() {
			sb := &books.ShippingBill{PortCode: port.Text, Number: number.Text, Date: date.Text}
			if strings.TrimSpace(sb.PortCode+sb.Number+sb.Date) != "" {
				sb.Normalize()
				t.ShippingBill = sb
			}
		}
		// Check the bill under the new terms before taking them, so the
		// counter never holds terms the books would refuse.
		trial := *p.s.Bill
		trial.Terms = t
		trial.reprice()
		if err := trial.Err(); err != nil {
			setError(msg, Message(err))
			return false
		}
		p.s.Bill.SetTerms(t)
		p.s.refresh()
		a.Say(L("GST terms of the bill: %s."), t.Label())
		return true
	}
	body := container.NewVBox(pick, shipHint, shipping, msg, unsupported)
	a.formDialog(L("GST terms of this bill"), L("Apply"), body, fyne.NewSize(560, 520), apply)
}

// TermsButton is the billing screen's "GST: …" button (for tests and
// screenshots).
func (s *BillingScreen) TermsButton() *widget.Button { return s.terms.btn }

// TermsNote is what the screen says about the bill's terms ("" for none).
func (s *BillingScreen) TermsNote() string {
	if !s.terms.note.Visible() {
		return ""
	}
	return s.terms.note.Text
}

// LineMessage is the message shown under the bill's lines.
func (s *BillingScreen) LineMessage() string {
	if !s.lineMsg.Visible() {
		return ""
	}
	return s.lineMsg.Text
}
