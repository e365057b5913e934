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
)

// AddExportDetails records the shipping bill of an export invoice (by
// number or id) issued without it: a new document that names the invoice,
// synced like any other. The invoice itself is not changed.
func (s *Store) AddExportDetails(ctx context.Context, invoice string, sb books.ShippingBill, date time.Time) (*books.ExportDetails, error) {
	if date.IsZero() {
		date = s.now()
	}
	var e *books.ExportDetails
	err := s.tx(ctx, func(tx *Tx) error {
		inv, cancelled, err := s.invoice(tx, invoice)
		if err != nil {
			return err
		}
		e = &books.ExportDetails{ID: newID(), Date: date.Format(books.DateLayout), InvoiceID: inv.ID, InvoiceNumber: inv.Number,
			ShippingBill: sb, DeviceID: s.deviceID, CreatedAt: s.now().UTC().Format(time.RFC3339)}
		if err := e.Validate(inv, cancelled); err != nil {
			return err
		}
		return tx.createDocument("export_details", e.ID, e)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// ShippingBill returns the shipping bill of an export invoice as it now
// stands: the newest ExportDetails that names it, else the one on the
// invoice itself; nil when neither has one.
func (s *Store) ShippingBill(inv *books.Invoice) (*books.ShippingBill, error) {
	sb, err := latestShippingBill(s.r, inv.ID)
	if err != nil || sb != nil {
		return sb, err
	}
	return inv.ShippingBill, nil
}

// latestShippingBill is the shipping bill of the newest ExportDetails
// document naming the invoice (nil if none).
func latestShippingBill(q querier, invoiceID string) (*books.ShippingBill, error) {
	var data string
	err := q.QueryRow(`SELECT data FROM export_details WHERE invoice_id = ? ORDER BY hlc DESC LIMIT 1`, invoiceID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read export details of %s: %w", invoiceID, err)
	}
	var e books.ExportDetails
	if err := json.Unmarshal([]byte(data), &e); err != nil {
		return nil, fmt.Errorf("read export details of %s: %w", invoiceID, err)
	}
	return &e.ShippingBill, nil
}

// exportShippingBills fills the shipping bill of every export invoice
// among docs: the newest ExportDetails, else the invoice's own.
func (s *Store) exportShippingBills(ctx context.Context, docs []GSTDoc) error {
	for i := range docs {
		d := &docs[i]
		if !d.ZeroRated.Export() || d.Cancelled {
			continue
		}
		sb, err := latestShippingBill(s.r, d.ID)
		if err != nil {
			return err
		}
		if sb == nil {
			var own sql.NullString
			if err := s.r.QueryRowContext(ctx, `SELECT data->'$.shipping_bill' FROM invoices WHERE id = ?`, d.ID).Scan(&own); err != nil {
				return fmt.Errorf("read shipping bill of %s: %w", d.Number, err)
			}
			if own.Valid && strings.TrimSpace(own.String) != "" {
				sb = new(books.ShippingBill)
				if err := json.Unmarshal([]byte(own.String), sb); err != nil {
					return fmt.Errorf("read shipping bill of %s: %w", d.Number, err)
				}
			}
		}
		if sb != nil {
			d.PortCode, d.ShippingBillNumber, d.ShippingBillDate = sb.PortCode, sb.Number, sb.Date
		}
	}
	return nil
}
