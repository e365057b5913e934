package billing

import "context"

// MakePayLink runs the payment-link job's work for an invoice (tests).
func (m *Module) MakePayLink(ctx context.Context, businessID, invoiceID string) error {
	return m.makePayLink(ctx, businessID, invoiceID)
}

// CancelPayLink runs the cancel job's work for an invoice (tests).
func (m *Module) CancelPayLink(ctx context.Context, businessID, invoiceID string) error {
	return m.cancelPayLink(ctx, businessID, invoiceID)
}
