package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	gojson "github.com/goccy/go-json"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/staff"
)

// Init creates the books' business profile. It refuses books already set up.
func (s *Store) Init(b books.Business) (string, error) {
	b.Normalize()
	if b.InvoicePrefix == "" {
		b.InvoicePrefix = "INV"
	}
	if err := b.Validate(); err != nil {
		return "", err
	}
	if s.BusinessID() != "" {
		return "", books.Errorf(books.ECONFLICT, "These books are already set up for a business; change the profile in Settings or use `naukar business set`.")
	}
	id := newID()
	err := s.tx(context.Background(), func(tx *Tx) error {
		if err := tx.setMeta(map[string]string{"business_id": id}); err != nil {
			return err
		}
		s.setBusinessID(id)
		_, err := tx.putRecord("business", id, &b)
		return err
	})
	if err != nil {
		s.setBusinessID("")
		return "", err
	}
	return id, nil
}

// Business returns the business profile.
func (s *Store) Business() (books.Business, error) {
	var b books.Business
	if err := s.requireBooks(); err != nil {
		return b, err
	}
	id := s.BusinessID()
	_, ok, err := s.getRecord(s.r, "business", id, &b)
	if err != nil {
		return b, err
	}
	if !ok {
		return b, books.Errorf(books.ENOTFOUND, "The business profile is missing from these books.")
	}
	b.ID = id
	return b, nil
}

// bizCache is the business profile as last read, with the stamp of the
// row it was read from.
type bizCache struct {
	id, hlc string
	biz     books.Business
}

const (
	businessStamp = `SELECT hlc FROM business WHERE id = ?`
	businessRow   = `SELECT hlc, data FROM business WHERE id = ?`
)

// business is the profile in the transaction, decoded again only when its
// row's stamp has changed (a save reads it; it rarely changes).
func (tx *Tx) business() (books.Business, error) {
	s := tx.s
	if err := s.requireBooks(); err != nil {
		return books.Business{}, err
	}
	id := s.BusinessID()
	var hlc string
	err := tx.QueryRow(businessStamp, id).Scan(&hlc)
	if errors.Is(err, sql.ErrNoRows) {
		return books.Business{}, books.Errorf(books.ENOTFOUND, "The business profile is missing from these books.")
	}
	if err != nil {
		return books.Business{}, fmt.Errorf("read business: %w", err)
	}
	if c := s.biz.Load(); c != nil && c.id == id && c.hlc == hlc {
		return c.biz, nil
	}
	var data string
	if err := tx.QueryRow(businessRow, id).Scan(&hlc, &data); err != nil {
		return books.Business{}, fmt.Errorf("read business: %w", err)
	}
	var b books.Business
	if err := json.Unmarshal([]byte(data), &b); err != nil {
		return books.Business{}, fmt.Errorf("read business: %w", err)
	}
	b.ID = id
	s.biz.Store(&bizCache{id: id, hlc: hlc, biz: b})
	return b, nil
}

// SaveBusiness updates the business profile.
func (s *Store) SaveBusiness(b books.Business) error {
	if err := s.requireBooks(); err != nil {
		return err
	}
	b.Normalize()
	if err := b.Validate(); err != nil {
		return err
	}
	return s.tx(context.Background(), func(tx *Tx) error {
		if err := tx.allow(context.Background(), staff.Settings, ""); err != nil {
			return err
		}
		// The reminder rule is set on its own (SetReminderRule): a profile
		// read before it changed must not put the old one back.
		cur, err := tx.business()
		if err != nil {
			return err
		}
		b.ReminderRule = cur.ReminderRule
		_, err = tx.putRecord("business", s.BusinessID(), &b)
		return err
	})
}

// SaveProduct creates (empty ID) or updates a product and returns its id.
// A barcode or SKU already used by another product is refused.
func (s *Store) SaveProduct(p books.Product) (string, error) {
	if err := s.requireBooks(); err != nil {
		return "", err
	}
	var id string
	err := s.tx(context.Background(), func(tx *Tx) error {
		if err := tx.allow(context.Background(), staff.EditProducts, ""); err != nil {
			return err
		}
		var err error
		id, err = tx.saveProduct(p)
		return err
	})
	return id, err
}

func (tx *Tx) saveProduct(p books.Product) (string, error) {
	p.Normalize()
	if err := p.Validate(tx.s.now()); err != nil {
		return "", err
	}
	id := p.ID
	if id == "" {
		id = newID()
	} else {
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM products WHERE id = ?`, id).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return "", books.Errorf(books.ENOTFOUND, "No product with id %s.", id)
		}
	}
	codes := append([]string(nil), p.Barcodes...)
	if p.SKU != "" {
		codes = append(codes, p.SKU)
	}
	for _, c := range codes {
		var other, name string
		err := tx.QueryRow(`SELECT p.id, p.name FROM product_codes c JOIN products p ON p.id = c.product_id
			WHERE c.code = ? AND p.id <> ? AND p.deleted = 0 LIMIT 1`, c, id).Scan(&other, &name)
		if err == nil {
			return "", books.Invalid("barcode", "Code %s is already used by %q; each barcode and SKU must belong to one product.", c, name)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return "", err
		}
	}
	if _, err := tx.putRecord("products", id, &p); err != nil {
		return "", err
	}
	return id, nil
}

// DeleteProduct tombstones a product; issued documents keep their snapshot.
func (s *Store) DeleteProduct(id string) error {
	return s.tx(context.Background(), func(tx *Tx) error {
		if err := tx.allow(context.Background(), staff.EditProducts, ""); err != nil {
			return err
		}
		return tx.deleteRecord("products", id)
	})
}

// Product returns a product by id (deleted ones too; check Deleted).
func (s *Store) Product(id string) (books.Product, error) {
	var p books.Product
	del, ok, err := s.getRecord(s.r, "products", id, &p)
	if err != nil {
		return p, err
	}
	if !ok {
		return p, books.Errorf(books.ENOTFOUND, "No product with id %s.", id)
	}
	p.ID, p.Deleted = id, del
	return p, nil
}

// ProductByCode finds the live product with this exact barcode or SKU.
func (s *Store) ProductByCode(code string) (books.Product, error) {
	return s.productByCode(s.rp(), code)
}

func (s *Store) productByCode(q querier, code string) (books.Product, error) {
	var p books.Product
	code = strings.TrimSpace(code)
	var id, data string
	err := q.QueryRow(`SELECT p.id, p.data FROM product_codes c JOIN products p ON p.id = c.product_id
		WHERE c.code = ? AND p.deleted = 0 LIMIT 1`, code).Scan(&id, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return p, books.Errorf(books.ENOTFOUND, "No product has the barcode or SKU %q.", code)
	}
	if err != nil {
		return p, fmt.Errorf("find product %s: %w", code, err)
	}
	if err := gojson.Unmarshal([]byte(data), &p); err != nil {
		return p, err
	}
	p.ID = id
	return p, nil
}

// ProductHit is one row of a product search or list.
type ProductHit struct {
	ID        string
	Name      string
	SKU       string
	SalePrice int64
	Stock     int64 // milli-units on hand
	Reorder   int64
	Unit      string // UQC, e.g. PCS, KGS; "" from SearchProducts (see ProductUnits)
	RID       int64  // row id (list pages only: ProductsAfter, ProductsBefore, ProductsAt)
}

// ProductUnits returns the unit (UQC) of each product id. Search as you
// type leaves units out (reading them costs the search a fifth of its
// time); a list that shows them asks for its rows' units here.
func (s *Store) ProductUnits(ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.r.Query(`SELECT id, coalesce(data->>'unit', '') FROM products WHERE id IN (?`+strings.Repeat(",?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("product units: %w", err)
		}
		for rows.Next() {
			var id, unit string
			if err := rows.Scan(&id, &unit); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = unit
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SearchProducts finds live products as the user types, best first, at
// most limit: an exact barcode or SKU, then names starting with q, then
// names or SKUs with a word starting with each word of q (FTS5 prefix
// search). Every step stops at limit rows, so it stays fast on 100,000
// products; stock comes with each hit.
func (s *Store) SearchProducts(q string, limit int) ([]ProductHit, error) {
	if err := s.settleStock(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 20
	}
	if q = strings.TrimSpace(q); q == "" {
		return nil, nil
	}
	out := make([]ProductHit, 0, limit)
	seen := map[string]bool{}
	scan := func(rows *sql.Rows) error {
		defer rows.Close()
		for len(out) < limit && rows.Next() {
			var h ProductHit
			if err := rows.Scan(&h.ID, &h.Name, &h.SKU, &h.SalePrice, &h.Reorder, &h.Stock); err != nil {
				return err
			}
			if !seen[h.ID] {
				seen[h.ID] = true
				out = append(out, h)
			}
		}
		return rows.Err()
	}
	rows, err := s.rp().Query(hitSelect+` JOIN product_codes c ON c.product_id = p.id WHERE c.code = ? AND p.deleted = 0 LIMIT 1`, q)
	if err != nil {
		return nil, fmt.Errorf("search products: %w", err)
	}
	if err := scan(rows); err != nil {
		return nil, err
	}
	if hi := prefixEnd(q); hi != "" {
		rows, err := s.rp().Query(hitSelect+` WHERE p.deleted = 0 AND p.name >= ? COLLATE NOCASE AND p.name < ? COLLATE NOCASE
			ORDER BY p.name COLLATE NOCASE LIMIT ?`, q, hi, limit)
		if err != nil {
			return nil, fmt.Errorf("search products: %w", err)
		}
		if err := scan(rows); err != nil {
			return nil, err
		}
	}
	if len(out) >= limit {
		return out, nil
	}
	match := ftsQuery(q)
	if match == "" {
		return out, nil
	}
	// Every word is a prefix term of the FTS5 query, the short ones too
	// (the "1" of "maggi noo 1"): their prefix index makes them cheap to
	// step through, and the query stops at limit rows (enough even when
	// the rows already found come again) rather than reading hundreds of
	// products to sift in Go.
	rows, err = s.rp().Query(hitSelect+` WHERE p.rid IN (SELECT rowid FROM product_fts WHERE product_fts MATCH ? LIMIT ?) AND p.deleted = 0
		ORDER BY p.rid`, match, limit)
	if err != nil {
		return nil, fmt.Errorf("search products: %w", err)
	}
	if err := scan(rows); err != nil {
		return nil, err
	}
	return out, nil
}

const hitSelect = `SELECT p.id, p.name, coalesce(p.sku, ''), p.sale_price, p.reorder_level, p.opening_stock + coalesce(l.qty, 0)
	FROM products p LEFT JOIN stock_levels l ON l.product_id = p.id`

// prefixEnd is the smallest string above every string starting with q
// (case-insensitively), for an index range scan; "" if there is none.
func prefixEnd(q string) string {
	r := []rune(strings.ToLower(q))
	if len(r) == 0 || r[len(r)-1] == unicode.MaxRune {
		return ""
	}
	r[len(r)-1]++
	return string(r)
}

func words(q string) []string {
	return strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r)
	})
}

// ftsQuery turns typed text into an FTS5 prefix query over its words
// ("basm ric 1" → "basm"* AND "ric"* AND "1"*).
func ftsQuery(q string) string {
	ws := words(q)
	parts := make([]string, 0, len(ws))
	for _, w := range ws {
		parts = append(parts, `"`+w+`"*`)
	}
	return strings.Join(parts, " AND ")
}

// StockOnHand is opening stock plus the stock effects of all documents.
func (s *Store) StockOnHand(productID string) (int64, error) {
	if err := s.settleStock(); err != nil {
		return 0, err
	}
	var q int64
	err := s.rp().QueryRow(`SELECT coalesce((SELECT opening_stock FROM products WHERE id = ?), 0) +
		coalesce((SELECT qty FROM stock_levels WHERE product_id = ?), 0)`, productID, productID).Scan(&q)
	if err != nil {
		return 0, fmt.Errorf("stock of %s: %w", productID, err)
	}
	return q, nil
}

// ProductFilter narrows ListProducts.
type ProductFilter struct {
	LowStock bool // only products at or below their reorder level
	Offset   int
	Limit    int
}

// ListProducts pages live products by name with their stock.
func (s *Store) ListProducts(f ProductFilter) ([]ProductHit, error) {
	if err := s.settleStock(); err != nil {
		return nil, err
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	q := `SELECT p.id, p.name, coalesce(p.sku, ''), p.sale_price, p.reorder_level, p.opening_stock + coalesce(l.qty, 0) AS stock,
		coalesce(p.data->>'unit', '') FROM products p LEFT JOIN stock_levels l ON l.product_id = p.id WHERE p.deleted = 0`
	if f.LowStock {
		q += ` AND p.reorder_level > 0 AND p.opening_stock + coalesce(l.qty, 0) <= p.reorder_level`
	}
	q += ` ORDER BY p.name COLLATE NOCASE LIMIT ? OFFSET ?`
	rows, err := s.rp().Query(q, f.Limit, f.Offset)
	if err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	defer rows.Close()
	var out []ProductHit
	for rows.Next() {
		var h ProductHit
		if err := rows.Scan(&h.ID, &h.Name, &h.SKU, &h.SalePrice, &h.Reorder, &h.Stock, &h.Unit); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// CountProducts counts live products. Counting a million takes tens of
// milliseconds, so the count is kept with the catalogue's largest row id
// and its number of deleted products, which change whenever the number of
// live ones can (rows are never removed, only marked deleted; migration
// 0076): they are read first, and the products counted again only when
// they differ (in one statement with the count, so all three agree).
func (s *Store) CountProducts() (int, error) {
	var c productCount
	if err := s.rp().QueryRow(productCountKey).Scan(&c.maxRID, &c.gone); err != nil {
		return 0, fmt.Errorf("count products: %w", err)
	}
	if old := s.liveProducts.Load(); old != nil && old.maxRID == c.maxRID && old.gone == c.gone {
		return old.n, nil
	}
	if err := s.rp().QueryRow(productCountKey+`, (SELECT count(*) FROM products WHERE deleted = 0)`).Scan(&c.maxRID, &c.gone, &c.n); err != nil {
		return 0, fmt.Errorf("count products: %w", err)
	}
	s.liveProducts.Store(&c)
	return c.n, nil
}

// productCount is a count of live products and what it was counted at.
type productCount struct {
	maxRID, gone int64
	n            int
}

const productCountKey = `SELECT coalesce((SELECT max(rid) FROM products), 0), (SELECT count(*) FROM products WHERE deleted <> 0)`

// RowError is a problem with one row of an import (1-based data row; the
// header is row 1, so the first data row is row 2).
type RowError struct {
	Row int
	Err error
}

// ImportError lists every bad row of an import; nothing was saved.
type ImportError struct{ Rows []RowError }

func (e *ImportError) Error() string {
	var b strings.Builder
	if len(e.Rows) == 1 {
		b.WriteString("1 row has a problem; nothing was imported:")
	} else {
		fmt.Fprintf(&b, "%d rows have problems; nothing was imported:", len(e.Rows))
	}
	for i, r := range e.Rows {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … and %d more", len(e.Rows)-20)
			break
		}
		fmt.Fprintf(&b, "\n  row %d: %s", r.Row, books.ErrorMessage(r.Err))
	}
	return b.String()
}

// ImportProducts saves all products in one transaction, or none. A product
// whose SKU already exists is updated. rows gives each product's file row.
func (s *Store) ImportProducts(ps []books.Product, rows []int) (int, error) {
	if err := s.requireBooks(); err != nil {
		return 0, err
	}
	var ie ImportError
	err := s.tx(context.Background(), func(tx *Tx) error {
		if err := tx.allow(context.Background(), staff.EditProducts, ""); err != nil {
			return err
		}
		for i, p := range ps {
			if p.SKU != "" && p.ID == "" {
				var id string
				err := tx.QueryRow(`SELECT id FROM products WHERE sku = ? AND deleted = 0 LIMIT 1`, strings.TrimSpace(p.SKU)).Scan(&id)
				if err == nil {
					p.ID = id
				} else if !errors.Is(err, sql.ErrNoRows) {
					return err
				}
			}
			if _, err := tx.saveProduct(p); err != nil {
				if books.ErrorCode(err) == books.EINTERNAL {
					return err
				}
				ie.Rows = append(ie.Rows, RowError{Row: rows[i], Err: err})
			}
		}
		if len(ie.Rows) > 0 {
			return &ie
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(ps), nil
}

// SaveParty creates (empty ID) or updates a party and returns its id.
func (s *Store) SaveParty(p books.Party) (string, error) {
	if err := s.requireBooks(); err != nil {
		return "", err
	}
	var id string
	err := s.tx(context.Background(), func(tx *Tx) error {
		act := staff.EditParties
		if p.ID == "" && p.Kind != books.Supplier {
			act = staff.AddCustomer
		}
		if err := tx.allow(context.Background(), act, ""); err != nil {
			return err
		}
		var err error
		id, err = tx.saveParty(p)
		return err
	})
	return id, err
}

func (tx *Tx) saveParty(p books.Party) (string, error) {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return "", err
	}
	id := p.ID
	if id == "" {
		id = newID()
	}
	_, err := tx.putRecord("parties", id, &p)
	return id, err
}

// DeleteParty tombstones a party.
func (s *Store) DeleteParty(id string) error {
	return s.tx(context.Background(), func(tx *Tx) error {
		if err := tx.allow(context.Background(), staff.EditParties, ""); err != nil {
			return err
		}
		return tx.deleteRecord("parties", id)
	})
}

// Party returns a party by id.
func (s *Store) Party(id string) (books.Party, error) {
	return s.party(s.r, id)
}

func (s *Store) party(q querier, id string) (books.Party, error) {
	var p books.Party
	del, ok, err := s.getRecord(q, "parties", id, &p)
	if err != nil {
		return p, err
	}
	if !ok {
		return p, books.Errorf(books.ENOTFOUND, "No party with id %s.", id)
	}
	p.ID, p.Deleted = id, del
	return p, nil
}

// FindParty finds a live party by exact phone or by name (case-insensitive).
func (s *Store) FindParty(nameOrPhone string) (books.Party, error) {
	return s.findParty(s.r, nameOrPhone)
}

func (s *Store) findParty(q querier, nameOrPhone string) (books.Party, error) {
	key := strings.TrimSpace(nameOrPhone)
	phone, _ := gst.NormalizeMobile(key) // "" for a name
	var id string
	err := q.QueryRow(`SELECT id FROM parties WHERE deleted = 0 AND (phone = ? OR name = ? COLLATE NOCASE OR id = ?) ORDER BY rid LIMIT 1`,
		phone, key, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return books.Party{}, books.Errorf(books.ENOTFOUND, "No party named or with phone %q.", key)
	}
	if err != nil {
		return books.Party{}, err
	}
	return s.party(q, id)
}

// PartyHit is a row of the party list.
type PartyHit struct {
	ID, Name, Kind, Phone string
	Balance               int64 // > 0 they owe the shop
}

// ListParties lists live parties whose name or phone starts with prefix, with balances.
func (s *Store) ListParties(prefix string, limit int) ([]PartyHit, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.r.Query(`SELECT p.id, p.name, p.kind, coalesce(p.phone, ''),
		p.opening_balance + coalesce((SELECT sum(debit - credit) FROM ledger l WHERE l.party_id = p.id AND l.cancelled = 0), 0)
		FROM parties p WHERE p.deleted = 0 AND (? = '' OR p.name LIKE ? || '%' OR p.phone LIKE ? || '%')
		ORDER BY p.name COLLATE NOCASE LIMIT ?`, prefix, prefix, prefix, limit)
	if err != nil {
		return nil, fmt.Errorf("list parties: %w", err)
	}
	defer rows.Close()
	var out []PartyHit
	for rows.Next() {
		var h PartyHit
		if err := rows.Scan(&h.ID, &h.Name, &h.Kind, &h.Phone, &h.Balance); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// PartyBalance is opening balance plus debits minus credits (> 0: they owe us).
func (s *Store) PartyBalance(id string) (int64, error) {
	var b int64
	err := s.r.QueryRow(`SELECT coalesce((SELECT opening_balance FROM parties WHERE id = ?), 0) +
		coalesce((SELECT sum(debit - credit) FROM ledger WHERE party_id = ? AND cancelled = 0), 0)`, id, id).Scan(&b)
	return b, err
}

// ImportParties saves all parties in one transaction, or none.
func (s *Store) ImportParties(ps []books.Party, rows []int) (int, error) {
	if err := s.requireBooks(); err != nil {
		return 0, err
	}
	var ie ImportError
	err := s.tx(context.Background(), func(tx *Tx) error {
		if err := tx.allow(context.Background(), staff.EditParties, ""); err != nil {
			return err
		}
		for i, p := range ps {
			if _, err := tx.saveParty(p); err != nil {
				if books.ErrorCode(err) == books.EINTERNAL {
					return err
				}
				ie.Rows = append(ie.Rows, RowError{Row: rows[i], Err: err})
			}
		}
		if len(ie.Rows) > 0 {
			return &ie
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(ps), nil
}
