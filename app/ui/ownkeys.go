package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

// OwnAccounts are the shop's own accounts kept on the sync server: its
// WhatsApp Business number and its Razorpay keys for payment links
// (syncapp.OwnAccounts over the books in the real app).
type OwnAccounts interface {
	WhatsAppNumber(ctx context.Context) (protocol.WANumberStatus, error)
	ConnectWhatsAppNumber(ctx context.Context, n protocol.WANumberSettings) (protocol.WANumberStatus, error)
	DisconnectWhatsAppNumber(ctx context.Context) (protocol.WANumberStatus, error)
	PaymentLinkKeys(ctx context.Context) (protocol.ShopRazorpayStatus, error)
	ConnectPaymentLinkKeys(ctx context.Context, k protocol.ShopRazorpayKeys) (protocol.ShopRazorpayStatus, error)
	DisconnectPaymentLinkKeys(ctx context.Context) (protocol.ShopRazorpayStatus, error)
}

// ownKeysTimeout bounds one call to the sync server from these dialogs.
const ownKeysTimeout = 30 * time.Second

// keyField is one box of a connect form.
type keyField struct {
	label, hint string
	secret      bool // a password box, emptied once connected
}

// keyCopy is a value the shopkeeper pastes into the other service's
// dashboard (a webhook address, a verify token), with a Copy button.
type keyCopy struct{ label, value string }

// keyState is the server's answer in words, never a secret.
type keyState struct {
	connected bool
	facts     []string  // what is connected, a line each
	copies    []keyCopy // what to paste into the other service
	help      string    // where to paste them
}

// ownKeys is one of the shop's own accounts as its dialog shows it: the
// boxes that connect it, the server's three calls answering a status S,
// and state, which puts S in words. WhatsApp number… and Razorpay keys…
// are two of these on one dialog.
type ownKeys[S any] struct {
	title, intro, confirm string
	fields                []keyField
	state                 func(S) keyState
	load, disconnect      func(ctx context.Context) (S, error)
	connect               func(ctx context.Context, values []string) (S, error)
}

// inWords is the call's answer put in words.
func (k ownKeys[S]) inWords(call func(ctx context.Context) (S, error)) func(ctx context.Context) (keyState, error) {
	return func(ctx context.Context) (keyState, error) {
		st, err := call(ctx)
		if err != nil {
			return keyState{}, err
		}
		return k.state(st), nil
	}
}

// whatsappKeys is Settings → WhatsApp number….
func whatsappKeys(o OwnAccounts) ownKeys[protocol.WANumberStatus] {
	state := func(st protocol.WANumberStatus) keyState {
		if !st.Connected {
			return notConnected(L("Not connected: the shop's WhatsApp messages go from the server's number."), st.Available, st.Message)
		}
		num := st.PhoneNumberID
		if st.DisplayPhone != "" {
			num = st.DisplayPhone
		}
		facts := []string{fmt.Sprintf(L("Connected: messages go from the shop's own number %s."), num),
			fmt.Sprintf(L("Phone number id: %s"), st.PhoneNumberID),
			fmt.Sprintf(L("Access token: set …%s"), st.TokenLast4), L("App secret: set"),
			fmt.Sprintf(L("Templates: %s and %s (%s)"), st.TemplateInvoice, st.TemplateReminder, st.TemplateLang)}
		return keyState{connected: true, facts: append(facts, connectedOn(st.ConnectedAt)...),
			copies: []keyCopy{{L("Callback URL"), st.WebhookURL}, {L("Verify token"), st.VerifyToken}},
			help:   L("In the shop's Meta app (WhatsApp → Configuration → Webhook) give this callback URL and verify token, and subscribe to the field messages.")}
	}
	return ownKeys[protocol.WANumberStatus]{
		title:   L("WhatsApp number"),
		intro:   L("Send the shop's invoices and reminders from its own WhatsApp Business number. The access token and app secret are kept encrypted on the sync server and never shown again."),
		confirm: L("Disconnect the shop's own WhatsApp number? Messages will go from the server's number again."),
		fields: []keyField{{L("Phone number id"), L("digits, from WhatsApp Manager → API Setup"), false},
			{L("Access token"), L("a system user's token"), true}, {L("App secret"), L("Meta app → App settings → Basic"), true}},
		state: state, load: o.WhatsAppNumber, disconnect: o.DisconnectWhatsAppNumber,
		connect: func(ctx context.Context, v []string) (protocol.WANumberStatus, error) {
			return o.ConnectWhatsAppNumber(ctx, protocol.WANumberSettings{PhoneNumberID: v[0], Token: v[1], AppSecret: v[2]})
		},
	}
}

// razorpayKeys is Settings → Razorpay keys….
func razorpayKeys(o OwnAccounts) ownKeys[protocol.ShopRazorpayStatus] {
	state := func(st protocol.ShopRazorpayStatus) keyState {
		if !st.Connected {
			return notConnected(L("Not connected: invoices get no payment links."), st.Available, st.Message)
		}
		facts := []string{L("Connected: every invoice with a balance due gets a Razorpay payment link, printed on it and sent in WhatsApp reminders."),
			fmt.Sprintf(L("Key id: %s"), st.KeyID), L("Key secret and webhook secret: set")}
		return keyState{connected: true, facts: append(facts, connectedOn(st.ConnectedAt)...),
			copies: []keyCopy{{L("Webhook URL"), st.WebhookURL}},
			help:   L("In Razorpay (Account & Settings → Webhooks) add this webhook URL for the events payment_link.paid, payment_link.cancelled and payment_link.expired, with the webhook secret you gave.")}
	}
	return ownKeys[protocol.ShopRazorpayStatus]{
		title:   L("Razorpay keys"),
		intro:   L("Connect the shop's own Razorpay keys: every invoice with a balance due then gets a payment link, and the money goes to the shop's Razorpay account. The secrets are kept encrypted on the sync server and never shown again."),
		confirm: L("Disconnect the shop's Razorpay keys? Invoices will get no payment links."),
		fields: []keyField{{L("Key id"), L("rzp_live_… or rzp_test_…"), false},
			{L("Key secret"), L("Razorpay Dashboard → API Keys"), true}, {L("Webhook secret"), L("the secret you type in Razorpay → Webhooks"), true}},
		state: state, load: o.PaymentLinkKeys, disconnect: o.DisconnectPaymentLinkKeys,
		connect: func(ctx context.Context, v []string) (protocol.ShopRazorpayStatus, error) {
			return o.ConnectPaymentLinkKeys(ctx, protocol.ShopRazorpayKeys{KeyID: v[0], KeySecret: v[1], WebhookSecret: v[2]})
		},
	}
}

// notConnected is the state of an account not connected: why it cannot be
// when the server cannot keep secrets (its own words).
func notConnected(what string, available bool, why string) keyState {
	if !available && why != "" {
		return keyState{facts: []string{what, why}}
	}
	return keyState{facts: []string{what}}
}

func connectedOn(at *time.Time) []string {
	if at == nil {
		return nil
	}
	return []string{fmt.Sprintf(L("Connected on %s."), gst.FormatDay(at.In(ist)))}
}

// ist is India's time, in which the dates are shown.
var ist = time.FixedZone("IST", 5*3600+1800)

// ownKeysError says in plain words why a call to the sync server failed:
// the server's own words when it answered (Meta or Razorpay refused the
// keys), that it needs the internet when it could not be reached.
func ownKeysError(err error) string {
	var ae *client.APIError
	switch {
	case errors.As(err, &ae):
		return ae.Message
	case errors.Is(err, syncapp.ErrNotSignedIn):
		return L("Sign in to a sync server first (Settings → Sync): the shop's own keys are kept there.")
	case client.Unreachable(err):
		return L("Connecting needs the internet: the sync server cannot be reached now. Try again when this computer is online.")
	}
	return Message(err)
}

// KeysView is the dialog of one of the shop's own accounts: its state
// from the server, the boxes to connect it, Disconnect, and what to paste
// into the other service's dashboard.
type KeysView struct {
	State      *widget.Label
	Fields     []*Entry
	Msg        *widget.Label
	Connect    *widget.Button
	Disconnect *widget.Button
	// Copies are the values to paste (a label each) and their Copy buttons.
	Copies    *fyne.Container
	Help      *widget.Label
	busy      bool
	connected bool
	content   fyne.CanvasObject
}

// Busy reports whether a call to the server is under way.
func (v *KeysView) Busy() bool { return v.busy }

// ShowWhatsAppNumber opens Settings → WhatsApp number… (the owner's).
func (s *SettingsScreen) ShowWhatsAppNumber() {
	if o := s.ownAccounts(); o != nil {
		showOwnKeys(s, whatsappKeys(o))
	}
}

// ShowRazorpayKeys opens Settings → Razorpay keys… (the owner's).
func (s *SettingsScreen) ShowRazorpayKeys() {
	if o := s.ownAccounts(); o != nil {
		showOwnKeys(s, razorpayKeys(o))
	}
}

// ownAccounts are the shop's own accounts if the signed-in member may
// connect them (the owner, like the plan); else it says why not, and nil.
func (s *SettingsScreen) ownAccounts() OwnAccounts {
	a := s.a
	if a.opt.OwnAccounts == nil {
		return nil
	}
	if !a.Can(staff.Plan) {
		who := a.staffBooks().Actor()
		a.Say("%s", deniedText(&staff.Denied{Role: who.Role, Action: staff.Plan, Name: who.Name}))
		return nil
	}
	return a.opt.OwnAccounts
}

// showOwnKeys opens the dialog of one of the shop's own accounts.
func showOwnKeys[S any](s *SettingsScreen, k ownKeys[S]) {
	a := s.a
	asking := L("Asking the sync server…")
	v := &KeysView{State: wrapLabel(asking), Msg: errorText(), Copies: container.NewVBox(), Help: wrapLabel("")}
	v.Help.Importance = widget.LowImportance
	form := widget.NewForm()
	for _, f := range k.fields {
		e := a.entry(f.hint)
		e.Password = f.secret
		v.Fields = append(v.Fields, e)
		form.Append(f.label, e)
	}
	// done puts the server's answer on the dialog; after a refusal or no
	// answer the state shown stays as it was, with the reason under the form.
	done := func(st keyState, err error) {
		v.busy = false
		v.Connect.Enable()
		v.Disconnect.Disable()
		if err != nil {
			if v.State.Text == asking {
				setText(v.State, "")
			}
			if v.connected {
				v.Disconnect.Enable()
			}
			setError(v.Msg, ownKeysError(err))
			return
		}
		v.connected = st.connected
		setText(v.State, strings.Join(st.facts, "\n"))
		v.Copies.RemoveAll()
		for _, c := range st.copies {
			c := c
			copyBtn := widget.NewButtonWithIcon(L("Copy"), theme.ContentCopyIcon(), func() {
				fyne.CurrentApp().Clipboard().SetContent(c.value)
				setNote(v.Msg, fmt.Sprintf(L("Copied: %s."), c.label))
			})
			v.Copies.Add(container.NewBorder(nil, nil, boldLabel(c.label), copyBtn, wrapLabel(c.value)))
		}
		setText(v.Help, st.help)
		if st.connected {
			v.Disconnect.Enable()
		}
	}
	call := func(work func(ctx context.Context) (keyState, error), then func(keyState, error)) {
		v.busy = true
		v.Connect.Disable()
		v.Disconnect.Disable()
		setError(v.Msg, "")
		// Not on the books' worker: a slow link must not hold up billing.
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), ownKeysTimeout)
			defer cancel()
			var st keyState
			err := a.safely(func() (err error) {
				st, err = work(ctx)
				return err
			})
			a.opt.Do(func() { then(st, err) })
		}()
	}
	connect := func() {
		if v.busy {
			return
		}
		vals := make([]string, len(v.Fields))
		for i, e := range v.Fields {
			if vals[i] = strings.TrimSpace(e.Text); vals[i] == "" {
				setError(v.Msg, fmt.Sprintf(L("Fill in: %s."), k.fields[i].label))
				a.Win.Canvas().Focus(e)
				return
			}
		}
		call(k.inWords(func(ctx context.Context) (S, error) { return k.connect(ctx, vals) }), func(st keyState, err error) {
			done(st, err)
			if err != nil {
				return // the boxes keep what was typed, to be put right
			}
			for i, e := range v.Fields {
				if k.fields[i].secret {
					e.SetText("")
				}
			}
			setNote(v.Msg, L("Connected."))
		})
	}
	v.Connect = widget.NewButtonWithIcon(L("Connect"), theme.ConfirmIcon(), connect)
	v.Connect.Importance = widget.HighImportance
	v.Disconnect = widget.NewButtonWithIcon(L("Disconnect…"), theme.DeleteIcon(), func() {
		d := dialog.NewConfirm(k.title, k.confirm, func(ok bool) {
			if ok {
				call(k.inWords(k.disconnect), func(st keyState, err error) {
					done(st, err)
					if err == nil {
						setNote(v.Msg, L("Disconnected."))
					}
				})
			}
		}, a.Win)
		d.SetConfirmText(L("Disconnect"))
		d.SetDismissText(L("Cancel"))
		a.openDialog(d)
	})
	v.Disconnect.Importance = widget.DangerImportance
	v.Disconnect.Disable()
	intro := wrapLabel(k.intro)
	intro.Importance = widget.LowImportance
	v.content = container.NewVScroll(container.NewVBox(v.State, v.Copies, v.Help, widget.NewSeparator(),
		intro, form, v.Msg, container.NewHBox(v.Connect, v.Disconnect)))
	s.Keys = v
	d := dialog.NewCustom(k.title, L("Close (Esc)"), v.content, a.Win)
	d.Resize(fyne.NewSize(820, 620))
	a.openModal(d, connect)
	if len(v.Fields) > 0 {
		a.Win.Canvas().Focus(v.Fields[0])
	}
	call(k.inWords(k.load), done)
}
