package printing

// Hooks for the black-box tests.

// RasterTextForTest draws text as the receipt images do, n columns wide,
// and returns the image as rows of bits (width in dots, height, bits).
func RasterTextForTest(text string, n int, bold bool) (int, int, []byte) {
	img := rasterRow(rrow{cells: []rcell{{text: text, width: n}}, bold: bold}, n)
	return img.w, img.h, img.bits
}

// QRMatrixForTest exposes the QR modules for a content string.
func QRMatrixForTest(content string) ([][]bool, error) { return qrMatrix(content) }

// ShapeForTest returns the glyph IDs the shaper gives s.
func ShapeForTest(s string) []uint32 {
	st := mustFonts().shape(s, false)
	out := make([]uint32, len(st.glyphs))
	for i, g := range st.glyphs {
		out[i] = uint32(g.gid)
	}
	return out
}

// WrapForTest wraps s to max columns counting runes.
func WrapForTest(s string, max int) []string { return wrap(s, float64(max), runeWidth) }
