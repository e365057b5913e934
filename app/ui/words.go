package ui

import (
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
)

// moneyModes are the modes money is paid or received in (credit is not
// money).
var moneyModes = []string{books.ModeCash, books.ModeUPI, books.ModeCard, books.ModeBank}

// modeLabel is a payment mode as people say it: "Cash", "UPI".
func modeLabel(m string) string {
	switch m {
	case books.ModeCash:
		return L("Cash")
	case books.ModeUPI:
		return L("UPI")
	case books.ModeCard:
		return L("Card")
	case books.ModeBank:
		return L("Bank transfer")
	case books.ModeCredit:
		return L("On credit")
	}
	return m
}

// modePicker is a picker of payment modes shown by name, starting at cash.
func modePicker() *widget.Select {
	labels := make([]string, len(moneyModes))
	for i, m := range moneyModes {
		labels[i] = modeLabel(m)
	}
	s := widget.NewSelect(labels, nil)
	s.SetSelectedIndex(0)
	return s
}

// pickedMode is the mode picked in a modePicker (cash when none is).
func pickedMode(s *widget.Select) string {
	if i := s.SelectedIndex(); i >= 0 && i < len(moneyModes) {
		return moneyModes[i]
	}
	return books.ModeCash
}
