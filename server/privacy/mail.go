package privacy

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/mail"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Email kinds.
const (
	MailAccountClosed = "account_closed" // transactional: the closing and its purge date
	MailPolicy        = "policy"         // transactional: a change of the privacy policy
	MailUpdate        = "update"         // marketing: product updates, only to those not opted out
)

// MailStore is what the emails need of the database.
type MailStore interface {
	ContactOf(ctx context.Context, accountID string) (store.Contact, error)
	OpenAccounts(ctx context.Context) ([]string, error)
	UnsubscribeToken(ctx context.Context, accountID string) (string, error)
	Unsubscribe(ctx context.Context, token string, now time.Time) (bool, error)
	MarketingAllowed(ctx context.Context, accountID string) (bool, error)
	EmailSent(ctx context.Context, accountID, kind, ref string) (bool, error)
	RecordEmail(ctx context.Context, accountID, kind, ref string, now time.Time) error
	CreateNotice(ctx context.Context, n store.Notice) error
	NoticesToEmail(ctx context.Context) ([]store.Notice, error)
	NoticeByID(ctx context.Context, id string) (store.Notice, error)
	MarkNoticeEmailed(ctx context.Context, id string, now time.Time) error
	UnseenNotices(ctx context.Context, accountID string) ([]store.Notice, error)
	MarkNoticeSeen(ctx context.Context, accountID, noticeID string, now time.Time) error
}

// EmailArgs is the job that sends one email. It holds ids (and, for a
// billing notice, our billing facts it states): the text is made when it
// is sent.
type EmailArgs struct {
	Mail      string        `json:"mail"`
	AccountID string        `json:"account_id"`
	Ref       string        `json:"ref"`
	Billing   *BillingFacts `json:"billing,omitempty"`
}

// Kind implements jobs.Args.
func (EmailArgs) Kind() string { return "email_send" }

func (s *Service) registerMail() {
	if s.cfg.Queue == nil {
		return
	}
	jobs.Register(s.cfg.Queue, jobs.Kind{Unique: true, MaxAttempts: 8, Timeout: time.Minute},
		func(ctx context.Context, j *jobs.Job[EmailArgs]) error { return s.SendEmail(ctx, j.Args) })
}

func (s *Service) mailStore() MailStore {
	ms, _ := s.cfg.Store.(MailStore)
	return ms
}

// queueEmail queues an email job (nothing when email is not configured).
func (s *Service) queueEmail(ctx context.Context, a EmailArgs) error {
	if s.cfg.Mail == nil || s.cfg.Queue == nil {
		return nil
	}
	_, err := s.cfg.Queue.Enqueue(ctx, a)
	return err
}

// SendEmail sends one email (the job's work): at most once per account,
// kind and ref once it has gone; marketing only to accounts that did not
// opt out; nothing to a purged account.
func (s *Service) SendEmail(ctx context.Context, a EmailArgs) error {
	ms := s.mailStore()
	if s.cfg.Mail == nil || ms == nil {
		return jobs.Permanent(mail.ErrNotConfigured)
	}
	if sent, err := ms.EmailSent(ctx, a.AccountID, a.Mail, a.Ref); err != nil || sent {
		return err
	}
	c, err := ms.ContactOf(ctx, a.AccountID)
	if core.ErrorCode(err) == protocol.CodeNotFound {
		return nil // purged meanwhile
	}
	if err != nil {
		return err
	}
	var m mail.Message
	m.To = c.Email
	switch a.Mail {
	case MailAccountClosed:
		cl, err := s.cfg.Store.ClosureOf(ctx, a.AccountID)
		if err != nil {
			return jobs.Permanent(err)
		}
		m.Subject = "Your AI Naukar account is closed"
		m.Text = fmt.Sprintf("Namaste %s,\n\nYour AI Naukar account was closed on %s. Every device is signed out and the books no longer sync.\n\n"+
			"On %s the server deletes everything it holds about your business, except our billing records, which Indian tax law makes us keep for 7 years.\n\n"+
			"Closed by mistake? Until that date, reply to this email and we can reopen the account. The books on your counter PCs stay where they are.\n\n— AI Naukar\n",
			c.Name, cl.ClosedAt.In(ist).Format("02-01-2006 15:04 IST"), cl.PurgeAt.In(ist).Format("02-01-2006")) +
			hindi + fmt.Sprintf("नमस्ते %s,\n\nआपका AI Naukar खाता %s को बंद हुआ। हर डिवाइस साइन आउट हो गया है और बहियाँ अब सिंक नहीं होतीं।\n\n"+
			"%s को सर्वर आपके व्यवसाय का सारा डेटा हटा देगा, सिवाय हमारे बिलिंग रिकॉर्ड के, जिन्हें भारतीय कर क़ानून के कारण हमें 7 साल रखना होता है।\n\n"+
			"ग़लती से बंद हुआ? उस तारीख़ तक इस ईमेल का जवाब दें, हम खाता फिर खोल सकते हैं। आपके काउंटर PC की बहियाँ वहीं रहती हैं।\n\n— AI Naukar\n",
			c.Name, cl.ClosedAt.In(ist).Format("02-01-2006 15:04 IST"), cl.PurgeAt.In(ist).Format("02-01-2006"))
	case MailPolicy, MailUpdate:
		if c.Closed {
			return nil
		}
		n, err := ms.NoticeByID(ctx, a.Ref)
		if err != nil {
			return jobs.Permanent(err)
		}
		m.Subject, m.Text = n.Subject, "Namaste "+c.Name+",\n\n"+n.Summary+"\n\n— AI Naukar\n"
		if a.Mail == MailUpdate {
			ok, err := ms.MarketingAllowed(ctx, a.AccountID)
			if err != nil || !ok {
				return err
			}
			tok, err := ms.UnsubscribeToken(ctx, a.AccountID)
			if err != nil {
				return err
			}
			m.Unsubscribe = strings.TrimRight(s.cfg.PublicURL, "/") + "/unsubscribe/" + tok
			m.Text += "\nNo more product updates: " + m.Unsubscribe + "\n"
		}
	case MailSignup, MailPaymentReceived, MailPaymentFailed, MailPlanChanged:
		if c.Closed {
			return nil
		}
		if err := accountMail(a, c.Name, &m); err != nil {
			return jobs.Permanent(err)
		}
	default:
		return jobs.Permanent(fmt.Errorf("unknown email kind %q", a.Mail))
	}
	if err := s.cfg.Mail.Send(ctx, m); err != nil {
		return err
	}
	return ms.RecordEmail(ctx, a.AccountID, a.Mail, a.Ref, s.cfg.Now())
}

var ist = time.FixedZone("IST", 5*3600+1800)

// Notify stores a notice (kind MailPolicy or MailUpdate) that the next run
// of the hourly job emails to every open account (updates only to those
// who did not opt out); policy notices are also shown once in the app.
func (s *Service) Notify(ctx context.Context, kind, version, subject, summary string) (store.Notice, error) {
	ms := s.mailStore()
	if ms == nil {
		return store.Notice{}, mail.ErrNotConfigured
	}
	version, summary = strings.TrimSpace(version), strings.TrimSpace(summary)
	if version == "" || summary == "" || len(summary) > 20000 {
		return store.Notice{}, core.Errorf(protocol.CodeInvalid, "Give a version and a summary of at most 20,000 characters.")
	}
	if subject == "" {
		subject = "AI Naukar privacy policy " + version
		if kind == MailUpdate {
			subject = "What's new in AI Naukar " + version
		}
	}
	n := store.Notice{ID: uuid.Must(uuid.NewV7()).String(), Kind: kind, Version: version, Subject: subject, Summary: summary, CreatedAt: s.cfg.Now()}
	return n, ms.CreateNotice(ctx, n)
}

// EmailNotices queues the emails of notices not yet emailed, one job per
// open account (the hourly job runs it). It returns how many were queued.
func (s *Service) EmailNotices(ctx context.Context) (int, error) {
	ms := s.mailStore()
	if ms == nil || s.cfg.Mail == nil {
		return 0, nil
	}
	ns, err := ms.NoticesToEmail(ctx)
	if err != nil || len(ns) == 0 {
		return 0, err
	}
	accounts, err := ms.OpenAccounts(ctx)
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, n := range ns {
		for _, a := range accounts {
			if err := s.queueEmail(ctx, EmailArgs{Mail: n.Kind, AccountID: a, Ref: n.ID}); err != nil {
				return queued, err
			}
			queued++
		}
		if err := ms.MarkNoticeEmailed(ctx, n.ID, s.cfg.Now()); err != nil {
			return queued, err
		}
	}
	return queued, nil
}

func (m *Module) notices(w http.ResponseWriter, r *http.Request, sess core.Session) {
	ms := m.s.mailStore()
	ns, err := ms.UnseenNotices(r.Context(), sess.AccountID)
	if err != nil {
		m.mux.Error(w, r, err)
		return
	}
	out := protocol.NoticesResponse{Notices: []protocol.Notice{}}
	for _, n := range ns {
		out.Notices = append(out.Notices, protocol.Notice{ID: n.ID, Version: n.Version, Summary: n.Summary, CreatedAt: n.CreatedAt})
	}
	m.mux.JSON(w, http.StatusOK, out)
}

func (m *Module) noticeSeen(w http.ResponseWriter, r *http.Request, sess core.Session) {
	if _, err := uuid.Parse(r.PathValue("id")); err != nil {
		m.mux.Error(w, r, core.Errorf(protocol.CodeNotFound, "No such notice."))
		return
	}
	if err := m.s.mailStore().MarkNoticeSeen(r.Context(), sess.AccountID, r.PathValue("id"), m.s.cfg.Now()); err != nil {
		m.mux.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

var unsubscribePage = template.Must(template.New("u").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>AI Naukar: product updates</title></head>
<body style="font-family:sans-serif;max-width:32rem;margin:2rem auto">
{{if .Done}}<p>You will get no more product updates from AI Naukar. Account and security emails still come.</p>
<p lang="hi">अब आपको AI Naukar के उत्पाद अपडेट ईमेल नहीं मिलेंगे।</p>
{{else}}<p>Stop the product update emails from AI Naukar?</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>{{end}}
</body></html>`))

// unsubscribe: GET shows a button (mail scanners follow links, so a GET
// never unsubscribes); POST, also the one-click POST of RFC 8058 that mail
// apps send from the List-Unsubscribe header, opts out.
func (m *Module) unsubscribe(w http.ResponseWriter, r *http.Request) {
	tok := r.PathValue("token")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodGet {
		_ = unsubscribePage.Execute(w, struct{ Done bool }{false})
		return
	}
	ok, err := m.s.mailStore().Unsubscribe(r.Context(), tok, m.s.cfg.Now())
	if err != nil {
		m.mux.Error(w, r, err)
		return
	}
	if !ok {
		http.Error(w, "This unsubscribe link is not valid (the account may have been deleted).", http.StatusNotFound)
		return
	}
	_ = unsubscribePage.Execute(w, struct{ Done bool }{true})
}
