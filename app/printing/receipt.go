package printing

import (
	"fmt"
	"math"
	"strings"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

// A receipt is laid out once on a grid of character columns (32 on 58 mm
// paper, 48 on 80 mm) and then either encoded as ESC/POS for a thermal
// printer or drawn into a narrow PDF. ASCII text counts one column per
// character, as the printer's own font prints it. Other text (₹, Devanagari)
// is printed as an image, measured in the same columns by its width in
// Noto Sans at the size whose digits are one column wide.

type rowKind uint8

const (
	rowText rowKind = iota
	rowRule         // a full-width dashed line
	rowQR           // a UPI QR code
	rowGap          // a little vertical space
)

// rcell is text placed in columns [col, col+width) of a row.
type rcell struct {
	text       string
	col, width int
	al         align
}

type rrow struct {
	kind  rowKind
	cells []rcell
	bold  bool
	tall  bool // double height (the total)
	wide  bool // double width as well (the shop's name)
	qr    string
}

// isASCII reports whether s prints in the printer's own font.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// colEm is the width of one column in em of Noto Sans: its digit width.
func colEm() float64 {
	l := mustFonts()
	return float64(l.adv[sansRegular]['0']) / l.upem[sansRegular]
}

// measureCols is how many columns s takes on a receipt.
func measureCols(s string, bold bool) float64 {
	if isASCII(s) {
		return runeWidth(s)
	}
	return math.Ceil(mustFonts().width(s, 1, bold)/colEm() - 0.05)
}

type receiptBuilder struct {
	d     *document
	n     int    // columns
	rupee string // "Rs " for ESC/POS text, "₹" where images are cheap (PDF)
	rows  []rrow
}

func (b *receiptBuilder) wrapCols(s string, width int, bold bool) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, wrap(mustFonts().clean(para), float64(width), func(x string) float64 { return measureCols(x, bold) })...)
	}
	return out
}

// centered adds s as centred lines.
func (b *receiptBuilder) centered(s string, bold bool) {
	for _, l := range b.wrapCols(s, b.n, bold) {
		b.rows = append(b.rows, rrow{cells: []rcell{{text: l, width: b.n, al: center}}, bold: bold})
	}
}

// para adds s as left-aligned lines.
func (b *receiptBuilder) para(s string, bold bool) {
	for _, l := range b.wrapCols(s, b.n, bold) {
		b.rows = append(b.rows, rrow{cells: []rcell{{text: l, width: b.n}}, bold: bold})
	}
}

// pair adds a label on the left and a value on the right of one row, or
// on two rows when they do not fit together.
func (b *receiptBuilder) pair(label, value string, bold bool) {
	lw, vw := int(measureCols(label, bold)), int(measureCols(value, bold))
	if lw+1+vw <= b.n {
		b.rows = append(b.rows, rrow{bold: bold, cells: []rcell{{text: label, width: b.n - vw - 1}, {text: value, col: b.n - vw, width: vw, al: right}}})
		return
	}
	b.para(label, bold)
	for _, l := range b.wrapCols(value, b.n, bold) {
		b.rows = append(b.rows, rrow{bold: bold, cells: []rcell{{text: l, width: b.n, al: right}}})
	}
}

func (b *receiptBuilder) rule() { b.rows = append(b.rows, rrow{kind: rowRule}) }

// table adds a row of cells with the given widths. It adds nothing and
// reports false if a text does not fit its cell with a space to spare
// before it (the first cell excepted), so columns never run together.
func (b *receiptBuilder) table(widths []int, aligns []align, texts []string, bold bool) bool {
	r := rrow{bold: bold}
	col := 0
	for i, t := range texts {
		room := widths[i]
		if i > 0 {
			room--
		}
		if measureCols(t, bold) > float64(room) {
			return false
		}
		r.cells = append(r.cells, rcell{text: t, col: col, width: widths[i], al: aligns[i]})
		col += widths[i]
	}
	b.rows = append(b.rows, r)
	return true
}

// tableOrPairs adds a table row, or when it does not fit, each figure as a
// label/value row under the first cell.
func (b *receiptBuilder) tableOrPairs(widths []int, aligns []align, heads, texts []string) {
	if b.table(widths, aligns, texts, false) {
		return
	}
	b.para(texts[0], true)
	for i := 1; i < len(texts); i++ {
		b.pair("  "+heads[i], texts[i], false)
	}
}

// buildReceipt lays out a document on a receipt of n columns; rupee is
// how the grand total is marked.
func buildReceipt(d *document, n int, rupee string) []rrow {
	b := &receiptBuilder{d: d, n: n, rupee: rupee}
	// The shop's name in double width and height when it is plain ASCII.
	name := d.supplier.Name
	if isASCII(name) {
		for _, l := range b.wrapCols(name, n/2, true) {
			b.rows = append(b.rows, rrow{cells: []rcell{{text: l, width: n / 2, al: center}}, bold: true, tall: true, wide: true})
		}
	} else {
		b.centered(name, true)
	}
	if a := d.supplierAddress(); a != "" {
		b.centered(a, false)
	}
	if d.supplier.GSTIN != "" {
		b.centered("GSTIN: "+d.supplier.GSTIN, false)
	}
	if d.supplier.Phone != "" {
		b.centered("Ph: "+d.supplier.Phone, false)
	}
	b.rows = append(b.rows, rrow{kind: rowGap})
	b.centered(d.title, true)
	if d.cancelled {
		b.centered("*** CANCELLED ***", true)
	}
	b.pair(shortLabel(d)+": "+d.number, "Date: "+d.date, false)
	if d.kind == creditNote {
		b.pair("Against: "+d.againstNumber, d.againstDate, false)
		if d.reason != "" {
			b.para("Reason: "+d.reason, false)
		}
	}
	if p := d.party; p != nil {
		b.para("Customer: "+p.Name, false)
		if p.GSTIN != "" {
			b.para("GSTIN: "+p.GSTIN, false)
		}
	}
	if d.taxed {
		b.para("Place of supply: "+stateLabel(d.pos), false)
	}
	if d.reverseCharge {
		b.para("Reverse charge: Yes", false)
	}
	if d.zeroRated != "" {
		b.para(d.zeroRated.Label(), false)
	}
	if sb := d.shippingText(); sb != "" {
		b.para("Shipping bill "+sb, false)
	}
	b.rule()
	b.items()
	b.rule()
	b.totals()
	if d.taxed && len(d.rates) > 0 {
		b.rule()
		b.rateSummary()
	}
	if d.payLink != "" {
		b.rule()
		b.centered("Scan & pay "+gst.FormatINR(d.upiAmount)+" online", true)
		b.rows = append(b.rows, rrow{kind: rowQR, qr: d.payLink})
		b.centered(d.payLink, false)
	} else if d.upiURL != "" {
		b.rule()
		b.centered("Scan & pay "+gst.FormatINR(d.upiAmount)+" by UPI", true)
		b.rows = append(b.rows, rrow{kind: rowQR, qr: d.upiURL})
		b.centered("UPI: "+d.supplier.UPI, false)
	}
	var foot []string
	for _, t := range d.declarations() {
		if strings.HasPrefix(t, "We declare") {
			continue // too long for a till slip; the A4 invoice carries it
		}
		foot = append(foot, t)
	}
	if d.terms != "" {
		foot = append(foot, d.terms)
	}
	if len(foot) > 0 {
		b.rule()
		for _, t := range foot {
			b.para(t, false)
		}
	}
	b.rows = append(b.rows, rrow{kind: rowGap})
	b.centered("Thank you! Please visit again.", false)
	return b.rows
}

func shortLabel(d *document) string {
	if d.kind == creditNote {
		return "CN No"
	}
	return "Bill No"
}

// items adds the item lines: on 48 columns a line whose name fits takes
// one row (name, qty, rate, amount); otherwise the name has its own rows
// and the figures follow on the next.
func (b *receiptBuilder) items() {
	n := b.n
	// A registered buyer's bill shows each line's HSN (Rule 46); it goes
	// on the figures row, so such lines always take two rows.
	b2b := b.d.party != nil && b.d.party.GSTIN != ""
	if n >= 48 && !b2b {
		w := []int{n - 29, 10, 9, 10}
		al := []align{left, right, right, right}
		b.table(w, al, []string{"Item", "Qty", "Rate", "Amount"}, true)
		b.rule()
		for i := range b.d.lines {
			l := &b.d.lines[i]
			q, r, a := gst.FormatQty(l.Qty)+" "+l.Unit, rateText(l.Price, l.PriceIncludesTax), gst.FormatIndianDigits(l.Total)
			name := fmt.Sprintf("%d. %s", i+1, l.Name)
			// Each figure keeps a space before it.
			// A name that needs an image (Hindi) gets its own row so that
			// the figures stay printer text.
			if !isASCII(name) || measureCols(name, false) > float64(w[0]-1) || !b.table(w, al, []string{name, q, r, a}, false) {
				b.para(name, false)
				b.figures(q, r, a, "")
			}
			b.discount(l.Discount)
		}
		return
	}
	b.table([]int{n - 12, 12}, []align{left, right}, []string{"Item", "Amount"}, true)
	b.table([]int{n}, []align{left}, []string{"  Qty x Rate"}, true)
	b.rule()
	for i := range b.d.lines {
		l := &b.d.lines[i]
		b.para(fmt.Sprintf("%d. %s", i+1, l.Name), false)
		b.figures(gst.FormatQty(l.Qty)+" "+l.Unit, rateText(l.Price, l.PriceIncludesTax), gst.FormatIndianDigits(l.Total), hsnFor(l, b2b))
		b.discount(l.Discount)
	}
}

// hsnFor is a line's HSN for the figures row of a B2B receipt.
func hsnFor(l *books.Line, b2b bool) string {
	if !b2b || l.HSN == "" {
		return ""
	}
	return l.HSN
}

// figures adds "  qty x rate [HSN code] ........ amount"; what does not fit
// goes on rows of its own.
func (b *receiptBuilder) figures(q, r, a, hsn string) {
	lhs := "  " + q + " x " + r
	var hsnRow string
	if hsn != "" {
		if len(lhs)+len("  HSN ")+len(hsn)+1+len(a) <= b.n {
			lhs += "  HSN " + hsn
		} else {
			hsnRow = "  HSN " + hsn
		}
	}
	if len(lhs)+1+len(a) > b.n {
		b.para(lhs, false)
		b.table([]int{b.n}, []align{right}, []string{a}, false)
	} else {
		b.table([]int{b.n - len(a) - 1, len(a) + 1}, []align{left, right}, []string{lhs, a}, false)
	}
	if hsnRow != "" {
		b.para(hsnRow, false)
	}
}

func (b *receiptBuilder) discount(p int64) {
	if p != 0 {
		b.table([]int{b.n}, []align{left}, []string{"  Discount " + gst.FormatIndianDigits(p)}, false)
	}
}

func rateText(p int64, incl bool) string {
	s := gst.FormatIndianDigits(p)
	if incl {
		return "*" + s
	}
	return s
}

func (b *receiptBuilder) totals() {
	d := b.d
	b.pair(fmt.Sprintf("Items: %d", len(d.lines)), "", false)
	if d.taxed {
		b.pair("Taxable value", gst.FormatIndianDigits(d.totals.Taxable), false)
		if d.inter() {
			b.pair(d.taxLabel("IGST"), gst.FormatIndianDigits(d.totals.IGST), false)
		} else {
			b.pair(d.taxLabel("CGST"), gst.FormatIndianDigits(d.totals.CGST), false)
			b.pair(d.taxLabel(d.sgstLabel), gst.FormatIndianDigits(d.totals.SGST), false)
		}
		if d.totals.Cess != 0 {
			b.pair(d.taxLabel("Cess"), gst.FormatIndianDigits(d.totals.Cess), false)
		}
		if d.recipientPays {
			b.pair("Not in total (reverse charge)", gst.FormatIndianDigits(d.totals.Tax()), false)
		}
	} else {
		b.pair("Total", gst.FormatIndianDigits(d.totals.Taxable), false)
	}
	if d.totals.RoundOff != 0 {
		b.pair("Round off", signed(d.totals.RoundOff), false)
	}
	total := b.rupee + gst.FormatIndianDigits(d.totals.GrandTotal)
	tw := int(measureCols(total, true))
	label := "TOTAL"
	if d.kind == creditNote {
		label = "CREDIT TOTAL"
	}
	b.rows = append(b.rows, rrow{bold: true, tall: true, cells: []rcell{
		{text: label, width: b.n - tw - 1},
		{text: total, col: b.n - tw, width: tw, al: right}}})
	if ps := d.paymentSummary(); ps != "" {
		if d.kind == creditNote {
			b.pair("Refunded", ps, false)
		} else {
			b.pair("Paid", ps, false)
		}
	}
	if d.due != 0 && (d.party != nil || d.kind == creditNote) {
		label := "Balance due"
		if d.kind == creditNote {
			label = "Credited to account"
		}
		b.pair(label, gst.FormatIndianDigits(d.due), true)
	}
	b.para(gst.AmountInWords(d.totals.GrandTotal), false)
}

// rateSummary is the GST per rate.
func (b *receiptBuilder) rateSummary() {
	d := b.d
	n := b.n
	if d.inter() {
		w := []int{6, (n - 6) / 2, n - 6 - (n-6)/2}
		al := []align{left, right, right}
		heads := []string{"GST%", "Taxable", "IGST"}
		b.table(w, al, heads, true)
		for _, r := range d.rates {
			b.tableOrPairs(w, al, heads, []string{r.rate.String() + "%", gst.FormatIndianDigits(r.taxable), gst.FormatIndianDigits(r.igst)})
		}
		return
	}
	rest := n - 5
	w := []int{5, rest - 2*(rest*3/10), rest * 3 / 10, rest * 3 / 10}
	al := []align{left, right, right, right}
	heads := []string{"GST%", "Taxable", "CGST", d.sgstLabel}
	b.table(w, al, heads, true)
	for _, r := range d.rates {
		b.tableOrPairs(w, al, heads, []string{r.rate.String() + "%", gst.FormatIndianDigits(r.taxable), gst.FormatIndianDigits(r.cgst), gst.FormatIndianDigits(r.sgst)})
	}
}

// lineText renders a text row into exactly the characters the printer
// gets, with cells padded to their columns (ASCII rows only).
func lineText(r rrow) string {
	width := 0
	for _, c := range r.cells {
		width = max(width, c.col+c.width)
	}
	buf := []byte(strings.Repeat(" ", width))
	for _, c := range r.cells {
		t := c.text
		if len(t) > c.width {
			t = t[:c.width]
		}
		off := c.col
		switch c.al {
		case right:
			off += c.width - len(t)
		case center:
			off += (c.width - len(t)) / 2
		}
		copy(buf[off:], t)
	}
	return strings.TrimRight(string(buf), " ")
}

// rowASCII reports whether a text row can be printed as text.
func rowASCII(r rrow) bool {
	for _, c := range r.cells {
		if !isASCII(c.text) {
			return false
		}
	}
	return true
}
