package cli_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/server/ai"
	"github.com/ainaukar/naukar/server/ai/anthropictest"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestAsk: `naukar ask` on signed-in books answers through the server (and
// the fake model): --json gives the answer, each step's tool, input and
// result, and the drafts; without --json the answer and the draft print,
// and nothing is saved. Books not signed in get a plain message.
func TestAsk(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	books := setup(t)
	if r := run(t, books, "", "ask", "aaj kitna becha?"); r.code != 1 || !strings.Contains(r.stderr, "sign in first") {
		t.Fatalf("not signed in: %+v", r)
	}

	fake := anthropictest.New(t, "sk-ant-cli")
	db := storetest.SQLite(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(api.New(api.Config{Store: db, Logger: log, BcryptCost: bcrypt.MinCost,
		Modules: []api.Module{ai.New(ai.Config{Store: db, Model: "claude-test", APIKey: "sk-ant-cli", BaseURL: fake.URL, Logger: log})}}))
	defer srv.Close()
	body, _ := json.Marshal(protocol.SignupRequest{Owner: protocol.SignupOwner{Name: "Ramesh", Email: "cli@example.in", Phone: "9876501234", Password: "correct horse"},
		Business: protocol.SignupBusiness{Name: "Sharma Stores", StateCode: "27"}, AgeConfirmed: true, TermsAccepted: true})
	res, err := http.Post(srv.URL+"/v1/signup", "application/json", bytes.NewReader(body))
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("signup: %v %v", err, res)
	}
	res.Body.Close()
	mustRun(t, books, "", "sync", "login", "--server", srv.URL, "--login", "cli@example.in", "--password", "correct horse", "--device-name", "Counter")

	fake.Script(
		anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.ToolUse("stock", map[string]any{"query": "cheeni"})}},
		anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text("Loose Sugar: 25.5 KG bachi hai.")}})
	out := mustRun(t, books, "", "ask", "cheeni kitni bachi hai?", "--json")
	var ans struct {
		Answer string
		Steps  []struct {
			Tool   string
			Input  map[string]any
			Result map[string]any
		}
		Drafts []any
	}
	if err := json.Unmarshal([]byte(out), &ans); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if ans.Answer != "Loose Sugar: 25.5 KG bachi hai." || len(ans.Steps) != 1 || ans.Steps[0].Tool != "stock" ||
		ans.Steps[0].Input["query"] != "cheeni" || ans.Drafts == nil {
		t.Fatalf("%s", out)
	}
	item := ans.Steps[0].Result["items"].([]any)[0].(map[string]any)
	if item["name"] != "Loose Sugar" || item["stock"] != "25.5" || item["sale_price"] != "45.50" {
		t.Fatalf("stock result %v", item)
	}

	fake.Script(
		anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.ToolUse("draft_sale", map[string]any{"party": "Reddy ji",
			"lines": []any{map[string]any{"item": "cheeni", "qty": 2}, map[string]any{"item": "namak", "qty": 1}}})}},
		anthropictest.Turn{Blocks: []anthropictest.Block{anthropictest.Text("Bill ka draft taiyaar hai.")}})
	r := run(t, books, "", "ask", "2 kilo cheeni aur 1 namak Reddy ji ke naam")
	if r.code != 0 || !strings.Contains(r.stdout, "Bill ka draft taiyaar hai.") || !strings.Contains(r.stdout, "Draft bill (not saved) for Reddy Traders") ||
		!strings.Contains(r.stdout, "Loose Sugar × 2 KGS @ ₹45.50") || !strings.Contains(r.stdout, "Tata Salt 1kg × 1 PCS") ||
		!strings.Contains(r.stderr, "looked up draft_sale") {
		t.Fatalf("%+v", r)
	}
	if out := mustRun(t, books, "", "invoice", "list", "--json"); strings.Contains(out, "Reddy") {
		t.Fatalf("a draft was saved: %s", out)
	}

	fake.Script(anthropictest.Turn{Status: 529})
	if r := run(t, books, "", "ask", "aaj kitna becha?"); r.code != 1 || !strings.Contains(r.stderr, "overloaded") {
		t.Fatalf("overloaded: %+v", r)
	}
}
