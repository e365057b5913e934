package core_test

import (
	"testing"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

func TestCheckGSTIN(t *testing.T) {
	for _, g := range []string{"27AAPFU0939F1ZV", "29AABCR1718E1ZL"} {
		if err := core.CheckGSTIN(g); err != nil {
			t.Errorf("%s: %v", g, err)
		}
	}
	for name, g := range map[string]string{
		"ErrGSTINChecksum": "27AAPFU0939F1ZW",
		"ErrGSTINLength":   "27AAPFU0939F1Z",
		"ErrGSTINState":    "99AAPFU0939F1ZV",
		"ErrGSTINChars":    "27aapfu0939f1zv",
	} {
		t.Run(name, func(t *testing.T) {
			if err := core.CheckGSTIN(g); core.ErrorCode(err) != protocol.CodeInvalid {
				t.Fatalf("%s: got %v", g, err)
			}
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"9876543210": "919876543210", "+919876543210": "919876543210", "91 98765-43210": "919876543210",
		"919876543210": "919876543210", "+91 6000000000": "916000000000",
	} {
		if got, ok := core.NormalizePhone(in); !ok || got != want {
			t.Errorf("%q: got %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "12345", "5876543210", "98765432101", "+1 9876543210", "98765abcde"} {
		if got, ok := core.NormalizePhone(in); ok {
			t.Errorf("%q accepted as %q", in, got)
		}
	}
}

func TestMask(t *testing.T) {
	if got := core.MaskPhone("919876543210"); got != "********3210" {
		t.Errorf("MaskPhone = %q", got)
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

func TestValidStateCode(t *testing.T) {
	for _, s := range []string{"01", "27", "38", "97"} {
		if !core.ValidStateCode(s) {
			t.Errorf("%s refused", s)
		}
	}
	for _, s := range []string{"00", "39", "96", "99", "7", "ab", "027"} {
		if core.ValidStateCode(s) {
			t.Errorf("%s accepted", s)
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
