package assistant

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// EvalCase is one question of the evaluation set with the tool calls a
// good answer makes. Expected inputs may use $today, $yesterday,
// $month_start, $month (YYYY-MM) and $last_month; a string is matched
// loosely (either contains the other, ignoring case), an array by its
// length and its elements' numbers, and keys left out are not checked.
type EvalCase struct {
	ID     string     `json:"id"`
	Q      string     `json:"q"`
	Lang   Language   `json:"lang"`
	Expect []EvalCall `json:"expect"`
}

// EvalCall is an expected tool call.
type EvalCall struct {
	Tool  string         `json:"tool"`
	Input map[string]any `json:"input,omitempty"`
}

// EvalOutcome is how one case went.
type EvalOutcome struct {
	ID     string   `json:"id"`
	Pass   bool     `json:"pass"`
	Called []string `json:"called"`
	Why    string   `json:"why,omitempty"`
}

// EvalReport is a run of the evaluation set.
type EvalReport struct {
	Passed int           `json:"passed"`
	Total  int           `json:"total"`
	Cases  []EvalOutcome `json:"cases"`
}

//go:embed testdata/eval.json
var evalJSON []byte

// EvalCases is the evaluation set (testdata/eval.json).
func EvalCases() ([]EvalCase, error) {
	var cs []EvalCase
	if err := json.Unmarshal(evalJSON, &cs); err != nil {
		return nil, fmt.Errorf("eval set: %w", err)
	}
	return cs, nil
}

// Expand fills the date placeholders of an expected input for now.
func Expand(v any, now time.Time) any {
	switch x := v.(type) {
	case string:
		first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
		return strings.NewReplacer("$today", now.Format("2006-01-02"), "$yesterday", now.AddDate(0, 0, -1).Format("2006-01-02"),
			"$month_start", first.Format("2006-01-02"), "$month", now.Format("2006-01"),
			"$last_month", first.AddDate(0, -1, 0).Format("2006-01")).Replace(x)
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = Expand(e, now)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Expand(e, now)
		}
		return out
	}
	return v
}

// fits reports whether got satisfies want (see EvalCase).
func fits(want, got any) bool {
	switch w := want.(type) {
	case string:
		g, ok := got.(string)
		if !ok {
			return false
		}
		w, g = strings.ToLower(w), strings.ToLower(g)
		return strings.Contains(g, w) || strings.Contains(w, g) && g != ""
	case float64:
		g, ok := got.(float64)
		return ok && g == w
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range w {
			if !fits(v, g[k]) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !fits(w[i], g[i]) {
				return false
			}
		}
		return true
	}
	return true
}

// RunEval asks every case and checks the tool calls made. A case fails
// when an expected call is missing (same tool, fitting input), when the
// question's language is misread, or when asking fails.
func RunEval(ctx context.Context, a *Assistant, cases []EvalCase) EvalReport {
	rep := EvalReport{Total: len(cases)}
	now := a.Store.Now()
	for _, c := range cases {
		out := EvalOutcome{ID: c.ID, Called: []string{}}
		ans, err := a.Ask(ctx, c.Q, Events{})
		if ans != nil {
			for _, s := range ans.Steps {
				out.Called = append(out.Called, s.Tool)
			}
		}
		switch {
		case err != nil:
			out.Why = err.Error()
		case DetectLanguage(c.Q) != c.Lang:
			out.Why = fmt.Sprintf("read as %s, not %s", DetectLanguage(c.Q), c.Lang)
		default:
			out.Pass = true
			for _, want := range c.Expect {
				found := false
				for _, s := range ans.Steps {
					var in any
					_ = json.Unmarshal(s.Input, &in)
					if s.Tool == want.Tool && (want.Input == nil || fits(Expand(want.Input, now), in)) {
						found = true
						break
					}
				}
				if !found {
					out.Pass = false
					out.Why = fmt.Sprintf("no %s call with input %v", want.Tool, Expand(want.Input, now))
					break
				}
			}
		}
		if out.Pass {
			rep.Passed++
		}
		rep.Cases = append(rep.Cases, out)
		if ctx.Err() != nil {
			break
		}
	}
	return rep
}
