package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ainaukar/naukar/server/core"
)

// A new device's ordered download (protocol/download.go) reads the feed in
// two ways besides the plain pull: one master table at a time (on the
// index sync_rows_tbl_seq, migration 0070), then the whole feed leaving
// out the master rows the device already has. Both queries keep
// pullQuery's columns and parameters, with the filter from $6 on.

// pullTableQuery reads one table's rows after a seq.
var pullTableQuery = strings.Replace(pullQuery, `WHERE business_id = $1 AND seq > $2 ORDER BY seq`,
	`WHERE business_id = $1 AND tbl = $6 AND seq > $2 ORDER BY seq`, 1)

// pullSkipQuery reads the feed without the rows of n tables ($7 on) at or
// below $6.
func pullSkipQuery(n int) string {
	in := make([]string, n)
	for i := range in {
		in[i] = "$" + strconv.Itoa(7+i)
	}
	return strings.Replace(pullQuery, `WHERE business_id = $1 AND seq > $2 ORDER BY seq`,
		`WHERE business_id = $1 AND seq > $2 AND (seq > $6 OR tbl NOT IN (`+strings.Join(in, ", ")+`)) ORDER BY seq`, 1)
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
	case f.SkipUntil > 0 && len(f.SkipTables) > 0:
		args := []any{f.SkipUntil}
		for _, t := range f.SkipTables {
			args = append(args, t)
		}
		page, err = db.pullWith(ctx, s, since, limit, now, pullSkipQuery(len(f.SkipTables)), args...)
	default:
		page, err = db.Pull(ctx, s, since, limit, now)
	}
	page.Head = head
	return page, err
}
