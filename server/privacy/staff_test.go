package privacy_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestOwnerOnly: once the business has staff, the privacy rights (correct,
// export, close) are the owner's: a device where no owner signed in with
// their PIN gets 403 on every route; the owner's PIN opens them.
func TestOwnerOnly(t *testing.T) {
	e := newEnv(t, storetest.Stores[0].Open)
	m := newMarkers()
	e.signup(m)
	var dev protocol.LoginResponse
	if st, raw := e.call("POST", "/v1/login", "", protocol.LoginRequest{Login: m.email, Password: password, DeviceName: "Counter 2"}, &dev); st != 200 {
		t.Fatalf("login: %d %s", st, raw)
	}
	hash, _ := staff.TestParams.Hash("2580")
	owner := uuid.Must(uuid.NewV7()).String()
	data, _ := json.Marshal(map[string]any{"name": "Meera", "role": "owner", "pin_hash": hash})
	clock := protocol.NewClock(dev.DeviceID, protocol.HLC{}, nil)
	var pushed protocol.PushResponse
	if st, raw := e.call("POST", "/v1/sync/push", dev.Token, protocol.PushRequest{DeviceID: dev.DeviceID, ProtocolVersion: 1,
		Mutations: []protocol.Mutation{{N: 1, Table: "staff", ID: owner, HLC: clock.Now().String(), Op: protocol.OpUpsert, Data: data}}}, &pushed); st != 200 || pushed.Accepted != 1 {
		t.Fatalf("push staff: %d %s", st, raw)
	}
	routes := []struct{ method, path string }{
		{"PATCH", "/v1/account"}, {"PATCH", "/v1/business"}, {"POST", "/v1/account/delete"},
		{"POST", "/v1/account/exports"}, {"GET", "/v1/account/exports/" + uuid.NewString()},
	}
	for _, r := range routes {
		var body protocol.ErrorBody
		if st, _ := e.call(r.method, r.path, dev.Token, map[string]string{}, &body); st != http.StatusForbidden || body.Error.Code != protocol.CodeForbidden {
			t.Errorf("%s %s without the owner's PIN: %d %+v", r.method, r.path, st, body)
		}
	}
	var s protocol.StaffSession
	if st, raw := e.call("POST", "/v1/staff/signin", dev.Token, protocol.StaffSignInRequest{UserID: owner, PIN: "2580"}, &s); st != 200 || s.Role != "owner" {
		t.Fatalf("owner signs in: %d %s", st, raw)
	}
	var a protocol.Account
	if st, raw := e.call("PATCH", "/v1/account", dev.Token, map[string]string{"name": "Meera Rao"}, &a); st != 200 || a.Name != "Meera Rao" {
		t.Errorf("the owner corrects the account: %d %s", st, raw)
	}
}
