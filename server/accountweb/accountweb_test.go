package accountweb_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/accountweb"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/billing"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/privacy"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

const password = "correct horse battery"

// env is the server with the privacy module and the account page, over
// loopback HTTP, on a fresh store.
type env struct {
	t   *testing.T
	db  *store.DB
	srv *httptest.Server
}

func newEnv(t *testing.T, open storetest.Opener) *env {
	t.Helper()
	e := &env{t: t, db: open(t)}
	q := jobs.New(e.db, jobs.Config{Logger: quiet, PollInterval: 50 * time.Millisecond, SoleInstance: true})
	priv, err := privacy.New(privacy.Config{Store: e.db, Queue: q, Logger: quiet, ExportDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
	})
	bill := billing.New(billing.Config{Store: e.db, Plans: plans.Defaults(), Logger: quiet})
	page := accountweb.New(accountweb.Config{Store: e.db, Privacy: priv, Billing: bill, Logger: quiet, PINParams: staff.TestParams})
	e.srv = httptest.NewServer(api.New(api.Config{Store: e.db, Logger: quiet, BcryptCost: bcrypt.MinCost,
		Modules: []api.Module{priv.Module(), bill, page}}))
	t.Cleanup(e.srv.Close)
	return e
}

// api sends a JSON request to the device API.
func (e *env) api(method, path, token string, body, out any) int {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil && strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, out); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
	return res.StatusCode
}

// signup makes an account and signs a device in; it returns the device.
func (e *env) signup(email, phone string) protocol.LoginResponse {
	e.t.Helper()
	if st := e.api("POST", "/v1/signup", "", protocol.SignupRequest{
		Owner:        protocol.SignupOwner{Name: "Asha Verma", Email: email, Phone: phone, Password: password},
		Business:     protocol.SignupBusiness{Name: "Verma Kirana", StateCode: "27", City: "Pune"},
		AgeConfirmed: true, TermsAccepted: true}, nil); st != http.StatusCreated {
		e.t.Fatalf("signup: %d", st)
	}
	var dev protocol.LoginResponse
	if st := e.api("POST", "/v1/login", "", protocol.LoginRequest{Login: email, Password: password, DeviceName: "Counter 1"}, &dev); st != 200 {
		e.t.Fatalf("login: %d", st)
	}
	return dev
}

// browser is a client with a cookie jar that does not follow redirects.
type browser struct {
	e    *env
	c    *http.Client
	csrf string // the token of the last page read
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get reads a page (following one redirect) and keeps its CSRF token.
func (b *browser) get(path string) (*http.Response, string) {
	b.e.t.Helper()
	res, err := b.c.Get(b.e.srv.URL + path)
	if err != nil {
		b.e.t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode == http.StatusSeeOther {
		return b.get(res.Header.Get("Location"))
	}
	if m := csrfField.FindSubmatch(body); m != nil {
		b.csrf = html.UnescapeString(string(m[1]))
	}
	return res, html.UnescapeString(string(body))
}

// post sends a form; with the page's token unless the form names its own.
func (b *browser) post(path string, form url.Values, hdr ...string) (*http.Response, string) {
	b.e.t.Helper()
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if m := csrfField.FindSubmatch(body); m != nil {
		b.csrf = html.UnescapeString(string(m[1]))
	}
	return res, html.UnescapeString(string(body))
}

func (b *browser) signin(login, pw string) *http.Response {
	b.e.t.Helper()
	b.get("/account")
	res, _ := b.post("/account/signin", url.Values{"login": {login}, "password": {pw}})
	return res
}

func wantStatus(t *testing.T, what string, res *http.Response, body string, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, want, body)
	}
}

// TestAccountPage works every part of the page on both stores: sign-in
// (wrong password, then right), the cookie and the headers, CSRF refusals,
// profile and business corrections, staff added and removed by the app's
// rules (the records reach a device through sync), a device revoked, an
// export started and downloaded, the marketing opt-out, signing out, and
// closing the account, which ends the page's session and the devices'.
func TestAccountPage(t *testing.T) {
	for _, s := range storetest.Stores {
		t.Run(s.Name, func(t *testing.T) {
			e := newEnv(t, s.Open)
			ctx := context.Background()
			dev := e.signup("asha@example.in", "9876501234")
			b := e.browser()

			res, body := b.get("/account")
			wantStatus(t, "sign-in page", res, body, 200)
			csp := res.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("CSP %q", csp)
			}
			if !strings.Contains(body, `action="/account/signin"`) || len(res.Cookies()) != 0 {
				t.Errorf("sign-in page: cookies %v\n%s", res.Cookies(), body)
			}
			if _, hi := b.get("/account?lang=hi"); !strings.Contains(hi, "साइन इन") {
				t.Errorf("Hindi sign-in page:\n%s", hi)
			}

			t.Run("ErrSigninWithoutToken", func(t *testing.T) {
				res, body := b.post("/account/signin", url.Values{"login": {"asha@example.in"}, "password": {password}, "csrf": {"1.bad"}})
				wantStatus(t, "sign-in without token", res, body, http.StatusForbidden)
			})
			res = b.signin("asha@example.in", "wrong password")
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("wrong password: %d", res.StatusCode)
			}
			// By mobile number, as typed with spaces and +91.
			res = b.signin("+91 98765 01234", password)
			wantStatus(t, "sign in", res, "", http.StatusSeeOther)
			var cookie *http.Cookie
			for _, c := range res.Cookies() {
				if c.Name == accountweb.CookieName {
					cookie = c
				}
			}
			if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure || len(res.Cookies()) != 1 {
				t.Fatalf("session cookie on loopback: %+v (all %v)", cookie, res.Cookies())
			}
			res, body = b.get("/account")
			if !strings.Contains(body, "Verma Kirana") || !strings.Contains(body, "Counter 1") {
				t.Fatalf("signed-in page:\n%s", body)
			}

			t.Run("ErrCSRF", func(t *testing.T) {
				res, body := b.post("/account/profile", url.Values{"name": {"Mallory"}, "csrf": {"forged"}})
				wantStatus(t, "forged token", res, body, http.StatusForbidden)
				res, body = b.post("/account/profile", url.Values{"name": {"Mallory"}}, "Origin", "https://evil.example")
				wantStatus(t, "other origin", res, body, http.StatusForbidden)
				a, _ := e.db.Account(ctx, sessOf(t, e, dev))
				if a.Name != "Asha Verma" {
					t.Errorf("a refused form changed the name to %q", a.Name)
				}
			})

			res, body = b.post("/account/profile", url.Values{"name": {"Asha Verma Rao"}, "email": {"asha@example.in"}, "phone": {"9876501234"}})
			wantStatus(t, "correct profile", res, body, http.StatusSeeOther)
			if a, _ := e.db.Account(ctx, sessOf(t, e, dev)); a.Name != "Asha Verma Rao" {
				t.Errorf("name after correction %q", a.Name)
			}
			res, body = b.post("/account/business", url.Values{"gstin": {"27AAAPL1234C1Z5"}})
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "GSTIN") {
				t.Errorf("bad GSTIN: %d\n%s", res.StatusCode, body)
			}
			res, body = b.post("/account/business", url.Values{"city": {"Nashik"}, "category": {"Kirana"}})
			wantStatus(t, "correct business", res, body, http.StatusSeeOther)
			if biz, _ := e.db.Business(ctx, sessOf(t, e, dev)); biz.City != "Nashik" || biz.Name != "Verma Kirana" {
				t.Errorf("business after correction %+v", biz)
			}

			t.Run("Staff", func(t *testing.T) {
				b.get("/account")
				res, body := b.post("/account/staff", url.Values{"name": {"Ravi"}, "role": {"cashier"}, "pin": {"2580"}})
				if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Add yourself first") {
					t.Fatalf("a cashier first: %d\n%s", res.StatusCode, body)
				}
				res, body = b.post("/account/staff", url.Values{"name": {"Asha"}, "role": {"owner"}, "pin": {"1234"}})
				if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "too easy") {
					t.Fatalf("easy PIN: %d\n%s", res.StatusCode, body)
				}
				res, body = b.post("/account/staff", url.Values{"name": {"Asha"}, "role": {"owner"}, "pin": {"2580"}})
				wantStatus(t, "add owner", res, body, http.StatusSeeOther)
				res, body = b.post("/account/staff", url.Values{"name": {"Ravi"}, "role": {"cashier"}, "pin": {"3691"}, "discount": {"2.5"}})
				wantStatus(t, "add cashier", res, body, http.StatusSeeOther)
				res, body = b.post("/account/staff", url.Values{"name": {"ravi"}, "role": {"manager"}, "pin": {"3692"}})
				if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "already a staff member") {
					t.Fatalf("a name taken: %d\n%s", res.StatusCode, body)
				}
				members, err := e.db.StaffMembers(ctx, dev.BusinessID)
				if err != nil || len(members) != 2 {
					t.Fatalf("staff %v %v", members, err)
				}
				var owner, cashier staff.Member
				for _, m := range members {
					if m.Role == staff.Owner {
						owner = m
					} else {
						cashier = m
					}
				}
				if cashier.DiscountLimitBP != 250 || !staff.VerifyPIN(cashier.PINHash, "3691") {
					t.Errorf("cashier %+v", cashier)
				}
				// The device pulls the records the page wrote.
				var page struct {
					Changes []protocol.Change `json:"changes"`
				}
				if st := e.api("GET", "/v1/sync/pull?since=0", dev.Token, nil, &page); st != 200 {
					t.Fatalf("pull %d", st)
				}
				got := 0
				for _, c := range page.Changes {
					if c.Table == staff.Table {
						got++
					}
				}
				if got != 2 {
					t.Errorf("the device pulled %d staff records, want 2", got)
				}
				// The device now has staff and nobody signed in with a
				// PIN: it is a cashier's (the server's roles follow at once).
				if st := e.api("GET", "/v1/devices", dev.Token, nil, nil); st != http.StatusForbidden {
					t.Errorf("devices from a counter with staff and no PIN: %d, want 403", st)
				}
				_, body = b.get("/account")
				if !strings.Contains(body, "Ravi") || !strings.Contains(body, "2.5%") {
					t.Errorf("staff on the page:\n%s", body)
				}
				res, body = b.post("/account/staff/"+owner.ID+"/remove", url.Values{})
				if res.StatusCode != http.StatusConflict || !strings.Contains(body, "only owner") {
					t.Fatalf("remove the only owner: %d\n%s", res.StatusCode, body)
				}
				res, body = b.post("/account/staff/"+cashier.ID+"/remove", url.Values{})
				wantStatus(t, "remove cashier", res, body, http.StatusSeeOther)
				res, body = b.post("/account/staff/"+owner.ID+"/remove", url.Values{})
				wantStatus(t, "remove the last member, an owner", res, body, http.StatusConflict)
			})

			t.Run("PlanAndInvoices", func(t *testing.T) {
				inv := plans.NewInvoice(plans.Seller{Name: "AI Naukar", GSTIN: "29AAGCB1286Q1Z4", SAC: "998315"},
					plans.Buyer{Name: "Verma Kirana", StateCode: "27"}, 49900, time.Now())
				inv.BusinessID, inv.PaymentID, inv.Plan, inv.PlanName = dev.BusinessID, "pay_test1", "pro", "Pro"
				got, _, err := e.db.CreateInvoice(ctx, inv)
				if err != nil {
					t.Fatal(err)
				}
				_, body := b.get("/account")
				if !strings.Contains(body, `id="plan-name">Free<`) || !strings.Contains(body, got.Number) || !strings.Contains(body, "₹499.00") {
					t.Fatalf("plan section:\n%s", body)
				}
				res, err := b.c.Get(e.srv.URL + "/account/invoices/" + got.ID)
				if err != nil {
					t.Fatal(err)
				}
				pdf, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
					t.Errorf("invoice PDF: %d %q", res.StatusCode, pdf[:min(len(pdf), 8)])
				}
			})

			t.Run("RevokeDevice", func(t *testing.T) {
				var other protocol.LoginResponse
				if st := e.api("POST", "/v1/login", "", protocol.LoginRequest{Login: "asha@example.in", Password: password, DeviceName: "Laptop"}, &other); st != 200 {
					t.Fatalf("login %d", st)
				}
				b.get("/account")
				res, body := b.post("/account/devices/"+other.DeviceID+"/revoke", url.Values{})
				wantStatus(t, "revoke", res, body, http.StatusSeeOther)
				if st := e.api("GET", "/v1/me", other.Token, nil, nil); st != http.StatusUnauthorized {
					t.Errorf("revoked device's token: %d", st)
				}
			})

			t.Run("Export", func(t *testing.T) {
				b.get("/account")
				res, body := b.post("/account/exports", url.Values{})
				wantStatus(t, "start export", res, body, http.StatusSeeOther)
				var id string
				deadline := time.Now().Add(30 * time.Second)
				for {
					exps, err := e.db.Exports(ctx, dev.BusinessID, time.Now())
					if err != nil || len(exps) != 1 {
						t.Fatalf("exports %v %v", exps, err)
					}
					if exps[0].State == protocol.ExportReady {
						id = exps[0].ID
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("export still %s", exps[0].State)
					}
					_, body = b.get("/account")
					if !strings.Contains(body, `http-equiv="refresh"`) && exps[0].State != protocol.ExportReady {
						// it may have finished between the two reads
						if ex, _ := e.db.Exports(ctx, dev.BusinessID, time.Now()); ex[0].State != protocol.ExportReady {
							t.Fatalf("page of a running export does not refresh itself")
						}
					}
					time.Sleep(50 * time.Millisecond)
				}
				_, body = b.get("/account")
				if !strings.Contains(body, "/account/exports/"+id) {
					t.Fatalf("no download link:\n%s", body)
				}
				res, err := b.c.Get(e.srv.URL + "/account/exports/" + id)
				if err != nil {
					t.Fatal(err)
				}
				zipped, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/zip" {
					t.Fatalf("download: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
				}
				zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, f := range zr.File {
					if f.Name == "README.txt" {
						found = true
					}
				}
				if !found {
					t.Errorf("no README.txt in the export")
				}
				// Another browser, not signed in, gets the sign-in page.
				res, err = e.browser().c.Get(e.srv.URL + "/account/exports/" + id)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusSeeOther {
					t.Errorf("download without a session: %d", res.StatusCode)
				}
			})

			t.Run("MarketingOptOut", func(t *testing.T) {
				b.get("/account")
				res, body := b.post("/account/email", url.Values{})
				wantStatus(t, "opt out", res, body, http.StatusSeeOther)
				if ok, err := e.db.MarketingAllowed(ctx, sessOf(t, e, dev).AccountID); err != nil || ok {
					t.Errorf("marketing allowed after opting out: %v %v", ok, err)
				}
			})

			t.Run("SignOut", func(t *testing.T) {
				b.get("/account")
				old := b.c.Jar.Cookies(mustURL(e.srv.URL + "/account"))
				res, body := b.post("/account/signout", url.Values{})
				wantStatus(t, "sign out", res, body, http.StatusSeeOther)
				// The old cookie, sent again, is no session any more.
				c := e.browser()
				c.c.Jar.SetCookies(mustURL(e.srv.URL+"/account"), old)
				_, body = c.get("/account")
				if !strings.Contains(body, `action="/account/signin"`) {
					t.Errorf("the cookie still works after signing out")
				}
			})

			t.Run("Close", func(t *testing.T) {
				if res := b.signin("asha@example.in", password); res.StatusCode != http.StatusSeeOther {
					t.Fatalf("sign in again: %d", res.StatusCode)
				}
				b.get("/account")
				res, body := b.post("/account/delete", url.Values{"password": {"wrong"}, "confirm": {"yes"}})
				wantStatus(t, "close, wrong password", res, body, http.StatusUnauthorized)
				other := e.browser()
				if res := other.signin("asha@example.in", password); res.StatusCode != http.StatusSeeOther {
					t.Fatalf("second browser: %d", res.StatusCode)
				}
				res, body = b.post("/account/delete", url.Values{"password": {password}, "confirm": {"yes"}})
				wantStatus(t, "close", res, body, http.StatusOK)
				if !strings.Contains(body, "Your account is closed") || !regexp.MustCompile(`\d\d-\d\d-\d{4}`).MatchString(body) {
					t.Errorf("closed page:\n%s", body)
				}
				if st := e.api("GET", "/v1/me", dev.Token, nil, nil); st != http.StatusUnauthorized {
					t.Errorf("device token after closing: %d", st)
				}
				_, body = other.get("/account")
				if !strings.Contains(body, `action="/account/signin"`) {
					t.Errorf("another browser's session survives the closing")
				}
				if res := other.signin("asha@example.in", password); res.StatusCode != http.StatusUnauthorized {
					t.Errorf("sign-in to a closed account: %d", res.StatusCode)
				}
			})
		})
	}
}

// TestSecureCookie: the cookie is Secure for any name but a loopback one.
func TestSecureCookie(t *testing.T) {
	e := newEnv(t, storetest.Stores[0].Open)
	e.signup("meera@example.in", "9876505678")
	b := e.browser()
	b.get("/account")
	form := url.Values{"login": {"meera@example.in"}, "password": {password}, "csrf": {b.csrf}}
	req, _ := http.NewRequest("POST", e.srv.URL+"/account/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Host = "account.example.in"
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) != 1 || !res.Cookies()[0].Secure {
		t.Errorf("sign-in through a public name: %d %v", res.StatusCode, res.Cookies())
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// sessOf is a device's session as the store has it.
func sessOf(t *testing.T, e *env, dev protocol.LoginResponse) core.Session {
	t.Helper()
	s, err := e.db.SessionByToken(context.Background(), api.HashToken(dev.Token))
	if err != nil {
		t.Fatalf("session of device %s: %v", dev.DeviceID, err)
	}
	return s
}
