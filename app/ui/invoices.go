package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/printing"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
)

// invoicePage is how many invoices the list loads at a time.
const invoicePage = 200

// InvoicesScreen lists invoices with search by number, party, date range
// and amount; a row opens the invoice to reprint, cancel or return.
type InvoicesScreen struct {
	screenBase
	a                  *App
	Query, From, To    *Entry
	MinAmount, MaxAmt  *Entry
	msg                *widget.Label
	count              *widget.Label
	list               *widget.List
	rows               []store.InvoiceRow
	filter             store.InvoiceFilter
	loading, exhausted bool
	gen                int
}

func newInvoicesScreen(a *App) *InvoicesScreen {
	s := &InvoicesScreen{a: a}
	s.Query = a.entry(L("Invoice number or party name"))
	s.From, s.To = a.entry(L("from dd-mm-yyyy")), a.entry(L("to dd-mm-yyyy"))
	s.MinAmount, s.MaxAmt = a.entry(L("min ₹")), a.entry(L("max ₹"))
	for _, e := range []*Entry{s.Query, s.From, s.To, s.MinAmount, s.MaxAmt} {
		e.OnSubmitted = func(string) { s.Search() }
	}
	s.Query.OnChanged = func(string) { s.Search() }
	s.msg = errorText()
	s.count = widget.NewLabel("")
	s.list = widget.NewList(func() int { return len(s.rows) },
		func() fyne.CanvasObject {
			num, date, amt, st := boldLabel(""), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
			amt.Alignment = fyne.TextAlignTrailing
			party := widget.NewLabel("")
			party.Truncation = fyne.TextTruncateEllipsis
			left := container.NewGridWrap(fyne.NewSize(170, 36), num)
			right := container.NewHBox(container.NewGridWrap(fyne.NewSize(110, 36), date), container.NewGridWrap(fyne.NewSize(130, 36), amt), container.NewGridWrap(fyne.NewSize(110, 36), st))
			return container.NewBorder(nil, nil, left, right, party)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(s.rows) {
				return
			}
			r := s.rows[id]
			c := o.(*fyne.Container)
			c.Objects[1].(*fyne.Container).Objects[0].(*widget.Label).SetText(r.Number)
			right := c.Objects[2].(*fyne.Container).Objects
			right[0].(*fyne.Container).Objects[0].(*widget.Label).SetText(gst.FormatDate(r.Date))
			right[1].(*fyne.Container).Objects[0].(*widget.Label).SetText(gst.FormatINR(r.GrandTotal))
			st := right[2].(*fyne.Container).Objects[0].(*widget.Label)
			if r.Cancelled {
				st.SetText(L("cancelled"))
				st.Importance = widget.DangerImportance
			} else {
				st.SetText("")
				st.Importance = widget.MediumImportance
			}
			st.Refresh()
			party := r.PartyName
			if party == "" {
				party = L("Walk-in customer")
			}
			c.Objects[0].(*widget.Label).SetText(party)
			if id >= len(s.rows)-20 {
				s.loadMore()
			}
		})
	s.list.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(s.rows) {
			s.a.openInvoice(s.rows[id].Number, func() { s.Search() })
		}
		s.list.UnselectAll()
	}
	filters := container.NewBorder(nil, nil, nil,
		container.NewHBox(container.NewGridWrap(fyne.NewSize(130, 38), s.From), container.NewGridWrap(fyne.NewSize(130, 38), s.To),
			container.NewGridWrap(fyne.NewSize(100, 38), s.MinAmount), container.NewGridWrap(fyne.NewSize(100, 38), s.MaxAmt),
			ActionButton(ActFind, L("Search"), theme.SearchIcon(), s.Search)),
		s.Query)
	top := container.NewVBox(container.NewBorder(nil, nil, heading(L("Invoices")), s.count), filters, s.msg)
	s.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, s.list))
	s.ExtendBaseWidget(s)
	return s
}

func (s *InvoicesScreen) shown() {
	s.a.focus(s.Query)
	s.Search()
}

func (s *InvoicesScreen) handle(act Action) bool {
	if act == ActFind {
		s.a.focus(s.Query)
		return true
	}
	return false
}

// Search reloads the list from the filter boxes.
func (s *InvoicesScreen) Search() {
	f := store.InvoiceFilter{Query: strings.TrimSpace(s.Query.Text), Limit: invoicePage}
	var problems []string
	for _, d := range []struct {
		e   *Entry
		dst *string
	}{{s.From, &f.From}, {s.To, &f.To}} {
		if t := strings.TrimSpace(d.e.Text); t != "" {
			v, err := books.ParseDate(t)
			if err != nil {
				problems = append(problems, Message(err))
				continue
			}
			*d.dst = v.Format(books.DateLayout)
		}
	}
	for _, m := range []struct {
		e   *Entry
		dst *int64
	}{{s.MinAmount, &f.MinAmount}, {s.MaxAmt, &f.MaxAmount}} {
		if t := strings.TrimSpace(m.e.Text); t != "" {
			v, err := gst.ParseAmount(t)
			if err != nil {
				problems = append(problems, fmt.Sprintf(L("Amount %q: type rupees, like 500."), t))
				continue
			}
			*m.dst = v
		}
	}
	setError(s.msg, strings.Join(problems, " "))
	s.filter = f
	s.gen++
	s.rows, s.exhausted, s.loading = nil, false, false
	s.list.Refresh()
	s.loadMore()
}

func (s *InvoicesScreen) loadMore() {
	if s.loading || s.exhausted {
		return
	}
	s.loading = true
	f := s.filter
	f.Offset = len(s.rows)
	gen := s.gen
	var rows []store.InvoiceRow
	s.a.background(func() error {
		var err error
		rows, err = s.a.Books.ListInvoices(f)
		return err
	}, func(err error) {
		if gen != s.gen {
			return
		}
		s.loading = false
		if err != nil {
			setError(s.msg, Message(err))
			return
		}
		s.exhausted = len(rows) < f.Limit
		s.rows = append(s.rows, rows...)
		more := ""
		if !s.exhausted {
			more = "+"
		}
		if more != "" {
			s.count.SetText(fmt.Sprintf("%d%s %s", len(s.rows), more, L("invoices")))
		} else {
			s.count.SetText(gst.Count(len(s.rows), L("invoice"), L("invoices")))
		}
		s.list.Refresh()
	})
}

// Rows are the invoices listed now.
func (s *InvoicesScreen) Rows() []store.InvoiceRow { return s.rows }

// Loading reports whether a page is being read.
func (s *InvoicesScreen) Loading() bool { return s.loading }

// InvoiceDialog is an open invoice with its actions.
type InvoiceDialog struct {
	Inv       *books.Invoice
	Cancelled bool
	d         dialog.Dialog
	a         *App
	changed   func()
}

// lastInvoiceDialog is the invoice dialog opened last (for tests).
var lastInvoiceDialog *InvoiceDialog

// openInvoice loads an invoice and shows it; changed runs after a cancel or return.
func (a *App) openInvoice(number string, changed func()) {
	var inv *books.Invoice
	var cancelled bool
	var cns []books.CreditNote
	a.background(func() error {
		var err error
		inv, cancelled, err = a.Books.Invoice(number)
		if err == nil {
			cns, err = a.Books.CreditNotes(inv.ID)
		}
		return err
	}, func(err error) {
		if err != nil {
			a.showError(err)
			return
		}
		a.showInvoice(inv, cancelled, cns, changed)
	})
}

func (a *App) showInvoice(inv *books.Invoice, cancelled bool, cns []books.CreditNote, changed func()) {
	id := &InvoiceDialog{Inv: inv, Cancelled: cancelled, a: a, changed: changed}
	lastInvoiceDialog = id
	party := L("Walk-in customer")
	if inv.Party != nil {
		party = inv.Party.Name
		if inv.Party.GSTIN != "" {
			party += " · " + inv.Party.GSTIN
		}
	}
	headText := fmt.Sprintf("%s · %s · %s", gst.FormatDate(inv.Date), party, kindText(inv.Kind))
	if by := madeBy(inv.Maker); by != "" {
		headText += " · " + by
	}
	head := widget.NewLabel(headText)
	lines := container.NewVBox()
	for i, l := range inv.Lines {
		lines.Add(container.NewBorder(nil, nil, widget.NewLabel(fmt.Sprintf("%d. %s", i+1, l.Name)),
			widget.NewLabel(fmt.Sprintf("%s %s × %s  %s%%  = %s", gst.FormatQty(l.Qty), l.Unit, gst.FormatAmount(l.Price), l.Rate, gst.FormatINR(l.Total)))))
	}
	var pays []string
	for _, p := range inv.Payments {
		pays = append(pays, fmt.Sprintf("%s %s", modeLabel(p.Mode), gst.FormatINR(p.Amount)))
	}
	tot := widget.NewLabel(fmt.Sprintf("%s %s   CGST %s   SGST %s   IGST %s   %s %s\n%s %s   (%s)",
		L("Taxable"), gst.FormatINR(inv.Taxable), gst.FormatINR(inv.CGST), gst.FormatINR(inv.SGST), gst.FormatINR(inv.IGST),
		L("Round off"), gst.FormatINR(inv.RoundOff), L("Total"), gst.FormatINR(inv.GrandTotal), strings.Join(pays, ", ")))
	tot.TextStyle = fyne.TextStyle{Bold: true}
	state := widget.NewLabel("")
	if cancelled {
		state.SetText(L("This invoice is cancelled."))
		state.Importance = widget.DangerImportance
	}
	for _, cn := range cns {
		state.SetText(strings.TrimSpace(state.Text + "\n" + fmt.Sprintf(L("Credit note %s on %s for %s."), cn.Number, gst.FormatDate(cn.Date), gst.FormatINR(cn.GrandTotal))))
	}
	printBtn := widget.NewButtonWithIcon(L("Reprint"), theme.DocumentPrintIcon(), func() {
		a.background(func() error { return a.opt.Printer.PrintInvoice(inv.Number) }, func(err error) {
			if err != nil {
				a.showError(err)
				return
			}
			a.used("invoice.print")
			a.Say(L("Sent %s to the printer."), inv.Number)
		})
	})
	ret := widget.NewButtonWithIcon(L("Return (credit note)"), theme.ContentUndoIcon(), func() { id.d.Hide(); id.Return() })
	cancel := widget.NewButtonWithIcon(L("Cancel invoice"), theme.CancelIcon(), func() { id.d.Hide(); id.Cancel() })
	cancel.Importance = widget.DangerImportance
	if cancelled {
		ret.Disable()
		cancel.Disable()
	}
	if !a.Can(staff.Returns) {
		ret.Hide() // not for this role (a cashier's cancel asks a manager's PIN)
	}
	if len(cns) > 0 {
		cancel.Disable()
	}
	// The invoice's online payment link (the server made it with the
	// shop's Razorpay keys) while something is due.
	payLink := widget.NewLabel("")
	payLink.Wrapping = fyne.TextWrapWord
	if pl, ok := a.Books.(printing.PayLinks); ok && !cancelled && inv.Due() > 0 {
		var link string
		a.background(func() error {
			var err error
			link, err = pl.PayLinkURL(inv.ID)
			return err
		}, func(err error) {
			if err == nil && link != "" {
				payLink.SetText(fmt.Sprintf(L("Pay online: %s"), link))
			}
		})
	}
	waBtn, waStatus := a.whatsappButton(inv, cancelled)
	body := container.NewBorder(head, container.NewVBox(widget.NewSeparator(), tot, state, payLink, waStatus, container.NewHBox(printBtn, waBtn, ret, cancel)), nil, nil,
		container.NewVScroll(lines))
	id.d = dialog.NewCustom(L("Invoice")+" "+inv.Number, L("Close (Esc)"), body, a.Win)
	id.d.Resize(fyne.NewSize(820, 560))
	a.openDialog(id.d)
}

func kindText(k string) string {
	if k == books.BillOfSupply {
		return L("Bill of supply")
	}
	return L("Tax invoice")
}

// Cancel asks for a reason and cancels the invoice.
func (id *InvoiceDialog) Cancel() {
	a := id.a
	reason := a.entry(L("Why? e.g. wrong items billed"))
	msg := errorText()
	do := func() bool {
		r := strings.TrimSpace(reason.Text)
		if r == "" {
			setError(msg, L("Give a reason for cancelling."))
			return false
		}
		id.CancelWith(r)
		return true
	}
	body := container.NewVBox(wrapLabel(fmt.Sprintf(L("Cancel invoice %s of %s? Its stock and money are reversed; the invoice stays in the books, marked cancelled."), id.Inv.Number, gst.FormatINR(id.Inv.GrandTotal))), reason, msg)
	a.formDialog(L("Cancel invoice"), L("Cancel invoice"), body, fyne.NewSize(560, 260), do)
	a.focus(reason)
}

// CancelWith cancels the invoice with a reason (in the background).
func (id *InvoiceDialog) CancelWith(reason string) {
	id.cancelWith(context.Background(), reason, false)
}

// cancelWith cancels with ctx, which may carry a manager's approval: a
// cashier's cancel asks for a manager's PIN, then tries again.
func (id *InvoiceDialog) cancelWith(ctx context.Context, reason string, approved bool) {
	a := id.a
	num := id.Inv.Number
	a.background(func() error {
		_, err := a.Books.CancelInvoice(ctx, num, reason, a.Books.Now())
		return err
	}, func(err error) {
		if act, ok := overridable(err); ok && !approved {
			a.approve([]staff.Action{act}, "", func(actx context.Context) { id.cancelWith(actx, reason, true) })
			return
		}
		if err != nil {
			a.showError(err)
			return
		}
		a.Say(L("Invoice %s is cancelled."), num)
		if id.changed != nil {
			id.changed()
		}
	})
}

// Return asks which items come back and issues a credit note.
func (id *InvoiceDialog) Return() {
	a := id.a
	inv := id.Inv
	qtys := make([]*Entry, len(inv.Lines))
	form := container.NewVBox()
	for i, l := range inv.Lines {
		qtys[i] = a.entry("0")
		form.Add(container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(90, 38), qtys[i]),
			widget.NewLabel(fmt.Sprintf("%d. %s (%s %s)", i+1, l.Name, gst.FormatQty(l.Qty), l.Unit))))
	}
	reason := a.entry(L("Reason, e.g. damaged, wrong size"))
	restock := widget.NewCheck(L("Put the goods back in stock"), nil)
	restock.SetChecked(true)
	modes := append([]string(nil), moneyModes...)
	labels := make([]string, len(modes))
	for i, m := range modes {
		labels[i] = modeLabel(m)
	}
	if inv.Party != nil {
		labels = append([]string{L("adjust in customer's account")}, labels...)
		modes = append([]string{""}, modes...)
	}
	refund := widget.NewSelect(labels, nil)
	refund.SetSelectedIndex(0)
	msg := errorText()
	var d *formDlg
	do := func() bool {
		var items []books.ReturnLine
		for i, e := range qtys {
			t := strings.TrimSpace(e.Text)
			if t == "" || t == "0" {
				continue
			}
			q, err := gst.ParseQty(t)
			if err != nil || q < 0 {
				setError(msg, fmt.Sprintf(L("Line %d: type how many come back, like 1."), i+1))
				return false
			}
			items = append(items, books.ReturnLine{Index: i, Qty: q})
		}
		if len(items) == 0 {
			setError(msg, L("Type how many of an item come back."))
			return false
		}
		in := store.ReturnInput{Invoice: inv.Number, Items: items, Reason: reason.Text, Restock: restock.Checked, Date: a.Books.Now()}
		mode := modes[refund.SelectedIndex()]
		if mode != "" {
			in.Refunds = []books.PaymentPart{{Mode: mode}}
		} else {
			in.Refunds = []books.PaymentPart{}
		}
		var cn *books.CreditNote
		d.run(func() error {
			var err error
			if mode != "" {
				// Price first to refund the exact credit note total.
				probe := in
				probe.Refunds = nil
				if inv.Party != nil {
					probe.Refunds = []books.PaymentPart{}
				}
				cn, err = previewReturn(a, probe)
				if err != nil {
					return err
				}
				in.Refunds[0].Amount = cn.GrandTotal
			}
			cn, err = a.Books.CreateReturn(context.Background(), in)
			return err
		}, func(err error) {
			if err != nil {
				setError(msg, Message(err))
				return
			}
			d.Hide()
			a.Say(L("Credit note %s for %s made against %s."), cn.Number, gst.FormatINR(cn.GrandTotal), inv.Number)
			if id.changed != nil {
				id.changed()
			}
		})
		return false // closed once the books accept it
	}
	body := container.NewBorder(nil, container.NewVBox(reason, restock, container.NewBorder(nil, nil, widget.NewLabel(L("Refund")), nil, refund), msg), nil, nil,
		container.NewVScroll(form))
	d = a.formDialog(L("Return against")+" "+inv.Number, L("Make credit note"), body, fyne.NewSize(720, 520), do)
	if len(qtys) > 0 {
		a.focus(qtys[0])
	}
}

// previewReturn prices a return without saving it: the books price it the
// same way, so the refund equals the credit note's total.
func previewReturn(a *App, in store.ReturnInput) (*books.CreditNote, error) {
	inv, cancelled, err := a.Books.Invoice(in.Invoice)
	if err != nil {
		return nil, err
	}
	cns, err := a.Books.CreditNotes(inv.ID)
	if err != nil {
		return nil, err
	}
	returned := map[int]int64{}
	for _, cn := range cns {
		for i, ref := range cn.LineRefs {
			if i < len(cn.Lines) {
				returned[ref] += cn.Lines[i].Qty
			}
		}
	}
	biz, err := a.Books.Business()
	if err != nil {
		return nil, err
	}
	return books.PriceReturn(&biz, inv, cancelled, returned, in.Items, in.Date, in.Reason, in.Refunds, in.Restock)
}

// Open opens listed invoice i, as a click on its row does.
func (s *InvoicesScreen) Open(i int) {
	if i >= 0 && i < len(s.rows) {
		s.a.openInvoice(s.rows[i].Number, func() { s.Search() })
	}
}
