// Package shopkeystest starts a sync server on loopback where a shop
// connects its own accounts (its WhatsApp Business number, its Razorpay
// keys for payment links), checked against the fakes of Meta's Graph API
// and Razorpay, for the app's tests.
package shopkeystest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/billing"
	"github.com/ainaukar/naukar/server/billing/razorpay/razorpaytest"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/secrets"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/whatsapp"
	"github.com/ainaukar/naukar/server/whatsapp/whatsapptest"
)

// Server is the sync server and the fakes it checks the shop's keys with.
type Server struct {
	URL      string
	Razorpay *razorpaytest.Fake
	Graph    *whatsapptest.Graph
	srv      *httptest.Server
}

// Start starts the server on a fresh SQLite store with the WhatsApp and
// billing modules and a secret key; it stops when the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.OpenSQLite(context.Background(), tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	box, err := secrets.New([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{Razorpay: razorpaytest.New(tb), Graph: whatsapptest.New(tb)}
	q := jobs.New(db, jobs.Config{Logger: quiet, PollInterval: 50 * time.Millisecond, SoleInstance: true})
	wa := whatsapp.New(whatsapp.Config{Store: db, Queue: q, Logger: quiet, Secrets: box, Settings: whatsapp.Settings{APIURL: s.Graph.Base(),
		Token: s.Graph.Token, PhoneNumberID: s.Graph.PhoneID, AppSecret: s.Graph.AppSecret, VerifyToken: "v",
		TemplateInvoice: whatsapp.DefaultTemplateInvoice, TemplateReminder: whatsapp.DefaultTemplateReminder, TemplateLang: "en", Rate: 100}})
	bill := billing.New(billing.Config{Store: db, Plans: plans.Defaults(), Logger: quiet, Queue: q, Secrets: box, ShopAPIURL: s.Razorpay.URL})
	if err := q.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	s.srv = httptest.NewServer(api.New(api.Config{Store: db, Logger: quiet, BcryptCost: 4, Modules: []api.Module{wa, bill}}))
	s.URL = s.srv.URL
	tb.Cleanup(func() {
		s.srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
		db.Close()
	})
	return s
}

// Stop stops the sync server (the shop's internet is down); the fakes
// stay up.
func (s *Server) Stop() { s.srv.Close() }
