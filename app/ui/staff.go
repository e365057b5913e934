package ui

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
)

// StaffBooks is what sign-in, the lock, the manager's override and the
// Staff screen need of the books; *store.Store has it all. Books without
// it (or without staff) have one user who may do everything.
type StaffBooks interface {
	HasStaff(ctx context.Context) (bool, error)
	Actor() store.Actor
	Can(a staff.Action) bool
	SignIn(ctx context.Context, key, pin string) (store.Actor, error)
	SignOut()
	StaffList(ctx context.Context) ([]staff.Member, error)
	AddStaff(ctx context.Context, in store.StaffInput) (staff.Member, error)
	ChangeStaff(ctx context.Context, key string, in store.StaffInput) (staff.Member, error)
	RemoveStaff(ctx context.Context, key string) error
	Approve(ctx context.Context, approver, pin, detail string, actions ...staff.Action) (context.Context, error)
	NeedsApproval(ctx context.Context, d *books.SaleDraft) ([]staff.Action, error)
	Overrides(ctx context.Context, limit int) ([]staff.Override, error)
	Collections(ctx context.Context, date time.Time, staffID string) ([]store.Collection, error)
}

var _ StaffBooks = (*store.Store)(nil)

// actionNeeds maps the app's keys and screens to the permission table
// (app/staff): a key, menu item or screen whose action the signed-in
// member's role may not do is hidden and does nothing. Screens never
// compare roles themselves.
var actionNeeds = map[Action]staff.Action{
	ActNewBill: staff.Bill, ActSaveBill: staff.Bill, ActHoldBill: staff.Bill, ActRecallBill: staff.Bill,
	ActDeleteLine: staff.Bill, ActItemBox: staff.Bill, ActCustomer: staff.Bill, ActPayment: staff.TakePayment,
	ActLastBill: staff.ViewInvoices, ActWhatsAppLast: staff.SendBill,

	ActBilling: staff.Bill, ActInvoices: staff.ViewInvoices, ActProducts: staff.EditProducts,
	ActParties: staff.EditParties, ActExpenses: staff.Purchases, ActToday: staff.TodayOwn,
	ActReports: staff.Reports, ActSettings: staff.Settings,
	ActAssistant: staff.AskAI, ActCopyAnswer: staff.AskAI, ActOpenDraft: staff.AskAI,
}

// Needs is the permission-table action that act's key, menu item or
// screen needs (false: open to everyone signed in).
func Needs(act Action) (staff.Action, bool) {
	need, ok := actionNeeds[act]
	return need, ok
}

// staffBooks is the books' staff side (nil: books without it).
func (a *App) staffBooks() StaffBooks {
	sb, _ := a.Books.(StaffBooks)
	return sb
}

// Can reports whether the signed-in member may do a (always, in books
// without staff).
func (a *App) Can(act staff.Action) bool {
	sb := a.staffBooks()
	return sb == nil || sb.Can(act)
}

// Allowed reports whether the app's action act is open to the signed-in
// member (keys, menu items and screens ask it).
func (a *App) Allowed(act Action) bool {
	need, ok := actionNeeds[act]
	return !ok || a.Can(need)
}

// refuse says why an action is closed to the signed-in member.
func (a *App) refuse(act Action) {
	sb := a.staffBooks()
	who := sb.Actor()
	a.Say("%s", deniedText(&staff.Denied{Role: who.Role, Action: actionNeeds[act], Name: who.Name}))
}

// hasStaff reports whether the books have staff (then someone must sign in).
func (a *App) hasStaff() bool {
	sb := a.staffBooks()
	if sb == nil {
		return false
	}
	has, err := sb.HasStaff(context.Background())
	return err == nil && has
}

// applyRole shows the signed-in member only the screens, menu items and
// keys their role may reach.
func (a *App) applyRole() {
	for act, b := range a.nav {
		if a.Allowed(act) {
			b.Show()
		} else {
			b.Hide()
		}
		if row := a.navRows[act]; row != nil {
			if a.Allowed(act) {
				row.Show()
			} else {
				row.Hide()
			}
		}
	}
	a.Win.SetMainMenu(a.menu())
	if a.who != nil {
		a.who.SetText(a.whoText())
	}
}

func (a *App) whoText() string {
	t := a.Biz.Name + " · " + L("series") + " " + a.Books.Series()
	if sb := a.staffBooks(); sb != nil {
		if who := sb.Actor(); who.SignedIn() {
			t = who.Name + " (" + L(who.Role.Label()) + ") · " + t
		}
	}
	return t
}

// ---- sign-in, switch user, auto-lock ----

// LockScreen is the shared counter's sign-in: a staff member picks their
// name and types their PIN. Nothing of the books shows behind it. It works
// from the keyboard alone: the name list has the focus; a letter picks the
// next name starting with it, Up and Down move, Enter (or a digit of the
// PIN) goes to the PIN box, and Enter there signs in.
type LockScreen struct {
	screenBase
	a     *App
	Who   *WhoSelect
	PIN   *Entry
	Msg   *widget.Label
	ids   []string
	title *widget.Label
}

// WhoSelect is the lock screen's list of names, made for the keyboard (a
// plain Select only opens its pop-up on a key).
type WhoSelect struct {
	widget.Select
	next  func()     // Enter: on to the PIN
	digit func(rune) // a digit: on to the PIN, typed there
	keyed bool       // the change came from a key, not the pop-up
	hook  func(*fyne.KeyEvent) bool
}

// newWhoSelect makes the list; picked runs when a name is chosen in the
// pop-up. The app's key hook sees its keys first (Esc closes a dialog).
func (a *App) newWhoSelect(picked func()) *WhoSelect {
	w := &WhoSelect{hook: func(k *fyne.KeyEvent) bool { return a.keyHook(nil, k) }}
	w.OnChanged = func(string) {
		if !w.keyed {
			picked() // chosen in the pop-up with the mouse
		}
	}
	w.ExtendBaseWidget(w)
	return w
}

func (w *WhoSelect) pick(i int) {
	w.keyed = true
	defer func() { w.keyed = false }()
	w.SetSelectedIndex(i)
}

// TypedKey: Up and Down move through the names, Enter goes on to the PIN;
// Space opens the list.
func (w *WhoSelect) TypedKey(k *fyne.KeyEvent) {
	if w.hook != nil && w.hook(k) {
		return
	}
	n := len(w.Options)
	switch k.Name {
	case fyne.KeyDown, fyne.KeyRight:
		if n > 0 {
			w.pick((w.SelectedIndex() + 1) % n)
		}
	case fyne.KeyUp, fyne.KeyLeft:
		if n > 0 {
			i := w.SelectedIndex() - 1
			if i < 0 {
				i = n - 1
			}
			w.pick(i)
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if w.next != nil {
			w.next()
		}
	default:
		w.Select.TypedKey(k)
	}
}

// TypedRune: a letter picks the next name that starts with it; a digit
// starts the PIN.
func (w *WhoSelect) TypedRune(r rune) {
	if w.hook != nil {
		w.hook(&fyne.KeyEvent{}) // activity for the idle lock
	}
	if r >= '0' && r <= '9' {
		if w.digit != nil {
			w.digit(r)
		}
		return
	}
	n := len(w.Options)
	for step := 1; step <= n; step++ {
		i := (w.SelectedIndex() + step) % n
		if i < 0 {
			i += n
		}
		if first, _ := utf8.DecodeRuneInString(w.Options[i]); unicode.ToLower(first) == unicode.ToLower(r) {
			w.pick(i)
			return
		}
	}
}

func newLockScreen(a *App) *LockScreen {
	l := &LockScreen{a: a}
	l.Who = a.newWhoSelect(func() { a.focus(l.PIN) })
	l.PIN = a.entry(L("PIN"))
	l.PIN.Password = true
	l.PIN.OnSubmitted = func(string) { l.Submit() }
	l.Who.next = func() {
		if l.Who.SelectedIndex() < 0 {
			setError(l.Msg, L("Pick your name first."))
			return
		}
		a.focus(l.PIN)
	}
	l.Who.digit = func(r rune) {
		if l.Who.SelectedIndex() < 0 {
			setError(l.Msg, L("Pick your name first."))
			return
		}
		a.focus(l.PIN)
		l.PIN.TypedRune(r)
	}
	l.Msg = errorText()
	l.title = heading("")
	btn := widget.NewButtonWithIcon(L("Sign in"), theme.LoginIcon(), l.Submit)
	btn.Importance = widget.HighImportance
	form := widget.NewForm(widget.NewFormItem(L("Who are you?"), l.Who), widget.NewFormItem(L("PIN"), l.PIN))
	box := container.NewVBox(l.title, wrapLabel(L("This counter is locked. Pick your name and type your PIN.")), form, l.Msg, btn,
		lowLabel(L("Keys: the first letter of your name (again for the next), Up and Down, Enter; then your PIN and Enter.")))
	l.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(480, 340), box))
	l.ExtendBaseWidget(l)
	return l
}

// lowLabel is a quiet, wrapped line of help.
func lowLabel(t string) *widget.Label {
	l := wrapLabel(t)
	l.Importance = widget.LowImportance
	return l
}

// reload lists the staff (the synced table: members added on another
// counter appear after a sync).
func (l *LockScreen) reload() {
	l.title.SetText(l.a.Biz.Name)
	list, err := l.a.staffBooks().StaffList(context.Background())
	if err != nil {
		setError(l.Msg, Message(err))
		return
	}
	var names []string
	l.ids = l.ids[:0]
	for _, m := range list {
		names = append(names, m.Name+" ("+L(m.Role.Label())+")")
		l.ids = append(l.ids, m.ID)
	}
	l.Who.Options = names
	l.Who.ClearSelected()
	l.Who.Refresh()
	l.PIN.SetText("")
}

// Choose selects a member by name (tests, and a typed first letter).
func (l *LockScreen) Choose(name string) {
	for i, o := range l.Who.Options {
		if strings.HasPrefix(strings.ToLower(o), strings.ToLower(name)+" (") {
			l.Who.SetSelectedIndex(i)
			return
		}
	}
}

// Submit checks the PIN and unlocks the counter for the member.
func (l *LockScreen) Submit() {
	i := l.Who.SelectedIndex()
	if i < 0 || i >= len(l.ids) {
		setError(l.Msg, L("Pick your name first."))
		l.a.focus(l.Who)
		return
	}
	id, pin := l.ids[i], l.PIN.Text
	l.PIN.SetText("")
	setError(l.Msg, "")
	var who store.Actor
	l.a.background(func() error {
		var err error
		who, err = l.a.staffBooks().SignIn(context.Background(), id, pin)
		return err
	}, func(err error) {
		if err != nil {
			setError(l.Msg, Message(err))
			l.a.focus(l.PIN)
			return
		}
		setError(l.Msg, "")
		if l.a.opt.StaffSignedIn != nil {
			l.a.opt.StaffSignedIn(who.ID, pin)
		}
		l.a.unlock(who)
	})
}

func (*LockScreen) shown() {}

// Locked reports whether the counter shows the sign-in.
func (a *App) Locked() bool { return a.locked }

// Lock signs the member out and shows the sign-in (Switch user, the idle
// lock, and the start of books with staff). A bill being made stays as it
// is for whoever signs in next.
func (a *App) Lock() {
	sb := a.staffBooks()
	if sb == nil || a.mainContent == nil || !a.hasStaff() {
		return
	}
	a.closeDialogs()
	if sb.Actor().SignedIn() && a.opt.StaffSignedOut != nil {
		a.opt.StaffSignedOut()
	}
	sb.SignOut()
	a.locked = true
	if a.Lockscreen == nil {
		a.Lockscreen = newLockScreen(a)
	}
	a.Lockscreen.reload()
	a.Win.SetMainMenu(nil)
	a.Win.SetContent(a.Lockscreen)
	a.focus(a.Lockscreen.Who)
}

func (a *App) unlock(who store.Actor) {
	a.locked = false
	a.touch()
	a.Win.SetContent(a.mainContent)
	a.applyRole()
	next := a.current
	if next == "" || !a.Allowed(next) {
		next = ActBilling
	}
	a.current = ""
	a.Run(next)
	a.Say(L("Signed in as %s (%s)."), who.Name, L(who.Role.Label()))
}

// touch notes activity (a key, a mouse move, click or scroll): the idle
// lock counts from the last one.
func (a *App) touch() { a.lastActive.Store(time.Now().UnixNano()) }

// LastActive is when the last key, mouse move, click or scroll came.
func (a *App) LastActive() time.Time { return time.Unix(0, a.lastActive.Load()) }

// WatchInput makes the window's mouse moves, clicks and scrolls count as
// activity for the idle lock, as keys do (activity_glfw.go). Call it on the
// main thread once the window is shown; it reports whether it could (not
// in Fyne's test driver, where keys still count).
func (a *App) WatchInput() bool { return watchInput(a.Win, a.touch) }

// IdleLock is how long the counter waits without activity before it locks
// (Settings → Staff; default 5 minutes; 0 never).
func (a *App) IdleLock() time.Duration {
	v, _ := a.Books.Meta(metaIdleLock)
	if v == "" {
		return 5 * time.Minute
	}
	var m int
	fmt.Sscanf(v, "%d", &m)
	return time.Duration(m) * time.Minute
}

const metaIdleLock = "staff_idle_lock_minutes"

// LockIfIdle locks the counter when nothing (no key, no mouse) came for
// IdleLock by now.
func (a *App) LockIfIdle(now time.Time) bool {
	idle := a.IdleLock()
	if a.locked || idle <= 0 || !a.hasStaff() {
		return false
	}
	if now.Sub(time.Unix(0, a.lastActive.Load())) < idle {
		return false
	}
	a.Lock()
	return true
}

// idleLoop checks for the idle lock every 15 seconds (the real app).
func (a *App) idleLoop() {
	t := time.NewTicker(15 * time.Second)
	defer t.Stop()
	for range t.C {
		a.opt.Do(func() { a.LockIfIdle(time.Now()) })
	}
}

// ---- a manager's PIN on the spot ----

// ApprovalDialog asks a manager (or the owner) for their PIN to let the
// signed-in cashier do what their role may not alone. One dialog for all
// that a save needs; the books log the override with the save.
type ApprovalDialog struct {
	Who  *WhoSelect
	PIN  *Entry
	Msg  *widget.Label
	form *formDlg
	ids  []string
}

// lastApproval is the approval dialog opened last (for tests).
var lastApproval *ApprovalDialog

// approve opens the dialog; then runs with the approved context.
func (a *App) approve(actions []staff.Action, detail string, then func(ctx context.Context)) {
	sb := a.staffBooks()
	list, err := sb.StaffList(context.Background())
	if err != nil {
		a.showError(err)
		return
	}
	ad := &ApprovalDialog{Msg: errorText()}
	lastApproval = ad
	var names []string
	for _, m := range list {
		if staff.Allowed(m.Role, staff.ApproveOverride) {
			names = append(names, m.Name+" ("+L(m.Role.Label())+")")
			ad.ids = append(ad.ids, m.ID)
		}
	}
	ad.PIN = a.entry(L("PIN"))
	ad.PIN.Password = true
	// From the keyboard: a letter picks the manager, Enter or a digit goes
	// on to the PIN, as on the lock screen.
	ad.Who = a.newWhoSelect(func() { a.focus(ad.PIN) })
	ad.Who.Options = names
	ad.Who.next = func() { a.focus(ad.PIN) }
	ad.Who.digit = func(r rune) { a.focus(ad.PIN); ad.PIN.TypedRune(r) }
	if len(names) == 1 {
		ad.Who.SetSelectedIndex(0)
	}
	var what []string
	for _, act := range actions {
		what = append(what, L(act.Label()))
	}
	who := sb.Actor()
	body := container.NewVBox(
		wrapLabel(fmt.Sprintf(L("%s (%s) needs a manager's approval for: %s."), who.Name, L(who.Role.Label()), strings.Join(what, ", "))),
		widget.NewForm(widget.NewFormItem(L("Manager"), ad.Who), widget.NewFormItem(L("Manager's PIN"), ad.PIN)),
		ad.Msg)
	ad.form = a.formDialog(L("Manager's approval"), L("Approve"), body, fyne.NewSize(560, 300), func() bool {
		i := ad.Who.SelectedIndex()
		if i < 0 {
			setError(ad.Msg, L("Pick the manager who approves."))
			a.focus(ad.Who)
			return false
		}
		pin := ad.PIN.Text
		ad.PIN.SetText("")
		var actx context.Context
		ad.form.run(func() error {
			var err error
			actx, err = sb.Approve(context.Background(), ad.ids[i], pin, detail, actions...)
			return err
		}, func(err error) {
			if err != nil {
				setError(ad.Msg, Message(err))
				a.focus(ad.PIN)
				return
			}
			ad.form.Hide()
			then(actx)
		})
		return false
	})
	if ad.Who.SelectedIndex() < 0 {
		a.focus(ad.Who)
	} else {
		a.focus(ad.PIN)
	}
}

// Submit approves, as Ctrl+S does.
func (ad *ApprovalDialog) Submit() { ad.form.Submit() }

// approvalFor reports what a bill needs a manager's PIN for (nil: none).
func (a *App) approvalFor(d *books.SaleDraft) []staff.Action {
	sb := a.staffBooks()
	if sb == nil {
		return nil
	}
	needs, err := sb.NeedsApproval(context.Background(), d)
	if err != nil {
		return nil // the save itself will say what is wrong
	}
	return needs
}

// overridable returns the action of a refusal a manager can approve.
func overridable(err error) (staff.Action, bool) {
	act, ok := store.Denied(err)
	return act, ok && staff.Overridable(act)
}

// ---- made by, and collections per member ----

// madeBy is "Made by NAME" for a document made with staff ("" without).
func madeBy(m books.Maker) string {
	if m.MadeByName == "" {
		return ""
	}
	return fmt.Sprintf(L("Made by %s"), m.MadeByName)
}

// collectionsText sums the day's collections per staff member: everyone's
// for a role that may see them, else the signed-in member's own.
func (a *App) collectionsFor(date time.Time) (rows []store.Collection, own bool, err error) {
	sb := a.staffBooks()
	if sb == nil || !a.hasStaff() {
		return nil, false, nil
	}
	id := ""
	if !sb.Can(staff.ViewSecurityDetails) {
		id, own = sb.Actor().ID, true
		if id == "" {
			return nil, true, nil
		}
	}
	rows, err = sb.Collections(context.Background(), date, id)
	return rows, own, err
}

// staffCollections is the Today screen's "Collections by staff" part.
func staffCollectionItems(rows []store.Collection) []*widget.FormItem {
	byName := map[string]int64{}
	var names []string
	for _, c := range rows {
		n := c.StaffName
		if n == "" {
			n = L("before staff")
		}
		if _, ok := byName[n]; !ok {
			names = append(names, n)
		}
		byName[n] += c.In - c.Out
	}
	var out []*widget.FormItem
	for _, n := range names {
		l := widget.NewLabel(gst.FormatINR(byName[n]))
		l.Alignment = fyne.TextAlignTrailing
		out = append(out, widget.NewFormItem(n, l))
	}
	return out
}

// showByStaff fills the screen's collections by staff member. For a member
// who may see only their own (a cashier), the screen shows today's own
// collections and nothing of the shop's totals; it then returns true.
func (s *TodayScreen) showByStaff(rows []store.Collection, own bool) bool {
	s.ByStaff.Items = staffCollectionItems(rows)
	s.ByStaff.Refresh()
	if len(rows) > 0 || own {
		s.byTitle.Show()
	} else {
		s.byTitle.Hide()
	}
	if !own {
		s.Date.Enable()
		return false
	}
	who := s.a.staffBooks().Actor()
	s.Date.SetText(gst.FormatDay(s.a.Books.Now()))
	s.Date.Disable()
	var in, cash int64
	modes := map[string]int64{}
	for _, c := range rows {
		in += c.In - c.Out
		modes[c.Mode] += c.In - c.Out
		if c.Mode == books.ModeCash {
			cash += c.In - c.Out
		}
	}
	s.Day = store.DaySummary{}
	s.sales.set(gst.FormatINR(in))
	s.cash.set(gst.FormatINR(cash))
	s.summary.Items = nil
	s.summary.Refresh()
	s.why.SetText(fmt.Sprintf(L("Your own collections today, %s. The shop's totals are for a manager or the owner."), who.Name))
	s.modes.Items = nil
	for m, v := range modes {
		l := widget.NewLabel(gst.FormatINR(v))
		l.Alignment = fyne.TextAlignTrailing
		s.modes.Items = append(s.modes.Items, widget.NewFormItem(modeLabel(m), l))
	}
	s.modes.Refresh()
	s.lowRows = nil
	s.low.Refresh()
	return true
}

// NavShown reports whether the screen list shows act's screen.
func (a *App) NavShown(act Action) bool {
	row := a.navRows[act]
	return row != nil && row.Visible()
}

// Approval is the manager's approval dialog while it is open (nil else).
func (a *App) Approval() *ApprovalDialog {
	if lastApproval == nil || !a.DialogOpen() {
		return nil
	}
	return lastApproval
}

// StaffScreen is Settings → Staff and roles while it is open (nil else).
func (a *App) StaffScreen() *StaffScreen {
	if lastStaffScreen == nil || !a.DialogOpen() {
		return nil
	}
	return lastStaffScreen
}
