package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/messaging"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/sync/protocol"
)

func init() {
	register("whatsapp send", "whatsapp send NUMBER [--to PHONE]   (an invoice on WhatsApp; it goes at the next sync)", cmdWhatsAppSend)
	register("whatsapp remind", "whatsapp remind PARTY | --all | --rule [--after 3 --every 7 --max 3] [--preview]   (payment reminders on WhatsApp; --rule: the shop's rule unless given)", cmdWhatsAppRemind)
	register("whatsapp rule", "whatsapp rule [--after 3 --every 7 --max 3 | --off] [--json]   (the shop's automatic reminder rule: show, set or turn off)", cmdWhatsAppRule)
	register("whatsapp status", "whatsapp status [--json] [--limit 50]   (the WhatsApp messages and how far each got)", cmdWhatsAppStatus)
	register("whatsapp consent", "whatsapp consent PHONE   (a customer who replied STOP and wrote again agrees to reminders)", cmdWhatsAppConsent)
}

// whatsappState says whether these books send through their server; the
// server is asked for at most a few seconds.
func whatsappState(s *store.Store) syncapp.WhatsApp {
	return syncapp.WhatsAppState(context.Background(), s, 5*time.Second)
}

// usedUp refuses a send once this month's messages are used up (the
// server would refuse it too), in the quota's words.
func usedUp(s *store.Store, w syncapp.WhatsApp) error {
	if !w.UsedUp(s.Now()) {
		return nil
	}
	return fmt.Errorf("%s", syncapp.QuotaWords(protocol.QuotaInfo{Feature: "whatsapp", Limit: w.Status.Limit, ResetsOn: w.Status.ResetsOn}, nil))
}

func queuedLine(m store.WAMessage, w syncapp.WhatsApp) string {
	if w.Offline {
		return fmt.Sprintf("WhatsApp to %s: %s (`naukar sync` sends it; `naukar whatsapp status` shows how far it got.)", m.To, syncapp.OfflineNote)
	}
	return fmt.Sprintf("Queued on WhatsApp to %s: it goes at the next sync (naukar sync), and `naukar whatsapp status` shows how far it got.", m.To)
}

func cmdWhatsAppSend(env *Env, args []string) error {
	fs := newFlags(env, "whatsapp send", "whatsapp send NUMBER [--to PHONE]")
	to := fs.String("to", "", "send to this mobile number instead of the invoice's customer")
	number, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if number == "" || fs.NArg() > 1 {
		return usagef("give one invoice number")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	w := whatsappState(s)
	if err := usedUp(s, w); err != nil {
		return err
	}
	if !w.Connected {
		inv, _, err := s.Invoice(number)
		if err != nil {
			return err
		}
		phone := *to
		if phone == "" && inv.Party != nil {
			phone = inv.Party.Phone
		}
		name := ""
		if inv.Party != nil {
			name = inv.Party.Name
		}
		num, err := messaging.Recipient(name, phone)
		if err != nil {
			return err
		}
		biz, err := s.Business()
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s\nOpen this link to send it from your own WhatsApp (attach the PDF from `naukar print %s --pdf FILE`):\n%s\n",
			w.Reason, inv.Number, messaging.WaMe(num, messaging.InvoiceText(biz.Name, inv.Number, inv.GrandTotal)))
		return nil
	}
	m, err := s.SendInvoiceOnWhatsApp(context.Background(), number, *to)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Invoice %s: %s\n", m.InvoiceNumber, queuedLine(m, w))
	return nil
}

func cmdWhatsAppRemind(env *Env, args []string) error {
	fs := newFlags(env, "whatsapp remind", "whatsapp remind PARTY | --all | --rule [--after 3 --every 7 --max 3] [--preview]")
	all := fs.Bool("all", false, "remind every customer who owes you")
	byRule := fs.Bool("rule", false, "send today's reminders of the rule")
	preview := fs.Bool("preview", false, "with --rule: list the reminders the rule would send, and send nothing")
	after := fs.Int("after", messaging.DefaultRule.After, "rule: days after the bill")
	every := fs.Int("every", messaging.DefaultRule.Every, "rule: then every this many days")
	most := fs.Int("max", messaging.DefaultRule.Max, "rule: at most this many reminders")
	asJSON := fs.Bool("json", false, "print JSON")
	party, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if (party != "") == (*all || *byRule) || fs.NArg() > 1 || *all && *byRule {
		return usagef("give one party, or --all, or --rule")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := context.Background()
	rule := messaging.Rule{After: *after, Every: *every, Max: *most}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if !given["after"] && !given["every"] && !given["max"] {
		// The shop's own rule, when it has one.
		if r, err := s.ReminderRule(); err != nil {
			return err
		} else if r != nil {
			rule = *r
		}
	}
	if *preview {
		if err := rule.Validate(); err != nil {
			return err
		}
		dues, err := s.WhatsAppDues(ctx)
		if err != nil {
			return err
		}
		plan := rule.Preview(dues, time.Now())
		if *asJSON {
			type row struct {
				Party  string `json:"party"`
				Amount string `json:"amount"`
				On     string `json:"on"`
				Skip   string `json:"skip,omitempty"`
			}
			out := make([]row, 0, len(plan))
			for _, p := range plan {
				out = append(out, row{p.Name, gst.FormatAmount(p.Amount), p.On.Format("2006-01-02"), p.Skip})
			}
			return printJSON(env.Stdout, out)
		}
		fmt.Fprintf(env.Stdout, "Rule: %s.\n", rule)
		tw := tabwriter.NewWriter(env.Stdout, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "ON\tPARTY\tDUE\t")
		for _, p := range plan {
			note := ""
			if p.Skip != "" {
				note = "skipped: " + p.Skip
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", gst.FormatDay(p.On), p.Name, gst.FormatINR(p.Amount), note)
		}
		return tw.Flush()
	}
	w := whatsappState(s)
	if err := usedUp(s, w); err != nil {
		return err
	}
	if !w.Connected {
		if party == "" {
			return fmt.Errorf("%s", w.Reason)
		}
		p, err := s.FindParty(party)
		if err != nil {
			return err
		}
		num, err := messaging.Recipient(p.Name, p.Phone)
		if err != nil {
			return err
		}
		due, _ := s.PartyBalance(p.ID)
		biz, _ := s.Business()
		fmt.Fprintf(env.Stdout, "%s\nOpen this link to send it from your own WhatsApp:\n%s\n", w.Reason,
			messaging.WaMe(num, messaging.ReminderText(p.Name, due, biz.Name, biz.UPI)))
		return nil
	}
	if party != "" {
		m, err := s.RemindOnWhatsApp(ctx, party)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Reminder to %s for %s: %s\n", m.PartyName, gst.FormatINR(m.Amount), queuedLine(m, w))
		return nil
	}
	var res store.RemindResult
	if *all {
		res, err = s.RemindAll(ctx)
	} else {
		res, err = s.RemindByRule(ctx, rule, time.Now())
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, res)
	}
	fmt.Fprintf(env.Stdout, "%d reminders queued on WhatsApp; they go at the next sync (naukar sync).\n", len(res.Queued))
	for _, p := range res.Skipped {
		fmt.Fprintf(env.Stdout, "Skipped %s (%s): %s.\n", p.Name, gst.FormatINR(p.Amount), p.Skip)
	}
	return nil
}

// statusRow is one line of `naukar whatsapp status --json`.
type statusRow struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Invoice string `json:"invoice"`
	Party   string `json:"party"`
	To      string `json:"to"`
	Status  string `json:"status"`
	Error   string `json:"error"`
}

func cmdWhatsAppStatus(env *Env, args []string) error {
	fs := newFlags(env, "whatsapp status", "whatsapp status [--json] [--limit 50]")
	asJSON := fs.Bool("json", false, "print JSON: id, kind, invoice, party, to, status, error")
	limit := fs.Int("limit", 50, "newest this many messages")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	msgs, err := s.WhatsAppMessages(context.Background(), store.WAFilter{Limit: *limit})
	if err != nil {
		return err
	}
	rows := make([]statusRow, 0, len(msgs))
	for _, m := range msgs {
		rows = append(rows, statusRow{ID: m.ID, Kind: m.Kind, Invoice: m.InvoiceNumber, Party: m.PartyName, To: m.To, Status: m.State(), Error: m.Error})
	}
	if *asJSON {
		return printJSON(env.Stdout, rows)
	}
	if w := whatsappState(s); !w.Connected {
		fmt.Fprintln(env.Stdout, w.Reason)
	} else if line := w.QuotaLine(nil); line != "" {
		fmt.Fprintln(env.Stdout, line)
	}
	if len(rows) == 0 {
		fmt.Fprintln(env.Stdout, "No WhatsApp messages yet.")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tINVOICE\tPARTY\tTO\tSTATUS\t")
	for _, r := range rows {
		st := r.Status
		if r.Status == protocol.WAQueued {
			st = "queued (goes at the next sync)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", r.Kind, r.Invoice, r.Party, r.To, st)
		if r.Error != "" {
			fmt.Fprintf(tw, "\t\t\t\t  %s\t\n", strings.TrimSpace(r.Error))
		}
	}
	return tw.Flush()
}

func cmdWhatsAppConsent(env *Env, args []string) error {
	fs := newFlags(env, "whatsapp consent", "whatsapp consent PHONE")
	phone, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if phone == "" {
		return usagef("give the customer's mobile number")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.RecordWhatsAppConsent(context.Background(), phone); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "Consent recorded: reminders go to this customer again (after the next sync).")
	return nil
}

func cmdWhatsAppRule(env *Env, args []string) error {
	fs := newFlags(env, "whatsapp rule", "whatsapp rule [--after 3 --every 7 --max 3 | --off] [--json]")
	after := fs.Int("after", messaging.DefaultRule.After, "first reminder this many days after the bill")
	every := fs.Int("every", messaging.DefaultRule.Every, "then every this many days")
	most := fs.Int("max", messaging.DefaultRule.Max, "at most this many reminders")
	off := fs.Bool("off", false, "no automatic reminders")
	asJSON := fs.Bool("json", false, "print JSON: {\"rule\": {after_days, every_days, max} or null}")
	if err := parse(fs, args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	set := given["after"] || given["every"] || given["max"]
	if *off && set {
		return usagef("give --off, or the rule's days")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := context.Background()
	switch {
	case *off:
		if err := s.SetReminderRule(ctx, nil); err != nil {
			return err
		}
	case set:
		r := messaging.Rule{After: *after, Every: *every, Max: *most}
		if err := s.SetReminderRule(ctx, &r); err != nil {
			return err
		}
	}
	r, err := s.ReminderRule()
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, map[string]*messaging.Rule{"rule": r})
	}
	if r == nil {
		fmt.Fprintln(env.Stdout, "No automatic reminders. Set a rule with e.g. `naukar whatsapp rule --after 3 --every 7 --max 3`.")
		return nil
	}
	fmt.Fprintf(env.Stdout, "Automatic reminders: %s. Every counter applies the rule once a day with its background sync (or `naukar whatsapp remind --rule`); `naukar whatsapp remind --rule --preview` lists who gets one when.\n", r)
	return nil
}
