package syncapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	gosync "sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Telemetry keeps the app's usage events (which feature was used, when,
// the app version) and error reports (a cleaned message, the stack, the
// version) and sends them to the sync server in batches when it is
// reachable (POST /v1/telemetry). Nothing of the books goes: a feature is
// a fixed name from the code, and an error's message loses every quoted
// text and every number, where names, amounts and phone numbers would be.
// Usage events can be turned off (Settings → Privacy); error reports are
// what the privacy policy names as needed to keep the app working.
type Telemetry struct {
	s       *store.Store
	version string
	now     func() time.Time

	mu     gosync.Mutex
	events []protocol.UsageEvent
	errs   []protocol.ErrorReport
}

// MetaUsageOff is the books' setting that turns usage events off ("1").
const MetaUsageOff = "telemetry_usage_off"

// Bounds: what waits while offline, and the sizes of one report.
const (
	MaxTelemetryPending = 500
	maxMessage          = 300
	maxStack            = 4000
)

// NewTelemetry keeps telemetry for the books s of app version version.
func NewTelemetry(s *store.Store, version string, now func() time.Time) *Telemetry {
	if now == nil {
		now = time.Now
	}
	t := &Telemetry{s: s, version: version, now: now}
	// Reports of a crash, kept in the books while the app went down,
	// wait for the next send like any other.
	if raw, _ := s.Meta(MetaCrashReports); raw != "" {
		_ = json.Unmarshal([]byte(raw), &t.errs)
		_ = s.SetMeta(map[string]string{MetaCrashReports: ""})
	}
	return t
}

// MetaCrashReports holds the error reports waiting when the app crashed
// (JSON), until the next start picks them up.
const MetaCrashReports = "telemetry_crash"

// Panic records a recovered panic (its value cleaned like an error's
// message, and the stack). fatal: the app is going down, so the reports
// waiting are kept in the books and sent after the next start.
func (t *Telemetry) Panic(r any, stack string, fatal bool) {
	t.Error(fmt.Errorf("panic: %v", r), stack)
	if !fatal {
		return
	}
	raw, err := json.Marshal(t.Pending().Errors)
	if err == nil {
		_ = t.s.SetMeta(map[string]string{MetaCrashReports: string(raw)})
	}
}

// UsageOn reports whether usage events are kept and sent.
func (t *Telemetry) UsageOn() bool {
	v, _ := t.s.Meta(MetaUsageOff)
	return v != "1"
}

// SetUsage turns usage events on or off; off drops those not yet sent.
func (t *Telemetry) SetUsage(on bool) error {
	v := ""
	if !on {
		v = "1"
		t.mu.Lock()
		t.events = nil
		t.mu.Unlock()
	}
	return t.s.SetMeta(map[string]string{MetaUsageOff: v})
}

// Feature is one usage event the app sends: its fixed name and what it
// counts (Settings → Privacy lists them all).
type Feature struct{ Name, About string }

// Features are the only usage events the app sends; Use drops any other
// name. Each is counted where the feature is used, through App.used.
var Features = []Feature{
	{"bill.save", "a bill saved"},
	{"invoice.print", "a bill printed"},
	{"whatsapp.send", "a bill sent on WhatsApp"},
	{"reminder.send", "payment reminders sent on WhatsApp"},
	{"payment.record", "a payment recorded"},
	{"expense.record", "an expense recorded"},
	{"report.open", "a report opened"},
	{"report.export", "a report saved as a file (CSV, Excel, JSON, Tally)"},
	{"data.export", "an export of the books or of the account"},
	{"assistant.ask", "a question to the AI assistant"},
	{"backup.now", "a backup made with Back up now"},
}

// IsFeature reports whether name is one of Features.
func IsFeature(name string) bool {
	for _, f := range Features {
		if f.Name == name {
			return true
		}
	}
	return false
}

// Features lists the usage events the app sends (Settings → Privacy).
func (t *Telemetry) Features() []Feature { return Features }

// Use records that a feature was used (one of Features, such as
// "bill.save"); anything else is ignored.
func (t *Telemetry) Use(feature string) {
	if !IsFeature(feature) || !t.UsageOn() {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.events) >= MaxTelemetryPending {
		t.events = t.events[1:]
	}
	t.events = append(t.events, protocol.UsageEvent{Feature: feature, At: t.now().UTC(), AppVersion: t.version})
}

var (
	quoted  = regexp.MustCompile(`"[^"]*"|'[^']*'|“[^”]*”|‘[^’]*’`)
	numbers = regexp.MustCompile(`[0-9][0-9.,:/-]*`)
	emails  = regexp.MustCompile(`[^\s@]+@[^\s@]+`)
)

// CleanErrorMessage is what an error report says of an error: its text
// without quoted parts, email addresses, numbers or paths, and with every
// word that is not one of the program's own (errorWords) replaced by "…"
// (so a party's or product's name, a place or a person's name never
// goes), at most 300 bytes.
func CleanErrorMessage(msg string) string {
	msg = quoted.ReplaceAllString(msg, "…")
	msg = emails.ReplaceAllString(msg, "…")
	msg = numbers.ReplaceAllString(msg, "#")
	var out []string
	for _, tok := range strings.Fields(msg) {
		if !keepToken(tok) {
			tok = "…"
		}
		if tok == "…" && len(out) > 0 && out[len(out)-1] == "…" {
			continue
		}
		out = append(out, tok)
	}
	return clip(strings.Join(out, " "), maxMessage)
}

// keepToken: a token is kept when, without the punctuation around it, it is
// a word of errorWords, a format verb (%s) or only punctuation and "#".
func keepToken(tok string) bool {
	core := strings.TrimFunc(tok, func(r rune) bool {
		return unicode.IsPunct(r) && r != '%' || unicode.IsSymbol(r) || r == '#'
	})
	if core == "" || strings.HasPrefix(core, "%") && len(core) <= 3 {
		return true
	}
	if strings.ContainsAny(core, `/\`) && core != "i/o" {
		return false // a path
	}
	// Words joined by a hyphen or apostrophe (set-up, can't) are kept when
	// each part is.
	for _, w := range strings.FieldsFunc(strings.ToLower(core), func(r rune) bool { return r == '-' || r == '\'' || r == '’' || r == '_' || r == '.' }) {
		if !errorWords[w] {
			return false
		}
	}
	return true
}

// ErrorReportMessage is what an error report says of err: a books error
// made from a message with blanks (books.Errorf) sends its code and the
// message with the blanks still empty (the program's own text), which
// holds no data; any other
// error sends CleanErrorMessage of its text.
func ErrorReportMessage(err error) string {
	var be *books.Error
	if errors.As(err, &be) && be.Format != "" {
		return clip(be.Code+": "+be.Format, maxMessage) // the program's own text
	}
	return CleanErrorMessage(err.Error())
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// Error records an error the app met, with its stack (function names and
// lines of the program, no data).
func (t *Telemetry) Error(err error, stack string) {
	if err == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.errs) >= MaxTelemetryPending {
		t.errs = t.errs[1:]
	}
	t.errs = append(t.errs, protocol.ErrorReport{Message: ErrorReportMessage(err), Stack: clip(stack, maxStack),
		At: t.now().UTC(), AppVersion: t.version})
}

// Pending is exactly what the next send would carry (Settings → Privacy
// shows it).
func (t *Telemetry) Pending() protocol.TelemetryBatch {
	t.mu.Lock()
	defer t.mu.Unlock()
	return protocol.TelemetryBatch{Events: append([]protocol.UsageEvent(nil), t.events...),
		Errors: append([]protocol.ErrorReport(nil), t.errs...)}
}

// TelemetryClient sends a batch (client.Client).
type TelemetryClient interface {
	SendTelemetry(ctx context.Context, token string, b protocol.TelemetryBatch) error
}

// Send sends what is pending in one batch; sent items are forgotten, and
// on failure (offline) they wait for the next try.
func (t *Telemetry) Send(ctx context.Context, c TelemetryClient, token string) error {
	b := t.Pending()
	if len(b.Events) == 0 && len(b.Errors) == 0 {
		return nil
	}
	if err := c.SendTelemetry(ctx, token, b); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.events = dropSent(t.events, len(b.Events))
	t.errs = dropSent(t.errs, len(b.Errors))
	return nil
}

// dropSent removes the n oldest items (those sent; some may have been
// dropped meanwhile when the list was full, or all when usage was turned off).
func dropSent[T any](items []T, n int) []T {
	if n >= len(items) {
		return nil
	}
	return append([]T(nil), items[n:]...)
}

// SendSignedIn sends with the books' server and token (the background
// sync calls it after each round that reached the server).
func (t *Telemetry) SendSignedIn(ctx context.Context) error {
	c, tok, err := signedIn(t.s)
	if err != nil {
		return err
	}
	return t.Send(ctx, c, tok)
}

// MetaNoticesSeen lists the policy notices this PC has shown (ids, comma
// separated), so each shows once even before the server hears it was seen.
const MetaNoticesSeen = "notices_seen"

// NoticeClient fetches notices and records them seen (client.Client).
type NoticeClient interface {
	Notices(ctx context.Context, token string) ([]protocol.Notice, error)
	NoticeSeen(ctx context.Context, token, id string) error
}

// NewNotices returns the policy notices to show: those the server has
// that this PC has not shown yet.
func NewNotices(ctx context.Context, s *store.Store, c NoticeClient, token string) ([]protocol.Notice, error) {
	ns, err := c.Notices(ctx, token)
	if err != nil {
		return nil, err
	}
	seen, _ := s.Meta(MetaNoticesSeen)
	var out []protocol.Notice
	for _, n := range ns {
		if !containsID(seen, n.ID) {
			out = append(out, n)
			continue
		}
		// Shown here, but the server did not hear it then: tell it now.
		if err := c.NoticeSeen(ctx, token, n.ID); err != nil {
			return out, err
		}
	}
	return out, nil
}

// NoticeShown records that a notice was shown: here first (so it never
// shows again on this PC), then on the server (so the account page and
// other counters know); the server's record is tried again with the next
// NewNotices when it fails now.
func NoticeShown(ctx context.Context, s *store.Store, c NoticeClient, token, id string) error {
	seen, _ := s.Meta(MetaNoticesSeen)
	if !containsID(seen, id) {
		if seen != "" {
			seen += ","
		}
		if err := s.SetMeta(map[string]string{MetaNoticesSeen: seen + id}); err != nil {
			return err
		}
	}
	return c.NoticeSeen(ctx, token, id)
}

func containsID(list, id string) bool {
	for _, x := range strings.Split(list, ",") {
		if x == id {
			return true
		}
	}
	return false
}

// AccountPage is the account web page of the books' sync server ("" when
// not signed in to one).
func (t *Telemetry) AccountPage() string {
	server, _ := t.s.Meta(client.MetaServer)
	if server == "" {
		return ""
	}
	return strings.TrimRight(server, "/") + "/account"
}

// NoticesSignedIn returns the policy notices this PC has not shown, and
// the function to call once one is shown (syncapp.NoticeShown with the
// books' server and token).
func NoticesSignedIn(ctx context.Context, s *store.Store) ([]protocol.Notice, func(id string) error, error) {
	c, tok, err := signedIn(s)
	if err != nil {
		return nil, nil, err
	}
	ns, err := NewNotices(ctx, s, c, tok)
	return ns, func(id string) error { return NoticeShown(context.WithoutCancel(ctx), s, c, tok, id) }, err
}
