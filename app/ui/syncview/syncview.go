// Package syncview is the Settings → Sync screen: create an account or
// sign in, see when the books last synced, what waits, and any problem in
// plain words; "Sync now" and "Sign out". All network work runs off the UI
// goroutine and comes back through fyne.Do.
package syncview

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Do applies f on the UI goroutine (fyne.Do in the app; direct in tests).
type Do func(func())

// View is the Sync screen.
type View struct {
	widget.BaseWidget
	svc *syncapp.Service
	win fyne.Window
	do  Do

	status   *widget.Label
	problem  *widget.Label
	dlMsg    *widget.Label       // a new counter's download: what is coming down
	dlBar    *widget.ProgressBar // and how far the history is
	server   *widget.Entry
	urlNote  *widget.Label // what a plain http:// server address risks
	login    *widget.Entry
	password *widget.Entry
	device   *widget.Entry
	signIn   *widget.Button
	signUp   *widget.Button
	syncNow  *widget.Button
	signOut  *widget.Button
	content  *fyne.Container
}

// New makes the Sync screen over svc.
func New(win fyne.Window, svc *syncapp.Service, do Do) *View {
	if do == nil {
		do = fyne.Do
	}
	v := &View{svc: svc, win: win, do: do}
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.problem = widget.NewLabel("")
	v.problem.Wrapping = fyne.TextWrapWord
	v.problem.Importance = widget.DangerImportance
	v.dlMsg = widget.NewLabel("")
	v.dlMsg.Wrapping = fyne.TextWrapWord
	v.dlMsg.Hide()
	v.dlBar = widget.NewProgressBar()
	v.dlBar.Hide()
	v.server = widget.NewEntry()
	v.server.SetPlaceHolder("https://sync.example.in")
	v.urlNote = widget.NewLabel("")
	v.urlNote.Wrapping = fyne.TextWrapWord
	v.urlNote.Hide()
	v.server.OnChanged = v.checkServer
	v.server.SetText(svc.Server())
	v.login = widget.NewEntry()
	v.login.SetPlaceHolder("email or mobile number")
	v.password = widget.NewPasswordEntry()
	v.device = widget.NewEntry()
	host, _ := os.Hostname()
	v.device.SetText(host)
	v.signIn = widget.NewButton("Sign in", v.doSignIn)
	v.signIn.Importance = widget.HighImportance
	v.signUp = widget.NewButton("Create an account…", v.showSignup)
	v.syncNow = widget.NewButton("Sync now", v.doSyncNow)
	v.syncNow.Importance = widget.HighImportance
	v.signOut = widget.NewButton("Sign out", v.doSignOut)
	form := widget.NewForm(
		widget.NewFormItem("Server", v.server),
		widget.NewFormItem("Email or phone", v.login),
		widget.NewFormItem("Password", v.password),
		widget.NewFormItem("This device", v.device),
	)
	v.content = container.NewVBox(
		widget.NewLabelWithStyle("Sync", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel("Sync keeps the same books on every counter and the owner's laptop. Billing never waits for it: bills are kept here and go up when the internet is back."),
		v.status, v.dlMsg, v.dlBar, v.problem, form, v.urlNote,
		container.NewHBox(v.signIn, v.signUp, v.syncNow, v.signOut),
	)
	v.ExtendBaseWidget(v)
	v.Refresh()
	v.reload()
	return v
}

// checkServer shows, as the address is typed, what a plain http:// server
// risks (syncapp.CheckServerURL): a warning for the internet, a note for
// the shop's own network, nothing for https or this PC.
func (v *View) checkServer(addr string) {
	warning, err := syncapp.CheckServerURL(addr)
	if err != nil || warning == "" {
		v.urlNote.Hide()
		return
	}
	v.urlNote.Importance = widget.WarningImportance
	if warning == syncapp.PlainHTTPInternet {
		v.urlNote.Importance = widget.DangerImportance
	}
	v.urlNote.SetText(lang.L(warning))
	v.urlNote.Show()
}

// URLNote is the warning shown under the server address ("" when none).
func (v *View) URLNote() string {
	if !v.urlNote.Visible() {
		return ""
	}
	return v.urlNote.Text
}

// CreateRenderer implements fyne.Widget.
func (v *View) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewVScroll(v.content))
}

// reload reads the status off the UI goroutine and shows it.
func (v *View) reload() {
	go func() {
		st, err := v.svc.Status()
		signed := v.svc.SignedIn()
		v.do(func() { v.show(st, err, signed) })
	}()
}

// ShowStatus updates the screen with a status (e.g. from the background runner).
func (v *View) ShowStatus(st client.Status) {
	signed := v.svc.SignedIn()
	v.do(func() { v.show(st, nil, signed) })
}

// ShowDownload shows how far a new counter's download is (from the
// background runner, after every page).
func (v *View) ShowDownload(d client.Download) {
	v.do(func() { v.showDownload(&d) })
}

func (v *View) showDownload(d *client.Download) {
	switch {
	case d == nil || d.Part == "":
		v.dlMsg.Hide()
		v.dlBar.Hide()
	case d.Part == client.PartMasters:
		what := "the business"
		if d.Table != "" {
			what = strings.ReplaceAll(d.Table, "_", " ")
		}
		v.dlMsg.SetText(fmt.Sprintf("Downloading %s… Billing starts as soon as the products and parties are in.", what))
		v.dlMsg.Show()
		v.dlBar.Hide()
	default:
		v.dlMsg.SetText(fmt.Sprintf("Products and parties are in: billing works. Downloading the history: %d%%. Stock and balances show “still loading” until it is in.", d.Percent()))
		v.dlMsg.Show()
		v.dlBar.SetValue(float64(d.Percent()) / 100)
		v.dlBar.Show()
	}
}

func (v *View) show(st client.Status, err error, signed bool) {
	v.showDownload(st.Download)
	last := "never"
	if t, perr := time.Parse(time.RFC3339, st.LastSynced); perr == nil {
		last = gst.FormatDay(t.Local()) + ", " + t.Local().Format("3:04 PM")
	}
	if signed {
		v.status.SetText(fmt.Sprintf("Signed in to %s.\nLast synced: %s. Changes waiting to go up: %d.", v.svc.Server(), last, st.Pending))
	} else {
		v.status.SetText(fmt.Sprintf("Not signed in. Changes kept on this PC: %d.", st.Pending))
	}
	msg := st.Error
	if err != nil {
		msg = books.ErrorMessage(err)
	}
	v.problem.SetText(msg)
	for _, w := range []fyne.Disableable{v.signIn, v.signUp} {
		if signed {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	for _, w := range []fyne.Disableable{v.syncNow, v.signOut} {
		if signed {
			w.Enable()
		} else {
			w.Disable()
		}
	}
}

func (v *View) busy(what string, work func(ctx context.Context) (string, error)) {
	v.problem.SetText("")
	v.status.SetText(what)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		msg, err := work(ctx)
		st, _ := v.svc.Status()
		signed := v.svc.SignedIn()
		v.do(func() {
			v.show(st, nil, signed)
			if err != nil {
				v.problem.SetText(explain(err))
				return
			}
			if msg != "" {
				dialog.ShowInformation("Sync", msg, v.win)
			}
		})
	}()
}

func explain(err error) string {
	if ae, ok := err.(*client.APIError); ok {
		if ae.Message != "" && ae.Status < 500 {
			return ae.Message
		}
	}
	if books.ErrorCode(err) != books.EINTERNAL {
		return books.ErrorMessage(err)
	}
	return client.Explain(err)
}

func (v *View) doSignIn() {
	server, login, pw, dev := v.server.Text, v.login.Text, v.password.Text, v.device.Text
	if server == "" || login == "" || pw == "" {
		v.problem.SetText("Fill in the server, your email or phone, and your password.")
		return
	}
	v.busy("Signing in…", func(ctx context.Context) (string, error) {
		res, err := v.svc.Login(ctx, server, login, pw, dev)
		if err != nil {
			return "", err
		}
		v.do(func() { v.password.SetText("") })
		switch {
		case res.Uploading:
			return "Signed in. This is the first device: your books are going up now.", nil
		case res.Joining:
			return "Signed in. The business's books are coming down now.", nil
		}
		return "Signed in.", nil
	})
}

func (v *View) doSyncNow() {
	v.busy("Syncing…", func(ctx context.Context) (string, error) {
		_, err := v.svc.SyncNow(ctx)
		return "", err
	})
}

func (v *View) doSignOut() {
	dialog.ShowConfirm("Sign out", "Sign this PC out of sync? The books stay here.", func(ok bool) {
		if !ok {
			return
		}
		v.busy("Signing out…", func(ctx context.Context) (string, error) {
			return "Signed out. The books stay on this PC.", v.svc.Logout(ctx)
		})
	}, v.win)
}

func (v *View) showSignup() {
	name, email, phone := widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	pw := widget.NewPasswordEntry()
	biz, gstin, state := widget.NewEntry(), widget.NewEntry(), widget.NewSelect(stateOptions(), nil)
	if b, err := v.svc.Store.Business(); err == nil {
		biz.SetText(b.Name)
		gstin.SetText(b.GSTIN)
		if n, ok := gst.StateName(b.StateCode); ok {
			state.SetSelected(b.StateCode + " " + n)
		}
	}
	adult := widget.NewCheck("I am 18 or older", nil)
	terms := widget.NewCheck("I accept the terms and the privacy policy", nil)
	items := []*widget.FormItem{
		widget.NewFormItem("Your name", name), widget.NewFormItem("Email", email), widget.NewFormItem("Mobile", phone),
		widget.NewFormItem("Password", pw), widget.NewFormItem("Business name", biz), widget.NewFormItem("GSTIN", gstin),
		widget.NewFormItem("State", state), widget.NewFormItem("", adult), widget.NewFormItem("", terms),
	}
	d := dialog.NewForm("Create an account", "Create", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		if v.server.Text == "" {
			v.problem.SetText("Fill in the server address first.")
			return
		}
		sc := ""
		if len(state.Selected) >= 2 {
			sc = state.Selected[:2]
		}
		req := protocol.SignupRequest{Owner: protocol.SignupOwner{Name: name.Text, Email: email.Text, Phone: phone.Text, Password: pw.Text},
			Business:     protocol.SignupBusiness{Name: biz.Text, GSTIN: gstin.Text, StateCode: sc},
			AgeConfirmed: adult.Checked, TermsAccepted: terms.Checked}
		server := v.server.Text
		v.busy("Creating the account…", func(ctx context.Context) (string, error) {
			if err := v.svc.Signup(ctx, server, req); err != nil {
				return "", err
			}
			v.do(func() { v.login.SetText(req.Owner.Email) })
			return "Account created. Now sign in with your password.", nil
		})
	}, v.win)
	d.Resize(fyne.NewSize(520, 560))
	d.Show()
}

func stateOptions() []string {
	var out []string
	for _, s := range gst.BusinessStates() {
		out = append(out, s.Code+" "+s.Name)
	}
	return out
}
