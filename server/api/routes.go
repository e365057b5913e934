package api

import (
	"net/http"

	"github.com/ainaukar/naukar/app/staff"
)

// Body limits per request.
const (
	smallBody = 64 << 10 // 64 KiB: signup, login, small requests
	pushBody  = 8 << 20  // 8 MiB: a push batch
)

// routes lists every endpoint of the server. server/openapi.yaml documents
// each one; routes_test.go checks that it does.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)

	mux.Handle("POST /v1/signup", s.limit(smallBody, s.signup))
	mux.Handle("POST /v1/login", s.limit(smallBody, s.login))

	mux.Handle("GET /v1/me", s.auth(s.me))
	mux.Handle("GET /v1/devices", s.auth(s.permit(staff.Devices, s.devices)))
	mux.Handle("DELETE /v1/devices/{id}", s.auth(s.permit(staff.Devices, s.revokeDevice)))
	mux.Handle("POST /v1/logout", s.auth(s.logout))
	mux.Handle("GET /v1/security-log", s.auth(s.permit(staff.SecurityLog, s.securityLog)))

	mux.Handle("POST /v1/staff/signin", s.limit(smallBody, s.auth(s.staffSignIn)))
	mux.Handle("POST /v1/staff/signout", s.auth(s.staffSignOut))
	mux.Handle("GET /v1/staff/session", s.auth(s.staffWho))

	mux.Handle("POST /v1/sync/push", s.limit(pushBody, s.auth(s.push)))
	mux.Handle("GET /v1/sync/pull", s.auth(s.pull))

	mux.HandleFunc("GET /v1/updates/{file}", s.updateFile)

	m := &Mux{s: s, mux: mux}
	for _, mod := range s.modules {
		mod.Mount(m)
	}
	return mux
}
