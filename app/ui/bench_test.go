package ui_test

import (
	"context"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/ui"
)

// TestMain deletes the benchmarks' shared copy of the demo books.
func TestMain(m *testing.M) {
	code := m.Run()
	demo.RemoveBenchCopies()
	os.Exit(code)
}

// benchBooks is the path of the benchmarks' copy of the large demo books:
// 100,000 products and 200,000 invoices (NAUKAR_BENCH_SIZE=huge: the huge
// ones), one copy for every benchmark of the run.
func benchBooks(b *testing.B) string {
	b.Helper()
	path, err := demo.BenchCopy(context.Background(), demo.BenchSize())
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// largeHarness opens the app on the benchmarks' copy of the demo books.
func largeHarness(b *testing.B) *harness {
	b.Helper()
	return newHarness(b, benchBooks(b))
}

// codes picks n barcodes spread over the catalogue (the demo's SKUs are
// SK000001 to SK100000, or SK0000001 to SK1000000).
func codes(b *testing.B, st *store.Store, n int) []string {
	b.Helper()
	total, err := st.CountProducts()
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]string, 0, n)
	for len(out) < n {
		p, err := st.ProductByCode(demo.BenchSize().SKU(1 + r.IntN(total)))
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, p.Barcodes[0])
	}
	return out
}

// BenchmarkScanItem measures a barcode scan from its Enter: the product
// and stock read off the UI goroutine, the line added, the bill re-totalled
// by books.PriceSale, and the grid and totals redrawn. Bills are started
// afresh every 20 lines, as at a counter. WithTyping also counts the 13
// keystrokes of the barcode going into the item box.
func BenchmarkScanItem(b *testing.B) {
	b.Run("FromEnter", func(b *testing.B) { benchScan(b, false) })
	b.Run("WithTyping", func(b *testing.B) { benchScan(b, true) })
}

func benchScan(b *testing.B, typing bool) {
	h := largeHarness(b)
	bill := h.App.Billing
	cs := codes(b, h.Books, 200)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(bill.Bill.Lines) == 20 {
			b.StopTimer()
			h.press(ui.ActNewBill)
			test.Tap(h.button("Yes"))
			b.StartTimer()
		}
		before := linesQty(bill)
		if !typing {
			b.StopTimer()
		}
		test.Type(bill.ItemBox, cs[i%len(cs)])
		b.StartTimer()
		bill.ItemBox.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		h.settle("scan", func() bool { return linesQty(bill) > before })
		if bill.Bill.Priced() == nil {
			b.Fatal(bill.Bill.Err())
		}
	}
}

func linesQty(b *ui.BillingScreen) int64 {
	var q int64
	for _, l := range b.Bill.Lines {
		q += l.Qty
	}
	return q
}

// BenchmarkSaveBill measures Ctrl+S on an eight-line bill with a split
// payment: the bill checked, the counter cleared for the next customer, the
// invoice numbered and written with its stock, ledger and money effects,
// and the status shown.
func BenchmarkSaveBill(b *testing.B) {
	h := largeHarness(b)
	bill := h.App.Billing
	cs := codes(b, h.Books, 64)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for j := 0; j < 8; j++ {
			p, err := h.Books.ProductByCode(cs[(i*8+j)%len(cs)])
			if err != nil {
				b.Fatal(err)
			}
			bill.AddProduct(p, 1000, 1<<40)
		}
		bill.UPI.SetText("10")
		last := bill.LastInvoice()
		b.StartTimer()
		h.press(ui.ActSaveBill)
		h.settle("saved", func() bool { return !bill.Saving() && bill.LastInvoice() != last })
	}
}

// BenchmarkOpenInvoices measures opening the Invoices screen: the newest
// 200 of 200,000 invoices read off the UI goroutine and shown in the list.
func BenchmarkOpenInvoices(b *testing.B) {
	h := largeHarness(b)
	s := h.App.Invoices
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.press(ui.ActInvoices)
		h.settle("list", func() bool { return len(s.Rows()) > 0 && !s.Loading() })
		b.StopTimer()
		h.press(ui.ActBilling)
		b.StartTimer()
	}
}

// BenchmarkStartToBilling measures the app's own start on the large books:
// open the books file, read the profile and held bills, build every screen
// and focus the item box (the real window adds Fyne's GL start; the e2e
// test measures the whole process).
func BenchmarkStartToBilling(b *testing.B) {
	path := benchBooks(b)
	// A first open applies any migration newer than the cached demo file.
	if st, err := store.Open(path, store.Options{}); err != nil {
		b.Fatal(err)
	} else {
		st.Close()
	}
	test.NewTempApp(b)
	ui.LoadTranslations()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := store.Open(path, store.Options{Now: func() time.Time { return demo.Today }})
		if err != nil {
			b.Fatal(err)
		}
		w := test.NewWindow(nil)
		w.Resize(fyne.NewSize(1366, 768))
		a := ui.New(w, st, ui.Options{Do: func(f func()) {}})
		a.Start()
		if w.Canvas().Focused() != a.Billing.ItemBox {
			b.Fatal("billing is not ready")
		}
		b.StopTimer()
		w.Close()
		st.Close()
		b.StartTimer()
	}
}

// BenchmarkProductsFarPage measures the virtual product list jumping to
// its last page (rows 99,800–99,999 of 100,000): the rows read off the UI
// goroutine and drawn. Nearer pages are cheaper.
func BenchmarkProductsFarPage(b *testing.B) {
	h := largeHarness(b)
	h.press(ui.ActProducts)
	p := h.App.Products
	h.settle("count", func() bool { return p.Total() == demo.BenchSize().Products })
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p.Reload()
		h.settle("count", func() bool { return p.Total() == demo.BenchSize().Products })
		b.StartTimer()
		p.ScrollTo(p.Total() - 1)
		h.settle("far page", func() bool { _, ok := p.Row(p.Total() - 1); return ok })
	}
}

// BenchmarkOpenProducts measures opening Products and stock on 100,000
// products: the list order read off the UI goroutine and the first page
// of rows drawn.
func BenchmarkOpenProducts(b *testing.B) {
	h := largeHarness(b)
	p := h.App.Products
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.press(ui.ActProducts)
		h.settle("first page", func() bool { _, ok := p.Row(0); return p.Total() == demo.BenchSize().Products && ok })
		b.StopTimer()
		h.press(ui.ActBilling)
		b.StartTimer()
	}
}
