package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// A new device's ordered download (protocol/download.go) reads the feed in
// two ways besides the plain pull: one master table at a time (on the
// index sync_rows_tbl_seq, migration 0070), then the whole feed leaving
// out the master rows the device already has. Both queries keep
// pullQuery's columns and parameters, with the filter as $6.

var (
	// pullTableQuery reads one table's rows after a seq.
	pullTableQuery = strings.Replace(pullQuery, `WHERE business_id = $1 AND seq > $2 ORDER BY seq`,
		`WHERE business_id = $1 AND tbl = $6 AND seq > $2 ORDER BY seq`, 1)
	// pullSkipQuery reads the feed without master rows at or below $6.
	pullSkipQuery = strings.Replace(pullQuery, `WHERE business_id = $1 AND seq > $2 ORDER BY seq`,
		`WHERE business_id = $1 AND seq > $2 AND (seq > $6 OR tbl NOT IN (`+masterList()+`)) ORDER BY seq`, 1)
)

func masterList() string {
	q := make([]string, len(protocol.MasterTables))
	for i, t := range protocol.MasterTables {
		q[i] = "'" + t + "'"
	}
	return strings.Join(q, ", ")
}

// PullFiltered implements core.Store.
func (db *DB) PullFiltered(ctx context.Context, s core.Session, since int64, limit int, f core.PullFilter, now time.Time) (core.PullPage, error) {
	var head int64
	if err := db.read.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM sync_rows WHERE business_id = $1`, s.BusinessID).Scan(&head); err != nil {
		return core.PullPage{}, fmt.Errorf("pull: feed head: %w", err)
	}
	var page core.PullPage
	var err error
	switch {
	case f.Table != "":
		page, err = db.pullWith(ctx, s, since, limit, now, pullTableQuery, f.Table)
	case f.SkipMasters > 0:
		page, err = db.pullWith(ctx, s, since, limit, now, pullSkipQuery, f.SkipMasters)
	default:
		page, err = db.Pull(ctx, s, since, limit, now)
	}
	page.Head = head
	return page, err
}
