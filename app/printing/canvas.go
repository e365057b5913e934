package printing

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	_ "image/jpeg" // shop logos may be JPEG
	_ "image/png"
	"io"
	"sync"

	"github.com/signintech/gopdf"
	qrcode "github.com/skip2/go-qrcode"
)

// rgb is a colour.
type rgb struct{ r, g, b uint8 }

var (
	ink    = rgb{0x14, 0x14, 0x14}
	muted  = rgb{0x50, 0x50, 0x50}
	rule   = rgb{0x6e, 0x6e, 0x6e}
	hair   = rgb{0xc4, 0xc4, 0xc4}
	shade  = rgb{0xec, 0xee, 0xf1}
	accent = rgb{0x1f, 0x3a, 0x5f}
	red    = rgb{0xc6, 0x28, 0x28}
)

// Alignment of text in a box.
type align uint8

const (
	left align = iota
	center
	right
)

// canvas draws on a gopdf document in points, y growing down. Latin text
// is real text in embedded Noto Sans; text with Devanagari is shaped by
// go-text and drawn as glyph outlines, with the text itself laid under it
// invisibly so that the PDF stays searchable and copyable.
type canvas struct {
	pdf        *gopdf.GoPdf
	lib        *fontLib
	w, h       float64
	registered [numFaces][2]bool // [face][full]
	face       faceID
	full       bool
	size       float64
	fontSet    bool
}

func newCanvas(w, h float64) (*canvas, error) {
	lib, err := fonts()
	if err != nil {
		return nil, err
	}
	c := &canvas{pdf: &gopdf.GoPdf{}, lib: lib, w: w, h: h}
	c.pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: w, H: h}, Unit: gopdf.UnitPT})
	// Fast deflate: glyph outlines make long content streams, and the best
	// compression costs several times the time for a few per cent of size.
	c.pdf.SetCompressLevel(zlib.BestSpeed)
	c.pdf.SetInfo(gopdf.PdfInfo{Creator: "AI Naukar", Producer: "AI Naukar (gopdf)"})
	return c, nil
}

func (c *canvas) addPage() {
	c.pdf.AddPage()
	c.fontSet = false
}

// family is the gopdf family name of a face, whole or slim.
func family(f faceID, full bool) string {
	if full && f.isLatin() {
		return pdfFamily[f] + "-Full"
	}
	return pdfFamily[f]
}

// register adds a face to the document the first time it is used; gopdf
// subsets it to the glyphs drawn when the PDF is written.
func (c *canvas) register(f faceID, full bool) error {
	k := 0
	if full && f.isLatin() {
		k = 1
	}
	if c.registered[f][k] {
		return nil
	}
	if err := c.pdf.AddTTFFontData(family(f, full), c.lib.pdfData(f, full)); err != nil {
		return fmt.Errorf("printing: add font %s: %w", family(f, full), err)
	}
	c.registered[f][k] = true
	return nil
}

func (c *canvas) setFont(f faceID, size float64) error {
	return c.setFontFull(f, false, size)
}

func (c *canvas) setFontFull(f faceID, full bool, size float64) error {
	full = full && f.isLatin()
	if c.fontSet && c.face == f && c.full == full && c.size == size {
		return nil
	}
	if err := c.register(f, full); err != nil {
		return err
	}
	if err := c.pdf.SetFont(family(f, full), "", size); err != nil {
		return err
	}
	c.face, c.full, c.size, c.fontSet = f, full, size, true
	return nil
}

func (c *canvas) setTextColor(col rgb) {
	// gopdf writes the colour inside each text object, so it is set every
	// time text follows a fill in another colour.
	c.pdf.SetTextColor(col.r, col.g, col.b)
}

// style is a text style.
type style struct {
	size float64
	bold bool
	col  rgb
}

func (f style) width(s string) float64 { return mustFonts().width(s, f.size, f.bold) }

// text draws s with its baseline at y, starting at x.
func (c *canvas) text(x, y float64, s string, f style) error {
	s = c.lib.clean(s)
	if s == "" {
		return nil
	}
	if needsShaping(s) {
		return c.shapedText(x, y, s, f)
	}
	face := sansRegular
	if f.bold {
		face = sansBold
	}
	if err := c.setFont(face, f.size); err != nil {
		return err
	}
	c.setTextColor(f.col)
	c.pdf.SetXY(x, y)
	return c.pdf.Text(s)
}

// textIn draws s aligned within [x, x+w].
func (c *canvas) textIn(x, w, y float64, s string, f style, a align) error {
	if a == left {
		return c.text(x, y, s, f)
	}
	tw := f.width(s)
	if a == right {
		return c.text(x+w-tw, y, s, f)
	}
	return c.text(x+(w-tw)/2, y, s, f)
}

// shapedText draws text containing Devanagari: the text itself in white
// (for search and copy), then the shaped glyph outlines over it as filled
// polygons. White rather than transparent: CUPS turns PDFs into PostScript
// with Ghostscript, which flattens transparency and would print the
// unshaped text over the shaped glyphs.
func (c *canvas) shapedText(x, y float64, s string, f style) error {
	st := c.lib.shape(s, f.bold)
	for _, r := range st.runs {
		// The run is scaled to the width of its shaped glyphs, so that
		// selecting the text highlights the right place. (Letter spacing
		// would do that too, but makes the pen run backwards over the
		// marks, which text extraction reads as a line break.)
		size := f.size
		if r.natural > 0 {
			size *= min(max(r.w/r.natural, 0.3), 3)
		}
		if err := c.setFontFull(r.face, !allSlim(r.text), size); err != nil {
			return err
		}
		c.setTextColor(rgb{0xff, 0xff, 0xff})
		c.pdf.SetXY(x+r.x*f.size, y)
		if err := c.pdf.Text(r.text); err != nil {
			return err
		}
	}
	c.pdf.SetFillColor(f.col.r, f.col.g, f.col.b)
	var pts []gopdf.Point
	for _, g := range st.glyphs {
		gs := c.lib.glyph(g.face, g.gid)
		for _, poly := range gs.polys {
			pts = pts[:0]
			for _, p := range poly {
				pts = append(pts, gopdf.Point{X: x + (g.x+p.x)*f.size, Y: y - (g.y+p.y)*f.size})
			}
			c.pdf.Polygon(pts, "F")
		}
	}
	return nil
}

// allSlim reports whether every character of s is in the slim fonts.
func allSlim(s string) bool {
	for _, r := range s {
		if r >= 0x80 && !inSlim(r) {
			return false
		}
	}
	return true
}

func (c *canvas) fillRect(x, y, w, h float64, col rgb) {
	c.pdf.SetFillColor(col.r, col.g, col.b)
	c.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}

func (c *canvas) strokeRect(x, y, w, h, lw float64, col rgb) {
	c.pdf.SetLineWidth(lw)
	c.pdf.SetStrokeColor(col.r, col.g, col.b)
	c.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "D")
}

func (c *canvas) line(x1, y1, x2, y2, lw float64, col rgb) {
	c.pdf.SetLineWidth(lw)
	c.pdf.SetStrokeColor(col.r, col.g, col.b)
	c.pdf.Line(x1, y1, x2, y2)
}

// qr draws a QR code of content as vector squares, size points wide, with
// its top-left corner at (x, y).
func (c *canvas) qr(content string, x, y, size float64) error {
	bm, err := qrMatrix(content)
	if err != nil {
		return err
	}
	n := len(bm)
	m := size / float64(n)
	c.pdf.SetFillColor(0, 0, 0)
	for row := 0; row < n; row++ {
		for col := 0; col < n; {
			if !bm[row][col] {
				col++
				continue
			}
			end := col
			for end < n && bm[row][end] {
				end++
			}
			// A hair of overlap with the next row hides anti-aliasing seams.
			c.pdf.RectFromUpperLeftWithStyle(x+float64(col)*m, y+float64(row)*m, float64(end-col)*m, m+0.05, "F")
			col = end
		}
	}
	return nil
}

// qrCache keeps recent QR codes: a bill is usually previewed, printed and
// shared, and encoding (which tries all eight masks) costs milliseconds.
// Renderers start the encoding early (prefetchQR) so that it runs on
// another core while the page is laid out.
var qrCache struct {
	sync.Mutex
	m map[string]*qrEntry
}

type qrEntry struct {
	done chan struct{}
	bm   [][]bool
	err  error
}

// qrMatrix returns the modules of a QR code for content with medium error
// correction and no quiet zone. The result is shared: do not modify it.
func qrMatrix(content string) ([][]bool, error) {
	qrCache.Lock()
	e, ok := qrCache.m[content]
	if !ok {
		if qrCache.m == nil || len(qrCache.m) >= 64 {
			qrCache.m = make(map[string]*qrEntry)
		}
		e = &qrEntry{done: make(chan struct{})}
		qrCache.m[content] = e
	}
	qrCache.Unlock()
	if ok {
		<-e.done
		return e.bm, e.err
	}
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		e.err = fmt.Errorf("printing: QR code: %w", err)
	} else {
		q.DisableBorder = true
		e.bm = q.Bitmap()
	}
	close(e.done)
	return e.bm, e.err
}

// prefetchQR starts encoding a QR code in the background.
func prefetchQR(content string) {
	if content != "" {
		go qrMatrix(content) // the drawing call reports any error
	}
}

// image draws an image file (PNG or JPEG) fitted into the box w×h at (x, y),
// keeping its proportions, and returns the width used.
func (c *canvas) image(data []byte, x, y, w, h float64) (float64, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, fmt.Errorf("printing: logo: %w", err)
	}
	if cfg.Width == 0 || cfg.Height == 0 {
		return 0, fmt.Errorf("printing: logo is empty")
	}
	iw, ih := w, w*float64(cfg.Height)/float64(cfg.Width)
	if ih > h {
		iw, ih = h*float64(cfg.Width)/float64(cfg.Height), h
	}
	holder, err := gopdf.ImageHolderByBytes(data)
	if err != nil {
		return 0, fmt.Errorf("printing: logo: %w", err)
	}
	if err := c.pdf.ImageByHolder(holder, x, y+(h-ih)/2, &gopdf.Rect{W: iw, H: ih}); err != nil {
		return 0, fmt.Errorf("printing: logo: %w", err)
	}
	return iw, nil
}

// watermark draws large rotated text across the band [top, bottom] of the
// page (under what is drawn after it).
func (c *canvas) watermark(s string, col rgb, top, bottom float64) error {
	f := style{size: 90, bold: true, col: col}
	f.size = min(90, max(40, (bottom-top)*0.22))
	w := f.width(s)
	cx, cy := c.w/2, (top+bottom)/2
	c.pdf.Rotate(35, cx, cy)
	err := c.text(cx-w/2, cy+f.size/3, s, f)
	c.pdf.RotateReset()
	c.fontSet = false
	return err
}

func (c *canvas) writeTo(w io.Writer) error {
	_, err := c.pdf.WriteTo(w)
	return err
}
