package billing_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/billing"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestPlanIsTheOwners: once the business has staff, a cashier's token is
// refused (403 forbidden) on every plan route — subscribe, cancel, our
// invoices and their PDFs — and so is a device where nobody signed in with
// a PIN; the owner's PIN opens them. The plan's status stays readable, as
// the app shows it on every counter.
func TestPlanIsTheOwners(t *testing.T) {
	e := newEnv(t, storetest.Stores[0].Open, billing.Config{})
	s := e.signup()
	counter, err := e.login(s, "Counter 2")
	if err != nil {
		t.Fatal(err)
	}
	owner, cashier := uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7()).String()
	row := func(name string, role staff.Role, pin string) json.RawMessage {
		h, err := staff.TestParams.Hash(pin)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(map[string]any{"name": name, "role": string(role), "pin_hash": h})
		return b
	}
	clock := protocol.NewClock(s.deviceID, protocol.HLC{}, nil)
	var pushed protocol.PushResponse
	if st, raw := e.call("POST", "/v1/sync/push", s.token, protocol.PushRequest{DeviceID: s.deviceID, ProtocolVersion: 1,
		Mutations: []protocol.Mutation{
			{N: 1, Table: "staff", ID: owner, HLC: clock.Now().String(), Op: protocol.OpUpsert, Data: row("Meera", staff.Owner, "2580")},
			{N: 2, Table: "staff", ID: cashier, HLC: clock.Now().String(), Op: protocol.OpUpsert, Data: row("Ravi", staff.Cashier, "1470")},
		}}, &pushed); st != 200 || pushed.Accepted != 2 {
		t.Fatalf("push staff: %d %s", st, raw)
	}
	var sess protocol.StaffSession
	if st, raw := e.call("POST", "/v1/staff/signin", counter.Token, protocol.StaffSignInRequest{UserID: cashier, PIN: "1470"}, &sess); st != 200 || sess.Role != "cashier" {
		t.Fatalf("Ravi signs in: %d %s", st, raw)
	}
	routes := []struct{ method, path string }{
		{"POST", "/v1/billing/subscribe"}, {"POST", "/v1/billing/cancel"},
		{"GET", "/v1/billing/invoices"}, {"GET", "/v1/billing/invoices/" + uuid.NewString() + "/pdf"},
	}
	for _, who := range []struct{ name, token, says string }{
		{"the cashier", counter.Token, "Ravi (cashier) may not do this"},
		{"a device without a PIN", s.token, "Sign in on this device"},
	} {
		for _, r := range routes {
			var body protocol.ErrorBody
			st, raw := e.call(r.method, r.path, who.token, map[string]string{"plan": "pro"}, nil)
			json.Unmarshal([]byte(raw), &body)
			if st != http.StatusForbidden || body.Error.Code != protocol.CodeForbidden || !strings.Contains(body.Error.Message, who.says) {
				t.Errorf("%s: %s %s: %d %s", who.name, r.method, r.path, st, raw)
			}
		}
	}
	if st, raw := e.call("GET", "/v1/billing", counter.Token, nil, nil); st != 200 {
		t.Errorf("the cashier's counter reads the plan's status: %d %s", st, raw)
	}
	if st, raw := e.call("POST", "/v1/staff/signin", s.token, protocol.StaffSignInRequest{UserID: owner, PIN: "2580"}, &sess); st != 200 || sess.Role != "owner" {
		t.Fatalf("Meera signs in: %d %s", st, raw)
	}
	if st, raw := e.call("GET", "/v1/billing/invoices", s.token, nil, nil); st != 200 {
		t.Errorf("the owner lists our invoices: %d %s", st, raw)
	}
}
