package privacy_test

import (
	"context"
	"encoding/base64"
	"io"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/jobs"
	servermail "github.com/ainaukar/naukar/server/mail"
	"github.com/ainaukar/naukar/server/mail/mailtest"
	"github.com/ainaukar/naukar/server/privacy"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// smtpServer is the shared SMTP test server (server/mail/mailtest), with
// what arrived grouped by recipient.
type smtpServer struct{ *mailtest.Server }

func startSMTP(t *testing.T) *smtpServer { return &smtpServer{mailtest.Start(t)} }

// waitFor waits until n messages have arrived and returns them by recipient.
func (ss *smtpServer) waitFor(t *testing.T, n int) map[string][]mailtest.Message {
	t.Helper()
	out := map[string][]mailtest.Message{}
	for _, m := range ss.WaitFor(t, n) {
		out[m.To] = append(out[m.To], m)
	}
	return out
}

func (ss *smtpServer) count() int { return len(ss.Messages()) }

func body(t *testing.T, m mailtest.Message) string {
	switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(m.Body)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	case "base64":
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(m.Body), ""))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	return m.Body
}

// TestEmails: through a real SMTP server, each signup is confirmed;
// closing an account sends its
// confirmation with the purge date; a policy notice goes to every open
// account and shows once in the app; product updates carry a one-click
// unsubscribe (RFC 8058), and after it no marketing mail reaches that
// account.
func TestEmails(t *testing.T) {
	for _, s := range storetest.Stores {
		t.Run(s.Name, func(t *testing.T) {
			ss := startSMTP(t)
			db := s.Open(t)
			e := &env{t: t, db: db, exportDir: t.TempDir()}
			e.clock.Store(time.Now().UnixMilli())
			e.q = jobs.New(db, jobs.Config{Logger: quiet, PollInterval: 50 * time.Millisecond, SoleInstance: true})
			mailer, err := servermail.New(ss.URL(), "AI Naukar <no-reply@example.in>")
			if err != nil {
				t.Fatal(err)
			}
			e.svc, err = privacy.New(privacy.Config{Store: db, Queue: e.q, Logger: quiet, Now: e.now, ExportDir: e.exportDir,
				Mail: mailer, PublicURL: "http://placeholder"})
			if err != nil {
				t.Fatal(err)
			}
			if err := e.q.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				_ = e.q.Stop(ctx)
			})
			e.srv = newHTTPServer(t, e)

			a, b, c := newMarkers(), newMarkers(), newMarkers()
			la, lb := e.signup(a), e.signup(b)
			lc := e.signup(c)
			ctx := context.Background()

			// Each signup is confirmed by email, with the rights named.
			got := ss.waitFor(t, 3)
			for _, m := range []markers{a, b, c} {
				if len(got[m.email]) != 1 || got[m.email][0].Header.Get("Subject") != "Welcome to AI Naukar: your account is ready" ||
					!strings.Contains(body(t, got[m.email][0]), "export all your data") || !strings.Contains(body(t, got[m.email][0]), "अपना सारा डेटा निर्यात") {
					t.Fatalf("signup confirmation to %s: %v", m.email, got[m.email])
				}
			}

			// A product update: every account gets it, with the headers.
			if _, err := e.svc.Notify(ctx, privacy.MailUpdate, "2.0", "", "Now with WhatsApp reminders."); err != nil {
				t.Fatal(err)
			}
			if n, err := e.svc.EmailNotices(ctx); err != nil || n != 3 {
				t.Fatalf("queued %d update emails, %v", n, err)
			}
			got = ss.waitFor(t, 6)
			upd := got[b.email][1]
			unsub := strings.Trim(upd.Header.Get("List-Unsubscribe"), "<>")
			if upd.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.HasPrefix(unsub, "http://placeholder/unsubscribe/") {
				t.Fatalf("update headers: %v", upd.Header)
			}
			if upd.Header.Get("Subject") != "What's new in AI Naukar 2.0" || !strings.Contains(body(t, upd), "WhatsApp reminders") {
				t.Errorf("update: %v", upd.Header)
			}
			// B's mail app sends the one-click POST (RFC 8058).
			path := strings.TrimPrefix(unsub, "http://placeholder")
			if st, raw := e.form("GET", path, ""); st != 200 || !strings.Contains(raw, "<form method=\"post\"") {
				t.Fatalf("unsubscribe page: %d %s", st, raw)
			}
			if st, raw := e.form("POST", path, "List-Unsubscribe=One-Click"); st != 200 || !strings.Contains(raw, "no more product updates") {
				t.Fatalf("one-click unsubscribe: %d %s", st, raw)
			}
			if st, _ := e.form("POST", "/unsubscribe/nosuchtoken", "List-Unsubscribe=One-Click"); st != 404 {
				t.Errorf("unknown token: %d", st)
			}

			// A policy change: every open account, opted out or not; the
			// app sees it once.
			if _, err := e.svc.Notify(ctx, privacy.MailPolicy, "2026-12", "", "We now keep error reports 30 days."); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.Notify(ctx, privacy.MailPolicy, "2026-12", "", "again"); err == nil {
				t.Error("the same policy version twice was accepted")
			}
			// A second update: not to B.
			if _, err := e.svc.Notify(ctx, privacy.MailUpdate, "2.1", "", "Faster reports."); err != nil {
				t.Fatal(err)
			}
			if n, err := e.svc.EmailNotices(ctx); err != nil || n != 6 {
				t.Fatalf("queued %d emails, %v", n, err)
			}
			got = ss.waitFor(t, 3+3+3+2)
			time.Sleep(300 * time.Millisecond) // a mail to B would have come by now
			if n := ss.count(); n != 11 {
				t.Errorf("%d emails, want 11 (no update to the account that unsubscribed)", n)
			}
			for _, m := range got[b.email] {
				if strings.Contains(m.Header.Get("Subject"), "2.1") {
					t.Errorf("marketing mail reached the account that unsubscribed: %v", m.Header)
				}
			}
			var notices protocol.NoticesResponse
			if st, _ := e.call("GET", "/v1/notices", la.Token, nil, &notices); st != 200 || len(notices.Notices) != 1 ||
				notices.Notices[0].Version != "2026-12" {
				t.Fatalf("notices: %d %+v", st, notices)
			}
			if st, raw := e.call("POST", "/v1/notices/"+notices.Notices[0].ID+"/seen", la.Token, nil, nil); st != 204 {
				t.Fatalf("seen: %d %s", st, raw)
			}
			e.call("GET", "/v1/notices", la.Token, nil, &notices)
			if len(notices.Notices) != 0 {
				t.Errorf("notice shown again after it was seen: %+v", notices)
			}
			e.call("GET", "/v1/notices", lb.Token, nil, &notices)
			if len(notices.Notices) != 1 {
				t.Errorf("B has not seen the notice yet: %+v", notices)
			}

			// Closing C: the confirmation names the purge date.
			var closed protocol.DeleteAccountResponse
			if st, raw := e.call("POST", "/v1/account/delete", lc.Token, protocol.DeleteAccountRequest{Password: password}, &closed); st != 200 {
				t.Fatalf("delete: %d %s", st, raw)
			}
			got = ss.waitFor(t, 12)
			last := got[c.email][len(got[c.email])-1]
			want := closed.PurgeAt.In(time.FixedZone("IST", 19800)).Format("02-01-2006")
			if last.Header.Get("Subject") != "Your AI Naukar account is closed" || !strings.Contains(body(t, last), want) ||
				!strings.Contains(body(t, last), want+" को सर्वर आपके व्यवसाय का सारा डेटा हटा देगा") {
				t.Errorf("closing email: %v, want the purge date %s", last.Header, want)
			}
			if from := last.Header.Get("From"); !strings.Contains(from, "no-reply@example.in") {
				t.Errorf("from %q", from)
			}
		})
	}
}

// TestMailConfig: a missing or malformed NAUKAR_SMTP_URL says what to set.
func TestMailConfig(t *testing.T) {
	if _, err := servermail.New("", "x@example.in"); err != servermail.ErrNotConfigured {
		t.Errorf("no URL: %v", err)
	}
	for _, bad := range []string{"http://smtp.example.in", "smtp://", "smtp://h?tls=maybe"} {
		if _, err := servermail.New(bad, "x@example.in"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	_, err := servermail.New("smtp://u:topsecret@smtp.example.in:bad", "x@example.in")
	if err == nil || strings.Contains(err.Error(), "topsecret") {
		t.Errorf("bad port: %v (must not show the password)", err)
	}
	if _, err := servermail.New("smtp://smtp.example.in", ""); err == nil || !strings.Contains(err.Error(), "NAUKAR_MAIL_FROM") {
		t.Errorf("no from: %v", err)
	}
}

func newHTTPServer(t *testing.T, e *env) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(api.New(api.Config{Store: e.db, Logger: quiet, Now: e.now, BcryptCost: bcrypt.MinCost,
		Modules: []api.Module{e.svc.Module()}}))
	t.Cleanup(srv.Close)
	return srv
}

// form sends a form body (or none) and returns the status and body text.
func (e *env) form(method, path, body string) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(raw)
}
