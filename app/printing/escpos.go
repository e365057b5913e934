package printing

import (
	"bytes"
	"fmt"
	"image"
	"math"

	"golang.org/x/image/vector"

	"github.com/ainaukar/naukar/app/books"
)

// ESC/POS: the command language of thermal receipt printers (Epson TM and
// the many compatible printers sold in India). The printer's font A is 12
// dots wide; 58 mm rolls print 384 dots (32 columns), 80 mm rolls 576 dots
// (48 columns), at 203 dpi.

// ESC/POS command bytes.
const (
	esc = 0x1b
	gs  = 0x1d
	lf  = 0x0a
)

// dotsPerCol is the width of a character of font A in dots.
const dotsPerCol = 12

// QRMode says how a receipt prints its UPI QR code.
type QRMode uint8

const (
	// QRNative uses the printer's own QR command (GS ( k), sharp and small.
	QRNative QRMode = iota
	// QRRaster sends the QR code as an image, for printers without GS ( k.
	QRRaster
	// QRNone leaves the QR code out.
	QRNone
)

// ReceiptOptions say how to encode a receipt for a thermal printer.
type ReceiptOptions struct {
	// Width is the line width in characters: 32 (58 mm) or 48 (80 mm).
	Width int
	// Drawer kicks the cash drawer connected to the printer.
	Drawer bool
	// NoCut leaves the paper uncut (printers without a cutter ignore it anyway).
	NoCut bool
	// QR chooses how the UPI QR code is printed.
	QR QRMode
	// Business supplies terms (the invoice snapshot has the rest). May be nil.
	Business *books.Business
	// Cancelled marks the receipt as cancelled.
	Cancelled bool
	// PayLink is the invoice's online payment link, as in Options.
	PayLink string
}

func (o *ReceiptOptions) columns() (int, error) {
	switch o.Width {
	case 0, 48:
		return 48, nil
	case 32:
		return 32, nil
	}
	return 0, books.Invalid("width", "Receipt width must be 32 (58 mm paper) or 48 (80 mm paper) characters, not %d.", o.Width)
}

// InvoiceESCPOS encodes an invoice as an ESC/POS receipt.
func InvoiceESCPOS(inv *books.Invoice, opt ReceiptOptions) ([]byte, error) {
	n, err := opt.columns()
	if err != nil {
		return nil, err
	}
	d, err := newInvoiceDocument(inv, &Options{Business: opt.Business, Cancelled: opt.Cancelled, PayLink: opt.PayLink})
	if err != nil {
		return nil, err
	}
	return encodeReceipt(buildReceipt(d, n, "Rs "), n, &opt)
}

// CreditNoteESCPOS encodes a credit note as an ESC/POS receipt.
func CreditNoteESCPOS(cn *books.CreditNote, opt ReceiptOptions) ([]byte, error) {
	n, err := opt.columns()
	if err != nil {
		return nil, err
	}
	d, err := newCreditNoteDocument(cn, &Options{Business: opt.Business, Cancelled: opt.Cancelled})
	if err != nil {
		return nil, err
	}
	return encodeReceipt(buildReceipt(d, n, "Rs "), n, &opt)
}

// escpos builds an ESC/POS byte stream.
type escpos struct {
	b     bytes.Buffer
	align align
	bold  bool
	size  byte
}

func (e *escpos) init() {
	e.b.Write([]byte{esc, '@'})    // initialise
	e.b.Write([]byte{esc, 't', 0}) // code page PC437: we send ASCII only
	e.b.Write([]byte{esc, 'R', 0}) // international set: USA
	e.align, e.bold, e.size = left, false, 0
}

func (e *escpos) setAlign(a align) {
	if e.align != a {
		e.b.Write([]byte{esc, 'a', byte(a)}) // 0 left, 1 centre, 2 right
		e.align = a
	}
}

func (e *escpos) setBold(on bool) {
	if e.bold != on {
		v := byte(0)
		if on {
			v = 1
		}
		e.b.Write([]byte{esc, 'E', v})
		e.bold = on
	}
}

// setSize sets the character size: bits 0-3 height multiple - 1, bits 4-7
// width multiple - 1 (0x01 double height, 0x11 double width and height).
func (e *escpos) setSize(s byte) {
	if e.size != s {
		e.b.Write([]byte{gs, '!', s})
		e.size = s
	}
}

func (e *escpos) text(s string) {
	e.b.WriteString(s)
	e.b.WriteByte(lf)
}

// feed feeds n lines.
func (e *escpos) feed(n byte) { e.b.Write([]byte{esc, 'd', n}) }

// cut feeds to the cutter and cuts, leaving a tab (partial cut).
func (e *escpos) cut() { e.b.Write([]byte{gs, 'V', 66, 3}) }

// drawer pulses pin 2 of the drawer port: on 50 ms, off 500 ms.
func (e *escpos) drawer() { e.b.Write([]byte{esc, 'p', 0, 25, 250}) }

// qr prints content as a QR code with GS ( k: model 2, module size in dots,
// error correction M.
func (e *escpos) qr(content string, module byte) {
	e.b.Write([]byte{gs, '(', 'k', 4, 0, '1', 'A', '2', 0}) // fn 165: model 2
	e.b.Write([]byte{gs, '(', 'k', 3, 0, '1', 'C', module}) // fn 167: module size
	e.b.Write([]byte{gs, '(', 'k', 3, 0, '1', 'E', '1'})    // fn 169: level M
	n := len(content) + 3
	e.b.Write([]byte{gs, '(', 'k', byte(n), byte(n >> 8), '1', 'P', '0'}) // fn 180: store
	e.b.WriteString(content)
	e.b.Write([]byte{gs, '(', 'k', 3, 0, '1', 'Q', '0'}) // fn 181: print
}

// raster prints a 1-bit image with GS v 0, in bands of at most 256 rows so
// that printers with small buffers cope.
func (e *escpos) raster(img *bitImage) {
	wb := (img.w + 7) / 8
	for y0 := 0; y0 < img.h; y0 += 256 {
		h := min(256, img.h-y0)
		e.b.Write([]byte{gs, 'v', '0', 0, byte(wb), byte(wb >> 8), byte(h), byte(h >> 8)})
		e.b.Write(img.bits[y0*wb : (y0+h)*wb])
	}
}

// bitImage is a 1-bit image, rows of bytes, most significant bit leftmost,
// 1 = black dot.
type bitImage struct {
	w, h int
	bits []byte
}

func newBitImage(w, h int) *bitImage {
	return &bitImage{w: w, h: h, bits: make([]byte, (w+7)/8*h)}
}

func (b *bitImage) set(x, y int) {
	if x >= 0 && y >= 0 && x < b.w && y < b.h {
		b.bits[y*((b.w+7)/8)+x/8] |= 0x80 >> (x % 8)
	}
}

func encodeReceipt(rows []rrow, n int, opt *ReceiptOptions) ([]byte, error) {
	e := &escpos{}
	e.init()
	for _, r := range rows {
		switch r.kind {
		case rowGap:
			e.setSize(0)
			e.feed(1)
		case rowRule:
			e.setAlign(left)
			e.setBold(false)
			e.setSize(0)
			e.text(repeat('-', n))
		case rowQR:
			switch opt.QR {
			case QRNative:
				e.setAlign(center)
				e.setSize(0)
				e.qr(r.qr, byte(qrModule(n)))
				e.b.WriteByte(lf)
			case QRRaster:
				img, err := qrRaster(r.qr, n*dotsPerCol, qrModule(n))
				if err != nil {
					return nil, err
				}
				e.setAlign(left)
				e.raster(img)
			}
		case rowText:
			if rowASCII(r) {
				encodeTextRow(e, r, n)
				continue
			}
			e.setAlign(left)
			e.setSize(0)
			e.setBold(false)
			e.raster(rasterRow(r, n))
		}
	}
	e.setAlign(left)
	e.setBold(false)
	e.setSize(0)
	if !opt.NoCut {
		e.cut()
	} else {
		e.feed(4)
	}
	if opt.Drawer {
		e.drawer()
	}
	return e.b.Bytes(), nil
}

// qrModule is the QR module size in dots: a UPI link (about 41 modules)
// comes out 164 dots (2 cm) wide on 58 mm paper and 246 dots on 80 mm.
func qrModule(n int) int {
	if n < 48 {
		return 4
	}
	return 6
}

func repeat(c byte, n int) string { return string(bytes.Repeat([]byte{c}, n)) }

// encodeTextRow prints an ASCII row: a single centred or right-aligned
// cell with the printer's alignment, anything else padded into columns.
func encodeTextRow(e *escpos, r rrow, n int) {
	var size byte
	switch {
	case r.wide:
		size = 0x11
	case r.tall:
		size = 0x01
	}
	e.setBold(r.bold)
	e.setSize(size)
	if len(r.cells) == 1 && r.cells[0].col == 0 && r.cells[0].al != left {
		e.setAlign(r.cells[0].al)
		e.text(r.cells[0].text)
		return
	}
	e.setAlign(left)
	e.text(lineText(r))
}

// Raster text: Noto Sans at the size whose digits are one 12-dot column
// wide, so images line up with the printer's own text.

// rasterSize is the font size in dots for receipt images.
func rasterSize() float64 { return dotsPerCol / colEm() }

// rasterRow draws a text row as a 1-bit image n columns wide.
func rasterRow(r rrow, n int) *bitImage {
	lib := mustFonts()
	size := rasterSize()
	if r.tall {
		size *= 1.6
	}
	asc := max(lib.ascent[devaRegular]/lib.upem[devaRegular], lib.ascent[sansRegular]/lib.upem[sansRegular])
	desc := max(lib.descent[devaRegular]/lib.upem[devaRegular], lib.descent[sansRegular]/lib.upem[sansRegular])
	// Devanagari marks reach far above and below; trim the font's generous
	// line metrics a little so rows do not look double spaced.
	h := int(math.Ceil((asc + desc) * size * 0.92))
	base := math.Round(asc * size * 0.94)
	w := n * dotsPerCol
	z := vector.NewRasterizer(w, h)
	for _, c := range r.cells {
		text := lib.clean(c.text)
		st := lib.shape(text, r.bold)
		cellW := float64(c.width * dotsPerCol)
		s := size
		if tw := st.advance * s; tw > cellW && tw > 0 {
			s *= cellW / tw // never spill into the next cell
		}
		tw := st.advance * s
		x := float64(c.col * dotsPerCol)
		switch c.al {
		case right:
			x += cellW - tw
		case center:
			x += (cellW - tw) / 2
		}
		for _, g := range st.glyphs {
			for _, poly := range lib.glyph(g.face, g.gid).polys {
				for i, p := range poly {
					px := float32(x + (g.x+p.x)*s)
					py := float32(base - (g.y+p.y)*s)
					if i == 0 {
						z.MoveTo(px, py)
					} else {
						z.LineTo(px, py)
					}
				}
				z.ClosePath()
			}
		}
	}
	alpha := image.NewAlpha(image.Rect(0, 0, w, h))
	z.Draw(alpha, alpha.Bounds(), image.Opaque, image.Point{})
	img := newBitImage(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if alpha.Pix[y*alpha.Stride+x] >= 110 {
				img.set(x, y)
			}
		}
	}
	return img
}

// qrRaster draws a QR code as an image w dots wide, centred, with modules
// of module dots.
func qrRaster(content string, w, module int) (*bitImage, error) {
	bm, err := qrMatrix(content)
	if err != nil {
		return nil, err
	}
	side := len(bm) * module
	if side > w {
		module = max(1, w/len(bm))
		side = len(bm) * module
	}
	img := newBitImage(w, side)
	x0 := (w - side) / 2
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			if bm[y/module][x/module] {
				img.set(x0+x, y)
			}
		}
	}
	return img, nil
}

// TestPageESCPOS is a printer test page for an n-column ESC/POS printer:
// alignment, bold, sizes, a Hindi line and a rupee sign as images, a QR
// code and the cut.
func TestPageESCPOS(n int, drawer bool) ([]byte, error) {
	if n != 32 && n != 48 {
		return nil, fmt.Errorf("printing: test page width must be 32 or 48, not %d", n)
	}
	rows := testPageRows(n)
	return encodeReceipt(rows, n, &ReceiptOptions{Width: n, Drawer: drawer})
}

func testPageRows(n int) []rrow {
	b := &receiptBuilder{n: n}
	b.rows = append(b.rows, rrow{cells: []rcell{{text: "AI NAUKAR", width: n / 2, al: center}}, bold: true, tall: true, wide: true})
	b.centered("Printer test page", true)
	b.rule()
	b.para(fmt.Sprintf("This printer prints %d characters a line:", n), false)
	digits := make([]byte, n)
	for i := range digits {
		digits[i] = byte('0' + (i+1)%10)
	}
	b.para(string(digits), false)
	b.table([]int{n / 2, n - n/2}, []align{left, right}, []string{"Left", "Right"}, false)
	b.centered("Centre", false)
	b.centered("Bold text", true)
	b.rows = append(b.rows, rrow{bold: true, tall: true, cells: []rcell{{text: "Double height", width: n}}})
	b.rule()
	b.centered("हिन्दी: आशीर्वाद ट्रेडर्स, क्षत्रिय", false)
	b.centered("Rupee sign: ₹1,23,456.00", false)
	b.rows = append(b.rows, rrow{kind: rowQR, qr: "https://ainaukar.in/printer-test"})
	b.centered("If the QR code scans, the line of digits fits and the Hindi reads right, the printer is set up.", false)
	return b.rows
}
