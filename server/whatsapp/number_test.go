package whatsapp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/server/whatsapp/whatsapptest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// The shop's own number in the fake Graph API: its own id, token and app.
var shopNumber = whatsapptest.Number{PhoneID: "209876543210987", Token: "EAAG-shop-own-token-7d3f", AppSecret: "shop_own_app_secret_91c2",
	Display: "+91 98200 12345"}

// rawBytes is what the store keeps at rest: every file of the SQLite data
// directory (database and write-ahead log), or PostgreSQL's current
// write-ahead log segment, where every row written lands as it commits
// (its table's own file is written at a checkpoint).
func rawBytes(t *testing.T, db *store.DB) []byte {
	t.Helper()
	if dir := db.DataDir(); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		var all []byte
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil {
				all = append(all, b...)
			}
		}
		if len(all) == 0 {
			t.Fatalf("nothing read in %s", dir)
		}
		return all
	}
	pool, _ := db.JobsPostgres()
	var wal []byte
	if err := pool.QueryRow(context.Background(),
		`SELECT pg_read_binary_file('pg_wal/' || pg_walfile_name(pg_current_wal_insert_lsn()))`).Scan(&wal); err != nil {
		t.Fatalf("read the write-ahead log: %v", err)
	}
	return wal
}

// TestOwnNumber: the owner connects the shop's own number; its secrets are
// sealed at rest and never come back; the shop's messages go from its
// number with its token; its app's webhooks are checked with its app
// secret (the server's is refused for that number) and touch that shop
// only; disconnected, messages go from the server's number again; nobody
// but the owner may change it.
func TestOwnNumber(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			h := newHarness(t, st.Open)
			h.fake.AddNumber(shopNumber)
			url := h.srv.URL + "/v1/webhooks/whatsapp"

			var ns protocol.WANumberStatus
			h.call("GET", "/v1/whatsapp/settings", h.token, nil, &ns, 200)
			if ns.Connected || !ns.Available {
				t.Fatalf("before connecting: %+v", ns)
			}
			// A token Meta refuses for the number keeps nothing.
			bad := protocol.WANumberSettings{PhoneNumberID: shopNumber.PhoneID, Token: h.fake.Token + "-not-this-numbers", AppSecret: shopNumber.AppSecret}
			var e struct {
				Error struct{ Message string } `json:"error"`
			}
			h.call("PUT", "/v1/whatsapp/settings", h.token, bad, &e, 400)
			if !strings.Contains(e.Error.Message, "Meta refused") {
				t.Fatalf("a refused token: %q", e.Error.Message)
			}
			h.call("PUT", "/v1/whatsapp/settings", h.token, protocol.WANumberSettings{PhoneNumberID: "9876543210", Token: "x", AppSecret: "y"}, &e, 400)

			var raw json.RawMessage
			h.call("PUT", "/v1/whatsapp/settings", h.token, protocol.WANumberSettings{PhoneNumberID: shopNumber.PhoneID, Token: shopNumber.Token,
				AppSecret: shopNumber.AppSecret}, &raw, 200)
			for _, reply := range []json.RawMessage{raw, h.getRaw("/v1/whatsapp/settings")} {
				if bytes.Contains(reply, []byte(shopNumber.Token)) || bytes.Contains(reply, []byte(shopNumber.AppSecret)) {
					t.Fatalf("a secret came back: %s", reply)
				}
				if err := json.Unmarshal(reply, &ns); err != nil {
					t.Fatal(err)
				}
				if !ns.Connected || ns.PhoneNumberID != shopNumber.PhoneID || ns.DisplayPhone != shopNumber.Display || !ns.TokenSet ||
					ns.TokenLast4 != "7d3f" || !ns.AppSecretSet || ns.TemplateInvoice != "naukar_invoice" || ns.VerifyToken == "" ||
					ns.WebhookURL != h.srv.URL+"/v1/webhooks/whatsapp" {
					t.Fatalf("connected: %s", reply)
				}
			}
			// Sealed at rest: neither secret is in the database's bytes, and
			// what is there opens with the server key for this shop only.
			atRest := rawBytes(t, h.db)
			if !bytes.Contains(atRest, []byte(shopNumber.PhoneID)) || !bytes.Contains(atRest, []byte(ns.VerifyToken)) {
				t.Fatal("the raw scan does not see the stored row at all")
			}
			for _, s := range []string{shopNumber.Token, shopNumber.AppSecret} {
				if bytes.Contains(atRest, []byte(s)) {
					t.Fatalf("%q is in the database in plain text", s[:8])
				}
			}
			stored, ok, err := h.db.WANumber(ctx, h.business)
			if err != nil || !ok {
				t.Fatal(ok, err)
			}
			if got, err := h.box.OpenString("whatsapp.token/"+h.business, stored.Token); err != nil || got != shopNumber.Token {
				t.Fatalf("the sealed token opens to %q, %v", got, err)
			}
			if _, err := h.box.OpenString("whatsapp.token/"+uuid.NewString(), stored.Token); err == nil {
				t.Fatal("the sealed token opens for another business")
			}

			var ws protocol.WAStatusResponse
			h.call("GET", "/v1/whatsapp", h.token, nil, &ws, 200)
			if !ws.Configured {
				t.Fatalf("status with the shop's number: %+v", ws)
			}

			// The shop's messages go from its number (the fake takes a
			// number's messages only with that number's bearer token).
			id := h.ask(protocol.WAMessage{Kind: protocol.WAKindReminder, To: ravi, PartyName: "Ravi", Amount: 5000})
			m := h.waitStatus(id, 15*time.Second, protocol.WASent)
			sent := h.fake.Messages()
			if len(sent) != 1 || sent[0].PhoneID != shopNumber.PhoneID || sent[0].WAMID != m.WAMID {
				t.Fatalf("sent %+v", sent)
			}

			// The shop's app's webhook: the server's secret is refused for
			// the shop's number, the shop's secret accepted.
			ts := time.Now().Add(-time.Minute).Unix()
			read := h.fake.EnvelopeFor(shopNumber.PhoneID, whatsapptest.StatusValue(m.WAMID, "read", ravi, ts, "", 0))
			if code := whatsapptest.Post(t, url, h.fake.AppSecret, read); code != 401 {
				t.Fatalf("the shop's number's status signed with the server's secret: HTTP %d", code)
			}
			if h.message(id).Status != protocol.WASent {
				t.Fatal("a status signed with the wrong secret applied")
			}
			if code := whatsapptest.Post(t, url, shopNumber.AppSecret, read); code != 200 {
				t.Fatalf("signed with the shop's secret: HTTP %d", code)
			}
			if got := h.message(id); got.Status != protocol.WARead {
				t.Fatalf("after the shop's read: %+v", got)
			}
			// STOP to the shop's number opts out at this shop.
			stop := h.fake.EnvelopeFor(shopNumber.PhoneID, whatsapptest.TextValue("919811111111", "STOP", ts, ""))
			if code := whatsapptest.Post(t, url, shopNumber.AppSecret, stop); code != 200 {
				t.Fatalf("STOP: HTTP %d", code)
			}
			if o, ok := h.optOut("919811111111"); !ok || !o.OptedOut {
				t.Fatalf("STOP to the shop's number: %+v %v", o, ok)
			}
			// The shop's app signs for its own number only: a status of
			// the server's number signed with it is refused.
			other := h.fake.Envelope(whatsapptest.StatusValue(m.WAMID, "failed", ravi, ts+5, "", 131026))
			if code := whatsapptest.Post(t, url, shopNumber.AppSecret, other); code != 401 {
				t.Fatalf("the server's number signed with the shop's secret: HTTP %d", code)
			}
			// Its app's handshake, with the verify token the settings show.
			resp, err := http.Get(url + "?hub.mode=subscribe&hub.verify_token=" + ns.VerifyToken + "&hub.challenge=42")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || string(b) != "42" {
				t.Fatalf("the shop's handshake: HTTP %d %q", resp.StatusCode, b)
			}

			// Disconnected: the next message goes from the server's number.
			h.call("DELETE", "/v1/whatsapp/settings", h.token, nil, &ns, 200)
			if ns.Connected {
				t.Fatalf("after disconnecting: %+v", ns)
			}
			id2 := h.ask(protocol.WAMessage{Kind: protocol.WAKindReminder, To: "919822222222", PartyName: "Sunil", Amount: 5000})
			h.waitStatus(id2, 15*time.Second, protocol.WASent)
			if sent := h.fake.Messages(); len(sent) != 2 || sent[1].PhoneID != h.fake.PhoneID {
				t.Fatalf("after disconnecting, sent %+v", sent)
			}

			// Only the owner: with staff on the books and a manager signed
			// in, the number cannot be read, changed or removed.
			manager := uuid.NewString()
			pin, err := staff.TestParams.Hash("2580")
			if err != nil {
				t.Fatal(err)
			}
			mrow, _ := json.Marshal(map[string]any{"name": "Meena", "role": "manager", "pin_hash": pin})
			h.push(protocol.Mutation{Table: staff.Table, ID: manager, Op: protocol.OpUpsert, Data: mrow})
			var ss protocol.StaffSession
			h.call("POST", "/v1/staff/signin", h.token, protocol.StaffSignInRequest{UserID: manager, PIN: "2580"}, &ss, 200)
			h.call("GET", "/v1/whatsapp/settings", h.token, nil, nil, 403)
			h.call("PUT", "/v1/whatsapp/settings", h.token, protocol.WANumberSettings{PhoneNumberID: shopNumber.PhoneID, Token: shopNumber.Token,
				AppSecret: shopNumber.AppSecret}, nil, 403)
			h.call("DELETE", "/v1/whatsapp/settings", h.token, nil, nil, 403)
			if _, ok, _ := h.db.WANumber(ctx, h.business); ok {
				t.Fatal("a manager connected the number")
			}
		})
	}
}

// getRaw is GET path's body, which must answer 200.
func (h *harness) getRaw(path string) json.RawMessage {
	h.t.Helper()
	var raw json.RawMessage
	h.call("GET", path, h.token, nil, &raw, 200)
	return raw
}
