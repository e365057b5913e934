package billing

import "context"

// MakePayLink runs the payment-link job's work for an invoice (tests).
func (m *Module) MakePayLink(ctx context.Context, businessID, invoiceID string) error {
	return m.makePayLink(ctx, businessID, invoiceID)
}
