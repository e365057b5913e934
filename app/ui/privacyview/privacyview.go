// Package privacyview is Settings → Privacy: exactly what the app sends
// the sync server about its use (usage events and error reports, shown as
// the batch that will go), a switch for usage events, and the way to the
// account page, where the owner exports, corrects and deletes the data
// the server holds.
package privacyview

import (
	"encoding/json"
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/sync/protocol"
)

// Source is what the screen needs (syncapp.Telemetry and the books' server).
type Source interface {
	Pending() protocol.TelemetryBatch
	UsageOn() bool
	SetUsage(on bool) error
	// AccountPage is the account page's address ("" when the books are
	// not signed in to a sync server).
	AccountPage() string
}

// L translates (the app's translations are loaded by app/ui).
func L(s string) string { return lang.L(s) }

// View is the Privacy screen.
type View struct {
	widget.BaseWidget
	src  Source
	open func(*url.URL) error

	Usage   *widget.Check
	Batch   *widget.Label
	Account *widget.Button
	Msg     *widget.Label
	content fyne.CanvasObject
}

// New makes the screen; open opens a web page (the app's OpenURL).
func New(src Source, open func(*url.URL) error) *View {
	v := &View{src: src, open: open}
	what := widget.NewLabel(L("AI Naukar sends the sync server two things about its use, in batches when online, and nothing from your books:") + "\n\n" +
		"• " + L("Usage events: which feature was used (a fixed name such as bill.save), when, and the app version.") + "\n" +
		"• " + L("Error reports: what went wrong, with every name, number and address removed, where in the program, and the app version.") + "\n\n" +
		L("Usage events are kept 90 days, error reports 30 days. Error reports are needed to keep the app working; usage events you can turn off."))
	what.Wrapping = fyne.TextWrapWord
	v.Usage = widget.NewCheck(L("Send usage events"), func(on bool) {
		if err := v.src.SetUsage(on); err != nil {
			v.Msg.SetText(err.Error())
			return
		}
		v.Refresh()
	})
	v.Usage.SetChecked(src.UsageOn())
	v.Batch = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	v.Msg = widget.NewLabel("")
	v.Msg.Wrapping = fyne.TextWrapWord
	v.Account = widget.NewButtonWithIcon(L("Open the account page (export, correct, delete)"), theme.ComputerIcon(), v.OpenAccount)
	if src.AccountPage() == "" {
		v.Account.Disable()
		v.Msg.SetText(L("Sign in to a sync server (Settings → Sync) to export or delete the data it holds."))
	}
	refresh := widget.NewButtonWithIcon(L("Refresh"), theme.ViewRefreshIcon(), v.Refresh)
	batch := container.NewBorder(widget.NewLabelWithStyle(L("Waiting to be sent, exactly as it will go:"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		nil, nil, nil, container.NewVScroll(v.Batch))
	top := container.NewVBox(widget.NewLabelWithStyle(L("What is sent"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		what, v.Usage)
	bottom := container.NewVBox(container.NewHBox(refresh, v.Account), v.Msg)
	v.content = container.NewBorder(top, bottom, nil, nil, batch)
	v.ExtendBaseWidget(v)
	v.Refresh()
	return v
}

// Refresh shows the batch as it is now.
func (v *View) Refresh() {
	if v.Batch == nil {
		return
	}
	b := v.src.Pending()
	if b.Events == nil {
		b.Events = []protocol.UsageEvent{}
	}
	if b.Errors == nil {
		b.Errors = []protocol.ErrorReport{}
	}
	raw, _ := json.MarshalIndent(b, "", "  ")
	v.Batch.SetText(string(raw))
	v.BaseWidget.Refresh()
}

// OpenAccount opens the account page in the browser.
func (v *View) OpenAccount() {
	u, err := url.Parse(v.src.AccountPage())
	if err == nil && u.Host != "" {
		err = v.open(u)
	}
	if err != nil {
		v.Msg.SetText(L("Could not open the browser: ") + err.Error())
	}
}

// CreateRenderer implements fyne.Widget.
func (v *View) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }
