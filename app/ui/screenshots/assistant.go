package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/ainaukar/naukar/app/assistant"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/ui"
	"github.com/ainaukar/naukar/sync/protocol"
)

// shotModel stands in for the model in the screenshots (the tests use the
// fake Anthropic API through the real server): it asks for the tools a
// question needs, then answers from what the books' tools returned,
// streaming the words a few at a time.
type shotModel struct {
	calls func(q string) []map[string]any // tool_use blocks for the question
	words func(q string, results []map[string]any) string
	err   error
}

func (m *shotModel) Stream(_ context.Context, p anthropic.MessageNewParams, onText func(string)) (anthropic.Message, error) {
	if m.err != nil {
		return anthropic.Message{}, m.err
	}
	raw, _ := json.Marshal(p.Messages)
	var msgs []struct {
		Content []struct {
			Type    string `json:"type"`
			Text    string `json:"text"`
			Content any    `json:"content"`
		} `json:"content"`
	}
	_ = json.Unmarshal(raw, &msgs)
	q := msgs[0].Content[0].Text
	var content []map[string]any
	stop := "end_turn"
	if len(msgs) == 1 {
		for i, c := range m.calls(q) {
			c["type"], c["id"] = "tool_use", fmt.Sprintf("toolu_%d", i)
			content = append(content, c)
			stop = "tool_use"
		}
	} else {
		var results []map[string]any
		for _, c := range msgs[len(msgs)-1].Content {
			var text string
			switch v := c.Content.(type) {
			case string:
				text = v
			case []any:
				if b, ok := v[0].(map[string]any); ok {
					text, _ = b["text"].(string)
				}
			}
			var r map[string]any
			_ = json.Unmarshal([]byte(text), &r)
			results = append(results, r)
		}
		answer := m.words(q, results)
		for _, w := range strings.SplitAfter(answer, " ") {
			onText(w)
			time.Sleep(15 * time.Millisecond)
		}
		content = append(content, map[string]any{"type": "text", "text": answer})
	}
	b, _ := json.Marshal(map[string]any{"id": "msg_shot", "type": "message", "role": "assistant", "model": "shot",
		"content": content, "stop_reason": stop, "usage": map[string]any{"input_tokens": 1, "output_tokens": 1}})
	var msg anthropic.Message
	err := json.Unmarshal(b, &msg)
	return msg, err
}

func assistantModel(st *store.Store) *shotModel {
	now := st.Now()
	today := now.Format("2006-01-02")
	monthStart := now.AddDate(0, 0, 1-now.Day()).Format("2006-01-02")
	return &shotModel{
		calls: func(q string) []map[string]any {
			switch {
			case strings.Contains(q, "bill"):
				return []map[string]any{{"name": "draft_sale", "input": map[string]any{"party": "Sharma ji", "lines": []any{
					map[string]any{"item": "cheeni", "qty": 2}, map[string]any{"item": "Parle-G", "qty": 1}, map[string]any{"item": "Basmati Rice", "qty": 5}}}}}
			default:
				return []map[string]any{{"name": "sales_summary", "input": map[string]any{"from": monthStart, "to": today}},
					{"name": "party_dues", "input": map[string]any{}}}
			}
		},
		words: func(q string, rs []map[string]any) string {
			if strings.Contains(q, "bill") {
				return "Sharma ji ke naam bill ka draft taiyaar hai: **Basmati Rice 5 kg** mil gaya. \"cheeni\" aur \"Parle-G\" ke kai item hain, aur Sharma naam ke kai grahak — draft mein sahi wala chunein, phir **Ctrl+O** se billing screen par kholkar check karke save karein."
			}
			s, d := rs[0], rs[1]
			modes, _ := s["money_in_by_mode"].(map[string]any)
			var parts []string
			for k, v := range modes {
				parts = append(parts, fmt.Sprintf("%s ₹%v", k, v))
			}
			if strings.ContainsAny(q, "आकि") {
				return fmt.Sprintf("इस महीने (%s तक) **%v बिल** बने, कुल बिक्री **₹%v** (कर योग्य ₹%v, GST ₹%v)।\n\nभुगतान: %s।\n\nग्राहकों पर कुल बकाया **₹%v** है (%v पार्टियाँ)।",
					today, s["bills"], s["grand_total"], s["taxable"], s["tax"], strings.Join(parts, ", "), d["total_to_receive"], d["parties_with_dues"])
			}
			return fmt.Sprintf("This month (to %s) you made **%v bills** for **₹%v** in all (taxable ₹%v, GST ₹%v).\n\n- Received: %s\n- Customers owe you **₹%v** in all (%v parties).",
				today, s["bills"], s["grand_total"], s["taxable"], s["tax"], strings.Join(parts, ", "), d["total_to_receive"], d["parties_with_dues"])
		},
	}
}

// assistantShots shoots the AI assistant: empty, an answer, a draft with
// choices, a problem (set "assistant"; LANG=hi_IN for the Hindi one).
func assistantShots(a *ui.App, st *store.Store, m *shotModel, do func(func()), snap func(string), hindi bool) {
	ask := func(q string) {
		do(func() {
			a.Run(ui.ActAssistant)
			a.Assist.Question.SetText(q)
			a.Assist.Ask()
		})
		for i := 0; i < 200; i++ {
			time.Sleep(50 * time.Millisecond)
			var busy bool
			do(func() { busy = a.Assist.Asking() })
			if !busy {
				return
			}
		}
	}
	if hindi {
		ask("इस महीने कितनी बिक्री हुई और कितना बाकी है?")
		snap("34-assistant-hindi")
		m.err = &assistant.Error{Code: protocol.CodeQuotaExceeded, Quota: &protocol.QuotaInfo{Feature: "ai", Limit: 30,
			ResetsOn: time.Date(2026, 12, 1, 0, 0, 0, 0, time.FixedZone("IST", 5*3600+1800))}}
		ask("पिछले महीने का GST कितना बना?")
		snap("35-assistant-error-hindi")
		return
	}
	do(func() { a.Run(ui.ActAssistant) })
	snap("30-assistant")
	ask("How much did I sell this month, and how much do customers owe?")
	snap("31-assistant-answer")
	ask("2 kilo cheeni, 1 Parle-G aur 5 kilo basmati Sharma ji ke naam bill bana do")
	snap("32-assistant-draft")
	m.err = &assistant.Error{Code: protocol.CodeRateLimited, RetryAfter: 20 * time.Second}
	ask("aaj kitna becha?")
	snap("33-assistant-error")
}

// withAssistant gives the app the shot model over st.
func withAssistant(st *store.Store, opt *ui.Options) *shotModel {
	m := assistantModel(st)
	opt.Assistant = func() (ui.Asker, error) {
		return &assistant.Assistant{Store: st, Reports: reports.New(st), Model: m}, nil
	}
	return m
}
