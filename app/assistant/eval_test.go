package assistant_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/assistant"
	"github.com/ainaukar/naukar/server/ai/anthropictest"
)

// TestEvalSet: the evaluation set has 30+ questions in the three
// languages, each with its expected tool calls, and the runner scores a
// model that makes those calls as passing and one that does not as failing
// (the real model runs with `naukar ai eval`).
func TestEvalSet(t *testing.T) {
	cases, err := assistant.EvalCases()
	mustOK(t, err)
	langs := map[assistant.Language]int{}
	ids := map[string]bool{}
	for _, c := range cases {
		langs[c.Lang]++
		if ids[c.ID] || len(c.Expect) == 0 || c.Q == "" {
			t.Errorf("case %+v: duplicate id or nothing expected", c)
		}
		ids[c.ID] = true
		for _, e := range c.Expect {
			found := false
			for _, tool := range assistant.Tools {
				found = found || tool.Name == e.Tool
			}
			if !found {
				t.Errorf("case %s expects unknown tool %s", c.ID, e.Tool)
			}
		}
	}
	if len(cases) < 30 || langs[assistant.English] < 8 || langs[assistant.Hindi] < 8 || langs[assistant.Hinglish] < 8 {
		t.Fatalf("%d cases by language %v", len(cases), langs)
	}

	sh, srv := newShop(t), newServer(t, true)
	now := sh.st.Now()
	for i, c := range cases {
		var blocks []anthropictest.Block
		for _, e := range c.Expect {
			in, _ := assistant.Expand(e.Input, now).(map[string]any)
			if i == 3 { // the runner must notice a wrong call
				e.Tool = "low_stock"
			}
			blocks = append(blocks, anthropictest.ToolUse(e.Tool, in))
		}
		srv.fake.Script(anthropictest.Turn{Blocks: blocks}, turn(anthropictest.Text("ok")))
	}
	rep := assistant.RunEval(ctx, srv.assistant(sh), cases)
	if rep.Total != len(cases) || rep.Passed != len(cases)-1 {
		t.Fatalf("passed %d of %d: %+v", rep.Passed, rep.Total, rep.Cases)
	}
	bad := rep.Cases[3]
	if bad.Pass || !strings.Contains(bad.Why, cases[3].Expect[0].Tool) || bad.Called[0] != "low_stock" {
		t.Fatalf("the wrong call passed: %+v", bad)
	}
	if got := assistant.Expand("$month_start..$today, $last_month", time.Date(2026, 1, 15, 9, 0, 0, 0, ist)); got != "2026-01-01..2026-01-15, 2025-12" {
		t.Errorf("expand %q", got)
	}
}
