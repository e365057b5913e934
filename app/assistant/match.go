package assistant

import (
	"sort"
	"strings"
	"unicode"
)

// Choice is one candidate a name could mean.
type Choice struct {
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Score float64 `json:"-"`
}

// Match is what a spoken name resolved to: Best when Sure, else the
// Choices to show.
type Match struct {
	Best    *Choice  `json:"best,omitempty"`
	Sure    bool     `json:"sure"`
	Choices []Choice `json:"choices,omitempty"`
}

// Matching thresholds: a best score at least sureScore, ahead of the next
// by sureGap, is taken; candidates from choiceScore up are offered.
const (
	sureScore   = 0.8
	sureGap     = 0.1
	choiceScore = 0.5
	maxChoices  = 4
	choiceGap   = 0.25
)

// honorifics are words around a name that are not the name ("Sharma ji",
// "Ramesh bhai", "Gupta uncle").
var honorifics = map[string]bool{"ji": true, "jee": true, "bhai": true, "bhaiya": true, "bhaiyya": true, "sahab": true,
	"saab": true, "sahib": true, "sir": true, "madam": true, "didi": true, "ben": true, "behen": true, "uncle": true,
	"aunty": true, "auntie": true, "seth": true, "sethji": true, "shri": true, "shree": true, "mr": true, "mrs": true,
	"smt": true, "babu": true, "bhabhi": true, "ka": true, "ki": true, "ke": true, "wale": true, "wala": true, "vale": true,
	"जी": true, "भाई": true, "साहब": true, "दीदी": true, "श्री": true, "का": true, "की": true, "के": true}

// synonyms maps Hindi words (in Latin letters and Devanagari) for
// everyday goods to the English words catalogues use.
var synonyms = map[string][]string{
	"cheeni": {"sugar"}, "chini": {"sugar"}, "shakkar": {"sugar"}, "चीनी": {"sugar"}, "शक्कर": {"sugar"},
	"doodh": {"milk"}, "dudh": {"milk"}, "दूध": {"milk"},
	"chawal": {"rice"}, "chaawal": {"rice"}, "चावल": {"rice"},
	"aata": {"atta", "flour"}, "atta": {"atta", "flour"}, "आटा": {"atta", "flour"},
	"tel": {"oil"}, "तेल": {"oil"},
	"namak": {"salt"}, "नमक": {"salt"},
	"daal": {"dal"}, "dal": {"dal"}, "दाल": {"dal"},
	"chai": {"tea"}, "chaay": {"tea"}, "patti": {"tea"}, "चाय": {"tea"},
	"sabun": {"soap"}, "saabun": {"soap"}, "साबुन": {"soap"},
	"anda": {"egg", "eggs"}, "ande": {"egg", "eggs"}, "अंडा": {"egg", "eggs"}, "अंडे": {"egg", "eggs"},
	"biskut": {"biscuit"}, "biscut": {"biscuit"}, "बिस्कुट": {"biscuit"}, "बिस्किट": {"biscuit"},
	"ghee": {"ghee"}, "घी": {"ghee"},
	"haldi": {"turmeric", "haldi"}, "हल्दी": {"turmeric", "haldi"},
	"mirch": {"chilli", "chili"}, "mirchi": {"chilli", "chili"}, "मिर्च": {"chilli", "chili"}, "मिर्ची": {"chilli", "chili"},
	"sooji": {"suji", "rava", "semolina"}, "suji": {"suji", "rava", "semolina"}, "सूजी": {"suji", "rava", "semolina"},
	"besan": {"besan", "gram"}, "बेसन": {"besan", "gram"},
	"gud": {"jaggery"}, "gur": {"jaggery"}, "गुड़": {"jaggery"}, "गुड": {"jaggery"},
	"dahi": {"curd", "dahi"}, "दही": {"curd", "dahi"},
	"makhan": {"butter"}, "makkhan": {"butter"}, "मक्खन": {"butter"},
	"pyaz": {"onion"}, "pyaaz": {"onion"}, "kanda": {"onion"}, "प्याज": {"onion"},
	"aloo": {"potato"}, "alu": {"potato"}, "आलू": {"potato"},
	"tamatar": {"tomato"}, "टमाटर": {"tomato"},
	"maida": {"maida", "flour"}, "मैदा": {"maida", "flour"},
	"paneer": {"paneer"}, "पनीर": {"paneer"},
	"sarso": {"mustard"}, "sarson": {"mustard"}, "सरसों": {"mustard"},
	"jeera": {"cumin", "jeera"}, "जीरा": {"cumin", "jeera"},
	"dhaniya": {"coriander"}, "धनिया": {"coriander"},
	"poha": {"poha"}, "पोहा": {"poha"},
	"agarbatti": {"incense", "agarbatti"}, "अगरबत्ती": {"incense", "agarbatti"},
	"maachis": {"matchbox", "matches"}, "machis": {"matchbox", "matches"}, "माचिस": {"matchbox", "matches"},
}

// words splits s into lower-case words of letters and digits, with
// honorifics left out.
func words(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r)
	})
	out := f[:0]
	for _, w := range f {
		if !honorifics[w] {
			out = append(out, w)
		}
	}
	return out
}

// phoneticFolds is built once: building a Replacer per word was most of
// the time to match a name against a large catalogue.
var phoneticFolds = strings.NewReplacer("ee", "i", "oo", "u", "aa", "a", "w", "v", "ph", "f", "z", "j", "q", "k", "ck", "k",
	"sh", "s", "th", "t", "dh", "d", "bh", "b", "kh", "k", "gh", "g", "ch", "c", "y", "i")

// phonetic folds the spellings Hinglish varies on ("cheeni"/"chini",
// "doodh"/"dudh", "Sharma"/"Sharmaa", "Vikas"/"Wikas").
func phonetic(w string) string {
	w = phoneticFolds.Replace(w)
	var b strings.Builder
	var last rune
	for _, c := range w {
		if c != last {
			b.WriteRune(c)
		}
		last = c
	}
	return strings.TrimSuffix(b.String(), "h")
}

// similar scores two words from 0 to 1.
func similar(a, b string) float64 {
	if a == b {
		return 1
	}
	pa, pb := phonetic(a), phonetic(b)
	if pa == pb {
		return 0.97
	}
	if len([]rune(pa)) >= 3 && strings.HasPrefix(pb, pa) {
		return 0.9
	}
	la, lb := len([]rune(pa)), len([]rune(pb))
	d := levenshtein(pa, pb)
	return max(0, 1-float64(d)/float64(max(la, lb)))
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// score is how well the words of a spoken name fit a candidate's name:
// each spoken word (or its English synonyms) takes its best fit among the
// candidate's words, and the fits are averaged.
func score(query []string, name string) float64 {
	cand := words(name)
	if len(query) == 0 || len(cand) == 0 {
		return 0
	}
	var total float64
	for _, q := range query {
		alts := append([]string{q}, synonyms[q]...)
		best := 0.0
		for _, a := range alts {
			for _, c := range cand {
				best = max(best, similar(a, c))
			}
		}
		total += best
	}
	return total / float64(len(query))
}

// matchName finds what a spoken name means among candidates.
func matchName(spoken string, cands []Choice) Match {
	q := words(spoken)
	scored := make([]Choice, 0, 8)
	for _, c := range cands {
		if strings.EqualFold(strings.TrimSpace(spoken), c.Name) {
			c.Score = 1.01 // the exact name beats any fuzzy fit
		} else {
			c.Score = score(q, c.Name)
		}
		if c.Score >= choiceScore {
			scored = append(scored, c)
		}
	}
	sort.SliceStable(scored, func(i, j int) bool {
		if scored[i].Score != scored[j].Score {
			return scored[i].Score > scored[j].Score
		}
		return len(scored[i].Name) < len(scored[j].Name)
	})
	var m Match
	if len(scored) == 0 {
		return m
	}
	if scored[0].Score >= sureScore && (len(scored) == 1 || scored[0].Score-scored[1].Score >= sureGap) {
		best := scored[0]
		m.Best, m.Sure = &best, true
		return m
	}
	// Offered: the close runners-up of the best, not every weak fit.
	n := 1
	for n < len(scored) && n < maxChoices && scored[n].Score >= scored[0].Score-choiceGap {
		n++
	}
	m.Choices = scored[:n]
	return m
}
