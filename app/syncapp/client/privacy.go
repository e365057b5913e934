package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/ainaukar/naukar/sync/protocol"
)

// The privacy rights (server/privacy): correction, export, closing the
// account, telemetry and notices.

// CorrectAccount corrects the owner's profile.
func (c *Client) CorrectAccount(ctx context.Context, token string, p protocol.AccountPatch) (protocol.Account, error) {
	var out protocol.Account
	err := c.do(ctx, http.MethodPatch, "/v1/account", token, p, &out, true)
	return out, err
}

// CorrectBusiness corrects the business profile (owner only).
func (c *Client) CorrectBusiness(ctx context.Context, token string, p protocol.BusinessPatch) (protocol.Business, error) {
	var out protocol.Business
	err := c.do(ctx, http.MethodPatch, "/v1/business", token, p, &out, true)
	return out, err
}

// DeleteAccount closes the owner's account: every device is signed out at
// once and the data is purged later. Not retried.
func (c *Client) DeleteAccount(ctx context.Context, token, password string) (protocol.DeleteAccountResponse, error) {
	var out protocol.DeleteAccountResponse
	err := c.do(ctx, http.MethodPost, "/v1/account/delete", token, protocol.DeleteAccountRequest{Password: password}, &out, false)
	return out, err
}

// StartExport starts an export of the business's data on the server.
func (c *Client) StartExport(ctx context.Context, token string) (string, error) {
	var out protocol.ExportStarted
	err := c.do(ctx, http.MethodPost, "/v1/account/exports", token, nil, &out, false)
	return out.ID, err
}

// ExportStatus returns the state and progress of an export.
func (c *Client) ExportStatus(ctx context.Context, token, id string) (protocol.ExportStatus, error) {
	var out protocol.ExportStatus
	err := c.do(ctx, http.MethodGet, "/v1/account/exports/"+url.PathEscape(id), token, nil, &out, true)
	return out, err
}

// DownloadExport copies a ready export's ZIP to w and returns its size.
func (c *Client) DownloadExport(ctx context.Context, token, id string, w io.Writer) (int64, error) {
	resp, err := c.r.R().SetContext(ctx).SetAuthToken(token).SetHeader("Accept", "application/zip").
		SetDoNotParseResponse(true).Get("/v1/account/exports/" + url.PathEscape(id))
	if err != nil {
		return 0, fmt.Errorf("download export: %w", err)
	}
	body := resp.RawBody()
	defer body.Close()
	if resp.StatusCode() != http.StatusOK || resp.Header().Get("Content-Type") != "application/zip" {
		b, _ := io.ReadAll(io.LimitReader(body, 64<<10))
		return 0, apiError(resp.StatusCode(), b)
	}
	n, err := io.Copy(w, body)
	if err != nil {
		return n, fmt.Errorf("download export: %w", err)
	}
	return n, nil
}

// SendTelemetry sends a batch of usage events and error reports.
func (c *Client) SendTelemetry(ctx context.Context, token string, b protocol.TelemetryBatch) error {
	return c.do(ctx, http.MethodPost, "/v1/telemetry", token, b, nil, true)
}

// Notices returns the notices the account has not seen yet.
func (c *Client) Notices(ctx context.Context, token string) ([]protocol.Notice, error) {
	var out protocol.NoticesResponse
	err := c.do(ctx, http.MethodGet, "/v1/notices", token, nil, &out, true)
	return out.Notices, err
}

// NoticeSeen records that the account has seen a notice.
func (c *Client) NoticeSeen(ctx context.Context, token, id string) error {
	return c.do(ctx, http.MethodPost, "/v1/notices/"+url.PathEscape(id)+"/seen", token, nil, nil, true)
}
