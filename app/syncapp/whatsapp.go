package syncapp

import (
	"context"
	"encoding/json"
	"time"

	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

// metaWhatsApp keeps the server's last answer to GET /v1/whatsapp, so an
// offline counter still knows whether its server sends WhatsApp.
const metaWhatsApp = "whatsapp_status"

// WhatsApp is how these books can send on WhatsApp.
type WhatsApp struct {
	// Connected: the books sync with a server that sends WhatsApp (as far
	// as last known); requests are queued and go at the next sync.
	// Otherwise the screen offers a wa.me link instead.
	Connected bool
	// Known: the server was asked (now or before); false when it never
	// answered (offline since sign-in): requests are queued anyway.
	Known  bool
	Status protocol.WAStatusResponse
	Reason string // why not connected, in plain words
}

// WhatsAppState asks the books' server (waiting at most timeout) and falls
// back to its last answer when it cannot be reached.
func WhatsAppState(ctx context.Context, s *store.Store, timeout time.Duration) WhatsApp {
	server, _ := s.Meta(client.MetaServer)
	dev, _ := s.Meta(client.MetaDeviceID)
	tok, _ := TokenStore{BooksPath: s.Path()}.Load()
	if server == "" || dev == "" || tok == "" {
		return WhatsApp{Known: true, Reason: "These books are not signed in to a sync server, so WhatsApp messages cannot go from the server; send from your own WhatsApp."}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	st, err := client.NewClient(server, client.WithRetries(0, 0, 0), client.WithTimeout(timeout)).WhatsApp(ctx, tok)
	if err == nil {
		b, _ := json.Marshal(st)
		_ = s.SetMeta(map[string]string{metaWhatsApp: string(b)})
	} else if raw, _ := s.Meta(metaWhatsApp); raw == "" || json.Unmarshal([]byte(raw), &st) != nil {
		return WhatsApp{Connected: true}
	}
	w := WhatsApp{Connected: st.Configured, Known: true, Status: st}
	if !st.Configured {
		w.Reason = st.Message
	}
	return w
}
