package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/messaging"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/sync/protocol"
)

// RemindersView is the WhatsApp reminders of the shop: this month's
// messages, the automatic rule (on or off, its days) with a preview of
// who gets a reminder today and its words, customers who replied STOP
// shown as skipped, and each customer's last reminder with its outcome
// (a failure in plain words).
type RemindersView struct {
	widget.BaseWidget
	a       *App
	content fyne.CanvasObject

	Quota *widget.Label
	On    *widget.Check
	After *Entry
	Every *Entry
	Max   *Entry
	Msg   *widget.Label
	Head  *widget.Label
	List  *widget.List
	Text  *widget.Label
	Send  *widget.Button

	rows    []store.RulePlan
	gen     int
	loading bool
}

// OpenReminders opens the WhatsApp reminders dialog.
func (a *App) OpenReminders() *RemindersView {
	if a.opt.WhatsApp == nil {
		a.Say("%s", L("WhatsApp is not set up in this copy of AI Naukar."))
		return nil
	}
	v := newRemindersView(a)
	d := dialog.NewCustom(L("WhatsApp reminders"), L("Close (Esc)"), v, a.Win)
	d.Resize(fyne.NewSize(1000, 640))
	a.openDialog(d)
	v.load()
	return v
}

func newRemindersView(a *App) *RemindersView {
	v := &RemindersView{a: a}
	v.Quota = wrapLabel("")
	v.On = widget.NewCheck(L("Send reminders automatically"), nil)
	num := func(def int) *Entry {
		e := a.entry("")
		e.SetText(strconv.Itoa(def))
		return e
	}
	v.After, v.Every, v.Max = num(messaging.DefaultRule.After), num(messaging.DefaultRule.Every), num(messaging.DefaultRule.Max)
	for _, e := range []*Entry{v.After, v.Every, v.Max} {
		e.OnSubmitted = func(string) { v.preview() }
	}
	v.Msg = errorText()
	v.Head = boldLabel("")
	v.Text = wrapLabel("")
	v.List = widget.NewList(func() int { return len(v.rows) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			when := widget.NewLabel("")
			when.Truncation = fyne.TextTruncateEllipsis
			last := widget.NewLabel("")
			last.Truncation = fyne.TextTruncateEllipsis
			last.Importance = widget.LowImportance
			return container.NewBorder(nil, nil, container.NewHBox(container.NewGridWrap(fyne.NewSize(330, 36), name),
				container.NewGridWrap(fyne.NewSize(300, 36), when)), nil, last)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(v.rows) {
				return
			}
			p := v.rows[id]
			c := o.(*fyne.Container)
			left := c.Objects[1].(*fyne.Container).Objects
			left[0].(*fyne.Container).Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s  %s", p.Name, gst.FormatINR(p.Amount)))
			when := left[1].(*fyne.Container).Objects[0].(*widget.Label)
			when.SetText(planWords(p))
			when.Importance = widget.MediumImportance
			if p.Skip != "" {
				when.Importance = widget.WarningImportance
			} else if p.Today {
				when.Importance = widget.SuccessImportance
			}
			when.Refresh()
			last := c.Objects[0].(*widget.Label)
			last.SetText(lastWords(p.Last))
			last.Importance = widget.LowImportance
			if p.Last != nil && (p.Last.State() == protocol.WAFailed || p.Last.State() == protocol.WAOptedOut) {
				last.Importance = widget.DangerImportance
			}
			last.Refresh()
		})
	v.List.OnSelected = func(id widget.ListItemID) { v.show(id) }
	previewBtn := widget.NewButtonWithIcon(L("Preview"), theme.VisibilityIcon(), v.preview)
	save := widget.NewButtonWithIcon(L("Save rule"), theme.DocumentSaveIcon(), v.save)
	v.Send = widget.NewButtonWithIcon(L("Send today's reminders now"), theme.MailSendIcon(), v.sendNow)
	days := container.NewHBox(v.On, widget.NewLabel(L("First reminder")), sized(v.After, 64), widget.NewLabel(L("days after the bill, then every")),
		sized(v.Every, 64), widget.NewLabel(L("days, at most")), sized(v.Max, 64), widget.NewLabel(L("reminders.")))
	top := container.NewVBox(v.Quota, days, container.NewHBox(previewBtn, save, v.Send), v.Msg, widget.NewSeparator(), v.Head)
	v.content = container.NewBorder(top, container.NewVBox(widget.NewSeparator(), v.Text), nil, nil, v.List)
	v.ExtendBaseWidget(v)
	return v
}

// sized keeps an entry at a width that fits a few digits.
func sized(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
}

// CreateRenderer implements fyne.Widget.
func (v *RemindersView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// planWords says when a customer's next reminder goes, or why none will.
func planWords(p store.RulePlan) string {
	switch {
	case p.OptedOut:
		return L("Skipped: replied STOP")
	case p.Skip != "":
		return L("Skipped:") + " " + L(p.Skip)
	case p.Today:
		return L("Reminder today")
	case p.Next.IsZero():
		return L("All reminders sent")
	}
	return fmt.Sprintf(L("Next reminder %s"), gst.FormatDay(p.Next))
}

// lastWords says in short how a customer's last reminder got on (the
// full words are under the list when the customer is picked).
func lastWords(m *store.WAMessage) string {
	if m == nil {
		return ""
	}
	on := m.Requested
	if t, err := time.Parse(time.RFC3339, m.Requested); err == nil {
		on = gst.FormatDay(t.Local())
	}
	state := L("waiting to go")
	switch m.State() {
	case protocol.WASent:
		state = L("sent")
	case protocol.WADelivered:
		state = L("delivered")
	case protocol.WARead:
		state = L("read")
	case protocol.WAFailed:
		state = L("not sent")
	case protocol.WAOptedOut:
		state = L("not sent (replied STOP)")
	}
	return fmt.Sprintf(L("Last reminder %s: %s"), on, state)
}

// rule is the rule the fields say (nil: off), or why it will not do.
func (v *RemindersView) rule() (messaging.Rule, error) {
	var r messaging.Rule
	for _, f := range []struct {
		e   *Entry
		dst *int
		msg string
	}{{v.After, &r.After, "The first reminder must be 0 to 365 days after the bill."},
		{v.Every, &r.Every, "Reminders must repeat every 1 to 365 days."},
		{v.Max, &r.Max, "Send between 1 and 20 reminders."}} {
		n, err := strconv.Atoi(strings.TrimSpace(f.e.Text))
		if err != nil {
			return r, fmt.Errorf("%s", f.msg)
		}
		*f.dst = n
	}
	return r, r.Validate()
}

// load reads the shop's rule and this month's count, then the preview.
func (v *RemindersView) load() {
	var r *messaging.Rule
	var st syncapp.WhatsApp
	v.loading = true
	v.a.background(func() error {
		ctx := context.Background()
		st = v.a.opt.WhatsApp.State(ctx)
		var err error
		r, err = v.a.opt.WhatsApp.ReminderRule(ctx)
		return err
	}, func(err error) {
		v.showState(st)
		if err != nil {
			setError(v.Msg, Message(err))
			v.loading = false
			return
		}
		v.On.SetChecked(r != nil)
		if r != nil {
			v.After.SetText(strconv.Itoa(r.After))
			v.Every.SetText(strconv.Itoa(r.Every))
			v.Max.SetText(strconv.Itoa(r.Max))
		}
		v.preview()
	})
}

// showState shows this month's messages; used up, Send says so.
func (v *RemindersView) showState(st syncapp.WhatsApp) {
	switch {
	case !st.Connected:
		v.Quota.SetText(L("WhatsApp is not connected:") + " " + st.Reason)
		v.Send.Disable()
	case st.UsedUp(v.a.Books.Now()):
		v.Quota.SetText(st.QuotaLine(L))
		v.Send.SetText(L("This month's WhatsApp messages are used up"))
		v.Send.Disable()
	default:
		v.Quota.SetText(st.QuotaLine(L))
	}
}

// preview lists the customers with dues as the rule in the fields sees them.
func (v *RemindersView) preview() {
	r, err := v.rule()
	if err != nil {
		setError(v.Msg, L(Message(err)))
		return
	}
	setError(v.Msg, "")
	v.gen++
	gen := v.gen
	v.loading = true
	var rows []store.RulePlan
	v.a.background(func() error {
		var err error
		rows, err = v.a.opt.WhatsApp.PreviewRule(context.Background(), r)
		return err
	}, func(err error) {
		if gen != v.gen {
			return
		}
		v.loading = false
		if err != nil {
			setError(v.Msg, Message(err))
			return
		}
		v.rows = rows
		today, skipped := 0, 0
		for _, p := range rows {
			switch {
			case p.Skip != "":
				skipped++
			case p.Today:
				today++
			}
		}
		v.Head.SetText(fmt.Sprintf(L("Rule: %s. Reminders today: %d. Skipped: %d."), ruleWords(r), today, skipped))
		v.List.UnselectAll()
		v.List.Refresh()
		v.Text.SetText("")
		if len(rows) > 0 {
			v.List.Select(0)
		}
	})
}

// ruleWords is a rule in the screen's language.
func ruleWords(r messaging.Rule) string {
	return fmt.Sprintf(L("%d days after the bill, then every %d days, at most %d"), r.After, r.Every, r.Max)
}

// show puts a customer's reminder words under the list.
func (v *RemindersView) show(id widget.ListItemID) {
	if id < 0 || id >= len(v.rows) {
		return
	}
	p := v.rows[id]
	text := fmt.Sprintf(L("Message to %s: %s"), p.Name, p.Text)
	if p.Last != nil {
		text += "\n" + L("Last reminder:") + " " + syncapp.StatusWordsIn(*p.Last, L)
	}
	v.Text.SetText(text)
}

// save keeps the rule in the books (every counter gets it with sync), or
// turns automatic reminders off.
func (v *RemindersView) save() {
	var keep *messaging.Rule
	if v.On.Checked {
		r, err := v.rule()
		if err != nil {
			setError(v.Msg, L(Message(err)))
			return
		}
		keep = &r
	}
	v.a.background(func() error {
		return v.a.opt.WhatsApp.SetReminderRule(context.Background(), keep)
	}, func(err error) {
		if err != nil {
			setError(v.Msg, Message(err))
			return
		}
		setError(v.Msg, "")
		if keep == nil {
			v.a.Say("%s", L("Automatic reminders are off."))
		} else {
			v.a.Say(L("Automatic reminders: %s. Every counter sends them once a day with its sync."), ruleWords(*keep))
		}
		v.preview()
	})
}

// sendNow queues today's reminders of the rule in the fields.
func (v *RemindersView) sendNow() {
	r, err := v.rule()
	if err != nil {
		setError(v.Msg, L(Message(err)))
		return
	}
	var res store.RemindResult
	v.a.background(func() error {
		var err error
		res, err = v.a.opt.WhatsApp.RemindByRule(context.Background(), r)
		return err
	}, func(err error) {
		if err != nil {
			setError(v.Msg, Message(err))
			return
		}
		v.a.Say(L("%d reminders queued on WhatsApp; they go with the next sync."), len(res.Queued))
		v.preview()
	})
}

// Rows is what the preview shows (for tests).
func (v *RemindersView) Rows() []store.RulePlan { return v.rows }

// Loading reports whether the view is still reading (for tests).
func (v *RemindersView) Loading() bool { return v.loading }
