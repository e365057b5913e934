package assistant_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/ainaukar/naukar/app/assistant"
	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/server/ai/anthropictest"
)

// oneTool is a model that asks for one tool and then answers: what is left
// of a question's time is the tool's run over the books.
type oneTool struct {
	name  string
	input map[string]any
}

func (m oneTool) Stream(_ context.Context, p anthropic.MessageNewParams, onText func(string)) (anthropic.Message, error) {
	content := []any{map[string]any{"type": "tool_use", "id": "toolu_1", "name": m.name, "input": m.input}}
	stop := "tool_use"
	if len(p.Messages) > 1 {
		onText("ok")
		content, stop = []any{map[string]any{"type": "text", "text": "ok"}}, "end_turn"
	}
	b, _ := json.Marshal(map[string]any{"id": "msg_b", "type": "message", "role": "assistant", "model": "bench",
		"content": content, "stop_reason": stop, "usage": map[string]any{"input_tokens": 1, "output_tokens": 1}})
	var msg anthropic.Message
	err := json.Unmarshal(b, &msg)
	return msg, err
}

// BenchmarkToolsLargeBooks: each tool answering a question on the large
// demo books (100,000 products, 5,000 parties, 200,000 invoices), with the
// model's side taken out: the time the shopkeeper waits on the PC.
func BenchmarkToolsLargeBooks(b *testing.B) {
	path, err := demo.Cached(context.Background(), demo.Large, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(path, store.Options{Now: func() time.Time { return demo.Today }})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	parties, err := st.ListParties("", 50)
	if err != nil || len(parties) == 0 {
		b.Fatal(err)
	}
	var party string
	for _, p := range parties {
		if p.Kind == books.Customer && p.Balance > 0 {
			party = p.Name
			break
		}
	}
	today := demo.Today.Format(books.DateLayout)
	month := demo.Today.Format("2006-01")
	from := demo.Today.AddDate(0, 0, 1-demo.Today.Day()).Format(books.DateLayout)
	rep := reports.New(st)
	for _, c := range []oneTool{
		{"sales_summary", map[string]any{"from": from, "to": today}},
		{"top_items", map[string]any{"from": from, "to": today, "limit": 10}},
		{"stock", map[string]any{"query": "cheeni"}},
		{"low_stock", map[string]any{}},
		{"party_dues", map[string]any{}},
		{"party_ledger", map[string]any{"party": party}},
		{"find_invoices", map[string]any{"party": party}},
		{"gst_summary", map[string]any{"month": month}},
		{"draft_sale", map[string]any{"party": party, "lines": []any{map[string]any{"item": "cheeni", "qty": 2}, map[string]any{"item": "Parle-G", "qty": 1}}}},
		{"draft_reminder", map[string]any{"party": party}},
	} {
		b.Run(c.name, func(b *testing.B) {
			a := &assistant.Assistant{Store: st, Reports: rep, Model: c}
			for b.Loop() {
				ans, err := a.Ask(context.Background(), "benchmark", assistant.Events{})
				if err != nil || len(ans.Steps) != 1 || ans.Steps[0].Error != "" {
					b.Fatalf("%v %+v", err, ans)
				}
			}
		})
	}
}

// BenchmarkServerRound: one question with one tool round through our
// server on loopback to the fake Anthropic API (which answers at once):
// what the app and the proxy add to the model's own time.
func BenchmarkServerRound(b *testing.B) {
	sh, srv := newShop(b), newServer(b, true)
	a := srv.assistant(sh)
	var firstSum time.Duration
	for b.Loop() {
		srv.fake.Script(turn(use("sales_summary", map[string]any{"from": today, "to": today})),
			turn(anthropictest.Text("Aaj 2 bill bane.")))
		var first time.Duration
		start := time.Now()
		if _, err := a.Ask(ctx, "aaj kitna becha?", assistant.Events{Text: func(string) {
			if first == 0 {
				first = time.Since(start)
			}
		}}); err != nil {
			b.Fatal(err)
		}
		firstSum += first
	}
	b.ReportMetric(float64(firstSum.Microseconds())/1000/float64(b.N), "ms-to-first-text")
}
