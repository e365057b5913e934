package core_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// rawValues are data and field stamps as they may sit in the store:
// compact or not, with characters encoding/json escapes, Hindi, the rupee
// sign, escapes already present.
var rawValues = []string{
	`{}`, `{"a":1}`, `{"name":"Item 1","price":1000}`, `{ "a" : [1, 2,	3] }`, "{\"a\":\n1}",
	`{"n":"<b>&</b>"}`, `{"n":"चाय"}`, `{"n":"₹ 10"}`, "{\"n\":\"a\u2028b\u2029c\"}", `{"n":"\u003c\"\\"}`,
	`{"deleted":1,"x":null,"y":true,"z":[{"q":"r s"}]}`, `{"price":"0000001234567.0000000001.dev"}`,
}

func pageOf(changes []core.Change, rej []protocol.Rejection) core.PullPage {
	return core.PullPage{Changes: changes, Next: 42, More: len(changes)%2 == 0, Epoch: "abc<1>", Rejections: rej, ServerTime: 1767225600000}
}

func checkSame(t *testing.T, p core.PullPage) {
	t.Helper()
	var want bytes.Buffer
	if err := json.NewEncoder(&want).Encode(p); err != nil {
		t.Fatal(err)
	}
	if got := p.AppendJSON(nil); !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("AppendJSON differs from encoding/json:\n got %s\nwant %s", got, want.Bytes())
	}
	// And it reads back as the wire type, equal to the page's decoding.
	var back protocol.PullResponse
	if err := json.Unmarshal(want.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	resp, err := p.Response()
	if err != nil {
		t.Fatal(err)
	}
	w1, _ := json.Marshal(back)
	w2, _ := json.Marshal(resp)
	if !bytes.Equal(w1, w2) {
		t.Fatalf("Response() differs from the decoded page:\n%s\n%s", w1, w2)
	}
}

func TestPullPageJSONMatchesEncodingJSON(t *testing.T) {
	checkSame(t, pageOf([]core.Change{}, nil))
	var changes []core.Change
	for i, d := range rawValues {
		c := core.Change{Seq: int64(i + 1), Table: "products", ID: "0190aaaa-0000-7000-8000-00000000000" + string(rune('a'+i%6)),
			HLC: "0001767225600000.0000000001.dev", Op: protocol.OpUpsert, Data: json.RawMessage(d), DeviceID: "dev-1"}
		if i%3 == 0 {
			c.FieldHLC = core.RawFieldHLC([]byte(`{"name":"0001767225600000.0000000001.dev"}`))
		}
		if i%4 == 0 {
			c.Table, c.Op, c.DeviceID = "invoices", protocol.OpInsert, ""
		}
		changes = append(changes, c)
	}
	rej := []protocol.Rejection{{N: 3, Table: "Bad Table", ID: "x", Code: protocol.CodeInvalid, Message: `table name must be "a-z" & <digits>`},
		{N: 4, Table: "t", ID: "चाय", Code: protocol.CodeInvalid, Message: "id must be a UUID"}}
	checkSame(t, pageOf(changes, rej))

	// Random JSON objects with random spacing and characters.
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", " ", "<", ">", "&", "\"", "\\", "\n", "é", "₹", "\u2028", "चा", "\t", "/", "\x01"}
	str := func() string {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	sp := func() string { return []string{"", " ", "\n\t", "  "}[rng.IntN(4)] }
	for i := range 300 {
		m := map[string]any{}
		for range rng.IntN(5) {
			switch rng.IntN(4) {
			case 0:
				m[str()] = str()
			case 1:
				m[str()] = rng.IntN(1e6)
			case 2:
				m[str()] = []any{str(), 1.5, nil, true}
			default:
				m[str()] = map[string]any{str(): str()}
			}
		}
		enc, _ := json.MarshalIndent(m, sp(), sp())
		if rng.IntN(2) == 0 {
			enc, _ = json.Marshal(m)
			var esc bytes.Buffer
			json.HTMLEscape(&esc, enc)
			enc = esc.Bytes()
		}
		stamps := map[string]string{}
		for k := range m {
			stamps[k] = str()
		}
		fh, _ := json.MarshalIndent(stamps, "", sp())
		checkSame(t, pageOf([]core.Change{{Seq: int64(i), Table: "products", ID: str(), HLC: str(), Op: protocol.OpUpsert,
			Data: enc, FieldHLC: core.RawFieldHLC(fh), DeviceID: str()}}, nil))
	}
}

// TestPageCheck: a page whose stored data or stamps are not JSON (or not
// UTF-8) is refused with an internal error naming the row; a sound page
// passes.
func TestPageCheck(t *testing.T) {
	good := core.Change{Seq: 1, Table: "products", ID: "id-1", HLC: "h", Op: protocol.OpUpsert, Data: json.RawMessage(`{"a":1}`),
		FieldHLC: json.RawMessage(`{"a":"h"}`)}
	p := pageOf([]core.Change{good}, nil)
	if err := p.Check(); err != nil {
		t.Fatalf("sound page: %v", err)
	}
	for _, bad := range []core.Change{
		{Seq: 2, Table: "products", ID: "id-2", Data: json.RawMessage(`{"a":`)},
		{Seq: 3, Table: "products", ID: "id-3", Data: json.RawMessage("{\"a\":\"\xff\"}")},
		{Seq: 4, Table: "products", ID: "id-4", Data: json.RawMessage(`{}`), FieldHLC: json.RawMessage(`{"a"`)},
	} {
		p := pageOf([]core.Change{good, bad}, nil)
		err := p.Check()
		if core.ErrorCode(err) != protocol.CodeInternal || !strings.Contains(err.Error(), bad.ID) {
			t.Fatalf("%s: %v", bad.ID, err)
		}
	}
}

// BenchmarkPageCheck is the cost of checking a page of 1,000 changes of
// about 150 bytes before it goes out, next to writing it
// (BenchmarkPageAppend).
func BenchmarkPageCheck(b *testing.B) {
	p := benchPage()
	b.SetBytes(int64(len(p.AppendJSON(nil))))
	for b.Loop() {
		if err := p.Check(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPageAppend(b *testing.B) {
	p := benchPage()
	buf := p.AppendJSON(nil)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		buf = p.AppendJSON(buf[:0])
	}
}

func benchPage() core.PullPage {
	ch := make([]core.Change, 1000)
	for i := range ch {
		ch[i] = core.Change{Seq: int64(i + 1), Table: "products", ID: "01890a5d-ac96-774b-bcce-b302099a8057",
			HLC: "1767225600000.0000000001.01890a5d-ac96-774b-bcce-b302099a8057", Op: protocol.OpUpsert,
			Data:     json.RawMessage(`{"name":"Item 1","price":1000,"hsn":"3401","gst_rate":1800,"unit":"pcs"}`),
			FieldHLC: json.RawMessage(`{"name":"1767225600000.0000000001.d","price":"1767225600000.0000000001.d"}`)}
	}
	return pageOf(ch, nil)
}
