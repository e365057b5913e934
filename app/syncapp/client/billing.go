package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/ainaukar/naukar/sync/protocol"
)

// The plan and our billing (server/billing).

// Billing returns the business's plan, limits and use this month.
func (c *Client) Billing(ctx context.Context, token string) (protocol.BillingStatus, error) {
	var out protocol.BillingStatus
	err := c.do(ctx, http.MethodGet, "/v1/billing", token, nil, &out, true)
	return out, err
}

// Subscribe starts a subscription to a paid plan and returns the checkout
// page to pay on. Not retried (each call creates a subscription).
func (c *Client) Subscribe(ctx context.Context, token, plan string) (protocol.SubscribeResponse, error) {
	var out protocol.SubscribeResponse
	err := c.do(ctx, http.MethodPost, "/v1/billing/subscribe", token, protocol.SubscribeRequest{Plan: plan}, &out, false)
	return out, err
}

// CancelPlan cancels the subscription at the end of the period paid for.
func (c *Client) CancelPlan(ctx context.Context, token string) (protocol.BillingStatus, error) {
	var out protocol.BillingStatus
	err := c.do(ctx, http.MethodPost, "/v1/billing/cancel", token, nil, &out, true)
	return out, err
}

// BillingInvoices lists our tax invoices to the business, newest first.
func (c *Client) BillingInvoices(ctx context.Context, token string) ([]protocol.BillingInvoice, error) {
	var out struct {
		Invoices []protocol.BillingInvoice `json:"invoices"`
	}
	err := c.do(ctx, http.MethodGet, "/v1/billing/invoices", token, nil, &out, true)
	return out.Invoices, err
}

// DownloadBillingInvoice writes one of our invoices (a PDF) to w.
func (c *Client) DownloadBillingInvoice(ctx context.Context, token string, inv protocol.BillingInvoice, w io.Writer) (int64, error) {
	if !strings.HasPrefix(inv.DownloadURL, "/v1/billing/invoices/") {
		return 0, fmt.Errorf("invoice %s has no download address", inv.Number)
	}
	resp, err := c.r.R().SetContext(ctx).SetAuthToken(token).SetHeader("Accept", "application/pdf").
		SetDoNotParseResponse(true).Get(inv.DownloadURL)
	if err != nil {
		return 0, fmt.Errorf("download invoice %s: %w", inv.Number, err)
	}
	body := resp.RawBody()
	defer body.Close()
	if resp.StatusCode() != http.StatusOK || resp.Header().Get("Content-Type") != "application/pdf" {
		b, _ := io.ReadAll(io.LimitReader(body, 64<<10))
		return 0, apiError(resp.StatusCode(), b)
	}
	n, err := io.Copy(w, body)
	if err != nil {
		return n, fmt.Errorf("download invoice %s: %w", inv.Number, err)
	}
	return n, nil
}

// PaymentLinkKeys says whether the shop's own Razorpay keys (for payment
// links to its customers) are connected on the server.
func (c *Client) PaymentLinkKeys(ctx context.Context, token string) (protocol.ShopRazorpayStatus, error) {
	var out protocol.ShopRazorpayStatus
	err := c.do(ctx, http.MethodGet, "/v1/billing/razorpay-keys", token, nil, &out, true)
	return out, err
}

// ConnectPaymentLinkKeys gives the server the shop's own Razorpay keys; the
// server checks them with Razorpay and keeps them encrypted.
func (c *Client) ConnectPaymentLinkKeys(ctx context.Context, token string, keys protocol.ShopRazorpayKeys) (protocol.ShopRazorpayStatus, error) {
	var out protocol.ShopRazorpayStatus
	err := c.do(ctx, http.MethodPut, "/v1/billing/razorpay-keys", token, keys, &out, false)
	return out, err
}

// DisconnectPaymentLinkKeys makes the server forget the shop's keys.
func (c *Client) DisconnectPaymentLinkKeys(ctx context.Context, token string) (protocol.ShopRazorpayStatus, error) {
	var out protocol.ShopRazorpayStatus
	err := c.do(ctx, http.MethodDelete, "/v1/billing/razorpay-keys", token, nil, &out, true)
	return out, err
}
