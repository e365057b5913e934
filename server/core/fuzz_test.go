package core_test

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// FuzzPushDecoding decodes a push body as the server does and checks every
// mutation: nothing panics, and an accepted row renders as valid JSON no
// deeper or larger than the limits.
func FuzzPushDecoding(f *testing.F) {
	f.Add([]byte(`{"device_id":"d","protocol_version":1,"mutations":[{"n":1,"table":"products","id":"01890a5d-ac96-774b-bcce-b302099a8057","hlc":"1700000000000.0000000000.d","op":"upsert","data":{"name":"Tea"}}]}`))
	f.Add([]byte(`{"mutations":[{"n":1,"table":"invoices","id":"01890a5d-ac96-774b-bcce-b302099a8057","hlc":"1700000000000.0000000001.d","op":"insert","data":{"lines":[{"q":1}]}}]}`))
	f.Add([]byte(`{"mutations":[{"n":1,"table":"products\u0000","id":"x","hlc":"\u0000","op":"delete","data":null}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var req protocol.PushRequest
		if json.Unmarshal(body, &req) != nil {
			return
		}
		for _, m := range req.Mutations {
			row, rej := core.CheckMutation(m)
			if rej != nil {
				if rej.Message == "" {
					t.Fatalf("rejection without a reason: %+v", rej)
				}
				continue
			}
			data := row.DataJSON()
			if !json.Valid(data) {
				t.Fatalf("accepted row renders invalid JSON: %s", data)
			}
		}
	})
}

// FuzzPullEncoding writes a pull page by hand as the server does and checks
// it is the JSON encoding/json reads back to the same changes.
func FuzzPullEncoding(f *testing.F) {
	f.Add(int64(1), "products", "01890a5d-ac96-774b-bcce-b302099a8057", "1700000000000.0000000000.d", "upsert", []byte(`{"name":"Tea"}`), "d", "e1")
	f.Add(int64(7), "invoices", "x\"<>&\u2028", "h", "insert", []byte(`{"a":[1,2,{"b":null}]}`), "", "")
	f.Fuzz(func(t *testing.T, seq int64, table, id, hlc, op string, data []byte, device, epoch string) {
		p := core.PullPage{Changes: []core.Change{{Seq: seq, Table: table, ID: id, HLC: hlc, Op: op, Data: data, DeviceID: device}},
			Next: seq, Epoch: epoch}
		// A damaged row (not JSON, not UTF-8) never goes out; whatever
		// the check passes is a page encoding/json reads.
		sound := len(data) > 0 && json.Valid(data) && utf8.Valid(data)
		if err := p.Check(); (err == nil) != sound && len(data) > 0 {
			t.Fatalf("Check = %v for data %q (valid for encoding/json: %v)", err, data, sound)
		}
		if !sound {
			return
		}
		out := p.AppendJSON(nil)
		var back protocol.PullResponse
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("page is not JSON: %v\n%s", err, out)
		}
		if len(back.Changes) != 1 || back.Changes[0].Seq != seq || back.Next != seq {
			t.Fatalf("page reads back as %+v", back)
		}
	})
}

// FuzzLoginSignupBodies decodes login and signup bodies as the server does
// and runs its checks: nothing panics, and whatever passes is clean text.
func FuzzLoginSignupBodies(f *testing.F) {
	f.Add([]byte(`{"login":"ravi@example.com","password":"correct horse","device_name":"Counter 1"}`))
	f.Add([]byte(`{"owner":{"name":"Ravi","email":"ravi@example.com","phone":"+91 98765 43210","password":"correct horse"},"business":{"name":"Sharma Stores","state_code":"27","gstin":"27AAPFU0939F1ZV"},"age_confirmed":true,"terms_accepted":true}`))
	f.Add([]byte(`{"login":"a\u0000","device_name":"\u202e\u0007"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var login protocol.LoginRequest
		if json.Unmarshal(body, &login) == nil {
			if name, err := core.CheckDeviceName(login.DeviceName); err == nil && !core.IsClean(name) {
				t.Fatalf("device name %q passed unclean", name)
			}
			_ = core.LoginKey(core.CleanString(login.Login, 1024))
			_ = core.MaskLogin(core.CleanString(login.Login, 254))
		}
		var s core.Signup
		if json.Unmarshal(body, &s) == nil {
			s.Normalize()
			if s.Validate() == nil {
				for _, v := range []string{s.Owner.Name, s.Owner.Email, s.Owner.Phone, s.Business.Name, s.Business.Address, s.Business.City} {
					if !core.IsClean(v) {
						t.Fatalf("signup field %q passed unclean", v)
					}
				}
			}
		}
	})
}
