package store

import (
	"context"
	"fmt"

	json "github.com/goccy/go-json" // encoding/json's rules, ~3× faster

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
	// Cancellation gets each invoice's first cancellation dated from..to,
	// with the invoice it voids (whatever the invoice's own date).
	Cancellation func(c *books.Cancellation, inv *books.Invoice) error
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
	if set.Cancellation != nil {
		if err := s.eachCancellation(ctx, from, to, set.Cancellation); err != nil {
			return err
		}
	}
	return nil
}

// eachCancellation streams the first cancellation of each invoice (by date,
// then by arrival) when it is dated from..to; a second cancellation of the
// same invoice (two counters cancelling it offline) is left out.
func (s *Store) eachCancellation(ctx context.Context, from, to string, fn func(*books.Cancellation, *books.Invoice) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT c.id, c.data, i.id, i.data FROM cancellations c JOIN invoices i ON i.id = c.doc_id
		WHERE c.date >= ? AND c.date <= ?
		AND NOT EXISTS (SELECT 1 FROM cancellations o WHERE o.doc_id = c.doc_id AND (o.date < c.date OR o.date = c.date AND o.rid < c.rid))
		ORDER BY c.date, c.rid`, from, to)
	if err != nil {
		return fmt.Errorf("read cancellations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid, iid string
		var cdata, idata []byte
		if err := rows.Scan(&cid, &cdata, &iid, &idata); err != nil {
			return err
		}
		var c books.Cancellation
		if err := json.Unmarshal(cdata, &c); err != nil {
			return fmt.Errorf("cancellation %s: %w", cid, err)
		}
		c.ID = cid
		var inv books.Invoice
		if err := json.Unmarshal(idata, &inv); err != nil {
			return fmt.Errorf("invoice %s: %w", iid, err)
		}
		inv.ID = iid
		if err := fn(&c, &inv); err != nil {
			return err
		}
	}
	return rows.Err()
}

// RecordName is the id and name of a party or product.
type RecordName struct {
	ID, Name string
}

// PartyNames lists every party ever saved, deleted ones too, in id order:
// exports that name a ledger per party tell apart parties sharing a name
// by it, and a deleted party must not hand its name to another.
func (s *Store) PartyNames(ctx context.Context) ([]RecordName, error) {
	return s.recordNames(ctx, `SELECT id, coalesce(name, '') FROM parties ORDER BY id`)
}

// AllProductNames lists every product ever saved, deleted ones too, in id order.
func (s *Store) AllProductNames(ctx context.Context) ([]RecordName, error) {
	return s.recordNames(ctx, `SELECT id, coalesce(name, '') FROM products ORDER BY id`)
}

func (s *Store) recordNames(ctx context.Context, q string) ([]RecordName, error) {
	rows, err := s.r.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read names: %w", err)
	}
	defer rows.Close()
	var out []RecordName
	for rows.Next() {
		var r RecordName
		if err := rows.Scan(&r.ID, &r.Name); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ExpenseCategoryNames lists every expense category ever used, deleted ones
// too: the category records in id order, then categories found only on
// expenses (with no id), sorted.
func (s *Store) ExpenseCategoryNames(ctx context.Context) ([]RecordName, error) {
	return s.recordNames(ctx, `SELECT id, name FROM (
		SELECT id, coalesce(data->>'name', '') AS name, 0 AS k FROM expense_categories
		UNION ALL
		SELECT DISTINCT '', category, 1 FROM expenses WHERE category IS NOT NULL)
		ORDER BY k, id, name`)
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
