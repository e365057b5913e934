package client

import (
	"context"
	"net/http"

	"github.com/ainaukar/naukar/sync/protocol"
)

// StaffSignIn signs a staff member in on this device on the server, with
// their PIN; the server then lets the device do what their role may.
// It is not retried: each wrong PIN counts toward a lock.
func (c *Client) StaffSignIn(ctx context.Context, token, userID, pin string) (protocol.StaffSession, error) {
	var out protocol.StaffSession
	err := c.do(ctx, http.MethodPost, "/v1/staff/signin", token, protocol.StaffSignInRequest{UserID: userID, PIN: pin}, &out, false)
	return out, err
}

// StaffSignOut ends the staff sign-in on this device on the server.
func (c *Client) StaffSignOut(ctx context.Context, token string) (protocol.StaffSession, error) {
	var out protocol.StaffSession
	err := c.do(ctx, http.MethodPost, "/v1/staff/signout", token, nil, &out, true)
	return out, err
}

// StaffSession says who the server takes to be at this device.
func (c *Client) StaffSession(ctx context.Context, token string) (protocol.StaffSession, error) {
	var out protocol.StaffSession
	err := c.do(ctx, http.MethodGet, "/v1/staff/session", token, nil, &out, true)
	return out, err
}
