package ui_test

import (
	"context"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/printing"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/ui"
)

// The counter's first week (issue 12): what a new shop hits, typed with
// keys as a cashier does.

// Item 1: in the product form, Ctrl+S saves the product; nothing reaches
// the bill behind the form.
func TestCtrlSInProductFormSavesTheProductNotTheBill(t *testing.T) {
	h := demoHarness(t)
	bills := h.invoices()
	n, _ := h.Books.CountProducts()
	h.press(ui.ActProducts)
	h.press(ui.ActAdd)
	h.settle("product form", h.App.DialogOpen)
	test.Type(h.focused(), "Nirma Bathing Soap 100g") // the form starts in the name box
	h.typeInto(h.dialogEntry(4), "32")                // sale price
	h.press(ui.ActSaveBill)                           // Ctrl+S
	h.settle("product saved", func() bool { c, _ := h.Books.CountProducts(); return c == n+1 && !h.App.DialogOpen() })
	if h.App.Current() != ui.ActProducts {
		t.Fatalf("Ctrl+S in the product form moved to %s", h.App.Current())
	}
	if got := h.invoices(); got != bills {
		t.Fatalf("Ctrl+S in the product form saved a bill (%d → %d)", bills, got)
	}
	if !strings.Contains(h.App.Status(), "Saved product Nirma Bathing Soap 100g") {
		t.Fatalf("status %q", h.App.Status())
	}
	hits, _ := h.Books.SearchProducts("Nirma Bathing", 1)
	if len(hits) != 1 || hits[0].SalePrice != 3200 {
		t.Fatalf("saved product %+v", hits)
	}
}

// Item 1: Enter in a box of the product form submits it.
func TestEnterSubmitsTheProductForm(t *testing.T) {
	h := demoHarness(t)
	n, _ := h.Books.CountProducts()
	h.press(ui.ActProducts)
	h.press(ui.ActAdd)
	h.settle("product form", h.App.DialogOpen)
	test.Type(h.focused(), "Vim Bar 200g")
	h.key(fyne.KeyReturn)
	h.settle("product saved", func() bool { c, _ := h.Books.CountProducts(); return c == n+1 && !h.App.DialogOpen() })
}

// Item 1: in the new-party form opened from a bill, Ctrl+S saves the party
// and puts it on the bill; the bill is saved only by the next Ctrl+S, with
// its party.
func TestCtrlSInPartyFormSavesThePartyNotTheBill(t *testing.T) {
	h := demoHarness(t)
	b := h.App.Billing
	bills := h.invoices()
	h.scan(h.product(0).SKU)
	h.settle("line", func() bool { return len(b.Bill.Lines) == 1 })
	h.press(ui.ActCustomer)
	test.Type(b.CustomerBox, "Ramesh Newcustomer")
	h.key(fyne.KeyReturn) // no such party: the new-party form opens
	h.settle("party form", h.App.DialogOpen)
	test.Type(h.focused(), "9876501234") // the name is filled in; the phone box has the focus
	h.press(ui.ActSaveBill)
	h.settle("party picked", func() bool { return !h.App.DialogOpen() && b.Bill.Party != nil })
	if got := h.invoices(); got != bills {
		t.Fatalf("Ctrl+S in the party form saved the bill (%d → %d)", bills, got)
	}
	if b.Bill.Party.Name != "Ramesh Newcustomer" || len(b.Bill.Lines) != 1 {
		t.Fatalf("bill after the party form: party %+v, %d lines", b.Bill.Party, len(b.Bill.Lines))
	}
	h.press(ui.ActSaveBill)
	h.settle("bill saved", func() bool { return !b.Saving() && b.LastInvoice() != "" })
	inv, _, err := h.Books.Invoice(b.LastInvoice())
	if err != nil || inv.Party == nil || inv.Party.Name != "Ramesh Newcustomer" {
		t.Fatalf("saved bill %+v %v", inv, err)
	}
}

// Item 1: while a dialog is open, no shortcut reaches the screen behind it.
func TestShortcutsDoNotReachBehindADialog(t *testing.T) {
	h := demoHarness(t)
	b := h.App.Billing
	h.scan(h.product(0).SKU)
	h.settle("line", func() bool { return len(b.Bill.Lines) == 1 })
	h.press(ui.ActProducts)
	h.press(ui.ActAdd)
	h.settle("product form", h.App.DialogOpen)
	for _, a := range []ui.Action{ui.ActBilling, ui.ActNewBill, ui.ActDeleteLine, ui.ActHoldBill, ui.ActRecallBill, ui.ActCustomer, ui.ActToday} {
		h.press(a)
		h.settle("nothing", func() bool { return true })
		if !h.App.DialogOpen() || h.App.Current() != ui.ActProducts || len(b.Bill.Lines) != 1 || len(b.Held()) != 0 {
			t.Fatalf("%s reached behind the product form: dialog %v, screen %s, %d lines, %d held",
				ui.ShortcutFor(a).KeyText(), h.App.DialogOpen(), h.App.Current(), len(b.Bill.Lines), len(b.Held()))
		}
	}
	h.esc()
	if h.App.DialogOpen() {
		t.Fatal("Esc did not close the form")
	}
	// With no dialog, Ctrl+S on another screen does not save the bill
	// out of sight.
	bills := h.invoices()
	h.press(ui.ActSaveBill)
	h.settle("nothing", func() bool { return true })
	if h.invoices() != bills || len(b.Bill.Lines) != 1 {
		t.Fatal("Ctrl+S on the Products screen saved the bill behind it")
	}
}

// Item 2: the bill is saved with exactly what the screen shows, or not at
// all: a quantity, price, discount or payment the bill cannot take makes
// Ctrl+S refuse, with the box marked and the focus in it.
func TestSaveTakesWhatIsShownOrRefuses(t *testing.T) {
	cases := []struct {
		name      string
		box       func(b *ui.BillingScreen) *ui.Entry
		bad, good string
		check     func(inv *books.Invoice) bool
	}{
		{"Qty", func(b *ui.BillingScreen) *ui.Entry { return b.Cell(0, 0) }, "-1", "2",
			func(inv *books.Invoice) bool { return inv.Lines[0].Qty == 2000 }},
		{"Price", func(b *ui.BillingScreen) *ui.Entry { return b.Cell(0, 1) }, "4o", "45",
			func(inv *books.Invoice) bool { return inv.Lines[0].Price == 4500 }},
		{"Discount", func(b *ui.BillingScreen) *ui.Entry { return b.Cell(0, 2) }, "10x", "10%",
			func(inv *books.Invoice) bool { return inv.Lines[0].Discount == gst.RoundDiv(inv.Lines[0].Gross(), 10) }},
		{"UPI", func(b *ui.BillingScreen) *ui.Entry { return b.UPI }, "5O", "",
			func(inv *books.Invoice) bool { return len(inv.Payments) == 1 && inv.Payments[0].Mode == books.ModeCash }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := demoHarness(t)
			b := h.App.Billing
			h.scan(h.product(0).SKU)
			h.settle("line", func() bool { return len(b.Bill.Lines) == 1 })
			bills := h.invoices()
			box := c.box(b)
			h.typeInto(box, c.bad)
			h.tab()
			if box.Text != c.bad {
				t.Fatalf("the box shows %q after Tab, want %q as typed", box.Text, c.bad)
			}
			h.press(ui.ActSaveBill)
			h.settle("refused", func() bool { return true })
			if h.invoices() != bills || b.Saving() {
				t.Fatalf("a bill was saved while the %s box shows %q", c.name, c.bad)
			}
			if h.Win.Canvas().Focused() != box {
				t.Fatalf("the focus is on %T, not in the %s box", h.Win.Canvas().Focused(), c.name)
			}
			if b.BoxError(box) == "" {
				t.Fatalf("the %s box is not marked", c.name)
			}
			if len(b.Bill.Lines) != 1 {
				t.Fatal("the bill was cleared")
			}
			h.typeInto(box, c.good)
			if b.BoxError(box) != "" {
				t.Fatalf("the %s box is still marked after %q: %s", c.name, c.good, b.BoxError(box))
			}
			h.press(ui.ActSaveBill)
			h.settle("saved", func() bool { return !b.Saving() && b.LastInvoice() != "" })
			inv, _, err := h.Books.Invoice(b.LastInvoice())
			if err != nil || !c.check(inv) {
				t.Fatalf("saved %+v %v", inv, err)
			}
		})
	}
}

// Item 3: a tax-inclusive item's line shows qty × price on the counter
// screen, and the round off takes the paisa of the per-rate tax.
func TestInclusiveLineShowsQtyTimesPrice(t *testing.T) {
	h := demoHarness(t)
	b := h.App.Billing
	for _, p := range []books.Product{
		{Name: "Pears Soap 125g", SKU: "PEARS125", SalePrice: 10000, PriceIncludesTax: true, GSTRate: 1800, Unit: "PCS"},
		{Name: "Tata Salt 1kg Incl", SKU: "SALTINCL", SalePrice: 2800, PriceIncludesTax: true, GSTRate: 500, Unit: "PCS"},
	} {
		if _, err := h.Books.SaveProduct(p); err != nil {
			t.Fatal(err)
		}
	}
	h.scan("PEARS125")
	h.settle("line", func() bool { return len(b.Bill.Lines) == 1 })
	if got := b.LineAmount(0); got != "100.00" {
		t.Fatalf("₹100.00 incl. 18%% shows %s", got)
	}
	if b.Total() != "₹100.00" {
		t.Fatalf("total %s, want ₹100.00", b.Total())
	}
	h.scan("2*SALTINCL")
	h.settle("line", func() bool { return len(b.Bill.Lines) == 2 })
	if got := b.LineAmount(1); got != "56.00" {
		t.Fatalf("2 × ₹28.00 incl. 5%% shows %s", got)
	}
	if b.Total() != "₹156.00" {
		t.Fatalf("total %s, want ₹156.00", b.Total())
	}
	h.press(ui.ActSaveBill)
	h.settle("saved", func() bool { return !b.Saving() && b.LastInvoice() != "" })
	inv, _, _ := h.Books.Invoice(b.LastInvoice())
	if inv.Lines[0].Total != 10000 || inv.Lines[1].Total != 5600 || inv.GrandTotal != 15600 {
		t.Fatalf("saved lines %d, %d, total %d", inv.Lines[0].Total, inv.Lines[1].Total, inv.GrandTotal)
	}
}

// Item 5: at 1366×768 the payment panel fits in every state: no scrollbar,
// the grand total whole, the line saying what goes on the account above
// the Save button. The desktop driver draws the menu bar inside the
// window, so the screen gets 1366×738 of it.
func TestPaymentPanelFitsAt1366x768(t *testing.T) {
	h := demoHarness(t)
	h.Win.Resize(fyne.NewSize(1366, 768-30))
	b := h.App.Billing
	fits := func(state string) {
		t.Helper()
		h.settle(state, func() bool { return true })
		if over := b.PanelOverflow(); over != "" {
			t.Errorf("%s: %s", state, over)
		}
	}
	// A bill with every tax row: CGST, SGST, cess and round off.
	if _, err := h.Books.SaveProduct(books.Product{Name: "Gold Flake Kings 20s", SKU: "GFK20", SalePrice: 3400_00, GSTRate: 4000, CessRate: 500, Unit: "PCS"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 6; i++ {
		h.scan(h.product(i * 5).SKU)
	}
	h.scan("GFK20")
	h.settle("lines", func() bool { return len(b.Bill.Lines) == 7 })
	fits("seven lines, walk-in")

	// A customer picked by name, the rest on their account.
	parties, _ := h.Books.ListParties("", 100)
	var cust string
	for _, p := range parties {
		if p.Kind == books.Customer && p.Phone != "" {
			cust = p.Name
			break
		}
	}
	h.press(ui.ActCustomer)
	test.Type(b.CustomerBox, cust[:3])
	h.settle("matches", func() bool { return len(b.CustomerHits()) > 0 })
	fits("customer matches open")
	h.typeInto(b.CustomerBox, cust)
	h.settle("match", func() bool { return len(b.CustomerHits()) > 0 })
	h.key(fyne.KeyReturn)
	h.settle("customer", func() bool { return b.Bill.Party != nil })
	h.press(ui.ActPayment)
	test.Type(b.Cash, "500")
	h.tab() // UPI
	h.tab() // Card
	h.tab() // Rest on credit
	test.Type(h.Win.Canvas().Focused().(fyne.Focusable), " ")
	if !b.Credit.Checked {
		t.Fatal("Space on the credit tick did not tick it")
	}
	if !strings.Contains(b.PaymentMessage(), "goes on the customer's account") {
		t.Fatalf("payment message %q", b.PaymentMessage())
	}
	fits("rest on credit")

	// A walk-in paying short.
	test.Tap(h.screenButton("Walk-in"))
	h.typeInto(b.Cash, "100")
	if !strings.Contains(b.PaymentMessage(), "still to pay") {
		t.Fatalf("payment message %q", b.PaymentMessage())
	}
	fits("walk-in paying short")

	// An export under LUT (its declaration shown) to a customer on credit.
	b.SetCustomer(&books.PartySnapshot{Name: "Acme Imports LLC", Address: "12 Harbour Street, Dubai"}, 0)
	test.Tap(b.TermsButton())
	h.radio().SetSelected(gst.ExportUnderLUT.Label())
	h.press(ui.ActSaveBill) // Ctrl+S applies the terms dialog
	if h.App.DialogOpen() || b.TermsNote() == "" {
		t.Fatalf("export terms not taken: note %q", b.TermsNote())
	}
	b.Credit.SetChecked(true)
	fits("export with its declaration, rest on credit")
}

// Item 6: in Recall, the arrows move through the held bills and Enter
// brings back the highlighted one.
func TestRecallPicksTheHighlightedBillWithEnter(t *testing.T) {
	h := demoHarness(t)
	b := h.App.Billing
	p1, p2 := h.product(0), h.product(1)
	for _, p := range []books.Product{p1, p2} {
		h.scan(p.SKU)
		h.settle("line", func() bool { return len(b.Bill.Lines) == 1 })
		h.press(ui.ActHoldBill)
	}
	if len(b.Held()) != 2 {
		t.Fatalf("%d bills held", len(b.Held()))
	}
	h.press(ui.ActRecallBill)
	if !h.App.DialogOpen() {
		t.Fatal("Recall shows no list")
	}
	h.key(fyne.KeyDown)
	h.key(fyne.KeyReturn)
	if h.App.DialogOpen() {
		t.Fatal("Enter did not pick a held bill")
	}
	if len(b.Bill.Lines) != 1 || b.Bill.Lines[0].ProductID != p2.ID {
		t.Fatalf("recalled %+v, want the second held bill (%s)", b.Bill.Lines, p2.Name)
	}
	if len(b.Held()) != 1 || b.Held()[0].Lines[0].ProductID != p1.ID {
		t.Fatalf("still held: %+v", b.Held())
	}
}

// Item 6: the product form shows every problem at once, each next to its
// box, and puts the focus in the first box, top to bottom.
func TestProductFormShowsEveryProblemAtOnce(t *testing.T) {
	h := demoHarness(t)
	n, _ := h.Books.CountProducts()
	h.press(ui.ActProducts)
	h.press(ui.ActAdd)
	h.settle("product form", h.App.DialogOpen)
	h.typeInto(h.dialogEntry(3), "12") // HSN: too short
	h.typeInto(h.dialogEntry(4), "4o") // sale price: not rupees
	h.typeInto(h.dialogEntry(8), "-5") // reorder level: negative
	h.press(ui.ActSaveBill)            // the name is left empty
	h.settle("refused", func() bool { return true })
	if c, _ := h.Books.CountProducts(); c != n || !h.App.DialogOpen() {
		t.Fatal("a product with problems was saved")
	}
	text := dialogText(h)
	for _, want := range []string{"Product name is required", "HSN", "Type rupees", "Reorder level cannot be negative"} {
		if !strings.Contains(text, want) {
			t.Errorf("the form does not say %q:\n%s", want, text)
		}
	}
	if h.Win.Canvas().Focused() != h.dialogEntry(0) {
		t.Errorf("the focus is on %T, not in the name box (the first problem)", h.Win.Canvas().Focused())
	}
	// Put right, it saves.
	h.typeInto(h.dialogEntry(0), "Lifebuoy Soap 100g")
	h.typeInto(h.dialogEntry(3), "3401")
	h.typeInto(h.dialogEntry(4), "40")
	h.typeInto(h.dialogEntry(8), "5")
	h.press(ui.ActSaveBill)
	h.settle("saved", func() bool { c, _ := h.Books.CountProducts(); return c == n+1 && !h.App.DialogOpen() })
}

// Item 7: a printer problem says where in Settings it is put right, with a
// button to go there, and never sends the shopkeeper to the command line;
// the message does not stay on every screen afterwards.
func TestPrinterProblemPointsToSettings(t *testing.T) {
	path, err := demo.Cached(context.Background(), demo.Small, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessWith(t, path, func(st *store.Store) ui.Options { return ui.Options{Printer: ui.StorePrinter(st)} })
	// A receipt printer on the network that is switched off: nothing
	// listens on the port.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	if err := printing.SaveSettings(h.Books, printing.Settings{Format: printing.Roll80, Raw: addr, Auto: true}); err != nil {
		t.Fatal(err)
	}
	b := h.App.Billing
	h.scan(h.product(0).SKU)
	h.settle("line", func() bool { return len(b.Bill.Lines) == 1 })
	h.press(ui.ActSaveBill)
	h.settle("print tried", func() bool { return h.App.StatusAction() != "" })
	if st := h.App.Status(); !strings.Contains(st, "Settings") || strings.Contains(st, "naukar ") {
		t.Fatalf("status %q does not say where in Settings", st)
	}
	if h.Win.Canvas().Focused() != b.ItemBox || h.App.DialogOpen() {
		t.Fatal("a printer problem after a save took the keyboard from the item box")
	}
	test.Tap(h.statusButton())
	if h.App.Current() != ui.ActSettings || h.Win.Canvas().Focused() != h.App.Settings.Printer {
		t.Fatalf("the button opened %s with the focus on %T", h.App.Current(), h.Win.Canvas().Focused())
	}
	if h.App.Status() != "" {
		t.Fatalf("the problem is still in the status bar on Settings: %q", h.App.Status())
	}

	// Reprinting the last bill: the problem in a dialog, with the button.
	h.press(ui.ActLastBill)
	h.settle("invoice", h.App.DialogOpen)
	test.Tap(h.button("Reprint"))
	h.settle("problem", func() bool { return strings.Contains(dialogText(h), "Settings") })
	if strings.Contains(dialogText(h), "naukar ") {
		t.Fatalf("the dialog sends the shopkeeper to the command line:\n%s", dialogText(h))
	}
	test.Tap(h.button("Open printer settings"))
	if h.App.DialogOpen() || h.App.Current() != ui.ActSettings {
		t.Fatalf("dialog open %v, screen %s", h.App.DialogOpen(), h.App.Current())
	}
	h.press(ui.ActProducts)
	if h.App.Status() != "" {
		t.Fatalf("the problem followed to Products: %q", h.App.Status())
	}
}

// screenText is all visible label text of the screen behind any dialog.
func screenText(h *harness) string {
	var b strings.Builder
	walk(h.Win.Canvas().Content(), func(o fyne.CanvasObject) {
		switch l := o.(type) {
		case *widget.Label:
			if l.Visible() {
				b.WriteString(l.Text + "\n")
			}
		case *canvas.Text:
			if l.Visible() {
				b.WriteString(l.Text + "\n")
			}
		}
	})
	return b.String()
}

var isoDate = regexp.MustCompile(`\b20\d\d-\d\d-\d\d\b`)

// Item 8: the wizard drops "Business name is required." once the name is
// typed.
func TestWizardDropsAProblemOnceItsBoxChanges(t *testing.T) {
	h := newHarness(t, filepath.Join(t.TempDir(), "books.db"))
	w := h.App.Wizard
	h.typeInto(w.Profile.Prefix, "GK")
	h.key(fyne.KeyReturn) // Enter in the last box: start billing
	h.settle("refused", func() bool { return w.Profile.FieldError("name") != "" })
	h.typeInto(w.Profile.Name, "Gupta Kirana")
	if e := w.Profile.FieldError("name"); e != "" {
		t.Fatalf("the name box still says %q after the name is typed", e)
	}
	h.Win.Canvas().Focus(w.Profile.Prefix)
	h.key(fyne.KeyReturn)
	h.settle("billing", func() bool { return h.App.Billing != nil })
}

// Item 8: Today names the modes as people say them and shows the sales
// put on credit, so sales and collections add up in plain sight.
func TestTodayExplainsSalesAndCollections(t *testing.T) {
	h := demoHarness(t)
	b := h.App.Billing
	parties, _ := h.Books.ListParties("", 100)
	var cust string
	for _, p := range parties {
		if p.Kind == books.Customer {
			cust = p.Name
			break
		}
	}
	h.scan(h.product(2).SKU)
	h.settle("line", func() bool { return len(b.Bill.Lines) == 1 })
	h.press(ui.ActCustomer)
	test.Type(b.CustomerBox, cust)
	h.settle("match", func() bool { return len(b.CustomerHits()) > 0 })
	h.key(fyne.KeyReturn)
	h.settle("customer", func() bool { return b.Bill.Party != nil })
	h.press(ui.ActPayment)
	test.Type(b.Cash, "10")
	b.Credit.SetChecked(true)
	credit := b.Bill.GrandTotal() - 1000
	h.press(ui.ActSaveBill)
	h.settle("saved", func() bool { return !b.Saving() && b.LastInvoice() != "" })

	h.press(ui.ActToday)
	d := h.App.Today
	h.settle("day", func() bool { return d.Day.Date != "" })
	if d.Day.OnCredit < credit {
		t.Fatalf("on credit %d, want at least the %d just sold on credit", d.Day.OnCredit, credit)
	}
	if d.Day.Sales != d.Day.SalesPaid+d.Day.OnCredit {
		t.Fatalf("sales %d ≠ paid %d + credit %d", d.Day.Sales, d.Day.SalesPaid, d.Day.OnCredit)
	}
	text := screenText(h)
	for _, want := range []string{"On credit (customers' accounts)", gst.FormatINR(d.Day.OnCredit), "Cash\n",
		"Sales " + gst.FormatINR(d.Day.Sales) + " = " + gst.FormatINR(d.Day.SalesPaid) + " paid at the counter + " + gst.FormatINR(d.Day.OnCredit) + " on credit"} {
		if !strings.Contains(text, want) {
			t.Errorf("Today does not show %q:\n%s", want, text)
		}
	}
	for _, raw := range []string{"cash\n", "upi\n"} {
		if strings.Contains(text, raw) {
			t.Errorf("Today shows the mode as %q", strings.TrimSpace(raw))
		}
	}
	if d.Date.Text != gst.FormatDay(demo.Today) {
		t.Errorf("the date box shows %q, want %s", d.Date.Text, gst.FormatDay(demo.Today))
	}
}

// Item 8: every date a person reads is dd-mm-yyyy.
func TestDatesReadDDMMYYYY(t *testing.T) {
	h := demoHarness(t)
	check := func(where, text string) {
		t.Helper()
		if m := isoDate.FindString(text); m != "" {
			t.Errorf("%s shows the date %s", where, m)
		}
		if !regexp.MustCompile(`\b\d\d-\d\d-20\d\d\b`).MatchString(text) {
			t.Errorf("%s shows no dd-mm-yyyy date:\n%s", where, text)
		}
	}
	h.press(ui.ActInvoices)
	s := h.App.Invoices
	h.settle("list", func() bool { return len(s.Rows()) > 0 && !s.Loading() })
	h.settle("drawn", func() bool { return true })
	check("Invoices", screenText(h))
	s.Open(0)
	h.settle("open", h.App.DialogOpen)
	check("an invoice", dialogText(h))
	h.esc()
	h.press(ui.ActParties)
	p := h.App.Parties
	h.settle("parties", func() bool { return len(p.Hits()) > 0 })
	for _, hit := range p.Hits() {
		if hit.Balance != 0 {
			p.Open(hit)
			break
		}
	}
	h.settle("ledger", func() bool { return len(p.Ledger()) > 1 })
	check("a ledger", screenText(h))
	h.press(ui.ActExpenses)
	h.settle("expenses", func() bool { return len(h.App.Expenses.Rows()) > 0 })
	check("Expenses", screenText(h))
}

// Item 8: the product list has column headers, stock with its unit and
// counts in good English; an empty catalogue says how to fill it.
func TestProductListHeadersUnitsAndEmptyHint(t *testing.T) {
	h := newHarness(t, filepath.Join(t.TempDir(), "books.db"))
	h.typeInto(h.App.Wizard.Profile.Name, "Chai Point")
	h.App.Wizard.Unregistered()
	h.settle("billing", func() bool { return h.App.Billing != nil })
	h.press(ui.ActProducts)
	p := h.App.Products
	h.settle("empty", func() bool { return p.EmptyHint() != "" })
	if !strings.Contains(p.EmptyHint(), "New product") || !strings.Contains(p.EmptyHint(), "Import CSV") {
		t.Fatalf("empty catalogue hint %q", p.EmptyHint())
	}
	if _, err := h.Books.SaveProduct(books.Product{Name: "Masala Chai", SKU: "CHAI", SalePrice: 1500, GSTRate: 500, Unit: "KGS", OpeningStock: 2500}); err != nil {
		t.Fatal(err)
	}
	h.press(ui.ActInvoices)
	h.press(ui.ActProducts)
	h.settle("one", func() bool { return p.Total() == 1 })
	h.settle("row", func() bool { _, ok := p.Row(0); return ok })
	h.settle("drawn", func() bool { return true })
	text := screenText(h)
	for _, want := range []string{"1 product\n", "Product\n", "SKU\n", "Price\n", "In stock\n", "2.5 KGS\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the product list lacks %q:\n%s", want, text)
		}
	}
	if p.EmptyHint() != "" {
		t.Errorf("the empty hint stays: %q", p.EmptyHint())
	}
	// Found by a search, the stock has its unit too.
	h.typeInto(p.Search, "masala")
	h.settle("found", func() bool { r, ok := p.Row(0); return ok && r.Unit == "KGS" && p.Total() == 1 })
	h.settle("drawn", func() bool { return true })
	if text := screenText(h); !strings.Contains(text, "2.5 KGS\n") {
		t.Errorf("a searched row lacks its unit:\n%s", text)
	}
}

// Ctrl+S on Settings saves the part that has the focus, not the bill.
func TestCtrlSSavesSettings(t *testing.T) {
	h := demoHarness(t)
	h.press(ui.ActSettings)
	s := h.App.Settings
	h.typeInto(s.Profile.UPI, "sharma@okaxis")
	h.press(ui.ActSaveBill)
	h.settle("profile saved", func() bool { b, _ := h.Books.Business(); return b.UPI == "sharma@okaxis" })
	h.typeInto(s.Series, "C")
	h.press(ui.ActSaveBill)
	h.settle("counter saved", func() bool { v, _ := h.Books.Meta("series"); return v == "C" })
	if h.App.Current() != ui.ActSettings {
		t.Fatalf("Ctrl+S on Settings moved to %s", h.App.Current())
	}
}
