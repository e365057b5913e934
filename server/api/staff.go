package api

import (
	"net/http"
	"time"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Permit registers a handler for signed-in devices whose role may do a
// (the permission table of app/staff): a cashier's token, or a device
// where nobody with a PIN is signed in, gets 403 forbidden before h runs.
// Modules use it for what only some roles may do (changing the plan,
// privacy requests, sending messages).
func (m *Mux) Permit(pattern string, a staff.Action, maxBody int64, h func(w http.ResponseWriter, r *http.Request, sess core.Session)) {
	m.mux.Handle(pattern, m.s.limit(bodyLimit(maxBody), m.s.auth(m.s.permit(a, func(w http.ResponseWriter, r *http.Request) {
		h(w, r, sessionFrom(r.Context()))
	}))))
}

// Require answers 403 and returns false when the session's role may not do
// a (for a handler that decides per request, such as one that sends a bill
// or a reminder). It logs the refusal in the security log.
func (m *Mux) Require(w http.ResponseWriter, r *http.Request, sess core.Session, a staff.Action) bool {
	return m.s.require(w, r, sess, a)
}

func (s *Server) permit(a staff.Action, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.require(w, r, sessionFrom(r.Context()), a) {
			next(w, r)
		}
	}
}

func (s *Server) require(w http.ResponseWriter, r *http.Request, sess core.Session, a staff.Action) bool {
	err := core.Require(sess, a)
	if err == nil {
		return true
	}
	s.security(r, core.SecurityEvent{Kind: core.EventForbidden, AccountID: sess.AccountID, BusinessID: sess.BusinessID,
		DeviceID: sess.DeviceID, Detail: string(a) + " refused to " + string(sess.Role) + " " + sess.UserID})
	s.writeError(w, r, err)
	return false
}

func staffSession(sess core.Session) protocol.StaffSession {
	out := protocol.StaffSession{Role: string(sess.Role)}
	if sess.UserID != "" && sess.Role == sess.UserRole {
		until := sess.UserUntil
		out.UserID, out.Name, out.Until = sess.UserID, sess.UserName, &until
	}
	return out
}

// staffSignIn checks a staff member's PIN against their synced record and
// makes them the device's user for core.StaffSessionTTL. Wrong PINs count
// per member; staff.MaxFailures within staff.LockFor lock them out.
func (s *Server) staffSignIn(w http.ResponseWriter, r *http.Request) {
	ctx, sess, now := r.Context(), sessionFrom(r.Context()), s.now()
	var req protocol.StaffSignInRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	data, found, err := s.store.StaffRecord(ctx, sess.BusinessID, req.UserID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if !found {
		s.writeError(w, r, core.Errorf(protocol.CodeNotFound,
			"The server does not know this staff member yet: let the device sync, then sign in again."))
		return
	}
	m, err := core.StaffMember(req.UserID, data)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	n, last, err := s.store.StaffPINFailures(ctx, sess.BusinessID, m.ID, now.Add(-staff.LockFor))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if until := staff.LockedUntil(n, last); now.Before(until) {
		s.writeError(w, r, &core.Error{Code: protocol.CodeRateLimited, RetryAfter: until.Sub(now).Round(time.Second),
			Message: (&staff.ErrLocked{Name: m.Name, Until: until}).Error()})
		return
	}
	ev := core.SecurityEvent{AccountID: sess.AccountID, BusinessID: sess.BusinessID, DeviceID: sess.DeviceID}
	if !staff.VerifyPIN(m.PINHash, req.PIN) {
		if err := s.store.RecordStaffPINFailure(ctx, sess.BusinessID, m.ID, now); err != nil {
			s.writeError(w, r, err)
			return
		}
		ev.Kind, ev.Detail = core.EventStaffSignInFailed, "staff "+m.ID
		s.security(r, ev)
		s.writeError(w, r, core.Errorf(protocol.CodeUnauthorized, "%s",
			(&staff.ErrWrongPIN{Name: m.Name, Left: staff.MaxFailures - n - 1}).Error()))
		return
	}
	if n > 0 {
		if err := s.store.ClearStaffPINFailures(ctx, sess.BusinessID, m.ID); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	until := now.Add(core.StaffSessionTTL)
	if err := s.store.SetDeviceUser(ctx, sess, m.ID, until); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.sessions.dropDevice(sess.DeviceID)
	ev.Kind, ev.Detail = core.EventStaffSignIn, "staff "+m.ID+" ("+string(m.Role)+")"
	s.security(r, ev)
	sess.HasStaff, sess.UserID, sess.UserName, sess.UserRole, sess.UserUntil = true, m.ID, m.Name, m.Role, until
	sess.Role = sess.RoleAt(now)
	s.writeJSON(w, http.StatusOK, staffSession(sess))
}

// staffSignOut ends the staff sign-in on the device (the counter locked).
func (s *Server) staffSignOut(w http.ResponseWriter, r *http.Request) {
	ctx, sess := r.Context(), sessionFrom(r.Context())
	if err := s.store.SetDeviceUser(ctx, sess, "", time.Time{}); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.sessions.dropDevice(sess.DeviceID)
	if sess.UserID != "" {
		s.security(r, core.SecurityEvent{Kind: core.EventStaffSignOut, AccountID: sess.AccountID,
			BusinessID: sess.BusinessID, DeviceID: sess.DeviceID, Detail: "staff " + sess.UserID})
	}
	sess.UserID, sess.UserName, sess.UserRole, sess.UserUntil = "", "", "", time.Time{}
	sess.Role = sess.RoleAt(s.now())
	s.writeJSON(w, http.StatusOK, staffSession(sess))
}

// staffWho says who the server takes to be at this device.
func (s *Server) staffWho(w http.ResponseWriter, r *http.Request) {
	s.writeJSON(w, http.StatusOK, staffSession(sessionFrom(r.Context())))
}

// afterStaffPush drops the business's cached sessions when a push changed
// its staff, so roles follow the new records at once on this instance
// (within the session TTL on others).
func (s *Server) afterStaffPush(sess core.Session, ms []protocol.Mutation) {
	for _, m := range ms {
		if m.Table == staff.Table {
			s.sessions.dropBusiness(sess.BusinessID)
			return
		}
	}
}
