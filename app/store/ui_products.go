package store

import (
	"fmt"
	"strings"
)

// ProductOrder returns the row ids of live products in list order (by name,
// as ListProducts), optionally only those at or below their reorder level.
// A virtual list holds this once and reads any page by id with
// ProductsByRID, so a jump to row 99,999 costs the same as row 0 (OFFSET
// paging costs grow with the offset).
func (s *Store) ProductOrder(lowStock bool) ([]int64, error) {
	if err := s.settleStock(); err != nil {
		return nil, err
	}
	q := `SELECT rid FROM products WHERE deleted = 0 ORDER BY name COLLATE NOCASE`
	if lowStock {
		q = `SELECT p.rid FROM products p LEFT JOIN stock_levels l ON l.product_id = p.id
			WHERE p.deleted = 0 AND p.reorder_level > 0 AND p.opening_stock + coalesce(l.qty, 0) <= p.reorder_level
			ORDER BY p.name COLLATE NOCASE`
	}
	rows, err := s.r.Query(q)
	if err != nil {
		return nil, fmt.Errorf("product order: %w", err)
	}
	defer rows.Close()
	out := make([]int64, 0, 1024)
	for rows.Next() {
		var rid int64
		if err := rows.Scan(&rid); err != nil {
			return nil, err
		}
		out = append(out, rid)
	}
	return out, rows.Err()
}

// ProductsByRID returns list rows (with stock) for the given row ids, in
// the same order; ids no longer present are left out.
func (s *Store) ProductsByRID(rids []int64) ([]ProductHit, error) {
	if err := s.settleStock(); err != nil {
		return nil, err
	}
	if len(rids) == 0 {
		return nil, nil
	}
	args := make([]any, len(rids))
	for i, r := range rids {
		args[i] = r
	}
	q := `SELECT p.rid, p.id, p.name, coalesce(p.sku, ''), p.sale_price, p.reorder_level, p.opening_stock + coalesce(l.qty, 0),
		coalesce(p.data->>'unit', '') FROM products p LEFT JOIN stock_levels l ON l.product_id = p.id
		WHERE p.rid IN (?` + strings.Repeat(",?", len(rids)-1) + `)`
	rows, err := s.r.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("products by row: %w", err)
	}
	defer rows.Close()
	byRID := make(map[int64]ProductHit, len(rids))
	for rows.Next() {
		var rid int64
		var h ProductHit
		if err := rows.Scan(&rid, &h.ID, &h.Name, &h.SKU, &h.SalePrice, &h.Reorder, &h.Stock, &h.Unit); err != nil {
			return nil, err
		}
		byRID[rid] = h
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]ProductHit, 0, len(rids))
	for _, r := range rids {
		if h, ok := byRID[r]; ok {
			out = append(out, h)
		}
	}
	return out, nil
}
