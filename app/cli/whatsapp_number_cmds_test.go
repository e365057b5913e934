package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/server/shopkeystest"
	"github.com/ainaukar/naukar/server/whatsapp/whatsapptest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestWhatsAppConnectNumber: the owner connects the shop's own WhatsApp
// number from the command line (secrets on standard input, never printed;
// a token Meta refuses is refused), sees what to give Meta for the
// webhook, and disconnects.
func TestWhatsAppConnectNumber(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	srv := shopkeystest.Start(t)
	fake := srv.Graph
	own := whatsapptest.Number{PhoneID: "209876543210987", Token: "EAAG-shop-own-token-7d3f", AppSecret: "shop_own_app_secret_91c2", Display: "+91 98200 12345"}
	fake.AddNumber(own)

	books := setup(t)
	mustRun(t, books, "", "sync", "signup", "--server", srv.URL, "--name", "Ravi Sharma", "--email", "ravi.wa@example.in",
		"--phone", "9876501236", "--password", "correct horse", "--business-name", "Sharma Stores", "--state", "27")
	mustRun(t, books, "", "sync", "login", "--server", srv.URL, "--login", "ravi.wa@example.in", "--password", "correct horse", "--device-name", "Counter 1")
	if out := mustRun(t, books, "", "whatsapp", "number"); !strings.Contains(out, "server's number") {
		t.Errorf("before connecting:\n%s", out)
	}
	wantFail(t, run(t, books, "", "whatsapp", "connect"), 2, "give the phone number id")
	wantFail(t, run(t, books, own.Token+"\n", "whatsapp", "connect", "--phone-number-id", own.PhoneID), 2, "one a line")
	wantFail(t, run(t, books, fake.Token+"-wrong-number\n"+own.AppSecret+"\n", "whatsapp", "connect", "--phone-number-id", own.PhoneID), 1, "Meta refused")
	out := mustRun(t, books, own.Token+"\n"+own.AppSecret+"\n", "whatsapp", "connect", "--phone-number-id", own.PhoneID)
	if !strings.Contains(out, "its own number "+own.Display) || !strings.Contains(out, "ends …7d3f") ||
		!strings.Contains(out, srv.URL+"/v1/webhooks/whatsapp") || strings.Contains(out, own.Token) || strings.Contains(out, own.AppSecret) {
		t.Errorf("connect:\n%s", out)
	}
	var st protocol.WANumberStatus
	raw := mustRun(t, books, "", "whatsapp", "number", "--json")
	if err := json.Unmarshal([]byte(raw), &st); err != nil || !st.Connected || st.PhoneNumberID != own.PhoneID || strings.Contains(raw, own.AppSecret) {
		t.Errorf("--json: %s %v", raw, err)
	}
	if out := mustRun(t, books, "", "whatsapp", "disconnect"); !strings.Contains(out, "server's number") {
		t.Errorf("disconnect:\n%s", out)
	}
}
