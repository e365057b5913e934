package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/store"
)

// BuildBulk creates a books file at path with data of size sz through the
// store's loader (store.Load): the same pricing and derived rows as Build,
// written in big transactions with the indexes built at the end, for sizes
// the normal save paths would take hours over. Besides sales, purchases and
// expenses it makes sales returns (credit notes, restocked) and receipts
// from customers who bought on credit.
func BuildBulk(ctx context.Context, path string, sz Size) error {
	s, err := store.Open(path, store.Options{Now: func() time.Time { return Today }})
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Init(bulkShop(sz)); err != nil {
		return err
	}
	if err := s.Load(ctx, func(l *store.Loader) error {
		l.OnFinish(func(step string) { progress(step, 0, 0) })
		return fill(ctx, l, sz)
	}); err != nil {
		return err
	}
	// The reports of past days read the day summaries (store.SummariseDays).
	progress("day summaries", 0, 0)
	_, err = s.SummariseDays(ctx)
	return err
}

// bulkShop is the demo business for books of size sz. A shop billing more
// than 999,999 times in a financial year (Huge: some 2.5 million) cannot
// number its bills "SGSA-2526-1000000": GST allows 16 characters, so its
// prefix is a letter shorter.
func bulkShop(sz Size) books.Business {
	b := shop
	if sz.Invoices > 1_000_000 {
		b.InvoicePrefix = "SG"
	}
	return b
}

// sink is where fill writes: the store's loader, or (to check the loader
// in tests) the normal save paths.
type sink interface {
	Business() books.Business
	Product(books.Product) (string, error)
	Party(books.Party) (string, error)
	Sales([]*books.SaleDraft) ([]*books.Invoice, error)
	Return(inv *books.Invoice, items []books.ReturnLine, date time.Time, reason string, refunds []books.PaymentPart, restock bool) (*books.CreditNote, error)
	Purchase(*books.PurchaseDraft) (*books.Purchase, error)
	Payment(books.Payment) (*books.Payment, error)
	Expense(books.Expense) (*books.Expense, error)
	ExpenseCategory(name string) error
}

// saver is a sink on the normal save paths, a transaction each.
type saver struct {
	ctx context.Context
	s   *store.Store
	biz books.Business
}

func (v *saver) Business() books.Business                { return v.biz }
func (v *saver) Product(p books.Product) (string, error) { return v.s.SaveProduct(p) }
func (v *saver) Party(p books.Party) (string, error)     { return v.s.SaveParty(p) }
func (v *saver) Sales(ds []*books.SaleDraft) ([]*books.Invoice, error) {
	return v.s.CreateSales(v.ctx, ds)
}
func (v *saver) Return(inv *books.Invoice, items []books.ReturnLine, date time.Time, reason string, refunds []books.PaymentPart, restock bool) (*books.CreditNote, error) {
	return v.s.CreateReturn(v.ctx, store.ReturnInput{Invoice: inv.ID, Items: items, Date: date, Reason: reason, Refunds: refunds, Restock: restock})
}
func (v *saver) Purchase(d *books.PurchaseDraft) (*books.Purchase, error) {
	return v.s.CreatePurchase(v.ctx, d)
}
func (v *saver) Payment(p books.Payment) (*books.Payment, error) { return v.s.RecordPayment(v.ctx, p) }
func (v *saver) Expense(e books.Expense) (*books.Expense, error) { return v.s.RecordExpense(v.ctx, e) }
func (v *saver) ExpenseCategory(string) error                    { return nil } // RecordExpense adds it

// buildSaved is BuildBulk through the normal save paths (slow: for tests).
func buildSaved(ctx context.Context, path string, sz Size) error {
	s, err := store.Open(path, store.Options{Now: func() time.Time { return Today }})
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Init(bulkShop(sz)); err != nil {
		return err
	}
	biz, err := s.Business()
	if err != nil {
		return err
	}
	return fill(ctx, &saver{ctx: ctx, s: s, biz: biz}, sz)
}

// Progress, when set, is told how far a bulk build has got.
var Progress func(what string, done, of int)

func progress(what string, done, of int) {
	if Progress != nil {
		Progress(what, done, of)
	}
}

// salesBatch is how many sales are priced together.
const salesBatch = 8192

func fill(ctx context.Context, l sink, sz Size) error {
	r := rand.New(rand.NewPCG(sz.Seed, sz.Seed^0x9e3779b97f4a7c15))
	rates := []gst.RateBP{500, 500, 1800, 1800, 1800, 0, 500, 300}
	ps := make([]books.Product, 0, sz.Products)
	for i := range sz.Products {
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
		id, err := l.Product(p)
		if err != nil {
			return fmt.Errorf("demo product %d: %w", i+1, err)
		}
		p.ID = id
		ps = append(ps, p)
		if i%100_000 == 0 {
			progress("products", i, sz.Products)
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
	}
	var customers, suppliers []books.Party
	for i := range sz.Parties {
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
		id, err := l.Party(p)
		if err != nil {
			return fmt.Errorf("demo party %d: %w", i+1, err)
		}
		p.ID = id
		p.Normalize()
		if p.Kind == books.Supplier {
			suppliers = append(suppliers, p)
		} else {
			customers = append(customers, p)
		}
	}
	// Sales spread over the last two years, oldest first; a return now and
	// then, and receipts for bills on credit.
	days := 730
	biz := l.Business()
	// The drafts are made (and their payments priced) on a goroutine of
	// their own, a batch ahead of the one being saved; only it draws from
	// r until the sales are done, so the books do not depend on timing.
	type batch struct {
		from   int
		drafts []*books.SaleDraft
	}
	batches := make(chan batch, 1)
	stop := make(chan struct{})
	go func() {
		defer close(batches)
		drafts := make([]*books.SaleDraft, 0, salesBatch)
		from := 0
		for i := 0; i < sz.Invoices; i++ {
			day := Today.AddDate(0, 0, -days+i*days/max(sz.Invoices, 1))
			d := &books.SaleDraft{Date: day}
			n := 1 + r.IntN(8)
			d.Lines = make([]books.DraftLine, 0, n)
			for j := 0; j < n; j++ {
				p := &ps[r.IntN(len(ps))]
				d.Lines = append(d.Lines, books.DraftLine{ProductID: p.ID, Product: *p, Qty: int64(1+r.IntN(4)) * 1000})
			}
			saleTerms(r, d, customers, &biz)
			drafts = append(drafts, d)
			if len(drafts) == salesBatch || i == sz.Invoices-1 {
				select {
				case batches <- batch{from, drafts}:
				case <-stop:
					return
				}
				drafts = make([]*books.SaleDraft, 0, salesBatch)
				from = i + 1
			}
		}
	}()
	returns, receipts := 0, 0
	save := func(bt batch) error {
		invs, err := l.Sales(bt.drafts)
		if err != nil {
			return fmt.Errorf("demo sales: %w", err)
		}
		for k, inv := range invs {
			i := bt.from + k
			if returns < sz.Returns && returns < (i+1)*sz.Returns/sz.Invoices {
				n := len(inv.Lines)
				items := []books.ReturnLine{{Index: n - 1, Qty: inv.Lines[n-1].Qty}}
				if _, err := l.Return(inv, items, bt.drafts[k].Date, "Damaged", nil, true); err != nil {
					return fmt.Errorf("demo return: %w", err)
				}
				returns++
				continue
			}
			if due := inv.Due(); due > 0 && inv.Party != nil && receipts < sz.Payments && receipts < (i+1)*sz.Payments/sz.Invoices+1 {
				if _, err := l.Payment(books.Payment{Date: inv.Date, Direction: books.PaymentIn, Party: inv.Party,
					Mode: books.ModeUPI, Amount: due, InvoiceID: inv.ID}); err != nil {
					return fmt.Errorf("demo receipt: %w", err)
				}
				receipts++
			}
		}
		if k := bt.from / salesBatch; k%32 == 0 {
			progress("invoices", bt.from, sz.Invoices)
		}
		return ctx.Err()
	}
	for bt := range batches {
		if err := save(bt); err != nil {
			close(stop)
			for range batches {
			}
			return err
		}
	}
	progress("purchases", 0, sz.Purchases)
	for i := 0; i < sz.Purchases && len(suppliers) > 0; i++ {
		sp := &suppliers[r.IntN(len(suppliers))]
		d := &books.PurchaseDraft{Date: Today.AddDate(0, 0, -days+i*days/max(sz.Purchases, 1)), BillNumber: fmt.Sprintf("PB-%06d", i+1),
			Party: books.SnapshotOf(sp, sp.ID)}
		for j := 0; j < 1+r.IntN(5); j++ {
			p := &ps[r.IntN(len(ps))]
			d.Lines = append(d.Lines, books.DraftLine{ProductID: p.ID, Product: *p, Qty: int64(10+r.IntN(50)) * 1000})
		}
		if _, err := l.Purchase(d); err != nil {
			return fmt.Errorf("demo purchase: %w", err)
		}
	}
	cats := []string{"Rent", "Electricity", "Salary", "Transport", "Tea and snacks", "Repairs"}
	defer progress("indexes, stock and search", 0, 0)
	if sz.Expenses > 0 {
		for _, c := range cats {
			if err := l.ExpenseCategory(c); err != nil {
				return err
			}
		}
	}
	for i := 0; i < sz.Expenses; i++ {
		e := books.Expense{Date: Today.AddDate(0, 0, -days+i*days/max(sz.Expenses, 1)).Format(books.DateLayout),
			Category: cats[r.IntN(len(cats))], Amount: int64(100+r.IntN(5000)) * 100, Mode: books.ModeCash}
		if _, err := l.Expense(e); err != nil {
			return fmt.Errorf("demo expense: %w", err)
		}
	}
	return nil
}
