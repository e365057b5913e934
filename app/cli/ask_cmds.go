package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/ainaukar/naukar/app/assistant"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
)

func init() {
	register("ask", `ask "QUESTION" [--json]   (the AI assistant, through your sync server; drafts are printed, never saved)`, cmdAsk)
	register("ai eval", "ai eval [--json]   (run the assistant's evaluation set against the Anthropic API: needs ANTHROPIC_API_KEY and NAUKAR_AI_MODEL)", cmdAIEval)
}

// interruptible is a context that Ctrl+C cancels.
func interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

func cmdAsk(env *Env, args []string) error {
	fs := newFlags(env, "ask", `ask "QUESTION" [--json]`)
	asJSON := fs.Bool("json", false, `print {"answer", "steps":[{"tool","input","result"}], "drafts":[…]}`)
	q, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if rest := fs.Args(); len(rest) > 0 {
		q = strings.TrimSpace(q + " " + strings.Join(rest, " "))
	}
	if strings.TrimSpace(q) == "" {
		return usagef(`give the question in quotes: naukar ask "aaj kitna becha?"`)
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := assistant.ForBooks(s)
	if err != nil {
		return err
	}
	ctx, cancel := interruptible()
	defer cancel()
	var ev assistant.Events
	if !*asJSON {
		// The answer prints as it streams; steps go to stderr.
		ev.Text = func(t string) { fmt.Fprint(env.Stdout, t) }
		ev.Step = func(st assistant.Step) { fmt.Fprintf(env.Stderr, "  [looked up %s %s]\n", st.Tool, st.Input) }
	}
	ans, err := a.Ask(ctx, q, ev)
	if err != nil {
		if !*asJSON {
			fmt.Fprintln(env.Stdout)
		}
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, ans)
	}
	fmt.Fprintln(env.Stdout)
	for _, d := range ans.Drafts {
		printDraft(env, d)
	}
	return nil
}

// printDraft shows a draft and how to use it: nothing was saved or sent.
func printDraft(env *Env, d assistant.Draft) {
	w := env.Stdout
	switch d.Kind {
	case "sale":
		party := "walk-in customer"
		if d.Sale.Party != nil {
			party = d.Sale.Party.Name
		} else if len(d.Sale.PartyChoices) > 0 {
			party = "which one? " + choiceNames(d.Sale.PartyChoices)
		}
		fmt.Fprintf(w, "\nDraft bill (not saved) for %s:\n", party)
		for _, l := range d.Sale.Lines {
			if l.ProductID != "" {
				fmt.Fprintf(w, "  %s × %s %s @ ₹%s\n", l.Name, l.Qty, l.Unit, l.Price)
			} else {
				fmt.Fprintf(w, "  %q × %s: which item? %s\n", l.Asked, l.Qty, choiceNames(l.Choices))
			}
		}
		fmt.Fprintln(w, "Open the assistant in the window (Ctrl+J) to put it on the billing screen, check it and save.")
	case "reminder":
		r := d.Reminder
		fmt.Fprintf(w, "\nDraft reminder (not sent) to %s, ₹%s due:\n  %s\n", r.Party, r.Due, r.Message)
		if r.Link != "" {
			fmt.Fprintf(w, "Send it on WhatsApp: %s\n", r.Link)
		} else {
			fmt.Fprintln(w, "The party has no phone number in the books.")
		}
	}
}

func choiceNames(cs []assistant.Choice) string {
	if len(cs) == 0 {
		return "no match in the books"
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return strings.Join(names, " / ")
}

func cmdAIEval(env *Env, args []string) error {
	fs := newFlags(env, "ai eval", "ai eval [--json]")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	key, model := os.Getenv("ANTHROPIC_API_KEY"), os.Getenv("NAUKAR_AI_MODEL")
	if key == "" || model == "" {
		return usagef("set ANTHROPIC_API_KEY and NAUKAR_AI_MODEL (and ANTHROPIC_BASE_URL for another endpoint) to run the evaluation against the model")
	}
	cases, err := assistant.EvalCases()
	if err != nil {
		return err
	}
	ctx, cancel := interruptible()
	defer cancel()
	// Fresh demo books: the tools run on real books, never the shop's own.
	dir, err := os.MkdirTemp("", "naukar-eval-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "books.db")
	if err := demo.Build(ctx, path, demo.Size{Products: 300, Parties: 60, Invoices: 600, Purchases: 60, Expenses: 30, Seed: 15}); err != nil {
		return err
	}
	st, err := store.Open(path, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	a := &assistant.Assistant{Store: st, Reports: reports.New(st), Model: assistant.NewDirectModel(key, model, os.Getenv("ANTHROPIC_BASE_URL"))}
	rep := assistant.RunEval(ctx, a, cases)
	if *asJSON {
		return printJSON(env.Stdout, rep)
	}
	for _, c := range rep.Cases {
		mark := "pass"
		if !c.Pass {
			mark = "FAIL " + c.Why
		}
		fmt.Fprintf(env.Stdout, "%-28s %-40s %s\n", c.ID, strings.Join(c.Called, ","), mark)
	}
	fmt.Fprintf(env.Stdout, "%d of %d passed (model %s)\n", rep.Passed, rep.Total, model)
	return nil
}
