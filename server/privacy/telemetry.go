package privacy

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Limits of one telemetry batch.
const (
	MaxEventsPerBatch = 1000
	MaxErrorsPerBatch = 100
	maxMessage        = 2000
	maxStack          = 16000
	maxVersion        = 40
)

var featureRE = regexp.MustCompile(`^[a-z][a-z0-9_.]{0,63}$`)

// digitRun matches runs of 6 or more digits (with spaces or dashes), which
// could be a phone number, an account or a GSTIN fragment in an error
// message: they are masked before anything is stored.
var digitRun = regexp.MustCompile(`\d[\d \-]{4,}\d`)

// CheckTelemetry checks a batch from the app and returns what is stored:
// features named in lower case, messages and stacks cut to length with
// digit runs masked, events older than their retention (usageDays,
// errorDays) dropped. A stamp more than protocol.MaxSkew ahead refuses the
// batch.
func CheckTelemetry(b protocol.TelemetryBatch, now time.Time, usageDays, errorDays int) (protocol.TelemetryBatch, error) {
	if len(b.Events) > MaxEventsPerBatch || len(b.Errors) > MaxErrorsPerBatch {
		return b, core.Errorf(protocol.CodeInvalid, "Send at most %d usage events and %d error reports at a time.", MaxEventsPerBatch, MaxErrorsPerBatch)
	}
	var out protocol.TelemetryBatch
	checkCommon := func(at time.Time, version string, days int) (bool, error) {
		if at.After(now.Add(protocol.MaxSkew)) {
			return false, core.Errorf(protocol.CodeClockSkew, "The date and time on this PC are ahead of the real time. Fix the PC clock.")
		}
		if len(version) > maxVersion || strings.ContainsFunc(version, unicode.IsControl) {
			return false, core.Errorf(protocol.CodeInvalid, "app_version must be at most %d plain characters.", maxVersion)
		}
		return at.After(now.AddDate(0, 0, -days)), nil
	}
	for _, e := range b.Events {
		if !featureRE.MatchString(e.Feature) {
			return b, core.Errorf(protocol.CodeInvalid, "Feature %q is not a feature name (lower case letters, digits, _ and ., at most 64).", e.Feature)
		}
		keep, err := checkCommon(e.At, e.AppVersion, usageDays)
		if err != nil {
			return b, err
		}
		if keep {
			out.Events = append(out.Events, e)
		}
	}
	for _, e := range b.Errors {
		keep, err := checkCommon(e.At, e.AppVersion, errorDays)
		if err != nil {
			return b, err
		}
		if strings.TrimSpace(e.Message) == "" {
			return b, core.Errorf(protocol.CodeInvalid, "An error report needs a message.")
		}
		if keep {
			e.Message = scrub(e.Message, maxMessage)
			e.Stack = scrub(e.Stack, maxStack)
			out.Errors = append(out.Errors, e)
		}
	}
	return out, nil
}

func scrub(s string, max int) string {
	s = digitRun.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat("#", len(m)) })
	if r := []rune(s); len(r) > max {
		s = string(r[:max])
	}
	return strings.ToValidUTF8(s, "?")
}

// AddTelemetry checks and stores a batch from the session's device.
func (s *Service) AddTelemetry(ctx context.Context, sess core.Session, b protocol.TelemetryBatch) error {
	b, err := CheckTelemetry(b, s.cfg.Now(), s.cfg.UsageDays, s.cfg.ErrorDays)
	if err != nil {
		return err
	}
	if len(b.Events) == 0 && len(b.Errors) == 0 {
		return nil
	}
	return s.cfg.Store.AddTelemetry(ctx, sess, b)
}

func (m *Module) telemetry(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var b protocol.TelemetryBatch
	if err := m.mux.Decode(r, &b); err != nil {
		m.mux.Error(w, r, err)
		return
	}
	if err := m.s.AddTelemetry(r.Context(), sess, b); err != nil {
		m.mux.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
