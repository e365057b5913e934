package syncapp

import (
	"context"
	"io"

	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Plan returns the business's plan, limits and use this month, from the
// sync server the books are signed in to.
func Plan(ctx context.Context, s *store.Store) (protocol.BillingStatus, error) {
	c, tok, err := signedIn(s)
	if err != nil {
		return protocol.BillingStatus{}, err
	}
	return c.Billing(ctx, tok)
}

// Subscribe starts a subscription to a paid plan; the answer's checkout
// page is where the owner pays.
func Subscribe(ctx context.Context, s *store.Store, plan string) (protocol.SubscribeResponse, error) {
	c, tok, err := signedIn(s)
	if err != nil {
		return protocol.SubscribeResponse{}, err
	}
	return c.Subscribe(ctx, tok, plan)
}

// CancelPlan cancels the subscription at the end of the period paid for.
func CancelPlan(ctx context.Context, s *store.Store) (protocol.BillingStatus, error) {
	c, tok, err := signedIn(s)
	if err != nil {
		return protocol.BillingStatus{}, err
	}
	return c.CancelPlan(ctx, tok)
}

// PlanInvoices lists our tax invoices to the business.
func PlanInvoices(ctx context.Context, s *store.Store) ([]protocol.BillingInvoice, error) {
	c, tok, err := signedIn(s)
	if err != nil {
		return nil, err
	}
	return c.BillingInvoices(ctx, tok)
}

// DownloadPlanInvoice writes one of our invoices (a PDF) to w.
func DownloadPlanInvoice(ctx context.Context, s *store.Store, inv protocol.BillingInvoice, w io.Writer) (int64, error) {
	c, tok, err := signedIn(s)
	if err != nil {
		return 0, err
	}
	return c.DownloadBillingInvoice(ctx, tok, inv, w)
}
