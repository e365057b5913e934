package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// HelpScreen lists every shortcut (from Shortcuts) and the other keys.
type HelpScreen struct {
	screenBase
}

func newHelpScreen(a *App) *HelpScreen {
	rows := container.NewVBox()
	add := func(key, what string) {
		k := boldLabel(key)
		rows.Add(container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(180, 34), k), nil, wrapLabel(what)))
	}
	for _, s := range Shortcuts {
		add(s.KeyText(), L(s.Label))
	}
	for _, k := range OtherKeys {
		add(k[0], L(k[1]))
	}
	note := wrapLabel(L("Every key is also in the menus at the top. The bill on the counter is never lost by Esc or by moving to another screen: come back with Alt+1."))
	h := &HelpScreen{}
	about := widget.NewButtonWithIcon(L("About AI Naukar: version, backups, updates…"), theme.InfoIcon(), a.ShowAbout)
	h.content = container.NewPadded(container.NewBorder(container.NewVBox(heading(L("Help and shortcuts")), note), about, nil, nil, container.NewVScroll(rows)))
	h.ExtendBaseWidget(h)
	return h
}

func (*HelpScreen) shown() {}
