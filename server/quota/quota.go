// Package quota is the one place where the server counts what a business
// uses of its plan each calendar month (India time): WhatsApp messages and
// AI questions. Features ask a Counter before they spend (a send, a model
// call) and give back what was not spent. The limits come from the
// business's plan (the billing module implements Counter over the server's
// database, so every instance sees one count).
package quota

import (
	"context"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Feature is a counted feature.
type Feature string

// The counted features.
const (
	WhatsApp Feature = "whatsapp"
	AI       Feature = "ai"
)

// CodeExceeded is the error code of a used-up quota (HTTP 429 with no
// Retry-After shorter than the month: the message names the reset date).
const CodeExceeded = protocol.CodeQuotaExceeded

// Counter counts uses per business, feature and IST calendar month.
type Counter interface {
	// Use records n uses of f for the business this month, atomically:
	// when the plan's limit would be passed nothing is recorded and the
	// error is Exceeded (a *core.Error with CodeExceeded).
	Use(ctx context.Context, businessID string, f Feature, n int) error
	// Refund gives back n uses recorded this month (a send that failed
	// permanently before reaching anyone, a model call that was refused).
	Refund(ctx context.Context, businessID string, f Feature, n int) error
}

// IST is India Standard Time, the clock months are counted in.
var IST = time.FixedZone("IST", 5*3600+1800)

// Month is the counting period of t: "YYYY-MM" in IST.
func Month(t time.Time) string { return t.In(IST).Format("2006-01") }

// ResetAt is when the month of t ends: the first instant of the next IST
// month.
func ResetAt(t time.Time) time.Time {
	t = t.In(IST)
	return time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, IST)
}

// Exceeded is the error for a used-up quota, in words a shopkeeper reads.
func Exceeded(f Feature, limit int, now time.Time) *core.Error {
	what := map[Feature]string{WhatsApp: "WhatsApp messages", AI: "AI questions"}[f]
	if what == "" {
		what = string(f)
	}
	return &core.Error{Code: CodeExceeded, Quota: &protocol.QuotaInfo{Feature: string(f), Limit: limit, ResetsOn: ResetAt(now)}, Message: fmt.Sprintf(
		"This month's %d %s are used up. They start again on %s; a bigger plan gives more (Settings → Plan).",
		limit, what, ResetAt(now).Format("02-01-2006"))}
}
