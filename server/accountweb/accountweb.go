// Package accountweb is the account web page at /account (issue 17): the
// owner signs in with the account's email or phone and password and finds
// every right of the privacy policy as a button — the profile and business
// (correct), devices (revoke), staff (add, remove), the plan and our
// invoices, an export (start, progress, download), email preferences,
// notices, the data processors, and closing the account.
//
// It is server-rendered HTML (html/template, embedded) that works without
// JavaScript, in English and Hindi. Its one cookie is the essential
// session cookie (HttpOnly, SameSite=Lax, Secure except on plain loopback
// for development); the session lives in the database, so signing out and
// closing the account end it on every instance. Every form carries a CSRF
// token; the Content-Security-Policy allows no script at all.
//
// The rules stay where they are: corrections, exports and closing in
// server/privacy, devices in server/api, staff in app/staff through
// core.AddStaff and core.RemoveStaff, the plan and invoices in
// server/billing. The handlers here only read the form, call, and render.
package accountweb

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/privacy"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// SessionTTL is how long a sign-in on the account page lasts.
const SessionTTL = 12 * time.Hour

// signinTokenTTL is how long the sign-in form can be sent after it was shown.
const signinTokenTTL = 2 * time.Hour

// CookieName is the page's one cookie: the session.
const CookieName = "naukar_account"

// Store is what the page reads and writes itself (the rest goes through
// the services named in Config).
type Store interface {
	core.StaffWriter
	Account(ctx context.Context, s core.Session) (core.Account, error)
	Business(ctx context.Context, s core.Session) (core.Business, error)
	Devices(ctx context.Context, s core.Session) ([]core.Device, error)
	Exports(ctx context.Context, businessID string, now time.Time) ([]store.Export, error)
	CreateWebSession(ctx context.Context, s store.WebSession) error
	WebSessionByToken(ctx context.Context, tokenHash string, now time.Time) (store.WebSession, error)
	SetWebSessionLang(ctx context.Context, tokenHash, lang string) error
	EndWebSession(ctx context.Context, tokenHash string) error
	WebKey(ctx context.Context) ([]byte, error)
	MarketingAllowed(ctx context.Context, accountID string) (bool, error)
	SetMarketing(ctx context.Context, accountID string, allowed bool, now time.Time) error
	UnseenNotices(ctx context.Context, accountID string) ([]store.Notice, error)
	MarkNoticeSeen(ctx context.Context, accountID, noticeID string, now time.Time) error
}

// Billing is the plan and our invoices (server/billing's Module).
type Billing interface {
	Status(ctx context.Context, s core.Session) (protocol.BillingStatus, error)
	Invoices(ctx context.Context, s core.Session) ([]protocol.BillingInvoice, error)
	InvoicePDF(ctx context.Context, s core.Session, id string) ([]byte, string, error)
}

// Config configures the page.
type Config struct {
	Store   Store
	Privacy *privacy.Service
	Billing Billing          // nil: no plan section
	Logger  *slog.Logger     // nil: slog.Default()
	Now     func() time.Time // nil: time.Now
	// PINParams hash the PINs of staff added here (zero: staff.DefaultParams).
	PINParams staff.Params
	// NewID makes ids of new staff records (nil: UUIDv7).
	NewID func() string
}

// Module is the account page (an api.Module).
type Module struct {
	cfg Config
	log *slog.Logger
	mux *api.Mux

	keyOnce sync.Once
	key     []byte
	keyErr  error
}

// New returns the page for cfg.
func New(cfg Config) *Module {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PINParams == (staff.Params{}) {
		cfg.PINParams = staff.DefaultParams
	}
	if cfg.NewID == nil {
		cfg.NewID = newUUID
	}
	return &Module{cfg: cfg, log: cmp.Or(cfg.Logger, slog.Default()).With("component", "accountweb")}
}

//go:embed page.html style.css
var files embed.FS

var pageTmpl = template.Must(template.New("page.html").Funcs(template.FuncMap{
	"date": func(t time.Time) string { return t.In(ist).Format("02-01-2006 15:04") },
	"day":  func(t time.Time) string { return t.In(ist).Format("02-01-2006") },
	"pct":  func(done, total int64) int64 { return pct(done, total) },
}).ParseFS(files, "page.html"))

var styleCSS, _ = files.ReadFile("style.css")

var ist = time.FixedZone("IST", 5*3600+1800)

func pct(done, total int64) int64 {
	if total <= 0 {
		return 0
	}
	return min(100, done*100/total)
}

// Mount implements api.Module.
func (m *Module) Mount(mux *api.Mux) {
	m.mux = mux
	mux.Public("GET /account", 0, m.show)
	mux.Public("GET /account/style.css", 0, m.style)
	mux.Public("POST /account/signin", 0, m.signin)
	mux.Public("POST /account/signout", 0, m.form(m.signout))
	mux.Public("POST /account/lang", 0, m.lang)
	mux.Public("POST /account/profile", 0, m.form(m.profile))
	mux.Public("POST /account/business", 0, m.form(m.business))
	mux.Public("POST /account/exports", 0, m.form(m.startExport))
	mux.Public("GET /account/exports/{id}", 0, m.session(m.download))
	mux.Public("POST /account/devices/{id}/revoke", 0, m.form(m.revoke))
	mux.Public("POST /account/staff", 0, m.form(m.addStaff))
	mux.Public("POST /account/staff/{id}/remove", 0, m.form(m.removeStaff))
	mux.Public("POST /account/email", 0, m.form(m.email))
	mux.Public("POST /account/notices/{id}/seen", 0, m.form(m.noticeSeen))
	mux.Public("GET /account/invoices/{id}", 0, m.session(m.invoice))
	mux.Public("POST /account/delete", 0, m.form(m.closeAccount))
}

// web is a signed-in request: the session row and the core session the
// services take (the account's owner: the password proves it).
type web struct {
	ws   store.WebSession
	sess core.Session
}

func webOf(ws store.WebSession) web {
	return web{ws: ws, sess: core.Session{AccountID: ws.AccountID, BusinessID: ws.BusinessID, Role: staff.Owner}}
}

// current returns the request's session, if its cookie names a live one.
func (m *Module) current(r *http.Request) (web, bool) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return web{}, false
	}
	ws, err := m.cfg.Store.WebSessionByToken(r.Context(), api.HashToken(c.Value), m.cfg.Now())
	if err != nil {
		if core.ErrorCode(err) != protocol.CodeUnauthorized {
			m.log.Error("read web session", "err", err)
		}
		return web{}, false
	}
	return webOf(ws), true
}

// session wraps a GET that needs a signed-in session.
func (m *Module) session(h func(w http.ResponseWriter, r *http.Request, s web)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		headers(w)
		s, ok := m.current(r)
		if !ok {
			http.Redirect(w, r, "/account", http.StatusSeeOther)
			return
		}
		h(w, r, s)
	}
}

// form wraps a POST of a signed-in page: the session, then the form's CSRF
// token (and the Origin, when the browser sends one) before h runs.
func (m *Module) form(h func(w http.ResponseWriter, r *http.Request, s web)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		headers(w)
		s, ok := m.current(r)
		if !ok {
			m.render(w, r, http.StatusUnauthorized, &page{Lang: langOf(r, ""), Error: "err_session"})
			return
		}
		if err := r.ParseForm(); err != nil {
			m.render(w, r, http.StatusBadRequest, m.load(r, s, "err_form"))
			return
		}
		tok := r.PostForm.Get("csrf")
		if !sameOrigin(r) || subtle.ConstantTimeCompare([]byte(tok), []byte(s.ws.CSRF)) != 1 {
			m.mux.Security(r, core.SecurityEvent{Kind: EventCSRFRefused, AccountID: s.sess.AccountID, BusinessID: s.sess.BusinessID,
				Detail: r.Method + " " + r.URL.Path})
			m.render(w, r, http.StatusForbidden, m.load(r, s, "err_csrf"))
			return
		}
		h(w, r, s)
	}
}

// EventCSRFRefused is the security-log kind of a form sent without the
// session's token (another site's form, or a stale page).
const EventCSRFRefused = "csrf_refused"

// sameOrigin refuses a POST whose Origin header names another site (a
// browser sends it with every form post; none means a non-browser client,
// which still needs the token).
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	if o == "null" {
		return false
	}
	i := strings.Index(o, "://")
	return i > 0 && o[i+3:] == r.Host
}

// headers are the page's security headers: no script at all, no framing,
// no referrer leaving the site.
func headers(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "+
		"frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
}

// secure reports whether the cookie gets Secure: always, except for a
// plain-HTTP request to a loopback name (development on one PC). Behind a
// TLS proxy the Host is the public name, so the cookie is Secure there.
func secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip == nil || !ip.IsLoopback()
}

func (m *Module) setCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: value, Path: "/account", MaxAge: maxAge,
		HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteLaxMode})
}

func randomToken() string {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(raw[:])
}

func newUUID() string { return uuid.Must(uuid.NewV7()).String() }

// signinToken is the sign-in form's CSRF token: its expiry, signed with
// the server's key (in the database, shared by every instance), as there
// is no session yet to keep it in.
func (m *Module) signinToken(ctx context.Context, expires time.Time) (string, error) {
	key, err := m.webKey(ctx)
	if err != nil {
		return "", err
	}
	exp := strconv.FormatInt(expires.Unix(), 10)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("signin:" + exp))
	return exp + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)), nil
}

func (m *Module) checkSigninToken(ctx context.Context, tok string) bool {
	exp, _, ok := strings.Cut(tok, ".")
	n, err := strconv.ParseInt(exp, 10, 64)
	if !ok || err != nil || !m.cfg.Now().Before(time.Unix(n, 0)) {
		return false
	}
	want, err := m.signinToken(ctx, time.Unix(n, 0))
	return err == nil && hmac.Equal([]byte(want), []byte(tok))
}

func (m *Module) webKey(ctx context.Context) ([]byte, error) {
	m.keyOnce.Do(func() { m.key, m.keyErr = m.cfg.Store.WebKey(ctx) })
	if m.keyErr != nil {
		err := m.keyErr
		m.keyOnce = sync.Once{} // try again on the next request
		return nil, err
	}
	return m.key, nil
}

// langOf is the page's language: the session's, else the form's or the
// query's ?lang=, else the browser's first choice (Hindi or English).
func langOf(r *http.Request, session string) string {
	for _, l := range []string{session, r.FormValue("lang")} {
		if l == "hi" || l == "en" {
			return l
		}
	}
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(r.Header.Get("Accept-Language"))), "hi") {
		return "hi"
	}
	return "en"
}

func (m *Module) style(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(styleCSS)
}

// errorKey turns a service's error into what the page shows: a known
// message key, or the service's own message (they are written for people).
func errorKey(err error) string {
	var e *core.Error
	if errors.As(err, &e) && e.Message != "" && e.Code != protocol.CodeInternal {
		return "!" + e.Message
	}
	return "err_internal"
}
