package ui

import (
	"context"
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

// defaultCategories are offered before the shop has its own.
var defaultCategories = []string{"Rent", "Electricity", "Salary", "Transport", "Tea and snacks", "Repairs", "Packing material", "Phone and internet"}

// ExpensesScreen is quick expense entry by category, with the recent list.
type ExpensesScreen struct {
	screenBase
	a        *App
	Category *widget.SelectEntry
	Amount   *Entry
	Note     *Entry
	Mode     *widget.Select
	msg      *widget.Label
	list     *widget.List
	rows     []store.ExpenseRow
	catBtns  *fyne.Container
}

func newExpensesScreen(a *App) *ExpensesScreen {
	s := &ExpensesScreen{a: a}
	s.Category = widget.NewSelectEntry(defaultCategories)
	s.Category.SetPlaceHolder(L("Category, e.g. Rent"))
	s.Amount = a.entry(L("amount ₹"))
	s.Note = a.entry(L("note (optional)"))
	s.Mode = modePicker()
	s.msg = errorText()
	s.Amount.OnSubmitted = func(string) { s.Save() }
	s.Note.OnSubmitted = func(string) { s.Save() }
	s.catBtns = container.NewGridWrap(fyne.NewSize(170, 38))
	save := widget.NewButtonWithIcon(L("Save expense (Enter)"), theme.DocumentSaveIcon(), s.Save)
	save.Importance = widget.HighImportance
	form := widget.NewForm(widget.NewFormItem(L("Category"), s.Category), widget.NewFormItem(L("Amount ₹"), s.Amount),
		widget.NewFormItem(L("Paid by"), s.Mode), widget.NewFormItem(L("Note"), s.Note))
	s.list = widget.NewList(func() int { return len(s.rows) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			amt := widget.NewLabel("")
			return container.NewBorder(nil, nil, nil, amt, l)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(s.rows) {
				return
			}
			r := s.rows[id]
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s  %s  %s  %s", gst.FormatDate(r.Date), r.Category, modeLabel(r.Mode), r.Note))
			c.Objects[1].(*widget.Label).SetText(gst.FormatINR(r.Amount))
		})
	left := container.NewVBox(heading(L("Expenses")), widget.NewLabel(L("Quick pick:")), s.catBtns, form, s.msg, save)
	right := container.NewBorder(boldLabel(L("Recent expenses")), nil, nil, nil, s.list)
	split := container.NewHSplit(left, right)
	split.Offset = 0.5
	s.content = container.NewPadded(split)
	s.ExtendBaseWidget(s)
	return s
}

func (s *ExpensesScreen) shown() {
	s.a.focus(s.Amount)
	s.Reload()
}

func (s *ExpensesScreen) handle(act Action) bool {
	switch act {
	case ActAdd, ActFind:
		s.a.focus(s.Amount)
	case ActSaveBill: // Ctrl+S saves the expense being typed
		s.Save()
	default:
		return false
	}
	return true
}

// Reload reads the categories and recent expenses.
func (s *ExpensesScreen) Reload() {
	var rows []store.ExpenseRow
	var cats []string
	s.a.background(func() error {
		var err error
		if rows, err = s.a.Books.ListExpenses("", "", 200); err != nil {
			return err
		}
		cats, err = s.a.Books.ExpenseCategories()
		return err
	}, func(err error) {
		if err != nil {
			setError(s.msg, Message(err))
			return
		}
		s.rows = rows
		s.list.Refresh()
		seen := map[string]bool{}
		var all []string
		for _, c := range append(cats, defaultCategories...) {
			if !seen[strings.ToLower(c)] {
				seen[strings.ToLower(c)] = true
				all = append(all, c)
			}
		}
		s.Category.SetOptions(all)
		s.catBtns.Objects = nil
		for i, c := range all {
			if i == 8 {
				break
			}
			c := c
			s.catBtns.Add(widget.NewButton(c, func() {
				s.Category.SetText(c)
				s.a.focus(s.Amount)
			}))
		}
		s.catBtns.Refresh()
	})
}

// Rows are the expenses listed.
func (s *ExpensesScreen) Rows() []store.ExpenseRow { return s.rows }

// Save records the expense typed in the form.
func (s *ExpensesScreen) Save() {
	v, err := gst.ParseAmount(s.Amount.Text)
	if err != nil || v <= 0 {
		setError(s.msg, L("Type the amount in rupees, like 500."))
		return
	}
	e := books.Expense{Category: s.Category.Text, Amount: v, Mode: pickedMode(s.Mode), Note: s.Note.Text,
		Date: s.a.Books.Now().Format(books.DateLayout)}
	s.a.background(func() error {
		_, err := s.a.Books.RecordExpense(context.Background(), e)
		return err
	}, func(err error) {
		if err != nil {
			setError(s.msg, Message(err))
			return
		}
		s.a.used("expense.record")
		setError(s.msg, "")
		s.Amount.SetText("")
		s.Note.SetText("")
		s.a.Say(L("Expense saved: %s %s."), e.Category, gst.FormatINR(e.Amount))
		s.Reload()
		s.a.focus(s.Amount)
	})
}
