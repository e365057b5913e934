package syncapp

import (
	"context"

	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// OwnAccounts are the shop's own WhatsApp number and Razorpay keys kept on
// the sync server of the books Store, as Settings → WhatsApp number… and
// Razorpay keys… use them (the same calls as the CLI's).
type OwnAccounts struct{ Store *store.Store }

// WhatsAppNumber implements ui.OwnAccounts.
func (o OwnAccounts) WhatsAppNumber(ctx context.Context) (protocol.WANumberStatus, error) {
	return WhatsAppNumber(ctx, o.Store)
}

// ConnectWhatsAppNumber implements ui.OwnAccounts.
func (o OwnAccounts) ConnectWhatsAppNumber(ctx context.Context, n protocol.WANumberSettings) (protocol.WANumberStatus, error) {
	return ConnectWhatsAppNumber(ctx, o.Store, n)
}

// DisconnectWhatsAppNumber implements ui.OwnAccounts.
func (o OwnAccounts) DisconnectWhatsAppNumber(ctx context.Context) (protocol.WANumberStatus, error) {
	return DisconnectWhatsAppNumber(ctx, o.Store)
}

// PaymentLinkKeys implements ui.OwnAccounts.
func (o OwnAccounts) PaymentLinkKeys(ctx context.Context) (protocol.ShopRazorpayStatus, error) {
	return PaymentLinkKeys(ctx, o.Store)
}

// ConnectPaymentLinkKeys implements ui.OwnAccounts.
func (o OwnAccounts) ConnectPaymentLinkKeys(ctx context.Context, k protocol.ShopRazorpayKeys) (protocol.ShopRazorpayStatus, error) {
	return ConnectPaymentLinkKeys(ctx, o.Store, k)
}

// DisconnectPaymentLinkKeys implements ui.OwnAccounts.
func (o OwnAccounts) DisconnectPaymentLinkKeys(ctx context.Context) (protocol.ShopRazorpayStatus, error) {
	return DisconnectPaymentLinkKeys(ctx, o.Store)
}
