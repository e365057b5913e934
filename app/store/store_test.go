package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
)

var ctx = context.Background()

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		panic(err)
	}
	return t.Add(11 * time.Hour)
}

// MustBooks opens fresh books set up for a registered Maharashtra shop.
func MustBooks(tb testing.TB) *store.Store {
	tb.Helper()
	s, err := store.Open(filepath.Join(tb.TempDir(), "books.db"), store.Options{Now: func() time.Time { return day("2026-10-05") }, PINParams: &staff.TestParams})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.Init(books.Business{Name: "Sharma Stores", GSTIN: "27AAPFU0939F1ZV", StateCode: "27", InvoicePrefix: "INV"}); err != nil {
		tb.Fatal(err)
	}
	return s
}

func MustProduct(tb testing.TB, s *store.Store, p books.Product) books.Product {
	tb.Helper()
	if p.Unit == "" {
		p.Unit = "NOS"
	}
	id, err := s.SaveProduct(p)
	if err != nil {
		tb.Fatalf("save product %s: %v", p.Name, err)
	}
	got, err := s.Product(id)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

func line(p books.Product, qty int64) books.DraftLine {
	return books.DraftLine{ProductID: p.ID, Product: p, Qty: qty * 1000}
}

func count(tb testing.TB, s *store.Store, q string, args ...any) int {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+s.Path()+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

func TestInit(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(filepath.Join(dir, "b.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t.Run("ErrGSTINChecksum", func(t *testing.T) {
		_, err := s.Init(books.Business{Name: "X", GSTIN: "27AAPFU0939F1ZW", StateCode: "27"})
		if books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), "check character") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrStateMismatch", func(t *testing.T) {
		_, err := s.Init(books.Business{Name: "X", GSTIN: "27AAPFU0939F1ZV", StateCode: "29"})
		if books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), "belongs to state 27") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrSaleBeforeInit", func(t *testing.T) {
		_, err := s.CreateSale(ctx, &books.SaleDraft{})
		if err == nil || !strings.Contains(err.Error(), "naukar init") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("UnregisteredOK", func(t *testing.T) {
		if _, err := s.Init(books.Business{Name: "Gupta Kirana", StateCode: "Delhi"}); err != nil {
			t.Fatal(err)
		}
		b, err := s.Business()
		if err != nil || b.StateCode != "07" || b.InvoicePrefix != "INV" || b.Registered() {
			t.Fatalf("business %+v %v", b, err)
		}
	})
	t.Run("ErrAlreadyInit", func(t *testing.T) {
		_, err := s.Init(books.Business{Name: "Y", StateCode: "07"})
		if books.ErrorCode(err) != books.ECONFLICT {
			t.Fatalf("got %v", err)
		}
	})
}

func TestSaleTaxInclusiveHundred(t *testing.T) {
	s := MustBooks(t)
	p := MustProduct(t, s, books.Product{Name: "Rice", SKU: "R1", SalePrice: 10000, PriceIncludesTax: true, GSTRate: 1800})
	inv, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"), Lines: []books.DraftLine{line(p, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	want := books.Totals{Taxable: 8475, CGST: 763, SGST: 763, RoundOff: -1, GrandTotal: 10000}
	if inv.Totals != want {
		t.Fatalf("totals %+v, want %+v", inv.Totals, want)
	}
	if inv.Number != "INVA-2627-1" || inv.SupplyType != gst.Intra || inv.PlaceOfSupply != "27" || inv.Kind != books.TaxInvoice {
		t.Fatalf("invoice %s %s %s %s", inv.Number, inv.SupplyType, inv.PlaceOfSupply, inv.Kind)
	}
	if inv.Paid != 10000 || len(inv.Payments) != 1 || inv.Payments[0].Mode != "cash" {
		t.Fatalf("payments %+v", inv.Payments)
	}
	got, cancelled, err := s.Invoice("INVA-2627-1")
	if err != nil || cancelled || got.Totals != want || got.Lines[0].CGST != 763 {
		t.Fatalf("read back %+v %v %v", got, cancelled, err)
	}
}

func TestSaleInterStateB2B(t *testing.T) {
	s := MustBooks(t)
	p := MustProduct(t, s, books.Product{Name: "Soap", SKU: "S1", SalePrice: 2463, GSTRate: 1800, HSN: "3401"})
	inv, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"),
		Party: &books.PartySnapshot{Name: "Reddy Traders", GSTIN: "29AABCR1718E1ZL"}, Lines: []books.DraftLine{line(p, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	if inv.SupplyType != gst.Inter || inv.PlaceOfSupply != "29" || inv.IGST != 443 || inv.CGST != 0 || inv.Taxable != 2463 {
		t.Fatalf("got %s pos %s totals %+v", inv.SupplyType, inv.PlaceOfSupply, inv.Totals)
	}
	if inv.Party.ID == "" {
		t.Fatal("party was not added to the books")
	}
	intra, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"), Lines: []books.DraftLine{line(p, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	if intra.CGST != 222 || intra.SGST != 222 {
		t.Fatalf("intra 24.63 @18%%: %+v", intra.Totals)
	}
	// The party is found again by GSTIN rather than added twice.
	again, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"),
		Party: &books.PartySnapshot{Name: "reddy traders", GSTIN: "29AABCR1718E1ZL"}, Lines: []books.DraftLine{line(p, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	if again.Party.ID != inv.Party.ID {
		t.Fatalf("party added twice: %s vs %s", again.Party.ID, inv.Party.ID)
	}
}

func TestNumbering(t *testing.T) {
	s := MustBooks(t)
	p := MustProduct(t, s, books.Product{Name: "Pen", SKU: "P1", SalePrice: 1000, GSTRate: 1800})
	var nums []string
	for _, d := range []string{"2027-03-30", "2027-03-31", "2027-04-01", "2027-04-02"} {
		inv, err := s.CreateSale(ctx, &books.SaleDraft{Date: day(d), Lines: []books.DraftLine{line(p, 1)}})
		if err != nil {
			t.Fatal(err)
		}
		nums = append(nums, inv.Number)
	}
	want := []string{"INVA-2627-1", "INVA-2627-2", "INVA-2728-1", "INVA-2728-2"}
	if strings.Join(nums, " ") != strings.Join(want, " ") {
		t.Fatalf("numbers %v, want %v", nums, want)
	}
	for _, n := range nums {
		if len(n) > 16 {
			t.Fatalf("%s longer than 16", n)
		}
	}
	t.Run("ErrPrefixTooLong", func(t *testing.T) {
		b, _ := s.Business()
		b.InvoicePrefix = "SHARMAS"
		err := s.SaveBusiness(b)
		if books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), "at most 6") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("SeriesPerDevice", func(t *testing.T) {
		if err := s.SetMeta(map[string]string{"series": "B"}); err != nil {
			t.Fatal(err)
		}
		inv, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2027-04-02"), Lines: []books.DraftLine{line(p, 1)}})
		if err != nil || inv.Number != "INVB-2728-1" {
			t.Fatalf("got %v %v", inv, err)
		}
	})
}

func TestStockBalancesReturnsCancel(t *testing.T) {
	s := MustBooks(t)
	p := MustProduct(t, s, books.Product{Name: "Atta 5kg", SKU: "ATTA", SalePrice: 25000, GSTRate: 500, OpeningStock: 10000, PurchasePrice: 20000})
	stock := func() int64 {
		t.Helper()
		q, err := s.StockOnHand(p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	inv, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"), Party: &books.PartySnapshot{Name: "Ravi", Phone: "9876543210"},
		Lines: []books.DraftLine{line(p, 3)}, Payments: []books.PaymentPart{{Mode: "upi", Amount: 30000}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := stock(); got != 7000 {
		t.Fatalf("stock after sale %d", got)
	}
	bal, _ := s.PartyBalance(inv.Party.ID)
	if bal != inv.GrandTotal-30000 || inv.Due() != bal {
		t.Fatalf("balance %d, due %d", bal, inv.Due())
	}
	if _, err := s.RecordPayment(ctx, books.Payment{Direction: books.PaymentIn, Party: &books.PartySnapshot{ID: inv.Party.ID}, Mode: "cash", Amount: 10000}); err != nil {
		t.Fatal(err)
	}
	bal2, _ := s.PartyBalance(inv.Party.ID)
	if bal2 != bal-10000 {
		t.Fatalf("balance after payment %d", bal2)
	}
	cn, err := s.CreateReturn(ctx, store.ReturnInput{Invoice: inv.Number, Items: []books.ReturnLine{{Index: 0, Qty: 1000}}, Restock: true, Reason: "torn bag"})
	if err != nil {
		t.Fatal(err)
	}
	if cn.Number != "CNA-2627-1" || cn.InvoiceNumber != inv.Number || cn.GrandTotal <= 0 {
		t.Fatalf("credit note %+v", cn)
	}
	if got := stock(); got != 8000 {
		t.Fatalf("stock after return %d", got)
	}
	t.Run("ErrReturnMoreThanSold", func(t *testing.T) {
		_, err := s.CreateReturn(ctx, store.ReturnInput{Invoice: inv.Number, Items: []books.ReturnLine{{Index: 0, Qty: 2500}}})
		if books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), "between 0 and 2") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrCancelWithCreditNote", func(t *testing.T) {
		_, err := s.CancelInvoice(ctx, inv.Number, "mistake", time.Time{})
		if books.ErrorCode(err) != books.ECONFLICT {
			t.Fatalf("got %v", err)
		}
	})
	// A second sale, cancelled: stock and money come back.
	inv2, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"), Lines: []books.DraftLine{line(p, 2)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := stock(); got != 6000 {
		t.Fatalf("stock after 2nd sale %d", got)
	}
	t.Run("ErrCancelNoReason", func(t *testing.T) {
		_, err := s.CancelInvoice(ctx, inv2.Number, " ", time.Time{})
		if books.ErrorCode(err) != books.EINVALID {
			t.Fatalf("got %v", err)
		}
	})
	if _, err := s.CancelInvoice(ctx, inv2.Number, "customer left", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got := stock(); got != 8000 {
		t.Fatalf("stock after cancel %d", got)
	}
	if _, c, _ := s.Invoice(inv2.Number); !c {
		t.Fatal("invoice not marked cancelled")
	}
	if _, err := s.CancelInvoice(ctx, inv2.Number, "again", time.Time{}); books.ErrorCode(err) != books.ECONFLICT {
		t.Fatalf("double cancel: %v", err)
	}
	// Purchase brings stock in and the supplier is owed.
	pur, err := s.CreatePurchase(ctx, &books.PurchaseDraft{Date: day("2026-10-06"), BillNumber: "B-77",
		Party: &books.PartySnapshot{Name: "Gupta Wholesale", GSTIN: "27AAPFU0939F1ZV"}, Lines: []books.DraftLine{line(p, 10)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := stock(); got != 18000 {
		t.Fatalf("stock after purchase %d", got)
	}
	if pur.Taxable != 200000 || pur.CGST != 5000 || pur.SGST != 5000 {
		t.Fatalf("purchase totals %+v", pur.Totals)
	}
	sb, _ := s.PartyBalance(pur.Party.ID)
	if sb != -pur.GrandTotal {
		t.Fatalf("supplier balance %d want %d", sb, -pur.GrandTotal)
	}
	if _, err := s.CreatePurchase(ctx, &books.PurchaseDraft{Date: day("2026-10-06"), BillNumber: "B-77",
		Party: &books.PartySnapshot{Name: "Gupta Wholesale"}, Lines: []books.DraftLine{line(p, 1)}}); books.ErrorCode(err) != books.ECONFLICT {
		t.Fatalf("duplicate bill: %v", err)
	}
	if _, err := s.AdjustStock(ctx, books.StockAdjustment{ProductID: p.ID, Qty: -500, Reason: "rats"}); err != nil {
		t.Fatal(err)
	}
	if got := stock(); got != 17500 {
		t.Fatalf("stock after adjustment %d", got)
	}
	// Derived stock equals opening + sum of document effects.
	if n := count(t, s, `SELECT (SELECT opening_stock FROM products WHERE id = ?) + coalesce((SELECT sum(stock_delta) FROM doc_lines WHERE product_id = ? AND cancelled = 0), 0)`, p.ID, p.ID); int64(n) != 17500 {
		t.Fatalf("recomputed stock %d", n)
	}
}

func TestPaymentsRules(t *testing.T) {
	s := MustBooks(t)
	p := MustProduct(t, s, books.Product{Name: "Tea", SKU: "T", SalePrice: 10000, GSTRate: 500})
	cases := []struct {
		name  string
		party *books.PartySnapshot
		pays  []books.PaymentPart
		want  string
	}{
		{"ErrWalkInShort", nil, []books.PaymentPart{{Mode: "cash", Amount: 5000}}, "must be paid in full"},
		{"ErrOverpaid", nil, []books.PaymentPart{{Mode: "cash", Amount: 20000}}, "more than the bill total"},
		{"ErrBadMode", nil, []books.PaymentPart{{Mode: "cheque", Amount: 10500}}, "not one of cash"},
		{"ErrCreditMismatch", &books.PartySnapshot{Name: "A"}, []books.PaymentPart{{Mode: "cash", Amount: 100}, {Mode: "credit", Amount: 100}}, "add up to"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"), Party: c.party, Lines: []books.DraftLine{line(p, 1)}, Payments: c.pays})
			if books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v", err)
			}
		})
	}
	t.Run("SplitPayment", func(t *testing.T) {
		inv, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"), Lines: []books.DraftLine{line(p, 1)},
			Payments: []books.PaymentPart{{Mode: "cash", Amount: 500}, {Mode: "upi", Amount: 10000}}})
		if err != nil || inv.Paid != 10500 || len(inv.Payments) != 2 {
			t.Fatalf("got %+v %v", inv, err)
		}
	})
	if n := count(t, s, `SELECT count(*) FROM invoices`); n != 1 {
		t.Fatalf("refused sales left %d invoices", n)
	}
}

func TestSnapshotsSurviveEdits(t *testing.T) {
	s := MustBooks(t)
	p := MustProduct(t, s, books.Product{Name: "Ghee 1L", SKU: "G1", SalePrice: 60000, GSTRate: 1200 + 600, HSN: "0405"})
	inv, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"), Party: &books.PartySnapshot{Name: "Meena", StateCode: "27"}, Lines: []books.DraftLine{line(p, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	p.Name, p.SalePrice, p.HSN = "Ghee 1 Litre", 65000, "04059020"
	if _, err := s.SaveProduct(p); err != nil {
		t.Fatal(err)
	}
	party, _ := s.Party(inv.Party.ID)
	party.Name = "Meena Iyer"
	if _, err := s.SaveParty(party); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteProduct(p.ID); err != nil {
		t.Fatal(err)
	}
	got, _, err := s.Invoice(inv.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got.Lines[0].Name != "Ghee 1L" || got.Lines[0].Price != 60000 || got.Lines[0].HSN != "0405" || got.Party.Name != "Meena" {
		t.Fatalf("issued invoice changed: %+v party %+v", got.Lines[0], got.Party)
	}
	if _, err := s.ProductByCode("G1"); books.ErrorCode(err) != books.ENOTFOUND {
		t.Fatalf("deleted product still scannable: %v", err)
	}
}

func TestOutboxInSameTransaction(t *testing.T) {
	s := MustBooks(t)
	before, _ := s.PendingCount()
	p := MustProduct(t, s, books.Product{Name: "Jam", SKU: "J", SalePrice: 9900, GSTRate: 500})
	if _, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"), Lines: []books.DraftLine{line(p, 1)}}); err != nil {
		t.Fatal(err)
	}
	muts, err := s.PendingMutations(100)
	if err != nil {
		t.Fatal(err)
	}
	if len(muts) != before+2 {
		t.Fatalf("outbox has %d entries, want %d", len(muts), before+2)
	}
	for i, m := range muts {
		if m.N != int64(i+1) {
			t.Fatalf("mutation numbers not gapless: %d at %d", m.N, i)
		}
		if i > 0 && muts[i-1].HLC >= m.HLC {
			t.Fatalf("stamps not increasing: %s then %s", muts[i-1].HLC, m.HLC)
		}
	}
	last := muts[len(muts)-1]
	if last.Table != "invoices" || last.Op != "insert" || !strings.Contains(string(last.Data), `"number":"INVA-2627-1"`) {
		t.Fatalf("last mutation %+v", last)
	}
	// Editing one field queues only that field.
	p.SalePrice = 10900
	if _, err := s.SaveProduct(p); err != nil {
		t.Fatal(err)
	}
	muts, _ = s.PendingMutations(100)
	if got := string(muts[len(muts)-1].Data); got != `{"sale_price":10900}` {
		t.Fatalf("edit queued %s", got)
	}
	// Saving unchanged queues nothing.
	if _, err := s.SaveProduct(p); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.PendingCount(); n != len(muts) {
		t.Fatalf("no-op save queued a change")
	}
	if err := s.AckMutations(muts[1].N); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.PendingCount(); n != len(muts)-2 {
		t.Fatalf("after ack %d pending", n)
	}
}

func TestSearch(t *testing.T) {
	s := MustBooks(t)
	MustProduct(t, s, books.Product{Name: "India Gate Basmati Rice 5kg", SKU: "RICE5", Barcodes: []string{"8901234567890"}, SalePrice: 50000, GSTRate: 500})
	MustProduct(t, s, books.Product{Name: "Sona Masoori Rice 10kg", SKU: "RICE10", SalePrice: 60000, GSTRate: 500})
	gone := MustProduct(t, s, books.Product{Name: "Rice Flour 1kg", SKU: "RF", SalePrice: 6000, GSTRate: 500})
	MustProduct(t, s, books.Product{Name: "बासमती चावल", SKU: "HIN1", SalePrice: 9000, GSTRate: 500})
	if err := s.DeleteProduct(gone.ID); err != nil {
		t.Fatal(err)
	}
	names := func(q string) []string {
		hits, err := s.SearchProducts(q, 20)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range hits {
			out = append(out, h.Name)
		}
		return out
	}
	if got := names("ric"); len(got) != 2 {
		t.Fatalf("ric: %v", got)
	}
	if got := names("bas ri"); len(got) != 1 || got[0] != "India Gate Basmati Rice 5kg" {
		t.Fatalf("bas ri: %v", got)
	}
	// A one-letter word narrows by its own prefix ("1" of 10kg, "5" of 5kg).
	if got := names("ric 1"); len(got) != 1 || got[0] != "Sona Masoori Rice 10kg" {
		t.Fatalf("ric 1: %v", got)
	}
	if got := names("rice 5 g"); len(got) != 1 || got[0] != "India Gate Basmati Rice 5kg" {
		t.Fatalf("rice 5 g: %v", got)
	}
	if got := names("8901234567890"); len(got) != 1 || got[0] != "India Gate Basmati Rice 5kg" {
		t.Fatalf("barcode: %v", got)
	}
	if got := names("RICE10"); len(got) == 0 || got[0] != "Sona Masoori Rice 10kg" {
		t.Fatalf("sku: %v", got)
	}
	if got := names("बास"); len(got) != 1 {
		t.Fatalf("devanagari: %v", got)
	}
	if got := names(`"; DROP TABLE products; --`); len(got) != 0 {
		t.Fatalf("junk: %v", got)
	}
	t.Run("ErrDuplicateBarcode", func(t *testing.T) {
		_, err := s.SaveProduct(books.Product{Name: "Other", Unit: "NOS", Barcodes: []string{"8901234567890"}, SalePrice: 1, GSTRate: 500})
		if books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), "already used by") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestImportAllOrNothing(t *testing.T) {
	s := MustBooks(t)
	good := []books.Product{{Name: "A", Unit: "NOS", SalePrice: 100, GSTRate: 500}, {Name: "B", Unit: "NOS", SalePrice: 100, GSTRate: 1800}}
	bad := append(good, books.Product{Name: "C", Unit: "NOS", SalePrice: 100, GSTRate: 1300})
	_, err := s.ImportProducts(bad, []int{2, 3, 4})
	var ie *store.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Row != 4 || !strings.Contains(err.Error(), "row 4") {
		t.Fatalf("got %v", err)
	}
	if n, _ := s.CountProducts(); n != 0 {
		t.Fatalf("half imported: %d products", n)
	}
	if n, err := s.ImportProducts(good, []int{2, 3}); err != nil || n != 2 {
		t.Fatalf("import %d %v", n, err)
	}
}

// TestKillMidSave kills a process in the middle of saving a bill (after
// every row is written, before commit) and checks the books hold none of it.
func TestKillMidSave(t *testing.T) {
	if os.Getenv("NAUKAR_KILL_CHILD") != "" {
		return // the child's work happens in TestMain
	}
	s := MustBooks(t)
	MustProduct(t, s, books.Product{Name: "Pen", SKU: "PEN", SalePrice: 1000, GSTRate: 1800, OpeningStock: 5000})
	path := s.Path()
	pending, _ := s.PendingCount()
	s.Close()

	ready := filepath.Join(t.TempDir(), "ready")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillMidSave$")
	cmd.Env = append(os.Environ(), "NAUKAR_KILL_CHILD="+path, "NAUKAR_KILL_READY="+ready)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("child never reached the commit")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	s2, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	for _, q := range []string{`SELECT count(*) FROM invoices`, `SELECT count(*) FROM doc_lines`, `SELECT count(*) FROM money_moves`, `SELECT count(*) FROM stock_levels`} {
		if n := count(t, s2, q); n != 0 {
			t.Errorf("%s = %d after a kill mid-save", q, n)
		}
	}
	if n, _ := s2.PendingCount(); n != pending {
		t.Errorf("outbox %d, want %d", n, pending)
	}
	if st, _ := s2.StockOnHand(mustCode(t, s2, "PEN")); st != 5000 {
		t.Errorf("stock %d", st)
	}
	// The books still work after the crash.
	p, _ := s2.ProductByCode("PEN")
	if _, err := s2.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{line(p, 1)}}); err != nil {
		t.Fatal(err)
	}
}

func mustCode(t *testing.T, s *store.Store, code string) string {
	p, err := s.ProductByCode(code)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func TestMain(m *testing.M) {
	if path := os.Getenv("NAUKAR_KILL_CHILD"); path != "" {
		s, err := store.Open(path, store.Options{})
		if err != nil {
			os.Exit(3)
		}
		store.SetBeforeCommit(func() {
			os.WriteFile(os.Getenv("NAUKAR_KILL_READY"), nil, 0o600)
			time.Sleep(time.Minute) // killed here
		})
		p, err := s.ProductByCode("PEN")
		if err != nil {
			os.Exit(4)
		}
		s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{line(p, 2)}})
		os.Exit(5)
	}
	os.Exit(m.Run())
}

// TestStockJournal: a bill's stock effects wait in stock_pending and are
// folded into stock_levels and stock_days; every reader sees them at once,
// a cancellation takes them out again, and effects left unfolded by a
// crash are folded when the books are opened again.
func TestStockJournal(t *testing.T) {
	t.Cleanup(store.SetFoldAfter(time.Hour)) // no background fold during the test (undone after the books close)
	s := MustBooks(t)
	p := MustProduct(t, s, books.Product{Name: "Sugar 1kg", SKU: "SUGAR", SalePrice: 4500, GSTRate: 500, OpeningStock: 50000})
	inv, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"), Lines: []books.DraftLine{line(p, 3), line(p, 2)}})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM stock_pending`); n != 2 {
		t.Fatalf("%d pending stock effects, want 2 (one per line)", n)
	}
	// Search shows stock: it folds first.
	hits, err := s.SearchProducts("sugar", 5)
	if err != nil || len(hits) != 1 || hits[0].Stock != 45000 {
		t.Fatalf("search after sale: %+v %v", hits, err)
	}
	if n := count(t, s, `SELECT count(*) FROM stock_pending`); n != 0 {
		t.Fatalf("%d effects left after a reader folded", n)
	}
	if n := count(t, s, `SELECT qty_out FROM stock_days WHERE product_id = ? AND date = '2026-10-05'`, p.ID); n != 5000 {
		t.Fatalf("stock_days out %d, want 5000", n)
	}
	if _, err := s.CancelInvoice(ctx, inv.Number, "wrong customer", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if q, err := s.StockOnHand(p.ID); err != nil || q != 50000 {
		t.Fatalf("stock after cancel %d %v", q, err)
	}
	if n := count(t, s, `SELECT qty_out FROM stock_days WHERE product_id = ? AND date = '2026-10-05'`, p.ID); n != 0 {
		t.Fatalf("stock_days out after cancel %d, want 0", n)
	}

	// A crash before folding: the next open folds.
	if _, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-06"), Lines: []books.DraftLine{line(p, 4)}}); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var pending int
	if err := raw.QueryRow(`SELECT count(*) FROM stock_pending`).Scan(&pending); err != nil || pending != 1 {
		t.Fatalf("pending before reopen %d %v", pending, err)
	}
	s2, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := raw.QueryRow(`SELECT count(*) FROM stock_pending`).Scan(&pending); err != nil || pending != 0 {
		t.Fatalf("pending after reopen %d %v", pending, err)
	}
	if q, err := s2.StockOnHand(p.ID); err != nil || q != 46000 {
		t.Fatalf("stock after reopen %d %v", q, err)
	}
}

// TestSignInWhileSaving: the first device of an account signs in (its books
// take the server's id for their business) while the counter keeps saving
// products and bills. Run with -race: the business id is read by every save
// and written by the sign-in. Every row, saved before or after, belongs to
// the new business; none is left under the old id.
func TestSignInWhileSaving(t *testing.T) {
	s := MustBooks(t)
	tea := MustProduct(t, s, books.Product{Name: "Tea", SKU: "T1", SalePrice: 1000, GSTRate: 500})
	oldID := s.BusinessID()
	newID := "01990000-0000-7000-8000-000000000001"
	var adopted atomic.Bool
	started := make(chan struct{})
	errs := make(chan error, 1)
	go func() {
		defer close(errs)
		after := 0
		for i := 0; after < 5; i++ {
			if _, err := s.SaveProduct(books.Product{Name: fmt.Sprint("Item ", i), SKU: fmt.Sprint("I", i), SalePrice: 1000, GSTRate: 1800, Unit: "NOS"}); err != nil {
				errs <- err
				return
			}
			if _, err := s.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"), Lines: []books.DraftLine{line(tea, 1)}}); err != nil {
				errs <- err
				return
			}
			_ = s.BusinessID() // as the sync screen reads it
			if i == 2 {
				close(started)
			}
			if adopted.Load() {
				after++
			}
		}
	}()
	<-started
	if err := s.AdoptBusiness(newID); err != nil {
		t.Fatal(err)
	}
	adopted.Store(true)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	if s.BusinessID() != newID {
		t.Fatalf("business id %q, want %q", s.BusinessID(), newID)
	}
	for _, table := range []string{"products", "invoices", "business"} {
		if n := count(t, s, `SELECT count(*) FROM `+table+` WHERE business_id <> ?`, newID); n != 0 {
			t.Errorf("%d %s rows are not under the new business id (old %s)", n, table, oldID)
		}
	}
	if b, err := s.Business(); err != nil || b.ID != newID {
		t.Fatalf("business profile after sign-in: %+v, %v", b, err)
	}
}

func TestProductUnits(t *testing.T) {
	s := MustBooks(t)
	a := MustProduct(t, s, books.Product{Name: "Basmati Rice", SKU: "RICE", SalePrice: 9000, GSTRate: 500, Unit: "KGS"})
	b := MustProduct(t, s, books.Product{Name: "Soap", SKU: "SOAP", SalePrice: 3000, GSTRate: 1800})
	units, err := s.ProductUnits([]string{a.ID, b.ID, "nope"})
	if err != nil {
		t.Fatal(err)
	}
	if units[a.ID] != "KGS" || units[b.ID] != "NOS" || len(units) != 2 {
		t.Fatalf("units %v", units)
	}
	hits, err := s.ListProducts(store.ProductFilter{Limit: 10})
	if err != nil || len(hits) != 2 || hits[0].Unit != "KGS" || hits[1].Unit != "NOS" {
		t.Fatalf("listed %+v %v", hits, err)
	}
}
