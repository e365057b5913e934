package syncapp

import (
	"context"
	"time"

	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Service is what the Sync screen uses: one books file and its background
// runner. Every method may block on the network; call it off the UI goroutine.
type Service struct {
	Store  *store.Store
	Runner *Runner
}

// NewService wires a books file to a background runner (started if the
// books are already signed in). onStatus hears every background round.
func NewService(s *store.Store, onStatus func(client.Status)) *Service {
	r := NewRunner(s, time.Minute, onStatus)
	r.Staff = &StaffLink{}
	_ = r.Start() // not signed in yet is fine
	return &Service{Store: s, Runner: r}
}

// SignedIn reports whether the books have a device token.
func (v *Service) SignedIn() bool {
	_, err := Engine(v.Store)
	return err == nil
}

// Server is the sync server URL the books use ("" before sign-in).
func (v *Service) Server() string {
	s, _ := v.Store.Meta(client.MetaServer)
	return s
}

// Status is the last outcome and what waits to be pushed.
func (v *Service) Status() (client.Status, error) { return Status(v.Store) }

// Signup creates an account and its business.
func (v *Service) Signup(ctx context.Context, server string, req protocol.SignupRequest) error {
	_, err := Signup(ctx, server, req)
	return err
}

// Login signs in and starts background sync.
func (v *Service) Login(ctx context.Context, server, login, password, device string) (LoginResult, error) {
	res, err := Login(ctx, v.Store, server, login, password, device)
	if err != nil {
		return res, err
	}
	return res, v.Runner.Start()
}

// SyncNow runs one round at once.
func (v *Service) SyncNow(ctx context.Context) (client.Status, error) {
	eng, err := Engine(v.Store)
	if err != nil {
		return client.Status{}, err
	}
	if v.Runner.Staff != nil {
		eng.BeforePush = v.Runner.Staff.BeforePush
	}
	return eng.Round(ctx)
}

// Logout stops background sync and signs the device out.
func (v *Service) Logout(ctx context.Context) error {
	v.Runner.Stop()
	return Logout(ctx, v.Store)
}

// Close stops background sync.
func (v *Service) Close() { v.Runner.Stop() }
