package ui

import (
	"fyne.io/fyne/v2"

	"github.com/ainaukar/naukar/assets"
)

var (
	fontRegular = fyne.NewStaticResource("NotoSansDevanagari-Regular.ttf", assets.NotoSansDevanagariRegular)
	fontBold    = fyne.NewStaticResource("NotoSansDevanagari-Bold.ttf", assets.NotoSansDevanagariBold)
)

// embeddedNotoDevanagari gives the theme Noto Sans Devanagari from package
// assets: Hindi glyphs come from it and Latin letters from Fyne's bundled
// Noto Sans, the matching design, so every counter PC renders the same.
func embeddedNotoDevanagari(style fyne.TextStyle) fyne.Resource {
	if style.Monospace || style.Symbol || style.Italic {
		return nil
	}
	if style.Bold {
		return fontBold
	}
	return fontRegular
}
