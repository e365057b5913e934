package client

import (
	"context"
	"net/http"

	"github.com/ainaukar/naukar/sync/protocol"
)

// WhatsAppNumber says whether the shop sends WhatsApp from its own number.
func (c *Client) WhatsAppNumber(ctx context.Context, token string) (protocol.WANumberStatus, error) {
	var out protocol.WANumberStatus
	err := c.do(ctx, http.MethodGet, "/v1/whatsapp/settings", token, nil, &out, true)
	return out, err
}

// ConnectWhatsAppNumber gives the server the shop's own number; the server
// checks it with Meta and keeps the token and app secret encrypted.
func (c *Client) ConnectWhatsAppNumber(ctx context.Context, token string, n protocol.WANumberSettings) (protocol.WANumberStatus, error) {
	var out protocol.WANumberStatus
	err := c.do(ctx, http.MethodPut, "/v1/whatsapp/settings", token, n, &out, false)
	return out, err
}

// DisconnectWhatsAppNumber makes the server forget the shop's own number.
func (c *Client) DisconnectWhatsAppNumber(ctx context.Context, token string) (protocol.WANumberStatus, error) {
	var out protocol.WANumberStatus
	err := c.do(ctx, http.MethodDelete, "/v1/whatsapp/settings", token, nil, &out, true)
	return out, err
}
