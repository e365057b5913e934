package store_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestBulkPageMatchesRowByRow: pages of a new device's download written in
// multi-row statements (bulk mode) leave the same books as the same pages
// applied row by row, and as the books they came from: records, documents,
// their lines, ledger, money moves, product codes and stock. The pages
// hold what a run must not swallow: a cancellation ahead of its invoice, a
// product changed twice in one page, a product changed again in a later
// page, and every row downloaded a second time.
func TestBulkPageMatchesRowByRow(t *testing.T) {
	a := MustBooks(t)
	// Made by a signed-in staff member, whose id the bills' plain made_by
	// column holds (migration 0080).
	MustStaff(t, a)
	if _, err := a.SignIn(ctx, "Meera", "2580"); err != nil {
		t.Fatal(err)
	}
	p1 := MustProduct(t, a, books.Product{Name: "Atta 5kg", SKU: "ATTA", Barcodes: []string{"8901000000017"}, SalePrice: 25000, GSTRate: 500, OpeningStock: 10000, PurchasePrice: 20000})
	p2 := MustProduct(t, a, books.Product{Name: "Dal 1kg", SKU: "DAL", SalePrice: 12000, GSTRate: 500, OpeningStock: 5000})
	inv, err := a.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"), Party: &books.PartySnapshot{Name: "Ravi", Phone: "9876543210"},
		Lines: []books.DraftLine{line(p1, 3), line(p2, 1)}, Payments: []books.PaymentPart{{Mode: "upi", Amount: 30000}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.RecordPayment(ctx, books.Payment{Direction: books.PaymentIn, Party: &books.PartySnapshot{ID: inv.Party.ID}, Mode: "cash", Amount: 10000}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateReturn(ctx, store.ReturnInput{Invoice: inv.Number, Items: []books.ReturnLine{{Index: 0, Qty: 1000}}, Restock: true, Reason: "torn bag"}); err != nil {
		t.Fatal(err)
	}
	inv2, err := a.CreateSale(ctx, &books.SaleDraft{Date: day("2026-10-05"), Lines: []books.DraftLine{line(p1, 2)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CancelInvoice(ctx, inv2.Number, "customer left", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreatePurchase(ctx, &books.PurchaseDraft{Date: day("2026-10-06"), BillNumber: "B-77",
		Party: &books.PartySnapshot{Name: "Gupta Wholesale", GSTIN: "27AAPFU0939F1ZV"}, Lines: []books.DraftLine{line(p2, 10)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AdjustStock(ctx, books.StockAdjustment{ProductID: p1.ID, Qty: -500, Reason: "rats"}); err != nil {
		t.Fatal(err)
	}
	p1.SalePrice, p1.Barcodes = 26000, []string{"8901000000024"}
	if _, err := a.SaveProduct(p1); err != nil {
		t.Fatal(err)
	}
	p2.Name = "Toor Dal 1kg"
	if _, err := a.SaveProduct(p2); err != nil {
		t.Fatal(err)
	}
	muts, all := outboxChanges(t, a)
	var page1, page2 []protocol.Change
	for i, m := range muts {
		c := all[i]
		switch {
		case m.Table == "cancellations":
			page1 = append([]protocol.Change{c}, page1...) // ahead of its invoice
		case m.ID == p2.ID && strings.Contains(string(m.Data), "Toor"):
			page2 = append(page2, c) // the product is in the books by then
		default:
			page1 = append(page1, c)
		}
	}
	page2 = append(page2, page1...)

	apply := func(name string, bulkFrom int) *store.Store {
		s, err := store.Open(filepath.Join(t.TempDir(), name+".db"), store.Options{BulkFrom: bulkFrom, PINParams: &staff.TestParams})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.JoinBusiness(a.BusinessID(), "B"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApplyChanges(ctx, page1, 1); err != nil {
			t.Fatal(err)
		}
		if v, _ := s.Meta("bulk_indexes"); (v != "") != (bulkFrom == 1) {
			t.Fatalf("%s: bulk mode %q", name, v)
		}
		if _, err := s.ApplyChanges(ctx, page2, 2); err != nil {
			t.Fatal(err)
		}
		if err := s.EndPull(ctx); err != nil {
			t.Fatal(err)
		}
		return s
	}
	bulk, rows := apply("bulk", 1), apply("rows", 1<<30)
	// Statements of two rows: most are full, and kept from page to page.
	undo := store.SetBulkRows(2)
	small := apply("bulk-small", 1)
	undo()
	want := booksText(t, a)
	for _, s := range []*store.Store{rows, bulk, small} {
		if got := booksText(t, s); got != want {
			t.Fatalf("%s differs from the books it came from:\n--- want\n%s\n--- got\n%s", s.Path(), want, got)
		}
	}
	if _, c, _ := bulk.Invoice(inv2.Number); !c {
		t.Fatal("the invoice whose cancellation came first is not cancelled")
	}
	if got, err := bulk.ProductByCode("8901000000024"); err != nil || got.ID != p1.ID || got.SalePrice != 26000 {
		t.Fatalf("the new barcode: %+v %v", got, err)
	}
	if _, err := bulk.ProductByCode("8901000000017"); err == nil {
		t.Fatal("the old barcode still finds the product")
	}
}

// booksText lists the synced rows and everything derived from them.
func booksText(t *testing.T, s *store.Store) string {
	t.Helper()
	if err := s.FoldStock(ctx); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+s.Path()+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	qs := []string{
		`SELECT concat_ws('|', id, hlc, field_hlc, deleted, data) FROM products ORDER BY id`,
		`SELECT concat_ws('|', id, hlc, field_hlc, deleted, data) FROM parties ORDER BY id`,
		`SELECT concat_ws('|', doc_table, date, doc_id, n, product_id, hsn, unit, qty, rate, taxable, cgst, sgst, igst, cess, total, cost, stock_delta, cancelled)
			FROM doc_lines ORDER BY doc_table, date, doc_id, n`,
		`SELECT concat_ws('|', doc_id, party_id, doc_table, date, number, debit, credit, cancelled) FROM ledger ORDER BY doc_id, party_id`,
		`SELECT concat_ws('|', doc_id, n, doc_table, date, mode, amount_in, amount_out, cancelled) FROM money_moves ORDER BY doc_id, n`,
		`SELECT code || '|' || product_id FROM product_codes ORDER BY code, product_id`,
		`SELECT product_id || '|' || qty FROM stock_levels WHERE qty <> 0 ORDER BY product_id`,
		`SELECT concat_ws('|', product_id, date, qty_in, qty_out) FROM stock_days WHERE qty_in <> 0 OR qty_out <> 0 ORDER BY product_id, date`,
		`SELECT 'search ' || count(*) FROM product_fts WHERE product_fts MATCH 'atta OR dal'`,
	}
	for _, tb := range []string{"invoices", "credit_notes", "purchases", "payments", "stock_adjustments", "cancellations"} {
		qs = append(qs, `SELECT concat_ws('|', '`+tb+`', id, hlc, data) FROM `+tb+` ORDER BY id`)
	}
	qs = append(qs, `SELECT 'cancelled ' || id FROM invoices WHERE cancelled = 1 ORDER BY id`,
		`SELECT concat_ws('|', 'made by', id, made_by) FROM invoices INDEXED BY invoices_made_by WHERE made_by IS NOT NULL ORDER BY id`)
	for _, q := range qs {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, v)
		}
		rows.Close()
	}
	return b.String()
}

// TestStampsJSON: a row's field stamps are stored as the same bytes
// encoding/json writes (the bulk and the row-by-row paths must agree).
func TestStampsJSON(t *testing.T) {
	for _, m := range []map[string]string{nil, {}, {"name": "1767225600000.0000000001.d"},
		{"z": "a", "a": "z", "m<>&": "x\"y\\z", "é": "\u2028", "ctl": "\x01\n", "bad": "\xff"}} {
		want, _ := json.Marshal(m)
		if got := store.StampsJSON(m); string(got) != string(want) {
			t.Errorf("%q: %s, want %s", m, got, want)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.MapOf(rapid.String(), rapid.String()).Draw(t, "stamps")
		want, _ := json.Marshal(m)
		if got := store.StampsJSON(m); string(got) != string(want) {
			t.Fatalf("%q: %s, want %s", m, got, want)
		}
	})
}

// TestBulkStockMatchesLines: after a download in bulk mode, stock per day
// and stock levels are the stock effects of the lines the books hold. The
// download's own effects are summed in memory page by page; beside them
// are a bill made at the counter while the history comes down, a fold of
// it, and a later page cancelling a bill of an earlier one. A download cut
// and finished at the next open derives stock from the lines instead.
func TestBulkStockMatchesLines(t *testing.T) {
	a := MustBooks(t)
	p1 := MustProduct(t, a, books.Product{Name: "Atta 5kg", SKU: "ATTA", SalePrice: 25000, GSTRate: 500, OpeningStock: 10000})
	p2 := MustProduct(t, a, books.Product{Name: "Dal 1kg", SKU: "DAL", SalePrice: 12000, GSTRate: 500, OpeningStock: 5000})
	sale := func(s *store.Store, date string, lines ...books.DraftLine) *books.Invoice {
		t.Helper()
		inv, err := s.CreateSale(ctx, &books.SaleDraft{Date: day(date), Lines: lines})
		if err != nil {
			t.Fatal(err)
		}
		return inv
	}
	sale(a, "2026-10-03", line(p1, 3), line(p2, 1))
	gone := sale(a, "2026-10-04", line(p1, 2), line(p2, 2))
	if _, err := a.CreatePurchase(ctx, &books.PurchaseDraft{Date: day("2026-10-04"), BillNumber: "B-1",
		Party: &books.PartySnapshot{Name: "Gupta Wholesale"}, Lines: []books.DraftLine{line(p2, 10)}}); err != nil {
		t.Fatal(err)
	}
	changes := func() []protocol.Change {
		muts, out := outboxChanges(t, a)
		if err := a.AckMutations(muts[len(muts)-1].N); err != nil {
			t.Fatal(err)
		}
		return out
	}
	page1 := changes()
	if _, err := a.CancelInvoice(ctx, gone.Number, "customer left", time.Time{}); err != nil {
		t.Fatal(err)
	}
	page2 := changes()

	for _, cut := range []bool{false, true} {
		t.Run(map[bool]string{false: "SummedInMemory", true: "CutAndDerived"}[cut], func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "new.db")
			open := func() *store.Store {
				s, err := store.Open(path, store.Options{BulkFrom: 1, Now: func() time.Time { return day("2026-10-05") }, PINParams: &staff.TestParams})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			s := open()
			if err := s.JoinBusiness(a.BusinessID(), "B"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ApplyChanges(ctx, page1, 1); err != nil {
				t.Fatal(err)
			}
			if cut {
				s.Close()
				s = open()
			}
			defer s.Close()
			sale(s, "2026-10-05", line(p2, 2), line(p1, 1))
			if err := s.FoldStock(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ApplyChanges(ctx, page2, 2); err != nil {
				t.Fatal(err)
			}
			if err := s.EndPull(ctx); err != nil {
				t.Fatal(err)
			}
			if err := s.FoldStock(ctx); err != nil {
				t.Fatal(err)
			}
			for q, want := range map[string]string{
				`SELECT group_concat(concat_ws('|', product_id, date, qty_in, qty_out), ' ') FROM (SELECT * FROM stock_days
					WHERE qty_in <> 0 OR qty_out <> 0 ORDER BY product_id, date)`: `SELECT group_concat(concat_ws('|', product_id, date, i, o), ' ') FROM (
					SELECT product_id, date, sum(max(stock_delta, 0)) AS i, sum(max(-stock_delta, 0)) AS o FROM doc_lines
					WHERE cancelled = 0 AND stock_delta <> 0 GROUP BY product_id, date HAVING i <> 0 OR o <> 0 ORDER BY product_id, date)`,
				`SELECT group_concat(product_id || '|' || qty, ' ') FROM (SELECT * FROM stock_levels WHERE qty <> 0 ORDER BY product_id)`: `SELECT group_concat(product_id || '|' || q, ' ') FROM (
					SELECT product_id, sum(stock_delta) AS q FROM doc_lines WHERE cancelled = 0 AND stock_delta <> 0
					GROUP BY product_id HAVING q <> 0 ORDER BY product_id)`,
			} {
				if got, exp := text(t, s, q), text(t, s, want); got != exp || got == "" {
					t.Errorf("%s\n= %q, the lines say %q", q, got, exp)
				}
			}
			for p, want := range map[string]int64{p1.ID: 10000 - 3000 - 1000, p2.ID: 5000 - 1000 + 10000 - 2000} {
				if got, err := s.StockOnHand(p); err != nil || got != want {
					t.Errorf("stock of %s: %d (%v), want %d", p, got, err, want)
				}
			}
		})
	}
}

// text is the one text value q reads from s's file ("" for NULL).
func text(tb testing.TB, s *store.Store, q string) string {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+s.Path()+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var v sql.NullString
	if err := db.QueryRow(q).Scan(&v); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return v.String
}
