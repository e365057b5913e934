package store_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
)

// MustStaff adds the owner Meera (PIN 2580), the manager Vikram (3690) and
// the cashier Ravi (1470, 5% limit) to s, and leaves nobody signed in.
func MustStaff(tb testing.TB, s *store.Store) {
	tb.Helper()
	if _, err := s.AddStaff(ctx, store.StaffInput{Name: "Meera", Role: staff.Owner, PIN: "2580"}); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.SignIn(ctx, "meera", "2580"); err != nil {
		tb.Fatal(err)
	}
	for _, in := range []store.StaffInput{
		{Name: "Vikram", Role: staff.Manager, PIN: "3690"},
		{Name: "Ravi", Role: staff.Cashier, PIN: "1470", DiscountLimitBP: -1},
	} {
		if _, err := s.AddStaff(ctx, in); err != nil {
			tb.Fatal(err)
		}
	}
	s.SignOut()
}

func wantForbidden(t *testing.T, err error, a staff.Action) {
	t.Helper()
	got, ok := store.Denied(err)
	if !ok || got != a {
		t.Fatalf("err = %v (%s), want refused %s", err, books.ErrorCode(err), a)
	}
}

func TestStaffFirstIsOwner(t *testing.T) {
	s := MustBooks(t)
	if has, _ := s.HasStaff(ctx); has {
		t.Fatal("new books have staff")
	}
	if !s.Can(staff.Settings) || !s.Can(staff.ManageStaff) {
		t.Error("books without staff cannot do everything")
	}
	_, err := s.AddStaff(ctx, store.StaffInput{Name: "Ravi", Role: staff.Cashier, PIN: "1470"})
	if err == nil || !strings.Contains(err.Error(), "Add yourself first, as the owner") {
		t.Fatalf("a cashier first: %v", err)
	}
	if _, err := s.AddStaff(ctx, store.StaffInput{Name: "Meera", Role: staff.Owner, PIN: "1234"}); err == nil || !strings.Contains(err.Error(), "too easy") {
		t.Fatalf("an easy PIN: %v", err)
	}
	MustStaff(t, s)
	list, err := s.StaffList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range list {
		names = append(names, m.Name+":"+string(m.Role))
		if !strings.HasPrefix(m.PINHash, "$argon2id$") {
			t.Errorf("%s's PIN is not hashed with argon2id: %q", m.Name, m.PINHash)
		}
	}
	if got := strings.Join(names, " "); got != "Meera:owner Vikram:manager Ravi:cashier" {
		t.Errorf("staff = %s", got)
	}
	if list[2].DiscountLimitBP != staff.DefaultDiscountLimitBP {
		t.Errorf("cashier limit %d", list[2].DiscountLimitBP)
	}
	// Staff sync: each member is queued for the other devices.
	if n := count(t, s, `SELECT count(*) FROM outbox WHERE tbl = 'staff'`); n != 3 {
		t.Errorf("%d staff mutations queued", n)
	}
	// With staff, nobody signed in can do nothing; adding needs the owner.
	if s.Can(staff.Bill) {
		t.Error("nobody signed in may bill")
	}
	_, err = s.AddStaff(ctx, store.StaffInput{Name: "Sita", Role: staff.Cashier, PIN: "2468"})
	wantForbidden(t, err, staff.ManageStaff)
	if _, err := s.SignIn(ctx, "Vikram", "3690"); err != nil {
		t.Fatal(err)
	}
	_, err = s.AddStaff(ctx, store.StaffInput{Name: "Sita", Role: staff.Cashier, PIN: "2468"})
	wantForbidden(t, err, staff.ManageStaff)
	wantForbidden(t, s.RemoveStaff(ctx, "Ravi"), staff.ManageStaff)
}

func TestStaffRolesInTheStore(t *testing.T) {
	s := MustBooks(t)
	sugar := MustProduct(t, s, books.Product{Name: "Sugar 1kg", SalePrice: 5000, PurchasePrice: 4200, GSTRate: 500, PriceIncludesTax: true})
	MustStaff(t, s)
	_, err := s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{line(sugar, 1)}})
	if err == nil || !strings.HasPrefix(err.Error(), "Sign in first") {
		t.Fatalf("a sale with nobody signed in: %v", err)
	}

	ravi, err := s.SignIn(ctx, "Ravi", "1470")
	if err != nil || ravi.Role != staff.Cashier {
		t.Fatalf("sign in: %v %+v", err, ravi)
	}
	inv, err := s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{line(sugar, 2)}})
	if err != nil {
		t.Fatal(err)
	}
	if inv.MadeBy != ravi.ID || inv.MadeByName != "Ravi" {
		t.Errorf("made by %q %q", inv.MadeBy, inv.MadeByName)
	}
	stored, _, err := s.Invoice(inv.Number)
	if err != nil || stored.MadeByName != "Ravi" {
		t.Errorf("stored invoice made by %q (%v)", stored.MadeByName, err)
	}

	t.Run("CashierRefused", func(t *testing.T) {
		_, err := s.CancelInvoice(ctx, inv.Number, "wrong item", time.Time{})
		wantForbidden(t, err, staff.CancelBill)
		if !strings.Contains(err.Error(), "a manager can approve it with their PIN") {
			t.Errorf("message %q", err)
		}
		_, err = s.SaveProduct(books.Product{Name: "Salt", Unit: "NOS", SalePrice: 2000})
		wantForbidden(t, err, staff.EditProducts)
		wantForbidden(t, s.SaveBusiness(books.Business{Name: "X", StateCode: "27"}), staff.Settings)
		_, err = s.CreateReturn(ctx, store.ReturnInput{Invoice: inv.Number})
		wantForbidden(t, err, staff.Returns)
		_, err = s.RecordExpense(ctx, books.Expense{Category: "Tea", Amount: 1000, Mode: books.ModeCash})
		wantForbidden(t, err, staff.Purchases)
		if _, err := s.SaveParty(books.Party{Name: "Asha", Phone: "9876543210"}); err != nil {
			t.Errorf("a cashier adds a customer: %v", err)
		}
	})

	t.Run("DiscountLimit", func(t *testing.T) {
		ok := line(sugar, 1)
		ok.DiscountBP = 500
		if _, err := s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{ok}}); err != nil {
			t.Errorf("5%% off within the limit: %v", err)
		}
		over := line(sugar, 1)
		over.DiscountBP = 800
		_, err := s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{over}})
		wantForbidden(t, err, staff.DiscountOverLimit)
		cheap := line(sugar, 1)
		p := int64(4000) // under the 42.00 cost once GST is out
		cheap.Price = &p
		_, err = s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{cheap}})
		wantForbidden(t, err, staff.DiscountOverLimit) // 20% off is over the limit first
	})

	t.Run("ManagerOverride", func(t *testing.T) {
		if _, err := s.Approve(ctx, "Ravi", "1470", "", staff.CancelBill); err == nil || !strings.Contains(err.Error(), "only a manager or the owner") {
			t.Errorf("a cashier approves: %v", err)
		}
		if _, err := s.Approve(ctx, "Vikram", "9999", "", staff.CancelBill); err == nil || !strings.Contains(err.Error(), "Wrong PIN for Vikram") {
			t.Errorf("a wrong manager PIN: %v", err)
		}
		actx, err := s.Approve(ctx, "Vikram", "3690", "", staff.CancelBill)
		if err != nil {
			t.Fatal(err)
		}
		// The approval is for cancelling only.
		_, err = s.SaveProduct(books.Product{Name: "Salt", Unit: "NOS", SalePrice: 2000})
		wantForbidden(t, err, staff.EditProducts)
		c, err := s.CancelInvoice(actx, inv.Number, "wrong item", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if c.MadeByName != "Ravi" {
			t.Errorf("cancellation made by %q", c.MadeByName)
		}
		log, err := s.Overrides(ctx, 10)
		if err != nil || len(log) != 1 {
			t.Fatalf("overrides %v %v", log, err)
		}
		o := log[0]
		if o.Action != staff.CancelBill || o.CashierName != "Ravi" || o.ApproverName != "Vikram" || o.Detail != "Invoice "+inv.Number {
			t.Errorf("override %+v", o)
		}
		if n := count(t, s, `SELECT count(*) FROM outbox WHERE tbl = 'staff_overrides'`); n != 1 {
			t.Errorf("%d overrides queued for sync", n)
		}
		over := line(sugar, 1)
		over.DiscountBP = 1000
		dctx, err := s.Approve(ctx, "Meera", "2580", "", staff.DiscountOverLimit)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateSale(dctx, &books.SaleDraft{Lines: []books.DraftLine{over}}); err != nil {
			t.Fatalf("10%% off with the owner's PIN: %v", err)
		}
		if log, _ := s.Overrides(ctx, 10); len(log) != 2 || !strings.Contains(log[0].Detail, "10% off (limit 5%)") {
			t.Errorf("discount override %+v", log)
		}
	})

	t.Run("Manager", func(t *testing.T) {
		if _, err := s.SignIn(ctx, "Vikram", "3690"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveProduct(books.Product{Name: "Salt", Unit: "NOS", SalePrice: 2000}); err != nil {
			t.Errorf("a manager edits products: %v", err)
		}
		cheap := line(sugar, 1)
		p := int64(3000)
		cheap.Price = &p
		if _, err := s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{cheap}}); err != nil {
			t.Errorf("a manager sells below cost: %v", err)
		}
		wantForbidden(t, s.SaveBusiness(books.Business{Name: "X", StateCode: "27"}), staff.Settings)
	})
}

func TestStaffCashierBelowCost(t *testing.T) {
	s := MustBooks(t)
	dal := MustProduct(t, s, books.Product{Name: "Dal", SalePrice: 10000, PurchasePrice: 9800, GSTRate: 0})
	MustStaff(t, s)
	if _, err := s.SignIn(ctx, "Ravi", "1470"); err != nil {
		t.Fatal(err)
	}
	l := line(dal, 1)
	l.DiscountBP = 300 // within the limit, but 97.00 is under the 98.00 cost
	d := &books.SaleDraft{Lines: []books.DraftLine{l}}
	_, err := s.CreateSale(ctx, d)
	wantForbidden(t, err, staff.SellBelowCost)
	l.DiscountBP = 1000
	d.Lines[0] = l
	needs, err := s.NeedsApproval(ctx, d)
	if err != nil || len(needs) != 2 || needs[0] != staff.DiscountOverLimit || needs[1] != staff.SellBelowCost {
		t.Fatalf("needs %v %v", needs, err)
	}
	// One manager's PIN approves both.
	actx, err := s.Approve(ctx, "Vikram", "3690", "", needs...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSale(actx, d); err != nil {
		t.Fatal(err)
	}
	if log, _ := s.Overrides(ctx, 10); len(log) != 2 {
		t.Errorf("overrides %+v", log)
	}
	if _, err := s.Approve(ctx, "Vikram", "3690", "", staff.Reports); err == nil {
		t.Error("reports approved with a PIN")
	}
}

func TestStaffPINLockout(t *testing.T) {
	now := day("2026-10-05")
	var clock atomic.Pointer[time.Time]
	clock.Store(&now)
	s, err := store.Open(filepath.Join(t.TempDir(), "books.db"), store.Options{Now: func() time.Time { return *clock.Load() }, PINParams: &staff.TestParams})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Init(books.Business{Name: "Sharma Stores", StateCode: "27", InvoicePrefix: "INV"}); err != nil {
		t.Fatal(err)
	}
	MustStaff(t, s)
	for i := 1; i < staff.MaxFailures; i++ {
		_, err := s.SignIn(ctx, "Ravi", "0001")
		if err == nil || !strings.Contains(err.Error(), "Wrong PIN for Ravi") {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	_, err = s.SignIn(ctx, "Ravi", "0001")
	if err == nil || !strings.Contains(err.Error(), "Too many wrong PINs for Ravi") {
		t.Fatalf("the last try: %v", err)
	}
	// Locked: even the right PIN waits.
	if _, err := s.SignIn(ctx, "Ravi", "1470"); err == nil || !strings.Contains(err.Error(), "Too many wrong PINs") {
		t.Fatalf("the right PIN while locked: %v", err)
	}
	if s.Actor().SignedIn() {
		t.Fatal("signed in while locked")
	}
	// Others are not locked.
	if _, err := s.SignIn(ctx, "Vikram", "3690"); err != nil {
		t.Fatal(err)
	}
	later := now.Add(staff.LockFor + time.Second)
	clock.Store(&later)
	if a, err := s.SignIn(ctx, "Ravi", "1470"); err != nil || a.Name != "Ravi" {
		t.Fatalf("after the lock: %v", err)
	}
	// The count starts again after a good PIN.
	if _, err := s.SignIn(ctx, "Ravi", "0001"); err == nil || !strings.Contains(err.Error(), "4 more tries") {
		t.Errorf("after a good PIN: %v", err)
	}
}

func TestStaffOwnersStay(t *testing.T) {
	s := MustBooks(t)
	MustStaff(t, s)
	if _, err := s.SignIn(ctx, "Meera", "2580"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveStaff(ctx, "Meera"); err == nil || !strings.Contains(err.Error(), "cannot remove yourself") {
		t.Errorf("remove self: %v", err)
	}
	if _, err := s.ChangeStaff(ctx, "Meera", store.StaffInput{Role: staff.Manager, DiscountLimitBP: -1}); err == nil || !strings.Contains(err.Error(), "only owner") {
		t.Errorf("demote the last owner: %v", err)
	}
	if _, err := s.AddStaff(ctx, store.StaffInput{Name: "ravi", Role: staff.Cashier, PIN: "2468"}); err == nil || !strings.Contains(err.Error(), "already a staff member called ravi") {
		t.Errorf("a second Ravi: %v", err)
	}
	m, err := s.ChangeStaff(ctx, "Ravi", store.StaffInput{Role: staff.Manager, DiscountLimitBP: -1})
	if err != nil || m.Role != staff.Manager {
		t.Fatalf("promote: %v %+v", err, m)
	}
	if err := s.RemoveStaff(ctx, "Vikram"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignIn(ctx, "Vikram", "3690"); books.ErrorCode(err) != books.ENOTFOUND {
		t.Errorf("a removed member signs in: %v", err)
	}
	if n := count(t, s, `SELECT count(*) FROM staff WHERE deleted = 1`); n != 1 {
		t.Errorf("%d tombstones", n)
	}
}

func TestStaffCollections(t *testing.T) {
	s := MustBooks(t)
	tea := MustProduct(t, s, books.Product{Name: "Tea", SalePrice: 10000, GSTRate: 500, PriceIncludesTax: true})
	MustStaff(t, s)
	sell := func(who, pin string, qty int64) {
		t.Helper()
		if _, err := s.SignIn(ctx, who, pin); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{line(tea, qty)}}); err != nil {
			t.Fatal(err)
		}
	}
	sell("Ravi", "1470", 1)
	sell("Ravi", "1470", 2)
	sell("Vikram", "3690", 1)
	all, err := s.Collections(ctx, day("2026-10-05"), "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, c := range all {
		got[c.StaffName+"/"+c.Mode] += c.In
	}
	if got["Ravi/cash"] != 30000 || got["Vikram/cash"] != 10000 || len(got) != 2 {
		t.Errorf("collections %v", got)
	}
	ravi, _ := s.FindStaff(ctx, "Ravi")
	own, err := s.Collections(ctx, day("2026-10-05"), ravi.ID)
	if err != nil || len(own) != 1 || own[0].In != 30000 {
		t.Errorf("Ravi's own %+v %v", own, err)
	}
	// Over a period: the day's and none from the day before or after.
	for _, c := range []struct {
		from, to string
		want     int
	}{{"2026-10-01", "2026-10-31", 2}, {"2026-10-04", "2026-10-04", 0}, {"2026-10-06", "2026-11-30", 0}} {
		got, err := s.CollectionsBetween(ctx, c.from, c.to, "")
		if err != nil || len(got) != c.want {
			t.Errorf("collections %s to %s: %+v %v", c.from, c.to, got, err)
		}
	}
}

// TestStaffDayBookMadeBy: every document of the day book says who made it
// (the member signed in when it was saved), cancellations too; documents
// of books before staff say nobody.
func TestStaffDayBookMadeBy(t *testing.T) {
	s := MustBooks(t)
	tea := MustProduct(t, s, books.Product{Name: "Tea", SalePrice: 10000, GSTRate: 500, PriceIncludesTax: true})
	before, err := s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{line(tea, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	MustStaff(t, s)
	as := func(who, pin string) {
		t.Helper()
		if _, err := s.SignIn(ctx, who, pin); err != nil {
			t.Fatal(err)
		}
	}
	as("Ravi", "1470")
	inv, err := s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{line(tea, 2)}})
	if err != nil {
		t.Fatal(err)
	}
	as("Vikram", "3690")
	if _, err := s.RecordExpense(ctx, books.Expense{Category: "Tea", Amount: 2000, Mode: "cash"}); err != nil {
		t.Fatal(err)
	}
	as("Meera", "2580")
	if _, err := s.CancelInvoice(ctx, inv.Number, "wrong item", s.Now()); err != nil {
		t.Fatal(err)
	}
	d := s.Now().Format(books.DateLayout)
	es, total, err := s.DayBook(ctx, d, d, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range es {
		got[e.Table+" "+e.Number] = e.MadeBy
	}
	want := map[string]string{
		"invoices " + before.Number: "", "invoices " + inv.Number: "Ravi", "expenses ": "Vikram", "cancellations " + inv.Number: "Meera",
	}
	if total != len(want) || len(got) != len(want) {
		t.Fatalf("day book: %d entries (total %d) %v, want %v", len(es), total, got, want)
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s made by %q, want %q", k, g, w)
		}
	}
	// One page of two still counts all four.
	if page, total, err := s.DayBook(ctx, d, d, 1, 2); err != nil || len(page) != 2 || total != 4 || page[0].MadeBy != "Ravi" {
		t.Errorf("page: %+v total %d %v", page, total, err)
	}
}

// TestInvoiceMakerMigrates opens books from before migration 0080, where who
// made a bill was a column generated from its JSON: it becomes a plain
// column holding the same makers, and bills saved after it fill it.
func TestInvoiceMakerMigrates(t *testing.T) {
	s := MustBooks(t)
	sugar := MustProduct(t, s, books.Product{Name: "Sugar 1kg", SalePrice: 5000, GSTRate: 500})
	sale := func(s *store.Store) *books.Invoice {
		t.Helper()
		inv, err := s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{line(sugar, 1)}})
		if err != nil {
			t.Fatal(err)
		}
		return inv
	}
	before := sale(s) // nobody signed in: made by nobody
	MustStaff(t, s)
	ravi, err := s.SignIn(ctx, "Ravi", "1470")
	if err != nil {
		t.Fatal(err)
	}
	byRavi := sale(s)
	path := s.Path()
	s.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP INDEX invoices_made_by`, `ALTER TABLE invoices DROP COLUMN made_by`,
		`ALTER TABLE invoices ADD COLUMN made_by TEXT GENERATED ALWAYS AS (data->>'made_by') VIRTUAL`,
		`CREATE INDEX invoices_made_by ON invoices(made_by, date) WHERE made_by IS NOT NULL`,
		`DELETE FROM schema_migrations WHERE version = 80`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s2, err := store.Open(path, store.Options{Now: s.Now, PINParams: &staff.TestParams})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n := count(t, s2, `SELECT count(*) FROM pragma_table_xinfo('invoices') WHERE name = 'made_by' AND hidden = 0`); n != 1 {
		t.Fatal("made_by is still a generated column")
	}
	if _, err := s2.SignIn(ctx, "Ravi", "1470"); err != nil {
		t.Fatal(err)
	}
	after := sale(s2)
	got := map[string]string{}
	rows, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	r, err := rows.Query(`SELECT number, coalesce(made_by, '') FROM invoices INDEXED BY invoices_made_by WHERE made_by IS NOT NULL
		UNION ALL SELECT number, '' FROM invoices WHERE made_by IS NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var n, m string
		if err := r.Scan(&n, &m); err != nil {
			t.Fatal(err)
		}
		got[n] = m
	}
	r.Close()
	want := map[string]string{before.Number: "", byRavi.Number: ravi.ID, after.Number: ravi.ID}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("made by after migrating: %v, want %v", got, want)
	}
}
