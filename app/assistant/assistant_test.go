package assistant_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/assistant"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/server/ai/anthropictest"
	"github.com/ainaukar/naukar/sync/protocol"
)

var ctx = context.Background()

type tu = anthropictest.Block

func use(name string, in map[string]any) tu { return anthropictest.ToolUse(name, in) }

func turn(blocks ...tu) anthropictest.Turn { return anthropictest.Turn{Blocks: blocks} }

func result(t *testing.T, st assistant.Step) map[string]any {
	t.Helper()
	if st.Error != "" {
		t.Fatalf("%s failed: %s", st.Tool, st.Error)
	}
	var m map[string]any
	mustOK(t, json.Unmarshal(st.Result, &m))
	return m
}

// TestAskSalesToday: "aaj kitna becha?" goes to the model with the system
// prompt (date, shop, Hinglish, cite numbers) and the tools; the model's
// sales_summary call runs on the books and its result, equal to the sales
// register and money-by-mode figures, goes back as a tool_result; the
// streamed answer is the model's final text.
func TestAskSalesToday(t *testing.T) {
	sh, srv := newShop(t), newServer(t, true)
	srv.fake.Script(
		turn(anthropictest.Text("Dekhta hoon."), use("sales_summary", map[string]any{"from": today, "to": today})),
		turn(anthropictest.Text("Aaj 2 bill bane, kul ₹760.00.")))
	var streamed strings.Builder
	var steps []assistant.Step
	ans, err := srv.assistant(sh).Ask(ctx, "aaj kitna becha?", assistant.Events{
		Text: func(s string) { streamed.WriteString(s) }, Step: func(s assistant.Step) { steps = append(steps, s) }})
	mustOK(t, err)
	if ans.Answer != "Aaj 2 bill bane, kul ₹760.00." || !strings.Contains(streamed.String(), "Dekhta hoon.") ||
		!strings.HasSuffix(streamed.String(), "kul ₹760.00.") {
		t.Fatalf("answer %q, streamed %q", ans.Answer, streamed.String())
	}
	if len(ans.Steps) != 1 || len(steps) != 1 || ans.Steps[0].Tool != "sales_summary" {
		t.Fatalf("steps %+v", ans.Steps)
	}
	got := result(t, ans.Steps[0])

	// The books' own figures.
	p, _ := reports.Range(today, today)
	reg, err := sh.rep.SalesRegister(ctx, reports.Query{Period: p})
	mustOK(t, err)
	tot := reg.Tables[0].Totals
	modes, err := sh.st.MoneyByMode(ctx, today, today)
	mustOK(t, err)
	want := map[string]any{"bills": 2.0, "cancelled_bills": 1.0, "credit_notes": 0.0,
		"taxable": gst.FormatAmount(tot[6].(int64)), "cgst": gst.FormatAmount(tot[7].(int64)), "sgst": gst.FormatAmount(tot[8].(int64)),
		"tax": gst.FormatAmount(tot[7].(int64) + tot[8].(int64) + tot[9].(int64) + tot[10].(int64)), "grand_total": gst.FormatAmount(tot[12].(int64))}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, the books say %v", k, got[k], v)
		}
	}
	byMode := got["money_in_by_mode"].(map[string]any)
	for _, m := range modes {
		if byMode[m.Mode] != gst.FormatAmount(m.In) {
			t.Errorf("mode %s = %v, the books say %s", m.Mode, byMode[m.Mode], gst.FormatAmount(m.In))
		}
	}
	if got["grand_total"] == "0.00" || byMode["upi"] != "300.00" {
		t.Fatalf("the day's sales are missing: %v", got)
	}

	rq := srv.fake.Requests()
	if len(rq) != 2 {
		t.Fatalf("%d model calls", len(rq))
	}
	sys, _ := json.Marshal(rq[0].Body["system"])
	for _, w := range []string{today, "Kumar Kirana", "Hinglish", "Cite the numbers"} {
		if !strings.Contains(string(sys), w) {
			t.Errorf("system prompt lacks %q: %s", w, sys)
		}
	}
	tools, _ := rq[0].Body["tools"].([]any)
	if len(tools) != len(assistant.Tools) || rq[0].Body["model"] != "claude-test" {
		t.Errorf("tools %d, model %v", len(tools), rq[0].Body["model"])
	}
	// The second call returns the tool's result, exactly what the step shows.
	last := rq[1].Messages()[2].(map[string]any)["content"].([]any)[0].(map[string]any)
	content := last["content"]
	if blocks, ok := content.([]any); ok {
		content = blocks[0].(map[string]any)["text"]
	}
	if last["type"] != "tool_result" || content != string(ans.Steps[0].Result) {
		t.Fatalf("tool_result sent %v, step %s", last, ans.Steps[0].Result)
	}
}

// TestEveryToolMatchesTheReports: the ten tools asked in one turn answer
// with the books' own report figures, rupees as strings with two decimals.
func TestEveryToolMatchesTheReports(t *testing.T) {
	sh, srv := newShop(t), newServer(t, true)
	srv.fake.Script(turn(
		use("sales_summary", map[string]any{"from": "2026-11-01", "to": "2026-11-30"}),
		use("top_items", map[string]any{"from": "2026-10-01", "to": today, "limit": 3}),
		use("stock", map[string]any{"query": "cheeni"}),
		use("low_stock", nil),
		use("party_dues", map[string]any{}),
		use("party_ledger", map[string]any{"party": "Sharma ji"}),
		use("find_invoices", map[string]any{"party": "Sharma ji"}),
		use("gst_summary", map[string]any{"month": "2026-11"}),
		use("draft_sale", map[string]any{"lines": []any{map[string]any{"item": "doodh", "qty": 2}}}),
		use("draft_reminder", map[string]any{"party": "Sharma ji"})),
		turn(anthropictest.Text("Done.")))
	ans, err := srv.assistant(sh).Ask(ctx, "Give me everything", assistant.Events{})
	mustOK(t, err)
	if len(ans.Steps) != 10 {
		t.Fatalf("%d steps", len(ans.Steps))
	}
	res := map[string]map[string]any{}
	for _, s := range ans.Steps {
		res[s.Tool] = result(t, s)
	}

	p, _ := reports.Range("2026-11-01", "2026-11-30")
	reg, _ := sh.rep.SalesRegister(ctx, reports.Query{Period: p})
	if res["sales_summary"]["grand_total"] != gst.FormatAmount(reg.Tables[0].Totals[12].(int64)) || res["sales_summary"]["bills"] != 3.0 {
		t.Errorf("sales_summary %v", res["sales_summary"])
	}

	p, _ = reports.Range("2026-10-01", today)
	items, _ := sh.rep.Items(ctx, reports.Query{Period: p, Limit: 3})
	top := res["top_items"]["items"].([]any)
	if len(top) != 3 {
		t.Fatalf("top_items %v", res["top_items"])
	}
	for i, r := range items.Tables[0].Rows {
		it := top[i].(map[string]any)
		if it["product"] != r[0] || it["sales"] != gst.FormatAmount(r[3].(int64)) || it["qty"] != gst.FormatQty(r[2].(int64)) {
			t.Errorf("top item %d: %v, the report says %v", i, it, r)
		}
	}

	st := res["stock"]["items"].([]any)
	sugar, _ := sh.st.ListProducts(store.ProductFilter{Limit: 100})
	var sugarStock int64
	for _, p := range sugar {
		if p.Name == "Sugar" {
			sugarStock = p.Stock
		}
	}
	if res["stock"]["sure"] != true || len(st) != 1 || st[0].(map[string]any)["name"] != "Sugar" ||
		st[0].(map[string]any)["stock"] != gst.FormatQty(sugarStock) || sugarStock != 35_000 {
		t.Errorf("stock of cheeni: %v (books: %d)", res["stock"], sugarStock)
	}

	pt, _ := reports.Range(today, today)
	low, _ := sh.rep.Stock(ctx, reports.Query{Period: pt, LowStock: true})
	var lowNames []string
	for _, r := range low.Tables[0].Rows {
		lowNames = append(lowNames, r[0].(string))
	}
	var gotLow []string
	for _, it := range res["low_stock"]["items"].([]any) {
		gotLow = append(gotLow, it.(map[string]any)["product"].(string))
	}
	if strings.Join(gotLow, ",") != strings.Join(lowNames, ",") || len(gotLow) != 2 {
		t.Errorf("low_stock %v, the report says %v", gotLow, lowNames)
	}

	dues, _ := sh.rep.AllDues(ctx, today)
	var recv int64
	for _, d := range dues {
		if d.Balance > 0 {
			recv += d.Balance
		}
	}
	if res["party_dues"]["total_to_receive"] != gst.FormatAmount(recv) || res["party_dues"]["parties_with_dues"] != float64(len(dues)) {
		t.Errorf("party_dues %v (books: %d to receive from %d)", res["party_dues"], recv, len(dues))
	}
	first := res["party_dues"]["dues"].([]any)[0].(map[string]any)
	if first["party"] != "Rajesh Sharma" || first["oldest_unpaid_bill"] != "2026-10-20" || first["days_since_oldest"] != 44.0 {
		t.Errorf("largest dues %v", first)
	}

	fy := reports.FinancialYear(2026)
	fy.To = today
	led, _ := sh.rep.PartyLedger(ctx, reports.Query{Period: fy, Party: sh.parties["sharma"].ID})
	closing := res["party_ledger"]["closing"].(map[string]any)
	if res["party_ledger"]["party"] != "Rajesh Sharma" || closing["balance"] != gst.FormatAmount(led.Tables[0].Totals[5].(int64)) ||
		len(res["party_ledger"]["entries"].([]any)) != len(led.Tables[0].Rows) {
		t.Errorf("party_ledger %v", res["party_ledger"])
	}

	invs := res["find_invoices"]["invoices"].([]any)
	if len(invs) != 2 || invs[0].(map[string]any)["party"] != "Rajesh Sharma" || invs[0].(map[string]any)["date"] != "2026-11-15" {
		t.Errorf("find_invoices %v", invs)
	}

	g, _ := reports.ParsePeriod("2026-11")
	r3b, _ := sh.rep.GSTR3B(ctx, reports.Query{Period: g})
	row := res["gst_summary"]["3.1"].(map[string]any)["rows"].([]any)[0].(map[string]any)
	if row["taxable"] != gst.FormatAmount(r3b.Table("3.1").Rows[0][1].(int64)) || row["taxable"] == "0.00" {
		t.Errorf("gst_summary 3.1(a) %v, the return says %v", row, r3b.Table("3.1").Rows[0])
	}

	if len(ans.Drafts) != 2 || ans.Drafts[0].Kind != "sale" || ans.Drafts[0].Sale.Lines[0].Name != "Amul Milk 500ml" ||
		ans.Drafts[1].Kind != "reminder" {
		t.Fatalf("drafts %+v", ans.Drafts)
	}
	rem := ans.Drafts[1].Reminder
	if rem.Party != "Rajesh Sharma" || rem.Due != first["they_owe_shop"] || rem.Phone != "9812345678" ||
		!strings.HasPrefix(rem.Link, "https://wa.me/919812345678?text=") || !strings.Contains(rem.Message, "₹") {
		t.Errorf("reminder %+v", rem)
	}
	// The phone stays on the PC: the model is told only that there is one.
	if strings.Contains(string(srv.fake.Requests()[1].Raw), "9812345678") {
		t.Error("a phone number went to the model")
	}
}

// TestHinglishDraftSale: "2 kilo cheeni aur 1 Parle-G Ramesh ke naam bill
// bana do" drafts Sugar 2 and Parle-G 1 for Ramesh Gupta, saves nothing,
// and an unsure party ("Verma ji": two Vermas) comes back with choices.
func TestHinglishDraftSale(t *testing.T) {
	sh, srv := newShop(t), newServer(t, true)
	srv.fake.Script(
		turn(use("draft_sale", map[string]any{"party": "Ramesh", "lines": []any{
			map[string]any{"item": "cheeni", "qty": 2}, map[string]any{"item": "Parle-G", "qty": 1}}})),
		turn(anthropictest.Text("Ramesh Gupta ke naam bill taiyaar hai: Sugar 2 kg, Parle-G 1. Kholkar check karke save karein.")),
		turn(use("draft_sale", map[string]any{"party": "Verma ji", "lines": []any{map[string]any{"item": "chai patti", "qty": 1}}})),
		turn(anthropictest.Text("Kaun se Verma ji? Anil Verma ya Sunil Verma?")))
	before, _ := sh.st.ListInvoices(store.InvoiceFilter{})
	a := srv.assistant(sh)
	ans, err := a.Ask(ctx, "2 kilo cheeni aur 1 Parle-G Ramesh ke naam bill bana do", assistant.Events{})
	mustOK(t, err)
	if len(ans.Drafts) != 1 || ans.Drafts[0].Sale == nil {
		t.Fatalf("drafts %+v", ans.Drafts)
	}
	d := ans.Drafts[0].Sale
	if d.Party == nil || d.Party.ID != sh.parties["ramesh"].ID || len(d.Lines) != 2 {
		t.Fatalf("draft %+v", d)
	}
	want := []struct {
		id   string
		qty  int64
		name string
	}{{sh.products["sugar"].ID, 2000, "Sugar"}, {sh.products["parleg"].ID, 1000, "Parle-G Biscuit 100g"}}
	for i, w := range want {
		l := d.Lines[i]
		if l.ProductID != w.id || l.QtyMilli != w.qty || l.Name != w.name || len(l.Choices) != 0 {
			t.Errorf("line %d: %+v, want %s × %d", i, l, w.name, w.qty)
		}
	}
	if d.Lines[0].Price != "45.00" || d.Lines[0].Unit != "KGS" {
		t.Errorf("sugar line %+v", d.Lines[0])
	}
	after, _ := sh.st.ListInvoices(store.InvoiceFilter{})
	if len(after) != len(before) {
		t.Fatal("a draft saved a bill")
	}

	ans, err = a.Ask(ctx, "Verma ji ke liye 1 chai patti ka bill", assistant.Events{})
	mustOK(t, err)
	d = ans.Drafts[0].Sale
	var names []string
	for _, c := range d.PartyChoices {
		names = append(names, c.Name)
	}
	if d.Party != nil || strings.Join(names, ",") != "Anil Verma,Sunil Verma" {
		t.Fatalf("unsure party: %+v", d)
	}
	if d.Lines[0].Name != "Tata Tea Gold 250g" {
		t.Errorf("chai patti: %+v", d.Lines[0])
	}
	res := result(t, ans.Steps[0])
	if p, _ := res["party"].(map[string]any); p["sure"] != false || len(p["choices"].([]any)) != 2 {
		t.Errorf("the model was not told to ask: %v", res["party"])
	}
}

// TestAskErrors: the server's refusals and the model's failures reach the
// shopkeeper as plain words with their codes; a dead link is "offline".
func TestAskErrors(t *testing.T) {
	sh := newShop(t)
	code := func(err error) string {
		var e *assistant.Error
		if !errors.As(err, &e) || e.Message == "" {
			t.Fatalf("not an *assistant.Error: %v", err)
		}
		return e.Code
	}
	t.Run("NotConfigured", func(t *testing.T) {
		srv := newServer(t, false)
		_, err := srv.assistant(sh).Ask(ctx, "aaj kitna becha?", assistant.Events{})
		if code(err) != protocol.CodeNotConfig || !strings.Contains(err.Error(), "not set up") {
			t.Fatal(err)
		}
	})
	t.Run("QuotaUsedUp", func(t *testing.T) {
		srv := newServer(t, true)
		srv.quota.limit = 0
		_, err := srv.assistant(sh).Ask(ctx, "aaj kitna becha?", assistant.Events{})
		if code(err) != protocol.CodeQuotaExceeded || !strings.Contains(err.Error(), "01-01-2027") {
			t.Fatal(err)
		}
		// The answer names the quota: which, its limit and the reset day,
		// so a screen can say it in Hindi too.
		var e *assistant.Error
		if !errors.As(err, &e) || e.Quota == nil || e.Quota.Feature != "ai" || e.Quota.Limit != 0 ||
			!strings.Contains(err.Error(), "AI questions") || !strings.Contains(err.Error(), "Settings → Plan") {
			t.Fatalf("%v (quota %+v)", err, e.Quota)
		}
		hi := map[string]string{"AI questions": "AI सवाल",
			"This month's %d %s are used up. They start again on %s. For more, choose a bigger plan in Settings → Plan.": "इस महीने के %d %s खत्म हो गए। ये %s को फिर मिलेंगे। ज़्यादा के लिए सेटिंग्स → प्लान में बड़ा प्लान चुनें।"}
		if got := syncapp.QuotaWords(*e.Quota, func(s string) string { return hi[s] }); got != "इस महीने के 0 AI सवाल खत्म हो गए। ये 01-01-2027 को फिर मिलेंगे। ज़्यादा के लिए सेटिंग्स → प्लान में बड़ा प्लान चुनें।" {
			t.Fatalf("in Hindi: %q", got)
		}
	})
	t.Run("RateLimited", func(t *testing.T) {
		srv := newServer(t, true)
		srv.fake.Script(anthropictest.Turn{Status: 429, RetryAfter: "12"})
		_, err := srv.assistant(sh).Ask(ctx, "aaj kitna becha?", assistant.Events{})
		var e *assistant.Error
		if code(err) != protocol.CodeRateLimited || !errors.As(err, &e) || e.RetryAfter.Seconds() != 12 {
			t.Fatal(err)
		}
	})
	t.Run("OverloadedMidStream", func(t *testing.T) {
		srv := newServer(t, true)
		srv.fake.Script(anthropictest.Turn{Blocks: []tu{anthropictest.Text("Aaj ki bikri")}, FailAfter: 4})
		var got string
		_, err := srv.assistant(sh).Ask(ctx, "aaj kitna becha?", assistant.Events{Text: func(s string) { got += s }})
		if code(err) != protocol.CodeOverloaded || !strings.Contains(err.Error(), "overloaded") || got == "" {
			t.Fatalf("%v (streamed %q)", err, got)
		}
	})
	t.Run("Overloaded", func(t *testing.T) {
		srv := newServer(t, true)
		srv.fake.Script(anthropictest.Turn{Status: 529})
		_, err := srv.assistant(sh).Ask(ctx, "aaj kitna becha?", assistant.Events{})
		if code(err) != protocol.CodeOverloaded {
			t.Fatal(err)
		}
	})
	t.Run("Offline", func(t *testing.T) {
		srv := newServer(t, true)
		srv.srv.Close()
		_, err := srv.assistant(sh).Ask(ctx, "aaj kitna becha?", assistant.Events{})
		if code(err) != assistant.CodeOffline || !strings.Contains(err.Error(), "offline") {
			t.Fatal(err)
		}
	})
	t.Run("TooManyRounds", func(t *testing.T) {
		srv := newServer(t, true)
		for range 2 {
			srv.fake.Script(turn(use("low_stock", nil)))
		}
		a := srv.assistant(sh)
		a.MaxRounds = 2
		ans, err := a.Ask(ctx, "kya khatam ho raha hai?", assistant.Events{})
		if code(err) != assistant.CodeTooManyRounds || len(ans.Steps) != 2 {
			t.Fatal(err)
		}
	})
	t.Run("Cancelled", func(t *testing.T) {
		srv := newServer(t, true)
		srv.fake.Script(turn(use("low_stock", nil)))
		c, cancel := context.WithCancel(ctx)
		_, err := srv.assistant(sh).Ask(c, "kya khatam ho raha hai?", assistant.Events{Step: func(assistant.Step) { cancel() }})
		if !errors.Is(err, context.Canceled) || srv.fake.Left() != 0 || len(srv.fake.Requests()) != 1 {
			t.Fatalf("%v after %d calls", err, len(srv.fake.Requests()))
		}
	})
}

// TestLanguage: the answer's language follows the question's.
func TestLanguage(t *testing.T) {
	for q, want := range map[string]assistant.Language{
		"aaj kitna becha?":                               assistant.Hinglish,
		"Sharma ji ka kitna baaki hai?":                  assistant.Hinglish,
		"आज कितनी बिक्री हुई?":                           assistant.Hindi,
		"How much did I sell today?":                     assistant.English,
		"Which items are running low?":                   assistant.English,
		"30 din se purane baaki walon ko reminder bhejo": assistant.Hinglish,
	} {
		if got := assistant.DetectLanguage(q); got != want {
			t.Errorf("%q: %s, want %s", q, got, want)
		}
	}
}
