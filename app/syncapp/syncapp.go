// Package syncapp connects a books file to the sync server: sign up, sign
// in (upload the first device's books, or download an existing business on
// fresh books), keep the device token in the OS keychain, and run the
// engine of app/syncapp/client over the store.
package syncapp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

const keyringService = "in.ainaukar.naukar"

// TokenStore keeps the device token: the OS keychain when there is one,
// else a file beside the books readable only by the user.
type TokenStore struct {
	BooksPath string
	// FileOnly skips the keychain (NAUKAR_KEYRING=file does the same).
	FileOnly bool
}

func (t TokenStore) user() string {
	abs, _ := filepath.Abs(t.BooksPath)
	h := sha256.Sum256([]byte(abs))
	return "books-" + hex.EncodeToString(h[:8])
}

func (t TokenStore) file() string { return t.BooksPath + ".token" }

func (t TokenStore) fileOnly() bool { return t.FileOnly || os.Getenv("NAUKAR_KEYRING") == "file" }

// Save stores the token; where says where it went ("keychain" or the file).
func (t TokenStore) Save(token string) (where string, err error) {
	if !t.fileOnly() {
		if err := keyring.Set(keyringService, t.user(), token); err == nil {
			os.Remove(t.file())
			return "the OS keychain", nil
		}
	}
	if err := os.WriteFile(t.file(), []byte(token), 0o600); err != nil {
		return "", fmt.Errorf("save the device token: %w", err)
	}
	return t.file() + " (no OS keychain here; the file is readable only by you)", nil
}

// Load returns the token ("" if signed out).
func (t TokenStore) Load() (string, error) {
	if !t.fileOnly() {
		if tok, err := keyring.Get(keyringService, t.user()); err == nil {
			return tok, nil
		}
	}
	b, err := os.ReadFile(t.file())
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	return strings.TrimSpace(string(b)), err
}

// Delete forgets the token.
func (t TokenStore) Delete() {
	if !t.fileOnly() {
		_ = keyring.Delete(keyringService, t.user())
	}
	os.Remove(t.file())
}

// Signup creates an account and business on the server.
func Signup(ctx context.Context, server string, req protocol.SignupRequest) (protocol.SignupResponse, error) {
	return client.NewClient(server).Signup(ctx, req)
}

// LoginResult says what a sign-in did.
type LoginResult struct {
	BusinessID string
	Series     string
	TokenWhere string
	Uploading  bool // the first device: its books go up on the next sync
	Joining    bool // fresh books: the business comes down on the next sync
}

// Login signs this device in and prepares the books: the first device of a
// business uploads its books; fresh books join and download; books with
// data of another business are refused (export first).
func Login(ctx context.Context, s *store.Store, server, login, password, device string) (LoginResult, error) {
	var res LoginResult
	c := client.NewClient(server)
	// The books' own id is what their change stamps carry: the server
	// takes this device's changes only under it.
	lr, err := c.Login(ctx, protocol.LoginRequest{Login: login, Password: password, DeviceName: device, ClockID: s.DeviceID()})
	if err != nil {
		return res, err
	}
	undo := func() { _ = c.Logout(context.Background(), lr.Token) }
	res.BusinessID, res.Series = lr.BusinessID, lr.Series
	has, err := s.HasLocalData()
	if err != nil {
		undo()
		return res, err
	}
	switch {
	case !has:
		if err := s.JoinBusiness(lr.BusinessID, lr.Series); err != nil {
			undo()
			return res, err
		}
		// Products and parties first, so this counter bills in seconds;
		// the history follows in the background.
		if err := client.StartDownload(s); err != nil {
			undo()
			return res, err
		}
		res.Joining = true
	case s.BusinessID() == lr.BusinessID:
		// The same business signing in again (after a revoke, say).
		if err := s.SetMeta(map[string]string{"series": lr.Series}); err != nil {
			undo()
			return res, err
		}
	default:
		page, err := c.Pull(ctx, lr.Token, 0, 1)
		if err != nil {
			undo()
			return res, err
		}
		if len(page.Changes) > 0 {
			undo()
			return res, books.Errorf(books.ECONFLICT, "This account's business already has books on the server, and these books hold another shop's data; they cannot be merged silently. Export these books first (keep a copy of %s), then sign in with new empty books (naukar --books NEW_FILE sync login …).", s.Path())
		}
		if err := s.AdoptBusiness(lr.BusinessID); err != nil {
			undo()
			return res, err
		}
		if err := s.SetMeta(map[string]string{"series": lr.Series}); err != nil {
			undo()
			return res, err
		}
		res.Uploading = true
	}
	where, err := TokenStore{BooksPath: s.Path()}.Save(lr.Token)
	if err != nil {
		undo()
		return res, err
	}
	res.TokenWhere = where
	err = s.SetMeta(map[string]string{client.MetaServer: strings.TrimRight(server, "/"), client.MetaDeviceID: lr.DeviceID,
		client.MetaEpoch: lr.Epoch, client.MetaLastError: ""})
	return res, err
}

// The books are the engine's local side.
var _ client.Local = (*store.Store)(nil)

// ErrNotSignedIn means the books have no sync account yet.
var ErrNotSignedIn = books.Errorf(books.EINVALID, "These books are not signed in to a sync server: run `naukar sync login --server URL --login EMAIL --password … --device-name …` (or Settings → Sync).")

// Engine builds the sync engine for signed-in books.
func Engine(s *store.Store) (*client.Engine, error) {
	server, _ := s.Meta(client.MetaServer)
	dev, _ := s.Meta(client.MetaDeviceID)
	tok, err := TokenStore{BooksPath: s.Path()}.Load()
	if err != nil {
		return nil, err
	}
	if server == "" || dev == "" || tok == "" {
		return nil, ErrNotSignedIn
	}
	return &client.Engine{Local: s, Client: client.NewClient(server, client.WithTimeout(60*time.Second)), Token: tok, DeviceID: dev}, nil
}

// Status reads the last sync outcome from the books.
func Status(s *store.Store) (client.Status, error) {
	var st client.Status
	var err error
	st.LastSynced, _ = s.Meta(client.MetaLastSynced)
	st.Error, _ = s.Meta(client.MetaLastError)
	st.Pending, err = s.PendingCount()
	st.Download = client.DownloadState(s)
	return st, err
}

// Logout signs the device out (the server forgets its token); the books stay.
func Logout(ctx context.Context, s *store.Store) error {
	ts := TokenStore{BooksPath: s.Path()}
	tok, _ := ts.Load()
	server, _ := s.Meta(client.MetaServer)
	var err error
	if tok != "" && server != "" {
		err = client.NewClient(server, client.WithRetries(0, 0, 0)).Logout(ctx, tok)
	}
	ts.Delete()
	if serr := s.SetMeta(map[string]string{client.MetaDeviceID: "", client.MetaLastError: ""}); serr != nil {
		return serr
	}
	var ae *client.APIError
	if errors.As(err, &ae) && (ae.Code == protocol.CodeRevoked || ae.Code == protocol.CodeReRegister || ae.Code == protocol.CodeUnauthorized) {
		return nil
	}
	return err
}
