package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// ShowPlan opens Settings → Plan: the plan, its limits and this month's
// use, upgrade, cancel and our invoices (app/ui/planview).
func (s *SettingsScreen) ShowPlan() {
	if s.a.opt.Plan == nil {
		return
	}
	d := dialog.NewCustom(L("Plan and billing"), L("Close"), s.a.opt.Plan(s.a.Win), s.a.Win)
	d.Resize(fyne.NewSize(820, 620))
	d.Show()
}

// ShowPrivacy opens Settings → Privacy: what is sent about the app's use,
// the switch for usage events, and the account page (app/ui/privacyview).
func (s *SettingsScreen) ShowPrivacy() {
	if s.a.opt.Privacy == nil {
		return
	}
	d := dialog.NewCustom(L("Privacy"), L("Close"), s.a.opt.Privacy(s.a.Win), s.a.Win)
	d.Resize(fyne.NewSize(900, 700))
	d.Show()
}

// ShowNotices shows each policy notice not yet shown on this PC, once:
// one dialog each, recorded shown when it is closed. Run calls it at
// start, off the UI goroutine.
func (a *App) ShowNotices(ctx context.Context) {
	if a.opt.Notices == nil {
		return
	}
	ns, shown, err := a.opt.Notices(ctx)
	if err != nil || len(ns) == 0 {
		return
	}
	a.opt.Do(func() {
		for _, n := range ns {
			d := dialog.NewInformation(L("Our privacy policy has changed")+" ("+n.Version+")", n.Summary, a.Win)
			d.SetOnClosed(func() { go func() { _ = shown(n.ID) }() })
			d.Show()
		}
	})
}
