package ui

import (
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
