package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"strconv"
	gosync "sync"
	"time"

	"github.com/ainaukar/naukar/sync/protocol"
)

// Local is what the engine needs of the device's books. app/store
// implements it; every method is one SQLite transaction.
type Local interface {
	// PendingMutations returns up to limit queued changes in
	// mutation-number order.
	PendingMutations(limit int) ([]protocol.Mutation, error)
	// PendingCount returns how many changes are queued, without reading
	// them.
	PendingCount() (int, error)
	// AckMutations drops queued changes with n <= lastN.
	AckMutations(lastN int64) error
	// ApplyChanges merges a pulled page and saves cursor with it.
	ApplyChanges(ctx context.Context, changes []protocol.Change, cursor int64) (int, error)
	// RequeueAll queues the device's whole books again (after a server
	// restore), so nothing the restored server lost is lost for good.
	RequeueAll() error
	Meta(key string) (string, error)
	SetMeta(kv map[string]string) error
	// Rejected applies the server's refusals of this device's changes
	// to the books where they show (a refused WhatsApp request shows as
	// failed, with the reason). It is called again with refusals it has
	// seen, and must change nothing then.
	Rejected(rs []protocol.Rejection) error
}

// PagePreparer is what books may offer to read a pulled page before it is
// applied (app/store does): the engine prepares the next page while the
// page before it is still being written, so decoding it does not hold up
// the books' single writer. ApplyPrepared does what ApplyChanges does.
type PagePreparer interface {
	PreparePage(changes []protocol.Change) (any, error)
	ApplyPrepared(ctx context.Context, page any, cursor int64) (int, error)
}

// prepare reads a fetched page ahead of applying it where the books can
// (nil: apply it with ApplyChanges, which then meets any error itself).
func (e *Engine) prepare(changes []protocol.Change) any {
	pp, ok := e.Local.(PagePreparer)
	if !ok || len(changes) == 0 {
		return nil
	}
	page, err := pp.PreparePage(changes)
	if err != nil {
		return nil
	}
	return page
}

// apply applies a page, prepared or not.
func (e *Engine) apply(ctx context.Context, changes []protocol.Change, prepared any, cursor int64) (int, error) {
	if prepared != nil {
		return e.Local.(PagePreparer).ApplyPrepared(ctx, prepared, cursor)
	}
	return e.Local.ApplyChanges(ctx, changes, cursor)
}

// Meta keys the engine keeps in the books (local only).
const (
	MetaServer     = "sync_server"      // base URL
	MetaDeviceID   = "sync_device_id"   // the server's id of this device
	MetaEpoch      = "sync_epoch"       // the server epoch last seen
	MetaCursor     = "pull_cursor"      // last applied seq
	MetaLastSynced = "sync_last_synced" // RFC 3339 time of the last full round
	MetaLastError  = "sync_last_error"  // plain words, "" when fine
	MetaRejected   = "sync_rejected"    // JSON list of the latest rejections
	MetaRebase     = "sync_rebase"      // "1": next push rebases the device's n after a restore
	MetaAcked      = "acked_n"          // the highest n the server acknowledged (set by AckMutations)
)

// Status is what the UI and `naukar sync status` show.
type Status struct {
	LastSynced string               `json:"last_synced"` // RFC 3339, "" never
	Pending    int                  `json:"pending"`
	Error      string               `json:"error"`
	Rejected   []protocol.Rejection `json:"rejected,omitempty"`
	Pulled     int                  `json:"pulled,omitempty"` // rows applied by the last round
	// Download is a new device's ordered download still under way (nil:
	// none; download.go).
	Download *Download `json:"download,omitempty"`
}

// Engine pushes the outbox and pulls the feed for one device. It never
// blocks billing: every step is a short transaction of its own, and a round
// killed at any point resumes correctly (the outbox is only trimmed after
// the server acknowledged, the cursor moves with the page it covers).
type Engine struct {
	Local     Local
	Client    *Client
	Token     string
	DeviceID  string
	BatchSize int // mutations per push (default 500)
	PageSize  int // changes per pull (default 1000; a new device's download 5000)
	Now       func() time.Time
	// Progress, if set, is told how many rows were applied so far in a pull.
	Progress func(applied int, more bool)
	// BeforePush, if set, runs before each round's push (the staff member
	// signed in on the counter signs in on the server first, so that the
	// server lets the push do what their role may).
	BeforePush func(ctx context.Context, c *Client, token string) error
	// OnDownload, if set, hears how far a new device's ordered download is
	// (download.go), after every page.
	OnDownload func(Download)

	mu gosync.Mutex
}

// Errors a caller branches on; the message says what to do.
var (
	ErrSignInAgain = errors.New("this device is no longer signed in to the server: sign in again (Settings → Sync); nothing in your books is lost")
	ErrUpgrade     = errors.New("the server needs a newer version of AI Naukar: update the app, then sync again")
	ErrClock       = errors.New("this PC's date and time are far ahead of the server's: correct the clock, then sync again")
)

// Round does one full sync: push everything queued, then pull everything
// new. It records the outcome in the books (MetaLastSynced/MetaLastError).
func (e *Engine) Round(ctx context.Context) (Status, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	st, err := e.round(ctx, true)
	msg := ""
	if err != nil {
		msg = Explain(err)
	}
	kv := map[string]string{MetaLastError: msg}
	if err == nil {
		kv[MetaLastSynced] = e.now().UTC().Format(time.RFC3339)
		st.LastSynced = kv[MetaLastSynced]
	}
	if serr := e.Local.SetMeta(kv); serr != nil && err == nil {
		err = serr
	}
	st.Error = msg
	if n, perr := e.Local.PendingCount(); perr == nil {
		st.Pending = n
	}
	st.Download = DownloadState(e.Local)
	return st, err
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e *Engine) round(ctx context.Context, mayResync bool) (Status, error) {
	var st Status
	if err := e.push(ctx); err != nil {
		var ae *APIError
		// A gap means the server holds fewer of this device's changes
		// than it acknowledged (a restore it was not told of, a lost
		// commit): queue the books again and resend them, once.
		lost := false
		if errors.As(err, &ae) && ae.Code == protocol.CodeOutOfOrder {
			rebase, _ := e.Local.Meta(MetaRebase)
			lost = rebase != "1"
		}
		if mayResync && errors.As(err, &ae) && (ae.Code == protocol.CodeEpochChanged || lost) {
			if err := e.resync(ctx, ""); err != nil {
				return st, err
			}
			return e.round(ctx, false)
		}
		return st, err
	}
	n, rej, err := e.pull(ctx, mayResync)
	st.Pulled, st.Rejected = n, rej
	if errors.Is(err, errResynced) {
		return e.round(ctx, false)
	}
	return st, err
}

var errResynced = errors.New("resynced")

func (e *Engine) push(ctx context.Context) error {
	if e.BeforePush != nil {
		if err := e.BeforePush(ctx, e.Client, e.Token); err != nil {
			return err
		}
	}
	batch := e.BatchSize
	if batch <= 0 {
		batch = 500
	}
	for {
		muts, err := e.Local.PendingMutations(batch)
		if err != nil {
			return err
		}
		if len(muts) == 0 {
			return nil
		}
		epoch, _ := e.Local.Meta(MetaEpoch)
		rebase, _ := e.Local.Meta(MetaRebase)
		acked, _ := e.Local.Meta(MetaAcked)
		ackedN, _ := strconv.ParseInt(acked, 10, 64)
		req := protocol.PushRequest{DeviceID: e.DeviceID, ProtocolVersion: protocol.ProtocolVersion,
			Epoch: epoch, Rebase: rebase == "1", Acked: ackedN, Mutations: muts}
		if req.Rebase {
			// The books queued again follow in this and the next pushes;
			// they carry other devices' stamps, which the server takes
			// only up to this number.
			pending, err := e.Local.PendingCount()
			if err != nil {
				return err
			}
			req.ResendThrough = muts[0].N + int64(max(pending, len(muts))) - 1
		}
		resp, err := e.Client.Push(ctx, e.Token, req)
		if err != nil {
			return err
		}
		if rebase == "1" {
			if err := e.Local.SetMeta(map[string]string{MetaRebase: ""}); err != nil {
				return err
			}
		}
		if err := e.Local.AckMutations(resp.LastN); err != nil {
			return err
		}
		if len(resp.Rejected) > 0 {
			e.noteRejected(resp.Rejected)
		}
		if resp.LastN < muts[len(muts)-1].N {
			return fmt.Errorf("server applied up to %d of %d", resp.LastN, muts[len(muts)-1].N)
		}
	}
}

func (e *Engine) noteRejected(rs []protocol.Rejection) {
	_ = e.Local.Rejected(rs) // the next round's rejections bring them again
	if len(rs) > 20 {
		rs = rs[len(rs)-20:]
	}
	b, _ := json.Marshal(rs)
	_ = e.Local.SetMeta(map[string]string{MetaRejected: string(b)})
}

func (e *Engine) pull(ctx context.Context, mayResync bool) (int, []protocol.Rejection, error) {
	applied := 0
	var rejected []protocol.Rejection
	// A new device first downloads what billing needs, then the history
	// without the master rows it has (download.go).
	part, _ := e.Local.Meta(MetaDownload)
	if part != "" {
		// A new device's download turns over hundreds of megabytes of
		// short-lived JSON and rows: fewer collections for more memory
		// while it runs (about 1 s of CPU on 310,000 rows).
		defer debug.SetGCPercent(debug.SetGCPercent(downloadGC))
	}
	page := e.PageSize
	switch {
	case page > 0:
	case part != "":
		page = downloadPage
	default:
		page = 1000
	}
	if part == PartMasters {
		n, err := e.pullMasters(ctx)
		applied += n
		if err != nil {
			return applied, rejected, err
		}
		part = PartHistory
	}
	var skip int64
	if part == PartHistory {
		skip = metaInt(e.Local, MetaDownloadHead) // 0 (after a server restore): the plain feed
	}
	// While a page is applied, the next one is already being fetched (its
	// cursor is known from the page), so the network, the server and the
	// local writes overlap. A prefetched page that is not used is dropped.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type fetched struct {
		resp     protocol.PullResponse
		prepared any
		err      error
	}
	fetch := func(since int64) <-chan fetched {
		ch := make(chan fetched, 1)
		go func() {
			var resp protocol.PullResponse
			var err error
			if skip > 0 {
				resp, err = e.Client.PullFiltered(ctx, e.Token, since, page, PullFilter{SkipTables: protocol.MasterTables, SkipUntil: skip})
			} else {
				resp, err = e.Client.Pull(ctx, e.Token, since, page)
			}
			var prepared any
			if err == nil {
				prepared = e.prepare(resp.Changes)
			}
			ch <- fetched{resp, prepared, err}
		}()
		return ch
	}
	cur, err := e.Local.Meta(MetaCursor)
	if err != nil {
		return applied, rejected, err
	}
	since, _ := strconv.ParseInt(cur, 10, 64)
	pending := fetch(since)
	for {
		f := <-pending
		resp, err := f.resp, f.err
		if err != nil {
			return applied, rejected, err
		}
		epoch, _ := e.Local.Meta(MetaEpoch)
		if epoch != "" && resp.Epoch != "" && resp.Epoch != epoch {
			if !mayResync {
				return applied, rejected, fmt.Errorf("the server epoch changed twice during one sync")
			}
			if err := e.resync(ctx, resp.Epoch); err != nil {
				return applied, rejected, err
			}
			return applied, rejected, errResynced
		}
		if epoch == "" && resp.Epoch != "" {
			if err := e.Local.SetMeta(map[string]string{MetaEpoch: resp.Epoch}); err != nil {
				return applied, rejected, err
			}
		}
		if len(resp.Rejections) > 0 {
			rejected = resp.Rejections
			e.noteRejected(resp.Rejections)
		}
		next := resp.Next
		if next < since {
			next = since
		}
		more := resp.More && len(resp.Changes) > 0
		if more {
			pending = fetch(next)
		}
		n, err := e.apply(ctx, resp.Changes, f.prepared, next)
		if err != nil {
			if errors.Is(err, protocol.ErrClockSkew) {
				return applied, rejected, fmt.Errorf("%w: %v", ErrClock, err)
			}
			if ctx.Err() != nil {
				return applied, rejected, err
			}
			// Find the row the books cannot take: the rows before it are
			// saved one by one, and the error names it.
			n, err = e.applyOneByOne(ctx, resp.Changes, err)
			applied += n
			return applied, rejected, err
		}
		applied += n
		if e.Progress != nil {
			e.Progress(applied, resp.More)
		}
		if skip > 0 {
			if err := e.Local.SetMeta(map[string]string{MetaDownloadTotal: strconv.FormatInt(resp.Head, 10)}); err != nil {
				return applied, rejected, err
			}
			e.notify(Download{Part: PartHistory, Rows: applied, Done: next, Total: max(resp.Head, next)})
		}
		if !more {
			// Books that apply pages in a special way (a new device's
			// bulk download) finish it once the feed is read to its end.
			if f, ok := e.Local.(interface{ EndPull(context.Context) error }); ok {
				if err := f.EndPull(ctx); err != nil {
					return applied, rejected, err
				}
			}
			if part != "" {
				if err := e.Local.SetMeta(map[string]string{MetaDownload: ""}); err != nil {
					return applied, rejected, err
				}
				e.notify(Download{Rows: applied, Done: next, Total: max(resp.Head, next)})
			}
			return applied, rejected, nil
		}
		since = next
	}
}

// resync follows a server restore: the books are queued again in full (the
// merge makes repeats harmless), the feed is read again from the start, and
// the next push rebases this device's mutation numbers.
func (e *Engine) resync(ctx context.Context, epoch string) error {
	if epoch == "" {
		resp, err := e.Client.Pull(ctx, e.Token, 0, 1)
		if err != nil {
			return err
		}
		epoch = resp.Epoch
	}
	if err := e.Local.RequeueAll(); err != nil {
		return fmt.Errorf("queue the books again after a server restore: %w", err)
	}
	// A new device's ordered download reads the restored feed in the
	// plain way: its seqs are not the ones the download kept.
	kv := map[string]string{MetaEpoch: epoch, MetaCursor: "0", MetaRebase: "1"}
	if part, _ := e.Local.Meta(MetaDownload); part != "" {
		kv[MetaDownload] = PartHistory
		kv[MetaDownloadHead] = ""
	}
	return e.Local.SetMeta(kv)
}

// Explain turns a sync error into plain words for the shopkeeper.
func Explain(err error) string {
	var ae *APIError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ae):
		switch ae.Code {
		case protocol.CodeReRegister, protocol.CodeRevoked, protocol.CodeUnauthorized:
			return ErrSignInAgain.Error()
		case protocol.CodeTooOld:
			return ErrUpgrade.Error()
		case protocol.CodeClockSkew:
			return ErrClock.Error()
		case protocol.CodeRateLimited:
			return "The server is busy; sync will try again shortly."
		}
		if ae.Status >= 500 {
			return "The sync server had a problem; sync will try again shortly."
		}
		return "The server refused the sync: " + ae.Message
	case errors.Is(err, protocol.ErrClockSkew), errors.Is(err, ErrClock):
		return ErrClock.Error()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "Sync was interrupted; it will continue next time."
	}
	var ur *UnreadableRowError
	if errors.As(err, &ur) {
		return ur.Error()
	}
	if isNetworkError(err) {
		return "Could not reach the sync server (offline?); your bills are safe and will sync when the internet is back."
	}
	return "Sync stopped: " + err.Error() + ". Your bills are safe; sync will try again."
}

// Permanent reports whether retrying cannot help until the user acts.
func Permanent(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		switch ae.Code {
		case protocol.CodeReRegister, protocol.CodeRevoked, protocol.CodeUnauthorized, protocol.CodeTooOld, protocol.CodeClockSkew, protocol.CodeForbidden:
			return true
		}
	}
	return errors.Is(err, ErrClock)
}

// Run syncs in the background until ctx ends: at once, whenever Kick is
// called (a bill was saved), and every interval; after a failure it waits
// with exponential backoff and jitter (up to 5 minutes). onStatus, if set,
// gets every round's status.
func (e *Engine) Run(ctx context.Context, kick <-chan struct{}, interval time.Duration, onStatus func(Status, error)) {
	if interval <= 0 {
		interval = time.Minute
	}
	backoff := time.Duration(0)
	for {
		st, err := e.Round(ctx)
		if onStatus != nil {
			onStatus(st, err)
		}
		wait := interval
		switch {
		case err == nil:
			backoff = 0
		case Permanent(err):
			wait = 10 * interval // nothing to gain from retrying soon
		default:
			if backoff == 0 {
				backoff = 2 * time.Second
			} else {
				backoff = min(backoff*2, 5*time.Minute)
			}
			wait = backoff/2 + rand.N(backoff/2+1)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-kick:
			t.Stop()
			if backoff > 0 {
				// Offline: a kick does not hammer the server; wait a little.
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Second):
				}
			}
		case <-t.C:
		}
	}
}
