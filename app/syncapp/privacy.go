package syncapp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
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

// ExportAccountFile is ExportAccount into the file at path: written as
// path.partial and renamed when complete, so a failed or stopped export
// never leaves a half ZIP under the name the owner chose.
func ExportAccountFile(ctx context.Context, s *store.Store, path string, progress func(protocol.ExportStatus)) (int64, error) {
	return writeFileWhole(path, func(w io.Writer) (int64, error) { return ExportAccount(ctx, s, w, progress) })
}

// ExportBooksFile writes the books on this PC (no server needed) as a ZIP
// in the layout of the server's export (store.ExportBooks) to path, the
// same way as ExportAccountFile. It returns the ZIP's size.
func ExportBooksFile(ctx context.Context, s *store.Store, path string, progress func(done, total int64)) (int64, error) {
	return writeFileWhole(path, func(w io.Writer) (int64, error) {
		cw := &countWriter{w: w}
		err := s.ExportBooks(ctx, cw, progress)
		return cw.n, err
	})
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writeFileWhole writes path through path.partial, renamed only when write
// and the close succeeded; on failure nothing is left.
func writeFileWhole(path string, write func(io.Writer) (int64, error)) (int64, error) {
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, fmt.Errorf("cannot write %s: %w", path, err)
	}
	n, err := write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, err
	}
	return n, nil
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
