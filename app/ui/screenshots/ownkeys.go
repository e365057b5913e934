package main

import (
	"context"
	"time"

	"github.com/ainaukar/naukar/app/ui"
	"github.com/ainaukar/naukar/sync/protocol"
)

// shotAccounts answers as a sync server does once the shop's own WhatsApp
// number and Razorpay keys are connected (the shots have no server).
type shotAccounts struct{}

var shotConnectedAt = time.Date(2026, 11, 18, 11, 20, 0, 0, time.UTC)

func (shotAccounts) WhatsAppNumber(context.Context) (protocol.WANumberStatus, error) {
	return protocol.WANumberStatus{Connected: true, Available: true, PhoneNumberID: "209876543210987", DisplayPhone: "+91 98200 12345",
		TokenSet: true, TokenLast4: "7d3f", AppSecretSet: true, TemplateInvoice: "naukar_invoice", TemplateReminder: "naukar_payment_reminder",
		TemplateLang: "en", WebhookURL: "https://sync.ainaukar.in/v1/webhooks/whatsapp", VerifyToken: "vt_3kQ9xLm2Pa7Rw1Ys", ConnectedAt: &shotConnectedAt}, nil
}

func (s shotAccounts) ConnectWhatsAppNumber(ctx context.Context, _ protocol.WANumberSettings) (protocol.WANumberStatus, error) {
	return s.WhatsAppNumber(ctx)
}

func (shotAccounts) DisconnectWhatsAppNumber(context.Context) (protocol.WANumberStatus, error) {
	return protocol.WANumberStatus{Available: true}, nil
}

func (shotAccounts) PaymentLinkKeys(context.Context) (protocol.ShopRazorpayStatus, error) {
	return protocol.ShopRazorpayStatus{Connected: true, Available: true, KeyID: "rzp_live_Gk4Tz8QmW2nB7c",
		WebhookURL: "https://sync.ainaukar.in/v1/webhooks/razorpay/shops/q7Yc2LmN8xPa4Rt1Zk9W", ConnectedAt: &shotConnectedAt}, nil
}

func (s shotAccounts) ConnectPaymentLinkKeys(ctx context.Context, _ protocol.ShopRazorpayKeys) (protocol.ShopRazorpayStatus, error) {
	return s.PaymentLinkKeys(ctx)
}

func (shotAccounts) DisconnectPaymentLinkKeys(context.Context) (protocol.ShopRazorpayStatus, error) {
	return protocol.ShopRazorpayStatus{Available: true}, nil
}

// ownKeysShots: Settings → WhatsApp number… and Razorpay keys… with the
// shop's own number and keys connected.
func ownKeysShots(a *ui.App, do func(func()), snap func(string), hindi bool) {
	if hindi {
		do(func() { a.Run(ui.ActSettings) })
		do(func() { a.Settings.ShowWhatsAppNumber() })
		snap("41-settings-whatsapp-number-hindi")
		return
	}
	do(func() { a.Run(ui.ActSettings) })
	do(func() { a.Settings.ShowWhatsAppNumber() })
	snap("39-settings-whatsapp-number")
	do(func() { a.Run(ui.ActSettings) })
	do(func() { a.Settings.ShowRazorpayKeys() })
	snap("40-settings-razorpay-keys")
}
