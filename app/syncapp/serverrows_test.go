package syncapp_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/printing"
	srvstore "github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestServerRowsReachEveryDevice: rows the server writes itself (a
// message status on a record, a payment received through a payment link)
// reach two devices through the real HTTP pull, and each device's books
// apply them: the record is kept, the payment
// moves the party's balance. Written twice, nothing changes twice.
func TestServerRowsReachEveryDevice(t *testing.T) {
	w := setupWorld(t, t, 2, []time.Duration{0})
	a, b := w.devs[0], w.devs[1]
	parties, err := a.s.ListParties("Meena", 5)
	if err != nil || len(parties) != 1 {
		t.Fatalf("party: %v %v", parties, err)
	}
	meena := parties[0]
	before, _ := a.s.PartyBalance(meena.ID)

	// A record (a message's status) and a document (a payment).
	msgID := uuid.Must(uuid.NewV7()).String()
	now := w.srv.now()
	pay := books.Payment{Date: "2026-10-05", Direction: books.PaymentIn, Party: &books.PartySnapshot{ID: meena.ID, Name: meena.Name},
		Mode: "upi", Amount: 50000, Note: "payment link plink_1"}
	payData, _ := json.Marshal(pay)
	rows := []srvstore.ServerRow{
		{Table: "wa_messages", ID: msgID, Op: protocol.OpUpsert, Data: json.RawMessage(`{"status":"read","wamid":"wamid.9"}`),
			Stamp: protocol.ServerStamp(now, 3)},
		{Table: "payments", ID: uuid.Must(uuid.NewV7()).String(), Op: protocol.OpInsert, Data: payData, Stamp: protocol.ServerStamp(now, 0)},
	}
	for i, want := range []int{2, 0} {
		n, err := w.srv.db.WriteServerRows(ctx, a.s.BusinessID(), rows, now)
		if err != nil || n != want {
			t.Fatalf("write %d: %d rows, %v", i, n, err)
		}
	}
	for _, d := range []*device{a, b} {
		st, err := d.eng.Round(ctx)
		if err != nil {
			t.Fatalf("sync %s: %v", d.name, err)
		}
		if st.Pulled != 2 {
			t.Errorf("%s applied %d rows, want 2", d.name, st.Pulled)
		}
		if bal, _ := d.s.PartyBalance(meena.ID); bal != before-50000 {
			t.Errorf("%s: Meena owes %d, want %d", d.name, bal, before-50000)
		}
		db, err := sql.Open("sqlite", "file:"+d.path+"?mode=ro&_pragma=busy_timeout(5000)")
		if err != nil {
			t.Fatal(err)
		}
		var data, hlc string
		err = db.QueryRow(`SELECT data, hlc FROM unknown_rows WHERE tbl = 'wa_messages' AND id = ?`, msgID).Scan(&data, &hlc)
		db.Close()
		if err != nil || data != `{"status":"read","wamid":"wamid.9"}` || hlc != rows[0].Stamp.String() {
			t.Errorf("%s: message row %q %q %v", d.name, data, hlc, err)
		}
		// A second round pulls nothing new.
		if st, err := d.eng.Round(ctx); err != nil || st.Pulled != 0 {
			t.Errorf("%s second round: %+v %v", d.name, st, err)
		}
	}
}

// TestPayLinkOnEveryDevice: a payment link the server made for a credit
// invoice (a pay_links row) reaches both counters: each prints it as the
// invoice's QR and puts it in the party's WhatsApp reminder; the link's
// payment (a payments document and the row now paid) settles the invoice
// on both, once.
func TestPayLinkOnEveryDevice(t *testing.T) {
	w := setupWorld(t, t, 2, []time.Duration{0})
	a, b := w.devs[0], w.devs[1]
	ps := liveProducts(t, a.s)
	parties, err := a.s.ListParties("Meena", 5)
	if err != nil || len(parties) != 1 {
		t.Fatalf("party: %v %v", parties, err)
	}
	meena, err := a.s.Party(parties[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	meena.ID = parties[0].ID
	inv, err := a.s.CreateSale(ctx, &books.SaleDraft{Party: books.SnapshotOf(&meena, meena.ID),
		Lines:    []books.DraftLine{{ProductID: ps[0].ID, Product: ps[0], Qty: 3000}},
		Payments: []books.PaymentPart{{Mode: books.ModeUPI, Amount: 300}}})
	if err != nil {
		t.Fatal(err)
	}
	due := inv.Due()
	if due <= 0 {
		t.Fatalf("the credit sale leaves nothing due: %+v", inv.Totals)
	}
	if _, err := a.eng.Round(ctx); err != nil {
		t.Fatal(err)
	}
	before, _ := a.s.PartyBalance(meena.ID) // the invoice's due is in it

	now := w.srv.now()
	url := "https://rzp.io/i/Xy12ab"
	link := protocol.PayLink{InvoiceID: inv.ID, InvoiceNumber: inv.Number, PartyID: meena.ID, Amount: due, LinkID: "plink_1",
		ShortURL: url, Status: protocol.PayLinkCreated, CreatedAt: now.UTC().Format(time.RFC3339)}
	data, _ := json.Marshal(link)
	created := now.Add(-time.Minute)
	if _, err := w.srv.db.WriteServerRows(ctx, a.s.BusinessID(), []srvstore.ServerRow{{Table: protocol.TablePayLinks, ID: inv.ID,
		Op: protocol.OpUpsert, Data: data, Stamp: protocol.ServerStamp(created, protocol.PayLinkRank(protocol.PayLinkCreated))}}, now); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*device{a, b} {
		if _, err := d.eng.Round(ctx); err != nil {
			t.Fatalf("sync %s: %v", d.name, err)
		}
		if got, err := d.s.PayLinkURL(inv.ID); err != nil || got != url {
			t.Fatalf("%s: the invoice's link is %q, %v", d.name, got, err)
		}
		var pdf bytes.Buffer
		got, _, err := d.s.Invoice(inv.Number)
		if err != nil {
			t.Fatal(err)
		}
		if err := printing.InvoicePDF(&pdf, got, printing.Options{PayLink: url}); err != nil || pdf.Len() == 0 {
			t.Fatalf("%s: invoice PDF with the link: %v", d.name, err)
		}
	}
	m, err := b.s.RemindOnWhatsApp(ctx, meena.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.PayTo != url {
		t.Fatalf("the reminder pays to %q, want the link", m.PayTo)
	}

	// Paid through the link: the server writes the payment and the row.
	pay := books.Payment{Date: "2026-10-05", Direction: books.PaymentIn, Party: books.SnapshotOf(&meena, meena.ID), Mode: books.ModeUPI,
		Amount: due, InvoiceID: inv.ID, Note: "Razorpay payment link plink_1 (payment pay_1)", DeviceID: protocol.ServerDevice}
	payData, _ := json.Marshal(pay)
	paidData, _ := json.Marshal(map[string]any{"status": protocol.PayLinkPaid, "payment_id": "pay_1", "amount_paid": due})
	rows := []srvstore.ServerRow{
		{Table: "payments", ID: uuid.NewSHA1(uuid.NameSpaceURL, []byte("pay_1")).String(), Op: protocol.OpInsert, Data: payData, Stamp: protocol.ServerStamp(now, 0)},
		{Table: protocol.TablePayLinks, ID: inv.ID, Op: protocol.OpUpsert, Data: paidData, Stamp: protocol.ServerStamp(created, protocol.PayLinkRank(protocol.PayLinkPaid))},
	}
	for i, want := range []int{2, 0} {
		if n, err := w.srv.db.WriteServerRows(ctx, a.s.BusinessID(), rows, now); err != nil || n != want {
			t.Fatalf("write %d: %d rows, %v", i, n, err)
		}
	}
	for _, d := range []*device{a, b} {
		if _, err := d.eng.Round(ctx); err != nil {
			t.Fatalf("sync %s: %v", d.name, err)
		}
		if got, err := d.s.PayLinkURL(inv.ID); err != nil || got != "" {
			t.Fatalf("%s: a paid link is still offered: %q, %v", d.name, got, err)
		}
		if bal, _ := d.s.PartyBalance(meena.ID); bal != before-due {
			t.Errorf("%s: Meena owes %d, want %d", d.name, bal, before-due)
		}
	}
}
