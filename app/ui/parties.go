package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/store"
)

// PartiesScreen lists customers and suppliers with balances; picking one
// shows its ledger and the receive/pay money actions.
type PartiesScreen struct {
	screenBase
	a       *App
	Search  *Entry
	list    *widget.List
	hits    []store.PartyHit
	msg     *widget.Label
	title   *widget.Label
	balance *bigLabel
	ledger  *widget.List
	rows    []store.LedgerRow
	sel     *store.PartyHit
	actions *fyne.Container
	gen     int
}

func newPartiesScreen(a *App) *PartiesScreen {
	s := &PartiesScreen{a: a}
	s.Search = a.entry(L("Search parties by name or phone"))
	s.Search.OnChanged = func(string) { s.Reload() }
	s.msg = errorText()
	s.list = widget.NewList(func() int { return len(s.hits) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			bal := widget.NewLabel("")
			bal.Alignment = fyne.TextAlignTrailing
			return container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(150, 36), bal), name)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(s.hits) {
				return
			}
			h := s.hits[id]
			c := o.(*fyne.Container)
			kind := L("customer")
			if h.Kind == books.Supplier {
				kind = L("supplier")
			}
			c.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s  ·  %s  %s", h.Name, kind, h.Phone))
			c.Objects[1].(*fyne.Container).Objects[0].(*widget.Label).SetText(gst.FormatINR(h.Balance))
		})
	s.list.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(s.hits) {
			h := s.hits[id]
			s.Open(h)
		}
	}
	s.title = heading("")
	s.balance = newBigLabel(24)
	s.ledger = widget.NewList(func() int { return len(s.rows) },
		func() fyne.CanvasObject {
			what := widget.NewLabel("")
			what.Truncation = fyne.TextTruncateEllipsis
			nums := widget.NewLabel("")
			return container.NewBorder(nil, nil, nil, nums, what)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(s.rows) {
				return
			}
			r := s.rows[id]
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s  %s %s", gst.FormatDate(r.Date), docKind(r.Kind), r.Number))
			c.Objects[1].(*widget.Label).SetText(fmt.Sprintf("%12s  %12s  %14s", amountOrDash(r.Debit), amountOrDash(r.Credit), gst.FormatINR(r.Balance)))
		})
	recv := widget.NewButtonWithIcon(L("Receive money"), theme.DownloadIcon(), func() { s.money(books.PaymentIn) })
	pay := widget.NewButtonWithIcon(L("Pay money"), theme.UploadIcon(), func() { s.money(books.PaymentOut) })
	edit := widget.NewButtonWithIcon(L("Edit"), theme.DocumentCreateIcon(), func() {
		if s.sel == nil {
			return
		}
		id := s.sel.ID
		var p books.Party
		a.background(func() error {
			var err error
			p, err = a.Books.Party(id)
			return err
		}, func(err error) {
			if err != nil {
				a.showError(err)
				return
			}
			a.partyDialog(p, func(books.Party) { s.Reload() })
		})
	})
	remind := widget.NewButtonWithIcon(L("Remind on WhatsApp"), theme.MailSendIcon(), func() {
		if s.sel != nil {
			a.remindOnWhatsApp(s.sel.ID)
		}
	})
	s.actions = container.NewHBox(recv, pay, edit, remind)
	if a.opt.WhatsApp == nil {
		remind.Hide()
	}
	s.actions.Hide()
	ledgerHead := container.NewBorder(nil, nil, boldLabel(L("Date  Document")), boldLabel(fmt.Sprintf("%12s  %12s  %14s", L("Debit"), L("Credit"), L("Balance"))))
	right := container.NewBorder(container.NewVBox(s.title, s.balance, s.actions, ledgerHead), nil, nil, nil, s.ledger)
	add := ActionButton(ActAdd, L("New party"), theme.ContentAddIcon(), func() { a.partyDialog(books.Party{Kind: books.Customer}, func(books.Party) { s.Reload() }) })
	remindAll := widget.NewButtonWithIcon(L("Remind all with dues"), theme.MailSendIcon(), a.remindAllOnWhatsApp)
	rule := widget.NewButtonWithIcon(L("Reminder rule…"), theme.HistoryIcon(), func() { a.OpenReminders() })
	if a.opt.WhatsApp == nil {
		remindAll.Hide()
		rule.Hide()
	}
	left := container.NewBorder(container.NewVBox(container.NewBorder(nil, nil, heading(L("Parties")), container.NewHBox(rule, remindAll, add)), s.Search, s.msg), nil, nil, nil, s.list)
	split := container.NewHSplit(left, right)
	split.Offset = 0.45
	s.content = container.NewPadded(split)
	s.ExtendBaseWidget(s)
	return s
}

func docKind(k string) string {
	switch k {
	case "opening":
		return L("Opening balance")
	case "invoices":
		return L("Invoice")
	case "credit_notes":
		return L("Credit note")
	case "purchases":
		return L("Purchase")
	case "payments":
		return L("Payment")
	}
	return k
}

func amountOrDash(v int64) string {
	if v == 0 {
		return "-"
	}
	return gst.FormatAmount(v)
}

func (s *PartiesScreen) shown() {
	s.a.focus(s.Search)
	s.Reload()
}

func (s *PartiesScreen) handle(act Action) bool {
	switch act {
	case ActFind:
		s.a.focus(s.Search)
	case ActAdd:
		s.a.partyDialog(books.Party{Kind: books.Customer}, func(books.Party) { s.Reload() })
	default:
		return false
	}
	return true
}

// Reload reads the party list again.
func (s *PartiesScreen) Reload() {
	s.gen++
	gen := s.gen
	q := strings.TrimSpace(s.Search.Text)
	var hits []store.PartyHit
	s.a.background(func() error {
		var err error
		hits, err = s.a.Books.ListParties(q, 1000)
		return err
	}, func(err error) {
		if gen != s.gen {
			return
		}
		if err != nil {
			setError(s.msg, Message(err))
			return
		}
		s.hits = hits
		s.list.Refresh()
		if s.sel != nil {
			for _, h := range hits {
				if h.ID == s.sel.ID {
					s.Open(h)
				}
			}
		}
	})
}

// Hits are the parties listed.
func (s *PartiesScreen) Hits() []store.PartyHit { return s.hits }

// Open shows a party's ledger.
func (s *PartiesScreen) Open(h store.PartyHit) {
	s.sel = &h
	s.title.SetText(h.Name)
	s.balance.set(balanceText(h.Balance))
	s.actions.Show()
	var rows []store.LedgerRow
	s.a.background(func() error {
		var err error
		rows, err = s.a.Books.PartyLedger(h.ID, 1000)
		return err
	}, func(err error) {
		if err != nil {
			setError(s.msg, Message(err))
			return
		}
		s.rows = rows
		s.ledger.Refresh()
		s.ledger.ScrollToBottom()
	})
}

// Ledger is the open party's ledger.
func (s *PartiesScreen) Ledger() []store.LedgerRow { return s.rows }

func (s *PartiesScreen) money(dir string) {
	if s.sel == nil {
		return
	}
	h := *s.sel
	amount := s.a.entry(L("amount ₹"))
	mode := modePicker()
	note := s.a.entry(L("note (optional)"))
	msg := errorText()
	if dir == books.PaymentIn && h.Balance > 0 {
		amount.SetText(gst.FormatAmount(h.Balance))
	}
	if dir == books.PaymentOut && h.Balance < 0 {
		amount.SetText(gst.FormatAmount(-h.Balance))
	}
	var d *formDlg
	save := func() bool {
		v, err := gst.ParseAmount(amount.Text)
		if err != nil || v <= 0 {
			setError(msg, L("Type the amount in rupees, like 500."))
			return false
		}
		p := books.Payment{Direction: dir, Party: &books.PartySnapshot{ID: h.ID, Name: h.Name}, Mode: pickedMode(mode), Amount: v, Note: note.Text}
		d.run(func() error {
			_, err := s.a.Books.RecordPayment(context.Background(), p)
			return err
		}, func(err error) {
			if err != nil {
				setError(msg, Message(err))
				return
			}
			d.Hide()
			s.a.used("payment.record")
			if dir == books.PaymentIn {
				s.a.Say(L("Received %s from %s."), gst.FormatINR(v), h.Name)
			} else {
				s.a.Say(L("Paid %s to %s."), gst.FormatINR(v), h.Name)
			}
			s.Reload()
		})
		return false
	}
	title := L("Receive money from") + " " + h.Name
	if dir == books.PaymentOut {
		title = L("Pay money to") + " " + h.Name
	}
	form := widget.NewForm(widget.NewFormItem(L("Amount ₹"), amount), widget.NewFormItem(L("Mode"), mode), widget.NewFormItem(L("Note"), note))
	d = s.a.formDialog(title, L("Save"), container.NewVBox(widget.NewLabel(balanceText(h.Balance)), form, msg), fyne.NewSize(520, 320), save)
	s.a.focus(amount)
}

// partyDialog adds or edits a party; saved gets the stored party.
func (a *App) partyDialog(p books.Party, saved func(books.Party)) {
	name, phone, gstin, addr, city, opening := a.entry(""), a.entry(L("10-digit mobile")), a.entry(L("15 characters, if registered")), a.entry(""), a.entry(""), a.entry("0")
	name.SetText(p.Name)
	phone.SetText(p.Phone)
	gstin.SetText(p.GSTIN)
	addr.SetText(p.Address)
	city.SetText(p.City)
	opening.SetText(gst.FormatAmount(p.OpeningBalance))
	kind := widget.NewRadioGroup([]string{L("customer"), L("supplier")}, nil)
	kind.Horizontal = true
	if p.Kind == books.Supplier {
		kind.SetSelected(L("supplier"))
	} else {
		kind.SetSelected(L("customer"))
	}
	states, stateNames := statePicker(gst.States())
	state := widget.NewSelect(stateNames, nil)
	if i := indexOf(states, p.StateCode); i >= 0 {
		state.SetSelectedIndex(i)
	}
	errs := map[string]*widget.Label{}
	field := func(key string, o fyne.CanvasObject) fyne.CanvasObject {
		l := errorText()
		errs[key] = l
		return container.NewVBox(o, l)
	}
	gstin.OnChanged = func(t string) { gstinLive(t, errs["gstin"], state, states) }
	general := errorText()
	var d *formDlg
	save := func() bool {
		for _, l := range errs {
			setError(l, "")
		}
		q := p
		q.Name, q.Phone, q.GSTIN, q.Address, q.City = name.Text, phone.Text, gstin.Text, addr.Text, city.Text
		q.Kind = books.Customer
		if kind.Selected == L("supplier") {
			q.Kind = books.Supplier
		}
		if i := state.SelectedIndex(); i >= 0 {
			q.StateCode = states[i]
		}
		ob, err := gst.ParseAmount(orZero(opening.Text))
		if err != nil {
			setError(errs["opening_balance"], L("Type rupees; minus if the shop owes them."))
			return false
		}
		q.OpeningBalance = ob
		d.run(func() error {
			var err error
			q.ID, err = a.Books.SaveParty(q)
			return err
		}, func(err error) {
			if err != nil {
				var be *books.Error
				if errors.As(err, &be) && errs[be.Field] != nil {
					setError(errs[be.Field], be.Msg)
				} else {
					setError(general, Message(err))
				}
				return
			}
			d.Hide()
			q.Normalize()
			a.Say(L("Saved %s."), q.Name)
			if saved != nil {
				saved(q)
			}
		})
		return false
	}
	form := widget.NewForm(
		widget.NewFormItem(L("Name"), field("name", name)),
		widget.NewFormItem(L("Kind"), kind),
		widget.NewFormItem(L("Phone"), field("phone", phone)),
		widget.NewFormItem(L("GSTIN"), field("gstin", gstin)),
		widget.NewFormItem(L("State"), field("state_code", state)),
		widget.NewFormItem(L("Address"), addr),
		widget.NewFormItem(L("City"), city),
		widget.NewFormItem(L("Opening balance ₹"), field("opening_balance", opening)),
	)
	title := L("New party")
	if p.ID != "" {
		title = L("Edit party")
	}
	d = a.formDialog(title, L("Save"), container.NewVBox(form, general), fyne.NewSize(640, 560), save)
	if p.Name == "" {
		a.focus(name)
	} else {
		a.focus(phone)
	}
}

// statePicker returns the codes and "27 Maharashtra" labels of states, for a
// select: gst.States() for a party, gst.BusinessStates() for the shop.
func statePicker(states []gst.State) ([]string, []string) {
	var codes, names []string
	for _, st := range states {
		codes = append(codes, st.Code)
		names = append(names, st.Code+" "+st.Name)
	}
	return codes, names
}

// gstinLive checks a GSTIN as it is typed, in plain words next to the box,
// and sets the state from its first two digits.
func gstinLive(t string, msg *widget.Label, state *widget.Select, codes []string) {
	g := gst.NormalizeGSTIN(t)
	switch {
	case g == "":
		setError(msg, "")
	case len(g) < 15:
		setError(msg, fmt.Sprintf(L("%d of 15 characters."), len(g)))
	default:
		if err := gst.ValidateGSTIN(g); err != nil {
			setError(msg, err.Error())
			return
		}
		setError(msg, "")
		if i := indexOf(codes, gst.GSTINState(g)); i >= 0 && state != nil {
			state.SetSelectedIndex(i)
		}
	}
}
