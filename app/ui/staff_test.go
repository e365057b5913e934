package ui_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/ui"
)

// staffBooks makes books with one product and the staff Meera (owner,
// 2580), Vikram (manager, 3690) and Ravi (cashier, 1470, 5% limit).
func staffBooks(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "books.db")
	s, err := store.Open(path, store.Options{Now: func() time.Time { return demo.Today }, PINParams: &staff.TestParams})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Init(books.Business{Name: "Sharma Stores", StateCode: "27", InvoicePrefix: "INV"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveProduct(books.Product{Name: "Sugar 1kg", SKU: "SUGAR", Unit: "NOS", SalePrice: 5000, PurchasePrice: 4000, GSTRate: 500, PriceIncludesTax: true, OpeningStock: 100000}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.AddStaff(ctx, store.StaffInput{Name: "Meera", Role: staff.Owner, PIN: "2580"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignIn(ctx, "Meera", "2580"); err != nil {
		t.Fatal(err)
	}
	for _, in := range []store.StaffInput{{Name: "Vikram", Role: staff.Manager, PIN: "3690"}, {Name: "Ravi", Role: staff.Cashier, PIN: "1470", DiscountLimitBP: -1}} {
		if _, err := s.AddStaff(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// signIn signs a member in on the lock screen, as a person types it.
func (h *harness) signIn(name, pin string) {
	h.t.Helper()
	l := h.App.Lockscreen
	if !h.App.Locked() || l == nil {
		h.t.Fatal("the counter is not locked")
	}
	l.Choose(name)
	h.typeInto(l.PIN, pin)
	h.key(fyne.KeyReturn)
	h.settle("sign-in", func() bool { return !h.App.Locked() || l.Msg.Text != "" })
}

func (h *harness) menuHas(label string) bool {
	mm := h.Win.MainMenu()
	if mm == nil {
		return false
	}
	for _, m := range mm.Items {
		for _, it := range m.Items {
			if it.Label == label {
				return true
			}
		}
	}
	return false
}

// TestCashierSeesOnlyWhatTheRoleMay: books with staff open locked; a
// cashier signed in does not see or reach what the permission table keeps
// from them (screens, menu items, keys); a discount above their limit and
// a cancel ask a manager's PIN, logged; Switch user and the idle lock lock
// the counter again.
func TestCashierSeesOnlyWhatTheRoleMay(t *testing.T) {
	h := newHarness(t, staffBooks(t))
	if !h.App.Locked() || h.Win.MainMenu() != nil {
		t.Fatal("books with staff do not open locked")
	}
	// A key does nothing while locked.
	h.App.Run(ui.ActReports)
	if h.App.Current() == ui.ActReports {
		t.Fatal("a screen opened behind the lock")
	}
	h.signIn("Ravi", "0000")
	if !h.App.Locked() || !strings.Contains(h.App.Lockscreen.Msg.Text, "Wrong PIN for Ravi") {
		t.Fatalf("a wrong PIN: locked %v, %q", h.App.Locked(), h.App.Lockscreen.Msg.Text)
	}
	h.signIn("Ravi", "1470")
	if h.App.Locked() || !strings.Contains(h.App.Status(), "Signed in as Ravi (Cashier)") {
		t.Fatalf("Ravi did not sign in: %q", h.App.Status())
	}

	// Screens: the cashier's list has billing, invoices, today and help only.
	for act, want := range map[ui.Action]bool{ui.ActBilling: true, ui.ActInvoices: true, ui.ActToday: true, ui.ActHelp: true,
		ui.ActProducts: false, ui.ActParties: false, ui.ActExpenses: false, ui.ActReports: false, ui.ActSettings: false} {
		if got := h.App.NavShown(act); got != want {
			t.Errorf("screen %s shown to the cashier: %v, want %v", act, got, want)
		}
	}
	// Menus and keys.
	for _, label := range []string{"Settings", "Reports", "Products and stock", "Parties", "Expenses"} {
		if h.menuHas(label) {
			t.Errorf("the cashier's menu has %q", label)
		}
	}
	if !h.menuHas("Switch user (lock the counter)") || !h.menuHas("Save bill") {
		t.Error("the cashier's menu lacks billing or Switch user")
	}
	for _, act := range []ui.Action{ui.ActSettings, ui.ActReports, ui.ActProducts, ui.ActExpenses} {
		h.press(act)
		if h.App.Current() != ui.ActBilling {
			t.Errorf("key of %s opened %s for the cashier", act, h.App.Current())
		}
		h.App.Run(act) // even a direct call is refused
		if h.App.Current() != ui.ActBilling || !strings.Contains(h.App.Status(), "Ravi (cashier) may not do this") {
			t.Errorf("Run(%s): %s, %q", act, h.App.Current(), h.App.Status())
		}
	}

	// A 10% discount is above Ravi's 5%: a manager approves with a PIN.
	b := h.App.Billing
	h.Win.Canvas().Focus(b.ItemBox)
	h.scan("SUGAR")
	h.settle("line", func() bool { return len(b.Bill.Lines) == 1 })
	if err := b.Bill.SetDiscount(0, "10%"); err != nil {
		t.Fatal(err)
	}
	h.press(ui.ActSaveBill)
	h.settle("approval asked", func() bool { return h.App.Approval() != nil })
	if h.invoices() != 0 || len(b.Bill.Lines) != 1 {
		t.Fatal("saved before the approval, or the bill left the counter")
	}
	// From the keyboard: the approver's first letter, Enter, the PIN, Enter.
	ad := h.App.Approval()
	if h.Win.Canvas().Focused() != ad.Who {
		t.Fatalf("the approval's keyboard is on %T", h.Win.Canvas().Focused())
	}
	h.Win.Canvas().Focused().TypedRune('v') // Meera (Owner), Vikram (Manager)
	if !strings.HasPrefix(ad.Who.Selected, "Vikram") {
		t.Fatalf("approvers: %v, picked %q", ad.Who.Options, ad.Who.Selected)
	}
	h.key(fyne.KeyReturn)
	if h.Win.Canvas().Focused() != ad.PIN {
		t.Fatalf("Enter on the approver: focus on %T", h.Win.Canvas().Focused())
	}
	test.Type(ad.PIN, "9999")
	h.key(fyne.KeyReturn)
	h.settle("wrong manager PIN", func() bool { return ad.Msg.Text != "" })
	if !strings.Contains(ad.Msg.Text, "Wrong PIN for Vikram") {
		t.Errorf("wrong approver PIN: %q", ad.Msg.Text)
	}
	h.typeInto(ad.PIN, "3690")
	h.press(ui.ActSaveBill) // Ctrl+S submits the dialog, not the bill behind it
	h.settle("saved", func() bool { return !b.Saving() && b.LastInvoice() != "" })
	num := b.LastInvoice()
	inv, _, err := h.Books.Invoice(num)
	if err != nil || inv.MadeByName != "Ravi" {
		t.Fatalf("invoice %s made by %q (%v)", num, inv.MadeByName, err)
	}
	log, _ := h.Books.Overrides(context.Background(), 10)
	if len(log) != 1 || log[0].ApproverName != "Vikram" || log[0].Action != staff.DiscountOverLimit {
		t.Fatalf("override log %+v", log)
	}

	// The invoice shows who made it; the cashier has no Return button, and
	// cancelling asks a manager's PIN.
	h.press(ui.ActLastBill)
	h.settle("invoice open", func() bool { return h.App.DialogOpen() })
	var texts []string
	walk(h.Win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if lb, ok := o.(*widget.Label); ok {
			texts = append(texts, lb.Text)
		}
	})
	if !strings.Contains(strings.Join(texts, "\n"), "Made by Ravi") {
		t.Errorf("the invoice does not say who made it: %q", texts)
	}
	if ret := h.button("Return"); ret.Visible() {
		t.Error("the cashier sees Return")
	}
	test.Tap(h.button("Cancel invoice"))
	h.settle("reason asked", func() bool { return h.App.DialogOpen() })
	f := h.dialogEntry(0)
	h.Win.Canvas().Focus(f)
	test.Type(f, "customer changed mind")
	h.key(fyne.KeyReturn)
	h.settle("approval asked", func() bool { return h.App.Approval() != nil && h.App.Approval() != ad })
	ad2 := h.App.Approval()
	ad2.Who.SetSelectedIndex(0) // the owner may approve too
	h.typeInto(ad2.PIN, "2580")
	ad2.Submit()
	h.settle("cancelled", func() bool { _, c, _ := h.Books.Invoice(num); return c })
	if log, _ := h.Books.Overrides(context.Background(), 10); len(log) != 2 || log[0].Action != staff.CancelBill || log[0].ApproverName != "Meera" {
		t.Errorf("cancel override %+v", log)
	}

	// Today shows the cashier's own collections only.
	h.Win.Canvas().Focus(b.ItemBox)
	h.scan("SUGAR")
	h.settle("line", func() bool { return len(b.Bill.Lines) == 1 })
	h.press(ui.ActSaveBill)
	h.settle("saved", func() bool { return !b.Saving() && b.LastInvoice() != num })
	h.press(ui.ActToday)
	h.settle("today", func() bool { return h.App.Current() == ui.ActToday && len(h.App.Today.ByStaff.Items) > 0 })
	if len(h.App.Today.ByStaff.Items) != 1 || h.App.Today.ByStaff.Items[0].Text != "Ravi" || !h.App.Today.Date.Disabled() ||
		h.App.Today.ByStaff.Items[0].Widget.(*widget.Label).Text != "₹50.00" {
		t.Errorf("the cashier's Today: %d rows", len(h.App.Today.ByStaff.Items))
	}

	// Switch user locks; the owner sees everything.
	h.press(ui.ActSwitchUser)
	if !h.App.Locked() || h.Win.MainMenu() != nil {
		t.Fatal("Switch user did not lock the counter")
	}
	h.signIn("Meera", "2580")
	for _, act := range []ui.Action{ui.ActProducts, ui.ActReports, ui.ActSettings, ui.ActExpenses} {
		if !h.App.NavShown(act) {
			t.Errorf("the owner lacks %s", act)
		}
	}
	h.press(ui.ActSettings)
	if h.App.Current() != ui.ActSettings {
		t.Fatal("the owner cannot open Settings")
	}

	// The idle lock.
	if h.App.LockIfIdle(time.Now().Add(time.Minute)) {
		t.Fatal("locked after a minute")
	}
	if !h.App.LockIfIdle(time.Now().Add(h.App.IdleLock()+time.Second)) || !h.App.Locked() {
		t.Fatal("not locked after the idle time")
	}
}

// TestStaffScreen: the owner adds a cashier from Settings → Staff and
// roles, which shows the permission table; the new cashier signs in.
func TestStaffScreen(t *testing.T) {
	h := newHarness(t, staffBooks(t))
	h.signIn("Meera", "2580")
	h.press(ui.ActSettings)
	test.Tap(h.screenButton("Staff and roles"))
	h.settle("staff screen", func() bool { ss := h.App.StaffScreen(); return ss != nil && len(ss.Members) == 3 })
	ss := h.App.StaffScreen()
	h.typeInto(ss.Name, "Sita")
	ss.Role.SetSelectedIndex(2)
	h.typeInto(ss.PIN, "2468")
	h.typeInto(ss.Limit, "2.5")
	h.press(ui.ActSaveBill) // Ctrl+S adds
	h.settle("added", func() bool { return len(ss.Members) == 4 })
	m, err := h.Books.FindStaff(context.Background(), "Sita")
	if err != nil || m.Role != staff.Cashier || m.DiscountLimitBP != 250 {
		t.Fatalf("Sita: %+v %v", m, err)
	}
	// Tap Ravi in the list, make him a manager.
	var ravi *widget.Button
	walk(h.Win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && strings.HasPrefix(b.Text, "Ravi · Cashier") {
			ravi = b
		}
	})
	if ravi == nil {
		t.Fatal("Ravi is not in the staff list")
	}
	test.Tap(ravi)
	if ss.Name.Text != "Ravi" || ss.Role.Selected != "Cashier" {
		t.Fatalf("picked %q %q", ss.Name.Text, ss.Role.Selected)
	}
	ss.Role.SetSelectedIndex(1)
	test.Tap(h.button("Save changes"))
	h.settle("changed", func() bool { m, _ := h.Books.FindStaff(context.Background(), "Ravi"); return m.Role == staff.Manager })
	var texts []string
	walk(h.Win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if lb, ok := o.(*widget.Label); ok {
			texts = append(texts, lb.Text)
		}
	})
	all := strings.Join(texts, "|")
	for _, want := range []string{"Who may do what", "Cancel a bill", "manager's PIN", "Delete the account"} {
		if !strings.Contains(all, want) {
			t.Errorf("the Staff screen lacks %q", want)
		}
	}
	h.esc()
	h.press(ui.ActSwitchUser)
	h.signIn("Sita", "2468")
	if h.App.Locked() || h.App.NavShown(ui.ActSettings) {
		t.Fatal("Sita did not sign in as a cashier")
	}
}

// TestEveryKeyAndScreenPerRole: for each role, every key of the app, its
// menu item and its screen in the list are there exactly when the
// permission table lets the role do what they need; a key the role may
// not use changes nothing and says who may.
func TestEveryKeyAndScreenPerRole(t *testing.T) {
	h := newHarness(t, staffBooks(t))
	guarded := 0
	for _, m := range []struct {
		name, pin string
		role      staff.Role
	}{{"Ravi", "1470", staff.Cashier}, {"Vikram", "3690", staff.Manager}, {"Meera", "2580", staff.Owner}} {
		if !h.App.Locked() {
			h.press(ui.ActSwitchUser)
		}
		h.signIn(m.name, m.pin)
		if h.App.Locked() {
			t.Fatalf("%s did not sign in: %q", m.name, h.App.Lockscreen.Msg.Text)
		}
		for _, s := range ui.Shortcuts {
			need, ok := ui.Needs(s.Action)
			may := !ok || staff.Allowed(m.role, need)
			if ok && !may {
				guarded++
			}
			if s.Menu != "" && h.menuHas(s.Label) != may {
				t.Errorf("%s: menu item %q shown %v, want %v", m.role, s.Label, !may, may)
			}
			if h.App.NavShown(s.Action) && !may {
				t.Errorf("%s: screen %s in the list", m.role, s.Action)
			}
			if may {
				continue
			}
			h.press(ui.ActBilling)
			h.settle("billing", func() bool { return h.App.Current() == ui.ActBilling })
			h.App.Run(s.Action) // what its key would do, menu or not
			if h.App.Current() != ui.ActBilling || h.App.DialogOpen() {
				t.Errorf("%s reached %s: on %s, dialog %v", m.role, s.Action, h.App.Current(), h.App.DialogOpen())
			}
			if st := h.App.Status(); !strings.Contains(st, m.name+" ("+string(m.role)+") may not do this") {
				t.Errorf("%s pressing %s: %q", m.role, s.Action, st)
			}
		}
		for _, act := range []ui.Action{ui.ActBilling, ui.ActInvoices, ui.ActProducts, ui.ActParties, ui.ActExpenses, ui.ActToday, ui.ActReports, ui.ActSettings, ui.ActAssistant} {
			need, _ := ui.Needs(act)
			if h.App.NavShown(act) != staff.Allowed(m.role, need) {
				t.Errorf("%s: screen %s shown %v", m.role, act, h.App.NavShown(act))
			}
		}
	}
	if guarded < 9 { // the cashier: five screens and the AI assistant's three keys; the manager: Settings
		t.Fatalf("only %d keys were closed to a role", guarded)
	}
}

// TestLockScreenKeys: the lock screen works from the keyboard alone. The
// name list has the keyboard; Enter with no name says to pick one; a
// letter picks the next name starting with it, Up and Down move; a digit
// goes on to the PIN box; Enter signs in and the item box has the
// keyboard; Switch user brings the lock back with no name picked.
func TestLockScreenKeys(t *testing.T) {
	h := newHarness(t, staffBooks(t))
	l := h.App.Lockscreen
	typ := func(s string) {
		for _, r := range s {
			h.Win.Canvas().Focused().TypedRune(r)
		}
	}
	if h.Win.Canvas().Focused() != l.Who {
		t.Fatalf("the lock screen's keyboard is on %T", h.Win.Canvas().Focused())
	}
	h.key(fyne.KeyReturn)
	if l.Msg.Text != "Pick your name first." || h.Win.Canvas().Focused() != l.Who {
		t.Fatalf("Enter with no name: %q", l.Msg.Text)
	}
	typ("v")
	if !strings.HasPrefix(l.Who.Selected, "Vikram ") || h.Win.Canvas().Focused() != l.Who {
		t.Fatalf("v picked %q", l.Who.Selected)
	}
	h.key(fyne.KeyDown)
	next := l.Who.Selected
	h.key(fyne.KeyUp)
	if next == "" || strings.HasPrefix(next, "Vikram ") || !strings.HasPrefix(l.Who.Selected, "Vikram ") {
		t.Fatalf("Down then Up: %q then %q", next, l.Who.Selected)
	}
	typ("3")
	if h.Win.Canvas().Focused() != l.PIN || l.PIN.Text != "3" {
		t.Fatalf("a digit on the name list: focus %T, PIN %q", h.Win.Canvas().Focused(), l.PIN.Text)
	}
	typ("690")
	h.key(fyne.KeyReturn)
	h.settle("signed in", func() bool { return !h.App.Locked() })
	if h.App.Current() != ui.ActBilling || h.Win.Canvas().Focused() != h.App.Billing.ItemBox {
		t.Fatalf("after sign-in: %s, focus %T", h.App.Current(), h.Win.Canvas().Focused())
	}
	h.press(ui.ActSwitchUser)
	if !h.App.Locked() || h.Win.Canvas().Focused() != l.Who || l.Who.Selected != "" {
		t.Fatalf("Switch user: locked %v, focus %T, picked %q", h.App.Locked(), h.Win.Canvas().Focused(), l.Who.Selected)
	}
}
