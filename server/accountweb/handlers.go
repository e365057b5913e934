package accountweb

import (
	"bytes"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/privacy"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// page is what the template shows.
type page struct {
	Lang     string
	SignedIn bool
	CSRF     string // the session's form token, or the sign-in form's
	Error    string // a message key, or "!" and a service's own message
	Done     string // a message key of what just succeeded
	Login    string // the sign-in form's login, kept after a wrong password
	Closed   *closedView

	Account    core.Account
	Business   core.Business
	Devices    []core.Device
	Staff      []staff.Member
	Exports    []exportView
	Running    bool // an export is in progress: the page refreshes itself
	Marketing  bool
	Notices    []store.Notice
	Plan       *protocol.BillingStatus
	Invoices   []invoiceView
	Processors []processor
}

// closedView is the page after closing the account.
type closedView struct{ ClosedAt, PurgeAt time.Time }

type exportView struct {
	store.Export
	Percent int64
}

type invoiceView struct {
	protocol.BillingInvoice
	Total string
}

type processor struct{ Name, What string }

// T translates a message key (Hindi where the page is in Hindi); a key
// starting with "!" is a service's message, shown as it is.
func (p *page) T(key string) string {
	if m, ok := strings.CutPrefix(key, "!"); ok {
		return m
	}
	return tr(p.Lang, key)
}

// RoleLabel names a role in the page's language.
func (p *page) RoleLabel(r staff.Role) string { return tr(p.Lang, "role_"+string(r)) }

// Percent shows a cashier's discount limit.
func (p *page) Percent(bp int) string { return strconv.FormatFloat(float64(bp)/100, 'f', -1, 64) + "%" }

// Roles lists the roles for the add-staff form.
func (p *page) Roles() []staff.Role { return staff.Roles() }

// StateName names a state code.
func (p *page) StateName(code string) string {
	n, _ := gst.StateName(code)
	return n
}

func (m *Module) render(w http.ResponseWriter, r *http.Request, status int, p *page) {
	headers(w)
	if !p.SignedIn && p.Closed == nil {
		tok, err := m.signinToken(r.Context(), m.cfg.Now().Add(signinTokenTTL))
		if err != nil {
			m.log.Error("sign-in token", "err", err)
			http.Error(w, "The page cannot be shown now. Try again in a minute.", http.StatusServiceUnavailable)
			return
		}
		p.CSRF = tok
	}
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, p); err != nil {
		m.log.Error("render account page", "err", err)
		http.Error(w, "The page cannot be shown now.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// load reads everything the signed-in page shows. A part that cannot be
// read is left out and logged; the page still shows.
func (m *Module) load(r *http.Request, s web, errKey string) *page {
	ctx, now := r.Context(), m.cfg.Now()
	p := &page{Lang: s.ws.Lang, SignedIn: true, CSRF: s.ws.CSRF, Error: errKey, Processors: processors}
	var err error
	logErr := func(what string, e error) {
		if e != nil {
			m.log.Error("account page: read "+what, "err", e)
		}
	}
	p.Account, err = m.cfg.Store.Account(ctx, s.sess)
	logErr("account", err)
	p.Business, err = m.cfg.Store.Business(ctx, s.sess)
	logErr("business", err)
	p.Devices, err = m.cfg.Store.Devices(ctx, s.sess)
	logErr("devices", err)
	p.Staff, err = m.cfg.Store.StaffMembers(ctx, s.sess.BusinessID)
	logErr("staff", err)
	sortStaff(p.Staff)
	exps, err := m.cfg.Store.Exports(ctx, s.sess.BusinessID, now)
	logErr("exports", err)
	for _, e := range exps {
		p.Exports = append(p.Exports, exportView{Export: e, Percent: pct(e.Done, e.Total)})
		p.Running = p.Running || e.State == protocol.ExportQueued || e.State == protocol.ExportRunning
	}
	p.Marketing, err = m.cfg.Store.MarketingAllowed(ctx, s.sess.AccountID)
	logErr("email preferences", err)
	p.Notices, err = m.cfg.Store.UnseenNotices(ctx, s.sess.AccountID)
	logErr("notices", err)
	if m.cfg.Billing != nil {
		if st, err := m.cfg.Billing.Status(ctx, s.sess); err == nil {
			p.Plan = &st
		} else {
			logErr("plan", err)
		}
		invs, err := m.cfg.Billing.Invoices(ctx, s.sess)
		logErr("invoices", err)
		for _, inv := range invs {
			p.Invoices = append(p.Invoices, invoiceView{BillingInvoice: inv, Total: gst.FormatINR(inv.TotalPaise)})
		}
	}
	return p
}

// processors are the data processors the privacy policy names.
var processors = []processor{
	{"Anthropic", "proc_anthropic"},
	{"Meta (WhatsApp)", "proc_meta"},
	{"Razorpay", "proc_razorpay"},
	{"host", "proc_host"},
}

func sortStaff(ms []staff.Member) {
	rank := map[staff.Role]int{staff.Owner: 0, staff.Manager: 1, staff.Cashier: 2}
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0; j-- {
			a, b := ms[j-1], ms[j]
			if rank[a.Role] < rank[b.Role] || rank[a.Role] == rank[b.Role] && strings.ToLower(a.Name) <= strings.ToLower(b.Name) {
				break
			}
			ms[j-1], ms[j] = b, a
		}
	}
}

// done redirects after a form that worked (POST, redirect, GET), naming
// what was done so the page can say it.
func done(w http.ResponseWriter, r *http.Request, key, anchor string) {
	http.Redirect(w, r, "/account?done="+key+"#"+anchor, http.StatusSeeOther)
}

// doneKeys are the messages a redirect may name (nothing else from the
// query is shown).
var doneKeys = map[string]bool{"profile": true, "business": true, "export": true, "revoked": true, "staff_added": true,
	"staff_removed": true, "email_on": true, "email_off": true, "notice": true, "lang": true}

func (m *Module) show(w http.ResponseWriter, r *http.Request) {
	headers(w)
	s, ok := m.current(r)
	if !ok {
		m.render(w, r, http.StatusOK, &page{Lang: langOf(r, "")})
		return
	}
	p := m.load(r, s, "")
	if k := r.URL.Query().Get("done"); doneKeys[k] {
		p.Done = "done_" + k
	}
	m.render(w, r, http.StatusOK, p)
}

func (m *Module) signin(w http.ResponseWriter, r *http.Request) {
	headers(w)
	if err := r.ParseForm(); err != nil {
		m.render(w, r, http.StatusBadRequest, &page{Lang: langOf(r, ""), Error: "err_form"})
		return
	}
	lang, login := langOf(r, ""), strings.TrimSpace(r.PostForm.Get("login"))
	if !sameOrigin(r) || !m.checkSigninToken(r.Context(), r.PostForm.Get("csrf")) {
		m.render(w, r, http.StatusForbidden, &page{Lang: lang, Login: login, Error: "err_csrf"})
		return
	}
	la, err := m.mux.CheckPassword(r, login, r.PostForm.Get("password"), "(account page)")
	if err != nil {
		status, key := http.StatusUnauthorized, "err_login"
		if core.ErrorCode(err) == protocol.CodeRateLimited {
			status, key = http.StatusTooManyRequests, errorKey(err)
		} else if core.ErrorCode(err) != protocol.CodeUnauthorized {
			m.log.Error("account page sign-in", "err", err)
			status, key = http.StatusInternalServerError, "err_internal"
		}
		m.render(w, r, status, &page{Lang: lang, Login: login, Error: key})
		return
	}
	tok, now := randomToken(), m.cfg.Now()
	ws := store.WebSession{TokenHash: api.HashToken(tok), AccountID: la.Account.ID, BusinessID: la.BusinessID,
		CSRF: randomToken(), Lang: lang, CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
	if err := m.cfg.Store.CreateWebSession(r.Context(), ws); err != nil {
		m.log.Error("create web session", "err", err)
		m.render(w, r, http.StatusInternalServerError, &page{Lang: lang, Error: "err_internal"})
		return
	}
	m.setCookie(w, r, tok, int(SessionTTL/time.Second))
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

func (m *Module) signout(w http.ResponseWriter, r *http.Request, s web) {
	if err := m.cfg.Store.EndWebSession(r.Context(), s.ws.TokenHash); err != nil {
		m.render(w, r, http.StatusInternalServerError, m.load(r, s, "err_internal"))
		return
	}
	m.mux.Security(r, core.SecurityEvent{Kind: core.EventLogout, AccountID: s.sess.AccountID, BusinessID: s.sess.BusinessID,
		Detail: "account page"})
	m.setCookie(w, r, "", -1)
	http.Redirect(w, r, "/account?lang="+s.ws.Lang, http.StatusSeeOther)
}

// lang switches the language: of the session when signed in (a form with
// its token), else of the sign-in page (a link-like form, no state).
func (m *Module) lang(w http.ResponseWriter, r *http.Request) {
	headers(w)
	l := r.FormValue("lang")
	if l != "hi" {
		l = "en"
	}
	if _, ok := m.current(r); !ok {
		http.Redirect(w, r, "/account?lang="+l, http.StatusSeeOther)
		return
	}
	m.form(func(w http.ResponseWriter, r *http.Request, s web) {
		if err := m.cfg.Store.SetWebSessionLang(r.Context(), s.ws.TokenHash, l); err != nil {
			m.render(w, r, http.StatusInternalServerError, m.load(r, s, "err_internal"))
			return
		}
		http.Redirect(w, r, "/account", http.StatusSeeOther)
	})(w, r)
}

// field returns a pointer to a form value that was sent (nil when absent).
func field(r *http.Request, name string) *string {
	if _, ok := r.PostForm[name]; !ok {
		return nil
	}
	v := r.PostForm.Get(name)
	return &v
}

func (m *Module) fail(w http.ResponseWriter, r *http.Request, s web, err error) {
	status := api.StatusOf(core.ErrorCode(err))
	if status >= 500 {
		m.log.Error("account page", "path", r.URL.Path, "err", err)
	}
	m.render(w, r, status, m.load(r, s, errorKey(err)))
}

func (m *Module) profile(w http.ResponseWriter, r *http.Request, s web) {
	before, err := m.cfg.Store.Account(r.Context(), s.sess)
	if err != nil {
		m.fail(w, r, s, err)
		return
	}
	a, err := m.cfg.Privacy.CorrectAccount(r.Context(), s.sess, protocol.AccountPatch{Name: field(r, "name"),
		Email: field(r, "email"), Phone: field(r, "phone")})
	if err != nil {
		m.fail(w, r, s, err)
		return
	}
	m.mux.Security(r, core.SecurityEvent{Kind: privacy.EventAccountCorrected, AccountID: s.sess.AccountID,
		BusinessID: s.sess.BusinessID, Detail: privacy.AccountChanges(before, a) + " (account page)"})
	done(w, r, "profile", "profile")
}

func (m *Module) business(w http.ResponseWriter, r *http.Request, s web) {
	before, err := m.cfg.Store.Business(r.Context(), s.sess)
	if err != nil {
		m.fail(w, r, s, err)
		return
	}
	b, err := m.cfg.Privacy.CorrectBusiness(r.Context(), s.sess, protocol.BusinessPatch{Name: field(r, "name"),
		GSTIN: field(r, "gstin"), StateCode: field(r, "state_code"), Address: field(r, "address"),
		City: field(r, "city"), Category: field(r, "category")})
	if err != nil {
		m.fail(w, r, s, err)
		return
	}
	m.mux.Security(r, core.SecurityEvent{Kind: privacy.EventBusinessCorrected, AccountID: s.sess.AccountID,
		BusinessID: s.sess.BusinessID, Detail: privacy.BusinessChanges(before, b) + " (account page)"})
	done(w, r, "business", "business")
}

func (m *Module) startExport(w http.ResponseWriter, r *http.Request, s web) {
	id, err := m.cfg.Privacy.StartExport(r.Context(), s.sess)
	if err != nil {
		m.fail(w, r, s, err)
		return
	}
	m.mux.Security(r, core.SecurityEvent{Kind: privacy.EventExportStarted, AccountID: s.sess.AccountID,
		BusinessID: s.sess.BusinessID, Detail: "export " + id + " (account page)"})
	done(w, r, "export", "export")
}

func (m *Module) download(w http.ResponseWriter, r *http.Request, s web) {
	e, err := m.cfg.Privacy.Export(r.Context(), s.sess, r.PathValue("id"))
	if err == nil && e.State != protocol.ExportReady {
		err = core.Errorf(protocol.CodeConflict, "This export is not ready yet.")
	}
	if err != nil {
		m.fail(w, r, s, err)
		return
	}
	f, err := os.Open(m.cfg.Privacy.ExportPath(e))
	if err != nil {
		m.fail(w, r, s, core.Errorf(protocol.CodeNotFound, "The export file is gone. Start a new export."))
		return
	}
	defer f.Close()
	if r.Header.Get("Range") == "" {
		m.mux.Security(r, core.SecurityEvent{Kind: privacy.EventExportDownloaded, AccountID: s.sess.AccountID,
			BusinessID: s.sess.BusinessID, Detail: "export " + e.ID + " (account page)"})
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="naukar-export-`+e.CreatedAt.UTC().Format("20060102")+`.zip"`)
	http.ServeContent(w, r, "", e.CreatedAt, f)
}

func (m *Module) revoke(w http.ResponseWriter, r *http.Request, s web) {
	if _, err := m.mux.RevokeDevice(r, s.sess, r.PathValue("id"), "revoked on the account page"); err != nil {
		m.fail(w, r, s, err)
		return
	}
	done(w, r, "revoked", "devices")
}

func (m *Module) addStaff(w http.ResponseWriter, r *http.Request, s web) {
	in := core.NewStaff{Name: r.PostForm.Get("name"), Role: staff.Role(r.PostForm.Get("role")), PIN: r.PostForm.Get("pin"), DiscountLimitBP: -1}
	if v := strings.TrimSuffix(strings.TrimSpace(r.PostForm.Get("discount")), "%"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || f > 100 {
			m.fail(w, r, s, core.Errorf(protocol.CodeInvalid, "%s", tr(s.ws.Lang, "err_discount")))
			return
		}
		in.DiscountLimitBP = int(f*100 + 0.5)
	}
	mem, err := core.AddStaff(r.Context(), m.cfg.Store, s.sess, in, m.cfg.NewID(), m.cfg.PINParams, m.cfg.Now())
	if err != nil {
		m.fail(w, r, s, err)
		return
	}
	m.mux.StaffChanged(s.sess.BusinessID)
	m.mux.Security(r, core.SecurityEvent{Kind: core.EventStaffAdded, AccountID: s.sess.AccountID, BusinessID: s.sess.BusinessID,
		Detail: "staff " + mem.ID + " (" + string(mem.Role) + ") added on the account page"})
	done(w, r, "staff_added", "staff")
}

func (m *Module) removeStaff(w http.ResponseWriter, r *http.Request, s web) {
	mem, err := core.RemoveStaff(r.Context(), m.cfg.Store, s.sess, r.PathValue("id"), m.cfg.Now())
	if err != nil {
		m.fail(w, r, s, err)
		return
	}
	m.mux.StaffChanged(s.sess.BusinessID)
	m.mux.Security(r, core.SecurityEvent{Kind: core.EventStaffRemoved, AccountID: s.sess.AccountID, BusinessID: s.sess.BusinessID,
		Detail: "staff " + mem.ID + " removed on the account page"})
	done(w, r, "staff_removed", "staff")
}

func (m *Module) email(w http.ResponseWriter, r *http.Request, s web) {
	allowed := r.PostForm.Get("marketing") == "on"
	if err := m.cfg.Store.SetMarketing(r.Context(), s.sess.AccountID, allowed, m.cfg.Now()); err != nil {
		m.fail(w, r, s, err)
		return
	}
	if allowed {
		done(w, r, "email_on", "email")
	} else {
		done(w, r, "email_off", "email")
	}
}

func (m *Module) noticeSeen(w http.ResponseWriter, r *http.Request, s web) {
	if err := m.cfg.Store.MarkNoticeSeen(r.Context(), s.sess.AccountID, r.PathValue("id"), m.cfg.Now()); err != nil {
		m.fail(w, r, s, err)
		return
	}
	done(w, r, "notice", "notices")
}

func (m *Module) invoice(w http.ResponseWriter, r *http.Request, s web) {
	if m.cfg.Billing == nil {
		http.NotFound(w, r)
		return
	}
	pdf, number, err := m.cfg.Billing.InvoicePDF(r.Context(), s.sess, r.PathValue("id"))
	if err != nil {
		m.fail(w, r, s, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(number, "/", "-")+`.pdf"`)
	_, _ = w.Write(pdf)
}

func (m *Module) closeAccount(w http.ResponseWriter, r *http.Request, s web) {
	if r.PostForm.Get("confirm") != "yes" {
		m.fail(w, r, s, core.Errorf(protocol.CodeInvalid, "%s", tr(s.ws.Lang, "err_confirm")))
		return
	}
	devices, c, err := m.cfg.Privacy.CloseAccount(r.Context(), s.sess, r.PostForm.Get("password"))
	m.mux.DropSessions(devices...)
	if err != nil {
		m.fail(w, r, s, err)
		return
	}
	m.mux.Security(r, core.SecurityEvent{Kind: privacy.EventAccountClosed, AccountID: s.sess.AccountID, BusinessID: s.sess.BusinessID,
		Detail: "account closed on the account page; " + strconv.Itoa(len(devices)) + " devices signed out; purge on " + c.PurgeAt.UTC().Format("2006-01-02")})
	m.setCookie(w, r, "", -1)
	m.render(w, r, http.StatusOK, &page{Lang: s.ws.Lang, Closed: &closedView{ClosedAt: c.ClosedAt, PurgeAt: c.PurgeAt}})
}
