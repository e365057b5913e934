package api

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

func (s *Server) signup(w http.ResponseWriter, r *http.Request) {
	var req core.Signup
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	req.Normalize()
	if err := req.Validate(); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.limitSignup(r, s.now()); err != nil {
		s.writeError(w, r, err)
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(req.Owner.Password), s.cost)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	req.Owner.Password = ""
	accountID, businessID, err := s.store.CreateAccount(r.Context(), core.NewAccount{Signup: req, PasswordHash: string(hash), Now: s.now()})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.security(r, core.SecurityEvent{Kind: core.EventSignup, BusinessID: businessID, AccountID: accountID})
	for _, m := range s.modules {
		if o, ok := m.(SignupObserver); ok {
			o.SignedUp(context.WithoutCancel(r.Context()), accountID, businessID)
		}
	}
	s.writeJSON(w, http.StatusCreated, protocol.SignupResponse{AccountID: accountID, BusinessID: businessID})
}

// normalizeLogin returns the stored form of an email or phone (its 10
// digits, however it is typed: the sign-up's rule).
func normalizeLogin(login string) string {
	login = strings.TrimSpace(login)
	if strings.Contains(login, "@") {
		return strings.ToLower(login)
	}
	if p, err := gst.NormalizeMobile(login); err == nil {
		return p
	}
	return login
}

// login checks a password and registers a device. The attempt is recorded
// before the password is checked (core.LoginPolicy): a burst of guesses is
// counted as it arrives, a request whose client goes away counts as a
// failure, and known and unknown logins get the same answers.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req protocol.LoginRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	ctx, now := r.Context(), s.now()
	name, err := core.CheckDeviceName(req.DeviceName)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := core.CheckClockID(req.ClockID); err != nil {
		s.writeError(w, r, err)
		return
	}
	la, id, masked, err := s.checkPassword(r, req.Login, req.Password)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		s.writeError(w, r, err)
		return
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	// Devices idle past the limit are signed out first, so they hold no
	// place in the plan's device count.
	if err := s.expireIdle(r, la.BusinessID, now); err != nil {
		s.log.Error("expire idle devices", "err", err)
	}
	maxDevices, refuse := 0, func([]core.Device) error { return nil }
	if s.devLimits != nil {
		if maxDevices, refuse, err = s.devLimits.DeviceLimit(ctx, la.BusinessID); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	dev, err := s.store.CreateDeviceWithin(ctx, la.Account.ID, la.BusinessID, name, req.ClockID, HashToken(token), now, maxDevices, refuse)
	// The password was right: a login the plan's device limit refuses is
	// no guess, and must not leave its attempt in flight or count it failed.
	if err := s.store.EndLogin(context.WithoutCancel(ctx), id, core.LoginSucceeded, now); err != nil {
		s.log.Error("record login", "err", err)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	epoch, err := s.store.Epoch(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ev := core.SecurityEvent{AccountID: la.Account.ID, BusinessID: la.BusinessID, DeviceID: dev.ID}
	ev.Kind, ev.Detail = core.EventLogin, masked
	s.security(r, ev)
	ev.Kind, ev.Detail = core.EventDeviceAdded, "device "+dev.Name+" series "+dev.Series
	s.security(r, ev)
	s.writeJSON(w, http.StatusOK, protocol.LoginResponse{Token: token, DeviceID: dev.ID, Series: dev.Series,
		BusinessID: la.BusinessID, Epoch: epoch})
}

// checkPassword checks a login (email or phone) and password under the
// login policy: the attempt is recorded first, a wrong password or an
// unknown login is recorded failed (and logged) and answers ErrBadLogin the
// same way. On success the attempt is still in flight: the caller ends it
// with EndLogin. masked is the login as the security log shows it.
func (s *Server) checkPassword(r *http.Request, rawLogin, password string) (la core.LoginAccount, attempt int64, masked string, err error) {
	ctx, now, ip := r.Context(), s.now(), s.clientIP(r)
	login := normalizeLogin(rawLogin)
	found := false
	// A login with bytes no account can have (NUL, broken UTF-8) is
	// looked up as nobody, and throttled under its cleaned form.
	if core.IsClean(login) {
		la, err = s.store.AccountByLogin(ctx, login)
		found = err == nil
		if err != nil && core.ErrorCode(err) != protocol.CodeNotFound {
			return la, 0, "", err
		}
	}
	masked = "login " + core.MaskLogin(core.CleanString(login, 254))
	id, wait, err := s.store.BeginLogin(ctx, core.LoginAttempt{LoginKey: core.LoginKey(core.CleanString(login, 1024)), IP: ip, At: now}, s.loginPolicy)
	if err != nil {
		return la, 0, masked, err
	}
	if wait > 0 {
		s.security(r, core.SecurityEvent{Kind: core.EventLoginLimited, AccountID: la.Account.ID,
			BusinessID: la.BusinessID, Detail: masked})
		return la, 0, masked, &core.Error{Code: protocol.CodeRateLimited, RetryAfter: wait,
			Message: "Too many sign-in attempts for this login from this address. Please wait " + waitWords(wait) + " and try again."}
	}
	hash := s.dummyHash
	if found {
		hash = []byte(la.Account.PasswordHash)
	}
	// bcrypt reads 72 bytes; a longer password (which sign-up refuses)
	// is wrong, checked against the dummy hash so it costs the same time.
	pw := []byte(password)
	tooLong := len(pw) > 72
	if tooLong {
		hash, pw = s.dummyHash, pw[:72]
	}
	ok := bcrypt.CompareHashAndPassword(hash, pw) == nil && found && !tooLong
	if gone := ctx.Err() != nil; gone || !ok {
		// A client that went away while its password was checked has
		// used up an attempt all the same, whatever the password.
		if err := s.store.EndLogin(context.WithoutCancel(ctx), id, core.LoginFailed, now); err != nil {
			s.log.Error("record login failure", "err", err)
		}
		detail := masked
		if gone {
			detail += " (client disconnected)"
		}
		s.security(r, core.SecurityEvent{Kind: core.EventLoginFailed, AccountID: la.Account.ID,
			BusinessID: la.BusinessID, Detail: detail})
		return la, 0, masked, core.ErrBadLogin
	}
	return la, id, masked, nil
}

// waitWords says a wait in whole seconds or minutes.
func waitWords(d time.Duration) string {
	if d < time.Minute {
		n := int((d + time.Second - 1) / time.Second)
		if n == 1 {
			return "1 second"
		}
		return strconv.Itoa(n) + " seconds"
	}
	n := int((d + time.Minute - 1) / time.Minute)
	if n == 1 {
		return "1 minute"
	}
	return strconv.Itoa(n) + " minutes"
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	ctx, sess := r.Context(), sessionFrom(r.Context())
	var resp protocol.MeResponse
	acct, err := s.store.Account(ctx, sess)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	resp.Account = acct.Account
	if resp.Business, err = s.store.Business(ctx, sess); err != nil {
		s.writeError(w, r, err)
		return
	}
	devs, err := s.store.Devices(ctx, sess)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, d := range devs {
		if d.ID == sess.DeviceID {
			resp.Device = d
		}
	}
	if resp.Epoch, err = s.store.Epoch(ctx); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, resp)
}

func (s *Server) devices(w http.ResponseWriter, r *http.Request) {
	sess := sessionFrom(r.Context())
	devs, err := s.store.Devices(r.Context(), sess)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	resp := protocol.DevicesResponse{Devices: make([]protocol.DeviceView, 0, len(devs))}
	for _, d := range devs {
		resp.Devices = append(resp.Devices, protocol.DeviceView{Device: d, Current: d.ID == sess.DeviceID})
	}
	s.writeJSON(w, http.StatusOK, resp)
}

func (s *Server) revokeDevice(w http.ResponseWriter, r *http.Request) {
	sess := sessionFrom(r.Context())
	dev, err := s.revoke(r, sess, r.PathValue("id"), "revoked by device "+sess.DeviceID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, dev)
}

// revoke signs a device of the session's business out: its token is
// refused from the next request (at once on this instance), and the
// security log says who did it.
func (s *Server) revoke(r *http.Request, sess core.Session, deviceID, detail string) (core.Device, error) {
	if err := core.Require(sess, staff.Devices); err != nil {
		return core.Device{}, err
	}
	dev, err := s.store.RevokeDevice(r.Context(), sess, deviceID, s.now())
	if err != nil {
		return dev, err
	}
	s.sessions.dropDevice(dev.ID)
	s.security(r, core.SecurityEvent{Kind: core.EventDeviceRevoked, AccountID: sess.AccountID,
		BusinessID: sess.BusinessID, DeviceID: dev.ID, Detail: detail})
	return dev, nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	sess := sessionFrom(r.Context())
	if _, err := s.store.RevokeDevice(r.Context(), sess, sess.DeviceID, s.now()); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.sessions.dropDevice(sess.DeviceID)
	s.security(r, core.SecurityEvent{Kind: core.EventLogout, AccountID: sess.AccountID,
		BusinessID: sess.BusinessID, DeviceID: sess.DeviceID})
	w.WriteHeader(http.StatusNoContent)
}

// SecurityLogResponse is the reply to GET /v1/security-log.
type SecurityLogResponse struct {
	Events []core.SecurityEvent `json:"events"`
}

func (s *Server) securityLog(w http.ResponseWriter, r *http.Request) {
	events, err := s.store.SecurityEvents(r.Context(), sessionFrom(r.Context()), 200)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, SecurityLogResponse{Events: events})
}

// pushBody is a push request; business_id is not part of the protocol and
// is refused when it names another business than the token's.
type pushRequest struct {
	protocol.PushRequest
	BusinessID string `json:"business_id,omitempty"`
}

func (s *Server) push(w http.ResponseWriter, r *http.Request) {
	ctx, sess, now := r.Context(), sessionFrom(r.Context()), s.now()
	var req pushRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.ProtocolVersion < 1 {
		s.writeError(w, r, core.Errorf(protocol.CodeTooOld,
			"This copy of AI Naukar is too old to sync with the server. Please update the app."))
		return
	}
	if req.DeviceID != sess.DeviceID || (req.BusinessID != "" && req.BusinessID != sess.BusinessID) {
		s.writeError(w, r, core.Errorf(protocol.CodeForbidden,
			"The request names a different device or business than the one signed in."))
		return
	}
	epoch, err := s.store.Epoch(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Epoch != "" && req.Epoch != epoch {
		s.writeError(w, r, core.Errorf(protocol.CodeEpochChanged,
			"The server was restored from a backup. This device must sync again from the start."))
		return
	}
	for _, m := range req.Mutations {
		h, err := protocol.ParseHLC(m.HLC)
		if err != nil {
			continue // rejected as invalid by the store
		}
		if err := protocol.CheckSkew(h, now); err != nil {
			s.writeError(w, r, &core.Error{Code: protocol.CodeClockSkew, Err: err,
				Message: "The date and time on this PC are ahead of the real time. Fix the PC clock, then sync again. (" + err.Error() + ")"})
			return
		}
	}
	resp, err := s.store.Push(ctx, sess, req.PushRequest, now)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.afterStaffPush(sess, req.Mutations)
	for _, m := range s.modules {
		if o, ok := m.(PushObserver); ok {
			o.Pushed(ctx, sess, req.Mutations)
		}
	}
	s.writeJSON(w, http.StatusOK, resp)
}

// Pull page sizes.
const (
	defaultPullLimit = 500
	maxPullLimit     = 5000
)

func (s *Server) pull(w http.ResponseWriter, r *http.Request) {
	ctx, sess, q := r.Context(), sessionFrom(r.Context()), r.URL.Query()
	since, limit := int64(0), defaultPullLimit
	if v := q.Get("since"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			s.writeError(w, r, core.Errorf(protocol.CodeInvalid, "since must be a whole number of 0 or more."))
			return
		}
		since = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.writeError(w, r, core.Errorf(protocol.CodeInvalid, "limit must be a whole number of 1 or more."))
			return
		}
		limit = min(n, maxPullLimit)
	}
	f, ok := pullFilter(q)
	if !ok {
		s.writeError(w, r, core.Errorf(protocol.CodeInvalid, "table and skip_tables must name tables (lower-case letters and _, at most 20 of them), and skip_until must be a whole number of 0 or more."))
		return
	}
	var resp core.PullPage
	var err error
	if f.Table != "" || f.SkipUntil > 0 && len(f.SkipTables) > 0 {
		resp, err = s.store.PullFiltered(ctx, sess, since, limit, f, s.now())
	} else {
		resp, err = s.store.Pull(ctx, sess, since, limit, s.now())
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if e := q.Get("epoch"); e != "" && e != resp.Epoch {
		s.writeError(w, r, core.Errorf(protocol.CodeEpochChanged,
			"The server was restored from a backup. This device must sync again from the start."))
		return
	}
	// Never a page that is not JSON: a damaged row is a logged 500.
	if err := resp.Check(); err != nil {
		s.writeError(w, r, err)
		return
	}
	// Written straight into a pooled slice (a download's page is megabytes).
	bp := pageBufs.Get().(*[]byte)
	out := resp.AppendJSON((*bp)[:0])
	s.writeBody(w, http.StatusOK, out)
	if cap(out) <= 32<<20 {
		*bp = out[:0]
		pageBufs.Put(bp)
	}
}

// pageBufs are the slices pull pages are written into.
var pageBufs = sync.Pool{New: func() any { return new([]byte) }}

// pullFilter reads a new device's ordered-download filter (table=NAME, or
// skip_tables=A,B&skip_until=SEQ; protocol/download.go) from a pull's query.
func pullFilter(q url.Values) (core.PullFilter, bool) {
	var f core.PullFilter
	if t := q.Get("table"); t != "" {
		if !protocol.ValidTableName(t) {
			return f, false
		}
		f.Table = t
	}
	if v := q.Get("skip_tables"); v != "" {
		f.SkipTables = strings.Split(v, ",")
		if len(f.SkipTables) > 20 {
			return f, false
		}
		for _, t := range f.SkipTables {
			if !protocol.ValidTableName(t) {
				return f, false
			}
		}
	}
	if v := q.Get("skip_until"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return f, false
		}
		f.SkipUntil = n
	}
	return f, true
}
