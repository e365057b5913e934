package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// A new device downloads a whole business into empty books. Keeping every
// index, the search index and the per-day stock in step row by row would
// make that download write the same pages over and over, so it runs in
// bulk mode: the secondary indexes are dropped (their DDL kept in meta),
// stock and search rows are not written per row, and at the end the
// indexes are built again from sorted data and stock and search are
// derived in one pass each. A download interrupted in bulk mode is
// finished at the next open (the rest then downloads in the normal way).

// metaBulk holds the JSON list of the indexes dropped for a bulk download.
const metaBulk = "bulk_indexes"

// bulkMinRows is the smallest first page worth bulk mode (Options.BulkFrom).
const bulkMinRows = 1000

// keptInBulk are indexes the download itself reads: a document looks for a
// cancellation that came before it, a product replaces its codes. Who made
// a bill is read out of its JSON by every insert anyway (a generated
// column), so that index is kept rather than read out again at the end.
var keptInBulk = map[string]bool{"cancellations_doc": true, "product_codes_product": true, "invoices_made_by": true}

// maybeStartBulk enters bulk mode before the first page of a download into
// empty books.
func (s *Store) maybeStartBulk(ctx context.Context, pageRows int) error {
	if s.bulk.Load() || pageRows < s.bulkFrom {
		return nil
	}
	if cur, _ := s.Meta("pull_cursor"); cur != "" && cur != "0" {
		return nil
	}
	if has, err := s.HasLocalData(); err != nil || has {
		return err
	}
	return s.startBulk(ctx)
}

// startBulk drops the secondary indexes (keeping their DDL in meta) and
// enters bulk mode.
func (s *Store) startBulk(ctx context.Context) error {
	if err := s.startBulkKeeping(ctx, nil); err != nil {
		return err
	}
	m := newLoadMoves()
	s.bulkStockMu.Lock()
	s.bulkStock = &m
	s.bulkStockMu.Unlock()
	return s.bulkPragmas(ctx, true)
}

// noteBulkStock adds the stock effects of a page that has been committed
// in bulk mode to those summed in memory.
func (s *Store) noteBulkStock(moves []stockMoveRow) {
	s.bulkStockMu.Lock()
	defer s.bulkStockMu.Unlock()
	if s.bulkStock != nil {
		s.bulkStock.add(moves)
	}
}

// takeBulkStock hands over the stock effects summed in memory for the
// whole of a bulk download (nil if this process did not see all of it).
func (s *Store) takeBulkStock() *loadMoves {
	s.bulkStockMu.Lock()
	defer s.bulkStockMu.Unlock()
	m := s.bulkStock
	s.bulkStock = nil
	return m
}

// startBulkKeeping is startBulk keeping the indexes of keepTables too.
func (s *Store) startBulkKeeping(ctx context.Context, keepTables map[string]bool) error {
	err := s.tx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(`SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
		if err != nil {
			return err
		}
		// Indexes an unfinished bulk mode dropped (a failed load) stay on
		// the list to build again.
		var ddl []string
		v, err := tx.meta(metaBulk)
		if err == nil && v != "" {
			err = json.Unmarshal([]byte(v), &ddl)
		}
		if err != nil {
			rows.Close()
			return fmt.Errorf("read bulk state: %w", err)
		}
		var names []string
		for rows.Next() {
			var name, tbl, q string
			if err := rows.Scan(&name, &tbl, &q); err != nil {
				rows.Close()
				return err
			}
			if !keptInBulk[name] && !keepTables[tbl] {
				ddl = append(ddl, q)
				names = append(names, name)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, n := range names {
			if _, err := tx.Exec(`DROP INDEX ` + strconv.Quote(n)); err != nil {
				return err
			}
		}
		b, _ := json.Marshal(ddl)
		if err := tx.setMeta(map[string]string{metaBulk: string(b)}); err != nil {
			return err
		}
		s.bulk.Store(true)
		return nil
	})
	return err
}

// Bulk mode reads and writes far more pages than a bill does: the writer
// gets a page cache of 128 MiB (the sorts that build the indexes and stock
// at the end then stay in memory rather than spill to temporary files) and
// maps the whole file rather than its first 256 MiB (the end reads every
// bill once per index it builds). Both go back when bulk mode ends.
const (
	bulkCache = "-131072"
	bulkMmap  = "2147418112" // SQLite's largest
	// The writer folds the log itself past 128 MiB rather than 16 MiB:
	// the background checkpointer does most of the folding meanwhile, and
	// the writer waits for the disk (a sync) a few times, not every page.
	bulkCheckpoint = "32768"
)

func (s *Store) bulkPragmas(ctx context.Context, on bool) error {
	cache, mmap := writerCache, mmapSize
	if on {
		cache, mmap = bulkCache, bulkMmap
	}
	ckpt, threads := writerCheckpoint, "0"
	if on {
		ckpt, threads = bulkCheckpoint, "2" // the end's index builds sort on two threads
	}
	for _, q := range []string{`PRAGMA cache_size = ` + cache, `PRAGMA mmap_size = ` + mmap, `PRAGMA wal_autocheckpoint = ` + ckpt,
		`PRAGMA threads = ` + threads} {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("bulk download: %s: %w", q, err)
		}
	}
	return nil
}

// EndPull is called by the sync engine when a pull has read to the end of
// the feed: a bulk download is finished here.
func (s *Store) EndPull(ctx context.Context) error {
	if s.bulk.Load() {
		if err := s.finishBulk(ctx); err != nil {
			return err
		}
		if err := s.afterDownload(ctx); err != nil {
			return err
		}
	}
	return s.endHistory(ctx)
}

// finishBulk builds the dropped indexes again, derives stock levels, stock
// per day and the search index from the downloaded rows, and leaves bulk
// mode, in one transaction. Stock comes from the effects summed in memory
// page by page when this process applied every page of the download
// (sorted once in Go rather than by SQLite over all lines), with the
// effects queued in stock_pending beside them (bills made at the counter
// meanwhile, cancellations); otherwise it is derived from all lines.
func (s *Store) finishBulk(ctx context.Context) error {
	v, err := s.Meta(metaBulk)
	if err != nil || v == "" {
		s.bulk.Store(false)
		s.takeBulkStock()
		return err
	}
	var ddl []string
	if err := json.Unmarshal([]byte(v), &ddl); err != nil {
		return fmt.Errorf("read bulk state: %w", err)
	}
	if err := s.bulkPragmas(ctx, true); err != nil { // a download cut and finished at the next open
		return err
	}
	// Put back even when the finish fails (the next open finishes it).
	defer s.bulkPragmas(context.WithoutCancel(ctx), false) //nolint:errcheck
	s.closeBulk()
	// A failed finish derives stock from the lines the next time.
	moves := s.takeBulkStock()
	err = s.tx(ctx, func(tx *Tx) error {
		var stmts []string
		if moves == nil {
			stmts = []string{
				`DELETE FROM stock_pending`,
				`DELETE FROM stock_days`,
				`DELETE FROM stock_levels`,
				`INSERT INTO stock_days(product_id, date, qty_in, qty_out)
					SELECT product_id, date, sum(max(stock_delta, 0)), sum(max(-stock_delta, 0)) FROM doc_lines
					WHERE stock_delta <> 0 AND cancelled = 0 AND product_id IS NOT NULL AND product_id <> ''
					GROUP BY product_id, date ORDER BY product_id, date`,
				`INSERT INTO stock_levels(product_id, qty)
					SELECT product_id, sum(qty_in - qty_out) FROM stock_days GROUP BY product_id ORDER BY product_id`,
			}
		}
		if v, _ := tx.meta(metaSearchReady); v == "" {
			// The masters part of an ordered download may have built it
			// already (ReadyToBill); products since then kept it in step.
			stmts = append(stmts, `INSERT INTO product_fts(product_fts) VALUES ('rebuild')`)
		}
		for _, q := range append(ddl, stmts...) {
			if _, err := tx.Exec(q); err != nil {
				return fmt.Errorf("finish download: %w", err)
			}
		}
		if moves != nil {
			// Added to what a fold during the download may have written.
			if err := moves.write(tx, true); err != nil {
				return fmt.Errorf("finish download: stock: %w", err)
			}
			if err := tx.foldStock(); err != nil {
				return fmt.Errorf("finish download: %w", err)
			}
		}
		return tx.setMeta(map[string]string{metaBulk: "", metaSearchReady: ""})
	})
	if err != nil {
		return err
	}
	s.bulk.Store(false)
	s.searchReady.Store(false)
	s.pendingStock.Store(0)
	return nil
}
