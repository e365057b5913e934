package billing

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"strings"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// webhookBody bounds a webhook's body (Razorpay's are a few KiB).
const webhookBody = 1 << 20

// Mount registers the module's routes (server/openapi.yaml documents them).
func (m *Module) Mount(mux *api.Mux) {
	mux.Device("GET /v1/billing", 0, func(w http.ResponseWriter, r *http.Request, s core.Session) {
		st, err := m.Status(r.Context(), s)
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		mux.JSON(w, http.StatusOK, st)
	})
	// Changing the plan and our invoices to the shop are the owner's
	// (app/staff's permission table); the plan in force is anyone's.
	mux.Permit("POST /v1/billing/subscribe", staff.Plan, 0, func(w http.ResponseWriter, r *http.Request, s core.Session) {
		var req protocol.SubscribeRequest
		if err := mux.Decode(r, &req); err != nil {
			mux.Error(w, r, err)
			return
		}
		res, err := m.Subscribe(r.Context(), s, strings.TrimSpace(req.Plan), requestBase(r))
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		mux.JSON(w, http.StatusOK, res)
	})
	mux.Permit("POST /v1/billing/cancel", staff.Plan, 0, func(w http.ResponseWriter, r *http.Request, s core.Session) {
		st, err := m.Cancel(r.Context(), s)
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		mux.JSON(w, http.StatusOK, st)
	})
	mux.Permit("GET /v1/billing/invoices", staff.Plan, 0, func(w http.ResponseWriter, r *http.Request, s core.Session) {
		list, err := m.Invoices(r.Context(), s)
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		mux.JSON(w, http.StatusOK, map[string]any{"invoices": list})
	})
	mux.Permit("GET /v1/billing/invoices/{id}/pdf", staff.Plan, 0, func(w http.ResponseWriter, r *http.Request, s core.Session) {
		pdf, number, err := m.InvoicePDF(r.Context(), s, r.PathValue("id"))
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(number, "/", "-")+`.pdf"`)
		_, _ = w.Write(pdf)
	})
	// The shop's own Razorpay keys, for payment links to its customers:
	// the owner's, like the plan.
	mux.Permit("GET /v1/billing/razorpay-keys", staff.Plan, 0, func(w http.ResponseWriter, r *http.Request, s core.Session) {
		st, err := m.ShopKeys(r.Context(), s, requestBase(r))
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		mux.JSON(w, http.StatusOK, st)
	})
	mux.Permit("PUT /v1/billing/razorpay-keys", staff.Plan, 0, func(w http.ResponseWriter, r *http.Request, s core.Session) {
		var req protocol.ShopRazorpayKeys
		if err := mux.Decode(r, &req); err != nil {
			mux.Error(w, r, err)
			return
		}
		st, err := m.ConnectShopKeys(r.Context(), s, req, requestBase(r))
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		mux.JSON(w, http.StatusOK, st)
	})
	mux.Permit("DELETE /v1/billing/razorpay-keys", staff.Plan, 0, func(w http.ResponseWriter, r *http.Request, s core.Session) {
		st, err := m.DisconnectShopKeys(r.Context(), s)
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		mux.JSON(w, http.StatusOK, st)
	})
	// A shop's own webhook (payment_link.paid), found by the token in its
	// address and proven by the shop's webhook secret.
	mux.Public("POST /v1/webhooks/razorpay/shops/{token}", webhookBody, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			mux.Error(w, r, core.Errorf(core.CodeTooLarge, "The webhook body is too large."))
			return
		}
		rec, err := m.ReceiveShopWebhook(r.Context(), r.PathValue("token"), body, r.Header.Get("X-Razorpay-Signature"))
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		mux.JSON(w, http.StatusOK, map[string]bool{"recorded": rec})
	})
	// The checkout page and its verify call run in the shop's browser,
	// without the device token: the page is found by an unguessable token,
	// and the verify call is proven by Razorpay's signature.
	mux.Public("GET /billing/checkout/{token}", 0, func(w http.ResponseWriter, r *http.Request) {
		page, err := m.checkoutPage(r.Context(), r.PathValue("token"))
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		var nonce [16]byte
		_, _ = rand.Read(nonce[:])
		page.Nonce = base64.StdEncoding.EncodeToString(nonce[:])
		var buf bytes.Buffer
		if err := checkoutTmpl.Execute(&buf, page); err != nil {
			mux.Error(w, r, err)
			return
		}
		js := origin(page.CheckoutJS)
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: https:; "+
			"script-src 'nonce-"+page.Nonce+"' "+js+" https://*.razorpay.com; style-src 'nonce-"+page.Nonce+"' 'unsafe-inline'; "+
			"connect-src 'self' "+js+" https://*.razorpay.com; frame-src "+js+" https://*.razorpay.com")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		_, _ = w.Write(buf.Bytes())
	})
	mux.Public("POST /v1/billing/verify", 0, func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Checkout string `json:"checkout"`
			protocol.VerifyRequest
		}
		if err := mux.Decode(r, &req); err != nil {
			mux.Error(w, r, err)
			return
		}
		st, err := m.VerifyCheckout(r.Context(), req.Checkout, req.VerifyRequest)
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		mux.JSON(w, http.StatusOK, st)
	})
	mux.Public("POST /v1/webhooks/razorpay", webhookBody, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			mux.Error(w, r, core.Errorf(core.CodeTooLarge, "The webhook body is too large."))
			return
		}
		dup, err := m.ReceiveWebhook(r.Context(), body, r.Header.Get("X-Razorpay-Signature"), r.Header.Get("X-Razorpay-Event-Id"))
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		mux.JSON(w, http.StatusOK, map[string]bool{"duplicate": dup})
	})
}

// requestBase is this server's address as the request reached it.
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
