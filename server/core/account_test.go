package core_test

import (
	"strings"
	"testing"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

func TestMask(t *testing.T) {
	if got := core.MaskLogin("9876543210"); got != "******3210" {
		t.Errorf("MaskLogin(phone) = %q", got)
	}
	if got := core.MaskLogin("ramesh@example.in"); got != "r*****@example.in" {
		t.Errorf("MaskLogin = %q", got)
	}
}

func TestSeriesName(t *testing.T) {
	for n, want := range map[int64]string{1: "A", 2: "B", 26: "Z", 27: "AA", 28: "AB", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA"} {
		if got := core.SeriesName(n); got != want {
			t.Errorf("SeriesName(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCheckMutation(t *testing.T) {
	id := "01890f3e-8a4b-7cc2-9d3e-0123456789ab"
	hlc := protocol.HLC{Wall: 1700000000000, Device: "d1"}.String()
	ok := []protocol.Mutation{
		{N: 1, Table: "products", ID: id, HLC: hlc, Op: protocol.OpUpsert, Data: []byte(`{"name":"Tea"}`)},
		{N: 1, Table: "products", ID: id, HLC: hlc, Op: protocol.OpDelete},
		{N: 1, Table: "invoices", ID: id, HLC: hlc, Op: protocol.OpInsert, Data: []byte(`{"total":1}`)},
		{N: 1, Table: "future_table", ID: id, HLC: hlc, Op: protocol.OpUpsert, Data: []byte(`{"x":1}`)},
	}
	for _, m := range ok {
		if _, rej := core.CheckMutation(m); rej != nil {
			t.Errorf("%+v rejected: %+v", m, rej)
		}
	}
	bad := map[string]protocol.Mutation{
		"ErrTable":       {Table: "Products;", ID: id, HLC: hlc, Op: protocol.OpUpsert, Data: []byte(`{}`)},
		"ErrID":          {Table: "products", ID: "1", HLC: hlc, Op: protocol.OpUpsert, Data: []byte(`{}`)},
		"ErrOp":          {Table: "products", ID: id, HLC: hlc, Op: "patch", Data: []byte(`{}`)},
		"ErrDocUpdate":   {Table: "invoices", ID: id, HLC: hlc, Op: protocol.OpUpsert, Data: []byte(`{}`)},
		"ErrNotObject":   {Table: "products", ID: id, HLC: hlc, Op: protocol.OpUpsert, Data: []byte(`[1]`)},
		"ErrNoData":      {Table: "products", ID: id, HLC: hlc, Op: protocol.OpUpsert},
		"ErrBadJSON":     {Table: "products", ID: id, HLC: hlc, Op: protocol.OpUpsert, Data: []byte(`{"x":`)},
		"ErrHLC":         {Table: "products", ID: id, HLC: "now", Op: protocol.OpUpsert, Data: []byte(`{}`)},
		"ErrDeleteArray": {Table: "products", ID: id, HLC: hlc, Op: protocol.OpDelete, Data: []byte(`[1]`)},
	}
	for name, m := range bad {
		t.Run(name, func(t *testing.T) {
			if _, rej := core.CheckMutation(m); rej == nil || rej.Code != protocol.CodeInvalid || rej.Message == "" {
				t.Fatalf("got %+v", rej)
			}
		})
	}
}

// TestStampDevice: the device part of a stamp, as ParseHLC reads it.
func TestStampDevice(t *testing.T) {
	for _, h := range []protocol.HLC{{Wall: 1767225600000, Counter: 3, Device: "01890a5d-ac96-774b-bcce-b302099a8057"},
		{Wall: 1, Device: "server"}, {Wall: 1767225600000, Counter: 2147483647, Device: "a.b"}} {
		s := h.String()
		p, err := protocol.ParseHLC(s)
		if err != nil || core.StampDevice(s) != p.Device {
			t.Fatalf("%s: %q, parsed %q %v", s, core.StampDevice(s), p.Device, err)
		}
	}
	if d := core.StampDevice("now"); d != "" {
		t.Fatalf("bad stamp: %q", d)
	}
}

// TestSignupUnder18SaysWhy: a signup without the age confirmation is
// refused with the reason, not only the rule.
func TestSignupUnder18SaysWhy(t *testing.T) {
	s := core.Signup{Owner: protocol.SignupOwner{Name: "Asha", Email: "asha@example.in", Phone: "9876543210", Password: "correct horse"},
		Business: protocol.SignupBusiness{Name: "Shop", StateCode: "27"}, TermsAccepted: true}
	s.Normalize()
	err := s.Validate()
	if core.ErrorCode(err) != protocol.CodeInvalid || !strings.Contains(core.ErrorMessage(err), "18") ||
		!strings.Contains(core.ErrorMessage(err), "contract") {
		t.Errorf("signup under 18: %v", err)
	}
}
