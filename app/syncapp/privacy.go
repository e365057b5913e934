package syncapp

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

// signedIn returns the server client and token of signed-in books.
func signedIn(s *store.Store) (*client.Client, string, error) {
	server, _ := s.Meta(client.MetaServer)
	tok, err := TokenStore{BooksPath: s.Path()}.Load()
	if err != nil {
		return nil, "", err
	}
	if server == "" || tok == "" {
		return nil, "", ErrNotSignedIn
	}
	return client.NewClient(server, client.WithTimeout(5*time.Minute)), tok, nil
}

// ExportPoll is how often ExportAccount asks how far the export has come.
var ExportPoll = 500 * time.Millisecond

// ExportAccount asks the server for an export of everything it holds about
// the business, waits for it (calling progress with each status) and
// copies the ZIP to w. It returns the ZIP's size.
func ExportAccount(ctx context.Context, s *store.Store, w io.Writer, progress func(protocol.ExportStatus)) (int64, error) {
	c, tok, err := signedIn(s)
	if err != nil {
		return 0, err
	}
	id, err := c.StartExport(ctx, tok)
	if err != nil {
		return 0, err
	}
	for {
		st, err := c.ExportStatus(ctx, tok, id)
		if err != nil {
			return 0, err
		}
		if progress != nil {
			progress(st)
		}
		switch st.State {
		case protocol.ExportReady:
			return c.DownloadExport(ctx, tok, id, w)
		case protocol.ExportFailed:
			return 0, errors.New("the server could not write the export; please try again later")
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(ExportPoll):
		}
	}
}

// DeleteAccount closes the owner's account on the server (every device is
// signed out at once; the data is purged later) and forgets this device's
// token. The books on this PC stay.
func DeleteAccount(ctx context.Context, s *store.Store, password string) (protocol.DeleteAccountResponse, error) {
	c, tok, err := signedIn(s)
	if err != nil {
		return protocol.DeleteAccountResponse{}, err
	}
	res, err := c.DeleteAccount(ctx, tok, password)
	if err != nil {
		return res, err
	}
	TokenStore{BooksPath: s.Path()}.Delete()
	if err := s.SetMeta(map[string]string{client.MetaDeviceID: "", client.MetaLastError: ""}); err != nil {
		return res, err
	}
	return res, nil
}
