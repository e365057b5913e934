// Package mail sends the server's emails through an SMTP relay
// (NAUKAR_SMTP_URL, NAUKAR_MAIL_FROM) with github.com/wneessen/go-mail:
// account notices (closing, policy changes) and, to those who did not opt
// out, product updates with a one-click unsubscribe (RFC 8058).
package mail

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Message is one email.
type Message struct {
	To      string
	Subject string
	Text    string
	// Unsubscribe, for marketing mail, is the one-click unsubscribe URL:
	// it becomes List-Unsubscribe with List-Unsubscribe-Post:
	// List-Unsubscribe=One-Click (RFC 8058).
	Unsubscribe string
}

// Sender sends email.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Mailer sends through an SMTP relay.
type Mailer struct {
	from string
	host string
	opts []gomail.Option
}

// ErrNotConfigured is returned by New when no SMTP URL is set.
var ErrNotConfigured = &core.Error{Code: protocol.CodeNotConfig, Message: "Email is not configured on this server (NAUKAR_SMTP_URL)."}

// New parses an SMTP URL: smtp://[user:password@]host[:port] (STARTTLS
// when the relay offers it; port 587 by default), smtps://… (TLS from the
// start, port 465), or smtp://…?tls=none for a relay on loopback. from is
// the sender address (NAUKAR_MAIL_FROM).
func New(rawURL, from string) (*Mailer, error) {
	if rawURL == "" {
		return nil, ErrNotConfigured
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("NAUKAR_SMTP_URL %q is not a URL such as smtp://user:password@smtp.example.in:587", redact(rawURL))
	}
	if from == "" {
		return nil, errors.New("NAUKAR_MAIL_FROM is not set: give the sender address, e.g. AI Naukar <no-reply@example.in>")
	}
	m := &Mailer{from: from, host: u.Hostname()}
	port := 587
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second)}
	switch u.Scheme {
	case "smtp":
		switch u.Query().Get("tls") {
		case "none":
			opts = append(opts, gomail.WithTLSPortPolicy(gomail.NoTLS))
		case "", "starttls":
			opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSMandatory))
		default:
			return nil, fmt.Errorf("NAUKAR_SMTP_URL: tls must be none or starttls")
		}
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("NAUKAR_SMTP_URL must start with smtp:// or smtps://")
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("NAUKAR_SMTP_URL: bad port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pw, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(u.User.Username()), gomail.WithPassword(pw))
	}
	m.opts = opts
	return m, nil
}

// redact drops the password from a URL for an error message.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}

// Send sends one message (plain text, UTF-8).
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	gm := gomail.NewMsg()
	if err := gm.From(m.from); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	if err := gm.To(msg.To); err != nil {
		return fmt.Errorf("mail to: %w", err)
	}
	gm.Subject(msg.Subject)
	gm.SetMessageID()
	gm.SetDate()
	gm.SetBodyString(gomail.TypeTextPlain, msg.Text)
	if msg.Unsubscribe != "" {
		gm.SetGenHeader(gomail.Header("List-Unsubscribe"), "<"+msg.Unsubscribe+">")
		gm.SetGenHeader(gomail.Header("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click")
	}
	c, err := gomail.NewClient(m.host, m.opts...)
	if err != nil {
		return fmt.Errorf("mail client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, gm); err != nil {
		// The error names the relay, never the password.
		return fmt.Errorf("send mail via %s: %w", m.host, err)
	}
	return nil
}
