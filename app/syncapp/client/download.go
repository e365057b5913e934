package client

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/ainaukar/naukar/sync/protocol"
)

// A new device downloads the business in an order that lets it bill first
// (protocol/download.go): the master tables one by one, then the history
// in the background, leaving out the master rows it already has. Where it
// stands is kept in the books' meta, so a download cut at any point goes
// on from the page it reached.

// Meta keys of the ordered download (local only).
const (
	MetaDownload      = "download_part"  // "masters", "history" or "" (done, or not a new device)
	MetaDownloadTable = "download_table" // masters: index into protocol.MasterTables
	MetaDownloadSince = "download_since" // masters: seq reached in that table
	MetaDownloadHead  = "download_head"  // the feed's head when the masters started: history skips master rows up to it
	MetaDownloadTotal = "download_total" // the feed's head last seen (for progress)
)

// downloadPage is the page of a new device's ordered download when the
// engine sets none: the largest the server gives (a download of 300,000
// rows is then 60 round trips, not 300).
const downloadPage = 5000

// downloadGC is the garbage collector's GOGC while a new device downloads
// (the default is 100).
const downloadGC = 300

// Parts of the ordered download.
const (
	PartMasters = "masters"
	PartHistory = "history"
)

// Download says how far a new device's ordered download is.
type Download struct {
	// Part is PartMasters (billing waits) or PartHistory (billing works;
	// stock and balances are not final until it ends).
	Part string `json:"part"`
	// Table is the master table coming down (masters only).
	Table string `json:"table,omitempty"`
	// Rows counts the rows applied in this sync round.
	Rows int `json:"rows"`
	// Done and Total are the feed position reached and the feed's head.
	Done  int64 `json:"done"`
	Total int64 `json:"total"`
}

// Percent is Done of Total in whole percent (0 to 100).
func (d Download) Percent() int {
	if d.Total <= 0 {
		return 0
	}
	return int(min(100, max(0, d.Done*100/d.Total)))
}

// Downloader is what books may do for an ordered download (app/store does).
type Downloader interface {
	// BeginDownload is told the feed's size before the first page.
	BeginDownload(ctx context.Context, rows int64) error
	// ReadyToBill is called when the masters are in.
	ReadyToBill(ctx context.Context) error
}

// StartDownload marks fresh books for an ordered download (after a sign-in
// that joins a business).
func StartDownload(l Local) error {
	return l.SetMeta(map[string]string{MetaDownload: PartMasters, MetaDownloadTable: "0", MetaDownloadSince: "0",
		MetaDownloadHead: "", MetaDownloadTotal: "0"})
}

// DownloadState reads where the ordered download stands (nil: none).
func DownloadState(l Local) *Download {
	part, _ := l.Meta(MetaDownload)
	if part == "" {
		return nil
	}
	d := &Download{Part: part}
	d.Total = metaInt(l, MetaDownloadTotal)
	switch part {
	case PartMasters:
		if i := metaInt(l, MetaDownloadTable); i >= 0 && i < int64(len(protocol.MasterTables)) {
			d.Table = protocol.MasterTables[i]
		}
		d.Done = metaInt(l, MetaDownloadSince)
	default:
		d.Done = metaInt(l, MetaCursor)
	}
	return d
}

func metaInt(l Local, key string) int64 {
	v, _ := l.Meta(key)
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

func (e *Engine) notify(d Download) {
	if e.OnDownload != nil {
		e.OnDownload(d)
	}
}

// pullMasters downloads the master tables one by one, from where the books
// say it stopped, then marks the books ready to bill.
func (e *Engine) pullMasters(ctx context.Context) (int, error) {
	page := e.PageSize
	if page <= 0 {
		page = downloadPage
	}
	ti, since := metaInt(e.Local, MetaDownloadTable), metaInt(e.Local, MetaDownloadSince)
	headSeen, _ := e.Local.Meta(MetaDownloadHead)
	cursor := metaInt(e.Local, MetaCursor)
	dl, _ := e.Local.(Downloader)
	applied := 0
	// The next page of a table is fetched while this one is applied.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type fetched struct {
		resp     protocol.PullResponse
		prepared any
		err      error
	}
	fetch := func(table string, since int64) <-chan fetched {
		ch := make(chan fetched, 1)
		go func() {
			resp, err := e.Client.PullFiltered(ctx, e.Token, since, page, PullFilter{Table: table})
			var prepared any
			if err == nil {
				prepared = e.prepare(resp.Changes)
			}
			ch <- fetched{resp, prepared, err}
		}()
		return ch
	}
	var pending <-chan fetched
	for int(ti) < len(protocol.MasterTables) {
		table := protocol.MasterTables[ti]
		if pending == nil {
			pending = fetch(table, since)
		}
		f := <-pending
		pending = nil
		resp, err := f.resp, f.err
		if err != nil {
			return applied, err
		}
		epoch, _ := e.Local.Meta(MetaEpoch)
		if epoch != "" && resp.Epoch != "" && resp.Epoch != epoch {
			// The server was restored: read the whole feed in the plain way.
			if err := e.resync(ctx, resp.Epoch); err != nil {
				return applied, err
			}
			return applied, errResynced
		}
		kv := map[string]string{MetaDownloadTotal: strconv.FormatInt(resp.Head, 10)}
		if epoch == "" && resp.Epoch != "" {
			kv[MetaEpoch] = resp.Epoch
		}
		if headSeen == "" {
			// The first page: every master row at or below this head is
			// read in this part, so the history can leave them out.
			headSeen = strconv.FormatInt(resp.Head, 10)
			kv[MetaDownloadHead] = headSeen
			if dl != nil {
				if err := dl.BeginDownload(ctx, resp.Head); err != nil {
					return applied, err
				}
			}
		}
		if err := e.Local.SetMeta(kv); err != nil {
			return applied, err
		}
		if resp.More && len(resp.Changes) > 0 {
			pending = fetch(table, max(resp.Next, since))
		}
		n, err := e.apply(ctx, resp.Changes, f.prepared, cursor)
		if err != nil {
			if errors.Is(err, protocol.ErrClockSkew) {
				return applied, fmt.Errorf("%w: %v", ErrClock, err)
			}
			return applied, err
		}
		applied += n
		if resp.More && len(resp.Changes) > 0 {
			since = max(resp.Next, since)
		} else {
			ti, since = ti+1, 0
		}
		if err := e.Local.SetMeta(map[string]string{MetaDownloadTable: strconv.FormatInt(ti, 10), MetaDownloadSince: strconv.FormatInt(since, 10)}); err != nil {
			return applied, err
		}
		e.notify(Download{Part: PartMasters, Table: table, Rows: applied, Done: since, Total: resp.Head})
	}
	if dl != nil {
		if err := dl.ReadyToBill(ctx); err != nil {
			return applied, err
		}
	}
	if err := e.Local.SetMeta(map[string]string{MetaDownload: PartHistory}); err != nil {
		return applied, err
	}
	e.notify(Download{Part: PartHistory, Rows: applied, Done: cursor, Total: metaInt(e.Local, MetaDownloadTotal)})
	return applied, nil
}

// ReadyToBill downloads what billing needs when a new device's ordered
// download has not got that far (the masters part), and stops there; Round
// brings the history. It does nothing for other books.
func (e *Engine) ReadyToBill(ctx context.Context) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if part, _ := e.Local.Meta(MetaDownload); part != PartMasters {
		return 0, nil
	}
	n, err := e.pullMasters(ctx)
	if errors.Is(err, errResynced) {
		return n, nil // the server was restored: Round reads its feed in full
	}
	return n, err
}
