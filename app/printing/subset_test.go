package printing

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/go-text/typesetting/font"
	"github.com/signintech/gopdf"
)

// TestSlimFonts checks the cut-down Latin fonts against the originals:
// same glyph for every kept character (outline and advance), composites
// rewired, and gopdf accepts them.
func TestSlimFonts(t *testing.T) {
	lib := mustFonts()
	for _, f := range []faceID{sansRegular, sansBold} {
		slim, err := font.ParseTTF(bytes.NewReader(lib.slim[f]))
		if err != nil {
			t.Fatalf("%s: parse slim font: %v", pdfFamily[f], err)
		}
		full := lib.faces[f]
		if n := len(lib.slim[f]); n > 120_000 {
			t.Errorf("%s: slim font is %d bytes", pdfFamily[f], n)
		}
		checked := 0
		for _, rg := range slimRanges {
			for r := rg[0]; r <= rg[1]; r++ {
				gf, ok := full.NominalGlyph(r)
				if !ok {
					continue
				}
				gs, ok := slim.NominalGlyph(r)
				if !ok {
					t.Errorf("%s: %U lost", pdfFamily[f], r)
					continue
				}
				if a, b := full.HorizontalAdvance(gf), slim.HorizontalAdvance(gs); a != b {
					t.Errorf("%s: %U advance %v, slim %v", pdfFamily[f], r, a, b)
				}
				if !reflect.DeepEqual(full.GlyphData(gf), slim.GlyphData(gs)) {
					t.Errorf("%s: %U outline differs", pdfFamily[f], r)
				}
				checked++
			}
		}
		if checked < 400 {
			t.Errorf("%s: only %d characters checked", pdfFamily[f], checked)
		}
		if _, ok := slim.NominalGlyph('α'); ok {
			t.Errorf("%s: Greek kept in the slim font", pdfFamily[f])
		}
		pdf := gopdf.GoPdf{}
		pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
		if err := pdf.AddTTFFontData("slim", lib.slim[f]); err != nil {
			t.Fatalf("gopdf refuses the slim font: %v", err)
		}
		pdf.AddPage()
		if err := pdf.SetFont("slim", "", 10); err != nil {
			t.Fatal(err)
		}
		pdf.SetXY(20, 20)
		if err := pdf.Text("Grand Total ₹1,23,456.78 — Śrī Āśīrvād Ṭreḍers"); err != nil {
			t.Fatal(err)
		}
		if _, err := pdf.GetBytesPdfReturnErr(); err != nil {
			t.Fatal(err)
		}
	}
	if !needsShaping("Ελληνικά") || needsShaping("Śrī ₹12") || !needsShaping("बासमती") || needsShaping("plain") {
		t.Error("needsShaping routes text wrongly")
	}
}
