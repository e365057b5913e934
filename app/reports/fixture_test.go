package reports_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
)

var ist = time.FixedZone("IST", 5*3600+1800)

// day returns midnight IST of a YYYY-MM-DD date.
func day(tb testing.TB, s string) time.Time {
	tb.Helper()
	d, err := time.ParseInLocation(books.DateLayout, s, ist)
	if err != nil {
		tb.Fatalf("bad date %q: %v", s, err)
	}
	return d
}

// validGSTIN completes a 14-character GSTIN stem with its check character.
func validGSTIN(tb testing.TB, stem string) string {
	tb.Helper()
	c, err := gst.GSTINCheckChar(stem)
	if err != nil {
		tb.Fatal(err)
	}
	return stem + string(c)
}

// fixture is a small shop's books with documents chosen to cross every
// GST rule the returns apply: intra- and inter-state, B2B, B2C large and
// small on both sides of 1-8-2024, nil-rated and exempt lines, a line
// without HSN, cancelled invoices, credit notes of every kind, purchases
// from registered and unregistered suppliers, on both sides of May 2025.
type fixture struct {
	st       *store.Store
	svc      *reports.Service
	products map[string]books.Product
	parties  map[string]books.Party
	invoices []*books.Invoice // in the order made
}

func mustOK(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%v", err)
	}
}

// openBooks opens fresh books for biz whose clock reads 10:00 IST on today.
func openBooks(tb testing.TB, today string, biz books.Business) *store.Store {
	tb.Helper()
	now := day(tb, today).Add(10 * time.Hour)
	st, err := store.Open(filepath.Join(tb.TempDir(), "books.db"), store.Options{Now: func() time.Time { return now }})
	mustOK(tb, err)
	tb.Cleanup(func() { st.Close() })
	_, err = st.Init(biz)
	mustOK(tb, err)
	return st
}

// saveProducts saves products (each with 100 in stock) and returns them by key as stored.
func saveProducts(tb testing.TB, st *store.Store, ps map[string]books.Product) map[string]books.Product {
	tb.Helper()
	out := map[string]books.Product{}
	for key, p := range ps {
		p.OpeningStock = 100_000
		id, err := st.SaveProduct(p)
		mustOK(tb, err)
		out[key], err = st.Product(id)
		mustOK(tb, err)
	}
	return out
}

// saveParties saves parties and returns them by key as stored.
func saveParties(tb testing.TB, st *store.Store, ps map[string]books.Party) map[string]books.Party {
	tb.Helper()
	out := map[string]books.Party{}
	for key, p := range ps {
		id, err := st.SaveParty(p)
		mustOK(tb, err)
		out[key], err = st.Party(id)
		mustOK(tb, err)
	}
	return out
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	ctx := context.Background()
	st := openBooks(tb, "2025-06-30", books.Business{Name: "Golden Traders", GSTIN: "27AAPFU0939F1ZV", StateCode: "27", InvoicePrefix: "GT",
		Address: "1 Market Road", City: "Pune"})
	f := &fixture{st: st, svc: reports.New(st)}
	var err error

	f.products = saveProducts(tb, st, map[string]books.Product{
		"bottle": {Name: "Steel Bottle", SKU: "B1", HSN: "73239310", Unit: "NOS", SalePrice: 1000_00, PurchasePrice: 700_00, GSTRate: 1800},
		"rice":   {Name: "Basmati Rice 5kg", SKU: "R1", HSN: "1006", Unit: "BAG", SalePrice: 650_00, PurchasePrice: 500_00, GSTRate: 500},
		"cover":  {Name: "Mobile Cover", SKU: "C1", HSN: "39269099", Unit: "PCS", SalePrice: 250_00, PriceIncludesTax: true, PurchasePrice: 120_00, GSTRate: 1200},
		"veg":    {Name: "Fresh Vegetables", SKU: "V1", HSN: "0702", Unit: "KGS", SalePrice: 40_00, PurchasePrice: 25_00, Category: gst.Nil},
		"book":   {Name: "Printed Books", SKU: "K1", HSN: "4901", Unit: "NOS", SalePrice: 300_00, PurchasePrice: 210_00, Category: gst.Exempt},
		"laptop": {Name: "Laptop", SKU: "L1", HSN: "8471", Unit: "NOS", SalePrice: 1_20_000_00, PurchasePrice: 1_00_000_00, GSTRate: 1800},
		"wrap":   {Name: "Gift Wrap", SKU: "G1", Unit: "NOS", SalePrice: 20_00, PurchasePrice: 10_00, GSTRate: 1800},
	})
	f.parties = saveParties(tb, st, map[string]books.Party{
		"mehta":  {Name: "Mehta Stores", Kind: books.Customer, GSTIN: validGSTIN(tb, "27AABCM1234A1Z"), Phone: "9811111111"},
		"reddy":  {Name: "Reddy Agencies", Kind: books.Customer, GSTIN: "29AABCR1718E1ZL", Phone: "9822222222"},
		"ravi":   {Name: "Ravi Kumar", Kind: books.Customer, StateCode: "33", Phone: "9833333333", Address: "4 Anna Salai, Chennai"},
		"sunita": {Name: "Sunita Verma", Kind: books.Customer, StateCode: "27", Phone: "9844444444"},
		"gupta":  {Name: "Gupta Wholesale", Kind: books.Supplier, GSTIN: "24AANFA2641L1ZF", Phone: "9855555555"},
		"farm":   {Name: "Local Farm", Kind: books.Supplier, StateCode: "27", Phone: "9866666666"},
	})

	type ln struct {
		p   string
		qty int64 // thousandths
	}
	sale := func(date, party string, pay []books.PaymentPart, lines ...ln) *books.Invoice {
		tb.Helper()
		d := &books.SaleDraft{Date: day(tb, date), Payments: pay}
		if party != "" {
			p := f.parties[party]
			d.Party = books.SnapshotOf(&p, p.ID)
		}
		for _, l := range lines {
			p := f.products[l.p]
			d.Lines = append(d.Lines, books.DraftLine{ProductID: p.ID, Product: p, Qty: l.qty})
		}
		inv, err := st.CreateSale(ctx, d)
		mustOK(tb, err)
		f.invoices = append(f.invoices, inv)
		return inv
	}
	// onAccount leaves the whole bill on the party's account.
	onAccount := []books.PaymentPart{{Mode: books.ModeCredit}}
	cancel := func(inv *books.Invoice, date string) {
		tb.Helper()
		_, err := st.CancelInvoice(ctx, inv.Number, "wrong bill", day(tb, date))
		mustOK(tb, err)
	}
	ret := func(inv *books.Invoice, date string, items ...books.ReturnLine) {
		tb.Helper()
		_, err := st.CreateReturn(ctx, store.ReturnInput{Invoice: inv.Number, Items: items, Date: day(tb, date), Reason: "returned", Restock: true})
		mustOK(tb, err)
	}
	purchase := func(date, bill, party string, pay []books.PaymentPart, lines ...ln) {
		tb.Helper()
		p := f.parties[party]
		d := &books.PurchaseDraft{Date: day(tb, date), BillNumber: bill, Party: books.SnapshotOf(&p, p.ID), Payments: pay}
		for _, l := range lines {
			pr := f.products[l.p]
			d.Lines = append(d.Lines, books.DraftLine{ProductID: pr.ID, Product: pr, Qty: l.qty})
		}
		_, err := st.CreatePurchase(ctx, d)
		mustOK(tb, err)
	}
	pay := func(date, party, mode string, dir string, amount int64) {
		tb.Helper()
		_, err := st.RecordPayment(ctx, books.Payment{Date: date, Direction: dir, Party: &books.PartySnapshot{ID: f.parties[party].ID}, Mode: mode, Amount: amount})
		mustOK(tb, err)
	}

	// July 2024: the b2cl limit is still ₹2,50,000.
	sale("2024-07-05", "mehta", []books.PaymentPart{{Mode: books.ModeBank, Amount: 4_407_00}}, ln{"bottle", 2000}, ln{"rice", 3000})
	sale("2024-07-10", "ravi", nil, ln{"laptop", 1000}) // ₹1,41,600 inter-state: b2cs before August
	sale("2024-07-15", "", nil, ln{"veg", 2500}, ln{"cover", 2000}, ln{"wrap", 1000})
	cancel(sale("2024-07-20", "", nil, ln{"bottle", 1000}), "2024-07-20")
	purchase("2024-07-25", "GW-101", "gupta", nil, ln{"bottle", 10000})

	// August 2024: the limit is ₹1,00,000.
	laptopAug := sale("2024-08-02", "ravi", onAccount, ln{"laptop", 1000}) // b2cl
	reddyAug := sale("2024-08-09", "reddy", onAccount, ln{"rice", 10000}, ln{"veg", 5000})
	ret(laptopAug, "2024-08-20", books.ReturnLine{Index: 0, Qty: 1000}) // cdnur against b2cl
	pay("2024-08-25", "reddy", books.ModeBank, books.PaymentIn, 5_000_00)

	// April 2025: HSN not yet split.
	sale("2025-04-03", "sunita", []books.PaymentPart{{Mode: books.ModeUPI, Amount: 500_00}},
		ln{"book", 2000}, ln{"rice", 1000})
	ret(reddyAug, "2025-04-28", books.ReturnLine{Index: 0, Qty: 2000}) // cdnr

	// May 2025: HSN split into B2B and B2C.
	mehtaMay := sale("2025-05-02", "mehta", onAccount, ln{"bottle", 1000}, ln{"cover", 1000}, ln{"veg", 1000})
	sale("2025-05-06", "ravi", onAccount, ln{"laptop", 1000}, ln{"bottle", 1000}) // b2cl
	walkMay := sale("2025-05-10", "", nil, ln{"rice", 2000}, ln{"wrap", 1000})
	cancel(sale("2025-05-12", "", nil, ln{"bottle", 1000}), "2025-05-13")
	ret(walkMay, "2025-05-15", books.ReturnLine{Index: 0, Qty: 1000})  // nets in b2cs
	ret(mehtaMay, "2025-05-20", books.ReturnLine{Index: 0, Qty: 1000}) // cdnr
	purchase("2025-05-22", "LF-7", "farm", []books.PaymentPart{{Mode: books.ModeCash, Amount: 1_250_00}}, ln{"veg", 50000})
	purchase("2025-05-23", "GW-230", "gupta", nil, ln{"rice", 20000})
	_, err = st.RecordExpense(ctx, books.Expense{Date: "2025-05-25", Category: "Rent", Amount: 15_000_00, Mode: books.ModeCash})
	mustOK(tb, err)
	pay("2025-05-26", "sunita", books.ModeUPI, books.PaymentIn, 500_00)
	pay("2025-05-28", "gupta", books.ModeBank, books.PaymentOut, 10_000_00)
	return f
}

// period parses a period or fails the test.
func period(tb testing.TB, s string) reports.Period {
	tb.Helper()
	p, err := reports.ParsePeriod(s)
	mustOK(tb, err)
	return p
}
