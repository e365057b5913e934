package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/staff"
)

// beforeCommit is a test hook run inside save transactions, just before commit.
var beforeCommit func()

// CreateSale prices, numbers and saves a sale with its stock, ledger, money
// and outbox effects in one transaction: the whole bill or none of it. A
// party without an id is matched by phone, GSTIN or name, else added.
func (s *Store) CreateSale(ctx context.Context, d *books.SaleDraft) (*books.Invoice, error) {
	invs, err := s.CreateSales(ctx, []*books.SaleDraft{d})
	if err != nil {
		return nil, err
	}
	return invs[0], nil
}

// CreateSales saves several sales in one transaction (imports, demo data):
// all of them or none.
func (s *Store) CreateSales(ctx context.Context, ds []*books.SaleDraft) ([]*books.Invoice, error) {
	if err := s.requireBooks(); err != nil {
		return nil, err
	}
	out := make([]*books.Invoice, 0, len(ds))
	err := s.tx(ctx, func(tx *Tx) error {
		biz, err := tx.business()
		if err != nil {
			return err
		}
		out = out[:0]
		for _, d := range ds {
			if err := tx.allowSale(ctx, d); err != nil {
				return err
			}
			inv, err := tx.createSale(&biz, d)
			if err != nil {
				return err
			}
			out = append(out, inv)
		}
		if beforeCommit != nil {
			beforeCommit()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (tx *Tx) createSale(biz *books.Business, d *books.SaleDraft) (*books.Invoice, error) {
	s := tx.s
	if d.Date.IsZero() {
		d.Date = s.now()
	}
	if d.Party != nil && d.Party.ID == "" {
		if err := tx.resolveParty(d.Party, books.Customer); err != nil {
			return nil, err
		}
	}
	inv, err := books.PriceSale(biz, d)
	if err != nil {
		return nil, err
	}
	inv.ID = newID()
	inv.FY = gst.FinancialYear(d.Date)
	inv.Series = s.Series()
	if inv.Seq, err = tx.nextSeq("invoices", inv.Series, inv.FY); err != nil {
		return nil, err
	}
	if inv.Number, err = gst.FormatDocNumber(biz.InvoicePrefix, inv.Series, inv.FY, inv.Seq); err != nil {
		return nil, books.Invalid("invoice_prefix", "%s", err.Error())
	}
	inv.DeviceID = s.deviceID
	inv.CreatedAt = s.now().UTC().Format(time.RFC3339)
	if err := tx.createDocument("invoices", inv.ID, inv); err != nil {
		return nil, err
	}
	return inv, nil
}

// resolveParty gives p the id of a matching live party, adding a new one
// (of kind) when none matches, and fills missing facts from the party.
func (tx *Tx) resolveParty(p *books.PartySnapshot, kind string) error {
	var id, data string
	phone, _ := gst.NormalizeMobile(p.Phone) // "" when there is none
	gstin := gst.NormalizeGSTIN(p.GSTIN)
	name := strings.TrimSpace(p.Name)
	// One indexed lookup at a time, most specific first.
	err := sql.ErrNoRows
	if phone != "" {
		err = tx.QueryRow(partyByPhone, phone).Scan(&id, &data)
	}
	if errors.Is(err, sql.ErrNoRows) && gstin != "" {
		err = tx.QueryRow(partyByGSTIN, gstin).Scan(&id, &data)
	}
	if errors.Is(err, sql.ErrNoRows) && name != "" {
		err = tx.QueryRow(partyByName, name).Scan(&id, &data)
	}
	switch {
	case err == nil:
		var party books.Party
		if err := json.Unmarshal([]byte(data), &party); err != nil {
			return fmt.Errorf("read party %s: %w", id, err)
		}
		party.ID = id
		snap := books.SnapshotOf(&party, id)
		// Facts given on the bill win over the stored ones for this bill.
		if p.GSTIN != "" {
			snap.GSTIN = gst.NormalizeGSTIN(p.GSTIN)
		}
		if p.StateCode != "" {
			snap.StateCode = p.StateCode
		}
		if p.Address != "" {
			snap.Address = p.Address
		}
		*p = *snap
		return nil
	case errors.Is(err, sql.ErrNoRows):
		party := books.Party{Name: p.Name, Kind: kind, Phone: p.Phone, GSTIN: p.GSTIN, StateCode: p.StateCode,
			Address: p.Address, City: p.City, Pincode: p.Pincode, Email: p.Email}
		id, err := tx.saveParty(party)
		if err != nil {
			return err
		}
		party.Normalize()
		*p = *books.SnapshotOf(&party, id)
		return nil
	default:
		return err
	}
}

// The lookups of a bill's party (prepared at open).
const (
	partyByPhone = `SELECT id, data FROM parties WHERE phone = ? AND deleted = 0 ORDER BY rid LIMIT 1`
	partyByGSTIN = `SELECT id, data FROM parties WHERE data->>'gstin' = ? AND deleted = 0 AND data->>'gstin' IS NOT NULL ORDER BY rid LIMIT 1`
	partyByName  = `SELECT id, data FROM parties WHERE name = ? COLLATE NOCASE AND deleted = 0 ORDER BY rid LIMIT 1`
)

// nextSeq is the next number in a series for a financial year: consecutive,
// derived from the documents themselves so a restored device continues.
func (tx *Tx) nextSeq(table, series string, fy int) (int64, error) {
	var n int64
	if err := tx.QueryRow(nextSeqQuery(table), series, fy).Scan(&n); err != nil {
		return 0, fmt.Errorf("next number: %w", err)
	}
	return n, nil
}

// Invoice returns an invoice by id or number, and whether it is cancelled.
func (s *Store) Invoice(idOrNumber string) (*books.Invoice, bool, error) {
	return s.invoice(s.r, idOrNumber)
}

func (s *Store) invoice(q querier, key string) (*books.Invoice, bool, error) {
	var id, data string
	var cancelled int
	key = strings.TrimSpace(key)
	err := q.QueryRow(`SELECT id, data, cancelled FROM invoices WHERE number = ? ORDER BY fy DESC LIMIT 1`, key).Scan(&id, &data, &cancelled)
	if errors.Is(err, sql.ErrNoRows) {
		err = q.QueryRow(`SELECT id, data, cancelled FROM invoices WHERE id = ?`, key).Scan(&id, &data, &cancelled)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, books.Errorf(books.ENOTFOUND, "No invoice %q in these books.", key)
	}
	if err != nil {
		return nil, false, fmt.Errorf("read invoice %s: %w", key, err)
	}
	var inv books.Invoice
	if err := json.Unmarshal([]byte(data), &inv); err != nil {
		return nil, false, err
	}
	inv.ID = id
	return &inv, cancelled == 1, nil
}

// InvoiceFilter narrows ListInvoices.
type InvoiceFilter struct {
	From, To  string // dates, inclusive; "" open
	Query     string // number or party name prefix
	MinAmount int64  // grand total at least (paise), 0: any
	MaxAmount int64  // grand total at most, 0: any
	Offset    int
	Limit     int // default 100
}

// InvoiceRow is a row of the invoice list.
type InvoiceRow struct {
	ID, Number, Date, PartyName string
	GrandTotal                  int64
	Cancelled                   bool
}

// ListInvoices pages invoices, newest first.
func (s *Store) ListInvoices(f InvoiceFilter) ([]InvoiceRow, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	q := `SELECT id, number, date, coalesce(party_name, ''), grand_total, cancelled FROM invoices WHERE 1=1`
	var args []any
	if f.From != "" {
		q += ` AND date >= ?`
		args = append(args, f.From)
	}
	if f.To != "" {
		q += ` AND date <= ?`
		args = append(args, f.To)
	}
	if f.Query != "" {
		q += ` AND (number = ? OR number LIKE ? || '%' OR party_name LIKE ? || '%')`
		args = append(args, f.Query, f.Query, f.Query)
	}
	if f.MinAmount > 0 {
		q += ` AND grand_total >= ?`
		args = append(args, f.MinAmount)
	}
	if f.MaxAmount > 0 {
		q += ` AND grand_total <= ?`
		args = append(args, f.MaxAmount)
	}
	q += ` ORDER BY date DESC, rid DESC LIMIT ? OFFSET ?`
	args = append(args, f.Limit, f.Offset)
	rows, err := s.rp().Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("list invoices: %w", err)
	}
	defer rows.Close()
	out := make([]InvoiceRow, 0, f.Limit)
	for rows.Next() {
		var r InvoiceRow
		var c int
		if err := rows.Scan(&r.ID, &r.Number, &r.Date, &r.PartyName, &r.GrandTotal, &c); err != nil {
			return nil, err
		}
		r.Cancelled = c == 1
		out = append(out, r)
	}
	return out, rows.Err()
}

// CancelInvoice records a cancellation: the invoice stays as issued, its
// stock, ledger and money effects are voided. An invoice with credit notes
// cannot be cancelled.
func (s *Store) CancelInvoice(ctx context.Context, number, reason string, date time.Time) (*books.Cancellation, error) {
	if date.IsZero() {
		date = s.now()
	}
	var c *books.Cancellation
	err := s.tx(ctx, func(tx *Tx) error {
		inv, cancelled, err := s.invoice(tx, number)
		if err != nil {
			return err
		}
		if cancelled {
			return books.Errorf(books.ECONFLICT, "Invoice %s is already cancelled.", inv.Number)
		}
		var cns int
		if err := tx.QueryRow(`SELECT count(*) FROM credit_notes WHERE invoice_id = ?`, inv.ID).Scan(&cns); err != nil {
			return err
		}
		if cns > 0 {
			return books.Errorf(books.ECONFLICT, "Invoice %s has credit notes against it; make a credit note for the rest instead of cancelling.", inv.Number)
		}
		if err := tx.allow(ctx, staff.CancelBill, "Invoice "+inv.Number); err != nil {
			return err
		}
		c = &books.Cancellation{ID: newID(), Date: date.Format(books.DateLayout), DocTable: "invoices", DocID: inv.ID,
			DocNumber: inv.Number, Reason: strings.TrimSpace(reason), DeviceID: s.deviceID, CreatedAt: s.now().UTC().Format(time.RFC3339)}
		if err := c.Validate(); err != nil {
			return err
		}
		if c.Date < inv.Date {
			return books.Invalid("date", "The cancellation date %s is before the invoice date %s.", gst.FormatDate(c.Date), gst.FormatDate(inv.Date))
		}
		return tx.createDocument("cancellations", c.ID, c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ReturnInput asks for a credit note against an invoice.
type ReturnInput struct {
	Invoice string // number or id
	Items   []books.ReturnLine
	Date    time.Time
	Reason  string
	Refunds []books.PaymentPart // nil: walk-in refunded in cash, party credited
	Restock bool
}

// CreateReturn issues a credit note in the device's credit note series.
func (s *Store) CreateReturn(ctx context.Context, in ReturnInput) (*books.CreditNote, error) {
	biz, err := s.Business()
	if err != nil {
		return nil, err
	}
	if in.Date.IsZero() {
		in.Date = s.now()
	}
	var cn *books.CreditNote
	err = s.tx(ctx, func(tx *Tx) error {
		if err := tx.allow(ctx, staff.Returns, ""); err != nil {
			return err
		}
		inv, cancelled, err := s.invoice(tx, in.Invoice)
		if err != nil {
			return err
		}
		returned, err := tx.returnedQty(inv.ID)
		if err != nil {
			return err
		}
		cn, err = books.PriceReturn(&biz, inv, cancelled, returned, in.Items, in.Date, in.Reason, in.Refunds, in.Restock)
		if err != nil {
			return err
		}
		cn.ID = newID()
		cn.FY = gst.FinancialYear(in.Date)
		cn.Series = s.Series()
		if cn.Seq, err = tx.nextSeq("credit_notes", cn.Series, cn.FY); err != nil {
			return err
		}
		if cn.Number, err = gst.FormatDocNumber(biz.CreditNotePrefix, cn.Series, cn.FY, cn.Seq); err != nil {
			return books.Invalid("credit_note_prefix", "%s", err.Error())
		}
		cn.DeviceID = s.deviceID
		cn.CreatedAt = s.now().UTC().Format(time.RFC3339)
		return tx.createDocument("credit_notes", cn.ID, cn)
	})
	if err != nil {
		return nil, err
	}
	return cn, nil
}

// returnedQty sums, per invoice line, what credit notes already took back.
func (tx *Tx) returnedQty(invoiceID string) (map[int]int64, error) {
	rows, err := tx.Query(`SELECT data FROM credit_notes WHERE invoice_id = ?`, invoiceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]int64{}
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var cn books.CreditNote
		if err := json.Unmarshal([]byte(data), &cn); err != nil {
			return nil, err
		}
		for i, ref := range cn.LineRefs {
			if i < len(cn.Lines) {
				out[ref] += cn.Lines[i].Qty
			}
		}
	}
	return out, rows.Err()
}

// CreditNotes lists the credit notes of an invoice.
func (s *Store) CreditNotes(invoiceID string) ([]books.CreditNote, error) {
	rows, err := s.r.Query(`SELECT id, data FROM credit_notes WHERE invoice_id = ? ORDER BY rid`, invoiceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []books.CreditNote
	for rows.Next() {
		var id, data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		var cn books.CreditNote
		if err := json.Unmarshal([]byte(data), &cn); err != nil {
			return nil, err
		}
		cn.ID = id
		out = append(out, cn)
	}
	return out, rows.Err()
}

// CreatePurchase saves a supplier's bill (stock in). A supplier without an
// id is matched or added.
func (s *Store) CreatePurchase(ctx context.Context, d *books.PurchaseDraft) (*books.Purchase, error) {
	biz, err := s.Business()
	if err != nil {
		return nil, err
	}
	if d.Date.IsZero() {
		d.Date = s.now()
	}
	var p *books.Purchase
	err = s.tx(ctx, func(tx *Tx) error {
		if err := tx.allow(ctx, staff.Purchases, ""); err != nil {
			return err
		}
		if d.Party != nil && d.Party.ID == "" && strings.TrimSpace(d.Party.Name) != "" {
			if err := tx.resolveParty(d.Party, books.Supplier); err != nil {
				return err
			}
		}
		var err error
		if p, err = books.PricePurchase(&biz, d); err != nil {
			return err
		}
		var dup int
		if err := tx.QueryRow(`SELECT count(*) FROM purchases WHERE bill_number = ? AND party_id = ?`, p.BillNumber, p.Party.ID).Scan(&dup); err != nil {
			return err
		}
		if dup > 0 {
			return books.Errorf(books.ECONFLICT, "Bill %s from %s is already entered.", p.BillNumber, p.Party.Name)
		}
		p.ID = newID()
		p.DeviceID = s.deviceID
		p.CreatedAt = s.now().UTC().Format(time.RFC3339)
		return tx.createDocument("purchases", p.ID, p)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// RecordPayment saves money received from (in) or paid to (out) a party.
func (s *Store) RecordPayment(ctx context.Context, p books.Payment) (*books.Payment, error) {
	if err := s.requireBooks(); err != nil {
		return nil, err
	}
	if p.Date == "" {
		p.Date = s.now().Format(books.DateLayout)
	}
	if p.Mode == "" {
		p.Mode = books.ModeCash
	}
	err := s.tx(ctx, func(tx *Tx) error {
		act := staff.TakePayment
		if p.Direction == books.PaymentOut {
			act = staff.Purchases
		}
		if err := tx.allow(ctx, act, ""); err != nil {
			return err
		}
		if p.Party != nil && p.Party.ID != "" {
			party, err := s.party(tx, p.Party.ID)
			if err != nil {
				return err
			}
			p.Party = books.SnapshotOf(&party, party.ID)
		}
		if err := p.Validate(); err != nil {
			return err
		}
		p.ID = newID()
		p.DeviceID = s.deviceID
		p.CreatedAt = s.now().UTC().Format(time.RFC3339)
		return tx.createDocument("payments", p.ID, &p)
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// RecordExpense saves an expense (its category is added to the list if new).
func (s *Store) RecordExpense(ctx context.Context, e books.Expense) (*books.Expense, error) {
	if err := s.requireBooks(); err != nil {
		return nil, err
	}
	if e.Date == "" {
		e.Date = s.now().Format(books.DateLayout)
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	err := s.tx(ctx, func(tx *Tx) error {
		if err := tx.allow(ctx, staff.Purchases, ""); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM expense_categories WHERE deleted = 0 AND data->>'name' = ? COLLATE NOCASE`, e.Category).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if _, err := tx.putRecord("expense_categories", newID(), map[string]string{"name": e.Category}); err != nil {
				return err
			}
		}
		e.ID = newID()
		e.DeviceID = s.deviceID
		e.CreatedAt = s.now().UTC().Format(time.RFC3339)
		return tx.createDocument("expenses", e.ID, &e)
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// AdjustStock records a stock change with its reason.
func (s *Store) AdjustStock(ctx context.Context, a books.StockAdjustment) (*books.StockAdjustment, error) {
	if a.Date == "" {
		a.Date = s.now().Format(books.DateLayout)
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	p, err := s.Product(a.ProductID)
	if err != nil {
		return nil, err
	}
	a.ProductName = p.Name
	err = s.tx(ctx, func(tx *Tx) error {
		if err := tx.allow(ctx, staff.EditProducts, ""); err != nil {
			return err
		}
		a.ID = newID()
		a.DeviceID = s.deviceID
		a.CreatedAt = s.now().UTC().Format(time.RFC3339)
		return tx.createDocument("stock_adjustments", a.ID, &a)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}
