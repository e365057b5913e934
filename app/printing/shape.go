package printing

import (
	"math"
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// Shaped text is kept in em units (font units divided by units per em), so
// one shaping serves every font size; multiply by the size in points.

type shapeKey struct {
	s    string
	bold bool
}

// shapedGlyph is one glyph placed by the shaper, its origin relative to the
// start of the text's baseline, y up.
type shapedGlyph struct {
	face faceID
	gid  font.GID
	x, y float64
}

// textRun is a piece of the original text in one face, kept so that the PDF
// can carry the text itself (invisible, under the drawn glyphs) for search
// and copy: x and w are its place on the line, natural its unshaped width.
type textRun struct {
	face    faceID
	text    string
	x, w    float64
	natural float64
}

type shapedText struct {
	glyphs  []shapedGlyph
	runs    []textRun
	advance float64
}

type glyphKey struct {
	face faceID
	gid  font.GID
}

// vec is a point in em units, y up.
type vec struct{ x, y float64 }

// glyphShape is a glyph's outline as filled polygons: each polygon is one
// outer contour with its holes joined in by zero-width bridges through the
// ink, so a plain non-zero fill of each polygon draws the glyph.
type glyphShape struct {
	polys [][]vec
}

// maxCache bounds the shaping and outline caches.
const maxCache = 20000

// segment is a run of runes [start, end) drawn with one face.
type segment struct {
	face       faceID
	start, end int
}

// segments splits rs into runs by face (the caller holds l.mu): Devanagari letters and marks go to
// the Devanagari face, everything else to Noto Sans. Spaces, digits and
// punctuation stay with the Devanagari run they follow when that face has
// them, so a phrase is shaped as one run.
func (l *fontLib) segments(rs []rune, bold bool) []segment {
	deva, sans := devaRegular, sansRegular
	if bold {
		deva, sans = devaBold, sansBold
	}
	var segs []segment
	prev := sans
	for i, r := range rs {
		f := sans
		switch {
		case isDeva(r) || r == 0x200C || r == 0x200D:
			f = deva
		case i > 0 && unicode.In(r, unicode.Mn, unicode.Me):
			f = prev
		case unicode.IsLetter(r):
			f = sans
		case prev == deva && l.hasGlyphLocked(deva, r):
			f = deva
		}
		if len(segs) > 0 && segs[len(segs)-1].face == f {
			segs[len(segs)-1].end = i + 1
		} else {
			segs = append(segs, segment{f, i, i + 1})
		}
		prev = f
	}
	return segs
}

// shape shapes s (which may mix scripts) with the HarfBuzz port of go-text,
// caching the result.
func (l *fontLib) shape(s string, bold bool) *shapedText {
	key := shapeKey{s, bold}
	l.mu.Lock()
	defer l.mu.Unlock()
	if st, ok := l.shaped[key]; ok {
		return st
	}
	rs := []rune(s)
	st := &shapedText{}
	var x float64
	for _, seg := range l.segments(rs, bold) {
		face := l.faces[seg.face]
		upem := l.upem[seg.face]
		in := shaping.Input{
			Text: rs, RunStart: seg.start, RunEnd: seg.end,
			Direction: di.DirectionLTR, Face: face,
			Size:     fixed.I(int(upem)),
			Script:   language.Latin,
			Language: language.NewLanguage("en"),
		}
		devanagari := seg.face == devaRegular || seg.face == devaBold
		if devanagari {
			in.Script, in.Language = language.Devanagari, language.NewLanguage("hi")
		}
		out := l.shaper.Shape(in)
		start := x
		for _, g := range out.Glyphs {
			st.glyphs = append(st.glyphs, shapedGlyph{
				face: seg.face, gid: g.GlyphID,
				x: x + float64(g.XOffset)/64/upem,
				y: float64(g.YOffset) / 64 / upem,
			})
			x += float64(g.XAdvance) / 64 / upem
		}
		var natural float64
		for _, r := range rs[seg.start:seg.end] {
			if gid, ok := face.NominalGlyph(r); ok {
				natural += float64(face.HorizontalAdvance(gid)) / upem
			}
		}
		st.runs = append(st.runs, textRun{face: seg.face, text: string(rs[seg.start:seg.end]),
			x: start, w: x - start, natural: natural})
	}
	st.advance = x
	if len(l.shaped) >= maxCache {
		clear(l.shaped)
	}
	l.shaped[key] = st
	return st
}

// glyph returns the outline polygons of a glyph, cached.
func (l *fontLib) glyph(f faceID, gid font.GID) *glyphShape {
	key := glyphKey{f, gid}
	l.mu.Lock()
	defer l.mu.Unlock()
	if g, ok := l.outline[key]; ok {
		return g
	}
	g := &glyphShape{}
	if o, ok := l.faces[f].GlyphData(gid).(font.GlyphOutline); ok {
		g.polys = outlinePolys(o, l.upem[f])
	}
	if len(l.outline) >= maxCache {
		clear(l.outline)
	}
	l.outline[key] = g
	return g
}

// flatten turns an outline into closed polygons (font units), curves cut
// into short straight pieces.
func flatten(o font.GlyphOutline) [][]vec {
	var cs [][]vec
	var cur []vec
	var last vec
	for _, seg := range o.Segments {
		a := seg.Args
		switch seg.Op {
		case ot.SegmentOpMoveTo:
			if len(cur) > 2 {
				cs = append(cs, cur)
			}
			last = vec{float64(a[0].X), float64(a[0].Y)}
			cur = []vec{last}
		case ot.SegmentOpLineTo:
			last = vec{float64(a[0].X), float64(a[0].Y)}
			cur = append(cur, last)
		case ot.SegmentOpQuadTo:
			c := vec{float64(a[0].X), float64(a[0].Y)}
			p := vec{float64(a[1].X), float64(a[1].Y)}
			n := pieces(math.Hypot(last.x-2*c.x+p.x, last.y-2*c.y+p.y) / 4)
			for i := 1; i <= n; i++ {
				t := float64(i) / float64(n)
				u := 1 - t
				cur = append(cur, vec{u*u*last.x + 2*u*t*c.x + t*t*p.x, u*u*last.y + 2*u*t*c.y + t*t*p.y})
			}
			last = p
		case ot.SegmentOpCubeTo:
			c1 := vec{float64(a[0].X), float64(a[0].Y)}
			c2 := vec{float64(a[1].X), float64(a[1].Y)}
			p := vec{float64(a[2].X), float64(a[2].Y)}
			n := pieces(max(math.Hypot(last.x-2*c1.x+c2.x, last.y-2*c1.y+c2.y), math.Hypot(c1.x-2*c2.x+p.x, c1.y-2*c2.y+p.y)) * 3 / 4)
			for i := 1; i <= n; i++ {
				t := float64(i) / float64(n)
				u := 1 - t
				cur = append(cur, vec{
					u*u*u*last.x + 3*u*u*t*c1.x + 3*u*t*t*c2.x + t*t*t*p.x,
					u*u*u*last.y + 3*u*u*t*c1.y + 3*u*t*t*c2.y + t*t*t*p.y})
			}
			last = p
		}
	}
	if len(cur) > 2 {
		cs = append(cs, cur)
	}
	return cs
}

// flatTolerance is how far (font units, 1000 per em) a flattened curve
// may stray from the true one: 0.03 pt at invoice text sizes, 0.02 mm on
// the 13.5 pt shop name — below a 600 dpi printer's dot.
const flatTolerance = 4.0

// pieces is how many straight pieces a curve is cut into, given the size
// of its second difference (how sharply it bends): the chord error of n
// pieces is at most that over 2n².
func pieces(bend float64) int {
	n := int(math.Ceil(math.Sqrt(bend / (2 * flatTolerance))))
	return max(1, min(n, 24))
}

func area(p []vec) float64 {
	var a float64
	for i := range p {
		j := (i + 1) % len(p)
		a += p[i].x*p[j].y - p[j].x*p[i].y
	}
	return a / 2
}

func inside(pt vec, poly []vec) bool {
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		a, b := poly[i], poly[j]
		if (a.y > pt.y) != (b.y > pt.y) && pt.x < (b.x-a.x)*(pt.y-a.y)/(b.y-a.y)+a.x {
			in = !in
		}
	}
	return in
}

// outlinePolys groups contours into outer shapes and their holes (by how
// deeply each contour is nested) and joins every hole into its outer
// contour through the shortest bridge, which runs through ink: drawn as
// separate paths, holes would be filled; bridged through white space, a
// renderer may show the bridge as a hairline.
func outlinePolys(o font.GlyphOutline, upem float64) [][]vec {
	cs := flatten(o)
	n := len(cs)
	areas := make([]float64, n)
	for i, c := range cs {
		areas[i] = area(c)
	}
	depth := make([]int, n)
	for i := range cs {
		for j := range cs {
			if i != j && math.Abs(areas[j]) > math.Abs(areas[i]) && inside(cs[i][0], cs[j]) {
				depth[i]++
			}
		}
	}
	parent := make([]int, n)
	for i := range cs {
		parent[i] = -1
		if depth[i]%2 == 0 {
			continue
		}
		for j := range cs {
			if depth[j] == depth[i]-1 && math.Abs(areas[j]) > math.Abs(areas[i]) && inside(cs[i][0], cs[j]) {
				if parent[i] < 0 || math.Abs(areas[j]) < math.Abs(areas[parent[i]]) {
					parent[i] = j
				}
			}
		}
	}
	var polys [][]vec
	for i := range cs {
		if depth[i]%2 == 1 && parent[i] >= 0 {
			continue
		}
		poly := append([]vec(nil), cs[i]...)
		for h := range cs {
			if parent[h] != i {
				continue
			}
			hole := cs[h]
			if (areas[h] > 0) == (areas[i] > 0) {
				hole = reversed(hole)
			}
			poly = bridge(poly, hole)
		}
		for k := range poly {
			poly[k].x /= upem
			poly[k].y /= upem
		}
		polys = append(polys, poly)
	}
	return polys
}

func reversed(p []vec) []vec {
	r := make([]vec, len(p))
	for i, v := range p {
		r[len(p)-1-i] = v
	}
	return r
}

// bridge splices hole into poly at their closest pair of vertices.
func bridge(poly, hole []vec) []vec {
	bi, bj, best := 0, 0, math.Inf(1)
	for i, p := range poly {
		for j, q := range hole {
			if d := (p.x-q.x)*(p.x-q.x) + (p.y-q.y)*(p.y-q.y); d < best {
				bi, bj, best = i, j, d
			}
		}
	}
	out := make([]vec, 0, len(poly)+len(hole)+2)
	out = append(out, poly[:bi+1]...)
	out = append(out, hole[bj:]...)
	out = append(out, hole[:bj+1]...)
	out = append(out, poly[bi:]...)
	return out
}
