package syncapp

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ainaukar/naukar/app/gst"
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

// Plans is the plan and our billing for the books s, as the Settings →
// Plan screen uses them.
type Plans struct{ Store *store.Store }

// Plan implements planview.Source.
func (p Plans) Plan(ctx context.Context) (protocol.BillingStatus, error) { return Plan(ctx, p.Store) }

// Subscribe implements planview.Source.
func (p Plans) Subscribe(ctx context.Context, plan string) (protocol.SubscribeResponse, error) {
	return Subscribe(ctx, p.Store, plan)
}

// Cancel implements planview.Source.
func (p Plans) Cancel(ctx context.Context) (protocol.BillingStatus, error) {
	return CancelPlan(ctx, p.Store)
}

// Invoices implements planview.Source.
func (p Plans) Invoices(ctx context.Context) ([]protocol.BillingInvoice, error) {
	return PlanInvoices(ctx, p.Store)
}

// SaveInvoice writes one of our invoices to path (written whole or not at
// all).
func (p Plans) SaveInvoice(ctx context.Context, inv protocol.BillingInvoice, path string) error {
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	_, err = DownloadPlanInvoice(ctx, p.Store, inv, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// QuotaWords says in plain words that a monthly quota is used up: which
// one, the day it starts again and how to get more. tr translates the
// English words (the screens pass their L; nil keeps English).
func QuotaWords(q protocol.QuotaInfo, tr func(string) string) string {
	if tr == nil {
		tr = func(s string) string { return s }
	}
	what := q.Feature
	switch q.Feature {
	case "whatsapp":
		what = tr("WhatsApp messages")
	case "ai":
		what = tr("AI questions")
	}
	return fmt.Sprintf(tr("This month's %d %s are used up. They start again on %s. For more, choose a bigger plan in Settings → Plan."),
		q.Limit, what, gst.FormatDay(q.ResetsOn.In(ist)))
}

// ist is India's time, in which monthly counts start again.
var ist = time.FixedZone("IST", 5*3600+1800)

// PaymentLinkKeys says whether the shop's own Razorpay keys are connected
// (then invoices with a balance due get payment links).
func PaymentLinkKeys(ctx context.Context, s *store.Store) (protocol.ShopRazorpayStatus, error) {
	c, tok, err := signedIn(s)
	if err != nil {
		return protocol.ShopRazorpayStatus{}, err
	}
	return c.PaymentLinkKeys(ctx, tok)
}

// ConnectPaymentLinkKeys connects the shop's own Razorpay keys (the owner's).
func ConnectPaymentLinkKeys(ctx context.Context, s *store.Store, keys protocol.ShopRazorpayKeys) (protocol.ShopRazorpayStatus, error) {
	c, tok, err := signedIn(s)
	if err != nil {
		return protocol.ShopRazorpayStatus{}, err
	}
	return c.ConnectPaymentLinkKeys(ctx, tok, keys)
}

// DisconnectPaymentLinkKeys forgets the shop's keys on the server.
func DisconnectPaymentLinkKeys(ctx context.Context, s *store.Store) (protocol.ShopRazorpayStatus, error) {
	c, tok, err := signedIn(s)
	if err != nil {
		return protocol.ShopRazorpayStatus{}, err
	}
	return c.DisconnectPaymentLinkKeys(ctx, tok)
}
