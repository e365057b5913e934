package ui_test

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/ui"
	"github.com/ainaukar/naukar/server/shopkeystest"
	"github.com/ainaukar/naukar/server/whatsapp/whatsapptest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// ownKeysHarness is the staff books (Meera the owner signed in) signed in
// to a real sync server on loopback that checks the shop's keys with the
// fakes of Meta and Razorpay.
func ownKeysHarness(t *testing.T) (*harness, *shopkeystest.Server) {
	t.Setenv("NAUKAR_KEYRING", "file")
	srv := shopkeystest.Start(t)
	h := newHarnessWith(t, staffBooks(t), func(st *store.Store) ui.Options {
		return ui.Options{OwnAccounts: syncapp.OwnAccounts{Store: st}}
	})
	h.signIn("Meera", "2580")
	ctx := context.Background()
	if _, err := syncapp.Signup(ctx, srv.URL, protocol.SignupRequest{
		Owner:    protocol.SignupOwner{Name: "Meera", Email: "meera@example.com", Phone: "9876543210", Password: "correct horse"},
		Business: protocol.SignupBusiness{Name: "Sharma Stores", StateCode: "27"}, AgeConfirmed: true, TermsAccepted: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := syncapp.Login(ctx, h.Books, srv.URL, "meera@example.com", "correct horse", "Counter 1"); err != nil {
		t.Fatal(err)
	}
	return h, srv
}

// openKeys opens one of Settings' own-account dialogs and waits for the
// server's answer.
func (h *harness) openKeys(button string) *ui.KeysView {
	h.t.Helper()
	h.closeAll()
	h.press(ui.ActSettings)
	test.Tap(h.screenButton(button))
	v := h.App.Settings.Keys
	h.settle("the server's answer", func() bool { return !v.Busy() })
	return v
}

// closeAll closes every dialog, as Esc does.
func (h *harness) closeAll() {
	for h.App.DialogOpen() {
		h.esc()
	}
}

// fill types the form's boxes and presses Connect.
func (h *harness) connectKeys(v *ui.KeysView, values ...string) {
	h.t.Helper()
	for i, s := range values {
		h.typeInto(v.Fields[i], s)
	}
	test.Tap(v.Connect)
	h.settle("the connect", func() bool { return !v.Busy() })
}

// copyButton taps the Copy button beside label and returns what it put on
// the clipboard.
func (h *harness) copyValue(v *ui.KeysView, label string) string {
	h.t.Helper()
	for _, row := range v.Copies.Objects {
		var hit bool
		var copyBtn *widget.Button
		walk(row, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok && l.Text == label {
				hit = true
			}
			if b, ok := o.(*widget.Button); ok {
				copyBtn = b
			}
		})
		if hit && copyBtn != nil {
			test.Tap(copyBtn)
			return fyne.CurrentApp().Clipboard().Content()
		}
	}
	h.t.Fatalf("no %q to copy in %d rows", label, len(v.Copies.Objects))
	return ""
}

// disconnectKeys presses Disconnect… and confirms.
func (h *harness) disconnectKeys(v *ui.KeysView) {
	h.t.Helper()
	test.Tap(v.Disconnect)
	if !strings.Contains(dialogText(h), "Disconnect the shop's") {
		h.t.Fatalf("no confirmation: %q", dialogText(h))
	}
	test.Tap(h.button("Disconnect"))
	h.settle("the disconnect", func() bool { return !v.Busy() })
}

// TestOwnWhatsAppNumber: the owner connects the shop's own WhatsApp number
// in Settings against a real sync server: a token Meta refuses shows
// Meta's reason and keeps nothing; the right one shows the number and the
// token's last 4 only (never a secret), the callback URL to copy into
// Meta's dashboard; Disconnect asks first and the server forgets it.
func TestOwnWhatsAppNumber(t *testing.T) {
	h, srv := ownKeysHarness(t)
	own := whatsapptest.Number{PhoneID: "209876543210987", Token: "EAAG-shop-own-token-7d3f", AppSecret: "shop_own_app_secret_91c2", Display: "+91 98200 12345"}
	srv.Graph.AddNumber(own)
	v := h.openKeys("WhatsApp number")
	if !strings.Contains(v.State.Text, "Not connected") || !v.Disconnect.Disabled() || v.Msg.Visible() {
		t.Fatalf("before connecting: %q, disconnect off %v, message %q", v.State.Text, v.Disconnect.Disabled(), v.Msg.Text)
	}
	if !v.Fields[1].Password || !v.Fields[2].Password {
		t.Fatal("the token and the app secret are not password boxes")
	}

	t.Run("ErrMetaRefusedToken", func(t *testing.T) {
		h.connectKeys(v, own.PhoneID, "EAAG-a-token-meta-does-not-know", own.AppSecret)
		if !strings.Contains(v.Msg.Text, "Meta refused this access token for this phone number id") || !strings.Contains(v.State.Text, "Not connected") {
			t.Fatalf("message %q, state %q", v.Msg.Text, v.State.Text)
		}
		if st, err := syncapp.WhatsAppNumber(context.Background(), h.Books); err != nil || st.Connected {
			t.Fatalf("the server kept a refused token: %+v %v", st, err)
		}
	})

	h.connectKeys(v, own.PhoneID, own.Token, own.AppSecret)
	shown := dialogText(h)
	for _, want := range []string{"Connected: messages go from the shop's own number " + own.Display, "Phone number id: " + own.PhoneID,
		"Access token: set …7d3f", "App secret: set", "Connected."} {
		if !strings.Contains(shown, want) {
			t.Errorf("the dialog lacks %q:\n%s", want, shown)
		}
	}
	if strings.Contains(shown, own.Token) || strings.Contains(shown, own.AppSecret) || v.Fields[1].Text != "" || v.Fields[2].Text != "" {
		t.Fatalf("a secret is still shown:\n%s", shown)
	}
	if got := h.copyValue(v, "Callback URL"); got != srv.URL+"/v1/webhooks/whatsapp" {
		t.Errorf("copied %q", got)
	}
	if st, err := syncapp.WhatsAppNumber(context.Background(), h.Books); err != nil || !st.Connected || st.PhoneNumberID != own.PhoneID {
		t.Fatalf("the server: %+v %v", st, err)
	}

	h.disconnectKeys(v)
	if !strings.Contains(v.State.Text, "Not connected") || !strings.Contains(v.Msg.Text, "Disconnected.") || !v.Disconnect.Disabled() {
		t.Fatalf("after disconnecting: %q / %q", v.State.Text, v.Msg.Text)
	}
	if st, err := syncapp.WhatsAppNumber(context.Background(), h.Books); err != nil || st.Connected {
		t.Fatalf("the server still has the number: %+v %v", st, err)
	}
}

// TestOwnRazorpayKeys: the owner connects the shop's Razorpay keys for
// payment links; keys Razorpay refuses show its reason; connected, the
// dialog shows the key id and the webhook URL to copy into Razorpay's
// dashboard, never a secret; Disconnect asks first.
func TestOwnRazorpayKeys(t *testing.T) {
	h, srv := ownKeysHarness(t)
	rzp := srv.Razorpay
	v := h.openKeys("Razorpay keys")
	if !strings.Contains(v.State.Text, "Not connected: invoices get no payment links.") {
		t.Fatalf("before connecting: %q", v.State.Text)
	}
	t.Run("ErrEmptyBox", func(t *testing.T) {
		h.connectKeys(v, rzp.KeyID, "", "")
		if !strings.Contains(v.Msg.Text, "Fill in: Key secret.") {
			t.Fatalf("message %q", v.Msg.Text)
		}
	})
	t.Run("ErrRazorpayRefusedKeys", func(t *testing.T) {
		h.connectKeys(v, rzp.KeyID, "not-the-secret", "shop-webhook-secret")
		if !strings.Contains(v.Msg.Text, "Razorpay refused these keys.") || !strings.Contains(v.State.Text, "Not connected") {
			t.Fatalf("message %q, state %q", v.Msg.Text, v.State.Text)
		}
	})
	h.connectKeys(v, rzp.KeyID, rzp.KeySecret, "shop-webhook-secret")
	shown := dialogText(h)
	if !strings.Contains(shown, "Key id: "+rzp.KeyID) || !strings.Contains(shown, "Connected.") ||
		strings.Contains(shown, rzp.KeySecret) || strings.Contains(shown, "shop-webhook-secret") {
		t.Fatalf("connected:\n%s", shown)
	}
	st, err := syncapp.PaymentLinkKeys(context.Background(), h.Books)
	if err != nil || !st.Connected || !strings.HasPrefix(st.WebhookURL, srv.URL+"/v1/webhooks/razorpay/shops/") {
		t.Fatalf("the server: %+v %v", st, err)
	}
	if got := h.copyValue(v, "Webhook URL"); got != st.WebhookURL {
		t.Errorf("copied %q, want %q", got, st.WebhookURL)
	}
	// Opened again, it shows what the server holds.
	v = h.openKeys("Razorpay keys")
	if !strings.Contains(v.State.Text, "Key id: "+rzp.KeyID) || v.Disconnect.Disabled() {
		t.Fatalf("opened again: %q", v.State.Text)
	}
	h.disconnectKeys(v)
	if st, err := syncapp.PaymentLinkKeys(context.Background(), h.Books); err != nil || st.Connected || !strings.Contains(v.State.Text, "Not connected") {
		t.Fatalf("after disconnecting: %+v %v, %q", st, err, v.State.Text)
	}
}

// TestOwnKeysOwnerOnlyAndOffline: a manager has no buttons and is refused
// the dialogs in words; with the sync server out of reach the dialogs say
// that connecting needs the internet.
func TestOwnKeysOwnerOnlyAndOffline(t *testing.T) {
	h, srv := ownKeysHarness(t)
	h.press(ui.ActSettings)
	if !h.App.Settings.WhatsAppNumber.Visible() || !h.App.Settings.RazorpayKeys.Visible() {
		t.Fatal("the owner does not see the buttons")
	}

	t.Run("ManagerRefused", func(t *testing.T) {
		h.press(ui.ActSwitchUser)
		h.signIn("Vikram", "3690")
		if h.App.Allowed(ui.ActSettings) {
			t.Fatal("a manager may open Settings")
		}
		h.App.Settings.ShowWhatsAppNumber()
		if h.App.DialogOpen() || !strings.Contains(h.App.Status(), "Vikram (manager) may not do this") {
			t.Fatalf("a manager: dialog %v, status %q", h.App.DialogOpen(), h.App.Status())
		}
		h.App.Settings.ShowRazorpayKeys()
		if h.App.DialogOpen() {
			t.Fatal("a manager opened the Razorpay keys")
		}
		h.press(ui.ActSwitchUser)
		h.signIn("Meera", "2580")
	})

	t.Run("Offline", func(t *testing.T) {
		srv.Stop()
		for _, b := range []string{"WhatsApp number", "Razorpay keys"} {
			v := h.openKeys(b)
			if !strings.Contains(v.Msg.Text, "Connecting needs the internet") || strings.Contains(v.State.Text, "Asking") {
				t.Fatalf("%s offline: %q / %q", b, v.Msg.Text, v.State.Text)
			}
			h.connectKeys(v, "209876543210987", "EAAG-shop-own-token-7d3f", "shop_own_app_secret_91c2")
			if !strings.Contains(v.Msg.Text, "Connecting needs the internet") {
				t.Fatalf("%s connect offline: %q", b, v.Msg.Text)
			}
		}
	})
}

// TestOwnKeysNotSignedIn: books not signed in to a sync server are told
// to sign in first, in words, rather than shown an error.
func TestOwnKeysNotSignedIn(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	h := newHarnessWith(t, staffBooks(t), func(st *store.Store) ui.Options {
		return ui.Options{OwnAccounts: syncapp.OwnAccounts{Store: st}}
	})
	h.signIn("Meera", "2580")
	v := h.openKeys("Razorpay keys")
	if !strings.Contains(v.Msg.Text, "Sign in to a sync server first (Settings → Sync)") || !v.Disconnect.Disabled() {
		t.Fatalf("not signed in: %q", v.Msg.Text)
	}
}

// TestOwnKeysHaveHindi: every word of the two dialogs has English and Hindi.
func TestOwnKeysHaveHindi(t *testing.T) {
	haveHindi(t, map[string]bool{"WhatsApp number…": true, "Razorpay keys…": true}, 40, "ownkeys.go")
}
