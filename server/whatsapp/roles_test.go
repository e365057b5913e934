package whatsapp_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestRolesOnSends: the server enforces the permission table on WhatsApp
// requests, whatever the app does: a cashier's device may send a customer
// their bill but not a reminder (refused with forbidden, nothing sent); a
// manager signed in with their PIN may.
func TestRolesOnSends(t *testing.T) {
	h := newHarness(t, storetest.SQLite)
	hash := func(pin string) string {
		s, err := staff.TestParams.Hash(pin)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	manager := uuid.NewString()
	rows, _ := json.Marshal(map[string]any{"name": "Meena", "role": "manager", "pin_hash": hash("2580")})
	owner, _ := json.Marshal(map[string]any{"name": "Ravi", "role": "owner", "pin_hash": hash("1470")})
	h.push(protocol.Mutation{Table: staff.Table, ID: uuid.NewString(), Op: protocol.OpUpsert, Data: owner},
		protocol.Mutation{Table: staff.Table, ID: manager, Op: protocol.OpUpsert, Data: rows})

	// The business has staff now and nobody signed in on the device with a
	// PIN: it is a cashier's.
	reminder := func() (string, protocol.PushResponse) {
		data, _ := json.Marshal(protocol.WAMessage{Kind: protocol.WAKindReminder, To: ravi, PartyName: "Ravi", Amount: 5000,
			ShopName: "Sharma Stores", Requested: time.Now().UTC().Format(time.RFC3339)})
		id := uuid.Must(uuid.NewV7()).String()
		h.n++
		m := protocol.Mutation{N: h.n, Table: protocol.TableWAMessages, ID: id, HLC: h.clock.Now().String(), Op: protocol.OpUpsert, Data: data}
		var resp protocol.PushResponse
		h.call("POST", "/v1/sync/push", h.token, protocol.PushRequest{DeviceID: h.device, ProtocolVersion: 1, Mutations: []protocol.Mutation{m}}, &resp, 200)
		return id, resp
	}
	id, resp := reminder()
	if len(resp.Rejected) != 1 || resp.Rejected[0].Code != protocol.CodeForbidden || resp.Rejected[0].ID != id ||
		!strings.Contains(resp.Rejected[0].Message, "cashier") {
		t.Fatalf("a cashier's reminder: %+v", resp)
	}
	if rows, _ := h.rows(); rows[protocol.TableWAMessages+"/"+id].ID != "" {
		t.Fatal("the refused reminder is in the books")
	}
	// A bill the cashier may send.
	invID, inv := h.invoice("A/2026-27/0009", &books.PartySnapshot{Name: "Ravi", Phone: ravi})
	iid := h.ask(protocol.WAMessage{Kind: protocol.WAKindInvoice, To: ravi, InvoiceID: invID, InvoiceNumber: inv.Number, Amount: inv.GrandTotal})
	h.waitStatus(iid, 15*time.Second, protocol.WASent)

	// The manager signs in with the PIN: the reminder goes.
	var ss protocol.StaffSession
	h.call("POST", "/v1/staff/signin", h.token, protocol.StaffSignInRequest{UserID: manager, PIN: "2580"}, &ss, 200)
	if ss.Role != "manager" {
		t.Fatalf("signed in as %+v", ss)
	}
	id, resp = reminder()
	if len(resp.Rejected) != 0 {
		t.Fatalf("a manager's reminder: %+v", resp)
	}
	h.waitStatus(id, 15*time.Second, protocol.WASent)
	for _, s := range h.fake.Messages() {
		if s.Template == "naukar_payment_reminder" && s.Opaque != h.business+"/"+id {
			t.Fatalf("a refused reminder went: %+v", s)
		}
	}
}
