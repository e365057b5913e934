// Package assistant is the AI assistant of the counter app: a question in
// English, Hindi or Hinglish goes to the model through our server
// (POST /v1/ai/messages), the model asks for tools, the tools run here
// against the local books (the same report and store functions the
// Reports screen uses), their results go back, until the model answers.
// Only what a question needs leaves the PC. Tools that would change the
// books only make drafts (a sale for the billing screen, a reminder for
// WhatsApp): nothing is saved or sent without the shopkeeper's click.
package assistant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
)

// Defaults of an Assistant.
const (
	DefaultMaxRounds = 6
	DefaultMaxTokens = 1024
)

// Model sends one Messages request and returns the model's whole message,
// handing text to onText as it streams. ServerModel reaches the model
// through our server.
type Model interface {
	Stream(ctx context.Context, p anthropic.MessageNewParams, onText func(string)) (anthropic.Message, error)
}

// Assistant answers questions over one books file.
type Assistant struct {
	Store     *store.Store
	Reports   *reports.Service
	Model     Model
	MaxRounds int   // model calls per question (0: DefaultMaxRounds)
	MaxTokens int64 // per model call (0: DefaultMaxTokens)
}

// Step is one tool the model used: what was looked up and what the books said.
type Step struct {
	Tool   string          `json:"tool"`
	Input  json.RawMessage `json:"input"`
	Result json.RawMessage `json:"result"`
	Error  string          `json:"error,omitempty"`
}

// Answer is the outcome of a question.
type Answer struct {
	Answer string  `json:"answer"`
	Steps  []Step  `json:"steps"`
	Drafts []Draft `json:"drafts"`
}

// Events hears a question's progress (either may be nil). They are called
// on the goroutine that called Ask.
type Events struct {
	Text func(delta string) // answer text as it streams
	Step func(Step)         // a tool ran
}

// ErrTooManyRounds is returned when the model keeps asking for tools.
var ErrTooManyRounds = &Error{Code: CodeTooManyRounds,
	Message: "The assistant needed too many steps for this question. Try asking something narrower."}

// Ask answers question. On an error the Answer holds what was done so far.
func (a *Assistant) Ask(ctx context.Context, question string, ev Events) (*Answer, error) {
	if strings.TrimSpace(question) == "" {
		return nil, &Error{Code: CodeInvalid, Message: "Type a question first."}
	}
	biz, err := a.Store.Business()
	if err != nil {
		return nil, err
	}
	lang := DetectLanguage(question)
	t := &tools{st: a.Store, rep: a.Reports, lang: lang}
	params := anthropic.MessageNewParams{
		Model:     anthropic.Model(serverModel),
		MaxTokens: cmpOr(a.MaxTokens, DefaultMaxTokens),
		System:    []anthropic.TextBlockParam{{Text: SystemPrompt(biz.Name, a.Store.Now(), lang)}},
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(question))},
		Tools:     toolParams(),
	}
	ans := &Answer{Steps: []Step{}, Drafts: []Draft{}}
	onText := func(s string) {
		if ev.Text != nil {
			ev.Text(s)
		}
	}
	rounds := int(cmpOr(int64(a.MaxRounds), DefaultMaxRounds))
	for range rounds {
		msg, err := a.Model.Stream(ctx, params, onText)
		if err != nil {
			ans.Drafts = append([]Draft{}, t.drafts...)
			return ans, err
		}
		params.Messages = append(params.Messages, msg.ToParam())
		var text []string
		var results []anthropic.ContentBlockParamUnion
		for _, b := range msg.Content {
			switch b.Type {
			case "text":
				text = append(text, b.Text)
			case "tool_use":
				st := a.run(ctx, t, b.Name, b.Input)
				ans.Steps = append(ans.Steps, st)
				if ev.Step != nil {
					ev.Step(st)
				}
				content := string(st.Result)
				if st.Error != "" {
					content = st.Error
				}
				results = append(results, anthropic.NewToolResultBlock(b.ID, content, st.Error != ""))
			}
		}
		if s := strings.TrimSpace(strings.Join(text, "\n")); s != "" {
			ans.Answer = s
		}
		if msg.StopReason != anthropic.StopReasonToolUse || len(results) == 0 {
			ans.Drafts = append([]Draft{}, t.drafts...)
			return ans, nil
		}
		if err := ctx.Err(); err != nil {
			ans.Drafts = append([]Draft{}, t.drafts...)
			return ans, err
		}
		params.Messages = append(params.Messages, anthropic.NewUserMessage(results...))
	}
	ans.Drafts = append([]Draft{}, t.drafts...)
	return ans, ErrTooManyRounds
}

// run runs one tool; a failure goes back to the model as an error result.
func (a *Assistant) run(ctx context.Context, t *tools, name string, input json.RawMessage) Step {
	st := Step{Tool: name, Input: append(json.RawMessage(nil), input...)}
	if len(st.Input) == 0 {
		st.Input = json.RawMessage("{}")
	}
	tool := toolByName(name)
	if tool == nil {
		st.Error = fmt.Sprintf("there is no tool %q", name)
		return st
	}
	res, err := tool.run(t, ctx, st.Input)
	if err != nil {
		st.Error = plain(err)
		return st
	}
	b, err := json.Marshal(res)
	if err != nil {
		st.Error = err.Error()
		return st
	}
	st.Result = b
	return st
}

// plain is an error's message without the operation prefixes.
func plain(err error) string {
	var e *books.Error
	if errors.As(err, &e) {
		return e.Msg
	}
	return err.Error()
}

func toolParams() []anthropic.ToolUnionParam {
	out := make([]anthropic.ToolUnionParam, len(Tools))
	for i, t := range Tools {
		req, _ := t.Schema["required"].([]string)
		tp := anthropic.ToolParam{Name: t.Name, Description: anthropic.String(t.Description),
			InputSchema: anthropic.ToolInputSchemaParam{Properties: t.Schema["properties"], Required: req}}
		out[i] = anthropic.ToolUnionParam{OfTool: &tp}
	}
	return out
}

func cmpOr(v, def int64) int64 {
	if v > 0 {
		return v
	}
	return def
}
