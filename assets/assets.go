// Package assets holds the files the program carries inside its binary:
// the Noto Sans fonts (Latin and Devanagari, Regular and Bold) used on
// printed invoices and receipts, their licence, and the app's logo.
//
// The fonts are Noto Sans and Noto Sans Devanagari by Google, under the SIL
// Open Font License 1.1 (fonts/OFL.txt). The OFL lets them be embedded in
// software and in the PDFs it makes.
package assets

import _ "embed"

// Font files (TrueType). Treat the slices as read-only.
var (
	//go:embed fonts/NotoSans-Regular.ttf
	NotoSansRegular []byte
	//go:embed fonts/NotoSans-Bold.ttf
	NotoSansBold []byte
	//go:embed fonts/NotoSansDevanagari-Regular.ttf
	NotoSansDevanagariRegular []byte
	//go:embed fonts/NotoSansDevanagari-Bold.ttf
	NotoSansDevanagariBold []byte
)

// FontLicense is the text of the fonts' licence (SIL OFL 1.1), to ship with
// any copy of the fonts.
//
//go:embed fonts/OFL.txt
var FontLicense string

// Logo is the AI Naukar mark, a small PNG, used on test pages.
//
//go:embed logo.png
var Logo []byte
