package whatsapp

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// A shop's own number: the owner connects the shop's WhatsApp Business
// number (PUT /v1/whatsapp/settings) with its phone number id, a system
// user's access token and the Meta app's secret; the token and the secret
// are sealed at rest with the server key (server/secrets, as billing keeps
// a shop's Razorpay keys). The shop's messages then go from its number
// with its token, its app's webhooks are checked with its app secret
// (found by the phone number id in the notification), and the server's
// number (the environment's settings) is used by every other shop.

// NumberStore is what a shop's own number keeps in the server's database.
type NumberStore interface {
	SetWANumber(ctx context.Context, n store.WANumber, now time.Time) (store.WANumber, error)
	WANumber(ctx context.Context, businessID string) (store.WANumber, bool, error)
	WANumberByPhoneID(ctx context.Context, phoneNumberID string) (store.WANumber, bool, error)
	WANumberByVerifyToken(ctx context.Context, token string) (store.WANumber, bool, error)
	DeleteWANumber(ctx context.Context, businessID string) error
}

// Sealing contexts: a sealed value opens only for its purpose and business.
func tokenContext(businessID string) string     { return "whatsapp.token/" + businessID }
func appSecretContext(businessID string) string { return "whatsapp.app_secret/" + businessID }

var errNoSecretKey = core.Errorf(protocol.CodeNotConfig,
	"This server cannot keep a shop's own WhatsApp number yet (its secret key, NAUKAR_SECRET_KEY, is not set). Ask the server's administrator.")

// sender is what one business sends with: the server's settings and
// client, or its own number's.
type sender struct {
	s     Settings
	graph *Graph
	own   bool  // the shop's own number
	err   error // the shop's number is connected but cannot be used (its words)
}

// senderTTL is how long an instance trusts what it read of a shop's
// number; a change made through another instance applies after it.
const senderTTL = 30 * time.Second

type senderCache struct {
	mu sync.Mutex
	m  map[string]cachedSender
}

type cachedSender struct {
	snd   *sender
	until time.Time
}

func (c *senderCache) forget(businessID string) {
	c.mu.Lock()
	delete(c.m, businessID)
	c.mu.Unlock()
}

// senderFor returns what a business sends with.
func (m *Module) senderFor(ctx context.Context, businessID string) (*sender, error) {
	if m.numbers == nil {
		return m.server, nil
	}
	now := time.Now()
	m.senders.mu.Lock()
	c, ok := m.senders.m[businessID]
	m.senders.mu.Unlock()
	if ok && now.Before(c.until) {
		return c.snd, nil
	}
	n, ok, err := m.numbers.WANumber(ctx, businessID)
	if err != nil {
		return nil, err
	}
	snd := m.server
	if ok {
		snd = m.ownSender(n)
	}
	m.senders.mu.Lock()
	if m.senders.m == nil {
		m.senders.m = map[string]cachedSender{}
	}
	m.senders.m[businessID] = cachedSender{snd: snd, until: now.Add(senderTTL)}
	m.senders.mu.Unlock()
	return snd, nil
}

// ownSender opens a shop's number's secrets and makes its client.
func (m *Module) ownSender(n store.WANumber) *sender {
	s := m.s
	s.PhoneNumberID, s.VerifyToken = n.PhoneNumberID, n.VerifyToken
	if n.TemplateInvoice != "" {
		s.TemplateInvoice = n.TemplateInvoice
	}
	if n.TemplateReminder != "" {
		s.TemplateReminder = n.TemplateReminder
	}
	if n.TemplateLang != "" {
		s.TemplateLang = n.TemplateLang
	}
	snd := &sender{own: true}
	if m.cfg.Secrets == nil {
		snd.err = errors.New("The shop's own WhatsApp number is connected, but the server can no longer open its keys (NAUKAR_SECRET_KEY is not set). Ask the server's administrator.")
		return snd
	}
	tok, err1 := m.cfg.Secrets.OpenString(tokenContext(n.BusinessID), n.Token)
	sec, err2 := m.cfg.Secrets.OpenString(appSecretContext(n.BusinessID), n.AppSecret)
	if err1 != nil || err2 != nil {
		snd.err = errors.New("The server cannot open the keys of the shop's own WhatsApp number (its secret key changed). Connect the number again: naukar whatsapp connect.")
		return snd
	}
	s.Token, s.AppSecret = tok, sec
	snd.s, snd.graph = s, NewGraph(s.APIURL, s.Token, s.PhoneNumberID, m.cfg.HTTPClient)
	return snd
}

// limiterFor is the instance's limiter of a sending number.
func (m *Module) limiterFor(phoneID string, gap time.Duration) *rate.Limiter {
	m.limMu.Lock()
	defer m.limMu.Unlock()
	l, ok := m.limiters[phoneID]
	if !ok {
		l = rate.NewLimiter(rate.Every(gap), 2)
		m.limiters[phoneID] = l
	}
	return l
}

func (m *Module) mountNumber(mux *api.Mux) {
	// The shop's own number is the owner's, like the shop's Razorpay keys.
	mux.Permit("GET /v1/whatsapp/settings", staff.Plan, 0, func(w http.ResponseWriter, r *http.Request, s core.Session) {
		st, err := m.Number(r.Context(), s.BusinessID, m.base(r))
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		mux.JSON(w, http.StatusOK, st)
	})
	mux.Permit("PUT /v1/whatsapp/settings", staff.Plan, 0, func(w http.ResponseWriter, r *http.Request, s core.Session) {
		var req protocol.WANumberSettings
		if err := mux.Decode(r, &req); err != nil {
			mux.Error(w, r, err)
			return
		}
		st, err := m.ConnectNumber(r.Context(), s.BusinessID, req, m.base(r))
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		mux.JSON(w, http.StatusOK, st)
	})
	mux.Permit("DELETE /v1/whatsapp/settings", staff.Plan, 0, func(w http.ResponseWriter, r *http.Request, s core.Session) {
		st, err := m.DisconnectNumber(r.Context(), s.BusinessID)
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		mux.JSON(w, http.StatusOK, st)
	})
}

// base is the server's public address, for the webhook's.
func (m *Module) base(r *http.Request) string {
	if m.cfg.PublicURL != "" {
		return strings.TrimRight(m.cfg.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (m *Module) numberStatus(n store.WANumber, ok bool, base string) protocol.WANumberStatus {
	out := protocol.WANumberStatus{Available: m.numbers != nil && m.cfg.Secrets != nil}
	if !out.Available {
		out.Message = errNoSecretKey.Message
	}
	if !ok {
		return out
	}
	created := n.CreatedAt
	out.Connected, out.PhoneNumberID, out.DisplayPhone, out.ConnectedAt = true, n.PhoneNumberID, n.DisplayPhone, &created
	out.TokenSet, out.AppSecretSet = n.Token != "", n.AppSecret != ""
	if m.cfg.Secrets != nil {
		if tok, err := m.cfg.Secrets.OpenString(tokenContext(n.BusinessID), n.Token); err == nil {
			out.TokenLast4 = last4(tok)
		}
	}
	out.TemplateInvoice = cmpOr(n.TemplateInvoice, m.s.TemplateInvoice)
	out.TemplateReminder = cmpOr(n.TemplateReminder, m.s.TemplateReminder)
	out.TemplateLang = cmpOr(n.TemplateLang, m.s.TemplateLang)
	out.WebhookURL, out.VerifyToken = base+"/v1/webhooks/whatsapp", n.VerifyToken
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// last4 is a secret's last 4 characters (none of a short one).
func last4(s string) string {
	if len(s) < 12 {
		return ""
	}
	return s[len(s)-4:]
}

// Number says whether the shop sends from its own number.
func (m *Module) Number(ctx context.Context, businessID, base string) (protocol.WANumberStatus, error) {
	if m.numbers == nil {
		return m.numberStatus(store.WANumber{}, false, base), nil
	}
	n, ok, err := m.numbers.WANumber(ctx, businessID)
	if err != nil {
		return protocol.WANumberStatus{}, err
	}
	return m.numberStatus(n, ok, base), nil
}

var (
	phoneIDPattern  = regexp.MustCompile(`^[0-9]{6,20}$`)
	templatePattern = regexp.MustCompile(`^[a-z0-9_]{1,512}$`)
	langPattern     = regexp.MustCompile(`^[a-z]{2,3}(_[A-Z]{2})?$`)
)

// ConnectNumber checks the shop's own number with Meta (a token that
// cannot read the number is refused and nothing is kept) and keeps the
// token and app secret sealed.
func (m *Module) ConnectNumber(ctx context.Context, businessID string, req protocol.WANumberSettings, base string) (protocol.WANumberStatus, error) {
	if m.numbers == nil || m.cfg.Secrets == nil {
		return protocol.WANumberStatus{}, errNoSecretKey
	}
	req.PhoneNumberID, req.Token, req.AppSecret = strings.TrimSpace(req.PhoneNumberID), strings.TrimSpace(req.Token), strings.TrimSpace(req.AppSecret)
	req.TemplateInvoice, req.TemplateReminder, req.TemplateLang = strings.TrimSpace(req.TemplateInvoice), strings.TrimSpace(req.TemplateReminder), strings.TrimSpace(req.TemplateLang)
	invalid := func(msg string) (protocol.WANumberStatus, error) {
		return protocol.WANumberStatus{}, core.Errorf(protocol.CodeInvalid, "%s", msg)
	}
	switch {
	case !phoneIDPattern.MatchString(req.PhoneNumberID):
		return invalid("Give the phone number id (digits) shown in Meta's WhatsApp Manager → API Setup, not the phone number itself.")
	case req.PhoneNumberID == m.s.PhoneNumberID:
		return invalid("That is the server's own WhatsApp number; give the shop's own number's phone number id.")
	case len(req.Token) < 20:
		return invalid("Give the access token of a system user of the shop's Meta Business account (Business Settings → System users → Generate token, with whatsapp_business_messaging).")
	case len(req.AppSecret) < 16:
		return invalid("Give the app secret of the shop's Meta app (App settings → Basic → App secret); it checks the app's webhooks.")
	case req.TemplateInvoice != "" && !templatePattern.MatchString(req.TemplateInvoice),
		req.TemplateReminder != "" && !templatePattern.MatchString(req.TemplateReminder):
		return invalid("Template names are lower-case letters, digits and _ as in WhatsApp Manager, e.g. naukar_invoice.")
	case req.TemplateLang != "" && !langPattern.MatchString(req.TemplateLang):
		return invalid("The template language is a code such as en, hi or en_US.")
	}
	// One cheap authenticated call proves the token can use the number.
	info, err := NewGraph(m.s.APIURL, req.Token, req.PhoneNumberID, m.cfg.HTTPClient).PhoneNumber(ctx)
	if err != nil {
		if ge, ok := asGraphError(err); ok && ge.Status != 0 && ge.Status < 500 {
			return invalid("Meta refused this access token for this phone number id (" + ge.Message +
				"). Check both in WhatsApp Manager → API Setup; the token must have whatsapp_business_messaging for the number's account.")
		}
		return protocol.WANumberStatus{}, &core.Error{Code: protocol.CodeRateLimited, RetryAfter: time.Minute, Err: err,
			Message: "WhatsApp could not be reached to check the number; nothing was changed. Try again in a minute."}
	}
	tok, err := m.cfg.Secrets.SealString(tokenContext(businessID), req.Token)
	if err != nil {
		return protocol.WANumberStatus{}, err
	}
	sec, err := m.cfg.Secrets.SealString(appSecretContext(businessID), req.AppSecret)
	if err != nil {
		return protocol.WANumberStatus{}, err
	}
	verify := ""
	if cur, ok, err := m.numbers.WANumber(ctx, businessID); err != nil {
		return protocol.WANumberStatus{}, err
	} else if ok {
		verify = cur.VerifyToken
	} else {
		var b [18]byte
		_, _ = rand.Read(b[:])
		verify = base64.RawURLEncoding.EncodeToString(b[:])
	}
	n, err := m.numbers.SetWANumber(ctx, store.WANumber{BusinessID: businessID, PhoneNumberID: req.PhoneNumberID, DisplayPhone: info.DisplayPhone,
		Token: tok, AppSecret: sec, VerifyToken: verify, TemplateInvoice: req.TemplateInvoice, TemplateReminder: req.TemplateReminder,
		TemplateLang: req.TemplateLang}, m.now())
	if errors.Is(err, store.ErrWANumberTaken) {
		return invalid("This WhatsApp number is connected to another business on this server.")
	}
	if err != nil {
		return protocol.WANumberStatus{}, err
	}
	m.senders.forget(businessID)
	m.log.Info("whatsapp: a shop connected its own number", "business", businessID, "phone_number_id", req.PhoneNumberID)
	return m.numberStatus(n, true, base), nil
}

// DisconnectNumber forgets the shop's own number: its messages go from the
// server's number again (if the server has one).
func (m *Module) DisconnectNumber(ctx context.Context, businessID string) (protocol.WANumberStatus, error) {
	if m.numbers != nil {
		if err := m.numbers.DeleteWANumber(ctx, businessID); err != nil {
			return protocol.WANumberStatus{}, err
		}
	}
	m.senders.forget(businessID)
	return m.numberStatus(store.WANumber{}, false, ""), nil
}
