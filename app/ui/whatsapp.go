package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/messaging"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
)

// WhatsApp sends invoices and reminders (syncapp.WhatsAppSender in the
// real app): queued for the shop's server, or a wa.me link to open.
type WhatsApp interface {
	SendInvoice(ctx context.Context, number, to string) (syncapp.Outcome, error)
	Remind(ctx context.Context, party string) (syncapp.Outcome, error)
	RemindAll(ctx context.Context) (store.RemindResult, error)
	InvoiceStatus(ctx context.Context, invoiceID string) (string, error)
	// State says whether the shop's server sends WhatsApp, with this
	// month's count.
	State(ctx context.Context) syncapp.WhatsApp
	// The shop's automatic reminder rule (nil: off), its preview and its
	// reminders due today, sent now.
	ReminderRule(ctx context.Context) (*messaging.Rule, error)
	SetReminderRule(ctx context.Context, r *messaging.Rule) error
	PreviewRule(ctx context.Context, r messaging.Rule) ([]store.RulePlan, error)
	RemindByRule(ctx context.Context, r messaging.Rule) (store.RemindResult, error)
}

// lastOutcome is the outcome of the last WhatsApp send (for tests).
var lastOutcome syncapp.Outcome

// whatsappButton is the invoice dialog's "Send on WhatsApp" with the
// message's status under it, loaded off the UI goroutine.
func (a *App) whatsappButton(inv *books.Invoice, cancelled bool) (*widget.Button, *widget.Label) {
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	btn := widget.NewButtonWithIcon(L("Send on WhatsApp"), theme.MailSendIcon(), func() { a.sendInvoiceOnWhatsApp(inv.Number, "", status) })
	if a.opt.WhatsApp == nil {
		btn.Hide()
		return btn, status
	}
	if cancelled {
		btn.Disable()
	}
	var text string
	var st syncapp.WhatsApp
	a.background(func() error {
		var err error
		ctx := context.Background()
		text, err = a.opt.WhatsApp.InvoiceStatus(ctx, inv.ID)
		st = a.opt.WhatsApp.State(ctx)
		return err
	}, func(err error) {
		if err != nil {
			return
		}
		// This month's count where the shopkeeper sends; used up, the
		// button says so.
		if q := st.QuotaLine(L); q != "" {
			text = strings.TrimSpace(text + "\n" + q)
		}
		status.SetText(text)
		if st.UsedUp(a.Books.Now()) {
			btn.SetText(L("This month's WhatsApp messages are used up"))
			btn.Disable()
		}
	})
	return btn, status
}

// sendInvoiceOnWhatsApp sends an invoice; a phone that will not do asks
// for the right number, with the reason.
func (a *App) sendInvoiceOnWhatsApp(number, to string, status *widget.Label) {
	if a.opt.WhatsApp == nil {
		a.Say("%s", L("WhatsApp is not set up in this copy of AI Naukar."))
		return
	}
	var out syncapp.Outcome
	a.background(func() error {
		var err error
		out, err = a.opt.WhatsApp.SendInvoice(context.Background(), number, to)
		return err
	}, func(err error) {
		var be *books.Error
		if errors.As(err, &be) && be.Field == "phone" {
			a.askPhone(Message(err), func(phone string) { a.sendInvoiceOnWhatsApp(number, phone, status) })
			return
		}
		if err != nil {
			a.showError(err)
			return
		}
		a.whatsappDone(out)
		if status != nil && out.Message != nil {
			status.SetText(syncapp.StatusWordsIn(*out.Message, L))
		}
	})
}

// whatsappDone tells what a send did, and opens a wa.me link in the browser.
func (a *App) whatsappDone(out syncapp.Outcome) {
	lastOutcome = out
	a.Say("%s", out.Note)
	if out.Link == "" {
		return
	}
	if u, err := url.Parse(out.Link); err == nil && fyne.CurrentApp() != nil {
		_ = fyne.CurrentApp().OpenURL(u)
	}
}

// askPhone shows why the number will not do and asks for the right one.
func (a *App) askPhone(why string, send func(phone string)) {
	e := a.entry(L("10-digit mobile number, e.g. 98765 43210"))
	msg := widget.NewLabel(why)
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	var d dialog.Dialog
	submit := func() {
		if e.Text == "" {
			return
		}
		d.Hide()
		send(e.Text)
	}
	e.OnSubmitted = func(string) { submit() }
	d = dialog.NewCustomConfirm(L("Send on WhatsApp"), L("Send"), L("Cancel"), container.NewVBox(msg, e), func(ok bool) {
		if ok && e.Text != "" {
			send(e.Text)
		}
	}, a.Win)
	d.Resize(fyne.NewSize(520, 220))
	a.openDialog(d)
	a.Win.Canvas().Focus(e)
}

// sendLastOnWhatsApp sends the bill saved last (the shortcut after a save).
func (a *App) sendLastOnWhatsApp() {
	var number string
	a.background(func() error {
		var err error
		number, err = a.Books.LastInvoice()
		return err
	}, func(err error) {
		if err != nil {
			a.showError(err)
			return
		}
		if number == "" {
			a.Say("%s", L("No bill saved yet."))
			return
		}
		a.sendInvoiceOnWhatsApp(number, "", nil)
	})
}

// remindOnWhatsApp reminds one party of their dues.
func (a *App) remindOnWhatsApp(partyID string) {
	if a.opt.WhatsApp == nil {
		return
	}
	var out syncapp.Outcome
	a.background(func() error {
		var err error
		out, err = a.opt.WhatsApp.Remind(context.Background(), partyID)
		return err
	}, func(err error) {
		if err != nil {
			a.showError(err)
			return
		}
		a.whatsappDone(out)
	})
}

// remindAllOnWhatsApp reminds every customer who owes the shop and shows
// who was skipped and why.
func (a *App) remindAllOnWhatsApp() {
	if a.opt.WhatsApp == nil {
		return
	}
	var res store.RemindResult
	a.background(func() error {
		var err error
		res, err = a.opt.WhatsApp.RemindAll(context.Background())
		return err
	}, func(err error) {
		if err != nil {
			a.showError(err)
			return
		}
		a.Say(L("%d reminders queued on WhatsApp; they go with the next sync."), len(res.Queued))
		if len(res.Skipped) == 0 {
			return
		}
		text := ""
		for _, p := range res.Skipped {
			text += fmt.Sprintf("%s (%s): %s\n", p.Name, gst.FormatINR(p.Amount), L(p.Skip))
		}
		lbl := widget.NewLabel(text)
		a.openDialog(dialog.NewCustom(L("Not reminded"), L("Close (Esc)"), container.NewVScroll(lbl), a.Win))
	})
}

// LastWhatsApp is the outcome of the last WhatsApp send (for tests).
func LastWhatsApp() syncapp.Outcome { return lastOutcome }
