package printing

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// gopdf parses a font from its bytes for every document and writes the
// font's full glyph metrics and offsets into each PDF. For Noto Sans (3,700
// glyphs: Latin, Greek, Cyrillic, Vietnamese…) that costs more than drawing
// the invoice. So the Latin faces gopdf embeds are cut down, once per
// process, to the characters bills use: Latin with its accented letters,
// punctuation and currency signs (₹). Text with anything else is drawn as
// outlines from the full font, like Devanagari.

// slimRanges are the characters kept in the fonts gopdf embeds.
var slimRanges = [][2]rune{
	{0x0020, 0x007E}, // Basic Latin
	{0x00A0, 0x017F}, // Latin-1, Latin Extended-A
	{0x1E0C, 0x1E0D}, // Ḍ ḍ: the IAST letters of Latin Extended Additional
	{0x1E24, 0x1E25}, // Ḥ ḥ
	{0x1E36, 0x1E39}, // Ḷ ḷ Ḹ ḹ
	{0x1E40, 0x1E47}, // Ṁ ṁ Ṃ ṃ Ṅ ṅ Ṇ ṇ
	{0x1E5A, 0x1E5D}, // Ṛ ṛ Ṝ ṝ
	{0x1E62, 0x1E63}, // Ṣ ṣ
	{0x1E6C, 0x1E6D}, // Ṭ ṭ
	{0x2010, 0x205E}, // General Punctuation
	{0x20A0, 0x20C0}, // Currency Symbols (₹ U+20B9)
	{0x2116, 0x2122}, // № ™
	{0x2212, 0x2212}, // minus
	{0x25CC, 0x25CC}, // dotted circle
}

// inSlim reports whether r is kept in the slim fonts.
func inSlim(r rune) bool {
	for _, rg := range slimRanges {
		if r >= rg[0] && r <= rg[1] {
			return true
		}
	}
	return false
}

type sfnt struct {
	data   []byte
	tables map[string][]byte
}

func parseSFNT(b []byte) (*sfnt, error) {
	if len(b) < 12 || binary.BigEndian.Uint32(b) != 0x00010000 {
		return nil, errors.New("not a TrueType font")
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	f := &sfnt{data: b, tables: map[string][]byte{}}
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(b) {
			return nil, errors.New("truncated table directory")
		}
		off := int(binary.BigEndian.Uint32(b[rec+8:]))
		ln := int(binary.BigEndian.Uint32(b[rec+12:]))
		if off < 0 || ln < 0 || off+ln > len(b) {
			return nil, fmt.Errorf("table %q out of bounds", b[rec:rec+4])
		}
		f.tables[string(b[rec:rec+4])] = b[off : off+ln]
	}
	for _, t := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap", "name", "OS/2", "post"} {
		if f.tables[t] == nil {
			return nil, fmt.Errorf("font lacks the %s table", t)
		}
	}
	return f, nil
}

// subsetFont returns a TrueType font with only the glyphs that cmap maps
// from the runes keep accepts (plus .notdef and composite parts),
// renumbered, for gopdf: tables head, hhea, maxp, OS/2, hmtx, cmap (format
// 4), loca (long), glyf, name, post (format 3) and the hinting tables.
func subsetFont(b []byte, cmap func(rune) (uint16, bool), keep func(rune) bool) ([]byte, error) {
	f, err := parseSFNT(b)
	if err != nil {
		return nil, err
	}
	u16 := binary.BigEndian.Uint16
	u32 := binary.BigEndian.Uint32
	head, hhea, maxp := f.tables["head"], f.tables["hhea"], f.tables["maxp"]
	numGlyphs := int(u16(maxp[4:]))
	longLoca := u16(head[50:]) == 1
	loca := f.tables["loca"]
	glyfAt := func(g int) []byte {
		var a, z int
		if longLoca {
			a, z = int(u32(loca[4*g:])), int(u32(loca[4*g+4:]))
		} else {
			a, z = 2*int(u16(loca[2*g:])), 2*int(u16(loca[2*g+2:]))
		}
		glyf := f.tables["glyf"]
		if a >= z || z > len(glyf) {
			return nil
		}
		return glyf[a:z]
	}
	// components lists a composite glyph's parts: offsets of their ids.
	components := func(g []byte) []int {
		if len(g) < 10 || int16(u16(g)) >= 0 {
			return nil
		}
		var offs []int
		p := 10
		for p+4 <= len(g) {
			flags := u16(g[p:])
			offs = append(offs, p+2)
			p += 4
			if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
				p += 4
			} else {
				p += 2
			}
			switch {
			case flags&0x0008 != 0: // WE_HAVE_A_SCALE
				p += 2
			case flags&0x0040 != 0: // X_AND_Y_SCALE
				p += 4
			case flags&0x0080 != 0: // TWO_BY_TWO
				p += 8
			}
			if flags&0x0020 == 0 { // MORE_COMPONENTS
				break
			}
		}
		return offs
	}

	// The glyph set: .notdef, the kept characters, their composite parts.
	runeOf := map[rune]int{}
	set := map[int]bool{0: true}
	for _, rg := range slimRanges {
		for r := rg[0]; r <= rg[1]; r++ {
			if !keep(r) {
				continue
			}
			if g, ok := cmap(r); ok && int(g) < numGlyphs {
				runeOf[r] = int(g)
				set[int(g)] = true
			}
		}
	}
	for queue := setKeys(set); len(queue) > 0; {
		g := queue[0]
		queue = queue[1:]
		data := glyfAt(g)
		for _, off := range components(data) {
			c := int(u16(data[off:]))
			if c < numGlyphs && !set[c] {
				set[c] = true
				queue = append(queue, c)
			}
		}
	}
	old := setKeys(set)
	sort.Ints(old)
	newID := make(map[int]int, len(old))
	for i, g := range old {
		newID[g] = i
	}

	// glyf and loca.
	var glyf []byte
	locaOut := make([]byte, 4*(len(old)+1))
	for i, g := range old {
		binary.BigEndian.PutUint32(locaOut[4*i:], uint32(len(glyf)))
		data := append([]byte(nil), glyfAt(g)...)
		for _, off := range components(data) {
			binary.BigEndian.PutUint16(data[off:], uint16(newID[int(u16(data[off:]))]))
		}
		glyf = append(glyf, data...)
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
	}
	binary.BigEndian.PutUint32(locaOut[4*len(old):], uint32(len(glyf)))

	// hmtx: a full metric for every glyph.
	hmtx := f.tables["hmtx"]
	nh := int(u16(hhea[34:]))
	hmtxOut := make([]byte, 4*len(old))
	for i, g := range old {
		var adv, lsb uint16
		if g < nh {
			adv, lsb = u16(hmtx[4*g:]), u16(hmtx[4*g+2:])
		} else {
			adv = u16(hmtx[4*(nh-1):])
			if p := 4*nh + 2*(g-nh); p+2 <= len(hmtx) {
				lsb = u16(hmtx[p:])
			}
		}
		binary.BigEndian.PutUint16(hmtxOut[4*i:], adv)
		binary.BigEndian.PutUint16(hmtxOut[4*i+2:], lsb)
	}

	headOut := append([]byte(nil), head...)
	binary.BigEndian.PutUint32(headOut[8:], 0) // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(headOut[50:], 1)
	hheaOut := append([]byte(nil), hhea...)
	binary.BigEndian.PutUint16(hheaOut[34:], uint16(len(old)))
	maxpOut := append([]byte(nil), maxp...)
	binary.BigEndian.PutUint16(maxpOut[4:], uint16(len(old)))
	post := f.tables["post"]
	postOut := append([]byte(nil), post[:32]...)
	binary.BigEndian.PutUint32(postOut, 0x00030000)

	tables := map[string][]byte{
		"head": headOut, "hhea": hheaOut, "maxp": maxpOut, "OS/2": f.tables["OS/2"],
		"hmtx": hmtxOut, "cmap": cmap4(runeOf, newID), "loca": locaOut, "glyf": glyf,
		"name": f.tables["name"], "post": postOut,
	}
	for _, t := range []string{"cvt ", "fpgm", "prep", "gasp"} {
		if f.tables[t] != nil {
			tables[t] = f.tables[t]
		}
	}
	return writeSFNT(tables), nil
}

func setKeys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// cmap4 builds a cmap table with one (3,1) format 4 subtable, one segment
// per run of consecutive characters with consecutive glyphs.
func cmap4(runeOf map[rune]int, newID map[int]int) []byte {
	rs := make([]rune, 0, len(runeOf))
	for r := range runeOf {
		if r <= 0xFFFF {
			rs = append(rs, r)
		}
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
	type seg struct {
		start, end rune
		delta      int
	}
	var segs []seg
	for _, r := range rs {
		g := newID[runeOf[r]]
		if n := len(segs); n > 0 && segs[n-1].end == r-1 && int(r)+segs[n-1].delta == g {
			segs[n-1].end = r
			continue
		}
		segs = append(segs, seg{r, r, g - int(r)})
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF, 1})
	n := len(segs)
	sub := make([]byte, 16+8*n)
	put := func(off int, v uint16) { binary.BigEndian.PutUint16(sub[off:], v) }
	put(0, 4)
	put(2, uint16(len(sub)))
	put(6, uint16(2*n))
	sr := 1
	es := 0
	for sr*2 <= n {
		sr *= 2
		es++
	}
	put(8, uint16(2*sr))
	put(10, uint16(es))
	put(12, uint16(2*n-2*sr))
	for i, s := range segs {
		put(14+2*i, uint16(s.end))
		put(16+2*n+2*i, uint16(s.start))
		put(16+4*n+2*i, uint16(int16(s.delta)))
		put(16+6*n+2*i, 0) // idRangeOffset
	}
	out := make([]byte, 12, 12+len(sub))
	binary.BigEndian.PutUint16(out[2:], 1)  // one subtable
	binary.BigEndian.PutUint16(out[4:], 3)  // Windows
	binary.BigEndian.PutUint16(out[6:], 1)  // Unicode BMP
	binary.BigEndian.PutUint32(out[8:], 12) // offset
	return append(out, sub...)
}

// writeSFNT assembles tables into a TrueType file with correct checksums.
func writeSFNT(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	out := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	sr, es := 1, 0
	for sr*2 <= n {
		sr *= 2
		es++
	}
	binary.BigEndian.PutUint16(out[6:], uint16(16*sr))
	binary.BigEndian.PutUint16(out[8:], uint16(es))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16*sr))
	headAt := 0
	for i, t := range tags {
		data := tables[t]
		rec := 12 + 16*i
		copy(out[rec:], t)
		binary.BigEndian.PutUint32(out[rec+4:], checksum(data))
		binary.BigEndian.PutUint32(out[rec+8:], uint32(len(out)))
		binary.BigEndian.PutUint32(out[rec+12:], uint32(len(data)))
		if t == "head" {
			headAt = len(out)
		}
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}

func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		s += binary.BigEndian.Uint32(w[:])
	}
	return s
}
