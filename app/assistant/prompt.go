package assistant

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Language is the language a question was asked in, and so the answer's.
type Language string

// Languages.
const (
	English  Language = "English"
	Hindi    Language = "Hindi"    // in Devanagari
	Hinglish Language = "Hinglish" // Hindi in Latin letters
)

// hinglishWords are common Hindi words written in Latin letters.
var hinglishWords = map[string]bool{"kitna": true, "kitne": true, "kitni": true, "kya": true, "hai": true, "hain": true,
	"aaj": true, "kal": true, "ka": true, "ki": true, "ke": true, "ko": true, "se": true, "mein": true, "me": true,
	"bana": true, "banao": true, "do": true, "bhejo": true, "becha": true, "bikri": true, "baaki": true, "baki": true,
	"udhaar": true, "udhar": true, "kaun": true, "kaunsa": true, "sabse": true, "zyada": true, "jyada": true, "kam": true,
	"mahine": true, "mahina": true, "hafte": true, "din": true, "purane": true, "walon": true, "wale": true, "naam": true,
	"aur": true, "bill": false, "batao": true, "dikhao": true, "kab": true, "kahan": true, "paisa": true, "paise": true,
	"maal": true, "bacha": true, "khatam": true, "lena": true, "dena": true, "hua": true, "hui": true, "tha": true, "thi": true}

// DetectLanguage tells the language of a question: Devanagari is Hindi;
// Latin letters with common Hindi words are Hinglish; else English.
func DetectLanguage(q string) Language {
	for _, r := range q {
		if unicode.Is(unicode.Devanagari, r) {
			return Hindi
		}
	}
	n := 0
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if hinglishWords[w] {
			n++
		}
	}
	if n >= 2 || n == 1 && len(strings.Fields(q)) <= 3 {
		return Hinglish
	}
	return English
}

// serverModel is the model name the app sends; the server replaces it
// with its own (NAUKAR_AI_MODEL).
const serverModel = "server-default"

// SystemPrompt is what the model is told before the question: today's
// date, the shop, the language to answer in, and to cite the numbers it used.
func SystemPrompt(shop string, now time.Time, lang Language) string {
	answer := map[Language]string{
		English:  "Answer in English.",
		Hindi:    "Answer in Hindi, in Devanagari script.",
		Hinglish: "Answer in Hinglish: Hindi written in Latin letters, the way the shopkeeper wrote.",
	}[lang]
	return fmt.Sprintf(`You are the assistant of %q, a shop in India that keeps its books in AI Naukar. Today is %s (%s), India time.

Answer the shopkeeper's question from the shop's own books, using the tools: never guess a figure. %s
Cite the numbers you used (rupee amounts as ₹ with two decimals, dates as DD-MM-YYYY) and say what period they cover.
Keep answers short: a sentence or two and, when useful, a short list.
Dates for tools are YYYY-MM-DD; "aaj"/"today" is %s, "kal"/"yesterday" is %s, "is mahine"/"this month" runs from %s to today.
Items and parties may be named in Hindi or Hinglish ("cheeni" is Sugar, "Sharma ji" is a party named Sharma): pass the words as said, the tools match them.
When a tool answers sure: false with choices, do not pick: show the choices and ask which one.
You cannot save or send anything. draft_sale and draft_reminder only prepare drafts; tell the shopkeeper to open the draft, check it and save or send it.
Financial year runs April to March. Amounts in tool results are rupees as strings.`,
		shop, now.Format("2006-01-02"), now.Format("Monday"), answer,
		now.Format("2006-01-02"), now.AddDate(0, 0, -1).Format("2006-01-02"),
		time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location()).Format("2006-01-02"))
}
