package syncapp_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
)

// TestStaffChangeOfflineAppliesOnOthers: the owner sets staff up on one
// counter, every counter then checks PINs and roles from the synced table;
// a change the owner makes while that counter is offline applies on the
// other counters once it syncs, there too without a connection.
func TestStaffChangeOfflineAppliesOnOthers(t *testing.T) {
	w := setupWorld(t, t, 3, []time.Duration{0})
	defer func() {
		for _, d := range w.devs {
			d.s.Close()
		}
	}()
	a, b, c := w.devs[0], w.devs[1], w.devs[2]
	mustNo := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	meera, err := a.s.AddStaff(ctx, store.StaffInput{Name: "Meera", Role: staff.Owner, PIN: "2580"})
	mustNo(err)
	_, err = a.s.SignIn(ctx, "Meera", "2580")
	mustNo(err)
	// The server learns who is at counter 1 before its pushes: once the
	// business has staff there, only an owner signed in with a PIN may
	// change them.
	link := &syncapp.StaffLink{}
	link.SignedIn(meera.ID, "2580")
	a.eng.BeforePush = link.BeforePush
	_, err = a.s.AddStaff(ctx, store.StaffInput{Name: "Ravi", Role: staff.Cashier, PIN: "1470", DiscountLimitBP: -1})
	mustNo(err)
	_, err = a.s.AddStaff(ctx, store.StaffInput{Name: "Vikram", Role: staff.Manager, PIN: "3690"})
	mustNo(err)
	w.syncAll(t)

	// Counter 2 goes offline (it stops syncing); the synced table is
	// enough to sign in there.
	_, err = b.s.SignIn(ctx, "Ravi", "1470")
	mustNo(err)
	ps := liveProducts(t, b.s)
	inv, err := b.s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{{ProductID: ps[0].ID, Product: ps[0], Qty: 1000}}})
	mustNo(err)
	w.issued[inv.ID] = invoiceData(t, b.path, inv.ID)
	if inv.MadeByName != "Ravi" {
		t.Errorf("made by %q", inv.MadeByName)
	}
	_, err = b.s.CancelInvoice(ctx, inv.Number, "test", time.Time{})
	if act, ok := store.Denied(err); !ok || act != staff.CancelBill {
		t.Fatalf("a cashier cancels on counter 2: %v", err)
	}
	// A discount above Ravi's limit, approved there with Vikram's PIN.
	disc := books.DraftLine{ProductID: ps[1].ID, Product: ps[1], Qty: 1000, DiscountBP: 1000}
	actx, err := b.s.Approve(ctx, "Vikram", "3690", "", staff.DiscountOverLimit)
	mustNo(err)
	inv2, err := b.s.CreateSale(actx, &books.SaleDraft{Lines: []books.DraftLine{disc}})
	mustNo(err)
	w.issued[inv2.ID] = invoiceData(t, b.path, inv2.ID)

	// Counter 1 goes offline too; there the owner makes Ravi a manager and
	// removes Vikram.
	_, err = a.s.ChangeStaff(ctx, "Ravi", store.StaffInput{Role: staff.Manager, DiscountLimitBP: -1})
	mustNo(err)
	mustNo(a.s.RemoveStaff(ctx, "Vikram"))
	st, err := a.eng.Round(ctx)
	mustNo(err)
	if len(st.Rejected) > 0 || link.Server().Role != "owner" {
		t.Fatalf("the owner's offline change: %+v, server says %+v", st.Rejected, link.Server())
	}

	// Counter 3 (online) gets the change; counter 2 once it is back.
	_, err = c.eng.Round(ctx)
	mustNo(err)
	if _, err := c.s.SignIn(ctx, "Vikram", "3690"); books.ErrorCode(err) != books.ENOTFOUND {
		t.Errorf("removed Vikram signs in on counter 3: %v", err)
	}
	if r, err := c.s.SignIn(ctx, "Ravi", "1470"); err != nil || r.Role != staff.Manager {
		t.Errorf("Ravi on counter 3: %+v %v", r, err)
	}
	_, err = b.eng.Round(ctx)
	mustNo(err)
	// Ravi, still signed in on counter 2, is a manager now: no new sign-in.
	if got := b.s.Actor(); got.Role != staff.Manager {
		t.Errorf("Ravi on counter 2 is %q", got.Role)
	}
	if _, err := b.s.CancelInvoice(ctx, inv.Number, "test", time.Time{}); err != nil {
		t.Errorf("manager Ravi cancels on counter 2: %v", err)
	}
	w.check(t)
	if log, err := c.s.Overrides(ctx, 10); err != nil || len(log) != 1 || log[0].ApproverName != "Vikram" {
		t.Errorf("the override log on counter 3: %+v %v", log, err)
	}
	first := staffRows(t, a.path)
	for _, d := range w.devs[1:] {
		if got := staffRows(t, d.path); got != first {
			t.Errorf("staff on %s differ from %s:\n%s", d.name, a.name, diff(first, got))
		}
	}
}

func staffRows(t *testing.T, path string) string {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	for _, q := range []string{`SELECT id, hlc, field_hlc, deleted, data FROM staff ORDER BY id`,
		`SELECT id, hlc, '', 0, data FROM staff_overrides ORDER BY id`} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, hlc, fh, data string
			var del int
			rows.Scan(&id, &hlc, &fh, &del, &data)
			fmt.Fprintf(&b, "%s|%s|%s|%d|%s\n", id, hlc, fh, del, data)
		}
		rows.Close()
	}
	return b.String()
}
