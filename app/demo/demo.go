// Package demo fills a books file with realistic, deterministic shop data:
// for screenshots, manual trials and benchmarks at real sizes (100,000
// products, 200,000 invoices). Big files are built once and cached.
package demo

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/store"
)

// Size says how much to make.
type Size struct {
	Products  int
	Parties   int
	Invoices  int
	Purchases int
	Expenses  int
	// Returns and Payments (receipts from customers who bought on credit)
	// are made by the bulk generator only.
	Returns  int
	Payments int
	Seed     uint64
	// Bulk builds with the bulk generator (BuildBulk) instead of the
	// normal save paths.
	Bulk bool
}

// Small is a shop's first months: enough for screenshots and UI tests.
var Small = Size{Products: 300, Parties: 40, Invoices: 400, Purchases: 20, Expenses: 30, Seed: 7}

// Large is the benchmark size the issues name.
var Large = Size{Products: 100_000, Parties: 5_000, Invoices: 200_000, Purchases: 2_000, Expenses: 3_000, Seed: 1}

// Huge is a supermarket with years of history: 1,000,000 products, 50,000
// parties and 5,000,000 invoices (make bench-huge).
var Huge = Size{Products: 1_000_000, Parties: 50_000, Invoices: 5_000_000, Purchases: 50_000, Expenses: 20_000,
	Returns: 50_000, Payments: 100_000, Seed: 1, Bulk: true}

// BenchSize is the size the benchmarks run on: Large, or Huge when
// NAUKAR_BENCH_SIZE=huge (make bench-huge). huge:N is Huge with N invoices
// (returns, receipts, purchases and expenses in proportion): the whole
// catalogue with part of the history, quicker to build.
func BenchSize() Size {
	v := os.Getenv("NAUKAR_BENCH_SIZE")
	n, err := strconv.Atoi(strings.TrimPrefix(v, "huge:"))
	switch {
	case v == "huge":
		return Huge
	case strings.HasPrefix(v, "huge:") && err == nil && n > 0 && n < Huge.Invoices:
		sz := Huge
		part := func(k int) int { return max(1, int(int64(k)*int64(n)/int64(Huge.Invoices))) }
		sz.Invoices, sz.Returns, sz.Payments, sz.Purchases, sz.Expenses = n, part(sz.Returns), part(sz.Payments), part(sz.Purchases), part(sz.Expenses)
		return sz
	}
	return Large
}

// SKU is the SKU of the i-th product (from 1) of books of this size.
func (sz Size) SKU(i int) string {
	if sz.Bulk {
		return fmt.Sprintf("SK%07d", i)
	}
	return fmt.Sprintf("SK%06d", i)
}

// Today is the fixed "today" of demo data, so files are reproducible.
var Today = time.Date(2026, 11, 20, 11, 0, 0, 0, time.Local)

var (
	brands = []string{"Tata", "Amul", "Aashirvaad", "Fortune", "Parle", "Britannia", "Haldiram", "MDH", "Everest", "Dabur",
		"Patanjali", "Surf", "Vim", "Colgate", "Lifebuoy", "Dettol", "Maggi", "Nestle", "ITC", "Saffola", "Red Label", "Bru",
		"Kissan", "Lijjat", "Catch", "Rajdhani", "Pillsbury", "Godrej", "Nirma", "Ghadi"}
	items = []string{"Basmati Rice", "Sona Masoori Rice", "Atta", "Maida", "Besan", "Sugar", "Salt", "Toor Dal", "Moong Dal",
		"Chana Dal", "Masoor Dal", "Rajma", "Mustard Oil", "Sunflower Oil", "Ghee", "Butter", "Paneer", "Curd", "Milk",
		"Tea", "Coffee", "Biscuits", "Namkeen", "Bhujia", "Turmeric Powder", "Chilli Powder", "Garam Masala", "Jeera",
		"Hing", "Detergent Powder", "Dishwash Bar", "Toothpaste", "Soap", "Shampoo", "Hair Oil", "Noodles", "Ketchup",
		"Jam", "Papad", "Pickle", "Poha", "Suji", "Vermicelli", "Agarbatti", "Matchbox", "Candles", "Notebook", "Pen"}
	sizes  = []string{"100g", "200g", "250g", "500g", "1kg", "2kg", "5kg", "10kg", "200ml", "500ml", "1L", "5L", "Pack of 4", "Family Pack"}
	hsns   = []string{"1006", "1101", "1701", "2501", "0713", "1514", "0405", "0401", "0902", "0901", "1905", "2106", "0910", "3402", "3306", "3401", "3305", "1902", "2103", "4820", "9608"}
	first  = []string{"Ravi", "Sunita", "Amit", "Priya", "Rahul", "Anjali", "Suresh", "Kavita", "Vikas", "Neha", "Rakesh", "Pooja", "Manoj", "Deepa", "Arjun", "Meena"}
	last   = []string{"Sharma", "Verma", "Patel", "Gupta", "Singh", "Kumar", "Joshi", "Mehta", "Reddy", "Nair", "Iyer", "Das", "Yadav", "Shah", "Jain", "Khan"}
	states = []string{"27", "27", "27", "27", "27", "29", "24", "07", "09", "33"}
)

// shop is the demo business.
var shop = books.Business{Name: "Sharma General Stores", GSTIN: "27AAPFU0939F1ZV", StateCode: "27",
	Address: "12, Station Road, Dadar West", City: "Mumbai", Pincode: "400028", Phone: "9876543210",
	UPI: "sharmastores@okicici", InvoicePrefix: "SGS", BankName: "State Bank of India", BankAccount: "30012345678",
	BankIFSC: "SBIN0001234", Terms: "Goods once sold will be taken back within 7 days with the bill."}

// Build creates a books file at path with data of size sz.
func Build(ctx context.Context, path string, sz Size) error {
	s, err := store.Open(path, store.Options{Now: func() time.Time { return Today }})
	if err != nil {
		return err
	}
	defer s.Close()
	r := rand.New(rand.NewPCG(sz.Seed, sz.Seed^0x9e3779b97f4a7c15))
	if _, err := s.Init(shop); err != nil {
		return err
	}
	// Products.
	ps := make([]books.Product, sz.Products)
	rows := make([]int, sz.Products)
	rates := []gst.RateBP{500, 500, 1800, 1800, 1800, 0, 500, 300}
	for i := range ps {
		price := int64(500+r.IntN(150000)) / 50 * 50
		rate := rates[r.IntN(len(rates))]
		p := books.Product{
			Name:             fmt.Sprintf("%s %s %s", brands[r.IntN(len(brands))], items[r.IntN(len(items))], sizes[r.IntN(len(sizes))]),
			SKU:              sz.SKU(i + 1),
			Barcodes:         []string{ean13(8900000000000 + int64(i)*7)},
			HSN:              hsns[r.IntN(len(hsns))],
			Unit:             "NOS",
			SalePrice:        price,
			PriceIncludesTax: r.IntN(3) > 0,
			PurchasePrice:    price * int64(70+r.IntN(20)) / 100,
			MRP:              price + price/10,
			GSTRate:          rate,
			OpeningStock:     int64(20+r.IntN(200)) * 1000,
			ReorderLevel:     int64(5+r.IntN(20)) * 1000,
		}
		if rate == 0 {
			p.Category = gst.Nil
		}
		ps[i], rows[i] = p, i+2
	}
	for start := 0; start < len(ps); start += 10000 {
		end := min(start+10000, len(ps))
		if _, err := s.ImportProducts(ps[start:end], rows[start:end]); err != nil {
			return fmt.Errorf("demo products: %w", err)
		}
	}
	prods, err := s.ListProducts(store.ProductFilter{Limit: sz.Products})
	if err != nil {
		return err
	}
	full := make([]books.Product, len(prods))
	for i, h := range prods {
		if full[i], err = s.Product(h.ID); err != nil {
			return err
		}
	}
	// Parties.
	parties := make([]books.Party, sz.Parties)
	prow := make([]int, sz.Parties)
	for i := range parties {
		p := books.Party{Name: fmt.Sprintf("%s %s %d", first[r.IntN(len(first))], last[r.IntN(len(last))], i+1),
			Kind: books.Customer, Phone: fmt.Sprintf("9%09d", 100000000+i), StateCode: states[r.IntN(len(states))],
			Address: fmt.Sprintf("%d, Market Road", 1+r.IntN(300)), City: "Mumbai"}
		if i%10 == 0 {
			p.Kind = books.Supplier
			p.Name = fmt.Sprintf("%s Traders %d", last[r.IntN(len(last))], i+1)
		}
		if i%4 == 0 {
			p.GSTIN = gstinFor(p.StateCode, i)
		}
		parties[i], prow[i] = p, i+2
	}
	if _, err := s.ImportParties(parties, prow); err != nil {
		return fmt.Errorf("demo parties: %w", err)
	}
	plist, err := s.ListParties("", sz.Parties)
	if err != nil {
		return err
	}
	var customers, suppliers []books.Party
	for _, h := range plist {
		p, err := s.Party(h.ID)
		if err != nil {
			return err
		}
		if p.Kind == books.Supplier {
			suppliers = append(suppliers, p)
		} else {
			customers = append(customers, p)
		}
	}
	// Sales spread over the last two years, oldest first.
	days := 730
	drafts := make([]*books.SaleDraft, 0, 5000)
	flush := func() error {
		if len(drafts) == 0 {
			return nil
		}
		_, err := s.CreateSales(ctx, drafts)
		drafts = drafts[:0]
		return err
	}
	for i := 0; i < sz.Invoices; i++ {
		day := Today.AddDate(0, 0, -days+i*days/max(sz.Invoices, 1))
		d := &books.SaleDraft{Date: day}
		n := 1 + r.IntN(8)
		for j := 0; j < n; j++ {
			p := full[r.IntN(len(full))]
			d.Lines = append(d.Lines, books.DraftLine{ProductID: p.ID, Product: p, Qty: int64(1+r.IntN(4)) * 1000})
		}
		saleTerms(r, d, customers, &biz0)
		drafts = append(drafts, d)
		if len(drafts) == cap(drafts) {
			if err := flush(); err != nil {
				return fmt.Errorf("demo sales: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("demo sales: %w", err)
	}
	// Purchases and expenses.
	for i := 0; i < sz.Purchases && len(suppliers) > 0; i++ {
		sp := suppliers[r.IntN(len(suppliers))]
		d := &books.PurchaseDraft{Date: Today.AddDate(0, 0, -days+i*days/max(sz.Purchases, 1)), BillNumber: fmt.Sprintf("PB-%05d", i+1),
			Party: books.SnapshotOf(&sp, sp.ID)}
		for j := 0; j < 1+r.IntN(5); j++ {
			p := full[r.IntN(len(full))]
			d.Lines = append(d.Lines, books.DraftLine{ProductID: p.ID, Product: p, Qty: int64(10+r.IntN(50)) * 1000})
		}
		if _, err := s.CreatePurchase(ctx, d); err != nil {
			return fmt.Errorf("demo purchase: %w", err)
		}
	}
	cats := []string{"Rent", "Electricity", "Salary", "Transport", "Tea and snacks", "Repairs"}
	for i := 0; i < sz.Expenses; i++ {
		e := books.Expense{Date: Today.AddDate(0, 0, -days+i*days/max(sz.Expenses, 1)).Format(books.DateLayout),
			Category: cats[r.IntN(len(cats))], Amount: int64(100+r.IntN(5000)) * 100, Mode: books.ModeCash}
		if _, err := s.RecordExpense(ctx, e); err != nil {
			return fmt.Errorf("demo expense: %w", err)
		}
	}
	return nil
}

var biz0 = books.Business{StateCode: "27", GSTIN: "27AAPFU0939F1ZV", Name: "x"}

// fillPayments gives each payment placeholder the bill's full amount.
// saleTerms picks a demo sale's customer (3 in 10, a third of them on
// credit) and how it is paid, then fills the amounts. The saved and the
// bulk builders both call it, drawing from r in the same order, so the
// two make the same books.
func saleTerms(r *rand.Rand, d *books.SaleDraft, customers []books.Party, biz *books.Business) {
	if len(customers) > 0 && r.IntN(10) < 3 {
		c := &customers[r.IntN(len(customers))]
		d.Party = books.SnapshotOf(c, c.ID)
		if r.IntN(3) == 0 {
			d.Payments = []books.PaymentPart{{Mode: books.ModeCredit, Amount: 0}}
		}
	}
	switch r.IntN(4) {
	case 0:
		d.Payments = append(d.Payments, books.PaymentPart{Mode: books.ModeUPI})
	case 1:
		d.Payments = append(d.Payments, books.PaymentPart{Mode: books.ModeCard})
	}
	fillPayments(biz, d)
}

func fillPayments(biz *books.Business, d *books.SaleDraft) {
	if len(d.Payments) == 0 {
		return
	}
	inv, err := books.PriceSale(biz, &books.SaleDraft{Date: d.Date, Party: copyParty(d.Party), Lines: d.Lines, PlaceOfSupply: d.PlaceOfSupply})
	if err != nil {
		d.Payments = nil
		return
	}
	last := d.Payments[len(d.Payments)-1]
	last.Amount = inv.GrandTotal
	d.Payments = []books.PaymentPart{last}
}

func copyParty(p *books.PartySnapshot) *books.PartySnapshot {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

func ean13(n int64) string {
	s := fmt.Sprintf("%012d", n%1_000_000_000_000)
	sum := 0
	for i, c := range s {
		d := int(c - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return s + fmt.Sprint((10-sum%10)%10)
}

// gstinFor makes a valid GSTIN for state code sc.
func gstinFor(sc string, i int) string {
	pan := fmt.Sprintf("AAB%cC%04d%c", 'A'+rune(i%26), i%10000, 'A'+rune((i/26)%26))
	base := sc + pan + "1Z"
	c, err := gst.GSTINCheckChar(base)
	if err != nil {
		return ""
	}
	return base + string(c)
}

// Cached returns the path of a fresh copy of a demo books file of size sz,
// building the master copy in the system temp folder on first use.
func Cached(ctx context.Context, sz Size, dir string) (string, error) {
	master, err := Master(ctx, sz)
	if err != nil {
		return "", err
	}
	dst := filepath.Join(dir, "books.db")
	if err := copyFile(master, dst); err != nil {
		return "", err
	}
	return dst, nil
}

// Master returns the path of the cached master books file of size sz in
// the system temp folder, building it first if it is not there. It is
// not to be written to: Cached gives copies.
func Master(ctx context.Context, sz Size) (string, error) {
	master := filepath.Join(os.TempDir(), fmt.Sprintf("naukar-demo-v6-%d-%d-%d.db", sz.Products, sz.Invoices, sz.Seed))
	build := Build
	if sz.Bulk {
		master = filepath.Join(os.TempDir(), fmt.Sprintf("naukar-demo-bulk1-%d-%d-%d-%d-%d.db", sz.Products, sz.Parties, sz.Invoices, sz.Returns, sz.Seed))
		build = BuildBulk
	}
	if _, err := os.Stat(master); err == nil {
		return master, nil
	}
	tmp := master + fmt.Sprintf(".%d.tmp", os.Getpid())
	os.Remove(tmp)
	if err := build(ctx, tmp, sz); err != nil {
		os.Remove(tmp)
		return "", err
	}
	if err := checkpoint(tmp); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, master); err != nil {
		return "", err
	}
	return master, nil
}

// checkpoint folds the WAL into the main file so one file is the whole books.
func checkpoint(path string) error {
	s, err := store.Open(path, store.Options{})
	if err != nil {
		return err
	}
	if err := s.Checkpoint(); err != nil {
		s.Close()
		return err
	}
	return s.Close()
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
