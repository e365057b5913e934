package store

import (
	"fmt"
	"slices"
	"strings"
)

// The Products screen's virtual list reads the catalogue a page at a time
// in list order (live products by name, then row id), never the whole
// catalogue: a page next to one already read continues from that page's
// first or last row (keyset paging on the name index, the same cost at row
// 999,999 as at row 0); a jump reads its page by position, walking the
// name index from whichever end is nearer.

// ProductCursor is a place in the product list: a row's name and row id.
type ProductCursor struct {
	Name string
	RID  int64
}

// Cursor is the list place of a row read by ProductsAfter, ProductsBefore
// or ProductsAt.
func (h ProductHit) Cursor() ProductCursor { return ProductCursor{Name: h.Name, RID: h.RID} }

const (
	productListCols = `SELECT p.rid, p.id, p.name, coalesce(p.sku, ''), p.sale_price, p.reorder_level,
		p.opening_stock + coalesce(l.qty, 0), coalesce(p.data->>'unit', '')
		FROM products p LEFT JOIN stock_levels l ON l.product_id = p.id WHERE p.deleted = 0`
	lowStockCond = ` AND p.reorder_level > 0 AND p.opening_stock + coalesce(l.qty, 0) <= p.reorder_level`
)

// ProductsAfter returns up to limit live products in list order after c
// (from the start when c is zero), optionally only those at or below their
// reorder level.
func (s *Store) ProductsAfter(lowStock bool, c ProductCursor, limit int) ([]ProductHit, error) {
	return s.productsNear(lowStock, c, limit, false)
}

// ProductsBefore returns up to limit live products in list order just
// before c (in list order).
func (s *Store) ProductsBefore(lowStock bool, c ProductCursor, limit int) ([]ProductHit, error) {
	return s.productsNear(lowStock, c, limit, true)
}

func (s *Store) productsNear(lowStock bool, c ProductCursor, limit int, before bool) ([]ProductHit, error) {
	if err := s.settleStock(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	q := productListCols
	var args []any
	switch {
	case before:
		q += ` AND p.name <= ? COLLATE NOCASE AND (p.name < ? COLLATE NOCASE OR p.rid < ?)`
		args = append(args, c.Name, c.Name, c.RID)
	case c != ProductCursor{}:
		q += ` AND p.name >= ? COLLATE NOCASE AND (p.name > ? COLLATE NOCASE OR p.rid > ?)`
		args = append(args, c.Name, c.Name, c.RID)
	}
	if lowStock {
		q += lowStockCond
	}
	if before {
		q += ` ORDER BY p.name COLLATE NOCASE DESC, p.rid DESC LIMIT ?`
	} else {
		q += ` ORDER BY p.name COLLATE NOCASE, p.rid LIMIT ?`
	}
	out, err := s.productRows(q, append(args, limit)...)
	if before {
		slices.Reverse(out)
	}
	return out, err
}

// ProductsAt returns up to limit live products from list position offset
// (0-based), for a jump far from the rows already read; total is the
// list's length as counted (CountProducts or CountLowStock). The positions
// are counted from whichever end of the list is nearer, over the name
// index alone.
func (s *Store) ProductsAt(lowStock bool, offset, limit, total int) ([]ProductHit, error) {
	if err := s.settleStock(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	offset = max(offset, 0)
	from := `FROM products WHERE deleted = 0`
	if lowStock {
		from = `FROM products p LEFT JOIN stock_levels l ON l.product_id = p.id WHERE p.deleted = 0` + lowStockCond
	}
	order, skip, n := ` ORDER BY name COLLATE NOCASE, rid`, offset, limit
	fromEnd := total > 0 && offset > total/2
	if fromEnd {
		// The rows offset..offset+limit-1 are, from the end, the rows
		// total-offset-limit..total-offset-1.
		order = ` ORDER BY name COLLATE NOCASE DESC, rid DESC`
		skip = total - offset - limit
		if skip < 0 {
			n, skip = limit+skip, 0
		}
		if n <= 0 {
			return nil, nil
		}
	}
	rows, err := s.rp().Query(`SELECT rid `+from+order+` LIMIT ? OFFSET ?`, n, skip)
	if err != nil {
		return nil, fmt.Errorf("product list: %w", err)
	}
	rids := make([]any, 0, n)
	for rows.Next() {
		var rid int64
		if err := rows.Scan(&rid); err != nil {
			rows.Close()
			return nil, err
		}
		rids = append(rids, rid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(rids) == 0 {
		return nil, nil
	}
	out, err := s.productRows(productListCols+` AND p.rid IN (?`+strings.Repeat(",?", len(rids)-1)+`)`, rids...)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b ProductHit) int {
		if c := compareNoCase(a.Name, b.Name); c != 0 {
			return c
		}
		return int(a.RID - b.RID)
	})
	return out, nil
}

// compareNoCase orders as SQLite's NOCASE collation: ASCII letters folded
// to lower case, then bytes.
func compareNoCase(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return int(x) - int(y)
		}
	}
	return len(a) - len(b)
}

func (s *Store) productRows(q string, args ...any) ([]ProductHit, error) {
	rows, err := s.rp().Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("product list: %w", err)
	}
	defer rows.Close()
	var out []ProductHit
	for rows.Next() {
		var h ProductHit
		if err := rows.Scan(&h.RID, &h.ID, &h.Name, &h.SKU, &h.SalePrice, &h.Reorder, &h.Stock, &h.Unit); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
