// Package messaging holds the rules of sending a shop's invoices and
// payment reminders on WhatsApp: the customer's number checked with a
// fix-it message, the text of a message (for the wa.me link used when the
// shop's server does not send WhatsApp), and the reminder rule with its
// preview. No I/O: app/store queues the requests, the server sends them.
package messaging

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

// Recipient checks a party's phone for WhatsApp and returns it as 12
// digits (91 first). A number that will not do gets a message saying how
// to put it right.
func Recipient(partyName, phone string) (string, error) {
	if strings.TrimSpace(phone) == "" {
		return "", books.Invalid("phone", "%s has no phone number: add their 10-digit mobile number to the party, then send again.", who(partyName))
	}
	to, err := gst.MobileWithCountryCode(phone)
	if err != nil {
		return "", books.Invalid("phone", "%s's phone %q is not an Indian mobile number: enter the 10 digits (it may start with +91 or 0), e.g. 98765 43210.",
			who(partyName), phone)
	}
	return to, nil
}

func who(name string) string {
	if strings.TrimSpace(name) == "" {
		return "The customer"
	}
	return name
}

// InvoiceText is the message of an invoice, as the approved template
// says it, for the wa.me link.
func InvoiceText(shop, number string, amount int64) string {
	return fmt.Sprintf("Thank you for shopping at %s. Your invoice %s for %s is attached.", shop, number, gst.FormatINR(amount))
}

// ReminderText is a payment reminder, as the approved template says it.
func ReminderText(party string, due int64, shop, payTo string) string {
	s := fmt.Sprintf("Dear %s, a payment of %s is due to %s.", who(party), gst.FormatINR(due), shop)
	if payTo != "" {
		s += " You can pay at " + payTo + "."
	}
	return s + " Please ignore this if you have already paid. Reply STOP to stop reminders."
}

// WaMe is the wa.me link that opens WhatsApp (app or web) on the shop's own
// phone or PC with the text ready to send to the number (12 digits).
func WaMe(to, text string) string {
	return "https://wa.me/" + to + "?text=" + url.QueryEscape(text)
}

// Rule says when a customer with dues gets reminded: After days after the
// oldest unpaid bill, then every Every days, at most Max reminders. The
// shop's rule is kept in its business profile (books.ReminderRule).
type Rule books.ReminderRule

// DefaultRule: 3 days after the bill, then every 7 days, at most 3.
var DefaultRule = Rule{After: 3, Every: 7, Max: 3}

// Validate checks the rule.
func (r Rule) Validate() error {
	switch {
	case r.After < 0 || r.After > 365:
		return books.Invalid("after_days", "The first reminder must be 0 to 365 days after the bill.")
	case r.Every < 1 || r.Every > 365:
		return books.Invalid("every_days", "Reminders must repeat every 1 to 365 days.")
	case r.Max < 1 || r.Max > 20:
		return books.Invalid("max", "Send between 1 and 20 reminders.")
	}
	return nil
}

// String says the rule in words.
func (r Rule) String() string {
	return fmt.Sprintf("%d days after the bill, then every %d days, at most %d", r.After, r.Every, r.Max)
}

// Dates lists the days the rule reminds on for a due that started on
// since (the oldest unpaid bill's day).
func (r Rule) Dates(since time.Time) []time.Time {
	out := make([]time.Time, 0, r.Max)
	d := day(since).AddDate(0, 0, r.After)
	for range r.Max {
		out = append(out, d)
		d = d.AddDate(0, 0, r.Every)
	}
	return out
}

// DueOn reports whether the rule sends a reminder on today, given how many
// reminders it has sent for this due already and when the last one went.
func (r Rule) DueOn(since, today time.Time, sent int, last time.Time) bool {
	next, ok := r.Next(since, today, sent, last)
	return ok && next.Equal(day(today))
}

// Next is the day the rule's next reminder goes (today at the earliest:
// an overdue one goes today), given how many it has sent for this due and
// when the last one went (a reminder sent by hand counts); false when it
// has sent them all.
func (r Rule) Next(since, today time.Time, sent int, last time.Time) (time.Time, bool) {
	if sent >= r.Max {
		return time.Time{}, false
	}
	next := r.Dates(since)[sent]
	if !last.IsZero() && day(last).AddDate(0, 0, r.Every).After(next) {
		next = day(last).AddDate(0, 0, r.Every)
	}
	if t := day(today); next.Before(t) {
		next = t
	}
	return next, true
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// Due is one customer's dues as a reminder sees them.
type Due struct {
	PartyID, Name, Phone string
	Amount               int64     // paise owed
	Since                time.Time // the oldest unpaid bill's day
	Sent                 int       // reminders this rule has sent for these dues
	Last                 time.Time // the last reminder, zero if none
	OptedOut             bool      // replied STOP
}

// Planned is one reminder the rule would send.
type Planned struct {
	Due
	On   time.Time // the day it goes
	Skip string    // why it will not go (opted out, no usable phone); "" goes
}

// Preview lists the reminders the rule would send from today on, for each
// due, in date order.
func (r Rule) Preview(dues []Due, today time.Time) []Planned {
	var out []Planned
	for _, d := range dues {
		if d.Amount <= 0 {
			continue
		}
		skip := ""
		if d.OptedOut {
			skip = "replied STOP: no reminders until they write again and you record consent"
		} else if _, err := Recipient(d.Name, d.Phone); err != nil {
			skip = "no usable mobile number"
		}
		for i, on := range r.Dates(d.Since) {
			if i < d.Sent {
				continue
			}
			if on.Before(day(today)) {
				on = day(today)
			}
			out = append(out, Planned{Due: d, On: on, Skip: skip})
			if on.Equal(day(today)) && i < r.Max-1 {
				// Overdue ones go today once; the next keep the spacing.
				rest := r
				rest.After, rest.Max = r.Every, r.Max-i-1
				for _, n := range rest.Dates(day(today)) {
					out = append(out, Planned{Due: d, On: n, Skip: skip})
				}
				break
			}
		}
	}
	sortPlanned(out)
	return out
}

func sortPlanned(p []Planned) {
	slices.SortStableFunc(p, func(a, b Planned) int {
		if c := a.On.Compare(b.On); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
}
