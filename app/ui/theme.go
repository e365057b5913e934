package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// FontFor returns the font for a text style, or nil for Fyne's own.
var FontFor = embeddedNotoDevanagari

// Theme is the counter theme: Fyne's default colours (light and dark follow
// the system), a font with Devanagari, and slightly larger text for a
// counter monitor at 1366×768.
type Theme struct {
	// Variant forces light or dark; nil follows the system.
	Variant *fyne.ThemeVariant
}

var _ fyne.Theme = Theme{}

const (
	themeLight = theme.VariantLight
	themeDark  = theme.VariantDark
)

func variantPtr(v fyne.ThemeVariant) *fyne.ThemeVariant { return &v }

// Color implements fyne.Theme.
func (t Theme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.Variant != nil {
		v = *t.Variant
	}
	return theme.DefaultTheme().Color(n, v)
}

// Font implements fyne.Theme.
func (Theme) Font(s fyne.TextStyle) fyne.Resource {
	if r := FontFor(s); r != nil {
		return r
	}
	return theme.DefaultTheme().Font(s)
}

// Icon implements fyne.Theme.
func (Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

// Size implements fyne.Theme.
func (Theme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 15
	case theme.SizeNameSubHeadingText:
		return 19
	case theme.SizeNameHeadingText:
		return 24
	}
	return theme.DefaultTheme().Size(n)
}
