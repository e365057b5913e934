package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/sync/protocol"
)

func init() {
	register("account payment-links", "account payment-links [connect --key-id rzp_… | disconnect] [--json]   (the shop's own Razorpay keys, for payment links on invoices with a balance due; connect reads the key secret and the webhook secret, one a line, from standard input)", cmdAccountPaymentLinks)
}

func cmdAccountPaymentLinks(env *Env, args []string) error {
	const use = "account payment-links [connect --key-id rzp_… | disconnect] [--json]"
	action := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		action, args = args[0], args[1:]
	}
	fs := newFlags(env, "account payment-links", use)
	keyID := fs.String("key-id", "", "connect: the shop's Razorpay key id (rzp_live_… or rzp_test_…)")
	asJSON := fs.Bool("json", false, "print the server's answer as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var st protocol.ShopRazorpayStatus
	switch action {
	case "":
		st, err = syncapp.PaymentLinkKeys(ctx, s)
	case "connect":
		if *keyID == "" {
			return usagef("give the key id: naukar account payment-links connect --key-id rzp_live_… (the secrets come on standard input, never as arguments)")
		}
		// Secrets never go on the command line, where the process list
		// shows them: the key secret, then the webhook secret.
		lines, lerr := secretLines(env.Stdin, "give the key secret and the webhook secret on standard input, one a line")
		if lerr != nil {
			return lerr
		}
		st, err = syncapp.ConnectPaymentLinkKeys(ctx, s, protocol.ShopRazorpayKeys{KeyID: *keyID, KeySecret: lines[0], WebhookSecret: lines[1]})
	case "disconnect":
		st, err = syncapp.DisconnectPaymentLinkKeys(ctx, s)
	default:
		return usagef("naukar %s", use)
	}
	if err != nil {
		return syncErr(err)
	}
	if *asJSON {
		return printJSON(env.Stdout, st)
	}
	fmt.Fprintln(env.Stdout, PaymentLinksSummary(st))
	return nil
}

// PaymentLinksSummary says in plain lines whether payment links are on.
func PaymentLinksSummary(st protocol.ShopRazorpayStatus) string {
	if !st.Connected {
		s := "Payment links are off: the shop's Razorpay keys are not connected."
		if !st.Available {
			s += " " + st.Message
		} else {
			s += " Connect them with: naukar account payment-links connect --key-id rzp_live_… (key secret and webhook secret on standard input)."
		}
		return s
	}
	s := "Payment links are on with Razorpay key " + st.KeyID
	if st.ConnectedAt != nil {
		s += " (connected " + gst.FormatDay(st.ConnectedAt.In(istZone)) + ")"
	}
	return s + ".\nEvery invoice with a balance due gets a link, printed on it and sent in WhatsApp reminders.\n" +
		"In Razorpay (Account & Settings → Webhooks) add this address for the events payment_link.paid, payment_link.cancelled and payment_link.expired, with the webhook secret you gave:\n" + st.WebhookURL
}
