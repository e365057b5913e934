package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"syscall"

	"github.com/ainaukar/naukar/sync/protocol"
)

// UnreadableRowError is a change from the server that these books cannot
// take (its data cannot be read or saved). Sync stops at it; the changes
// before it are saved.
type UnreadableRowError struct {
	Table, ID string
	Seq       int64
	Err       error
}

func (e *UnreadableRowError) Error() string {
	return fmt.Sprintf("A change from the server could not be saved in these books (%s %s, change %d: %v). "+
		"Sync of newer changes waits until it is fixed; your own bills are safe and still sync to the server.",
		e.Table, e.ID, e.Seq, e.Err)
}

func (e *UnreadableRowError) Unwrap() error { return e.Err }

// applyOneByOne applies a page that failed as a whole row by row, each with
// its own cursor, until the row that fails: it returns how many rows were
// applied and that row as an *UnreadableRowError (or pageErr if every row
// applies alone, which means the page failed for another reason).
func (e *Engine) applyOneByOne(ctx context.Context, changes []protocol.Change, pageErr error) (int, error) {
	applied := 0
	for _, c := range changes {
		n, err := e.Local.ApplyChanges(ctx, []protocol.Change{c}, c.Seq)
		if err != nil {
			if errors.Is(err, protocol.ErrClockSkew) {
				return applied, fmt.Errorf("%w: %v", ErrClock, err)
			}
			if ctx.Err() != nil {
				return applied, err
			}
			return applied, &UnreadableRowError{Table: c.Table, ID: c.ID, Seq: c.Seq, Err: err}
		}
		applied += n
	}
	return applied, pageErr
}

// Unreachable reports whether err is a failure to reach the server (no
// route, refused, reset, timed out, DNS): the screens then say the work
// needs the internet rather than show the error.
func Unreachable(err error) bool { return isNetworkError(err) }

// isNetworkError reports whether err is a failure to reach the server (no
// route, refused, reset, timed out, DNS), the only case the shopkeeper is
// told to check the internet.
func isNetworkError(err error) bool {
	var ne net.Error
	var ue *url.Error
	var oe *net.OpError
	var de *net.DNSError
	return errors.As(err, &ne) || errors.As(err, &ue) || errors.As(err, &oe) || errors.As(err, &de) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, net.ErrClosed)
}
