package client

import (
	"context"
	"net/http"

	"github.com/ainaukar/naukar/sync/protocol"
)

// WhatsApp asks whether the server sends WhatsApp messages, and this
// month's count.
func (c *Client) WhatsApp(ctx context.Context, token string) (protocol.WAStatusResponse, error) {
	var out protocol.WAStatusResponse
	err := c.do(ctx, http.MethodGet, "/v1/whatsapp", token, nil, &out, true)
	return out, err
}
