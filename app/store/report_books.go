package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Queries behind the business reports (app/reports). Read-only, on the read
// pool. Dates are YYYY-MM-DD, both ends inclusive.

// RegisterRow is one document of the sales or purchase register. Credit
// notes are listed with their own (positive) amounts; the report signs them.
type RegisterRow struct {
	Table         string // invoices, credit_notes or purchases
	ID            string
	Date          string
	Number        string
	Kind          string
	PartyName     string
	PartyGSTIN    string
	PlaceOfSupply string
	SupplyType    string
	Ref           string // credit notes: the invoice number
	Taxable       int64
	CGST          int64
	SGST          int64
	IGST          int64
	Cess          int64
	RoundOff      int64
	GrandTotal    int64
	Paid          int64
	Cancelled     bool
}

// SalesRegister lists the invoices (cancelled ones too) and credit notes
// dated from..to, by date.
func (s *Store) SalesRegister(ctx context.Context, from, to string) ([]RegisterRow, error) {
	return s.register(ctx, `SELECT 'invoices', id, date, number, kind, coalesce(party_name, ''), coalesce(party_gstin, ''),
		coalesce(place_of_supply, ''), coalesce(supply_type, ''), '',
		taxable, cgst, sgst, igst, cess, coalesce(round_off, 0), grand_total,
		coalesce(paid, 0), cancelled, rid
		FROM invoices WHERE date >= ?1 AND date <= ?2
		UNION ALL
		SELECT 'credit_notes', id, date, number, 'credit_note', coalesce(party_name, ''), coalesce(party_gstin, ''),
		coalesce(place_of_supply, ''), coalesce(supply_type, ''), coalesce(invoice_number, ''),
		taxable, cgst, sgst, igst, cess, coalesce(round_off, 0), grand_total,
		coalesce(refunded, 0), 0, rid
		FROM credit_notes WHERE date >= ?1 AND date <= ?2
		ORDER BY 3, 1 DESC, 20`, from, to)
}

// PurchaseRegister lists the purchase bills dated from..to, by date.
func (s *Store) PurchaseRegister(ctx context.Context, from, to string) ([]RegisterRow, error) {
	return s.register(ctx, `SELECT 'purchases', id, date, coalesce(bill_number, ''), 'purchase', coalesce(party_name, ''),
		coalesce(party_gstin, ''), coalesce(party_state, ''), coalesce(supply_type, ''), '',
		taxable, cgst, sgst, igst, cess, coalesce(round_off, 0), grand_total,
		coalesce(paid, 0), 0, rid
		FROM purchases WHERE date >= ?1 AND date <= ?2 ORDER BY date, rid`, from, to)
}

func (s *Store) register(ctx context.Context, q, from, to string) ([]RegisterRow, error) {
	rows, err := s.r.QueryContext(ctx, q, from, to)
	if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	defer rows.Close()
	var out []RegisterRow
	for rows.Next() {
		var r RegisterRow
		var cancelled, rid int64
		if err := rows.Scan(&r.Table, &r.ID, &r.Date, &r.Number, &r.Kind, &r.PartyName, &r.PartyGSTIN, &r.PlaceOfSupply, &r.SupplyType, &r.Ref,
			&r.Taxable, &r.CGST, &r.SGST, &r.IGST, &r.Cess, &r.RoundOff, &r.GrandTotal, &r.Paid, &cancelled, &rid); err != nil {
			return nil, err
		}
		r.Cancelled = cancelled == 1
		out = append(out, r)
	}
	return out, rows.Err()
}

// DayEntry is one document of the day book.
type DayEntry struct {
	Date      string
	Table     string // invoices, credit_notes, purchases, payments, expenses, stock_adjustments, cancellations
	ID        string
	Kind      string // payments: in or out
	Number    string
	Party     string // party, expense category or product
	Amount    int64
	MoneyIn   int64
	MoneyOut  int64
	Modes     string // payment modes used, comma separated
	Cancelled bool
	MadeBy    string // the staff member who made it, by name ("" without staff)
}

// DayBook lists every document dated from..to in date order, with the
// money each moved and who made it. With limit > 0 it returns one page; total counts all.
func (s *Store) DayBook(ctx context.Context, from, to string, offset, limit int) (entries []DayEntry, total int, err error) {
	const docs = `SELECT date, 'invoices' AS tbl, id, kind, number, coalesce(party_name, '') AS party, grand_total AS amount, cancelled, rid FROM invoices WHERE date >= ?1 AND date <= ?2
		UNION ALL SELECT date, 'credit_notes', id, '', number, coalesce(party_name, ''), grand_total, 0, rid FROM credit_notes WHERE date >= ?1 AND date <= ?2
		UNION ALL SELECT date, 'purchases', id, '', coalesce(bill_number, ''), coalesce(party_name, ''), grand_total, 0, rid FROM purchases WHERE date >= ?1 AND date <= ?2
		UNION ALL SELECT date, 'payments', id, data->>'direction', '', coalesce(data->>'$.party.name', ''), data->>'amount', 0, rid FROM payments WHERE date >= ?1 AND date <= ?2
		UNION ALL SELECT date, 'expenses', id, '', '', category, amount, 0, rid FROM expenses WHERE date >= ?1 AND date <= ?2
		UNION ALL SELECT date, 'stock_adjustments', id, '', '', coalesce(data->>'product_name', ''), 0, 0, rid FROM stock_adjustments WHERE date >= ?1 AND date <= ?2
		UNION ALL SELECT date, 'cancellations', id, '', coalesce(data->>'doc_number', ''), coalesce(data->>'reason', ''), 0, 0, rid FROM cancellations WHERE date >= ?1 AND date <= ?2`
	const count = `SELECT (SELECT count(*) FROM invoices WHERE date >= ?1 AND date <= ?2) + (SELECT count(*) FROM credit_notes WHERE date >= ?1 AND date <= ?2)
		+ (SELECT count(*) FROM purchases WHERE date >= ?1 AND date <= ?2) + (SELECT count(*) FROM payments WHERE date >= ?1 AND date <= ?2)
		+ (SELECT count(*) FROM expenses WHERE date >= ?1 AND date <= ?2) + (SELECT count(*) FROM stock_adjustments WHERE date >= ?1 AND date <= ?2)
		+ (SELECT count(*) FROM cancellations WHERE date >= ?1 AND date <= ?2)`
	if err := s.r.QueryRowContext(ctx, count, from, to).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("day book: %w", err)
	}
	q := `SELECT d.date, d.tbl, d.id, coalesce(d.kind, ''), d.number, d.party, coalesce(d.amount, 0), d.cancelled,
		-- who made it, read for the page's rows only (the documents' JSON is
		-- not read for the whole period)
		coalesce(CASE d.tbl WHEN 'invoices' THEN (SELECT data->>'made_by_name' FROM invoices WHERE id = d.id)
			WHEN 'credit_notes' THEN (SELECT data->>'made_by_name' FROM credit_notes WHERE id = d.id)
			WHEN 'purchases' THEN (SELECT data->>'made_by_name' FROM purchases WHERE id = d.id)
			WHEN 'payments' THEN (SELECT data->>'made_by_name' FROM payments WHERE id = d.id)
			WHEN 'expenses' THEN (SELECT data->>'made_by_name' FROM expenses WHERE id = d.id)
			WHEN 'stock_adjustments' THEN (SELECT data->>'made_by_name' FROM stock_adjustments WHERE id = d.id)
			WHEN 'cancellations' THEN (SELECT data->>'made_by_name' FROM cancellations WHERE id = d.id) END, ''),
		coalesce((SELECT sum(amount_in) FROM money_moves m WHERE m.doc_id = d.id), 0),
		coalesce((SELECT sum(amount_out) FROM money_moves m WHERE m.doc_id = d.id), 0),
		coalesce((SELECT group_concat(mode, ',') FROM (SELECT DISTINCT mode FROM money_moves m WHERE m.doc_id = d.id ORDER BY mode)), '')
		FROM (` + docs + `) d ORDER BY d.date, CASE d.tbl WHEN 'invoices' THEN 1 WHEN 'credit_notes' THEN 2 WHEN 'cancellations' THEN 3
		WHEN 'payments' THEN 4 WHEN 'purchases' THEN 5 WHEN 'expenses' THEN 6 ELSE 7 END, d.rid LIMIT ?3 OFFSET ?4`
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.r.QueryContext(ctx, q, from, to, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("day book: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e DayEntry
		var c int
		if err := rows.Scan(&e.Date, &e.Table, &e.ID, &e.Kind, &e.Number, &e.Party, &e.Amount, &c, &e.MadeBy, &e.MoneyIn, &e.MoneyOut, &e.Modes); err != nil {
			return nil, 0, err
		}
		e.Cancelled = c == 1
		entries = append(entries, e)
	}
	return entries, total, rows.Err()
}

// MoneyMove is one movement of money of the cash book.
type MoneyMove struct {
	Date   string
	Table  string
	DocID  string
	Mode   string
	Number string
	Party  string
	In     int64
	Out    int64
}

// MoneyBook lists the money moved in the given modes (all modes if none)
// from..to, by date, leaving out cancelled invoices; opening is the net of
// those modes before from.
func (s *Store) MoneyBook(ctx context.Context, from, to string, modes []string) (opening int64, moves []MoneyMove, err error) {
	cond, args := modeCond(modes)
	if err := s.r.QueryRowContext(ctx, `SELECT coalesce(sum(amount_in - amount_out), 0) FROM money_moves
		WHERE date < ? AND cancelled = 0`+cond, append([]any{from}, args...)...).Scan(&opening); err != nil {
		return 0, nil, fmt.Errorf("cash book: %w", err)
	}
	q := `SELECT m.date, m.doc_table, m.doc_id, m.mode, m.amount_in, m.amount_out,
		CASE m.doc_table
			WHEN 'invoices' THEN (SELECT number || char(31) || coalesce(party_name, '') FROM invoices INDEXED BY invoices_report
				WHERE date = m.date AND cancelled = 0 AND id = m.doc_id) -- a seek in invoices_report
			WHEN 'credit_notes' THEN (SELECT number || char(31) || coalesce(party_name, '') FROM credit_notes WHERE id = m.doc_id)
			WHEN 'purchases' THEN (SELECT coalesce(bill_number, '') || char(31) || coalesce(party_name, '') FROM purchases WHERE id = m.doc_id)
			WHEN 'payments' THEN (SELECT char(31) || coalesce(data->>'$.party.name', '') FROM payments WHERE id = m.doc_id)
			WHEN 'expenses' THEN (SELECT char(31) || category FROM expenses WHERE id = m.doc_id)
		END
		FROM money_moves m WHERE m.date >= ? AND m.date <= ? AND m.cancelled = 0` + cond + ` ORDER BY m.date, m.doc_id, m.n`
	rows, err := s.r.QueryContext(ctx, q, append([]any{from, to}, args...)...)
	if err != nil {
		return 0, nil, fmt.Errorf("cash book: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m MoneyMove
		var info sql.NullString
		if err := rows.Scan(&m.Date, &m.Table, &m.DocID, &m.Mode, &m.In, &m.Out, &info); err != nil {
			return 0, nil, err
		}
		m.Number, m.Party, _ = strings.Cut(info.String, "\x1f")
		moves = append(moves, m)
	}
	return opening, moves, rows.Err()
}

func modeCond(modes []string) (string, []any) {
	if len(modes) == 0 {
		return "", nil
	}
	args := make([]any, len(modes))
	for i, m := range modes {
		args[i] = m
	}
	return ` AND mode IN (?` + strings.Repeat(",?", len(modes)-1) + `)`, args
}

// ModeTotal is the money in and out of one payment mode.
type ModeTotal struct {
	Mode    string
	In, Out int64
}

// MoneyByMode sums money in and out by mode from..to (cancelled invoices left out).
func (s *Store) MoneyByMode(ctx context.Context, from, to string) ([]ModeTotal, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT mode, sum(amount_in), sum(amount_out) FROM money_moves
		WHERE date >= ? AND date <= ? AND cancelled = 0 GROUP BY mode ORDER BY sum(amount_in) DESC, mode`, from, to)
	if err != nil {
		return nil, fmt.Errorf("money by mode: %w", err)
	}
	defer rows.Close()
	var out []ModeTotal
	for rows.Next() {
		var m ModeTotal
		if err := rows.Scan(&m.Mode, &m.In, &m.Out); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// LedgerEntry is one document on a party's account. Debit: they owe more.
type LedgerEntry struct {
	PartyID string
	Date    string
	Table   string
	DocID   string
	Number  string
	Debit   int64
	Credit  int64
}

// LedgerStatement returns the party's opening balance at from (their opening
// balance plus everything before from) and the entries from..to, leaving
// out cancelled invoices.
func (s *Store) LedgerStatement(ctx context.Context, partyID, from, to string) (opening int64, entries []LedgerEntry, err error) {
	if err := s.r.QueryRowContext(ctx, `SELECT coalesce((SELECT opening_balance FROM parties WHERE id = ?1), 0) +
		coalesce((SELECT sum(debit - credit) FROM ledger WHERE party_id = ?1 AND date < ?2 AND cancelled = 0), 0)`, partyID, from).Scan(&opening); err != nil {
		return 0, nil, fmt.Errorf("party ledger: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT party_id, date, doc_table, doc_id, number, debit, credit FROM ledger
		WHERE party_id = ? AND date >= ? AND date <= ? AND cancelled = 0 ORDER BY date, number, doc_id`, partyID, from, to)
	if err != nil {
		return 0, nil, fmt.Errorf("party ledger: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e LedgerEntry
		if err := rows.Scan(&e.PartyID, &e.Date, &e.Table, &e.DocID, &e.Number, &e.Debit, &e.Credit); err != nil {
			return 0, nil, err
		}
		entries = append(entries, e)
	}
	return opening, entries, rows.Err()
}

// PartyAccount is a party with its opening balance and every ledger entry
// up to a date, for ageing.
type PartyAccount struct {
	ID, Name, Kind, Phone string
	OpeningBalance        int64
	Entries               []LedgerEntry // by date
}

// PartyAccounts returns every live party that has an opening balance or
// ledger entries up to asOf, with those entries (cancelled invoices left out).
func (s *Store) PartyAccounts(ctx context.Context, asOf string) ([]PartyAccount, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, kind, coalesce(phone, ''), opening_balance FROM parties WHERE deleted = 0 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("party accounts: %w", err)
	}
	var out []PartyAccount
	idx := map[string]int{}
	for rows.Next() {
		var p PartyAccount
		if err := rows.Scan(&p.ID, &p.Name, &p.Kind, &p.Phone, &p.OpeningBalance); err != nil {
			rows.Close()
			return nil, err
		}
		idx[p.ID] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.r.QueryContext(ctx, `SELECT party_id, date, debit, credit FROM ledger WHERE date <= ? AND cancelled = 0 ORDER BY party_id, date`, asOf)
	if err != nil {
		return nil, fmt.Errorf("party accounts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e LedgerEntry
		if err := rows.Scan(&e.PartyID, &e.Date, &e.Debit, &e.Credit); err != nil {
			return nil, err
		}
		if i, ok := idx[e.PartyID]; ok {
			out[i].Entries = append(out[i].Entries, e)
		}
	}
	return out, rows.Err()
}

// StockRow is one product's stock over a period.
type StockRow struct {
	ID, Name, SKU, Unit string
	Opening             int64 // on hand at the start of the period (thousandths)
	In, Out             int64 // received and issued in the period (Out is positive)
	Closing             int64 // on hand at the end of the period
	Reorder             int64
	PurchasePrice       int64 // paise per unit
	SalePrice           int64
}

// stockTables are the documents whose lines move stock.
const stockTables = `doc_table IN ('invoices', 'credit_notes', 'purchases', 'stock_adjustments')`

// StockAll returns every live product (by name) with its stock movement
// from..to and its closing stock at the end of to: stock now (opening
// stock plus stock_levels) less what moved after to. It reads three
// sequential streams (products by name, stock levels, the lines since
// from) and joins them in memory, which beats a look-up per product.
func (s *Store) StockAll(ctx context.Context, from, to string) ([]StockRow, error) {
	if err := s.settleStock(); err != nil {
		return nil, err
	}
	levels, err := s.stockLevels(ctx)
	if err != nil {
		return nil, err
	}
	moves, err := s.stockMoves(ctx, from, to)
	if err != nil {
		return nil, err
	}
	var out []StockRow
	err = s.eachProduct(ctx, func(r StockRow) {
		m := moves[r.ID]
		r.Closing += levels[r.ID] - m.after
		r.In, r.Out = m.in, m.out
		r.Opening = r.Closing - r.In + r.Out
		out = append(out, r)
	})
	return out, err
}

type stockMove struct{ after, in, out int64 }

// stockLevels reads stock_levels: what documents did to each product's stock.
func (s *Store) stockLevels(ctx context.Context) (map[string]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT product_id, qty FROM stock_levels`)
	if err != nil {
		return nil, fmt.Errorf("stock levels: %w", err)
	}
	defer rows.Close()
	out := make(map[string]int64, 1024)
	var id string
	var q int64
	for rows.Next() {
		if err := rows.Scan(&id, &q); err != nil {
			return nil, err
		}
		out[id] = q
	}
	return out, rows.Err()
}

// stockMoves sums, per product, the stock moved after to, and what came
// in and went out from..to (to "" counts nothing as after).
func (s *Store) stockMoves(ctx context.Context, from, to string) (map[string]stockMove, error) {
	if f, err := time.Parse("2006-01-02", from); err == nil && s.now().Sub(f) > 120*24*time.Hour {
		// Many lines: sum the per-day totals of stock_days per product
		// inside SQLite (in key order, so without sorting).
		return s.stockMovesByProduct(ctx, from, to)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT product_id, date > ?2, stock_delta FROM doc_lines
		WHERE `+stockTables+` AND date >= ?1 AND cancelled = 0 AND stock_delta <> 0 AND product_id IS NOT NULL AND product_id <> ''`, from, to)
	if err != nil {
		return nil, fmt.Errorf("stock moves: %w", err)
	}
	defer rows.Close()
	out := make(map[string]stockMove, 1024)
	var id string
	var after bool
	var d int64
	for rows.Next() {
		if err := rows.Scan(&id, &after, &d); err != nil {
			return nil, err
		}
		m := out[id]
		switch {
		case after:
			m.after += d
		case d > 0:
			m.in += d
		default:
			m.out -= d
		}
		out[id] = m
	}
	return out, rows.Err()
}

func (s *Store) stockMovesByProduct(ctx context.Context, from, to string) (map[string]stockMove, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT product_id,
		sum(CASE WHEN date > ?2 THEN qty_in - qty_out ELSE 0 END),
		sum(CASE WHEN date <= ?2 THEN qty_in ELSE 0 END),
		sum(CASE WHEN date <= ?2 THEN qty_out ELSE 0 END)
		FROM stock_days WHERE date >= ?1 GROUP BY product_id`, from, to)
	if err != nil {
		return nil, fmt.Errorf("stock moves: %w", err)
	}
	defer rows.Close()
	out := make(map[string]stockMove, 1<<16)
	var id string
	var m stockMove
	for rows.Next() {
		if err := rows.Scan(&id, &m.after, &m.in, &m.out); err != nil {
			return nil, err
		}
		out[id] = m
	}
	return out, rows.Err()
}

// eachProduct streams live products by name with their opening stock in Closing.
func (s *Store) eachProduct(ctx context.Context, fn func(StockRow)) error {
	rows, err := s.r.QueryContext(ctx, `SELECT p.id, p.name, coalesce(p.sku, ''), coalesce(p.data->>'unit', ''), p.opening_stock,
		p.reorder_level, coalesce(p.data->>'purchase_price', 0), p.sale_price
		FROM products p INDEXED BY products_report WHERE p.deleted = 0 ORDER BY p.name COLLATE NOCASE, p.id`)
	if err != nil {
		return fmt.Errorf("products: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r StockRow
		if err := rows.Scan(&r.ID, &r.Name, &r.SKU, &r.Unit, &r.Closing, &r.Reorder, &r.PurchasePrice, &r.SalePrice); err != nil {
			return err
		}
		fn(r)
	}
	return rows.Err()
}

// StockPage returns one page of live products by name with their stock
// movement from..to, reading the stock of just those products.
func (s *Store) StockPage(ctx context.Context, from, to string, offset, limit int) ([]StockRow, error) {
	return s.stockPage(ctx, from, to, offset, limit, false)
}

// LowStockPage is StockPage of the products at or below their reorder
// level now (for periods that end today or later, where "now" is the
// period's closing stock). It stops reading once the page is full.
func (s *Store) LowStockPage(ctx context.Context, from, to string, offset, limit int) ([]StockRow, error) {
	return s.stockPage(ctx, from, to, offset, limit, true)
}

// stockPage reads one page of products by name and the stock of just those.
func (s *Store) stockPage(ctx context.Context, from, to string, offset, limit int, low bool) ([]StockRow, error) {
	if err := s.settleStock(); err != nil {
		return nil, err
	}
	q := `SELECT p.id, p.name, coalesce(p.sku, ''), coalesce(p.data->>'unit', ''), p.opening_stock,
		p.reorder_level, coalesce(p.data->>'purchase_price', 0), p.sale_price
		FROM products p INDEXED BY products_report WHERE p.deleted = 0 ORDER BY p.name COLLATE NOCASE, p.id LIMIT ? OFFSET ?`
	if low {
		q = `SELECT p.id, p.name, coalesce(p.sku, ''), coalesce(p.data->>'unit', ''), p.opening_stock,
		p.reorder_level, coalesce(p.data->>'purchase_price', 0), p.sale_price
		FROM products p INDEXED BY products_report LEFT JOIN stock_levels l ON l.product_id = p.id
		WHERE p.deleted = 0 AND p.reorder_level > 0 AND p.opening_stock + coalesce(l.qty, 0) <= p.reorder_level
		ORDER BY p.name COLLATE NOCASE, p.id LIMIT ? OFFSET ?`
	}
	rows, err := s.r.QueryContext(ctx, q, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("stock summary: %w", err)
	}
	var out []StockRow
	for rows.Next() {
		var r StockRow
		if err := rows.Scan(&r.ID, &r.Name, &r.SKU, &r.Unit, &r.Closing, &r.Reorder, &r.PurchasePrice, &r.SalePrice); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		r := &out[i]
		var now, after, qin, qout int64
		if err := s.r.QueryRowContext(ctx, `SELECT coalesce((SELECT qty FROM stock_levels WHERE product_id = ?1), 0),
			coalesce(sum(CASE WHEN date > ?3 THEN qty_in - qty_out END), 0),
			coalesce(sum(CASE WHEN date <= ?3 THEN qty_in END), 0),
			coalesce(sum(CASE WHEN date <= ?3 THEN qty_out END), 0)
			FROM stock_days WHERE product_id = ?1 AND date >= ?2`, r.ID, from, to).Scan(&now, &after, &qin, &qout); err != nil {
			return nil, fmt.Errorf("stock of %s: %w", r.Name, err)
		}
		r.Closing += now - after
		r.In, r.Out = qin, qout
		r.Opening = r.Closing - r.In + r.Out
	}
	return out, nil
}

// StockTotals sums the stock of all live products: how many, the stock
// valued at purchase price (paise), and how many are at or below their
// reorder level.
type StockTotals struct {
	Products int
	Value    int64
	Low      int
}

// StockValue values the stock of every live product at the end of the day
// to, at purchase price (each product rounded to the paisa), in one
// grouped query: products in id order (products_value), each with its
// stock now less what moved after to, looked up in key order (LIMIT -1
// OFFSET 0 keeps the inner select a subquery, so each product's closing
// stock is worked out once).
func (s *Store) StockValue(ctx context.Context, to string) (StockTotals, error) {
	var t StockTotals
	if err := s.settleStock(); err != nil {
		return t, err
	}
	err := s.r.QueryRowContext(ctx, `SELECT count(*),
		coalesce(sum(CASE WHEN v >= 0 THEN (v + 500) / 1000 ELSE -((500 - v) / 1000) END), 0),
		count(*) FILTER (WHERE reorder > 0 AND closing <= reorder)
		FROM (SELECT closing, reorder, closing * price AS v FROM (
			SELECT p.opening_stock + coalesce(l.qty, 0) - coalesce((SELECT sum(d.qty_in - d.qty_out) FROM stock_days d
				WHERE d.product_id = p.id AND d.date > ?), 0) AS closing,
			p.reorder_level AS reorder, coalesce(p.data->>'purchase_price', 0) AS price
			FROM `+s.productsByID(ctx)+` LEFT JOIN stock_levels l ON l.product_id = p.id
			WHERE p.deleted = 0 LIMIT -1 OFFSET 0))`, to).Scan(&t.Products, &t.Value, &t.Low)
	if err != nil {
		return t, fmt.Errorf("stock value: %w", err)
	}
	return t, nil
}

// productsByID names the live products as "products p", read in id order
// from the covering index products_value (migration 0075) when the books
// have it. They do not while a new counter's history is still downloading
// (download.go's afterHistory: only reports read it); then the planner
// picks its own way, slower but right.
func (s *Store) productsByID(ctx context.Context) string {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'products_value'`).Scan(&n); err != nil || n == 0 {
		return "products p"
	}
	return "products p INDEXED BY products_value"
}

// ItemSale is one product's net sales over a period.
type ItemSale struct {
	ProductID string
	Qty       int64 // sold less returned (thousandths)
	Sales     int64 // taxable value, net of returns
	Tax       int64
	Cost      int64 // cost of goods sold: qty × cost at sale, less restocked returns
	Lines     int
}

// ItemSales sums sales by product from..to (cancelled invoices left out),
// largest sales first. Names are not filled in: ask ProductLabels for the
// rows you show.
func (s *Store) ItemSales(ctx context.Context, from, to string) ([]ItemSale, error) {
	// Two halves of the period are summed side by side, then merged.
	mid := midDate(from, to)
	var parts [2]map[string]*ItemSale
	var errs [2]error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); parts[0], errs[0] = s.itemSales(ctx, from, mid) }()
	go func() {
		defer wg.Done()
		if mid < to {
			parts[1], errs[1] = s.itemSales(ctx, nextDay(mid), to)
		}
	}()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("item sales: %w", err)
		}
	}
	all := parts[0]
	for id, r := range parts[1] {
		if a, ok := all[id]; ok {
			a.Qty += r.Qty
			a.Sales += r.Sales
			a.Tax += r.Tax
			a.Cost += r.Cost
			a.Lines += r.Lines
		} else {
			all[id] = r
		}
	}
	out := make([]ItemSale, 0, len(all))
	for _, r := range all {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Sales != out[j].Sales {
			return out[i].Sales > out[j].Sales
		}
		return out[i].ProductID < out[j].ProductID
	})
	return out, nil
}

func (s *Store) itemSales(ctx context.Context, from, to string) (map[string]*ItemSale, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT coalesce(product_id, ''), doc_table = 'invoices', qty, taxable, cgst + sgst + igst + cess, cost, stock_delta
		FROM doc_lines WHERE doc_table IN ('invoices', 'credit_notes') AND date >= ? AND date <= ? AND cancelled = 0`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*ItemSale{}
	var pid string
	var sale bool
	var qty, taxable, tax, cost, delta int64
	for rows.Next() {
		if err := rows.Scan(&pid, &sale, &qty, &taxable, &tax, &cost, &delta); err != nil {
			return nil, err
		}
		r, ok := out[pid]
		if !ok {
			r = &ItemSale{ProductID: pid}
			out[pid] = r
		}
		r.Lines++
		c := (qty*cost + 500) / 1000
		if sale {
			r.Qty += qty
			r.Sales += taxable
			r.Tax += tax
			r.Cost += c
			continue
		}
		r.Qty -= qty
		r.Sales -= taxable
		r.Tax -= tax
		if delta > 0 { // returned into stock: its cost comes back
			r.Cost -= c
		}
	}
	return out, rows.Err()
}

// ProductLabel is a product's name and SKU.
type ProductLabel struct{ Name, SKU string }

// ProductLabels returns the names and SKUs of products by id (deleted ones
// too; unknown ids are left out).
func (s *Store) ProductLabels(ctx context.Context, ids []string) (map[string]ProductLabel, error) {
	out := make(map[string]ProductLabel, len(ids))
	if len(ids) > 2000 {
		// Many: one pass over all products beats one look-up each.
		rows, err := s.r.QueryContext(ctx, `SELECT id, name, coalesce(sku, '') FROM products`)
		if err != nil {
			return nil, fmt.Errorf("product names: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var l ProductLabel
			if err := rows.Scan(&id, &l.Name, &l.SKU); err != nil {
				return nil, err
			}
			out[id] = l
		}
		return out, rows.Err()
	}
	for _, id := range ids {
		if _, ok := out[id]; ok || id == "" {
			continue
		}
		var l ProductLabel
		err := s.r.QueryRowContext(ctx, `SELECT name, coalesce(sku, '') FROM products WHERE id = ?`, id).Scan(&l.Name, &l.SKU)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("product names: %w", err)
		}
		out[id] = l
	}
	return out, nil
}

// TradeTotals are the sums behind profit and loss.
type TradeTotals struct {
	Sales           int64 // taxable value of invoices not cancelled
	Returns         int64 // taxable value of credit notes
	CostOfSales     int64 // cost of goods sold on invoices
	CostOfReturns   int64 // cost of goods returned into stock
	Purchases       int64 // taxable value of purchase bills
	OutputTax       int64
	InputTax        int64
	RoundOff        int64
	InvoiceCount    int
	PurchaseCount   int
	CreditNoteCount int
}

// Trade sums sales, returns, costs and purchases from..to from the lines;
// the invoices of days with a summary from their summaries (report_days.go).
func (s *Store) Trade(ctx context.Context, from, to string) (TradeTotals, error) {
	var t TradeTotals
	dates, days, err := s.tradeDays(ctx, from, to)
	if err != nil {
		return t, fmt.Errorf("profit and loss: %w", err)
	}
	for _, d := range days {
		t.Sales += d.sales
		t.OutputTax += d.tax
		t.CostOfSales += d.cost
		t.InvoiceCount += d.invoices
	}
	for _, r := range rawRanges(from, to, dates) {
		var taxable, tax, cost int64
		var n int
		if err := s.r.QueryRowContext(ctx, `SELECT coalesce(sum(taxable), 0), coalesce(sum(cgst + sgst + igst + cess), 0),
			coalesce(sum((qty * cost + 500) / 1000), 0),
			CASE WHEN count(*) > 0 THEN (SELECT count(*) FROM invoices WHERE date >= ?1 AND date <= ?2 AND cancelled = 0) ELSE 0 END
			FROM doc_lines WHERE doc_table = 'invoices' AND date >= ?1 AND date <= ?2 AND cancelled = 0`, r[0], r[1]).Scan(&taxable, &tax, &cost, &n); err != nil {
			return t, fmt.Errorf("profit and loss: %w", err)
		}
		t.Sales, t.OutputTax, t.CostOfSales, t.InvoiceCount = t.Sales+taxable, t.OutputTax+tax, t.CostOfSales+cost, t.InvoiceCount+n
		s.readRaw(r[0], r[1], n)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT doc_table, sum(taxable), sum(cgst + sgst + igst + cess),
		sum(CASE WHEN stock_delta > 0 THEN (qty * cost + 500) / 1000 ELSE 0 END),
		CASE doc_table WHEN 'credit_notes' THEN (SELECT count(*) FROM credit_notes WHERE date >= ?1 AND date <= ?2)
			ELSE (SELECT count(*) FROM purchases WHERE date >= ?1 AND date <= ?2) END
		FROM doc_lines WHERE date >= ?1 AND date <= ?2 AND cancelled = 0 AND doc_table IN ('credit_notes', 'purchases')
		GROUP BY doc_table`, from, to)
	if err != nil {
		return t, fmt.Errorf("profit and loss: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table string
		var taxable, tax, cost int64
		var n int
		if err := rows.Scan(&table, &taxable, &tax, &cost, &n); err != nil {
			return t, err
		}
		switch table {
		case "credit_notes":
			t.Returns, t.OutputTax, t.CostOfReturns, t.CreditNoteCount = taxable, t.OutputTax-tax, cost, n
		case "purchases":
			t.Purchases, t.InputTax, t.PurchaseCount = taxable, tax, n
		}
	}
	return t, rows.Err()
}

// ExpenseItem is one expense.
type ExpenseItem struct {
	ID, Date, Category, Mode, Note string
	Amount                         int64
}

// ExpenseItems lists the expenses dated from..to, by date.
func (s *Store) ExpenseItems(ctx context.Context, from, to string) ([]ExpenseItem, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, date, category, coalesce(data->>'mode', ''), coalesce(data->>'note', ''), amount
		FROM expenses WHERE date >= ? AND date <= ? ORDER BY date, rid`, from, to)
	if err != nil {
		return nil, fmt.Errorf("expenses: %w", err)
	}
	defer rows.Close()
	var out []ExpenseItem
	for rows.Next() {
		var e ExpenseItem
		if err := rows.Scan(&e.ID, &e.Date, &e.Category, &e.Mode, &e.Note, &e.Amount); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CategoryTotal is the expenses of one category.
type CategoryTotal struct {
	Category string
	Count    int
	Amount   int64
}

// ExpensesByCategory sums expenses from..to by category, largest first.
func (s *Store) ExpensesByCategory(ctx context.Context, from, to string) ([]CategoryTotal, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT category, count(*), sum(amount) FROM expenses WHERE date >= ? AND date <= ?
		GROUP BY category ORDER BY sum(amount) DESC, category`, from, to)
	if err != nil {
		return nil, fmt.Errorf("expenses by category: %w", err)
	}
	defer rows.Close()
	var out []CategoryTotal
	for rows.Next() {
		var c CategoryTotal
		if err := rows.Scan(&c.Category, &c.Count, &c.Amount); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DaySales is the sales of one day.
type DaySales struct {
	Date  string
	Bills int
	Total int64 // grand total of invoices not cancelled, less credit notes
}

// SalesByDay sums sales by day from..to.
func (s *Store) SalesByDay(ctx context.Context, from, to string) ([]DaySales, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT date, sum(n), sum(t) FROM (
			SELECT date, count(*) AS n, sum(grand_total) AS t FROM invoices WHERE date >= ?1 AND date <= ?2 AND cancelled = 0 GROUP BY date
			UNION ALL SELECT date, 0, -sum(grand_total) FROM credit_notes WHERE date >= ?1 AND date <= ?2 GROUP BY date)
		GROUP BY date ORDER BY date`, from, to)
	if err != nil {
		return nil, fmt.Errorf("sales by day: %w", err)
	}
	defer rows.Close()
	var out []DaySales
	for rows.Next() {
		var d DaySales
		if err := rows.Scan(&d.Date, &d.Bills, &d.Total); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
