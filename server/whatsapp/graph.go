package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"time"
)

// Graph is a client of the WhatsApp Business Cloud API (Meta Graph) for one
// phone number: media upload and template messages. See
// shared/CONTRACTS.md, "WhatsApp Business Cloud API".
type Graph struct {
	base    string // e.g. https://graph.facebook.com/v23.0
	token   string
	phoneID string
	hc      *http.Client
}

// NewGraph returns a client for base (with its version), token and phone
// number id; hc nil uses a client with a 30 s timeout.
func NewGraph(base, token, phoneID string, hc *http.Client) *Graph {
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Graph{base: strings.TrimRight(base, "/"), token: token, phoneID: phoneID, hc: hc}
}

// Meta's error codes the sender branches on.
const (
	CodeThroughput    = 130429 // the number's throughput limit: retry with backoff
	CodePairRate      = 131056 // too many messages to one customer: back off
	CodeUndeliverable = 131026 // not on WhatsApp, or cannot receive
	CodeReEngagement  = 131047 // the 24-hour window closed (templates only)
	CodeStoppedMktg   = 131050 // the customer stopped marketing messages
	CodeToken         = 190    // access token expired or wrong
)

// GraphError is a failed Graph call: Meta's error (Code) with the HTTP
// status, or a network error (Status 0).
type GraphError struct {
	Status  int
	Code    int
	Message string // Meta's message (never holds our token or a phone number)
	Err     error  // the network error, when Status is 0
}

func (e *GraphError) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("whatsapp api unreachable: %v", e.Err)
	}
	return fmt.Sprintf("whatsapp api: HTTP %d, code %d: %s", e.Status, e.Code, e.Message)
}

func (e *GraphError) Unwrap() error { return e.Err }

// Retryable reports whether trying again later may work: the throughput
// and pair rate limits, Meta's server errors and network errors.
func (e *GraphError) Retryable() bool {
	switch {
	case e.Status == 0, e.Status >= 500:
		return true
	case e.Code == CodeThroughput, e.Code == CodePairRate:
		return true
	case e.Status == http.StatusTooManyRequests && e.Code == 0:
		return true
	}
	return false
}

type graphErrorBody struct {
	Error struct {
		Message   string `json:"message"`
		Type      string `json:"type"`
		Code      int    `json:"code"`
		ErrorData struct {
			Details string `json:"details"`
		} `json:"error_data"`
		FBTraceID string `json:"fbtrace_id"`
	} `json:"error"`
}

// do sends req with the bearer token and decodes a 2xx JSON reply into out.
func (g *Graph) do(req *http.Request, out any) error {
	req.Header.Set("Authorization", "Bearer "+g.token)
	resp, err := g.hc.Do(req)
	if err != nil {
		// The URL holds no secret; the error may name it.
		return &GraphError{Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return &GraphError{Err: err}
	}
	if resp.StatusCode/100 != 2 {
		var eb graphErrorBody
		_ = json.Unmarshal(body, &eb)
		msg := eb.Error.Message
		if msg == "" {
			msg = http.StatusText(resp.StatusCode)
		}
		return &GraphError{Status: resp.StatusCode, Code: eb.Error.Code, Message: msg}
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &GraphError{Status: resp.StatusCode, Message: "unreadable reply: " + err.Error()}
	}
	return nil
}

// UploadMedia uploads a PDF (POST /{phone-number-id}/media, multipart) and
// returns its media id.
func (g *Graph) UploadMedia(ctx context.Context, filename string, pdf []byte) (string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("messaging_product", "whatsapp")
	_ = mw.WriteField("type", "application/pdf")
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filename))
	h.Set("Content-Type", "application/pdf")
	part, err := mw.CreatePart(h)
	if err != nil {
		return "", err
	}
	if _, err := part.Write(pdf); err != nil {
		return "", err
	}
	if err := mw.Close(); err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+"/"+g.phoneID+"/media", &buf)
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var out struct {
		ID string `json:"id"`
	}
	if err := g.do(req, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", &GraphError{Status: http.StatusOK, Message: "media upload returned no id"}
	}
	return out.ID, nil
}

// Template is a template message's template object.
type Template struct {
	Name       string      `json:"name"`
	Language   Language    `json:"language"`
	Components []Component `json:"components,omitempty"`
}

// Language names a template's language.
type Language struct {
	Code string `json:"code"`
}

// Component is a header or body of a template with its parameters.
type Component struct {
	Type       string      `json:"type"` // header, body
	Parameters []Parameter `json:"parameters"`
}

// Parameter is one template parameter: text or a document.
type Parameter struct {
	Type     string    `json:"type"` // text, document
	Text     string    `json:"text,omitempty"`
	Document *Document `json:"document,omitempty"`
}

// Document is an uploaded document by its media id.
type Document struct {
	ID       string `json:"id"`
	Filename string `json:"filename,omitempty"`
}

type messageRequest struct {
	MessagingProduct string   `json:"messaging_product"`
	RecipientType    string   `json:"recipient_type,omitempty"`
	To               string   `json:"to"`
	Type             string   `json:"type"`
	Template         Template `json:"template"`
	// Echoed back in status webhooks.
	BizOpaque string `json:"biz_opaque_callback_data,omitempty"`
}

type messageResponse struct {
	MessagingProduct string `json:"messaging_product"`
	Contacts         []struct {
		Input string `json:"input"`
		WAID  string `json:"wa_id"`
	} `json:"contacts"`
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
}

// SendTemplate sends a template message to (12 digits) and returns
// WhatsApp's message id. opaque comes back in the message's status
// webhooks.
func (g *Graph) SendTemplate(ctx context.Context, to string, t Template, opaque string) (string, error) {
	body, err := json.Marshal(messageRequest{MessagingProduct: "whatsapp", RecipientType: "individual", To: to,
		Type: "template", Template: t, BizOpaque: opaque})
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+"/"+g.phoneID+"/messages", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	var out messageResponse
	if err := g.do(req, &out); err != nil {
		return "", err
	}
	if len(out.Messages) == 0 || out.Messages[0].ID == "" {
		return "", &GraphError{Status: http.StatusOK, Message: "message reply had no message id"}
	}
	return out.Messages[0].ID, nil
}

// asGraphError returns err as a *GraphError, if it is one.
func asGraphError(err error) (*GraphError, bool) {
	var ge *GraphError
	ok := errors.As(err, &ge)
	return ge, ok
}

// PhoneInfo is what Meta says of a phone number id.
type PhoneInfo struct {
	DisplayPhone string `json:"display_phone_number"`
	VerifiedName string `json:"verified_name"`
}

// PhoneNumber reads the number (GET /{phone-number-id}): a cheap call that
// proves the token may use it.
func (g *Graph) PhoneNumber(ctx context.Context) (PhoneInfo, error) {
	var out PhoneInfo
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, g.base+"/"+g.phoneID+"?fields=display_phone_number,verified_name", nil)
	if err != nil {
		return out, err
	}
	err = g.do(req, &out)
	return out, err
}
