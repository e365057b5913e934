// Package ui is the counter app: Fyne screens over app/books and app/store.
// Screens are thin: every total comes from books (through Bill), every
// change goes through the store, and slow work runs off the UI goroutine
// with its result applied through the app's Do (fyne.Do in the real app).
package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/printing"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Books is what the screens need from the books; *store.Store has it all.
type Books interface {
	Business() (books.Business, error)
	Init(books.Business) (string, error)
	SaveBusiness(books.Business) error
	Series() string
	SetMeta(map[string]string) error
	Meta(string) (string, error)
	MetaJSON(key string, v any) (bool, error)
	SetMetaJSON(key string, v any) error
	Now() time.Time

	ProductByCode(code string) (books.Product, error)
	Product(id string) (books.Product, error)
	StockOnHand(productID string) (int64, error)
	SearchProducts(q string, limit int) ([]store.ProductHit, error)
	ListProducts(f store.ProductFilter) ([]store.ProductHit, error)
	ProductUnits(ids []string) (map[string]string, error)
	ProductsAfter(lowStock bool, c store.ProductCursor, limit int) ([]store.ProductHit, error)
	ProductsBefore(lowStock bool, c store.ProductCursor, limit int) ([]store.ProductHit, error)
	ProductsAt(lowStock bool, offset, limit, total int) ([]store.ProductHit, error)
	CountProducts() (int, error)
	CountLowStock() (int, error)
	SaveProduct(p books.Product) (string, error)
	ImportProducts(ps []books.Product, rows []int) (int, error)
	AdjustStock(ctx context.Context, a books.StockAdjustment) (*books.StockAdjustment, error)
	CreatePurchase(ctx context.Context, d *books.PurchaseDraft) (*books.Purchase, error)
	ListPurchases(limit int) ([]store.PurchaseRow, error)

	SaveParty(p books.Party) (string, error)
	Party(id string) (books.Party, error)
	ListParties(prefix string, limit int) ([]store.PartyHit, error)
	PartyLedger(partyID string, limit int) ([]store.LedgerRow, error)
	RecordPayment(ctx context.Context, p books.Payment) (*books.Payment, error)

	CreateSale(ctx context.Context, d *books.SaleDraft) (*books.Invoice, error)
	Invoice(idOrNumber string) (*books.Invoice, bool, error)
	ListInvoices(f store.InvoiceFilter) ([]store.InvoiceRow, error)
	CancelInvoice(ctx context.Context, number, reason string, date time.Time) (*books.Cancellation, error)
	CreateReturn(ctx context.Context, in store.ReturnInput) (*books.CreditNote, error)
	CreditNotes(invoiceID string) ([]books.CreditNote, error)
	LastInvoice() (string, error)

	RecordExpense(ctx context.Context, e books.Expense) (*books.Expense, error)
	ListExpenses(from, to string, limit int) ([]store.ExpenseRow, error)
	ExpenseCategories() ([]string, error)
	Day(date string) (store.DaySummary, error)
}

var _ Books = (*store.Store)(nil)

// Printer prints documents. The printing package provides the real one;
// until it is wired, NoPrinter says so in plain words.
type Printer interface {
	PrintInvoice(number string) error
}

// NoPrinter is the Printer used until printing is set up.
type NoPrinter struct{}

// ErrNoPrinter is NoPrinter's answer.
var ErrNoPrinter = errors.New("printing is not set up yet on this computer; the bill is saved and can be printed later from Invoices")

// PrintInvoice implements Printer.
func (NoPrinter) PrintInvoice(string) error { return ErrNoPrinter }

// Options configure the app. The zero value is the real app.
type Options struct {
	// Do runs fn on the UI goroutine; nil uses fyne.Do. Tests pass a queue
	// they drain on the test goroutine, like the real event loop.
	Do func(fn func())
	// Printer prints invoices; nil is NoPrinter.
	Printer Printer
	// Reports makes the Reports screen; nil shows a placeholder. It is the
	// slot for reportsview.New(win, svc).
	Reports func(w fyne.Window) fyne.CanvasObject
	// Ready is called once the billing screen is usable (startup timing).
	Ready func()
	// Sync makes the Settings → Sync screen; nil hides the button.
	Sync func(w fyne.Window) fyne.CanvasObject
	// Plan makes the Settings → Plan screen (app/ui/planview); nil hides
	// the button.
	Plan func(w fyne.Window) fyne.CanvasObject
	// Privacy makes the Settings → Privacy screen (app/ui/privacyview);
	// nil hides the button.
	Privacy func(w fyne.Window) fyne.CanvasObject
	// OwnAccounts connects the shop's own WhatsApp number and Razorpay
	// keys on the sync server (Settings, the owner's); nil hides the buttons.
	OwnAccounts OwnAccounts
	// Notices returns the policy notices not yet shown on this PC and the
	// function that records one shown (syncapp.NoticesSignedIn); nil: none.
	Notices func(ctx context.Context) ([]protocol.Notice, func(id string) error, error)
	// Saved is told each bill saved here (the sync runner pushes it soon).
	Saved func(number string)
	// Care runs the books' backups and checks and the app's updates, and
	// fills the About dialog; nil shows the version only.
	Care *Care
	// WhatsApp sends invoices and reminders; nil hides its buttons.
	WhatsApp WhatsApp
	// StaffSignedIn and StaffSignedOut hear a staff member sign in on the
	// counter (with their PIN) and out, so the sync server learns who is
	// there before the next push (syncapp.StaffLink); nil: nobody listens.
	StaffSignedIn  func(userID, pin string)
	StaffSignedOut func()
	// Assistant gives the AI assistant over these books for one question
	// (app/assistant through the sync server; an *assistant.Error such as
	// not signed in when it cannot); nil: the pane says it is not part of
	// this copy.
	Assistant func() (Asker, error)
	// Telemetry hears the features used and the errors met (usage.go);
	// nil: nobody.
	Telemetry Telemetry
}

// page is one main screen.
type page interface {
	fyne.CanvasObject
	// shown is called each time the screen comes to the front.
	shown()
}

// actionHandler is a page that handles screen-specific actions (find, add).
type actionHandler interface {
	handle(Action) bool
}

// App is the counter app's window and its screens.
type App struct {
	Win   fyne.Window
	Books Books
	opt   Options
	work  *worker
	Biz   books.Business

	pages   map[Action]page
	order   []Action
	current Action
	nav     map[Action]*widget.Button
	body    *fyne.Container
	status  *widget.Label
	// statusAct is the button beside a status message that says where to
	// put it right (hidden when there is none).
	statusAct *widget.Button
	tip       *widget.Label
	dialogs   []*modal

	Billing  *BillingScreen
	Invoices *InvoicesScreen
	Products *ProductsScreen
	Parties  *PartiesScreen
	Expenses *ExpensesScreen
	Today    *TodayScreen
	Settings *SettingsScreen
	Help     *HelpScreen
	Assist   *AssistantScreen
	Wizard   *Wizard

	AboutRestart *widget.Button // the About dialog's restart-to-update button (nil until shown)

	// Staff (staff.go): the sign-in that covers the window while the
	// counter is locked, and what it covers.
	Lockscreen  *LockScreen
	locked      bool
	lastActive  atomic.Int64 // UnixNano of the last key
	mainContent fyne.CanvasObject
	navRows     map[Action]*fyne.Container
	who         *widget.Label

	lastFailed error // the error last reported (usage.go)
}

// New makes the app in window w over the books b. Call Start to show it.
func New(w fyne.Window, b Books, opt Options) *App {
	if opt.Do == nil {
		opt.Do = fyne.Do
	}
	if opt.Printer == nil {
		opt.Printer = NoPrinter{}
	}
	a := &App{Win: w, Books: b, opt: opt, work: newWorker()}
	if opt.WhatsApp != nil {
		a.opt.WhatsApp = usedWhatsApp{opt.WhatsApp, a.used}
	}
	return a
}

// Start shows the first-run wizard for new books, else the billing screen.
func (a *App) Start() {
	a.Win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) { a.keyHook(nil, k) })
	biz, err := a.Books.Business()
	if err != nil {
		a.Wizard = newWizard(a, func(b books.Business) {
			a.Biz = b
			a.buildMain()
		})
		a.Win.SetMainMenu(nil)
		a.Win.SetContent(a.Wizard)
		a.Wizard.focus()
		return
	}
	a.Biz = biz
	a.buildMain()
}

func (a *App) buildMain() {
	a.Billing = newBillingScreen(a)
	a.Invoices = newInvoicesScreen(a)
	a.Products = newProductsScreen(a)
	a.Parties = newPartiesScreen(a)
	a.Expenses = newExpensesScreen(a)
	a.Today = newTodayScreen(a)
	a.Settings = newSettingsScreen(a)
	a.Help = newHelpScreen(a)
	a.Assist = newAssistantScreen(a)
	var reports page = newPlaceholder(L("Reports"), L("GST returns, sales and stock reports appear here."))
	if a.opt.Reports != nil {
		reports = newWrapped(a.opt.Reports(a.Win))
	}
	a.pages = map[Action]page{
		ActBilling: a.Billing, ActInvoices: a.Invoices, ActProducts: a.Products, ActParties: a.Parties,
		ActExpenses: a.Expenses, ActToday: a.Today, ActReports: reports, ActSettings: a.Settings, ActHelp: a.Help,
		ActAssistant: a.Assist,
	}
	a.order = []Action{ActBilling, ActInvoices, ActProducts, ActParties, ActExpenses, ActToday, ActReports, ActSettings, ActHelp, ActAssistant}
	a.nav = map[Action]*widget.Button{}
	a.navRows = map[Action]*fyne.Container{}
	navBox := container.NewVBox()
	for _, act := range a.order {
		act := act
		s := ShortcutFor(act)
		b := widget.NewButton(L(s.Label), func() { a.Run(act) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		a.nav[act] = b
		key := widget.NewLabel(s.KeyText())
		key.Importance = widget.LowImportance
		key.SizeName = theme.SizeNameCaptionText
		row := container.NewBorder(nil, nil, nil, key, b)
		a.navRows[act] = row
		navBox.Add(row)
	}
	a.status = widget.NewLabel("")
	a.status.Truncation = fyne.TextTruncateEllipsis
	a.tip = widget.NewLabel("")
	a.tip.Importance = widget.HighImportance
	ShowTip = func(t string) { setText(a.tip, t) }
	who := widget.NewLabel(a.whoText())
	who.Importance = widget.LowImportance
	a.who = who
	a.body = container.NewStack()
	side := container.NewBorder(nil, nil, nil, widget.NewSeparator(), container.NewVScroll(navBox))
	a.statusAct = widget.NewButton("", nil)
	a.statusAct.Importance = widget.HighImportance
	a.statusAct.Hide()
	bottom := container.NewBorder(widget.NewSeparator(), nil, nil, container.NewHBox(a.tip, who),
		container.NewBorder(nil, nil, nil, a.statusAct, a.status))
	a.mainContent = container.NewBorder(nil, bottom, side, nil, a.body)
	a.Win.SetContent(a.mainContent)
	a.Win.SetMainMenu(a.menu())
	a.touch()
	if a.hasStaff() {
		a.Lock() // books with staff: someone signs in first
	} else {
		a.Run(ActBilling)
	}
	if a.opt.Ready != nil {
		a.opt.Ready()
	}
}

// menu builds the main menu from Shortcuts: every action, with its key.
func (a *App) menu() *fyne.MainMenu {
	items := map[string][]*fyne.MenuItem{}
	for _, s := range Shortcuts {
		s := s
		if !a.Allowed(s.Action) || s.Action == ActSwitchUser && !a.hasStaff() {
			continue // not for this member's role (staff.go)
		}
		it := fyne.NewMenuItem(L(s.Label), func() { a.Press(s.Action) })
		it.Shortcut = s.Fyne()
		items[s.Menu] = append(items[s.Menu], it)
	}
	return fyne.NewMainMenu(
		fyne.NewMenu(L("Bill"), items["bill"]...),
		fyne.NewMenu(L("Edit"), items["edit"]...),
		fyne.NewMenu(L("Go"), items["go"]...),
	)
}

// Press is where every key of Shortcuts lands (the main menu runs
// them before the focused box can take them). A key acts on what has the
// focus: while a dialog or any other pop-up is open the keyboard belongs to
// it, so Ctrl+S submits a form and every other key does nothing; nothing
// reaches the screen behind a modal.
func (a *App) Press(act Action) {
	a.touch()
	if act == ActSwitchUser {
		a.Lock()
		return
	}
	if a.Win.Canvas().Overlays().Top() != nil {
		if m := a.topModal(); m != nil && act == ActSaveBill && m.submit != nil {
			m.submit()
		}
		return
	}
	a.Run(act)
}

// Run performs an action, as its key or menu item does.
func (a *App) Run(act Action) {
	if a.pages == nil || a.locked {
		return
	}
	if !a.Allowed(act) {
		a.refuse(act) // the permission table keeps it from this role
		return
	}
	if p, ok := a.pages[act]; ok {
		a.closeDialogs()
		a.show(act, p)
		return
	}
	switch act {
	case ActSaveBill, ActHoldBill, ActDeleteLine:
		// These change the bill, so they act only where the bill is in
		// front; another screen may give the key a meaning of its own.
		if a.current == ActBilling {
			a.Billing.handle(act)
			return
		}
		if h, ok := a.pages[a.current].(actionHandler); ok && h.handle(act) {
			return
		}
		a.Say(L("%s works on the Billing screen (%s)."), Hint(act), ShortcutFor(ActBilling).KeyText())
		return
	case ActWhatsAppLast:
		a.sendLastOnWhatsApp()
		return
	case ActCopyAnswer, ActOpenDraft:
		if a.current != ActAssistant {
			a.Say(L("%s works in the AI assistant (%s)."), Hint(act), ShortcutFor(ActAssistant).KeyText())
			return
		}
	case ActNewBill, ActRecallBill, ActLastBill, ActCustomer, ActPayment, ActItemBox:
		if a.current != ActBilling {
			a.closeDialogs()
			a.show(ActBilling, a.Billing)
		}
		a.Billing.handle(act)
		return
	}
	if h, ok := a.pages[a.current].(actionHandler); ok {
		h.handle(act)
	}
}

func (a *App) show(act Action, p page) {
	if act != a.current {
		// A message belongs to the screen it was said on.
		a.Say("")
	}
	for k, b := range a.nav {
		if k == act {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.LowImportance
		}
		b.Refresh()
	}
	a.current = act
	a.body.Objects = []fyne.CanvasObject{p}
	a.body.Refresh()
	p.shown()
}

// Current is the action of the screen in front.
func (a *App) Current() Action { return a.current }

// keyHook sees keys before the focused box e (nil: no box has the focus):
// Esc closes the top dialog; Enter in a box of a form that gives Enter no
// meaning of its own submits the form.
func (a *App) keyHook(e *Entry, k *fyne.KeyEvent) bool {
	a.touch()
	if k.Name == fyne.KeyEscape && len(a.dialogs) > 0 {
		if m := a.topModal(); m != nil {
			m.d.Hide()
			return true
		}
		return false // another pop-up is on top: it closes itself
	}
	if k.Name == fyne.KeyEscape && a.current == ActAssistant && a.Assist != nil && len(a.dialogs) == 0 && a.Assist.Stop() {
		return true // Esc stops the answer being written
	}
	if k.Name == fyne.KeyEscape && a.current == ActBilling && a.Billing != nil && len(a.dialogs) == 0 && !a.locked {
		a.Billing.focusItemBox()
		return true
	}
	if (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && e != nil && e.OnSubmitted == nil && !e.MultiLine {
		if m := a.topModal(); m != nil && m.submit != nil {
			m.submit()
			return true
		}
	}
	return false
}

// modal is an open dialog. It owns the keyboard while it is on top.
type modal struct {
	d       dialog.Dialog
	overlay fyne.CanvasObject // the canvas overlay that shows it
	submit  func()            // what Ctrl+S and Enter do; nil: nothing
}

// topModal is the dialog on top of the window, if it is one of the app's
// (nil when another pop-up, such as an open list or a file chooser, is on
// top of it).
func (a *App) topModal() *modal {
	if len(a.dialogs) == 0 {
		return nil
	}
	m := a.dialogs[len(a.dialogs)-1]
	if top := a.Win.Canvas().Overlays().Top(); top == nil || top != m.overlay {
		return nil
	}
	return m
}

// openDialog shows d and tracks it so Esc can close it.
func (a *App) openDialog(d dialog.Dialog) { a.openModal(d, nil) }

// openModal shows d; submit is what Ctrl+S and Enter do in it.
func (a *App) openModal(d dialog.Dialog, submit func()) {
	m := &modal{d: d, submit: submit}
	a.dialogs = append(a.dialogs, m)
	d.SetOnClosed(func() {
		for i := len(a.dialogs) - 1; i >= 0; i-- {
			if a.dialogs[i] == m {
				a.dialogs = append(a.dialogs[:i], a.dialogs[i+1:]...)
				break
			}
		}
		if len(a.dialogs) == 0 && a.current == ActBilling && a.Billing != nil {
			a.Billing.focusItemBox()
		}
	})
	d.Show()
	m.overlay = a.Win.Canvas().Overlays().Top()
}

func (a *App) closeDialogs() {
	for len(a.dialogs) > 0 {
		a.dialogs[len(a.dialogs)-1].d.Hide()
	}
}

// DialogOpen reports whether a dialog is showing.
func (a *App) DialogOpen() bool { return len(a.dialogs) > 0 }

// entry makes a text box wired to the app's keys.
func (a *App) entry(placeholder string) *Entry {
	e := NewEntry(a.keyHook)
	e.SetPlaceHolder(placeholder)
	return e
}

// background runs slow work off the UI goroutine and then done on it.
func (a *App) background(work func() error, done func(error)) {
	a.work.run(func() {
		err := a.safely(work)
		a.opt.Do(func() {
			a.failed(err)
			done(err)
		})
	})
}

// Say shows a message in the status bar.
func (a *App) Say(format string, args ...any) {
	if a.status != nil {
		a.status.SetText(fmt.Sprintf(format, args...))
		a.statusAct.Hide()
	}
}

// sayWithAction shows a message in the status bar with a button beside it
// that leads to where it is put right.
func (a *App) sayWithAction(msg, label string, act func()) {
	if a.status == nil {
		return
	}
	a.status.SetText(msg)
	a.statusAct.SetText(label)
	a.statusAct.OnTapped = act
	a.statusAct.Show()
}

// Status is the status bar's text.
func (a *App) Status() string {
	if a.status == nil {
		return ""
	}
	return a.status.Text
}

// StatusAction is the label of the button beside the status message ("" when none).
func (a *App) StatusAction() string {
	if a.statusAct == nil || !a.statusAct.Visible() {
		return ""
	}
	return a.statusAct.Text
}

// showError tells the shopkeeper what went wrong, in plain words; a
// printer problem says where in Settings it is put right, with a button.
func (a *App) showError(err error) {
	if err == nil {
		return
	}
	if books.ErrorCode(err) == books.EINTERNAL {
		slog.Error("ui", "err", err)
	}
	a.failed(err)
	a.Say("%s", Message(err))
	if printing.IsSetupError(err) {
		var d dialog.Dialog
		open := widget.NewButtonWithIcon(L("Open printer settings"), theme.SettingsIcon(), func() {
			d.Hide()
			a.openPrinterSettings()
		})
		open.Importance = widget.HighImportance
		d = dialog.NewCustom(L("Problem"), L("Close (Esc)"), container.NewVBox(wrapLabel(Message(err)), open), a.Win)
		d.Resize(fyne.NewSize(560, 220))
		a.openDialog(d)
		return
	}
	d := dialog.NewInformation(L("Problem"), Message(err), a.Win)
	a.openDialog(d)
}

// openPrinterSettings shows Settings with the focus on this counter's printer.
func (a *App) openPrinterSettings() {
	a.Run(ActSettings)
	if a.Settings != nil {
		a.focus(a.Settings.Printer)
	}
}

// Message is the plain-words message of err.
func Message(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, ErrNoPrinter) {
		return L("Printing is not set up yet on this computer; the bill is saved and can be printed later from Invoices.")
	}
	if printing.IsSetupError(err) {
		return books.ErrorMessage(err) + " " + L("Choose the printer in Settings (Alt+8) → This counter → Printer.")
	}
	if msg, ok := staffMessage(err); ok {
		return msg
	}
	return books.ErrorMessage(err)
}

// placeholder is a screen with only a title and a note.
type placeholder struct {
	screenBase
}

func newPlaceholder(title, note string) *placeholder {
	n := widget.NewLabel(note)
	n.Wrapping = fyne.TextWrapWord
	p := &placeholder{}
	p.content = container.NewVBox(heading(title), n, layout.NewSpacer())
	p.ExtendBaseWidget(p)
	return p
}

func (*placeholder) shown() {}

// wrapped lets any canvas object be a page (the Reports slot).
// It must be a widget itself: a struct that only embeds the object would
// hide the object's widget type from the driver, which would draw nothing.
type wrapped struct {
	widget.BaseWidget
	obj fyne.CanvasObject
}

func newWrapped(o fyne.CanvasObject) *wrapped {
	w := &wrapped{obj: o}
	w.ExtendBaseWidget(w)
	return w
}

// CreateRenderer implements fyne.Widget.
func (w *wrapped) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(w.obj) }

func (*wrapped) shown() {}

// formDlg is an open form. Ctrl+S, Enter in its boxes and its OK button
// submit it; while its saving runs, further submits are ignored, so a
// second Ctrl+S never saves twice.
type formDlg struct {
	*dialog.CustomDialog
	a    *App
	ok   func() bool
	btn  *widget.Button
	busy bool
}

// formDialog shows body with a close and an OK button. ok runs on submit;
// it returns true to close the form at once, or false to keep it open (a
// form that saves in the background calls run and hides itself when the
// books accept it). Esc or Close closes it without doing anything.
func (a *App) formDialog(title, okLabel string, body fyne.CanvasObject, size fyne.Size, ok func() bool) *formDlg {
	f := &formDlg{a: a, ok: ok}
	f.btn = widget.NewButtonWithIcon(okLabel+" (Ctrl+S)", theme.ConfirmIcon(), f.Submit)
	f.btn.Importance = widget.HighImportance
	f.CustomDialog = dialog.NewCustomWithoutButtons(title, body, a.Win)
	cancel := widget.NewButtonWithIcon(L("Close (Esc)"), theme.CancelIcon(), f.Hide)
	f.SetButtons([]fyne.CanvasObject{cancel, f.btn})
	f.Resize(size)
	a.openModal(f.CustomDialog, f.Submit)
	return f
}

// Submit submits the form, as Ctrl+S does.
func (f *formDlg) Submit() {
	if f.busy {
		return
	}
	if f.ok() {
		f.Hide()
	}
}

// run does a form's saving off the UI goroutine, then done on it. Until
// done has run the form takes no second submit.
func (f *formDlg) run(work func() error, done func(error)) {
	f.busy = true
	f.btn.Disable()
	f.a.background(work, func(err error) {
		f.busy = false
		f.btn.Enable()
		done(err)
	})
}

// focus moves the keyboard focus to f. Widgets are rendered lazily (at the
// first frame), so the tree it sits in is measured first; that creates
// their renderers and lets the canvas find f.
func (a *App) focus(f fyne.Focusable) {
	c := a.Win.Canvas()
	if top := c.Overlays().Top(); top != nil {
		top.MinSize()
	} else if content := c.Content(); content != nil {
		content.MinSize()
	}
	c.Focus(f)
}
