package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
)

// A new device downloads a business in an order that lets it bill within
// seconds (sync/protocol/download.go): the masters first (the business
// profile, products, parties), then the history in the background. In
// bulk mode the masters' indexes and the search index are built as soon
// as the masters are in (ReadyToBill), so search, barcodes and saving a
// bill work while the history still comes down; the history's own
// indexes, stock and balances are derived when it ends (EndPull). Until
// then HistoryLoading says that stock and balances are not final.

const (
	// metaSearchReady: the search index was built by ReadyToBill during a
	// bulk download (later product writes keep it in step).
	metaSearchReady = "bulk_search_ready"
	// metaHistory: "1" while a new device's history is downloading.
	metaHistory = "history_loading"
)

// billingTables are the tables whose indexes billing needs at once: search
// and codes of products, parties by name and phone, and the next number of
// a series.
var billingTables = map[string]bool{"products": true, "product_codes": true, "parties": true}

var billingIndexes = map[string]bool{"invoices_series": true, "credit_notes_series": true}

// afterHistory are indexes of the billing tables that only reports read:
// they are built when the history is in, not before the first bill (stock
// valuation reads each product's JSON for its purchase price).
var afterHistory = map[string]bool{"products_value": true}

var indexDDL = regexp.MustCompile(`(?is)^CREATE\s+(?:UNIQUE\s+)?INDEX\s+"?(\w+)"?\s+ON\s+"?(\w+)"?`)

// BeginDownload is called by the sync engine before the first page of a new
// device's ordered download, with the size of the business's feed: big
// downloads into empty books run in bulk mode.
func (s *Store) BeginDownload(ctx context.Context, rows int64) error {
	if s.bulk.Load() || rows < int64(s.bulkFrom) {
		return nil
	}
	if has, err := s.HasLocalData(); err != nil || has {
		return err
	}
	return s.startBulk(ctx)
}

// ReadyToBill is called by the sync engine when the masters of an ordered
// download are in: the indexes billing reads and the search index are
// built, and the books say the history is still loading.
func (s *Store) ReadyToBill(ctx context.Context) error {
	err := s.tx(ctx, func(tx *Tx) error {
		if s.bulk.Load() {
			v, err := tx.meta(metaBulk)
			if err != nil {
				return err
			}
			var ddl, rest []string
			if v != "" {
				if err := json.Unmarshal([]byte(v), &ddl); err != nil {
					return fmt.Errorf("read bulk state: %w", err)
				}
			}
			for _, q := range ddl {
				m := indexDDL.FindStringSubmatch(q)
				if m == nil || !billingTables[m[2]] && !billingIndexes[m[1]] || afterHistory[m[1]] {
					rest = append(rest, q)
					continue
				}
				if _, err := tx.Exec(q); err != nil {
					return fmt.Errorf("index the products and parties: %w", err)
				}
			}
			if _, err := tx.Exec(`INSERT INTO product_fts(product_fts) VALUES ('rebuild')`); err != nil {
				return fmt.Errorf("index the products for search: %w", err)
			}
			b, _ := json.Marshal(rest)
			if err := tx.setMeta(map[string]string{metaBulk: string(b), metaSearchReady: "1"}); err != nil {
				return err
			}
		}
		return tx.setMeta(map[string]string{metaHistory: "1"})
	})
	if err != nil {
		return err
	}
	if s.bulk.Load() {
		s.searchReady.Store(true)
	}
	s.history.Store(2)
	return nil
}

// HistoryLoading reports whether a new device's history is still
// downloading: stock and balances shown are not final yet.
func (s *Store) HistoryLoading() bool {
	switch s.history.Load() {
	case 1:
		return false
	case 2:
		return true
	}
	v, err := s.Meta(metaHistory)
	if err != nil {
		return false
	}
	if v != "" {
		s.history.Store(2)
		return true
	}
	s.history.Store(1)
	return false
}

// endHistory notes that the history is in (the feed was read to its end).
func (s *Store) endHistory(ctx context.Context) error {
	if !s.HistoryLoading() {
		return nil
	}
	if err := s.SetMeta(map[string]string{metaHistory: ""}); err != nil {
		return err
	}
	s.history.Store(1)
	return nil
}

// skipSearch reports whether product writes leave the search index to the
// end of a bulk download.
func (s *Store) skipSearch() bool { return s.bulk.Load() && !s.searchReady.Load() }

// meta reads one local setting inside a transaction ("" if unset).
func (tx *Tx) meta(key string) (string, error) {
	var v string
	err := tx.QueryRow(`SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}
