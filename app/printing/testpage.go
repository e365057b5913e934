package printing

import (
	"bytes"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/assets"
)

// testPagePDF is a printer test page: margins, text sizes, Hindi, the
// rupee sign and a QR code, so a shopkeeper can see at a glance that the
// printer and paper size are right.
func testPagePDF(f Format) ([]byte, error) {
	var b bytes.Buffer
	if f.Thermal() {
		if err := drawReceiptPDF(&b, testPageRows(f.Columns()), f); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	w, h := a4W, a4H
	if f == A5 {
		h = a4W * 148 / 210
	}
	c, err := newCanvas(w, h)
	if err != nil {
		return nil, err
	}
	c.addPage()
	m := 10 * mm
	c.strokeRect(m, m, w-2*m, h-2*m, 1, ink)
	for _, p := range [][2]float64{{m, m}, {w - m, m}, {m, h - m}, {w - m, h - m}} {
		c.line(p[0]-6, p[1], p[0]+6, p[1], 0.5, ink)
		c.line(p[0], p[1]-6, p[0], p[1]+6, 0.5, ink)
	}
	x := m + 16
	y := m + 24
	if _, err := c.image(assets.Logo, x, y, 48, 48); err != nil {
		return nil, err
	}
	if err := c.text(x+60, y+22, "AI Naukar — printer test page", style{size: 20, bold: true, col: accent}); err != nil {
		return nil, err
	}
	sub := fmt.Sprintf("Paper %s · %s", f, time.Now().Format("02-01-2006 15:04"))
	if err := c.text(x+60, y+40, sub, style{size: 10, col: muted}); err != nil {
		return nil, err
	}
	y += 80
	samples := []struct {
		s  string
		st style
	}{
		{"The frame is 10 mm from the edge of the paper: all four sides should show.", stBody},
		{"Text at 7.6 pt, as on invoices: 0123456789 ₹1,23,456.78", stBody},
		{"Bold text at 7.6 pt: GSTIN 27AAPFU0939F1ZV", stBodyB},
		{"Text at 12 pt: Rupees One Lakh Twenty Three Thousand Only", style{size: 12, col: ink}},
		{"हिन्दी: आशीर्वाद ट्रेडर्स · क्षत्रिय · बासमती चावल · शुद्ध देसी घी", style{size: 14, col: ink}},
		{"If the Hindi line has no broken letters (no stray ् marks), shaping works.", stBody},
	}
	for _, s := range samples {
		if err := c.text(x, y, s.s, s.st); err != nil {
			return nil, err
		}
		y += s.st.size*1.6 + 6
	}
	// Grey steps show how the printer handles the invoice's shading.
	y += 10
	for i, g := range []uint8{0xec, 0xc4, 0x80, 0x40, 0x14} {
		c.fillRect(x+float64(i)*40, y, 36, 18, rgb{g, g, g})
	}
	y += 40
	if err := c.qr("https://ainaukar.in/printer-test", x, y, 80); err != nil {
		return nil, err
	}
	if err := c.text(x+96, y+40, "Scan this with a phone: if it opens, QR codes print well enough for UPI.", stBody); err != nil {
		return nil, err
	}
	if err := c.writeTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
