package printing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// wrap breaks s into lines no wider than max as measured by width. It
// breaks at spaces; a word longer than a line is cut between characters,
// never inside a Devanagari cluster (before a vowel sign or after a
// virama). Newlines in s start new lines. An empty s gives no lines.
func wrap(s string, max float64, width func(string) float64) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		line := ""
		for _, w := range words {
			if line != "" {
				if cand := line + " " + w; width(cand) <= max {
					line = cand
					continue
				}
				out = append(out, line)
				line = ""
			}
			if width(w) <= max {
				line = w
				continue
			}
			pieces := cutWord(w, max, width)
			out = append(out, pieces[:len(pieces)-1]...)
			line = pieces[len(pieces)-1]
		}
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// cutWord splits one overlong word into pieces that fit, at allowed points;
// a piece holds at least one cluster even when that is wider than max.
func cutWord(w string, max float64, width func(string) float64) []string {
	var out []string
	for w != "" {
		if width(w) <= max {
			return append(out, w)
		}
		cut, first := 0, 0
		prev := rune(-1)
		for i, r := range w {
			if i > 0 && canBreakBefore(prev, r) {
				if first == 0 {
					first = i
				}
				if width(w[:i]) > max {
					break
				}
				cut = i
			}
			prev = r
		}
		if cut == 0 {
			cut = first
		}
		if cut == 0 {
			cut = len(w)
		}
		out = append(out, w[:cut])
		w = w[cut:]
	}
	return out
}

// canBreakBefore reports whether a line may break between prev and r.
func canBreakBefore(prev, r rune) bool {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me):
		return false
	case r == 0x200C || r == 0x200D || prev == 0x200C || prev == 0x200D:
		return false
	case prev == 0x094D: // virama joins the next consonant into a conjunct
		return false
	}
	return true
}

// runeWidth measures text in character cells, for fixed-pitch printers.
func runeWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) }
