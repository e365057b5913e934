package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/server/billing/razorpay"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/privacy"
	"github.com/ainaukar/naukar/sync/protocol"
)

// invoiceCharge issues our tax invoice for a subscription charge, once per
// payment however often Razorpay reports it.
func (m *Module) invoiceCharge(ctx context.Context, c plans.Checkout, sub razorpay.Subscription, p razorpay.Payment, at time.Time) error {
	if p.ID == "" || p.Amount <= 0 {
		return nil
	}
	biz, err := m.store.Business(ctx, core.Session{BusinessID: c.BusinessID})
	if err != nil {
		return fmt.Errorf("invoice for payment %s: %w", p.ID, err)
	}
	address := biz.Address
	if biz.City != "" {
		address += ", " + biz.City
	}
	inv := plans.NewInvoice(m.seller, plans.Buyer{Name: biz.Name, GSTIN: biz.GSTIN, StateCode: biz.StateCode, Address: address}, p.Amount, at)
	planID := m.planOf(sub.PlanID, c.Plan)
	plan, _ := m.plans.Plan(planID)
	inv.BusinessID, inv.PaymentID, inv.SubscriptionID, inv.Plan, inv.PlanName = c.BusinessID, p.ID, sub.ID, planID, plan.Name
	if sub.CurrentStart > 0 && sub.CurrentEnd > 0 {
		inv.PeriodStart, inv.PeriodEnd = time.Unix(sub.CurrentStart, 0), time.Unix(sub.CurrentEnd, 0)
	}
	got, created, err := m.store.CreateInvoice(ctx, inv)
	if err != nil {
		return err
	}
	if created {
		m.log.Info("billing: invoice issued", "business", c.BusinessID, "number", got.Number, "payment", p.ID)
		m.notify(ctx, c.BusinessID, privacy.MailPaymentReceived, p.ID, privacy.BillingFacts{PlanName: plan.Name,
			AmountPaise: got.Total, InvoiceNumber: got.Number, PeriodEnd: inv.PeriodEnd})
	}
	return nil
}

func invoiceView(inv plans.Invoice) protocol.BillingInvoice {
	return protocol.BillingInvoice{ID: inv.ID, Number: inv.Number, Date: inv.IssuedAt, Plan: inv.PlanName,
		TotalPaise: inv.Total, TaxPaise: inv.CGST + inv.SGST + inv.IGST, PaymentID: inv.PaymentID,
		DownloadURL: "/v1/billing/invoices/" + inv.ID + "/pdf"}
}

// Invoices lists our invoices to the business, newest first.
func (m *Module) Invoices(ctx context.Context, s core.Session) ([]protocol.BillingInvoice, error) {
	list, err := m.store.Invoices(ctx, s.BusinessID)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.BillingInvoice, len(list))
	for i, inv := range list {
		out[i] = invoiceView(inv)
	}
	return out, nil
}

// InvoicePDF returns one invoice of the business as a PDF, and its number.
func (m *Module) InvoicePDF(ctx context.Context, s core.Session, id string) ([]byte, string, error) {
	inv, err := m.store.Invoice(ctx, s.BusinessID, id)
	if err != nil {
		return nil, "", err
	}
	pdf, err := InvoicePDF(inv)
	return pdf, inv.Number, err
}
