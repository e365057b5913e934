package printing

import (
	"io"
)

// renderReceiptPDF draws the receipt layout on a roll-width PDF page as
// long as the receipt, for thermal printers driven through the OS (CUPS or
// Windows drivers) and for sharing a bill on WhatsApp.
func renderReceiptPDF(w io.Writer, d *document, f Format) error {
	prefetchQR(d.upiURL)
	n := f.Columns()
	rows := buildReceipt(d, n, "₹")
	return drawReceiptPDF(w, rows, f)
}

func drawReceiptPDF(w io.Writer, rows []rrow, f Format) error {
	n := f.Columns()
	pageW, printable := 80*mm, 72*mm
	if f == Roll58 {
		pageW, printable = 58*mm, 48*mm
	}
	margin := (pageW - printable) / 2
	colW := printable / float64(n)
	size := colW / colEm()
	lh := size * 1.42
	qrSide := min(printable*0.55, 34*mm)
	height := func(r rrow) float64 {
		switch r.kind {
		case rowRule:
			return size * 0.9
		case rowGap:
			return size * 0.7
		case rowQR:
			return qrSide + size*0.8
		}
		if r.tall || r.wide {
			return lh * 1.55
		}
		return lh
	}
	top, bottom := 4*mm, 6*mm
	total := top + bottom
	for _, r := range rows {
		total += height(r)
	}
	c, err := newCanvas(pageW, total)
	if err != nil {
		return err
	}
	c.addPage()
	y := top
	for _, r := range rows {
		h := height(r)
		switch r.kind {
		case rowRule:
			c.pdf.SetLineType("dashed")
			c.line(margin, y+h/2, pageW-margin, y+h/2, 0.5, ink)
			c.pdf.SetLineType("")
		case rowQR:
			if err := c.qr(r.qr, (pageW-qrSide)/2, y+size*0.4, qrSide); err != nil {
				return err
			}
		case rowText:
			st := style{size: size, bold: r.bold, col: ink}
			cw := colW
			if r.tall || r.wide {
				st.size *= 1.5
			}
			if r.wide {
				cw *= 2
			}
			base := y + h*0.72
			for _, cell := range r.cells {
				x := margin + float64(cell.col)*cw
				wd := float64(cell.width) * cw
				if r.tall && !r.wide && cell.al == right {
					// Larger type than the grid: the figure may reach
					// left over the label's unused room.
					x, wd = margin, printable
				}
				if err := c.textIn(x, wd, base, cell.text, fit(cell.text, wd, st), cell.al); err != nil {
					return err
				}
			}
		}
		y += h
	}
	return c.writeTo(w)
}
