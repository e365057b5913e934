package billing

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/signintech/gopdf"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/assets"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/quota"
)

// InvoicePDF draws one of our tax invoices on an A4 page. It is drawn from
// the stored snapshot, so the same invoice always gives the same content.
func InvoicePDF(inv plans.Invoice) ([]byte, error) {
	const (
		pageW, pageH = 595.28, 841.89
		left, right  = 48.0, 595.28 - 48.0
	)
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageW, H: pageH}, Unit: gopdf.UnitPT})
	pdf.SetInfo(gopdf.PdfInfo{Title: "Tax invoice " + inv.Number, Creator: "AI Naukar", Producer: "AI Naukar (gopdf)"})
	for name, data := range map[string][]byte{"sans": assets.NotoSansRegular, "bold": assets.NotoSansBold,
		"deva": assets.NotoSansDevanagariRegular} {
		if err := pdf.AddTTFFontData(name, data); err != nil {
			return nil, fmt.Errorf("invoice pdf: font %s: %w", name, err)
		}
	}
	pdf.AddPage()
	y := 56.0
	var err error
	text := func(x float64, s string, face string, size float64) {
		if err != nil {
			return
		}
		if face == "sans" && strings.IndexFunc(s, func(r rune) bool { return unicode.In(r, unicode.Devanagari) }) >= 0 {
			// Latin faces have no Devanagari (drawn unshaped: names only).
			face = "deva"
		}
		if err = pdf.SetFont(face, "", size); err != nil {
			return
		}
		pdf.SetXY(x, y)
		err = pdf.Text(s)
	}
	textRight := func(x float64, s, face string, size float64) {
		if err != nil {
			return
		}
		if err = pdf.SetFont(face, "", size); err != nil {
			return
		}
		w, e := pdf.MeasureTextWidth(s)
		if e != nil {
			err = e
			return
		}
		pdf.SetXY(x-w, y)
		err = pdf.Text(s)
	}
	rule := func() {
		pdf.SetLineWidth(0.6)
		pdf.Line(left, y, right, y)
	}

	text(left, "Tax Invoice", "bold", 20)
	textRight(right, inv.Number, "bold", 12)
	y += 18
	textRight(right, "Date "+gst.FormatDay(inv.IssuedAt.In(quota.IST)), "sans", 10)
	y += 22
	text(left, "From", "bold", 9)
	text(310, "Billed to", "bold", 9)
	y += 14
	text(left, inv.Seller.Name, "bold", 11)
	text(310, inv.Buyer.Name, "bold", 11)
	y += 14
	sellerState, _ := gst.StateName(gst.GSTINState(inv.Seller.GSTIN))
	buyerState, _ := gst.StateName(inv.Buyer.StateCode)
	sellerLines := []string{inv.Seller.Address, "GSTIN " + inv.Seller.GSTIN, "State " + sellerState}
	buyerLines := []string{inv.Buyer.Address, "State " + buyerState + " (" + inv.Buyer.StateCode + ")"}
	if inv.Buyer.GSTIN != "" {
		buyerLines = append(buyerLines, "GSTIN "+inv.Buyer.GSTIN)
	} else {
		buyerLines = append(buyerLines, "Unregistered (no GSTIN given)")
	}
	for i := range max(len(sellerLines), len(buyerLines)) {
		if i < len(sellerLines) && sellerLines[i] != "" {
			text(left, sellerLines[i], "sans", 9.5)
		}
		if i < len(buyerLines) && buyerLines[i] != "" {
			text(310, buyerLines[i], "sans", 9.5)
		}
		y += 13
	}
	y += 6
	text(left, "Place of supply: "+buyerState+" ("+inv.Buyer.StateCode+")", "sans", 9.5)
	y += 13
	text(left, "Razorpay payment "+inv.PaymentID+", subscription "+inv.SubscriptionID, "sans", 9.5)
	y += 20
	rule()
	y += 16
	text(left, "Description", "bold", 9.5)
	text(330, "SAC", "bold", 9.5)
	textRight(right, "Taxable value", "bold", 9.5)
	y += 8
	rule()
	y += 16
	period := ""
	if !inv.PeriodStart.IsZero() && !inv.PeriodEnd.IsZero() {
		period = ", " + gst.FormatDay(inv.PeriodStart.In(quota.IST)) + " to " + gst.FormatDay(inv.PeriodEnd.In(quota.IST))
	}
	text(left, "AI Naukar "+inv.PlanName+" plan, monthly subscription"+period, "sans", 9.5)
	text(330, inv.Seller.SAC, "sans", 9.5)
	textRight(right, gst.FormatINR(inv.Taxable), "sans", 9.5)
	y += 10
	rule()
	y += 18
	row := func(label string, amount int64, face string) {
		text(330, label, face, 10)
		textRight(right, gst.FormatINR(amount), face, 10)
		y += 16
	}
	row("Taxable value", inv.Taxable, "sans")
	if inv.Supply == gst.Inter {
		row("IGST 18%", inv.IGST, "sans")
	} else {
		row("CGST 9%", inv.CGST, "sans")
		row("SGST 9%", inv.SGST, "sans")
	}
	row("Total", inv.Total, "bold")
	y += 6
	text(left, "Amount in words: "+gst.AmountInWords(inv.Total), "sans", 9.5)
	y += 26
	text(left, "Paid in full through Razorpay. Card and UPI details are held by Razorpay, never by AI Naukar.", "sans", 8.5)
	y += 12
	text(left, "This is a computer-generated invoice and needs no signature.", "sans", 8.5)
	if err != nil {
		return nil, fmt.Errorf("invoice pdf %s: %w", inv.Number, err)
	}
	var buf bytes.Buffer
	if _, err := pdf.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("invoice pdf %s: %w", inv.Number, err)
	}
	return buf.Bytes(), nil
}
