package printing_test

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/printing"
)

var update = flag.Bool("update", false, "rewrite golden files and docs/examples")

// An ESC/POS decoder written for the tests, independently of the encoder:
// it knows the commands a receipt may use and refuses anything else, and
// turns the stream into what the printer would do.

type escLine struct {
	text  string
	align byte // 0 left, 1 centre, 2 right
	bold  bool
	size  byte // GS ! n
}

type escRaster struct {
	w, h int
	bits []byte
}

type escItem struct {
	line   *escLine
	raster *escRaster
	qr     string
	qrSize byte
	feed   int
}

type escDoc struct {
	items  []escItem
	cmds   []string
	cut    bool
	drawer bool
}

func (d *escDoc) lines() []escLine {
	var out []escLine
	for _, it := range d.items {
		if it.line != nil {
			out = append(out, *it.line)
		}
	}
	return out
}

func (d *escDoc) text() string {
	var b strings.Builder
	for _, l := range d.lines() {
		b.WriteString(l.text)
		b.WriteByte('\n')
	}
	return b.String()
}

func (d *escDoc) rasters() []escRaster {
	var out []escRaster
	for _, it := range d.items {
		if it.raster != nil {
			out = append(out, *it.raster)
		}
	}
	return out
}

func decodeESCPOS(b []byte) (*escDoc, error) {
	d := &escDoc{}
	var align, size byte
	var bold bool
	var cur []byte
	need := func(i, n int) error {
		if i+n > len(b) {
			return fmt.Errorf("truncated command at byte %d", i)
		}
		return nil
	}
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == 0x0a:
			d.items = append(d.items, escItem{line: &escLine{text: string(cur), align: align, bold: bold, size: size}})
			cur = nil
			i++
		case c == 0x1b:
			if err := need(i, 2); err != nil {
				return nil, err
			}
			switch b[i+1] {
			case '@':
				d.cmds = append(d.cmds, "ESC @")
				align, size, bold = 0, 0, false
				i += 2
			case 't', 'R', 'a', 'E', 'd':
				if err := need(i, 3); err != nil {
					return nil, err
				}
				n := b[i+2]
				d.cmds = append(d.cmds, fmt.Sprintf("ESC %c %d", b[i+1], n))
				switch b[i+1] {
				case 'a':
					if n > 2 {
						return nil, fmt.Errorf("ESC a %d: bad alignment", n)
					}
					align = n
				case 'E':
					bold = n&1 == 1
				case 'd':
					d.items = append(d.items, escItem{feed: int(n)})
				}
				i += 3
			case 'p':
				if err := need(i, 5); err != nil {
					return nil, err
				}
				d.cmds = append(d.cmds, fmt.Sprintf("ESC p %d %d %d", b[i+2], b[i+3], b[i+4]))
				d.drawer = true
				i += 5
			default:
				return nil, fmt.Errorf("unknown command ESC %q at byte %d", b[i+1], i)
			}
		case c == 0x1d:
			if err := need(i, 2); err != nil {
				return nil, err
			}
			switch b[i+1] {
			case '!':
				if err := need(i, 3); err != nil {
					return nil, err
				}
				size = b[i+2]
				d.cmds = append(d.cmds, fmt.Sprintf("GS ! %02x", size))
				i += 3
			case 'V':
				if err := need(i, 4); err != nil {
					return nil, err
				}
				d.cmds = append(d.cmds, fmt.Sprintf("GS V %d %d", b[i+2], b[i+3]))
				d.cut = true
				i += 4
			case 'v':
				if err := need(i, 8); err != nil {
					return nil, err
				}
				if b[i+2] != '0' || b[i+3] != 0 {
					return nil, fmt.Errorf("GS v: want mode 0, got %d %d", b[i+2], b[i+3])
				}
				wb := int(b[i+4]) | int(b[i+5])<<8
				h := int(b[i+6]) | int(b[i+7])<<8
				if err := need(i+8, wb*h); err != nil {
					return nil, err
				}
				d.cmds = append(d.cmds, fmt.Sprintf("GS v 0 %dx%d", wb*8, h))
				d.items = append(d.items, escItem{raster: &escRaster{w: wb * 8, h: h, bits: b[i+8 : i+8+wb*h]}})
				i += 8 + wb*h
			case '(':
				if err := need(i, 5); err != nil {
					return nil, err
				}
				if b[i+2] != 'k' {
					return nil, fmt.Errorf("GS ( %q not supported", b[i+2])
				}
				n := int(b[i+3]) | int(b[i+4])<<8
				if err := need(i+5, n); err != nil {
					return nil, err
				}
				p := b[i+5 : i+5+n]
				if len(p) < 2 || p[0] != '1' {
					return nil, fmt.Errorf("GS ( k: want cn 49")
				}
				d.cmds = append(d.cmds, fmt.Sprintf("GS ( k fn%d", p[1]))
				switch p[1] {
				case 'A', 'E': // model, error correction
				case 'C':
					d.items = append(d.items, escItem{qrSize: p[2]})
				case 'P':
					d.items = append(d.items, escItem{qr: string(p[3:])})
				case 'Q':
				default:
					return nil, fmt.Errorf("GS ( k fn %d not expected", p[1])
				}
				i += 5 + n
			default:
				return nil, fmt.Errorf("unknown command GS %q at byte %d", b[i+1], i)
			}
		case c >= 0x20 && c <= 0x7e:
			cur = append(cur, c)
			i++
		default:
			return nil, fmt.Errorf("byte %#02x at %d is not printable ASCII: the printer would print it as a wrong character", c, i)
		}
	}
	if len(cur) > 0 {
		return nil, fmt.Errorf("text %q not ended by LF", cur)
	}
	return d, nil
}

// width is the printed width of a line in columns.
func (l escLine) width() int {
	w := len(l.text)
	if l.size&0xf0 != 0 {
		w *= int(l.size>>4) + 1
	}
	return w
}

func mustESCPOS(t *testing.T, inv *books.Invoice, opt printing.ReceiptOptions) (*escDoc, []byte) {
	t.Helper()
	b, err := printing.InvoiceESCPOS(inv, opt)
	if err != nil {
		t.Fatalf("InvoiceESCPOS: %v", err)
	}
	d, err := decodeESCPOS(b)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return d, b
}

func TestESCPOSReceiptLayout(t *testing.T) {
	biz := shop()
	cases := []struct {
		name string
		inv  *books.Invoice
	}{
		{"inter-state", sale(t, biz, registeredBuyer, catalogue, "SGS/26-27/A/0042")},
		{"hindi", sale(t, biz, hindiBuyer, hindiItems, "SGS/26-27/A/0043")},
		{"walk-in 1 line", sale(t, biz, nil, catalogue[:1], "SGS/26-27/A/0001")},
		{"150 lines", sale(t, biz, localBuyer, manyItems(150), "SGS/26-27/A/0044")},
		{"long name", sale(t, biz, nil, []item{{name: strings.Repeat("Extra Long Product Name With Many Words ", 4) + "Supercalifragilisticexpialidociousandmore", hsn: "3402", unit: "NOS", price: 1234500, rate: 1800, qty: 123456}}, "SGS/26-27/A/0045")},
	}
	for _, tc := range cases {
		for _, n := range []int{32, 48} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, n), func(t *testing.T) {
				d, _ := mustESCPOS(t, tc.inv, printing.ReceiptOptions{Width: n, Business: biz})
				if len(d.cmds) == 0 || d.cmds[0] != "ESC @" {
					t.Fatalf("stream must start with ESC @, got %v", d.cmds[:min(3, len(d.cmds))])
				}
				if !d.cut || d.cmds[len(d.cmds)-1] != "GS V 66 3" {
					t.Errorf("stream must end with a partial cut, ends %v", d.cmds[len(d.cmds)-1])
				}
				if d.drawer {
					t.Error("drawer kicked without --drawer")
				}
				for _, l := range d.lines() {
					if l.width() > n {
						t.Errorf("line wider than %d columns (%d): %q", n, l.width(), l.text)
					}
				}
				for _, r := range d.rasters() {
					if r.w != n*12 {
						t.Errorf("raster %d dots wide, want %d", r.w, n*12)
					}
				}
				text := d.text()
				inv := tc.inv
				for _, want := range []string{"Bill No: " + inv.Number, "Date: 20-11-2026", "GSTIN: 27AAPFU0939F1ZV",
					gst.FormatIndianDigits(inv.GrandTotal), gst.AmountInWords(inv.GrandTotal)[:20]} {
					if !strings.Contains(strings.ReplaceAll(text, "\n", " "), want) {
						t.Errorf("receipt lacks %q:\n%s", want, text)
					}
				}
				// The total: bold, double height, amount flush right.
				var total *escLine
				for _, l := range d.lines() {
					if strings.HasPrefix(l.text, "TOTAL") {
						total = &l
					}
				}
				switch {
				case total == nil:
					t.Error("no TOTAL line")
				case !total.bold || total.size != 0x01:
					t.Errorf("TOTAL line bold=%v size=%02x, want bold double height", total.bold, total.size)
				case !strings.HasSuffix(total.text, "Rs "+gst.FormatIndianDigits(inv.GrandTotal)) || len(total.text) != n:
					t.Errorf("TOTAL line %q: amount must end at column %d", total.text, n)
				}
				// Every item's amount ends at the right margin.
				for _, l := range inv.Lines {
					a := gst.FormatIndianDigits(l.Total)
					found := false
					for _, pl := range d.lines() {
						if strings.HasSuffix(pl.text, " "+a) && len(pl.text) == n || pl.align == 2 && pl.text == a {
							found = true
						}
					}
					if !found {
						t.Errorf("item amount %s not printed flush right", a)
						break
					}
				}
				// The UPI QR code, by GS ( k, with the balance due and the
				// bill number; none when the bill is paid in full.
				var qr string
				for _, it := range d.items {
					if it.qr != "" {
						qr = it.qr
					}
				}
				switch {
				case inv.Due() == 0 && qr != "":
					t.Errorf("a bill paid in full has a QR: %q", qr)
				case inv.Due() > 0 && (!strings.HasPrefix(qr, "upi://pay?pa=sharmastores@okicici") || !strings.Contains(qr, "&tr="+strings.ReplaceAll(inv.Number, "/", "%2F")) ||
					!strings.Contains(qr, "&am="+gst.FormatAmount(inv.Due())+"&")):
					t.Errorf("QR content %q, want the balance due %s", qr, gst.FormatAmount(inv.Due()))
				}
			})
		}
	}
}

func TestESCPOSHindiIsRaster(t *testing.T) {
	biz := shop()
	inv := sale(t, biz, hindiBuyer, hindiItems, "SGS/26-27/A/0043")
	d, raw := mustESCPOS(t, inv, printing.ReceiptOptions{Width: 48, Business: biz})
	if bytes.Contains(raw, []byte("?")) && strings.Contains(d.text(), "??") {
		t.Error("receipt has ?? where Hindi should be")
	}
	// Hindi names and the ₹ line are images; the image of the first name
	// matches the same text rendered on its own.
	rs := d.rasters()
	if len(rs) < 5 {
		t.Fatalf("%d raster images, want one per Hindi line and the ₹ line", len(rs))
	}
	w, h, bits := printing.RasterTextForTest("1. बासमती चावल 5 किलो", 48, false)
	found := false
	for _, r := range rs {
		if r.w == w && r.h == h && bytes.Equal(r.bits[:len(r.bits)/2], bits[:len(bits)/2]) {
			found = true
		}
	}
	if !found {
		t.Error("no raster line matches the rendering of the first Hindi item name")
	}
	for _, r := range rs {
		black := 0
		for _, b := range r.bits {
			for ; b != 0; b &= b - 1 {
				black++
			}
		}
		if black == 0 {
			t.Error("blank raster image")
		}
	}
}

func TestESCPOSDrawerAndRasterQR(t *testing.T) {
	biz := shop()
	inv := sale(t, biz, localBuyer, catalogue[:3], "SGS/26-27/A/0002") // part on credit: a QR for the rest
	d, _ := mustESCPOS(t, inv, printing.ReceiptOptions{Width: 32, Drawer: true, QR: printing.QRRaster, Business: biz})
	if !d.drawer || d.cmds[len(d.cmds)-1] != "ESC p 0 25 250" {
		t.Errorf("drawer pulse missing or not last: %v", d.cmds[len(d.cmds)-2:])
	}
	for _, it := range d.items {
		if it.qr != "" {
			t.Error("QRRaster still sent GS ( k")
		}
	}
	// The QR image: modules of 4 dots, centred.
	m, err := printing.QRMatrixForTest(mustUPI(t, inv))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range d.rasters() {
		if r.h == len(m)*4 {
			found = true
			x0 := (r.w - len(m)*4) / 2
			for y := 0; y < len(m); y++ {
				for x := 0; x < len(m); x++ {
					px, py := x0+x*4+2, y*4+2
					on := r.bits[py*(r.w/8)+px/8]&(0x80>>(px%8)) != 0
					if on != m[y][x] {
						t.Fatalf("QR module %d,%d differs", x, y)
					}
				}
			}
		}
	}
	if !found {
		t.Error("no QR raster of the expected size")
	}
	if _, err := printing.InvoiceESCPOS(inv, printing.ReceiptOptions{Width: 40}); err == nil {
		t.Error("width 40 accepted")
	}
}

func mustUPI(t *testing.T, inv *books.Invoice) string {
	t.Helper()
	u, err := gst.UPIPayURL(inv.Supplier.UPI, inv.Supplier.Name, inv.Due(), "Invoice "+inv.Number, inv.Number)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestESCPOSCreditNoteAndTestPage(t *testing.T) {
	biz := shop()
	inv := sale(t, biz, localBuyer, catalogue[:4], "SGS/26-27/A/0046")
	cn := creditNoteFor(t, biz, inv)
	b, err := printing.CreditNoteESCPOS(cn, printing.ReceiptOptions{Width: 32, Business: biz})
	if err != nil {
		t.Fatal(err)
	}
	d, err := decodeESCPOS(b)
	if err != nil {
		t.Fatal(err)
	}
	text := d.text()
	for _, want := range []string{"CREDIT NOTE", "CN No: CN/26-27/A/0001", "Against: " + inv.Number, "Reason: Damaged packet"} {
		if !strings.Contains(text, want) {
			t.Errorf("credit note receipt lacks %q:\n%s", want, text)
		}
	}
	for _, n := range []int{32, 48} {
		b, err := printing.TestPageESCPOS(n, false)
		if err != nil {
			t.Fatal(err)
		}
		d, err := decodeESCPOS(b)
		if err != nil {
			t.Fatal(err)
		}
		digits := false
		for _, l := range d.lines() {
			if l.width() > n {
				t.Errorf("test page line too wide: %q", l.text)
			}
			if len(l.text) == n && strings.HasPrefix(l.text, "1234567890") {
				digits = true
			}
		}
		if !digits {
			t.Errorf("test page lacks the full-width line of digits at %d", n)
		}
	}
}

// TestESCPOSGolden compares receipts byte for byte with testdata/escpos;
// run with -update to rewrite them after a deliberate change.
func TestESCPOSGolden(t *testing.T) {
	biz := shop()
	cases := map[string]func() ([]byte, error){
		"invoice-48.bin": func() ([]byte, error) {
			return printing.InvoiceESCPOS(sale(t, biz, registeredBuyer, catalogue, "SGS/26-27/A/0042"), printing.ReceiptOptions{Width: 48, Business: biz})
		},
		"invoice-32-drawer.bin": func() ([]byte, error) {
			return printing.InvoiceESCPOS(sale(t, biz, nil, catalogue[:5], "SGS/26-27/A/0001"), printing.ReceiptOptions{Width: 32, Drawer: true, Business: biz})
		},
		"hindi-48.bin": func() ([]byte, error) {
			return printing.InvoiceESCPOS(sale(t, biz, hindiBuyer, hindiItems, "SGS/26-27/A/0043"), printing.ReceiptOptions{Width: 48, Business: biz})
		},
		"testpage-32.bin": func() ([]byte, error) { return printing.TestPageESCPOS(32, false) },
	}
	for name, make := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := make()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "escpos", name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				i := 0
				for i < len(got) && i < len(want) && got[i] == want[i] {
					i++
				}
				t.Errorf("%s differs from golden at byte %d (got %d bytes, want %d); run go test -update if the change is meant", name, i, len(got), len(want))
			}
		})
	}
}

// previewESCPOS renders what a thermal printer would print, for the docs:
// text in fixed 12×24 cells, sizes, rasters and QR codes.
func previewESCPOS(t *testing.T, d *escDoc, n int) image.Image {
	t.Helper()
	w := n * 12
	type band struct {
		h    int
		draw func(img *image.Gray, y int)
	}
	var bands []band
	glyphs := map[string]*escRaster{}
	// The printer's own font is a fixed 12×24 cell; Noto Sans stands in
	// for it, wide letters squeezed into the cell.
	glyph := func(ch string, bold bool) *escRaster {
		k := fmt.Sprint(ch, bold)
		if g, ok := glyphs[k]; ok {
			return g
		}
		gw, gh, bits := printing.RasterTextForTest(ch, 2, bold)
		on := func(x, y int) bool { return bits[y*(gw/8)+x/8]&(0x80>>(x%8)) != 0 }
		x0, x1 := gw, 0
		for y := 0; y < gh; y++ {
			for x := 0; x < gw; x++ {
				if on(x, y) {
					x0, x1 = min(x0, x), max(x1, x+1)
				}
			}
		}
		g := &escRaster{w: 16, h: gh, bits: make([]byte, 2*gh)}
		if x1 > x0 {
			iw := x1 - x0
			ow := min(iw, 11)
			off := (12 - ow) / 2
			for y := 0; y < gh; y++ {
				for x := 0; x < ow; x++ {
					if on(x0+x*iw/ow, y) {
						g.bits[y*2+(off+x)/8] |= 0x80 >> ((off + x) % 8)
					}
				}
			}
		}
		glyphs[k] = g
		return g
	}
	blit := func(img *image.Gray, r *escRaster, x0, y0, sx, sy int) {
		x0 += previewMargin
		for y := 0; y < r.h*sy; y++ {
			for x := 0; x < r.w*sx; x++ {
				px, py := x/sx, y/sy
				if r.bits[py*((r.w+7)/8)+px/8]&(0x80>>(px%8)) != 0 {
					img.SetGray(x0+x, y0+y, color.Gray{Y: 0x10})
				}
			}
		}
	}
	var qrSize byte = 6
	for _, it := range d.items {
		switch {
		case it.line != nil:
			l := *it.line
			sx, sy := int(l.size>>4)+1, int(l.size&0x0f)+1
			h := 30 * sy
			bands = append(bands, band{h, func(img *image.Gray, y int) {
				x := 0
				switch l.align {
				case 1:
					x = (w - l.width()*12) / 2
				case 2:
					x = w - l.width()*12
				}
				for _, ch := range l.text {
					if ch != ' ' {
						blit(img, glyph(string(ch), l.bold), x, y+2, sx, sy)
					}
					x += 12 * sx
				}
			}})
		case it.raster != nil:
			r := it.raster
			bands = append(bands, band{r.h, func(img *image.Gray, y int) { blit(img, r, 0, y, 1, 1) }})
		case it.qrSize != 0:
			qrSize = it.qrSize
		case it.qr != "":
			m, err := printing.QRMatrixForTest(it.qr)
			if err != nil {
				t.Fatal(err)
			}
			side := len(m) * int(qrSize)
			mod := int(qrSize)
			bands = append(bands, band{side + 8, func(img *image.Gray, y int) {
				x0 := previewMargin + (w-side)/2
				for yy := 0; yy < side; yy++ {
					for xx := 0; xx < side; xx++ {
						if m[yy/mod][xx/mod] {
							img.SetGray(x0+xx, y+4+yy, color.Gray{Y: 0x10})
						}
					}
				}
			}})
		case it.feed > 0:
			bands = append(bands, band{30 * it.feed, func(*image.Gray, int) {}})
		}
	}
	total := 40
	for _, b := range bands {
		total += b.h
	}
	img := image.NewGray(image.Rect(0, 0, w+2*previewMargin, total))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	y := 20
	for _, b := range bands {
		b.draw(img, y)
		y += b.h
	}
	return img
}

// previewMargin is the white paper left and right of the printed area.
const previewMargin = 24

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
