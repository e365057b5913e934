package ui_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/printing"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/ui"
)

// flakyPrinter fails, then panics, then prints.
type flakyPrinter struct{ n atomic.Int32 }

func (p *flakyPrinter) PrintInvoice(number string) error {
	switch p.n.Add(1) {
	case 1:
		return errors.New(`printer at 192.168.1.20 for Meena Traders (phone +91 98765 43210, meena@example.in) is off: connection refused`)
	case 2:
		var lines []string
		_ = lines[len(number)] // a bug: index out of range
	}
	return nil
}

// TestUsageAndErrorReports: the features used are counted where they are
// used (a bill saved, a bill printed, an expense) and the errors the shopkeeper was
// shown and a recovered panic become error reports, with no name, phone
// number, address or amount of the books in them; the app goes on after
// the panic.
func TestUsageAndErrorReports(t *testing.T) {
	path, err := demo.Cached(context.Background(), demo.Small, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var tel *syncapp.Telemetry
	p := &flakyPrinter{}
	h := newHarnessWith(t, path, func(st *store.Store) ui.Options {
		tel = syncapp.NewTelemetry(st, "1.4.0", nil)
		return ui.Options{Printer: p, Telemetry: tel}
	})
	if err := printing.SaveSettings(h.Books, printing.Settings{Format: printing.Roll80, Auto: true}); err != nil {
		t.Fatal(err)
	}
	b := h.App.Billing
	h.scan(h.product(0).SKU)
	h.settle("line", func() bool { return len(b.Bill.Lines) == 1 })
	h.press(ui.ActSaveBill)
	h.settle("the print failed", func() bool {
		return p.n.Load() == 1 && strings.Contains(h.App.Status(), "Something went wrong inside AI Naukar")
	})

	reprint := func(want string) {
		h.press(ui.ActLastBill)
		h.settle("invoice", h.App.DialogOpen)
		test.Tap(h.button("Reprint"))
		h.settle(want, func() bool { return strings.Contains(h.App.Status()+dialogText(h), want) })
		for h.App.DialogOpen() {
			h.esc()
		}
	}
	reprint("Something went wrong inside the app") // the panic, recovered
	reprint("to the printer")                      // the app goes on
	h.press(ui.ActExpenses)
	h.App.Expenses.Category.SetText("Tea")
	h.App.Expenses.Amount.SetText("20")
	h.App.Expenses.Save()
	h.settle("the expense", func() bool { return strings.Contains(h.App.Status(), "Expense saved") })

	pend := tel.Pending()
	var feats []string
	for _, e := range pend.Events {
		feats = append(feats, e.Feature)
	}
	if strings.Join(feats, " ") != "bill.save invoice.print expense.record" {
		t.Errorf("usage events %v, want bill.save invoice.print expense.record", feats)
	}
	if len(pend.Errors) != 2 {
		t.Fatalf("error reports: %+v", pend.Errors)
	}
	failed, panicked := pend.Errors[0], pend.Errors[1]
	for _, r := range pend.Errors {
		for _, leak := range []string{"Meena", "Traders", "98765", "43210", "192.168", "meena@", "example.in"} {
			if strings.Contains(r.Message, leak) || strings.Contains(r.Stack, leak) {
				t.Errorf("the report keeps %q: %q", leak, r.Message)
			}
		}
		if r.AppVersion != "1.4.0" || r.Stack == "" {
			t.Errorf("report without version or stack: %+v", r)
		}
	}
	if !strings.Contains(failed.Message, "printer at") || !strings.Contains(failed.Message, "is off: connection refused") {
		t.Errorf("the report lost what went wrong: %q", failed.Message)
	}
	if !strings.HasPrefix(panicked.Message, "panic: runtime error: index out of range") || !strings.Contains(panicked.Stack, "flakyPrinter") {
		t.Errorf("the panic's report: %q\n%s", panicked.Message, panicked.Stack)
	}
}
