// Command screenshots opens the counter app on demo books and saves a
// 1366×768 PNG of every screen. Run it under X (scripts/screenshots.sh
// starts Xvfb): go run ./app/ui/screenshots -out docs/screenshots
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/theme"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/app/ui"
	"github.com/ainaukar/naukar/app/ui/privacyview"
	"github.com/ainaukar/naukar/app/ui/reportsview"
	"github.com/ainaukar/naukar/sync/protocol"
)

// privacyView is Settings → Privacy (the privacy set).
var privacyView *privacyview.View

// reportsView is the Reports screen (the staff set shows its day book).
var reportsView *reportsview.View

func main() {
	out := flag.String("out", "docs/screenshots", "folder for the PNG files")
	set := flag.String("set", "main", "which shots: main (every screen), hindi (billing in Hindi), wizard (first run), assistant, assistant-hindi (the AI assistant), staff (sign-in, roles, a manager's approval, the day book's made-by), privacy (Settings → Privacy), whatsapp, whatsapp-hindi (the reminder rule, the month's messages used up), ownkeys, ownkeys-hindi (Settings → WhatsApp number… and Razorpay keys…)")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "naukar-shots")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "books.db")
	if *set != "wizard" {
		if path, err = demo.Cached(context.Background(), demo.Small, dir); err != nil {
			log.Fatal(err)
		}
	}
	opts := store.Options{Now: func() time.Time { return demo.Today }}
	if *set == "staff" {
		opts.PINParams = &staff.TestParams
	}
	st, err := store.Open(path, opts)
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	if *set == "staff" {
		addStaff(st)
	}

	ui.LoadTranslations()
	fyneapp.SetMetadata(fyne.AppMetadata{ID: ui.AppID, Name: "Naukar", Migrations: map[string]bool{"fyneDo": true}})
	fa := fyneapp.NewWithID(ui.AppID)
	fa.Settings().SetTheme(ui.Theme{})
	w := fa.NewWindow("Naukar")
	w.Resize(fyne.NewSize(1366, 768))
	w.SetFixedSize(true)
	svc := reports.New(st)
	opt := ui.Options{Reports: func(w fyne.Window) fyne.CanvasObject {
		reportsView = reportsview.NewWithDo(w, svc, nil)
		return reportsView
	}}
	model := withAssistant(st, &opt)
	var wa *shotWhatsApp
	if *set == "whatsapp" || *set == "whatsapp-hindi" {
		wa = withWhatsApp(st, &opt)
	}
	if *set == "ownkeys" || *set == "ownkeys-hindi" {
		opt.OwnAccounts = shotAccounts{}
	}
	if *set == "privacy" || *set == "privacy-hindi" {
		// A few usage events and an error waiting to be sent, as the
		// Privacy screen shows them.
		tel := syncapp.NewTelemetry(st, "1.4.0", func() time.Time { return demo.Today })
		tel.Use("bill.save")
		tel.Use("report.open")
		tel.Use("invoice.print")
		tel.Error(errors.New(`print invoice "A-0042" for Meena Traders: printer "EPSON-TM" not found`), "app/printing.PrintStored\n\tapp/printing/print.go:88")
		opt.Privacy = func(w fyne.Window) fyne.CanvasObject {
			// Signed in to a sync server: every button is on.
			_ = st.SetMeta(map[string]string{client.MetaServer: "https://sync.ainaukar.in"})
			noop := func(context.Context, string, func(int64, int64)) (int64, error) { return 0, nil }
			privacyView = privacyview.New(w, tel, func(*url.URL) error { return nil }, privacyview.Rights{ExportBooks: noop,
				ExportAccount: func(context.Context, string, func(protocol.ExportStatus)) (int64, error) { return 0, nil },
				DeleteAccount: func(context.Context, string) (protocol.DeleteAccountResponse, error) {
					return protocol.DeleteAccountResponse{}, nil
				}})
			return privacyView
		}
	}
	a := ui.New(w, st, opt)
	a.Start()
	fa.Lifecycle().SetOnStarted(func() {
		go func() {
			defer fyne.Do(fa.Quit)
			if wa != nil {
				whatsappShots(a, st, wa, fyne.DoAndWait, snapper(*out), *set == "whatsapp-hindi")
				return
			}
			shoot(a, st, w, *out, *set, model)
		}()
	})
	w.ShowAndRun()
}

// snapper saves the X server's picture of the window, as a person sees
// it, to out/NAME.png.
func snapper(out string) func(string) {
	return func(name string) {
		time.Sleep(900 * time.Millisecond) // background reads land, frames settle
		file := filepath.Join(out, name+".png")
		cmd := exec.Command("import", "-window", "root", "-crop", "1366x768+0+0", "+repage", file)
		if b, err := cmd.CombinedOutput(); err != nil {
			log.Fatalf("capture %s: %v %s", name, err, b)
		}
		fmt.Println(file)
	}
}

func shoot(a *ui.App, st *store.Store, w fyne.Window, out, set string, model *shotModel) {
	snap := snapper(out)
	do := fyne.DoAndWait
	if set == "wizard" {
		do(func() {
			a.Wizard.Profile.Name.SetText("Gupta Kirana Store")
			a.Wizard.Profile.GSTIN.SetText("27AAPFU0939F1ZW")
			a.Wizard.Profile.UPI.SetText("guptakirana@okaxis")
		})
		snap("13-first-run-wizard")
		return
	}
	fill := func() {
		b := a.Billing
		for i, q := range []int64{2000, 1000, 3000, 1000} {
			hits, _ := st.ListProducts(store.ProductFilter{Offset: i * 7, Limit: 1})
			p, _ := st.Product(hits[0].ID)
			stock, _ := st.StockOnHand(p.ID)
			do(func() { b.AddProduct(p, q, stock) })
		}
		parties, _ := st.ListParties("", 10)
		for _, h := range parties {
			if h.Kind == books.Customer {
				p, _ := st.Party(h.ID)
				do(func() { b.SetCustomer(books.SnapshotOf(&p, p.ID), h.Balance) })
				break
			}
		}
		do(func() {
			// ₹200 by UPI and the rest in cash, rounded up to ₹500: change shows.
			rest := b.Bill.GrandTotal() - 20000
			b.UPI.SetText("200")
			b.Cash.SetText(gst.FormatAmount((rest + 49999) / 50000 * 50000))
		})
	}
	if set == "privacy" || set == "privacy-hindi" {
		suffix := strings.TrimPrefix(set, "privacy")
		do(func() { a.Run(ui.ActSettings) })
		do(func() { a.Settings.ShowPrivacy() })
		snap("30-settings-privacy" + suffix)
		do(func() { privacyView.Delete.OnTapped() })
		snap("30-settings-privacy-delete" + suffix)
		return
	}
	if set == "ownkeys" || set == "ownkeys-hindi" {
		ownKeysShots(a, do, snap, set == "ownkeys-hindi")
		return
	}
	if set == "hindi" {
		fill()
		snap("15-billing-hindi")
		return
	}
	if set == "assistant" || set == "assistant-hindi" {
		assistantShots(a, st, model, do, snap, set == "assistant-hindi")
		return
	}
	if set == "payment" {
		payment(a, st, do, snap)
		return
	}
	if set == "review" {
		review(a, st, do, snap)
		return
	}
	if set == "staff" {
		staffShots(a, st, do, snap)
		return
	}
	fill()
	snap("01-billing")
	do(func() { a.Billing.ShowMatches("tata") })
	snap("02-billing-live-search")
	do(func() {
		a.Billing.ShowMatches("")
		a.Run(ui.ActSaveBill) // so Today and Invoices show it
	})
	time.Sleep(500 * time.Millisecond)
	do(func() { a.Run(ui.ActInvoices) })
	snap("03-invoices")
	do(func() { a.Invoices.Open(0) })
	snap("04-invoice-open")
	do(func() { a.Run(ui.ActProducts) })
	snap("05-products")
	do(func() { a.Products.LowStock.SetChecked(true) })
	snap("06-products-low-stock")
	do(func() { a.Products.LowStock.SetChecked(false); a.Run(ui.ActAdd) })
	snap("07-product-form")
	do(func() { a.Run(ui.ActParties) })
	time.Sleep(500 * time.Millisecond)
	do(func() {
		if hs := a.Parties.Hits(); len(hs) > 2 {
			a.Parties.Open(hs[2])
		}
	})
	snap("08-parties-ledger")
	do(func() { a.Run(ui.ActExpenses) })
	snap("09-expenses")
	do(func() { a.Run(ui.ActToday) })
	snap("10-today")
	do(func() { a.Run(ui.ActSettings) })
	snap("11-settings")
	do(func() { a.Run(ui.ActHelp) })
	snap("12-help")
	do(func() { a.Run(ui.ActReports) })
	snap("14-reports")
	do(func() {
		fyne.CurrentApp().Settings().SetTheme(ui.Theme{Variant: ptr(theme.VariantLight)})
		a.Run(ui.ActBilling)
	})
	fill()
	snap("16-billing-light")
}

// payment shoots the payment panel in the states that take the most room
// at 1366×768: a customer buying on credit, a walk-in paying short, a
// customer's matches open while typing.
func payment(a *ui.App, st *store.Store, do func(func()), snap func(string)) {
	b := a.Billing
	add := func(n int) {
		for i := 0; i < n; i++ {
			hits, _ := st.ListProducts(store.ProductFilter{Offset: i * 5, Limit: 1})
			p, _ := st.Product(hits[0].ID)
			stock, _ := st.StockOnHand(p.ID)
			do(func() { b.AddProduct(p, 1000, stock) })
		}
	}
	var cust books.Party
	var bal int64
	parties, _ := st.ListParties("", 50)
	for _, h := range parties {
		if h.Kind == books.Customer && h.Phone != "" {
			cust, _ = st.Party(h.ID)
			bal = h.Balance
			if cust.GSTIN != "" {
				break
			}
		}
	}
	add(6)
	do(func() {
		b.SetCustomer(books.SnapshotOf(&cust, cust.ID), bal)
		b.Cash.SetText("500")
		b.Credit.SetChecked(true)
	})
	snap("18-payment-rest-on-credit")
	do(func() {
		b.SetCustomer(nil, 0)
		b.Cash.SetText("100")
	})
	snap("19-payment-walk-in-short")
	do(func() {
		b.Cash.SetText("")
		a.Run(ui.ActCustomer)
		b.CustomerBox.SetText(cust.Name[:3])
	})
	snap("20-payment-customer-matches")
}

// review shoots states worth a look after a change (not for the docs): a
// bad quantity marked, Recall, the product form's problems, Today.
func review(a *ui.App, st *store.Store, do func(func()), snap func(string)) {
	b := a.Billing
	for i := 0; i < 3; i++ {
		hits, _ := st.ListProducts(store.ProductFilter{Offset: i * 3, Limit: 1})
		p, _ := st.Product(hits[0].ID)
		do(func() { b.AddProduct(p, 1000, 100000) })
	}
	do(func() { b.SetCell(1, 0, "-1"); a.Run(ui.ActSaveBill) })
	snap("r1-bad-qty")
	do(func() { b.SetCell(1, 0, "2"); a.Run(ui.ActHoldBill) })
	hits, _ := st.ListProducts(store.ProductFilter{Offset: 20, Limit: 1})
	p, _ := st.Product(hits[0].ID)
	do(func() { b.AddProduct(p, 1000, 100000); a.Run(ui.ActHoldBill); a.Run(ui.ActRecallBill) })
	snap("r2-recall")
	do(func() { a.Run(ui.ActProducts); a.Run(ui.ActAdd) })
	time.Sleep(300 * time.Millisecond)
	do(func() { a.Press(ui.ActSaveBill) }) // Ctrl+S in the empty form
	snap("r3-product-form-problems")
	do(func() { a.Run(ui.ActToday) })
	snap("r4-today")
	do(func() { a.Run(ui.ActReports) })
	snap("r5-reports")
}

func ptr(v fyne.ThemeVariant) *fyne.ThemeVariant { return &v }

// addStaff gives the demo books an owner (Meera, PIN 2580), a manager
// (Vikram, 3690) and a cashier (Ravi, 1470, discounts up to 5%).
func addStaff(st *store.Store) {
	ctx := context.Background()
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	_, err := st.AddStaff(ctx, store.StaffInput{Name: "Meera", Role: staff.Owner, PIN: "2580"})
	must(err)
	_, err = st.SignIn(ctx, "Meera", "2580")
	must(err)
	_, err = st.AddStaff(ctx, store.StaffInput{Name: "Vikram", Role: staff.Manager, PIN: "3690"})
	must(err)
	_, err = st.AddStaff(ctx, store.StaffInput{Name: "Ravi", Role: staff.Cashier, PIN: "1470", DiscountLimitBP: -1})
	must(err)
	st.SignOut()
}

// staffShots: the lock screen, a cashier's counter, a manager's approval
// of a cashier's discount, Settings → Staff and roles, the day book with
// who made each document.
func staffShots(a *ui.App, st *store.Store, do func(func()), snap0 func(string)) {
	// Content swapped in for the lock screen can take a while to be drawn
	// on a loaded machine: wait longer than the other shots.
	snap := func(name string) {
		time.Sleep(1500 * time.Millisecond)
		snap0(name)
	}
	signIn := func(name, pin string) {
		do(func() {
			a.Lockscreen.Choose(name)
			a.Lockscreen.PIN.SetText(pin)
			a.Lockscreen.Submit()
		})
		for i := 0; i < 100; i++ {
			var locked bool
			do(func() { locked = a.Locked() })
			if !locked {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		log.Fatalf("%s did not sign in", name)
	}
	do(func() { a.Lockscreen.Choose("Ravi") })
	snap("21-staff-lock")
	signIn("Ravi", "1470")
	b := a.Billing
	for i := 0; i < 3; i++ {
		hits, _ := st.ListProducts(store.ProductFilter{Offset: i * 7, Limit: 1})
		p, _ := st.Product(hits[0].ID)
		stock, _ := st.StockOnHand(p.ID)
		do(func() { b.AddProduct(p, 1000, stock) })
	}
	snap("22-staff-cashier")
	do(func() {
		b.SetCell(0, ui.ColDiscount, "10%")
		a.Press(ui.ActSaveBill)
	})
	snap("24-staff-override")
	do(func() {
		ad := a.Approval()
		if ad == nil {
			log.Fatal("no approval dialog")
		}
		for i, o := range ad.Who.Options {
			if len(o) > 6 && o[:6] == "Vikram" {
				ad.Who.SetSelectedIndex(i)
			}
		}
		ad.PIN.SetText("3690")
		ad.Submit()
	})
	time.Sleep(time.Second)
	do(func() { a.Press(ui.ActSwitchUser) })
	signIn("Vikram", "3690")
	_, err := st.RecordExpense(context.Background(), books.Expense{Category: "Tea and snacks", Amount: 12000, Mode: "cash"})
	if err != nil {
		log.Fatal(err)
	}
	do(func() { a.Press(ui.ActSwitchUser) })
	signIn("Meera", "2580")
	do(func() { a.Run(ui.ActSettings); a.Settings.ShowStaff() })
	snap("23-staff-roles")
	do(func() {
		a.Press(ui.ActSwitchUser) // closes the dialog
	})
	signIn("Meera", "2580")
	do(func() {
		a.Run(ui.ActReports)
		reportsView.Pick("Day book")
		reportsView.Run()
	})
	time.Sleep(4 * time.Second)
	snap("25-staff-daybook")
}
