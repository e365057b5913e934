package cli_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/secrets"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/whatsapp"
	"github.com/ainaukar/naukar/server/whatsapp/whatsapptest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestWhatsAppConnectNumber: the owner connects the shop's own WhatsApp
// number from the command line (secrets on standard input, never printed;
// a token Meta refuses is refused), sees what to give Meta for the
// webhook, and disconnects.
func TestWhatsAppConnectNumber(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	fake := whatsapptest.New(t)
	own := whatsapptest.Number{PhoneID: "209876543210987", Token: "EAAG-shop-own-token-7d3f", AppSecret: "shop_own_app_secret_91c2", Display: "+91 98200 12345"}
	fake.AddNumber(own)
	db, err := store.OpenSQLite(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	box, err := secrets.New([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	q := jobs.New(db, jobs.Config{Logger: quiet, PollInterval: 50 * time.Millisecond, SoleInstance: true})
	wa := whatsapp.New(whatsapp.Config{Store: db, Queue: q, Logger: quiet, Secrets: box, Settings: whatsapp.Settings{APIURL: fake.Base(),
		Token: fake.Token, PhoneNumberID: fake.PhoneID, AppSecret: fake.AppSecret, VerifyToken: "v", TemplateInvoice: whatsapp.DefaultTemplateInvoice,
		TemplateReminder: whatsapp.DefaultTemplateReminder, TemplateLang: "en", Rate: 100}})
	srv := httptest.NewServer(api.New(api.Config{Store: db, Logger: quiet, BcryptCost: 4, Modules: []api.Module{wa}}))
	t.Cleanup(func() {
		srv.Close()
		db.Close()
	})

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
