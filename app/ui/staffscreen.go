package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
)

// StaffScreen is Settings → Staff and roles: the owner adds staff, changes
// a role, a PIN or a cashier's discount limit, removes staff, sets the idle
// lock, and reads the permission table and the override log.
type StaffScreen struct {
	a       *App
	d       dialog.Dialog
	list    *fyne.Container // one button per member: tap to change them
	Name    *Entry
	Role    *widget.Select
	PIN     *Entry
	Limit   *Entry
	Idle    *Entry
	Msg     *widget.Label
	Log     *widget.Label
	Members []staff.Member
	sel     int
}

// lastStaffScreen is the Staff screen opened last (for tests).
var lastStaffScreen *StaffScreen

var roleChoices = []staff.Role{staff.Owner, staff.Manager, staff.Cashier}

// ShowStaff opens Settings → Staff and roles.
func (s *SettingsScreen) ShowStaff() {
	a := s.a
	if a.staffBooks() == nil {
		return
	}
	ss := &StaffScreen{a: a, sel: -1, Msg: errorText(), Log: wrapLabel("")}
	lastStaffScreen = ss
	ss.list = container.NewVBox()
	ss.Name, ss.PIN, ss.Limit, ss.Idle = a.entry(L("e.g. Ravi")), a.entry(L("4 to 8 digits")), a.entry("5"), a.entry("5")
	ss.PIN.Password = true
	var roles []string
	for _, r := range roleChoices {
		roles = append(roles, L(r.Label()))
	}
	ss.Role = widget.NewSelect(roles, nil)
	ss.Role.SetSelectedIndex(2)
	ss.Idle.SetText(strconv.Itoa(int(a.IdleLock().Minutes())))
	add := widget.NewButton(L("Add"), ss.Add)
	add.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem(L("Name"), ss.Name),
		widget.NewFormItem(L("Role"), ss.Role),
		widget.NewFormItem(L("PIN"), ss.PIN),
		widget.NewFormItem(L("Cashier's discount limit (%)"), ss.Limit),
	)
	buttons := container.NewHBox(add, widget.NewButton(L("Save changes"), ss.Change), widget.NewButton(L("Remove"), ss.Remove))
	ss.Idle.OnSubmitted = func(string) { ss.SaveIdle() }
	idle := container.NewBorder(nil, nil, nil, widget.NewButton(L("Save"), ss.SaveIdle), ss.Idle)
	members := container.NewVScroll(ss.list)
	members.SetMinSize(fyne.NewSize(360, 170))
	left := container.NewVBox(boldLabel(L("Staff (tap one to change it)")), members, form, buttons, ss.Msg,
		wrapLabel(L("Lock this counter after so many minutes without a key or the mouse (0: never):")), idle)
	right := container.NewVScroll(container.NewVBox(boldLabel(L("Who may do what")), permissionGrid(),
		boldLabel(L("Manager approvals (newest first)")), ss.Log))
	split := container.NewHSplit(container.NewVScroll(left), right)
	split.Offset = 0.34
	ss.d = dialog.NewCustom(L("Staff and roles"), L("Close (Esc)"), split, a.Win)
	ss.d.Resize(fyne.NewSize(1200, 680))
	a.openModal(ss.d, ss.Add)
	ss.reload()
	a.focus(ss.Name)
}

// permissionGrid shows the permission table of app/staff: every action,
// and for each role whether it may (a cashier's overrides need a PIN).
func permissionGrid() fyne.CanvasObject {
	row := func(first fyne.CanvasObject, cells ...fyne.CanvasObject) fyne.CanvasObject {
		return container.NewGridWithColumns(2, first, container.NewGridWithColumns(len(cells), cells...))
	}
	var head []fyne.CanvasObject
	for _, r := range staff.Roles() {
		head = append(head, boldLabel(L(r.Label())))
	}
	g := container.NewVBox(row(boldLabel(L("Action")), head...))
	for _, act := range staff.Actions() {
		var cells []fyne.CanvasObject
		for _, r := range staff.Roles() {
			mark := "—"
			switch {
			case staff.Allowed(r, act):
				mark = "✓"
			case staff.Overridable(act):
				mark = L("manager's PIN")
			}
			cells = append(cells, widget.NewLabel(mark))
		}
		name := widget.NewLabel(L(act.Label()))
		name.Truncation = fyne.TextTruncateEllipsis
		g.Add(row(name, cells...))
	}
	return g
}

func percentText(bp int) string {
	if bp%100 == 0 {
		return fmt.Sprintf("%d%%", bp/100)
	}
	return strings.TrimRight(fmt.Sprintf("%.2f", float64(bp)/100), "0") + "%"
}

func (ss *StaffScreen) reload() {
	sb := ss.a.staffBooks()
	var list []staff.Member
	var log []staff.Override
	ss.a.background(func() error {
		var err error
		if list, err = sb.StaffList(context.Background()); err != nil {
			return err
		}
		if sb.Can(staff.ViewSecurityDetails) {
			log, err = sb.Overrides(context.Background(), 20)
		}
		return err
	}, func(err error) {
		if err != nil {
			setError(ss.Msg, Message(err))
			return
		}
		ss.Members = list
		ss.sel = -1
		ss.list.RemoveAll()
		for i, m := range list {
			i, t := i, m.Name+" · "+L(m.Role.Label())
			if m.Role == staff.Cashier {
				t += " · " + fmt.Sprintf(L("discounts up to %s"), percentText(m.DiscountLimitBP))
			}
			b := widget.NewButton(t, func() { ss.pick(i) })
			b.Alignment = widget.ButtonAlignLeading
			b.Importance = widget.LowImportance
			ss.list.Add(b)
		}
		var lines []string
		for _, o := range log {
			lines = append(lines, fmt.Sprintf("%s · %s · %s %s %s · %s", strings.Replace(strings.TrimSuffix(o.CreatedAt, "Z"), "T", " ", 1),
				L(o.Action.Label()), o.CashierName, L("approved by"), o.ApproverName, o.Detail))
		}
		if len(lines) == 0 {
			lines = []string{L("None yet.")}
		}
		ss.Log.SetText(strings.Join(lines, "\n"))
		if len(list) == 0 {
			setNote(ss.Msg, L("No staff yet: whoever opens the books may do everything. Add yourself first, as the owner, with a PIN."))
			ss.Role.SetSelectedIndex(0)
		}
	})
}

func (ss *StaffScreen) pick(id int) {
	if id < 0 || id >= len(ss.Members) {
		return
	}
	ss.sel = id
	m := ss.Members[id]
	ss.Name.SetText(m.Name)
	for i, r := range roleChoices {
		if r == m.Role {
			ss.Role.SetSelectedIndex(i)
		}
	}
	ss.PIN.SetText("")
	ss.Limit.SetText(strings.TrimSuffix(percentText(m.DiscountLimitBP), "%"))
	setError(ss.Msg, "")
}

func (ss *StaffScreen) input() (store.StaffInput, error) {
	in := store.StaffInput{Name: ss.Name.Text, PIN: ss.PIN.Text, DiscountLimitBP: -1}
	if i := ss.Role.SelectedIndex(); i >= 0 {
		in.Role = roleChoices[i]
	}
	if t := strings.TrimSpace(strings.TrimSuffix(ss.Limit.Text, "%")); t != "" {
		f, err := strconv.ParseFloat(t, 64)
		if err != nil || f < 0 || f > 100 {
			return in, fmt.Errorf("%s", L("The discount limit is a percentage from 0 to 100, such as 5 or 7.5."))
		}
		in.DiscountLimitBP = int(f*100 + 0.5)
	}
	return in, nil
}

func (ss *StaffScreen) save(work func(store.StaffInput) error, done string) {
	in, err := ss.input()
	if err != nil {
		setError(ss.Msg, err.Error())
		return
	}
	ss.PIN.SetText("")
	ss.a.background(func() error { return work(in) }, func(err error) {
		if err != nil {
			setError(ss.Msg, Message(err))
			return
		}
		setNote(ss.Msg, done)
		ss.Name.SetText("")
		ss.a.applyRole()
		ss.reload()
	})
}

// Add adds the member in the form (Ctrl+S).
func (ss *StaffScreen) Add() {
	sb := ss.a.staffBooks()
	ss.save(func(in store.StaffInput) error {
		_, err := sb.AddStaff(context.Background(), in)
		return err
	}, fmt.Sprintf(L("Added %s."), strings.TrimSpace(ss.Name.Text)))
}

// Change saves the selected member's name, role, limit and (if typed) PIN.
func (ss *StaffScreen) Change() {
	if ss.sel < 0 {
		setError(ss.Msg, L("Pick a member in the list first."))
		return
	}
	sb, id := ss.a.staffBooks(), ss.Members[ss.sel].ID
	ss.save(func(in store.StaffInput) error {
		_, err := sb.ChangeStaff(context.Background(), id, in)
		return err
	}, L("Saved."))
}

// Remove removes the selected member.
func (ss *StaffScreen) Remove() {
	if ss.sel < 0 {
		setError(ss.Msg, L("Pick a member in the list first."))
		return
	}
	sb, m := ss.a.staffBooks(), ss.Members[ss.sel]
	ss.save(func(store.StaffInput) error { return sb.RemoveStaff(context.Background(), m.ID) },
		fmt.Sprintf(L("Removed %s."), m.Name))
}

// SaveIdle saves the idle lock minutes (this counter's setting).
func (ss *StaffScreen) SaveIdle() {
	n, err := strconv.Atoi(strings.TrimSpace(ss.Idle.Text))
	if err != nil || n < 0 || n > 24*60 {
		setError(ss.Msg, L("Give the minutes as a whole number (0 never locks)."))
		return
	}
	if err := ss.a.Books.SetMeta(map[string]string{metaIdleLock: strconv.Itoa(n)}); err != nil {
		setError(ss.Msg, Message(err))
		return
	}
	setNote(ss.Msg, fmt.Sprintf(L("The counter locks after %d minutes without a key or the mouse."), n))
}
