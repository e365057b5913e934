// Package mailtest is a real SMTP server on loopback for tests
// (emersion/go-smtp, AUTH PLAIN required): it keeps every message it
// receives, by recipient. Point server/mail at URL().
package mailtest

import (
	"bytes"
	"io"
	"net"
	"net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// User and Password are what the server accepts.
const (
	User     = "naukar"
	Password = "relay secret"
)

// Server is the SMTP server.
type Server struct {
	Addr string
	mu   sync.Mutex
	msgs []Message
}

// Message is one email received.
type Message struct {
	To     string
	Header mail.Header
	Body   string
}

// Start starts a server, stopped when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ss := &Server{}
	srv := smtp.NewServer(ss)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ss.Addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ss
}

// URL is the NAUKAR_SMTP_URL of the server.
func (ss *Server) URL() string {
	return "smtp://" + User + ":relay%20secret@" + ss.Addr + "?tls=none"
}

// WaitFor waits up to 15 s until n messages have arrived and returns all.
func (ss *Server) WaitFor(t testing.TB, n int) []Message {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ss.mu.Lock()
		out := append([]Message(nil), ss.msgs...)
		ss.mu.Unlock()
		if len(out) >= n {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d emails arrived in 15 s, want %d", len(out), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Messages returns what has arrived.
func (ss *Server) Messages() []Message {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return append([]Message(nil), ss.msgs...)
}

// NewSession implements smtp.Backend.
func (ss *Server) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{ss: ss}, nil }

type session struct {
	ss   *Server
	to   string
	auth bool
}

func (s *session) AuthMechanisms() []string { return []string{"PLAIN"} }
func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != User || pass != Password {
			return &smtp.SMTPError{Code: 535, Message: "bad credentials"}
		}
		s.auth = true
		return nil
	}), nil
}
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.auth {
		return &smtp.SMTPError{Code: 530, Message: "authentication required"}
	}
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(m.Body)
	s.ss.mu.Lock()
	s.ss.msgs = append(s.ss.msgs, Message{To: s.to, Header: m.Header, Body: string(body)})
	s.ss.mu.Unlock()
	return nil
}
func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }
