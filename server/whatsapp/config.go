package whatsapp

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Settings are the WhatsApp settings of the server (from the environment,
// see FromEnv): today one number sends for every business. A business with
// a number of its own would need its own Settings, kept encrypted at rest;
// the module reads every value from Settings, never from the environment,
// so that lookup can be added in one place.
type Settings struct {
	APIURL           string        // WHATSAPP_API_URL: Graph base with version
	Token            string        // WHATSAPP_TOKEN: a system user's access token
	PhoneNumberID    string        // WHATSAPP_PHONE_NUMBER_ID
	AppSecret        string        // WHATSAPP_APP_SECRET: signs webhooks
	VerifyToken      string        // WHATSAPP_VERIFY_TOKEN: the webhook handshake
	TemplateInvoice  string        // WHATSAPP_TEMPLATE_INVOICE
	TemplateReminder string        // WHATSAPP_TEMPLATE_REMINDER
	TemplateLang     string        // WHATSAPP_TEMPLATE_LANG
	Rate             float64       // WHATSAPP_RATE: messages per second, all businesses together
	RecipientGap     time.Duration // WHATSAPP_RECIPIENT_GAP: least time between two messages to one customer
}

// Defaults.
const (
	DefaultAPIURL           = "https://graph.facebook.com/v23.0"
	DefaultTemplateInvoice  = "naukar_invoice"
	DefaultTemplateReminder = "naukar_payment_reminder"
	DefaultTemplateLang     = "en"
	DefaultRate             = 20
	DefaultRecipientGap     = 6 * time.Second
)

// FromEnv reads Settings from the environment through getenv (os.Getenv).
// A malformed number is an error naming the variable; missing keys are
// not (the feature then says it is not configured).
func FromEnv(getenv func(string) string) (Settings, error) {
	or := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	s := Settings{
		APIURL:           or("WHATSAPP_API_URL", DefaultAPIURL),
		Token:            or("WHATSAPP_TOKEN", ""),
		PhoneNumberID:    or("WHATSAPP_PHONE_NUMBER_ID", ""),
		AppSecret:        or("WHATSAPP_APP_SECRET", ""),
		VerifyToken:      or("WHATSAPP_VERIFY_TOKEN", ""),
		TemplateInvoice:  or("WHATSAPP_TEMPLATE_INVOICE", DefaultTemplateInvoice),
		TemplateReminder: or("WHATSAPP_TEMPLATE_REMINDER", DefaultTemplateReminder),
		TemplateLang:     or("WHATSAPP_TEMPLATE_LANG", DefaultTemplateLang),
		Rate:             DefaultRate,
		RecipientGap:     DefaultRecipientGap,
	}
	if v := getenv("WHATSAPP_RATE"); v != "" {
		r, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || r <= 0 || r > 1000 {
			return s, fmt.Errorf("WHATSAPP_RATE must be a number of messages per second between 0 and 1000, not %q", v)
		}
		s.Rate = r
	}
	if v := getenv("WHATSAPP_RECIPIENT_GAP"); v != "" {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d < 0 {
			return s, fmt.Errorf("WHATSAPP_RECIPIENT_GAP must be a duration such as 6s, not %q", v)
		}
		s.RecipientGap = d
	}
	return s, nil
}

// Missing lists the settings that must be set before anything can be
// sent, by their environment names.
func (s Settings) Missing() []string {
	var out []string
	for _, f := range []struct{ name, v string }{
		{"WHATSAPP_TOKEN", s.Token}, {"WHATSAPP_PHONE_NUMBER_ID", s.PhoneNumberID},
		{"WHATSAPP_APP_SECRET", s.AppSecret}, {"WHATSAPP_VERIFY_TOKEN", s.VerifyToken},
	} {
		if f.v == "" {
			out = append(out, f.name)
		}
	}
	return out
}

// Configured reports whether the server can send.
func (s Settings) Configured() bool { return len(s.Missing()) == 0 }

// NotConfigured says in plain words what is missing ("" when configured).
func (s Settings) NotConfigured() string {
	m := s.Missing()
	if len(m) == 0 {
		return ""
	}
	return "WhatsApp is not configured on this server, so messages cannot be sent from it (send them from your own WhatsApp instead). " +
		"The server's administrator must set " + strings.Join(m, ", ") + " (see the README, \"WhatsApp\")."
}

// gap is the time between two sends at the configured rate.
func (s Settings) gap() time.Duration {
	if s.Rate <= 0 {
		return time.Second / DefaultRate
	}
	return time.Duration(float64(time.Second) / s.Rate)
}

// slotRun is how many sending slots an instance takes from the database
// at once: about a tenth of a second's worth at the configured rate.
func (s Settings) slotRun() int {
	return min(max(1, int(s.Rate/10)), 50)
}

// batchSize is how many messages of a push one job sends: about a
// quarter second's worth at the configured rate, at most 50.
func (s Settings) batchSize() int {
	return min(max(1, int(s.Rate/4)), 50)
}

// JobWorkers is the job queue's workers an instance needs to send at rate
// messages per second. A batch job sends its messages side by side, each
// waiting for its slot, so a few jobs keep the rate: 10 (the queue's
// default) and one more for every 20 messages a second (200/s: 20 jobs of
// 50 messages, 5 s of sends claimed at once).
func JobWorkers(rate float64) int {
	return 10 + int(math.Ceil(rate/20))
}
