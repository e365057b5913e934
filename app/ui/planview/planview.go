// Package planview is the Settings → Plan screen: the business's plan, its
// limits and what is used this month, upgrading (our checkout page opens
// in the browser), cancelling, and our tax invoices. All network work runs
// off the UI goroutine and comes back through Do.
package planview

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Source is what the screen needs from the sync server (syncapp.Plans).
type Source interface {
	Plan(ctx context.Context) (protocol.BillingStatus, error)
	Subscribe(ctx context.Context, plan string) (protocol.SubscribeResponse, error)
	Cancel(ctx context.Context) (protocol.BillingStatus, error)
	Invoices(ctx context.Context) ([]protocol.BillingInvoice, error)
	SaveInvoice(ctx context.Context, inv protocol.BillingInvoice, path string) error
}

// Do applies f on the UI goroutine (fyne.Do in the app; direct in tests).
type Do func(func())

// L translates (the app's translations are loaded by app/ui).
func L(s string) string { return lang.L(s) }

// View is the Plan screen.
type View struct {
	widget.BaseWidget
	src  Source
	win  fyne.Window
	open func(*url.URL) error
	do   Do

	Status   *widget.Label
	Grace    *widget.Label
	Devices  *widget.ProgressBar
	WhatsApp *widget.ProgressBar
	AI       *widget.ProgressBar
	Resets   *widget.Label
	Choose   *widget.Select
	Upgrade  *widget.Button
	CancelB  *widget.Button
	RefreshB *widget.Button
	List     *widget.List
	SavePDF  *widget.Button
	Msg      *widget.Label

	st       protocol.BillingStatus
	paid     []protocol.BillingPlan
	invoices []protocol.BillingInvoice
	selected int
	content  fyne.CanvasObject
}

// New makes the Plan screen; open opens a web page (the app's OpenURL).
func New(win fyne.Window, src Source, open func(*url.URL) error, do Do) *View {
	if do == nil {
		do = fyne.Do
	}
	v := &View{src: src, win: win, open: open, do: do, selected: -1}
	v.Status = widget.NewLabel(L("Asking the sync server…"))
	v.Status.TextStyle.Bold = true
	v.Status.Wrapping = fyne.TextWrapWord
	v.Grace = widget.NewLabel("")
	v.Grace.Wrapping = fyne.TextWrapWord
	v.Grace.Importance = widget.WarningImportance
	v.Devices, v.WhatsApp, v.AI = widget.NewProgressBar(), widget.NewProgressBar(), widget.NewProgressBar()
	v.Devices.TextFormatter = func() string { return fmt.Sprintf(L("%d of %d"), v.st.Used.Devices, v.st.Limits.Devices) }
	v.WhatsApp.TextFormatter = func() string { return fmt.Sprintf(L("%d of %d"), v.st.Used.WhatsApp, v.st.Limits.WhatsApp) }
	v.AI.TextFormatter = func() string { return fmt.Sprintf(L("%d of %d"), v.st.Used.AI, v.st.Limits.AI) }
	v.Resets = widget.NewLabel("")
	v.Resets.Importance = widget.LowImportance
	v.Choose = widget.NewSelect(nil, nil)
	v.Choose.PlaceHolder = L("Choose a plan")
	v.Upgrade = widget.NewButtonWithIcon(L("Pay for this plan…"), theme.ConfirmIcon(), v.doSubscribe)
	v.Upgrade.Importance = widget.HighImportance
	v.CancelB = widget.NewButtonWithIcon(L("Cancel the plan…"), theme.CancelIcon(), v.confirmCancel)
	v.RefreshB = widget.NewButtonWithIcon(L("Refresh"), theme.ViewRefreshIcon(), v.Reload)
	v.Msg = widget.NewLabel("")
	v.Msg.Wrapping = fyne.TextWrapWord
	v.List = widget.NewList(func() int { return len(v.invoices) },
		func() fyne.CanvasObject {
			return widget.NewLabel("AIN/2026-27/00000  00-00-0000  ₹00,000.00  Business")
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < 0 || i >= len(v.invoices) {
				return
			}
			inv := v.invoices[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s   %s   %s   %s", inv.Number, gst.FormatDay(inv.Date.Local()), gst.FormatINR(inv.TotalPaise), inv.Plan))
		})
	v.List.OnSelected = func(i widget.ListItemID) { v.selected = i; v.SavePDF.Enable() }
	v.SavePDF = widget.NewButtonWithIcon(L("Save invoice PDF…"), theme.DownloadIcon(), v.savePDF)
	v.SavePDF.Disable()

	usage := widget.NewForm(
		widget.NewFormItem(L("Devices signed in"), v.Devices),
		widget.NewFormItem(L("WhatsApp messages this month"), v.WhatsApp),
		widget.NewFormItem(L("AI questions this month"), v.AI),
	)
	note := widget.NewLabel(L("Razorpay takes the payment on a page that opens in your browser; AI Naukar never sees card or UPI details. Prices include 18% GST."))
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	top := container.NewVBox(
		v.Status, v.Grace, usage, v.Resets,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(L("Change plan"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewBorder(nil, nil, nil, v.Upgrade, v.Choose),
		note,
		container.NewHBox(v.CancelB, v.RefreshB),
		v.Msg,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(L("Our invoices to you"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
	)
	v.content = container.NewBorder(top, container.NewHBox(v.SavePDF), nil, nil, v.List)
	v.ExtendBaseWidget(v)
	v.Reload()
	return v
}

// CreateRenderer implements fyne.Widget.
func (v *View) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

func explain(err error) string {
	if ae, ok := err.(*client.APIError); ok {
		return ae.Message
	}
	return err.Error()
}

// Reload asks the server for the plan and the invoices.
func (v *View) Reload() {
	v.RefreshB.Disable()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		st, err := v.src.Plan(ctx)
		var invs []protocol.BillingInvoice
		if err == nil {
			invs, err = v.src.Invoices(ctx)
		}
		v.do(func() {
			v.RefreshB.Enable()
			if err != nil {
				v.Status.SetText(L("The plan could not be read from the sync server."))
				v.setMsg(explain(err), true)
				return
			}
			v.show(st)
			v.invoices, v.selected = invs, -1
			v.List.UnselectAll()
			v.List.Refresh()
			v.SavePDF.Disable()
		})
	}()
}

func (v *View) setMsg(text string, bad bool) {
	v.Msg.Importance = widget.MediumImportance
	if bad {
		v.Msg.Importance = widget.DangerImportance
	}
	v.Msg.SetText(text)
}

// Summary is the plan's status line.
func Summary(st protocol.BillingStatus) string {
	s := fmt.Sprintf(L("%s plan"), st.PlanName)
	switch {
	case st.Status == "none" || st.Status == "":
	case st.CurrentEnd != nil && st.CancelAtCycleEnd:
		s += " — " + fmt.Sprintf(L("cancelled, ends %s"), gst.FormatDay(st.CurrentEnd.Local()))
	case st.CurrentEnd != nil:
		s += " — " + fmt.Sprintf(L("%s, paid until %s"), statusWord(st.Status), gst.FormatDay(st.CurrentEnd.Local()))
	default:
		s += " — " + statusWord(st.Status)
	}
	return s
}

// statusWord is a subscription status (Razorpay's word) in the screen's
// language.
func statusWord(status string) string {
	switch status {
	case "created", "authenticated", "active", "pending", "halted", "cancelled", "completed", "expired", "paused":
		return L(status)
	}
	return status
}

func (v *View) show(st protocol.BillingStatus) {
	v.st = st
	v.Status.SetText(Summary(st))
	switch {
	case st.Subscribed != "" && st.Subscribed != st.Plan && st.Status != "none":
		v.Grace.SetText(fmt.Sprintf(L("The %s subscription lapsed (%s): the free plan's limits apply until it is paid. Nothing is deleted and every device keeps syncing."), st.Subscribed, statusWord(st.Status)))
	case st.GraceEnds != nil:
		v.Grace.SetText(fmt.Sprintf(L("Payment %s: the plan's limits hold until %s, then the free plan's. Nothing is deleted."), statusWord(st.Status), gst.FormatDay(st.GraceEnds.Local())))
	default:
		v.Grace.SetText("")
	}
	frac := func(used, limit int) float64 {
		if limit <= 0 {
			return 1
		}
		return min(1, float64(used)/float64(limit))
	}
	v.Devices.SetValue(frac(st.Used.Devices, st.Limits.Devices))
	v.WhatsApp.SetValue(frac(st.Used.WhatsApp, st.Limits.WhatsApp))
	v.AI.SetValue(frac(st.Used.AI, st.Limits.AI))
	v.Resets.SetText(fmt.Sprintf(L("This month's counts start again on %s."), gst.FormatDay(st.ResetsOn.In(istZone))))
	v.paid = v.paid[:0]
	var names []string
	for _, p := range st.Plans {
		if p.PricePaise <= 0 || (p.ID == st.Plan && st.Status == "active" && !st.CancelAtCycleEnd) {
			continue
		}
		v.paid = append(v.paid, p)
		names = append(names, fmt.Sprintf(L("%s — %s a month: %d devices, %d WhatsApp messages, %d AI questions"),
			p.Name, gst.FormatINR(p.PricePaise), p.Limits.Devices, p.Limits.WhatsApp, p.Limits.AI))
	}
	v.Choose.SetOptions(names)
	v.Choose.ClearSelected()
	if len(names) > 0 {
		v.Choose.SetSelectedIndex(0)
	}
	if st.Status == "active" || st.Status == "authenticated" || st.Status == "pending" {
		if st.CancelAtCycleEnd {
			v.CancelB.Disable()
		} else {
			v.CancelB.Enable()
		}
	} else {
		v.CancelB.Disable()
	}
}

func (v *View) doSubscribe() {
	i := v.Choose.SelectedIndex()
	if i < 0 || i >= len(v.paid) {
		v.setMsg(L("Choose a plan first."), true)
		return
	}
	plan := v.paid[i]
	v.Upgrade.Disable()
	v.setMsg(L("Preparing the payment page…"), false)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		res, err := v.src.Subscribe(ctx, plan.ID)
		v.do(func() {
			v.Upgrade.Enable()
			if err != nil {
				v.setMsg(explain(err), true)
				return
			}
			u, perr := url.Parse(res.CheckoutURL)
			if perr == nil && v.open != nil {
				perr = v.open(u)
			}
			if perr != nil {
				v.setMsg(fmt.Sprintf(L("Open this page in a browser to pay: %s"), res.CheckoutURL), false)
				return
			}
			v.setMsg(fmt.Sprintf(L("The payment page for the %s plan opened in your browser. When it says the payment is done, press Refresh."), plan.Name), false)
		})
	}()
}

func (v *View) confirmCancel() {
	end := L("the end of the period paid for")
	if v.st.CurrentEnd != nil {
		end = gst.FormatDay(v.st.CurrentEnd.Local())
	}
	dialog.ShowConfirm(L("Cancel the plan?"), fmt.Sprintf(L("The %s plan stays until %s; then the free plan's limits apply. Nothing is deleted."), v.st.PlanName, end),
		func(ok bool) {
			if ok {
				v.doCancel()
			}
		}, v.win)
}

func (v *View) doCancel() {
	v.CancelB.Disable()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		st, err := v.src.Cancel(ctx)
		v.do(func() {
			if err != nil {
				v.CancelB.Enable()
				v.setMsg(explain(err), true)
				return
			}
			v.show(st)
			v.setMsg(L("The plan is cancelled at the end of the period paid for."), false)
		})
	}()
}

func (v *View) savePDF() {
	if v.selected < 0 || v.selected >= len(v.invoices) {
		return
	}
	inv := v.invoices[v.selected]
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		v.SaveTo(inv, path)
	}, v.win)
	d.SetFileName(strings.ReplaceAll(inv.Number, "/", "-") + ".pdf")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	d.Show()
}

// SaveTo downloads an invoice's PDF to path.
func (v *View) SaveTo(inv protocol.BillingInvoice, path string) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err := v.src.SaveInvoice(ctx, inv, path)
		v.do(func() {
			if err != nil {
				v.setMsg(explain(err), true)
				return
			}
			v.setMsg(fmt.Sprintf(L("Invoice %s saved to %s."), inv.Number, path), false)
		})
	}()
}

// istZone is India time: monthly counts start again at 00:00 IST, which is
// the day before in UTC.
var istZone = time.FixedZone("IST", 5*3600+1800)
