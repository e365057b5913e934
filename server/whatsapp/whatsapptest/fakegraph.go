// Package whatsapptest is a fake WhatsApp Business Cloud API (Meta Graph)
// on loopback for tests, following shared/CONTRACTS.md.
package whatsapptest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Graph is a WhatsApp Business Cloud API on loopback that follows
// shared/CONTRACTS.md: versioned paths under one phone number id, bearer
// token, multipart media upload, template messages checked against the
// approved templates, Meta's error shape and codes, and signed webhooks.
type Graph struct {
	*httptest.Server
	t       testing.TB
	version string
	// PhoneID, Token and AppSecret are what the server under test must be
	// configured with (WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_TOKEN,
	// WHATSAPP_APP_SECRET).
	PhoneID   string
	Token     string
	AppSecret string

	mu       sync.Mutex
	numbers  map[string]Number // phone number id -> its token and app
	media    map[string][]byte // media id -> uploaded PDF
	sent     []Sent
	failures map[string][]int // recipient -> error codes to answer, in turn
	calls    map[string]int   // recipient -> message requests seen
	next     int
}

// Number is a phone number the fake serves, with the token that may use
// it and its app's secret.
type Number struct {
	PhoneID, Token, AppSecret, Display string
}

// Sent is a message the fake accepted.
type Sent struct {
	WAMID    string
	PhoneID  string // the number it went from
	To       string
	Template string
	Lang     string
	Document string // media id in the header
	Filename string
	Body     []string
	Opaque   string
	At       time.Time // when the request arrived
}

// The approved templates: body parameter counts and whether a document
// header is required.
var approved = map[string]struct {
	body     int
	document bool
}{
	"naukar_invoice":          {body: 3, document: true},
	"naukar_payment_reminder": {body: 4},
}

// New starts a fake, closed when the test ends.
func New(t testing.TB) *Graph {
	f := &Graph{t: t, version: "v23.0", PhoneID: "106540352242922", Token: "EAAG-test-token", AppSecret: "test_app_secret",
		media: map[string][]byte{}, failures: map[string][]int{}, calls: map[string]int{}, numbers: map[string]Number{}}
	f.numbers[f.PhoneID] = Number{PhoneID: f.PhoneID, Token: f.Token, AppSecret: f.AppSecret, Display: "+1 555-000-1234"}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// Base is the Graph base with version, as WHATSAPP_API_URL.
func (f *Graph) Base() string { return f.URL + "/" + f.version }

// AddNumber serves another phone number (a shop's own), used with its own
// token and signed with its own app secret.
func (f *Graph) AddNumber(n Number) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.numbers[n.PhoneID] = n
}

// FailNext makes the next message requests to a recipient fail with codes.
func (f *Graph) FailNext(to string, codes ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[to] = append(f.failures[to], codes...)
}

// Messages lists the messages accepted so far.
func (f *Graph) Messages() []Sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Sent(nil), f.sent...)
}

// MediaOf returns an uploaded file.
func (f *Graph) MediaOf(id string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.media[id]
}

// CallsTo counts the message requests to a recipient, failed or not.
func (f *Graph) CallsTo(to string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[to]
}

// graphError writes Meta's error shape.
func graphError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": fmt.Sprintf("(#%d) %s", code, msg), "type": "OAuthException",
		"code": code, "error_data": map[string]any{"messaging_product": "whatsapp", "details": msg}, "fbtrace_id": "AbCdEf123"}})
}

var digitsOnly = regexp.MustCompile(`^[0-9]{8,15}$`)

func (f *Graph) serve(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now() // Meta counts a number's throughput as requests arrive
	id, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"+f.version+"/"), "/")
	f.mu.Lock()
	n, known := f.numbers[id]
	tokenKnown := false
	for _, o := range f.numbers {
		tokenKnown = tokenKnown || r.Header.Get("Authorization") == "Bearer "+o.Token
	}
	f.mu.Unlock()
	if !tokenKnown {
		graphError(w, http.StatusUnauthorized, 190, "Error validating access token: Session has expired.")
		return
	}
	if !strings.HasPrefix(r.URL.Path, "/"+f.version+"/") || !known || r.Header.Get("Authorization") != "Bearer "+n.Token {
		// Another account's number, or none: Meta does not say which.
		graphError(w, http.StatusBadRequest, 100, "Unsupported post request. Object with ID '"+id+"' does not exist, cannot be loaded due to missing permissions, or does not support this operation.")
		return
	}
	switch {
	case r.Method == http.MethodGet && rest == "":
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"id": id, "display_phone_number": n.Display, "verified_name": "Test Shop",
			"quality_rating": "GREEN"})
	case r.Method != http.MethodPost:
		graphError(w, http.StatusBadRequest, 100, "Unsupported get request.")
	case rest == "media":
		f.upload(w, r)
	case rest == "messages":
		f.message(w, r, id, arrived)
	default:
		graphError(w, http.StatusBadRequest, 100, "Unknown path components")
	}
}

func (f *Graph) upload(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		graphError(w, http.StatusBadRequest, 100, "Param file must be a file upload (multipart/form-data)")
		return
	}
	if r.FormValue("messaging_product") != "whatsapp" {
		graphError(w, http.StatusBadRequest, 100, "The parameter messaging_product is required.")
		return
	}
	if r.FormValue("type") != "application/pdf" {
		graphError(w, http.StatusBadRequest, 100, "Param type must be a supported MIME type")
		return
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		graphError(w, http.StatusBadRequest, 100, "The parameter file is required.")
		return
	}
	defer file.Close()
	pdf, _ := io.ReadAll(file)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || hdr.Header.Get("Content-Type") != "application/pdf" || !strings.HasSuffix(hdr.Filename, ".pdf") {
		graphError(w, http.StatusBadRequest, 131053, "Media upload error: the file is not a PDF")
		return
	}
	f.mu.Lock()
	f.next++
	id := fmt.Sprintf("%d", 1037543291543636+f.next)
	f.media[id] = pdf
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"id":%q}`, id)
}

func (f *Graph) message(w http.ResponseWriter, r *http.Request, phoneID string, arrived time.Time) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		graphError(w, http.StatusBadRequest, 100, "Content-Type must be application/json")
		return
	}
	var req struct {
		MessagingProduct string `json:"messaging_product"`
		To               string `json:"to"`
		Type             string `json:"type"`
		Opaque           string `json:"biz_opaque_callback_data"`
		Template         struct {
			Name     string `json:"name"`
			Language struct {
				Code string `json:"code"`
			} `json:"language"`
			Components []struct {
				Type       string `json:"type"`
				Parameters []struct {
					Type     string `json:"type"`
					Text     string `json:"text"`
					Document *struct {
						ID       string `json:"id"`
						Filename string `json:"filename"`
					} `json:"document"`
				} `json:"parameters"`
			} `json:"components"`
		} `json:"template"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		graphError(w, http.StatusBadRequest, 100, "Invalid JSON")
		return
	}
	if req.MessagingProduct != "whatsapp" || !digitsOnly.MatchString(req.To) {
		graphError(w, http.StatusBadRequest, 100, "Invalid parameter")
		return
	}
	f.mu.Lock()
	f.calls[req.To]++
	var code int
	if q := f.failures[req.To]; len(q) > 0 {
		code, f.failures[req.To] = q[0], q[1:]
	}
	f.mu.Unlock()
	switch {
	case code == 0:
	case code == 190:
		graphError(w, http.StatusUnauthorized, code, "Error validating access token")
		return
	case code >= 500 && code < 600:
		graphError(w, code, 2, "Service temporarily unavailable")
		return
	default:
		graphError(w, http.StatusBadRequest, code, map[int]string{130429: "Rate limit hit", 131056: "(Business Account, Consumer Account) pair rate limit hit",
			131026: "Message undeliverable", 131047: "Re-engagement message", 131050: "User has stopped receiving marketing messages"}[code])
		return
	}
	if req.Type != "template" {
		graphError(w, http.StatusBadRequest, 131047, "Re-engagement message: more than 24 hours have passed since the customer last replied")
		return
	}
	tpl, ok := approved[req.Template.Name]
	if !ok || req.Template.Language.Code != "en" {
		graphError(w, http.StatusNotFound, 132001, "Template name does not exist in the translation")
		return
	}
	sm := Sent{PhoneID: phoneID, To: req.To, Template: req.Template.Name, Lang: req.Template.Language.Code, Opaque: req.Opaque}
	for _, c := range req.Template.Components {
		for _, p := range c.Parameters {
			switch {
			case c.Type == "header" && p.Type == "document" && p.Document != nil:
				sm.Document, sm.Filename = p.Document.ID, p.Document.Filename
			case c.Type == "body" && p.Type == "text" && p.Text != "" && !strings.ContainsAny(p.Text, "\n\t"):
				sm.Body = append(sm.Body, p.Text)
			default:
				graphError(w, http.StatusBadRequest, 131009, "Parameter value is not valid")
				return
			}
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(sm.Body) != tpl.body || tpl.document && f.media[sm.Document] == nil {
		graphError(w, http.StatusBadRequest, 132000, "Number of parameters does not match the expected number of params")
		return
	}
	f.next++
	sm.At = arrived
	sm.WAMID = fmt.Sprintf("wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgS%06d", f.next)
	f.sent = append(f.sent, sm)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"messaging_product": "whatsapp",
		"contacts": []any{map[string]string{"input": req.To, "wa_id": req.To}},
		"messages": []any{map[string]string{"id": sm.WAMID}}})
}

// Sign is X-Hub-Signature-256 of body with the app secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Envelope wraps statuses or messages in Meta's notification envelope, for
// the default number.
func (f *Graph) Envelope(value map[string]any) []byte { return f.EnvelopeFor(f.PhoneID, value) }

// EnvelopeFor wraps statuses or messages in Meta's notification envelope,
// for the number phoneID.
func (f *Graph) EnvelopeFor(phoneID string, value map[string]any) []byte {
	value["messaging_product"] = "whatsapp"
	value["metadata"] = map[string]string{"display_phone_number": "15550001234", "phone_number_id": phoneID}
	b, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{
		"id": "102290129340398", "changes": []any{map[string]any{"field": "messages", "value": value}}}}})
	return b
}

// StatusValue is a notification value with one message status.
func StatusValue(wamid, status, to string, ts int64, opaque string, errCode int) map[string]any {
	st := map[string]any{"id": wamid, "status": status, "timestamp": fmt.Sprint(ts), "recipient_id": to,
		"biz_opaque_callback_data": opaque}
	if status != "failed" {
		st["conversation"] = map[string]any{"id": "CONVERSATION_ID", "origin": map[string]string{"type": "utility"}}
		st["pricing"] = map[string]any{"billable": true, "pricing_model": "PMP", "category": "utility"}
	}
	if errCode != 0 {
		st["errors"] = []any{map[string]any{"code": errCode, "title": "Message undeliverable", "message": "Message undeliverable",
			"error_data": map[string]string{"details": "Message Undeliverable."}}}
	}
	return map[string]any{"statuses": []any{st}}
}

// TextValue is a notification value with one text a customer wrote.
func TextValue(from, body string, ts int64, context string) map[string]any {
	msg := map[string]any{"from": from, "id": fmt.Sprintf("wamid.IN%d", ts), "timestamp": fmt.Sprint(ts), "type": "text",
		"text": map[string]string{"body": body}}
	if context != "" {
		msg["context"] = map[string]string{"from": "15550001234", "id": context}
	}
	return map[string]any{"contacts": []any{map[string]any{"profile": map[string]string{"name": "Ravi"}, "wa_id": from}},
		"messages": []any{msg}}
}

// Post delivers a notification to url signed with secret ("" sends no
// signature) and returns the HTTP status.
func Post(t testing.TB, url, secret string, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Hub-Signature-256", Sign(secret, body))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
