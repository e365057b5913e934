package syncapp_test

import (
	"database/sql"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/app/books"
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
