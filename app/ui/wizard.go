package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
)

// Wizard is the first-run screen: the business profile (GSTIN checked as
// it is typed, state, UPI id, invoice prefix) or "not GST registered".
type Wizard struct {
	screenBase
	a       *App
	Profile *profileForm
	done    func(books.Business)
}

func newWizard(a *App, done func(books.Business)) *Wizard {
	w := &Wizard{a: a, Profile: newProfileForm(a, books.Business{InvoicePrefix: "INV", StateCode: "27"}), done: done}
	start := widget.NewButtonWithIcon(L("Start billing"), theme.ConfirmIcon(), w.Finish)
	start.Importance = widget.HighImportance
	skip := widget.NewButton(L("Skip GSTIN: I'm not GST registered"), w.Unregistered)
	w.Profile.Prefix.OnSubmitted = func(string) { w.Finish() }
	intro := wrapLabel(L("Welcome to AI Naukar. Tell us about your shop; you can change all of this later in Settings."))
	card := widget.NewCard(L("Set up your shop"), "", container.NewVBox(intro, w.Profile.form, w.Profile.general, container.NewHBox(skip, layout.NewSpacer(), start)))
	w.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(760, 660), container.NewVScroll(card)))
	w.ExtendBaseWidget(w)
	return w
}

func (w *Wizard) focus() { w.a.focus(w.Profile.Name) }

// Unregistered clears the GSTIN and saves the profile as not registered.
func (w *Wizard) Unregistered() {
	w.Profile.GSTIN.SetText("")
	w.Finish()
}

// Finish saves the profile and opens billing; problems show by their fields.
func (w *Wizard) Finish() {
	b := w.Profile.business()
	var saved books.Business
	w.a.background(func() error {
		if _, err := w.a.Books.Init(b); err != nil {
			return err
		}
		var err error
		saved, err = w.a.Books.Business()
		return err
	}, func(err error) {
		w.Profile.showErr(err)
		if err == nil {
			w.done(saved)
		}
	})
}
