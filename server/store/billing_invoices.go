package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/sync/protocol"
)

const invoiceCols = `id, business_id, number, fy, seq, issued_at, payment_id, subscription_id, plan, plan_name,
	period_start, period_end, seller, buyer, supply, taxable, cgst, sgst, igst, total`

func scanInvoice(row interface{ Scan(...any) error }) (plans.Invoice, error) {
	var inv plans.Invoice
	var issued, start, end int64
	var seller, buyer, supply string
	err := row.Scan(&inv.ID, &inv.BusinessID, &inv.Number, &inv.FY, &inv.Seq, &issued, &inv.PaymentID, &inv.SubscriptionID,
		&inv.Plan, &inv.PlanName, &start, &end, &seller, &buyer, &supply, &inv.Taxable, &inv.CGST, &inv.SGST, &inv.IGST, &inv.Total)
	if err != nil {
		return inv, err
	}
	inv.IssuedAt, inv.PeriodStart, inv.PeriodEnd, inv.Supply = fromMS(issued), timeOrZero(start), timeOrZero(end), gst.SupplyType(supply)
	if err := json.Unmarshal([]byte(seller), &inv.Seller); err != nil {
		return inv, fmt.Errorf("invoice %s seller: %w", inv.ID, err)
	}
	if err := json.Unmarshal([]byte(buyer), &inv.Buyer); err != nil {
		return inv, fmt.Errorf("invoice %s buyer: %w", inv.ID, err)
	}
	return inv, nil
}

// CreateInvoice issues inv with the next number of its financial year, in
// one transaction with the counter (a failure uses up no number), once per
// payment: a payment already invoiced returns that invoice and created
// false.
func (db *DB) CreateInvoice(ctx context.Context, inv plans.Invoice) (plans.Invoice, bool, error) {
	existing := func() (plans.Invoice, error) {
		return scanInvoice(db.write.QueryRowContext(ctx, `SELECT `+invoiceCols+` FROM billing_invoices WHERE payment_id = $1`, inv.PaymentID))
	}
	if got, err := existing(); err == nil {
		return got, false, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return plans.Invoice{}, false, fmt.Errorf("find invoice: %w", err)
	}
	seller, _ := json.Marshal(inv.Seller)
	buyer, _ := json.Marshal(inv.Buyer)
	inv.ID = newID()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO billing_invoice_counters (fy, last) VALUES ($1, 1)
			ON CONFLICT (fy) DO UPDATE SET last = billing_invoice_counters.last + 1 RETURNING last`, inv.FY).Scan(&inv.Seq); err != nil {
			return fmt.Errorf("next invoice number: %w", err)
		}
		inv.Number = plans.InvoiceNumber(inv.FY, inv.Seq)
		_, err := tx.ExecContext(ctx, `INSERT INTO billing_invoices (`+invoiceCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
			inv.ID, inv.BusinessID, inv.Number, inv.FY, inv.Seq, ms(inv.IssuedAt), inv.PaymentID, inv.SubscriptionID,
			inv.Plan, inv.PlanName, msOrZero(inv.PeriodStart), msOrZero(inv.PeriodEnd), string(seller), string(buyer),
			string(inv.Supply), inv.Taxable, inv.CGST, inv.SGST, inv.IGST, inv.Total)
		if err != nil {
			return fmt.Errorf("insert invoice: %w", err)
		}
		return nil
	})
	if err != nil && db.dialect.isUnique(err) {
		// The same payment invoiced at the same moment elsewhere: that
		// one stands, and this transaction (with its number) is undone.
		got, err2 := existing()
		if err2 == nil {
			return got, false, nil
		}
	}
	if err != nil {
		return plans.Invoice{}, false, err
	}
	return inv, true, nil
}

// Invoices lists the business's invoices, newest first.
func (db *DB) Invoices(ctx context.Context, businessID string) ([]plans.Invoice, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+invoiceCols+` FROM billing_invoices
		WHERE business_id = $1 ORDER BY issued_at DESC, seq DESC`, businessID)
	if err != nil {
		return nil, fmt.Errorf("list invoices: %w", err)
	}
	defer rows.Close()
	out := []plans.Invoice{}
	for rows.Next() {
		inv, err := scanInvoice(rows)
		if err != nil {
			return nil, fmt.Errorf("list invoices: %w", err)
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// Invoice returns one invoice of the business.
func (db *DB) Invoice(ctx context.Context, businessID, id string) (plans.Invoice, error) {
	inv, err := scanInvoice(db.read.QueryRowContext(ctx, `SELECT `+invoiceCols+` FROM billing_invoices
		WHERE business_id = $1 AND id = $2`, businessID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return inv, core.Errorf(protocol.CodeNotFound, "No invoice %s for this business.", id)
	}
	if err != nil {
		return inv, fmt.Errorf("read invoice: %w", err)
	}
	return inv, nil
}
