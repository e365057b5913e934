package printing

import (
	"bytes"
	"fmt"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"

	"github.com/ainaukar/naukar/assets"
)

// faceID names one of the four embedded faces.
type faceID uint8

const (
	sansRegular faceID = iota
	sansBold
	devaRegular
	devaBold
	numFaces
)

// pdfFamily is the family name each face is registered under in gopdf.
var pdfFamily = [numFaces]string{"NotoSans", "NotoSans-Bold", "NotoSansDevanagari", "NotoSansDevanagari-Bold"}

// isLatin reports whether f is one of the Noto Sans (Latin) faces.
func (f faceID) isLatin() bool { return f == sansRegular || f == sansBold }

func faceData(f faceID) []byte {
	switch f {
	case sansBold:
		return assets.NotoSansBold
	case devaRegular:
		return assets.NotoSansDevanagariRegular
	case devaBold:
		return assets.NotoSansDevanagariBold
	}
	return assets.NotoSansRegular
}

// advLimit bounds the rune range whose advances are kept in flat tables:
// Latin, Latin-1, general punctuation and the rupee sign (U+20B9).
const advLimit = 0x2200

// fontLib is the fonts parsed once per process: faces for shaping and
// glyph outlines, and per-rune advance tables for fast measuring. Faces
// are not safe for concurrent use, so shaping and outline extraction run
// under mu; their results are cached and read-only afterwards.
type fontLib struct {
	faces [numFaces]*font.Face
	upem  [numFaces]float64
	// adv[f][r] is the advance of rune r in face f in font units, or -1 when
	// the face has no glyph for it.
	adv [numFaces][]int16
	// ascent and descent (positive, font units) from the faces' horizontal
	// line metrics.
	ascent, descent [numFaces]float64

	// slim are the Latin faces cut down to the characters of slimRanges,
	// which gopdf embeds in every document (see subset.go).
	slim [numFaces][]byte

	mu      sync.Mutex
	shaper  shaping.HarfbuzzShaper
	shaped  map[shapeKey]*shapedText
	outline map[glyphKey]*glyphShape
}

var (
	libOnce sync.Once
	libVal  *fontLib
	libErr  error
)

// fonts returns the process-wide font library, parsing the embedded fonts
// on first use.
func fonts() (*fontLib, error) {
	libOnce.Do(func() { libVal, libErr = loadFonts() })
	return libVal, libErr
}

func mustFonts() *fontLib {
	l, err := fonts()
	if err != nil {
		panic(err)
	}
	return l
}

func loadFonts() (*fontLib, error) {
	l := &fontLib{shaped: make(map[shapeKey]*shapedText), outline: make(map[glyphKey]*glyphShape)}
	for f := faceID(0); f < numFaces; f++ {
		face, err := font.ParseTTF(bytes.NewReader(faceData(f)))
		if err != nil {
			return nil, fmt.Errorf("printing: parse font %s: %w", pdfFamily[f], err)
		}
		l.faces[f] = face
		l.upem[f] = float64(face.Upem())
		if ext, ok := face.FontHExtents(); ok {
			l.ascent[f], l.descent[f] = float64(ext.Ascender), -float64(ext.Descender)
		} else {
			l.ascent[f], l.descent[f] = 0.8*l.upem[f], 0.2*l.upem[f]
		}
		t := make([]int16, advLimit)
		for r := rune(0); r < advLimit; r++ {
			t[r] = -1
			if gid, ok := face.NominalGlyph(r); ok {
				t[r] = int16(face.HorizontalAdvance(gid))
			}
		}
		l.adv[f] = t
		if f.isLatin() {
			cmap := func(r rune) (uint16, bool) {
				g, ok := face.NominalGlyph(r)
				return uint16(g), ok
			}
			slim, err := subsetFont(faceData(f), cmap, func(rune) bool { return true })
			if err != nil {
				return nil, fmt.Errorf("printing: subset font %s: %w", pdfFamily[f], err)
			}
			l.slim[f] = slim
		}
	}
	return l, nil
}

// pdfData is the font file gopdf embeds for face f: the slim cut of the
// Latin faces, the whole Devanagari faces.
func (l *fontLib) pdfData(f faceID, full bool) []byte {
	if f.isLatin() && !full {
		return l.slim[f]
	}
	return faceData(f)
}

// isDeva reports whether r belongs to the Devanagari script blocks.
func isDeva(r rune) bool {
	return r >= 0x0900 && r <= 0x097F || r >= 0xA8E0 && r <= 0xA8FF || r >= 0x1CD0 && r <= 0x1CFF
}

// needsShaping reports whether s has text that must go through the shaper
// and be drawn as outlines: Devanagari (gopdf lays glyphs side by side,
// which breaks conjuncts) and characters outside the slim Latin fonts.
func needsShaping(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			for _, r := range s[i:] {
				if r >= 0x80 && (isDeva(r) || !inSlim(r)) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// hasGlyph reports whether face f can draw r.
func (l *fontLib) hasGlyph(f faceID, r rune) bool {
	if r < advLimit {
		return l.adv[f][r] >= 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.hasGlyphLocked(f, r)
}

// hasGlyphLocked is hasGlyph for callers holding l.mu.
func (l *fontLib) hasGlyphLocked(f faceID, r rune) bool {
	if r < advLimit {
		return l.adv[f][r] >= 0
	}
	_, ok := l.faces[f].NominalGlyph(r)
	return ok
}

// clean makes s drawable: control characters become spaces, and characters
// that neither the Latin nor the Devanagari face has become '?'. ASCII text
// is returned as is without allocating.
func (l *fontLib) clean(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c < 0x20 || c == 0x7f {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			out = append(out, ' ')
		case unicode.IsControl(r):
		case r == 0x200C || r == 0x200D: // ZWNJ, ZWJ steer Devanagari shaping
			out = append(out, r)
		case unicode.Is(unicode.Cf, r):
		case isDeva(r), l.hasGlyph(sansRegular, r):
			out = append(out, r)
		default:
			out = append(out, '?')
		}
	}
	return string(out)
}

// latinWidth is the width of s (no Devanagari) in face f at size points.
func (l *fontLib) latinWidth(s string, f faceID, size float64) float64 {
	var units float64
	t := l.adv[f]
	for _, r := range s {
		if r < advLimit {
			if a := t[r]; a > 0 {
				units += float64(a)
			}
			continue
		}
		l.mu.Lock()
		if gid, ok := l.faces[f].NominalGlyph(r); ok {
			units += float64(l.faces[f].HorizontalAdvance(gid))
		}
		l.mu.Unlock()
	}
	return units * size / l.upem[f]
}

// width measures s as it will be drawn at size points.
func (l *fontLib) width(s string, size float64, bold bool) float64 {
	if needsShaping(s) {
		return l.shape(s, bold).advance * size
	}
	f := sansRegular
	if bold {
		f = sansBold
	}
	return l.latinWidth(s, f, size)
}
