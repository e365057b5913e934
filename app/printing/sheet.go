package printing

import (
	"fmt"
	"io"
	"strings"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

// The A4 tax invoice (and its A5 landscape half-sheet twin): a framed page
// in the style Indian accountants know from Tally — shop and invoice
// particulars, bill-to and ship-to, the item table with per-line tax,
// totals, amount in words, the HSN/SAC summary, bank details with a UPI
// QR, terms and the signature box. Long invoices run over several pages,
// each repeating the header, with totals carried forward.

// Page sizes in points.
const (
	a4W, a4H = 595.28, 841.89
	mm       = 72 / 25.4
)

// Text styles of the sheet.
var (
	stTitle    = style{size: 13, bold: true, col: accent}
	stCopy     = style{size: 7, bold: true, col: muted}
	stShop     = style{size: 13.5, bold: true, col: accent}
	stBody     = style{size: 7.6, col: ink}
	stBodyB    = style{size: 7.6, bold: true, col: ink}
	stLabel    = style{size: 6.4, bold: true, col: muted}
	stMetaL    = style{size: 7.2, col: muted}
	stMetaV    = style{size: 7.8, bold: true, col: ink}
	stCell     = style{size: 7.4, col: ink}
	stCellB    = style{size: 7.4, bold: true, col: ink}
	stHead     = style{size: 6.6, bold: true, col: ink}
	stSmall    = style{size: 6.6, col: muted}
	stGrand    = style{size: 10, bold: true, col: ink}
	stWords    = style{size: 7.8, bold: true, col: ink}
	stFootnote = style{size: 6.2, col: muted}
)

type sheet struct {
	d          *document
	w, h       float64
	m          float64
	x0, x1, cw float64
	frameTop   float64 // top of the frame on every page
	bottom     float64 // lowest y content may reach
	headerH    float64
	partyH     float64
	cols       []column
	rows       []itemRow
	summary    []block
	pages      []sheetPage
	thH, bfH   float64 // table head and brought/carried-forward rows
	totalRowH  float64
}

type column struct {
	title string
	w     float64
	al    align
	x     float64
	cell  func(i int, l *books.Line) string
	sum   func(s *runSums) int64 // nil: no total
}

// runSums are the running totals of the money columns.
type runSums struct {
	disc, taxable, cgst, sgst, igst, cess, amount int64
}

func (s *runSums) add(l *books.Line) {
	s.disc += l.Discount
	s.taxable += l.Taxable
	s.cgst += l.CGST
	s.sgst += l.SGST
	s.igst += l.IGST
	s.cess += l.Cess
	s.amount += l.Total
}

type itemRow struct {
	name []string
	h    float64
}

// block is a piece of the summary that is kept whole on one page.
type block struct {
	h    float64
	draw func(c *canvas, y float64) error
}

type sheetPage struct {
	first, last int     // item rows [first, last)
	bf, cf      bool    // brought forward at the top, carried forward at the bottom
	bfSums      runSums // totals of the rows before this page
	cfSums      runSums
	total       bool    // the table's total row ends this page
	tableEnd    float64 // y below the table (or the header when no rows)
	blocks      []placed
	end         float64 // bottom of the frame
}

type placed struct {
	b *block
	y float64
}

const (
	pad       = 5.0
	rowPadTop = 3.2
	rowPadBot = 2.6
	cellLH    = 9.4
)

func renderSheet(w io.Writer, d *document, f Format, copies []Copy) error {
	prefetchQR(d.upiURL)
	s := &sheet{d: d, w: a4W, h: a4H, m: 22}
	if f == A5 {
		s.h = a4W * 148 / 210
		s.m = 16
	}
	s.x0, s.x1, s.cw = s.m, s.w-s.m, s.w-2*s.m
	s.frameTop = s.m + 17
	s.bottom = s.h - s.m - 8
	s.layoutColumns()
	s.headerH, _ = s.header(nil, 0)
	s.partyH, _ = s.partyBlock(nil, 0)
	s.thH, _ = s.tableHead(nil, 0)
	s.bfH = 13
	s.totalRowH = 14
	s.measureRows()
	s.buildSummary()
	s.paginate()

	c, err := newCanvas(s.w, s.h)
	if err != nil {
		return err
	}
	for _, cp := range copies {
		for i := range s.pages {
			if err := s.drawPage(c, i, cp); err != nil {
				return err
			}
		}
	}
	return c.writeTo(w)
}

// wrapStyle wraps s to width w in style st.
func wrapStyle(s string, w float64, st style) []string {
	lib := mustFonts()
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, wrap(lib.clean(para), w, st.width)...)
	}
	return out
}

// fit shrinks st until s fits in w (numbers never wrap).
func fit(s string, w float64, st style) style {
	for st.size > 4.6 && st.width(s) > w {
		st.size -= 0.2
	}
	return st
}

// lines draws wrapped lines from baseline y, lh apart, and returns the
// baseline after the last.
func lines(c *canvas, x, y, lh float64, ls []string, st style) (float64, error) {
	for _, l := range ls {
		if c != nil {
			if err := c.text(x, y, l, st); err != nil {
				return y, err
			}
		}
		y += lh
	}
	return y, nil
}

// money formats paise for a table cell; zero shows as a dash when dash.
func money(p int64, dash bool) string {
	if p == 0 && dash {
		return "-"
	}
	return gst.FormatIndianDigits(p)
}

func (s *sheet) layoutColumns() {
	d := s.d
	cols := []column{
		{title: "#", w: 16, al: center, cell: func(i int, _ *books.Line) string { return fmt.Sprint(i + 1) }},
		{title: "Item", al: left},
		{title: "HSN/SAC", w: 38, al: center, cell: func(_ int, l *books.Line) string { return l.HSN }},
		{title: "Qty", w: 48, al: right, cell: func(_ int, l *books.Line) string { return gst.FormatQty(l.Qty) + " " + l.Unit }},
		{title: "Rate", w: 48, al: right, cell: func(_ int, l *books.Line) string {
			if l.PriceIncludesTax {
				return "*" + money(l.Price, false)
			}
			return money(l.Price, false)
		}},
	}
	if d.taxed || d.hasDiscount {
		cols = append(cols, column{title: "Disc.", w: 36, al: right,
			cell: func(_ int, l *books.Line) string { return money(l.Discount, true) },
			sum:  func(r *runSums) int64 { return r.disc }})
	}
	if d.taxed {
		cols = append(cols,
			column{title: "Taxable Value", w: 54, al: right,
				cell: func(_ int, l *books.Line) string { return money(l.Taxable, false) },
				sum:  func(r *runSums) int64 { return r.taxable }},
			column{title: "GST %", w: 28, al: center, cell: rateCell})
		if d.inter() {
			cols = append(cols, column{title: "IGST", w: 50, al: right,
				cell: func(_ int, l *books.Line) string { return money(l.IGST, true) },
				sum:  func(r *runSums) int64 { return r.igst }})
		} else {
			cols = append(cols,
				column{title: "CGST", w: 44, al: right,
					cell: func(_ int, l *books.Line) string { return money(l.CGST, true) },
					sum:  func(r *runSums) int64 { return r.cgst }},
				column{title: d.sgstLabel, w: 44, al: right,
					cell: func(_ int, l *books.Line) string { return money(l.SGST, true) },
					sum:  func(r *runSums) int64 { return r.sgst }})
		}
		if d.hasCess {
			cols = append(cols, column{title: "Cess", w: 38, al: right,
				cell: func(_ int, l *books.Line) string { return money(l.Cess, true) },
				sum:  func(r *runSums) int64 { return r.cess }})
		}
	}
	cols = append(cols, column{title: "Amount", w: 58, al: right,
		cell: func(_ int, l *books.Line) string { return money(l.Total, false) },
		sum:  func(r *runSums) int64 { return r.amount }})
	fixed := 0.0
	for _, c := range cols {
		fixed += c.w
	}
	cols[1].w = s.cw - fixed
	x := s.x0
	for i := range cols {
		cols[i].x = x
		x += cols[i].w
	}
	s.cols = cols
}

func rateCell(_ int, l *books.Line) string {
	switch l.Category {
	case gst.Exempt:
		return "Exempt"
	case gst.Nil:
		return "Nil"
	case gst.NonGST:
		return "Non-GST"
	}
	return l.Rate.String() + "%"
}

func (s *sheet) measureRows() {
	nameW := s.cols[1].w - 2*3.5
	s.rows = make([]itemRow, len(s.d.lines))
	for i := range s.d.lines {
		l := &s.d.lines[i]
		name := wrapStyle(l.Name, nameW, stCell)
		if len(name) == 0 {
			name = []string{""}
		}
		if len(name) > 12 {
			name = append(name[:11], name[11]+" …")
		}
		s.rows[i] = itemRow{name: name, h: rowPadTop + float64(len(name))*cellLH + rowPadBot}
	}
}

// paginate places item rows and summary blocks on pages.
func (s *sheet) paginate() {
	tableTop := s.frameTop + s.headerH + s.partyH
	start := tableTop + s.thH
	var sums runSums
	pg := sheetPage{}
	y := start
	n := len(s.rows)
	for i := 0; i < n; i++ {
		h := s.rows[i].h
		limit := s.bottom - s.bfH // room for a carried-forward row
		if i == n-1 {
			limit = s.bottom - s.totalRowH
		}
		if y+h > limit && i > pg.first {
			pg.last, pg.cf, pg.cfSums = i, true, sums
			pg.tableEnd = y + s.bfH
			pg.end = pg.tableEnd
			s.pages = append(s.pages, pg)
			pg = sheetPage{first: i, bf: true, bfSums: sums}
			y = start + s.bfH
		}
		y += h
		sums.add(&s.d.lines[i])
	}
	pg.last, pg.total = n, true
	y += s.totalRowH
	pg.tableEnd, pg.end = y, y
	for bi := range s.summary {
		b := &s.summary[bi]
		if y+b.h > s.bottom && (len(pg.blocks) > 0 || pg.last > pg.first || pg.total) {
			s.pages = append(s.pages, pg)
			y = s.frameTop + s.headerH + s.partyH
			pg = sheetPage{first: n, last: n, tableEnd: y}
		}
		pg.blocks = append(pg.blocks, placed{b, y})
		y += b.h
		pg.end = y
	}
	s.pages = append(s.pages, pg)
}

func (s *sheet) drawPage(c *canvas, idx int, cp Copy) error {
	pg := &s.pages[idx]
	c.addPage()
	if s.d.cancelled {
		if err := c.watermark("CANCELLED", rgb{0xf4, 0xc7, 0xc7}, s.frameTop, pg.end); err != nil {
			return err
		}
	}
	// Title band above the frame.
	if err := c.textIn(s.x0, s.cw, s.m+11, s.d.title, stTitle, center); err != nil {
		return err
	}
	if s.d.kind != creditNote || cp != Original {
		if err := c.textIn(s.x0, s.cw, s.m+10, cp.Label(), stCopy, right); err != nil {
			return err
		}
	} else if err := c.textIn(s.x0, s.cw, s.m+10, "ORIGINAL", stCopy, right); err != nil {
		return err
	}
	var band []string
	if len(s.pages) > 1 {
		band = append(band, fmt.Sprintf("Page %d of %d", idx+1, len(s.pages)))
	}
	if s.d.cancelled {
		band = append(band, "CANCELLED")
	}
	if len(band) > 0 {
		st := stCopy
		if s.d.cancelled {
			st.col = red
		}
		if err := c.text(s.x0, s.m+10, strings.Join(band, " · "), st); err != nil {
			return err
		}
	}
	y := s.frameTop
	if _, err := s.header(c, y); err != nil {
		return err
	}
	y += s.headerH
	if _, err := s.partyBlock(c, y); err != nil {
		return err
	}
	y += s.partyH
	if pg.last > pg.first || pg.total {
		if err := s.drawTable(c, pg, y); err != nil {
			return err
		}
	}
	for _, p := range pg.blocks {
		c.line(s.x0, p.y, s.x1, p.y, 0.6, rule)
		if err := p.b.draw(c, p.y); err != nil {
			return err
		}
	}
	c.strokeRect(s.x0, s.frameTop, s.cw, pg.end-s.frameTop, 0.9, rule)
	foot := "This is a computer-generated " + strings.ToLower(s.d.title) + "."
	if err := c.text(s.x0, s.h-s.m+2, foot, stFootnote); err != nil {
		return err
	}
	tail := "Made with AI Naukar"
	if len(s.pages) > 1 {
		tail = fmt.Sprintf("%s %s · Page %d of %d", s.d.numberLabel, s.d.number, idx+1, len(s.pages))
	}
	return c.textIn(s.x0, s.cw, s.h-s.m+2, tail, stFootnote, right)
}

// header draws (or, with c nil, measures) the shop and invoice particulars.
func (s *sheet) header(c *canvas, y0 float64) (float64, error) {
	d := s.d
	lw := s.cw * 0.56
	rw := s.cw - lw
	x := s.x0 + pad
	textW := lw - 2*pad
	if len(d.logo) > 0 {
		if c != nil {
			if _, err := c.image(d.logo, x, y0+pad, 46, 46); err != nil {
				return 0, err
			}
		}
		x += 52
		textW -= 52
	}
	y := y0 + pad + 11
	var err error
	if y, err = lines(c, x, y, 15, wrapStyle(d.supplier.Name, textW, stShop), stShop); err != nil {
		return 0, err
	}
	y -= 3
	if a := d.supplierAddress(); a != "" {
		if y, err = lines(c, x, y, 9.4, wrapStyle(a, textW, stBody), stBody); err != nil {
			return 0, err
		}
	}
	if d.supplier.GSTIN != "" {
		if c != nil {
			if err := c.text(x, y, "GSTIN: "+d.supplier.GSTIN, stBodyB); err != nil {
				return 0, err
			}
		}
		y += 9.4
	}
	if d.supplier.StateCode != "" {
		name, _ := gst.StateName(d.supplier.StateCode)
		if y, err = lines(c, x, y, 9.4, []string{fmt.Sprintf("State: %s, Code: %s", name, d.supplier.StateCode)}, stBody); err != nil {
			return 0, err
		}
	}
	var contact []string
	if d.supplier.Phone != "" {
		contact = append(contact, "Phone: "+d.supplier.Phone)
	}
	if d.email != "" {
		contact = append(contact, "Email: "+d.email)
	}
	if len(contact) > 0 {
		if y, err = lines(c, x, y, 9.4, wrapStyle(strings.Join(contact, "   "), textW, stBody), stBody); err != nil {
			return 0, err
		}
	}
	leftH := y - 9.4 + pad + 2 - y0
	if len(d.logo) > 0 && leftH < 46+2*pad {
		leftH = 46 + 2*pad
	}

	// Invoice particulars on the right, as label/value rows.
	type kv struct{ k, v string }
	rows := []kv{{d.numberLabel, d.number}, {"Date", d.date}}
	if d.kind == creditNote {
		rows = append(rows, kv{"Against Invoice", d.againstNumber}, kv{"Invoice Date", d.againstDate})
		if d.reason != "" {
			rows = append(rows, kv{"Reason", d.reason})
		}
	}
	rows = append(rows, kv{"Place of Supply", stateLabel(d.pos)})
	rc := "No"
	if d.reverseCharge {
		rc = "Yes"
	}
	rows = append(rows, kv{"Reverse Charge", rc})
	if d.zeroRated != "" {
		rows = append(rows, kv{"Supply", d.zeroRated.Label()})
	}
	if sb := d.shippingText(); sb != "" {
		rows = append(rows, kv{"Shipping Bill", sb})
	}
	rx := s.x0 + lw
	labelW := 74.0
	ry := y0
	for i, r := range rows {
		vl := wrapStyle(r.v, rw-labelW-2*pad, stMetaV)
		if len(vl) == 0 {
			vl = []string{"-"}
		}
		h := 5 + float64(len(vl))*9.6 + 1.5
		if c != nil {
			if i > 0 {
				c.line(rx, ry, s.x1, ry, 0.4, hair)
			}
			if err := c.text(rx+pad, ry+11.5, r.k, stMetaL); err != nil {
				return 0, err
			}
			if _, err := lines(c, rx+labelW, ry+11.5, 9.6, vl, stMetaV); err != nil {
				return 0, err
			}
		}
		ry += h
	}
	h := max(leftH, ry-y0)
	if c != nil {
		c.line(rx, y0, rx, y0+h, 0.6, rule)
		c.line(s.x0, y0+h, s.x1, y0+h, 0.6, rule)
	}
	return h, nil
}

// partyBlock draws (or measures) the Bill To and Ship To boxes.
func (s *sheet) partyBlock(c *canvas, y0 float64) (float64, error) {
	d := s.d
	half := s.cw / 2
	textW := half - 2*pad
	draw := func(x float64, title string, body [][2]any) (float64, error) {
		y := y0 + pad + 6
		if c != nil {
			if err := c.text(x, y, title, stLabel); err != nil {
				return 0, err
			}
		}
		y += 11
		for _, b := range body {
			st := b[1].(style)
			var err error
			if y, err = lines(c, x, y, st.size*1.27, wrapStyle(b[0].(string), textW, st), st); err != nil {
				return 0, err
			}
		}
		return y - 9.4 + pad + 2 - y0, nil
	}
	var bill, ship [][2]any
	stName := style{size: 8.6, bold: true, col: ink}
	if p := d.party; p != nil {
		bill = append(bill, [2]any{p.Name, stName})
		if a := joinAddress(p.Address, p.City, p.Pincode); a != "" {
			bill = append(bill, [2]any{a, stBody})
		}
		if p.GSTIN != "" {
			bill = append(bill, [2]any{"GSTIN: " + p.GSTIN, stBodyB})
		} else {
			bill = append(bill, [2]any{"GSTIN: Unregistered", stBody})
		}
		if p.StateCode != "" {
			name, _ := gst.StateName(p.StateCode)
			bill = append(bill, [2]any{fmt.Sprintf("State: %s, Code: %s", name, p.StateCode), stBody})
		}
		if p.Phone != "" {
			bill = append(bill, [2]any{"Phone: " + p.Phone, stBody})
		}
		ship = append(ship, [2]any{p.Name, stName})
		if a := joinAddress(p.Address, p.City, p.Pincode); a != "" {
			ship = append(ship, [2]any{a, stBody})
		} else {
			ship = append(ship, [2]any{"Delivered at the counter", stBody})
		}
	}
	posName, _ := gst.StateName(d.pos)
	if d.party == nil {
		// A counter sale: one line each, to keep small bills on one page.
		bill = append(bill, [2]any{"Walk-in customer (unregistered, counter sale)", stBodyB})
		ship = append(ship, [2]any{fmt.Sprintf("Delivered at the counter · State: %s, Code: %s", posName, d.pos), stBody})
	} else {
		ship = append(ship, [2]any{fmt.Sprintf("State: %s, Code: %s", posName, d.pos), stBody})
	}
	h1, err := draw(s.x0+pad, "BILL TO", bill)
	if err != nil {
		return 0, err
	}
	h2, err := draw(s.x0+half+pad, "SHIP TO", ship)
	if err != nil {
		return 0, err
	}
	h := max(h1, h2)
	if c != nil {
		c.line(s.x0+half, y0, s.x0+half, y0+h, 0.6, rule)
	}
	return h, nil
}

// tableHead draws (or measures) the item table's column titles.
func (s *sheet) tableHead(c *canvas, y0 float64) (float64, error) {
	n := 1
	heads := make([][]string, len(s.cols))
	for i, col := range s.cols {
		heads[i] = wrapStyle(col.title, col.w-4, stHead)
		n = max(n, len(heads[i]))
	}
	h := 7 + float64(n)*8
	if c == nil {
		return h, nil
	}
	c.fillRect(s.x0, y0, s.cw, h, shade)
	for i, col := range s.cols {
		y := y0 + (h-float64(len(heads[i]))*8)/2 + 6.2
		for _, l := range heads[i] {
			if err := c.textIn(col.x+2, col.w-4, y, l, stHead, col.al); err != nil {
				return 0, err
			}
			y += 8
		}
	}
	c.line(s.x0, y0+h, s.x1, y0+h, 0.6, rule)
	return h, nil
}

func (s *sheet) drawTable(c *canvas, pg *sheetPage, y0 float64) error {
	if _, err := s.tableHead(c, y0); err != nil {
		return err
	}
	y := y0 + s.thH
	top := y0
	if pg.bf {
		if err := s.sumRow(c, y, s.bfH, "Brought forward", &pg.bfSums, false); err != nil {
			return err
		}
		y += s.bfH
	}
	for i := pg.first; i < pg.last; i++ {
		l := &s.d.lines[i]
		r := &s.rows[i]
		base := y + rowPadTop + 6.6
		for ci, col := range s.cols {
			if ci == 1 {
				if _, err := lines(c, col.x+3.5, base, cellLH, r.name, stCell); err != nil {
					return err
				}
				continue
			}
			v := col.cell(i, l)
			if err := c.textIn(col.x+3, col.w-6, base, v, fit(v, col.w-6, stCell), col.al); err != nil {
				return err
			}
		}
		y += r.h
		if i < pg.last-1 {
			c.line(s.x0, y, s.x1, y, 0.3, hair)
		}
	}
	switch {
	case pg.cf:
		if err := s.sumRow(c, y, s.bfH, "Carried forward", &pg.cfSums, false); err != nil {
			return err
		}
		y += s.bfH
	case pg.total:
		var all runSums
		for i := range s.d.lines {
			all.add(&s.d.lines[i])
		}
		if err := s.sumRow(c, y, s.totalRowH, "Total", &all, true); err != nil {
			return err
		}
		y += s.totalRowH
	}
	for _, col := range s.cols[1:] {
		c.line(col.x, top, col.x, y, 0.4, rule)
	}
	return nil
}

// sumRow draws a Total, Carried forward or Brought forward row.
func (s *sheet) sumRow(c *canvas, y, h float64, label string, sums *runSums, strong bool) error {
	st := stCellB
	if !strong {
		st = style{size: 7, bold: true, col: muted}
	}
	if strong {
		c.fillRect(s.x0, y, s.cw, h, shade)
	}
	c.line(s.x0, y, s.x1, y, 0.6, rule)
	c.line(s.x0, y+h, s.x1, y+h, 0.6, rule)
	base := y + h/2 + 2.6
	if err := c.textIn(s.cols[1].x+3.5, s.cols[1].w-7, base, label, st, left); err != nil {
		return err
	}
	for _, col := range s.cols {
		if col.sum == nil {
			continue
		}
		v := money(col.sum(sums), false)
		if err := c.textIn(col.x+3, col.w-6, base, v, fit(v, col.w-6, st), col.al); err != nil {
			return err
		}
	}
	return nil
}

// buildSummary makes the blocks that follow the item table.
func (s *sheet) buildSummary() {
	d := s.d
	s.summary = append(s.summary, s.totalsBlock())
	if d.taxed && len(d.hsn) > 0 {
		s.summary = append(s.summary, s.hsnBlock())
	}
	s.summary = append(s.summary, s.footBlock())
}

// totalsBlock: amount in words and payments on the left, the totals on
// the right.
func (s *sheet) totalsBlock() block {
	d := s.d
	tw := 200.0
	lw := s.cw - tw
	type tl struct {
		k, v  string
		grand bool
	}
	var tls []tl
	if d.taxed {
		tls = append(tls, tl{k: "Taxable Value", v: money(d.totals.Taxable, false)})
		if d.inter() {
			tls = append(tls, tl{k: d.taxLabel("IGST"), v: money(d.totals.IGST, false)})
		} else {
			tls = append(tls, tl{k: d.taxLabel("CGST"), v: money(d.totals.CGST, false)}, tl{k: d.taxLabel(d.sgstLabel), v: money(d.totals.SGST, false)})
		}
		if d.hasCess || d.totals.Cess != 0 {
			tls = append(tls, tl{k: d.taxLabel("Cess"), v: money(d.totals.Cess, false)})
		}
		if d.recipientPays {
			tls = append(tls, tl{k: "Tax on reverse charge (not in total)", v: money(d.totals.Tax(), false)})
		}
	} else {
		tls = append(tls, tl{k: "Total", v: money(d.totals.Taxable, false)})
	}
	tls = append(tls, tl{k: "Round Off", v: signed(d.totals.RoundOff)})
	tls = append(tls, tl{k: "Grand Total", v: gst.FormatINR(d.totals.GrandTotal), grand: true})
	switch {
	case d.kind == creditNote:
		tls = append(tls, tl{k: "Refunded", v: money(d.paid, false)}, tl{k: "Credited to account", v: money(d.due, false)})
	case d.party != nil || d.due != 0:
		tls = append(tls, tl{k: "Received", v: money(d.paid, false)}, tl{k: "Balance Due", v: money(d.due, false)})
	}
	rightH := 4.0
	for _, t := range tls {
		if t.grand {
			rightH += 18
		} else {
			rightH += 12
		}
	}
	rightH += 3

	words := wrapStyle(gst.AmountInWords(d.totals.GrandTotal), lw-2*pad, stWords)
	var extra [][]string
	if ps := d.paymentSummary(); ps != "" {
		label := "Payment: "
		if d.kind == creditNote {
			label = "Refund: "
		}
		extra = append(extra, wrapStyle(label+ps, lw-2*pad, stBody))
	}
	if d.notes != "" {
		extra = append(extra, wrapStyle("Notes: "+d.notes, lw-2*pad, stBody))
	}
	leftH := pad + 8 + float64(len(words))*10 + 2
	for _, e := range extra {
		leftH += 3 + float64(len(e))*9.4
	}
	leftH += pad
	h := max(leftH, rightH)
	return block{h: h, draw: func(c *canvas, y0 float64) error {
		x := s.x0 + pad
		y := y0 + pad + 6
		if err := c.text(x, y, "Amount in words", stLabel); err != nil {
			return err
		}
		y += 10.5
		var err error
		if y, err = lines(c, x, y, 10, words, stWords); err != nil {
			return err
		}
		for _, e := range extra {
			y += 3
			if y, err = lines(c, x, y, 9.4, e, stBody); err != nil {
				return err
			}
		}
		rx := s.x0 + lw
		c.line(rx, y0, rx, y0+h, 0.6, rule)
		ty := y0 + 4
		for _, t := range tls {
			if t.grand {
				c.fillRect(rx, ty, tw, 18, shade)
				c.line(rx, ty, s.x1, ty, 0.6, rule)
				c.line(rx, ty+18, s.x1, ty+18, 0.6, rule)
				if err := c.text(rx+pad, ty+12.5, t.k, stGrand); err != nil {
					return err
				}
				if err := c.textIn(rx, tw-pad, ty+12.5, t.v, stGrand, right); err != nil {
					return err
				}
				ty += 18
				continue
			}
			if err := c.text(rx+pad, ty+9, t.k, stBody); err != nil {
				return err
			}
			if err := c.textIn(rx, tw-pad, ty+9, t.v, stBodyB, right); err != nil {
				return err
			}
			ty += 12
		}
		return nil
	}}
}

func signed(p int64) string {
	if p > 0 {
		return "+" + gst.FormatIndianDigits(p)
	}
	return gst.FormatIndianDigits(p)
}

// hsnBlock is the HSN/SAC summary: taxable value and each tax per HSN code
// and rate, with the totals that must match the invoice.
func (s *sheet) hsnBlock() block {
	d := s.d
	type hc struct {
		title string
		w     float64
		cell  func(r *hsnRow) string
	}
	half := halfRate
	cols := []hc{{"HSN/SAC", 0, func(r *hsnRow) string { return orDash(r.hsn) }},
		{"Taxable Value", 72, func(r *hsnRow) string { return money(r.taxable, false) }}}
	if d.inter() {
		cols = append(cols,
			hc{"IGST Rate", 50, func(r *hsnRow) string { return r.rate.String() + "%" }},
			hc{"IGST Amount", 66, func(r *hsnRow) string { return money(r.igst, false) }})
	} else {
		cols = append(cols,
			hc{"CGST Rate", 46, func(r *hsnRow) string { return half(r.rate) }},
			hc{"CGST Amount", 62, func(r *hsnRow) string { return money(r.cgst, false) }},
			hc{d.sgstLabel + " Rate", 46, func(r *hsnRow) string { return half(r.rate) }},
			hc{d.sgstLabel + " Amount", 62, func(r *hsnRow) string { return money(r.sgst, false) }})
	}
	if d.hasCess {
		cols = append(cols,
			hc{"Cess Rate", 40, func(r *hsnRow) string { return r.cessRate.String() + "%" }},
			hc{"Cess Amount", 56, func(r *hsnRow) string { return money(r.cess, false) }})
	}
	cols = append(cols, hc{"Total Tax", 66, func(r *hsnRow) string { return money(r.tax(), false) }})
	fixed := 0.0
	for _, c := range cols {
		fixed += c.w
	}
	cols[0].w = s.cw - fixed
	var total hsnRow
	for _, r := range d.hsn {
		total.taxable += r.taxable
		total.cgst += r.cgst
		total.sgst += r.sgst
		total.igst += r.igst
		total.cess += r.cess
	}
	const rh, hh = 11.0, 13.0
	h := hh + float64(len(d.hsn)+1)*rh + 1
	return block{h: h, draw: func(c *canvas, y0 float64) error {
		c.fillRect(s.x0, y0, s.cw, hh, shade)
		x := s.x0
		for i, col := range cols {
			al := right
			if i == 0 {
				al = left
			}
			if err := c.textIn(x+4, col.w-8, y0+9, col.title, fit(col.title, col.w-8, stHead), al); err != nil {
				return err
			}
			if i > 0 {
				c.line(x, y0, x, y0+h, 0.4, rule)
			}
			x += col.w
		}
		c.line(s.x0, y0+hh, s.x1, y0+hh, 0.5, rule)
		y := y0 + hh
		rowsPlus := append(append([]hsnRow(nil), d.hsn...), total)
		for ri := range rowsPlus {
			r := &rowsPlus[ri]
			last := ri == len(rowsPlus)-1
			st := stCell
			if last {
				st = stCellB
				c.line(s.x0, y, s.x1, y, 0.5, rule)
			}
			x := s.x0
			for i, col := range cols {
				v := col.cell(r)
				al := right
				if i == 0 {
					al = left
				}
				if last {
					switch {
					case i == 0:
						v = "Total"
					case strings.HasSuffix(col.title, "Rate"):
						v = ""
					}
				}
				if err := c.textIn(x+4, col.w-8, y+8, v, fit(v, col.w-8, st), al); err != nil {
					return err
				}
				x += col.w
			}
			y += rh
		}
		return nil
	}}
}

// halfRate is the CGST or SGST rate of a GST rate: half, shown exactly
// (0.25% gives 0.125%).
func halfRate(r gst.RateBP) string {
	if r%2 != 0 {
		return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", float64(r)/200), "0"), ".") + "%"
	}
	return (r / 2).String() + "%"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// footBlock: bank details and UPI QR, terms, signature.
func (s *sheet) footBlock() block {
	d := s.d
	bw := s.cw * 0.38
	sw := s.cw * 0.25
	mw := s.cw - bw - sw
	qr := 62.0
	var bank []string
	if d.bankName != "" {
		bank = append(bank, "Bank: "+d.bankName)
	}
	if d.bankAccount != "" {
		bank = append(bank, "A/c No.: "+d.bankAccount)
	}
	if d.bankIFSC != "" {
		bank = append(bank, "IFSC: "+d.bankIFSC)
	}
	if d.supplier.UPI != "" {
		bank = append(bank, "UPI: "+d.supplier.UPI)
	}
	if d.payLink != "" {
		bank = append(bank, "Pay online: "+d.payLink)
	}
	textW := bw - 2*pad
	if d.upiURL != "" {
		textW -= qr + 6
	}
	var bankLines []string
	for _, b := range bank {
		bankLines = append(bankLines, wrapStyle(b, textW, stBody)...)
	}
	terms := wrapStyle(d.terms, mw-2*pad, stBody)
	bankH := pad + 17 + float64(len(bankLines))*9.4
	if d.upiURL != "" {
		bankH = max(bankH, pad+qr+16)
	}
	h := max(bankH, pad+17+float64(len(terms))*9.4, 76) + pad
	// The declarations close the invoice, under the signature box.
	var decl []string
	for _, t := range d.declarations() {
		decl = append(decl, wrapStyle(t, s.cw-2*pad, stSmall)...)
	}
	declH := 5 + float64(len(decl))*8.4 + 3
	return block{h: h + declH, draw: func(c *canvas, y0 float64) error {
		c.line(s.x0, y0+h, s.x1, y0+h, 0.6, rule)
		if _, err := lines(c, s.x0+pad, y0+h+10, 8.4, decl, stSmall); err != nil {
			return err
		}
		x := s.x0 + pad
		if err := c.text(x, y0+pad+6, "BANK DETAILS", stLabel); err != nil {
			return err
		}
		if len(bankLines) == 0 {
			bankLines = []string{"-"}
		}
		if _, err := lines(c, x, y0+pad+17, 9.4, bankLines, stBody); err != nil {
			return err
		}
		if d.upiURL != "" {
			qx := s.x0 + bw - pad - qr
			if err := c.qr(d.upiURL, qx, y0+pad+2, qr); err != nil {
				return err
			}
			cap := "Scan to pay " + gst.FormatINR(d.upiAmount)
			if d.payLink != "" {
				cap += " online"
			}
			if err := c.textIn(qx-10, qr+20, y0+pad+qr+10, cap, fit(cap, qr+20, stSmall), center); err != nil {
				return err
			}
		}
		mx := s.x0 + bw
		c.line(mx, y0, mx, y0+h, 0.6, rule)
		if err := c.text(mx+pad, y0+pad+6, "TERMS & CONDITIONS", stLabel); err != nil {
			return err
		}
		if _, err := lines(c, mx+pad, y0+pad+17, 9.4, terms, stBody); err != nil {
			return err
		}
		sx := mx + mw
		c.line(sx, y0, sx, y0+h, 0.6, rule)
		forName := wrapStyle("For "+d.supplier.Name, sw-2*pad, stBodyB)
		yy := y0 + pad + 8
		for _, l := range forName {
			if err := c.textIn(sx+pad, sw-2*pad, yy, l, stBodyB, right); err != nil {
				return err
			}
			yy += 9.4
		}
		return c.textIn(sx+pad, sw-2*pad, y0+h-pad-2, "Authorised Signatory", stBody, right)
	}}
}
