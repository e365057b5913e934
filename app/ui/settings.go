package ui

import (
	"errors"
	"os/exec"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/printing"
	"github.com/ainaukar/naukar/app/staff"
)

// profileForm is the business profile form of the wizard and Settings.
type profileForm struct {
	Name, GSTIN, Address, City, Pincode, Phone, UPI, Prefix *Entry
	State                                                   *widget.Select
	Composition                                             *widget.Check
	errs                                                    map[string]*widget.Label
	general                                                 *widget.Label
	codes                                                   []string
	form                                                    *widget.Form
	base                                                    books.Business
}

func newProfileForm(a *App, b books.Business) *profileForm {
	f := &profileForm{base: b, errs: map[string]*widget.Label{}, general: errorText()}
	f.Name, f.GSTIN = a.entry(L("e.g. Sharma General Stores")), a.entry(L("15 characters, e.g. 27AAPFU0939F1ZV"))
	f.Address, f.City, f.Pincode, f.Phone = a.entry(""), a.entry(""), a.entry(""), a.entry("")
	f.UPI, f.Prefix = a.entry(L("e.g. shop@okicici (for the payment QR)")), a.entry("INV")
	codes, names := statePicker(gst.BusinessStates())
	f.codes = codes
	f.State = widget.NewSelect(names, nil)
	f.Composition = widget.NewCheck(L("Composition dealer (issue bills of supply)"), nil)
	f.Name.SetText(b.Name)
	f.GSTIN.SetText(b.GSTIN)
	f.Address.SetText(b.Address)
	f.City.SetText(b.City)
	f.Pincode.SetText(b.Pincode)
	f.Phone.SetText(b.Phone)
	f.UPI.SetText(b.UPI)
	f.Prefix.SetText(b.InvoicePrefix)
	f.Composition.SetChecked(b.Composition)
	if i := indexOf(codes, b.StateCode); i >= 0 {
		f.State.SetSelectedIndex(i)
	}
	field := func(key string, o fyne.CanvasObject) fyne.CanvasObject {
		l := errorText()
		f.errs[key] = l
		return container.NewVBox(o, l)
	}
	f.GSTIN.OnChanged = func(t string) { gstinLive(t, f.errs["gstin"], f.State, codes) }
	// A problem goes as soon as its box is changed; saving checks again.
	f.Name.OnChanged = func(string) { setError(f.errs["name"], ""); setError(f.general, "") }
	f.Prefix.OnChanged = func(string) { setError(f.errs["invoice_prefix"], "") }
	f.State.OnChanged = func(string) { setError(f.errs["state_code"], "") }
	f.UPI.OnChanged = func(t string) {
		if t = strings.TrimSpace(t); t != "" && strings.Contains(t, "@") && len(t) > 4 {
			if err := gst.ValidateVPA(t); err != nil {
				setError(f.errs["upi"], err.Error())
				return
			}
		}
		setError(f.errs["upi"], "")
	}
	f.form = widget.NewForm(
		widget.NewFormItem(L("Business name"), field("name", f.Name)),
		widget.NewFormItem(L("GSTIN"), field("gstin", f.GSTIN)),
		widget.NewFormItem(L("State"), field("state_code", f.State)),
		widget.NewFormItem(L("Address"), f.Address),
		widget.NewFormItem(L("City / PIN"), container.NewGridWithColumns(2, f.City, f.Pincode)),
		widget.NewFormItem(L("Phone"), f.Phone),
		widget.NewFormItem(L("UPI id"), field("upi", f.UPI)),
		widget.NewFormItem(L("Invoice prefix"), field("invoice_prefix", f.Prefix)),
		widget.NewFormItem("", f.Composition),
	)
	return f
}

// business reads the form into a profile (not yet validated by books).
func (f *profileForm) business() books.Business {
	b := f.base
	b.Name, b.GSTIN, b.Address, b.City, b.Pincode, b.Phone, b.UPI, b.InvoicePrefix =
		f.Name.Text, f.GSTIN.Text, f.Address.Text, f.City.Text, f.Pincode.Text, f.Phone.Text, f.UPI.Text, f.Prefix.Text
	if i := f.State.SelectedIndex(); i >= 0 {
		b.StateCode = f.codes[i]
	}
	b.Composition = f.Composition.Checked
	return b
}

// showErr puts a books error next to its field.
func (f *profileForm) showErr(err error) {
	for _, l := range f.errs {
		setError(l, "")
	}
	setError(f.general, "")
	if err == nil {
		return
	}
	var be *books.Error
	if errors.As(err, &be) && f.errs[be.Field] != nil {
		setError(f.errs[be.Field], be.Msg)
		return
	}
	setError(f.general, Message(err))
}

// SettingsScreen edits the business profile, the invoice series and the printer.
type SettingsScreen struct {
	screenBase
	a          *App
	Profile    *profileForm
	Series     *Entry
	Printer    *widget.Select
	Paper      *widget.Select
	Raw        *Entry
	PrintAfter *widget.Check
	Drawer     *widget.Check
	Appearance *widget.Select
	msg        *widget.Label
	// WhatsAppNumber and RazorpayKeys open the dialogs of the shop's own
	// accounts (the owner's); Keys is the one opened last.
	WhatsAppNumber, RazorpayKeys *widget.Button
	Keys                         *KeysView
}

func newSettingsScreen(a *App) *SettingsScreen {
	s := &SettingsScreen{a: a, Profile: newProfileForm(a, a.Biz), msg: widget.NewLabel("")}
	s.Series = a.entry("A")
	s.Series.SetText(a.Books.Series())
	s.Printer = widget.NewSelect([]string{L("system default")}, nil)
	s.Paper = widget.NewSelect([]string{string(printing.A4), string(printing.A5), string(printing.Roll80), string(printing.Roll58)}, nil)
	s.Raw = a.entry(L("e.g. /dev/usb/lp0 or 192.168.1.50:9100"))
	s.PrintAfter = widget.NewCheck(L("Print each bill when it is saved"), nil)
	s.Drawer = widget.NewCheck(L("Open the cash drawer with each receipt"), nil)
	s.Appearance = widget.NewSelect([]string{L("system"), L("light"), L("dark")}, func(v string) { applyAppearance(v) })
	saveProfile := widget.NewButtonWithIcon(L("Save profile"), theme.DocumentSaveIcon(), s.SaveProfile)
	saveProfile.Importance = widget.HighImportance
	saveDevice := widget.NewButtonWithIcon(L("Save counter settings"), theme.DocumentSaveIcon(), s.SaveDevice)
	device := widget.NewForm(
		widget.NewFormItem(L("Invoice series of this counter"), s.Series),
		widget.NewFormItem(L("Printer"), s.Printer),
		widget.NewFormItem(L("Paper"), s.Paper),
		widget.NewFormItem(L("Thermal printer (ESC/POS)"), s.Raw),
		widget.NewFormItem("", s.PrintAfter),
		widget.NewFormItem("", s.Drawer),
		widget.NewFormItem(L("Appearance"), s.Appearance),
	)
	note := wrapLabel(L("Each counter bills in its own series (A, B, …) so two counters never make the same invoice number, even offline. Change it only when setting up a new counter."))
	note.Importance = widget.LowImportance
	left := container.NewVBox(boldLabel(L("Business profile")), s.Profile.form, s.Profile.general, saveProfile)
	right := container.NewVBox(boldLabel(L("This counter")), device, note, saveDevice, s.msg, layout.NewSpacer())
	if a.staffBooks() != nil {
		right.Add(widget.NewButtonWithIcon(L("Staff and roles…"), theme.AccountIcon(), s.ShowStaff))
	}
	if a.opt.Sync != nil {
		syncBtn := widget.NewButtonWithIcon(L("Sync with other counters…"), theme.ViewRefreshIcon(), s.ShowSync)
		right.Add(syncBtn)
		right.Add(widget.NewButtonWithIcon(L("Plan and billing…"), theme.AccountIcon(), s.ShowPlan))
	}
	s.WhatsAppNumber = widget.NewButtonWithIcon(L("WhatsApp number…"), theme.MailSendIcon(), s.ShowWhatsAppNumber)
	s.RazorpayKeys = widget.NewButtonWithIcon(L("Razorpay keys…"), theme.AccountIcon(), s.ShowRazorpayKeys)
	if a.opt.OwnAccounts != nil {
		right.Add(s.WhatsAppNumber)
		right.Add(s.RazorpayKeys)
		s.showOwnKeysButtons()
	}
	if a.opt.Privacy != nil {
		right.Add(widget.NewButtonWithIcon(L("Privacy…"), theme.VisibilityIcon(), s.ShowPrivacy))
	}
	split := container.NewHSplit(container.NewVScroll(left), container.NewVScroll(right))
	split.Offset = 0.58
	s.content = container.NewPadded(container.NewBorder(heading(L("Settings")), nil, nil, nil, split))
	s.ExtendBaseWidget(s)
	return s
}

// handle makes Ctrl+S save the part of Settings that has the focus: this
// counter's settings when the focus is in them, else the business profile.
func (s *SettingsScreen) handle(act Action) bool {
	if act != ActSaveBill {
		return false
	}
	switch s.a.Win.Canvas().Focused() {
	case s.Series, s.Printer, s.Paper, s.Raw, s.PrintAfter, s.Drawer, s.Appearance:
		s.SaveDevice()
	default:
		s.SaveProfile()
	}
	return true
}

// showOwnKeysButtons shows the buttons of the shop's own accounts only to
// a member who may connect them (the owner, like the plan).
func (s *SettingsScreen) showOwnKeysButtons() {
	for _, b := range []*widget.Button{s.WhatsAppNumber, s.RazorpayKeys} {
		if s.a.Can(staff.Plan) {
			b.Show()
		} else {
			b.Hide()
		}
	}
}

func (s *SettingsScreen) shown() {
	s.showOwnKeysButtons()
	var ps printing.Settings
	var look string
	var printers []string
	s.a.background(func() error {
		ps, _ = printing.LoadSettings(s.a.Books)
		look, _ = s.a.Books.Meta("appearance")
		printers = systemPrinters()
		return nil
	}, func(error) {
		s.Printer.SetOptions(append([]string{L("system default")}, printers...))
		s.Printer.SetSelected(orDefault(ps.Printer, L("system default")))
		s.Paper.SetSelected(string(ps.Format))
		s.Raw.SetText(ps.Raw)
		s.PrintAfter.SetChecked(ps.Auto)
		s.Drawer.SetChecked(ps.Drawer)
		s.Appearance.SetSelected(orDefault(look, L("system")))
	})
	s.a.focus(s.Profile.Name)
}

// ShowSync opens Settings → Sync (sign in, status, sync now).
func (s *SettingsScreen) ShowSync() {
	if s.a.opt.Sync == nil {
		return
	}
	d := dialog.NewCustom(L("Sync"), L("Close"), s.a.opt.Sync(s.a.Win), s.a.Win)
	d.Resize(fyne.NewSize(760, 560))
	d.Show()
}

// systemPrinters lists the printers CUPS knows (none when lpstat is missing).
func systemPrinters() []string {
	out, err := exec.Command("lpstat", "-a").Output()
	if err != nil {
		return nil
	}
	var ps []string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			ps = append(ps, f[0])
		}
	}
	return ps
}

// SaveProfile saves the business profile.
func (s *SettingsScreen) SaveProfile() {
	b := s.Profile.business()
	var saved books.Business
	s.a.background(func() error {
		if err := s.a.Books.SaveBusiness(b); err != nil {
			return err
		}
		var err error
		saved, err = s.a.Books.Business()
		return err
	}, func(err error) {
		s.Profile.showErr(err)
		if err != nil {
			return
		}
		s.a.Biz = saved
		s.a.Billing.Bill.Biz = saved
		s.a.Billing.Bill.Reprice()
		s.a.Billing.refreshValues()
		s.a.Say("%s", L("Business profile saved."))
	})
}

// SaveDevice saves this counter's series, printer and appearance.
func (s *SettingsScreen) SaveDevice() {
	series := strings.ToUpper(strings.TrimSpace(s.Series.Text))
	if err := gst.ValidateSeries(series); err != nil {
		s.msg.SetText(err.Error())
		s.msg.Importance = widget.DangerImportance
		s.msg.Refresh()
		return
	}
	printer := s.Printer.Selected
	if printer == L("system default") {
		printer = ""
	}
	ps := printing.Settings{Printer: printer, Format: printing.Format(s.Paper.Selected), Raw: s.Raw.Text,
		Auto: s.PrintAfter.Checked, Drawer: s.Drawer.Checked}
	kv := map[string]string{"series": series, "appearance": s.Appearance.Selected}
	s.a.background(func() error {
		if err := printing.SaveSettings(s.a.Books, ps); err != nil {
			return err
		}
		return s.a.Books.SetMeta(kv)
	}, func(err error) {
		if err != nil {
			s.msg.SetText(Message(err))
			s.msg.Importance = widget.DangerImportance
		} else {
			s.msg.SetText(L("Saved."))
			s.msg.Importance = widget.SuccessImportance
		}
		s.msg.Refresh()
	})
}

// applyAppearance switches light/dark/system.
func applyAppearance(v string) {
	app := fyne.CurrentApp()
	if app == nil {
		return
	}
	switch v {
	case L("light"):
		app.Settings().SetTheme(Theme{Variant: variantPtr(themeLight)})
	case L("dark"):
		app.Settings().SetTheme(Theme{Variant: variantPtr(themeDark)})
	default:
		app.Settings().SetTheme(Theme{})
	}
}

// FieldError is the message shown next to a field ("gstin", "upi", …).
func (f *profileForm) FieldError(field string) string {
	if l := f.errs[field]; l != nil && l.Visible() {
		return l.Text
	}
	return ""
}
