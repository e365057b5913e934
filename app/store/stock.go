package store

import (
	"context"
	"fmt"
	"time"
)

// Stock effects of documents are appended to stock_pending in the
// document's own transaction (one page, however many products a bill has)
// and folded into stock_levels and stock_days in bulk (see migration 0004).
// Readers that show stock settle first, so they always see every saved bill.

// foldAfter is how long after the last commit the background folds the
// pending stock effects; foldRows folds sooner once this many are queued.
var foldAfter = time.Second // a variable for tests

const foldRows = 2048

type stockMoveRow struct {
	product, date string
	in, out       int64
}

// queueStock appends stock effects to stock_pending.
func (tx *Tx) queueStock(moves []stockMoveRow) error {
	args := make([]any, 0, maxBatch*4)
	for start := 0; start < len(moves); start += maxBatch {
		chunk := moves[start:min(start+maxBatch, len(moves))]
		args = args[:0]
		for _, m := range chunk {
			args = append(args, m.product, m.date, m.in, m.out)
		}
		if _, err := tx.Exec(insPending(len(chunk)), args...); err != nil {
			return fmt.Errorf("queue stock: %w", err)
		}
	}
	tx.s.pendingStock.Add(int64(len(moves)))
	return nil
}

// stockQueued notes that this process queued stock effects (how many
// is unknown: count them as a full batch).
func (s *Store) stockQueued() { s.pendingStock.Add(maxBatch) }

const (
	foldLevels = `INSERT INTO stock_levels(product_id, qty)
		SELECT product_id, sum(qty_in - qty_out) FROM stock_pending WHERE true GROUP BY product_id
		ON CONFLICT(product_id) DO UPDATE SET qty = qty + excluded.qty`
	foldDays = `INSERT INTO stock_days(product_id, date, qty_in, qty_out)
		SELECT product_id, date, sum(qty_in), sum(qty_out) FROM stock_pending WHERE true GROUP BY product_id, date
		ON CONFLICT(product_id, date) DO UPDATE SET qty_in = qty_in + excluded.qty_in, qty_out = qty_out + excluded.qty_out`
)

// foldStock moves the pending stock effects into stock_levels and
// stock_days, in the caller's transaction.
func (tx *Tx) foldStock() error {
	for _, q := range []string{foldLevels, foldDays, `DELETE FROM stock_pending`} {
		if _, err := tx.Exec(q); err != nil {
			return fmt.Errorf("fold stock: %w", err)
		}
	}
	return nil
}

// FoldStock folds pending stock effects now (a no-op when none are
// pending). Readers of stock call it; so do Close and Open.
func (s *Store) FoldStock(ctx context.Context) error {
	var pending bool
	if err := s.rp().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM stock_pending)`).Scan(&pending); err != nil {
		return fmt.Errorf("read stock: %w", err)
	}
	if !pending {
		s.pendingStock.Store(0)
		return nil
	}
	return s.tx(ctx, func(tx *Tx) error {
		s.pendingStock.Store(0)
		return tx.foldStock()
	})
}

// settleStock is FoldStock for readers (background context).
func (s *Store) settleStock() error { return s.FoldStock(context.Background()) }
