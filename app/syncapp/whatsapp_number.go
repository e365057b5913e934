package syncapp

import (
	"context"

	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// WhatsAppNumber says whether the shop sends WhatsApp from its own number.
func WhatsAppNumber(ctx context.Context, s *store.Store) (protocol.WANumberStatus, error) {
	c, tok, err := signedIn(s)
	if err != nil {
		return protocol.WANumberStatus{}, err
	}
	return c.WhatsAppNumber(ctx, tok)
}

// ConnectWhatsAppNumber connects the shop's own WhatsApp number (the
// owner's).
func ConnectWhatsAppNumber(ctx context.Context, s *store.Store, n protocol.WANumberSettings) (protocol.WANumberStatus, error) {
	c, tok, err := signedIn(s)
	if err != nil {
		return protocol.WANumberStatus{}, err
	}
	return c.ConnectWhatsAppNumber(ctx, tok, n)
}

// DisconnectWhatsAppNumber forgets the shop's own number on the server.
func DisconnectWhatsAppNumber(ctx context.Context, s *store.Store) (protocol.WANumberStatus, error) {
	c, tok, err := signedIn(s)
	if err != nil {
		return protocol.WANumberStatus{}, err
	}
	return c.DisconnectWhatsAppNumber(ctx, tok)
}
