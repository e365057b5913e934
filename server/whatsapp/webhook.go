package whatsapp

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// webhookMaxBody caps a notification's body (Meta batches up to a few
// hundred kilobytes).
const webhookMaxBody = 1 << 20

// verify answers Meta's subscription handshake: GET with hub.mode=subscribe,
// our verify token and a challenge, which is echoed.
func (m *Module) verify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	tok := q.Get("hub.verify_token")
	ok := m.s.Configured() && tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(m.s.VerifyToken)) == 1
	if !ok && tok != "" && m.numbers != nil {
		// The handshake of a shop's own Meta app, with the verify token
		// its settings show.
		_, found, err := m.numbers.WANumberByVerifyToken(r.Context(), tok)
		ok = err == nil && found
	}
	if !ok || q.Get("hub.mode") != "subscribe" {
		http.Error(w, "verification failed", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, q.Get("hub.challenge"))
}

// ValidSignature checks X-Hub-Signature-256 ("sha256=" and the hex
// HMAC-SHA256 of the raw body with the app secret).
func ValidSignature(appSecret string, body []byte, header string) bool {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok || appSecret == "" {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// Notification is the envelope of a WhatsApp webhook.
type Notification struct {
	Object string `json:"object"`
	Entry  []struct {
		ID      string `json:"id"`
		Changes []struct {
			Field string `json:"field"`
			Value struct {
				Metadata struct {
					PhoneNumberID string `json:"phone_number_id"`
				} `json:"metadata"`
				Contacts []struct {
					WAID   string `json:"wa_id"`
					UserID string `json:"user_id"`
				} `json:"contacts"`
				Messages []InboundMessage `json:"messages"`
				Statuses []StatusUpdate   `json:"statuses"`
			} `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

// InboundMessage is a message a customer wrote.
type InboundMessage struct {
	From      string `json:"from"`
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
	Type      string `json:"type"`
	Text      struct {
		Body string `json:"body"`
	} `json:"text"`
	Context struct {
		ID string `json:"id"` // the message this one replies to
	} `json:"context"`
}

// StatusUpdate is the status of a message we sent.
type StatusUpdate struct {
	ID        string `json:"id"` // wamid
	Status    string `json:"status"`
	Timestamp string `json:"timestamp"`
	Opaque    string `json:"biz_opaque_callback_data"`
	Errors    []struct {
		Code    int    `json:"code"`
		Title   string `json:"title"`
		Message string `json:"message"`
	} `json:"errors"`
}

// webhook takes a notification: the signature is checked on the raw body
// before anything is parsed; statuses and opt-outs are written as synced
// rows. A failure to store answers 500, so Meta delivers it again.
func (m *Module) webhook(w http.ResponseWriter, r *http.Request, mux *api.Mux) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		mux.Error(w, r, core.Errorf(core.CodeTooLarge, "The notification is too large."))
		return
	}
	scope, secret, err := m.webhookScope(r.Context(), body)
	if err != nil {
		mux.Error(w, r, err)
		return
	}
	if secret == "" {
		mux.Error(w, r, core.Errorf(protocol.CodeNotConfig, "%s", m.s.NotConfigured()))
		return
	}
	if !ValidSignature(secret, body, r.Header.Get("X-Hub-Signature-256")) {
		mux.Error(w, r, core.Errorf(protocol.CodeUnauthorized, "The X-Hub-Signature-256 header is missing or does not match the body."))
		return
	}
	var n Notification
	if err := json.Unmarshal(body, &n); err != nil {
		mux.Error(w, r, core.Errorf(protocol.CodeInvalid, "The notification is not JSON."))
		return
	}
	if err := m.apply(r.Context(), n, scope); err != nil {
		mux.Error(w, r, err)
		return
	}
	mux.JSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// webhookScope finds which app secret must have signed a notification:
// the server's, or that of the shop whose own number the notification is
// for (found by the phone number ids in its metadata, read before the
// signature is checked but acted on only after). scope maps a shop's own
// number to its business: what arrives for that number touches that
// business only. secret "" means nothing can check it (not configured).
func (m *Module) webhookScope(ctx context.Context, body []byte) (scope map[string]string, secret string, err error) {
	var meta struct {
		Entry []struct {
			Changes []struct {
				Value struct {
					Metadata struct {
						PhoneNumberID string `json:"phone_number_id"`
					} `json:"metadata"`
				} `json:"value"`
			} `json:"changes"`
		} `json:"entry"`
	}
	_ = json.Unmarshal(body, &meta) // not JSON: the server's secret decides, then 400
	server := false
	for _, e := range meta.Entry {
		for _, c := range e.Changes {
			id := c.Value.Metadata.PhoneNumberID
			if id == "" || id == m.s.PhoneNumberID || m.numbers == nil || scope[id] != "" {
				server = server || id != "" && id == m.s.PhoneNumberID
				continue
			}
			n, ok, err := m.numbers.WANumberByPhoneID(ctx, id)
			if err != nil {
				return nil, "", err
			}
			if !ok {
				continue // not ours: the server's app decides
			}
			snd, err := m.senderFor(ctx, n.BusinessID)
			if err != nil {
				return nil, "", err
			}
			if snd.err != nil {
				return nil, "", core.Errorf(protocol.CodeNotConfig, "%s", snd.err.Error())
			}
			// Two apps' secrets cannot both have signed one body.
			if secret != "" && secret != snd.s.AppSecret {
				return nil, "", core.Errorf(protocol.CodeUnauthorized, "The notification mixes numbers of different apps.")
			}
			if scope == nil {
				scope = map[string]string{}
			}
			scope[id], secret = n.BusinessID, snd.s.AppSecret
		}
	}
	if scope == nil {
		if !m.s.Configured() {
			return nil, "", nil
		}
		return nil, m.s.AppSecret, nil
	}
	if server {
		return nil, "", core.Errorf(protocol.CodeUnauthorized, "The notification mixes the server's number and a shop's own.")
	}
	return scope, secret, nil
}

// Apply records a verified notification of the server's number: message
// statuses (any order, any number of times) and customers' messages (STOP
// opts out of reminders).
func (m *Module) Apply(ctx context.Context, n Notification) error { return m.apply(ctx, n, nil) }

// apply is Apply where scope maps shops' own numbers (phone number ids) to
// their businesses: a change for such a number touches that business only.
func (m *Module) apply(ctx context.Context, n Notification, scope map[string]string) error {
	if n.Object != "whatsapp_business_account" {
		return nil
	}
	var errs []error
	for _, e := range n.Entry {
		for _, c := range e.Changes {
			if c.Field != "messages" {
				continue
			}
			only := scope[c.Value.Metadata.PhoneNumberID] // "": the server's number
			if scope != nil && only == "" {
				continue // signed by a shop's app, for a number not its own
			}
			for _, st := range c.Value.Statuses {
				errs = append(errs, m.applyStatus(ctx, st, only))
			}
			for i, msg := range c.Value.Messages {
				from := msg.From
				if from == "" && i < len(c.Value.Contacts) {
					from = c.Value.Contacts[i].WAID
				}
				errs = append(errs, m.applyInbound(ctx, from, msg, only))
			}
		}
	}
	return errors.Join(errs...)
}

func (m *Module) eventTime(ts string) time.Time {
	now := m.now()
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sec <= 0 {
		return now
	}
	t := time.Unix(sec, 0)
	if t.After(now) {
		return now // never a stamp ahead of the server's clock
	}
	return t
}

// applyStatus applies a message's status; only, when set, is the one
// business whose messages it may touch.
func (m *Module) applyStatus(ctx context.Context, st StatusUpdate, only string) error {
	status := st.Status
	switch status {
	case protocol.WASent, protocol.WADelivered, protocol.WARead, protocol.WAFailed:
	default:
		return nil
	}
	rec, ok, err := m.store.WASendByWAMID(ctx, st.ID)
	if err != nil {
		return err
	}
	if !ok {
		// The status can come before the send recorded its wamid; the
		// opaque data we sent names the message.
		biz, msg, found := strings.Cut(st.Opaque, "/")
		if !found || biz == "" || msg == "" || only != "" && biz != only {
			return nil // not one of ours
		}
		if rec, err = m.store.WASendStart(ctx, biz, msg, m.now()); err != nil {
			return err
		}
	}
	if only != "" && rec.BusinessID != only {
		return nil // another shop's message: not this app's to change
	}
	words := ""
	if status == protocol.WAFailed {
		ge := &GraphError{Status: 400, Message: "failed"}
		if len(st.Errors) > 0 {
			ge.Code, ge.Message = st.Errors[0].Code, st.Errors[0].Title
		}
		words = plainGraphError(ge, only != "")
	}
	m.log.Debug("whatsapp status", "business", rec.BusinessID, "message", rec.MessageID, "status", status)
	return m.writeStatus(ctx, rec, status, words, m.eventTime(st.Timestamp), map[string]any{"wamid": st.ID})
}

// IsStop reports whether a customer's message asks for no more messages:
// STOP in any case, or "बंद करो" / "band karo", alone.
func IsStop(body string) bool {
	s := strings.ToLower(strings.Join(strings.Fields(body), " "))
	s = strings.TrimRight(s, ".!।")
	switch s {
	case "stop", "बंद करो", "band karo", "bandh karo":
		return true
	}
	return false
}

// applyInbound records a customer's message; only, when set, is the shop
// whose own number it came to.
func (m *Module) applyInbound(ctx context.Context, from string, msg InboundMessage, only string) error {
	phone, err := gst.MobileWithCountryCode(from)
	if err != nil {
		return nil // no Indian number (or only a user id): nothing we can match
	}
	biz := only
	if biz == "" && msg.Context.ID != "" {
		if rec, ok, err := m.store.WASendByWAMID(ctx, msg.Context.ID); err != nil {
			return err
		} else if ok {
			biz = rec.BusinessID
		}
	}
	if biz == "" {
		b, ok, err := m.store.WALastBusinessFor(ctx, phone)
		if err != nil || !ok {
			return err
		}
		biz = b
	}
	at := m.eventTime(msg.Timestamp)
	id := protocol.WAOptOutID(phone)
	when := at.UTC().Format(time.RFC3339)
	rows := []store.ServerRow{{Table: protocol.TableWAOptOuts, ID: id, Op: protocol.OpUpsert,
		Data: mustJSON(map[string]any{"phone": phone, "last_inbound": when}), Stamp: protocol.ServerStamp(at, 0)}}
	if msg.Type == "text" && IsStop(msg.Text.Body) {
		cur, err := m.optOutRow(ctx, biz, phone)
		if err != nil {
			return err
		}
		if !cur.OptedOut || cur.OptedOutAt != when { // a repeated delivery changes nothing
			// Stamped now, after whatever the row holds: a consent recorded
			// on a counter whose clock runs ahead never outranks a later STOP.
			rows = append(rows, store.ServerRow{Table: protocol.TableWAOptOuts, ID: id, Op: protocol.OpUpsert,
				Data: mustJSON(map[string]any{"opted_out": true, "opted_out_at": when})})
			m.log.Info("whatsapp opt-out", "business", biz, "to", gst.MaskPhone(phone))
		}
	}
	_, err = m.store.WriteServerRows(ctx, biz, rows, m.now())
	return err
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}
