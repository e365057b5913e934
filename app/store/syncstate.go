package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	nsync "github.com/ainaukar/naukar/sync"
)

// PendingMutations returns up to limit queued changes in order.
func (s *Store) PendingMutations(limit int) ([]nsync.Mutation, error) {
	rows, err := s.r.Query(`SELECT n, tbl, row_id, hlc, op, data FROM outbox ORDER BY n LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []nsync.Mutation
	for rows.Next() {
		var m nsync.Mutation
		var data string
		if err := rows.Scan(&m.N, &m.Table, &m.ID, &m.HLC, &m.Op, &data); err != nil {
			return nil, err
		}
		m.Data = json.RawMessage(data)
		out = append(out, m)
	}
	return out, rows.Err()
}

// PendingCount is the number of changes waiting to be pushed.
func (s *Store) PendingCount() (int, error) {
	var n int
	err := s.r.QueryRow(`SELECT count(*) FROM outbox`).Scan(&n)
	return n, err
}

// AckMutations removes outbox entries the server has applied (n <= lastN).
func (s *Store) AckMutations(lastN int64) error {
	return s.tx(context.Background(), func(tx *Tx) error {
		if _, err := tx.Exec(`DELETE FROM outbox WHERE n <= ?`, lastN); err != nil {
			return err
		}
		return tx.setMeta(map[string]string{"acked_n": strconv.FormatInt(lastN, 10)})
	})
}

// ApplyChanges merges a pulled page into the books and records the cursor,
// in one transaction, so a dropped link resumes where it stopped. It uses
// the same merge as the server: records per field by stamp, documents
// insert-if-absent with their derived effects.
func (s *Store) ApplyChanges(ctx context.Context, changes []nsync.Change, cursor int64) (applied int, err error) {
	err = s.tx(ctx, func(tx *Tx) error {
		for _, c := range changes {
			if h, err := nsync.ParseHLC(c.HLC); err == nil {
				if err := s.clock.Observe(h); err != nil {
					return err
				}
				tx.hlc = s.clock.Last()
			}
			ok, err := tx.applyChange(c)
			if err != nil {
				return fmt.Errorf("apply %s %s: %w", c.Table, c.ID, err)
			}
			if ok {
				applied++
			}
		}
		return tx.setMeta(map[string]string{"pull_cursor": strconv.FormatInt(cursor, 10)})
	})
	return applied, err
}

func (tx *Tx) applyChange(c nsync.Change) (bool, error) {
	if nsync.TableKind(c.Table) == nsync.KindDocument {
		return tx.insertDocument(c.Table, c.ID, c.HLC, c.Data)
	}
	in := nsync.Row{Table: c.Table, ID: c.ID, HLC: c.HLC, FieldHLC: c.FieldHLC}
	if err := json.Unmarshal(c.Data, &in.Fields); err != nil {
		return false, err
	}
	if in.FieldHLC == nil {
		in.FieldHLC = map[string]string{}
	}
	for f := range in.Fields {
		if in.FieldHLC[f] == "" {
			in.FieldHLC[f] = c.HLC
		}
	}
	cur, err := tx.recordRow(c.Table, c.ID)
	if err != nil {
		return false, err
	}
	merged, changed := nsync.Merge(nsync.KindRecord, cur, in)
	if !changed {
		return false, nil
	}
	return true, tx.writeRecord(merged, cur == nil)
}
