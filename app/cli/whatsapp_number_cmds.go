package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/sync/protocol"
)

func init() {
	register("whatsapp number", "whatsapp number [--json]   (whether the shop sends WhatsApp from its own number)", cmdWhatsAppNumber)
	register("whatsapp connect", "whatsapp connect --phone-number-id ID [--template-invoice NAME --template-reminder NAME --lang en]   (send from the shop's own WhatsApp number; reads the access token and the app secret, one a line, from standard input)", cmdWhatsAppConnect)
	register("whatsapp disconnect", "whatsapp disconnect   (forget the shop's own number; messages go from the server's number again)", cmdWhatsAppDisconnect)
}

func cmdWhatsAppNumber(env *Env, args []string) error {
	fs := newFlags(env, "whatsapp number", "whatsapp number [--json]")
	asJSON := fs.Bool("json", false, "print the server's answer as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	return whatsappNumberRun(env, *asJSON, syncapp.WhatsAppNumber)
}

func cmdWhatsAppDisconnect(env *Env, args []string) error {
	fs := newFlags(env, "whatsapp disconnect", "whatsapp disconnect [--json]")
	asJSON := fs.Bool("json", false, "print the server's answer as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	return whatsappNumberRun(env, *asJSON, syncapp.DisconnectWhatsAppNumber)
}

func cmdWhatsAppConnect(env *Env, args []string) error {
	const use = "whatsapp connect --phone-number-id ID [--template-invoice NAME --template-reminder NAME --lang en] [--json]"
	fs := newFlags(env, "whatsapp connect", use)
	phoneID := fs.String("phone-number-id", "", "the number's phone number id (WhatsApp Manager → API Setup), not the phone number")
	tplInvoice := fs.String("template-invoice", "", "the invoice template's name, if not the server's")
	tplReminder := fs.String("template-reminder", "", "the payment reminder template's name, if not the server's")
	lang := fs.String("lang", "", "the templates' language code, if not the server's")
	asJSON := fs.Bool("json", false, "print the server's answer as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *phoneID == "" {
		return usagef("give the phone number id: naukar %s (the access token and app secret come on standard input, never as arguments)", use)
	}
	// Secrets never go on the command line, where the process list shows
	// them: the access token, then the app secret.
	lines, err := secretLines(env.Stdin, "give the access token and the app secret on standard input, one a line")
	if err != nil {
		return err
	}
	req := protocol.WANumberSettings{PhoneNumberID: *phoneID, Token: lines[0], AppSecret: lines[1],
		TemplateInvoice: *tplInvoice, TemplateReminder: *tplReminder, TemplateLang: *lang}
	return whatsappNumberRun(env, *asJSON, func(ctx context.Context, s *store.Store) (protocol.WANumberStatus, error) {
		return syncapp.ConnectWhatsAppNumber(ctx, s, req)
	})
}

// whatsappNumberRun asks the server with call and prints its answer.
func whatsappNumberRun(env *Env, asJSON bool, call func(ctx context.Context, s *store.Store) (protocol.WANumberStatus, error)) error {
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := call(ctx, s)
	if err != nil {
		return syncErr(err)
	}
	if asJSON {
		return printJSON(env.Stdout, st)
	}
	fmt.Fprintln(env.Stdout, WhatsAppNumberSummary(st))
	return nil
}

// WhatsAppNumberSummary says in plain lines which number the shop's
// WhatsApp messages go from (never a secret: the token's last 4 at most).
func WhatsAppNumberSummary(st protocol.WANumberStatus) string {
	if !st.Connected {
		s := "The shop's WhatsApp messages go from the server's number (the shop's own number is not connected)."
		if !st.Available {
			return s + " " + st.Message
		}
		return s + " To send from the shop's own number: naukar whatsapp connect --phone-number-id ID (access token and app secret on standard input)."
	}
	num := st.PhoneNumberID
	if st.DisplayPhone != "" {
		num = st.DisplayPhone + " (phone number id " + st.PhoneNumberID + ")"
	}
	s := "The shop's WhatsApp messages go from its own number " + num
	if st.ConnectedAt != nil {
		s += ", connected " + gst.FormatDay(st.ConnectedAt.In(istZone))
	}
	s += ".\nAccess token: set"
	if st.TokenLast4 != "" {
		s += " (ends …" + st.TokenLast4 + ")"
	}
	s += "; app secret: set.\nTemplates: " + st.TemplateInvoice + " and " + st.TemplateReminder + " (" + st.TemplateLang + ").\n" +
		"In the shop's Meta app (WhatsApp → Configuration → Webhook) give the callback URL " + st.WebhookURL +
		" with the verify token " + st.VerifyToken + ", and subscribe to the field messages."
	return s
}

// secretLines reads the two secrets a connect command takes on standard
// input, one a line (blank lines skipped), so they never show in the
// process list or the shell's history; missing ones are a usage error
// that says what to give.
func secretLines(in io.Reader, missing string) ([]string, error) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 4096), 64<<10)
	var lines []string
	for len(lines) < 2 && sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) < 2 {
		return nil, usagef("%s", missing)
	}
	return lines, nil
}
