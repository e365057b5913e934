package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ainaukar/naukar/app/books"
)

// Whole documents for exports (app/reports: Tally XML). Read-only.

// DocSet is the documents of a period, streamed to the callbacks in date
// order, one table after another. A nil callback skips its table.
type DocSet struct {
	Invoice    func(inv *books.Invoice, cancelled bool) error
	CreditNote func(cn *books.CreditNote) error
	Purchase   func(p *books.Purchase) error
	Payment    func(p *books.Payment) error
	Expense    func(e *books.Expense) error
}

// EachDocument streams the documents dated from..to (inclusive) to the
// callbacks of set, without holding them all in memory.
func (s *Store) EachDocument(ctx context.Context, from, to string, set DocSet) error {
	if set.Invoice != nil {
		if err := s.each(ctx, `SELECT id, data, cancelled FROM invoices WHERE date >= ? AND date <= ? ORDER BY date, rid`, from, to,
			func(id string, data []byte, c int) error {
				var d books.Invoice
				if err := json.Unmarshal(data, &d); err != nil {
					return fmt.Errorf("invoice %s: %w", id, err)
				}
				d.ID = id
				return set.Invoice(&d, c == 1)
			}); err != nil {
			return err
		}
	}
	if set.CreditNote != nil {
		if err := s.each(ctx, `SELECT id, data, 0 FROM credit_notes WHERE date >= ? AND date <= ? ORDER BY date, rid`, from, to,
			func(id string, data []byte, _ int) error {
				var d books.CreditNote
				if err := json.Unmarshal(data, &d); err != nil {
					return fmt.Errorf("credit note %s: %w", id, err)
				}
				d.ID = id
				return set.CreditNote(&d)
			}); err != nil {
			return err
		}
	}
	if set.Purchase != nil {
		if err := s.each(ctx, `SELECT id, data, 0 FROM purchases WHERE date >= ? AND date <= ? ORDER BY date, rid`, from, to,
			func(id string, data []byte, _ int) error {
				var d books.Purchase
				if err := json.Unmarshal(data, &d); err != nil {
					return fmt.Errorf("purchase %s: %w", id, err)
				}
				d.ID = id
				return set.Purchase(&d)
			}); err != nil {
			return err
		}
	}
	if set.Payment != nil {
		if err := s.each(ctx, `SELECT id, data, 0 FROM payments WHERE date >= ? AND date <= ? ORDER BY date, rid`, from, to,
			func(id string, data []byte, _ int) error {
				var d books.Payment
				if err := json.Unmarshal(data, &d); err != nil {
					return fmt.Errorf("payment %s: %w", id, err)
				}
				d.ID = id
				return set.Payment(&d)
			}); err != nil {
			return err
		}
	}
	if set.Expense != nil {
		if err := s.each(ctx, `SELECT id, data, 0 FROM expenses WHERE date >= ? AND date <= ? ORDER BY date, rid`, from, to,
			func(id string, data []byte, _ int) error {
				var d books.Expense
				if err := json.Unmarshal(data, &d); err != nil {
					return fmt.Errorf("expense %s: %w", id, err)
				}
				d.ID = id
				return set.Expense(&d)
			}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) each(ctx context.Context, q, from, to string, fn func(id string, data []byte, flag int) error) error {
	rows, err := s.r.QueryContext(ctx, q, from, to)
	if err != nil {
		return fmt.Errorf("read documents: %w", err)
	}
	defer rows.Close()
	var id string
	var data []byte
	var flag int
	for rows.Next() {
		if err := rows.Scan(&id, &data, &flag); err != nil {
			return err
		}
		if err := fn(id, data, flag); err != nil {
			return err
		}
	}
	return rows.Err()
}
