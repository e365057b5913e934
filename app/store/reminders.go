package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/messaging"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/sync/protocol"
)

// The shop's automatic reminder rule lives in its business profile (a
// synced record, so every counter applies the same rule). Each counter
// applies it once a day; two counters that apply it while offline queue
// the same message ids, and the server sends a message id once.

// errAlreadyAsked: the books hold the reminder a rule would queue.
var errAlreadyAsked = errors.New("this reminder was asked for already")

// ruleNamespace is the UUIDv5 namespace of rule reminders' ids.
var ruleNamespace = uuid.MustParse("6e61756b-6172-5741-a000-72656d696e64")

// ruleTries is how many times a rule reminder that failed (the month's
// messages used up, WhatsApp refused) is asked for again, each under its
// own id, on the rule's later days.
const ruleTries = 3

// RuleReminderID is the id of the rule's reminder number ordinal (1 for
// the first) of a party's dues that started on since, asked for the
// try'th time (0 first): the same on every counter that applies the rule
// to the same books.
func RuleReminderID(businessID, partyID string, since time.Time, ordinal, try int) string {
	name := fmt.Sprintf("%s/%s/%s/%d/%d", businessID, partyID, since.Format("2006-01-02"), ordinal, try)
	return uuid.NewSHA1(ruleNamespace, []byte(name)).String()
}

// ruleReminderID picks, inside the queuing transaction, the id of the
// rule's next reminder for d: a reminder the books hold already is not
// asked for again, unless it failed (then the next try's id).
func ruleReminderID(businessID string, d messaging.Due) func(*Tx) (string, error) {
	return func(tx *Tx) (string, error) {
		for try := range ruleTries {
			id := RuleReminderID(businessID, d.PartyID, d.Since, d.Sent+1, try)
			var status string
			err := tx.QueryRow(`SELECT coalesce(json_extract(data, '$.status'), '') FROM unknown_rows WHERE tbl = ? AND id = ?`,
				protocol.TableWAMessages, id).Scan(&status)
			if errors.Is(err, sql.ErrNoRows) {
				return id, nil
			}
			if err != nil {
				return "", fmt.Errorf("read WhatsApp message: %w", err)
			}
			if status != protocol.WAFailed {
				return "", errAlreadyAsked
			}
		}
		return "", errAlreadyAsked
	}
}

// ReminderRule returns the shop's automatic reminder rule (nil: off).
func (s *Store) ReminderRule() (*messaging.Rule, error) {
	b, err := s.Business()
	if err != nil {
		return nil, err
	}
	if b.ReminderRule == nil {
		return nil, nil
	}
	r := messaging.Rule(*b.ReminderRule)
	return &r, nil
}

// SetReminderRule sets the shop's automatic reminder rule, or turns it off
// (nil). It needs the right to send reminders.
func (s *Store) SetReminderRule(ctx context.Context, r *messaging.Rule) error {
	var keep *books.ReminderRule
	if r != nil {
		if err := r.Validate(); err != nil {
			return err
		}
		k := books.ReminderRule(*r)
		keep = &k
	}
	if err := s.requireBooks(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *Tx) error {
		if err := tx.allow(ctx, staff.SendMessages, ""); err != nil {
			return err
		}
		b, err := tx.business()
		if err != nil {
			return err
		}
		b.ReminderRule = keep
		_, err = tx.putRecord("business", s.BusinessID(), &b)
		return err
	})
}

// metaRuleApplied is the day (and rule) this counter last applied the
// shop's reminder rule.
const metaRuleApplied = "wa_rule_applied"

// ApplyReminderRule queues today's reminders of the shop's rule, once a day
// per counter (again when the rule changes). It does nothing when the rule
// is off or the one signed in may not send reminders (a counter where
// someone who may applies it). applied says whether it ran.
func (s *Store) ApplyReminderRule(ctx context.Context, today time.Time) (res RemindResult, applied bool, err error) {
	r, key, err := s.ruleToApply(today)
	if err != nil || r == nil {
		return res, false, err
	}
	if res, err = s.RemindByRule(ctx, *r, today); err != nil {
		return res, false, err
	}
	return res, true, s.SetMeta(map[string]string{metaRuleApplied: key})
}

// ReminderRulePending reports whether ApplyReminderRule would apply the
// rule today (without reading the dues).
func (s *Store) ReminderRulePending(today time.Time) (bool, error) {
	r, _, err := s.ruleToApply(today)
	return r != nil, err
}

func (s *Store) ruleToApply(today time.Time) (*messaging.Rule, string, error) {
	r, err := s.ReminderRule()
	if err != nil || r == nil || !s.Can(staff.SendMessages) {
		return nil, "", err
	}
	key := today.Format("2006-01-02") + " " + r.String()
	if last, err := s.Meta(metaRuleApplied); err != nil || last == key {
		return nil, "", err
	}
	return r, key, nil
}

// RulePlan is one customer with dues as the rule editor's preview shows
// them: whether a reminder goes today (and its words), else the next day
// one goes, or why none will.
type RulePlan struct {
	messaging.Due
	Today bool      // a reminder goes today (never when skipped)
	Next  time.Time // the next reminder's day (zero: none left)
	Skip  string    // why no reminder goes (replied STOP, no usable number); "" goes
	Text  string    // the reminder's words
	// Last is the newest reminder to the party (nil: none), with its
	// outcome.
	Last *WAMessage
}

// PreviewReminderRule lists every customer with dues as rule r sees them
// today: those due a reminder first, then those skipped, then the rest.
func (s *Store) PreviewReminderRule(ctx context.Context, r messaging.Rule, today time.Time) ([]RulePlan, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	dues, err := s.WhatsAppDues(ctx)
	if err != nil {
		return nil, err
	}
	biz, err := s.Business()
	if err != nil {
		return nil, err
	}
	var now, skipped, later []RulePlan
	for _, d := range dues {
		p := RulePlan{Due: d, Today: r.DueOn(d.Since, today, d.Sent, d.Last)}
		p.Next, _ = r.Next(d.Since, today, d.Sent, d.Last)
		if d.OptedOut {
			p.Skip = "replied STOP: no reminders until they write again and you record consent"
		} else if _, err := messaging.Recipient(d.Name, d.Phone); err != nil {
			p.Skip = "no usable mobile number"
		}
		p.Today = p.Today && p.Skip == ""
		payTo := biz.UPI
		if link, err := s.partyPayLink(ctx, d.PartyID, d.Amount); err != nil {
			return nil, err
		} else if link != "" {
			payTo = link
		}
		p.Text = messaging.ReminderText(d.Name, d.Amount, biz.Name, payTo)
		if ms, err := s.WhatsAppMessages(ctx, WAFilter{PartyID: d.PartyID, Limit: 1}); err != nil {
			return nil, err
		} else if len(ms) > 0 && ms[0].Kind == protocol.WAKindReminder {
			p.Last = &ms[0]
		}
		switch {
		case p.Today:
			now = append(now, p)
		case p.Skip != "":
			skipped = append(skipped, p)
		default:
			later = append(later, p)
		}
	}
	return append(append(now, skipped...), later...), nil
}
