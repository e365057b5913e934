package protocol_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ainaukar/naukar/sync/protocol"
)

// TestAccountBodiesWireFormat pins the JSON of the account replies, field
// names and order, as the server wrote them before the types were shared.
func TestAccountBodiesWireFormat(t *testing.T) {
	at := time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC)
	seen := at.Add(time.Hour)
	me := protocol.MeResponse{
		Account: protocol.Account{ID: "a1", Name: "Ravi", Email: "ravi@example.com", Phone: "9876543210", CreatedAt: at},
		Business: protocol.Business{ID: "b1", AccountID: "a1", CreatedAt: at,
			SignupBusiness: protocol.SignupBusiness{Name: "Sharma Stores", GSTIN: "27AAPFU0939F1ZV", StateCode: "27", City: "Pune"}},
		Device: protocol.Device{ID: "d1", BusinessID: "b1", AccountID: "a1", Name: "Counter 1", Series: "A", LastN: 7, CreatedAt: at, LastSeenAt: &seen},
		Epoch:  "e1",
	}
	devs := protocol.DevicesResponse{Devices: []protocol.DeviceView{{Device: me.Device, Current: true}, {Device: protocol.Device{ID: "d2", CreatedAt: at}}}}
	for _, tc := range []struct {
		v    any
		want string
	}{
		{me, `{"account":{"id":"a1","name":"Ravi","email":"ravi@example.com","phone":"9876543210","created_at":"2026-10-05T09:30:00Z"},` +
			`"business":{"id":"b1","account_id":"a1","name":"Sharma Stores","gstin":"27AAPFU0939F1ZV","state_code":"27","city":"Pune","created_at":"2026-10-05T09:30:00Z"},` +
			`"device":{"id":"d1","business_id":"b1","account_id":"a1","name":"Counter 1","series":"A","last_n":7,"created_at":"2026-10-05T09:30:00Z","last_seen_at":"2026-10-05T10:30:00Z"},` +
			`"epoch":"e1"}`},
		{devs, `{"devices":[{"id":"d1","business_id":"b1","account_id":"a1","name":"Counter 1","series":"A","last_n":7,"created_at":"2026-10-05T09:30:00Z","last_seen_at":"2026-10-05T10:30:00Z","current":true},` +
			`{"id":"d2","business_id":"","account_id":"","name":"","series":"","last_n":0,"created_at":"2026-10-05T09:30:00Z","current":false}]}`},
		{protocol.LoginResponse{Token: "t", DeviceID: "d1", Series: "A", BusinessID: "b1", Epoch: "e1"},
			`{"token":"t","device_id":"d1","series":"A","business_id":"b1","epoch":"e1"}`},
		{protocol.SignupResponse{AccountID: "a1", BusinessID: "b1"}, `{"account_id":"a1","business_id":"b1"}`},
	} {
		got, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tc.want {
			t.Errorf("%T:\n got %s\nwant %s", tc.v, got, tc.want)
		}
	}
}
