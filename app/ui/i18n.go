package ui

import (
	"embed"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

//go:embed translation
var translations embed.FS

var loadTranslations sync.Once

// LoadTranslations registers en.json and hi.json with Fyne's lang package
// (once). The system locale (LANG) picks the language.
func LoadTranslations() {
	loadTranslations.Do(func() {
		if err := lang.AddTranslationsFS(translations, "translation"); err != nil {
			fyne.LogError("load translations", err)
		}
	})
}

// L translates a user-facing string; the English text is the key.
func L(s string) string { return lang.L(s) }
