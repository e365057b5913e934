package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/messaging"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/sync/protocol"
)

// WAMessage is a WhatsApp message request in the books, with its outcome
// once the server has answered through sync.
type WAMessage struct {
	ID string `json:"id"`
	protocol.WAMessage
}

// State is the status a screen shows: queued until the server answers.
func (m WAMessage) State() string {
	if m.Status == "" {
		return protocol.WAQueued
	}
	return m.Status
}

// SendInvoiceOnWhatsApp queues an invoice (by id or number) to go on
// WhatsApp to its party's phone, or to to when given. The request is a
// synced row: it goes to the server at the next sync, so it waits safely
// while the counter is offline.
func (s *Store) SendInvoiceOnWhatsApp(ctx context.Context, invoice, to string) (WAMessage, error) {
	inv, cancelled, err := s.Invoice(invoice)
	if err != nil {
		return WAMessage{}, err
	}
	if cancelled {
		return WAMessage{}, books.Errorf(books.EINVALID, "Invoice %s is cancelled; it cannot be sent.", inv.Number)
	}
	name, phone, partyID := "", to, ""
	if inv.Party != nil {
		name, partyID = inv.Party.Name, inv.Party.ID
		if phone == "" {
			phone = inv.Party.Phone
		}
		if phone == "" && partyID != "" {
			if p, err := s.Party(partyID); err == nil {
				phone = p.Phone
			}
		}
	}
	if phone == "" && to == "" {
		return WAMessage{}, books.Invalid("phone", "Invoice %s has no customer phone: give the customer's 10-digit mobile number to send it.", inv.Number)
	}
	num, err := messaging.Recipient(name, phone)
	if err != nil {
		return WAMessage{}, err
	}
	biz, err := s.Business()
	if err != nil {
		return WAMessage{}, err
	}
	m := protocol.WAMessage{Kind: protocol.WAKindInvoice, To: num, PartyID: partyID, PartyName: name, InvoiceID: inv.ID,
		InvoiceNumber: inv.Number, Amount: inv.GrandTotal, ShopName: biz.Name}
	return s.queueWhatsApp(ctx, staff.SendBill, m)
}

// RemindOnWhatsApp queues a payment reminder for a party (by id or exact
// name) for what they owe now. A party who replied STOP is refused with
// the reason.
func (s *Store) RemindOnWhatsApp(ctx context.Context, party string) (WAMessage, error) {
	p, err := s.FindParty(party)
	if err != nil {
		return WAMessage{}, err
	}
	id := p.ID
	due, err := s.PartyBalance(id)
	if err != nil {
		return WAMessage{}, err
	}
	if due <= 0 {
		return WAMessage{}, books.Errorf(books.EINVALID, "%s owes nothing, so there is nothing to remind them of.", p.Name)
	}
	return s.remind(ctx, id, p.Name, p.Phone, due, "")
}

func (s *Store) remind(ctx context.Context, partyID, name, phone string, due int64, rule string) (WAMessage, error) {
	return s.remindAs(ctx, partyID, name, phone, due, rule, nil)
}

func (s *Store) remindAs(ctx context.Context, partyID, name, phone string, due int64, rule string, ids func(*Tx) (string, error)) (WAMessage, error) {
	num, err := messaging.Recipient(name, phone)
	if err != nil {
		return WAMessage{}, err
	}
	if o, ok, err := s.WhatsAppOptOut(num); err != nil {
		return WAMessage{}, err
	} else if ok && o.OptedOut {
		return WAMessage{}, books.Errorf(books.ECONFLICT, "%s replied STOP to your WhatsApp reminders, so none is sent. Once they write to you again you can record their consent (naukar whatsapp consent %s).", name, num[2:])
	}
	biz, err := s.Business()
	if err != nil {
		return WAMessage{}, err
	}
	// The reminder carries the invoice's payment link where there is one
	// (the shop connected its Razorpay keys), else the shop's UPI id.
	payTo := biz.UPI
	if link, err := s.partyPayLink(ctx, partyID, due); err != nil {
		return WAMessage{}, err
	} else if link != "" {
		payTo = link
	}
	m := protocol.WAMessage{Kind: protocol.WAKindReminder, To: num, PartyID: partyID, PartyName: name, Amount: due,
		ShopName: biz.Name, PayTo: payTo, Rule: rule}
	return s.queueWhatsAppAs(ctx, staff.SendMessages, m, ids)
}

func (s *Store) queueWhatsApp(ctx context.Context, act staff.Action, m protocol.WAMessage) (WAMessage, error) {
	return s.queueWhatsAppAs(ctx, act, m, nil)
}

// queueWhatsAppAs queues m with the id ids gives (nil: a new UUIDv7).
// ids is asked inside the transaction, so it can look at the rows
// already in the books; errAlreadyAsked from it queues nothing.
func (s *Store) queueWhatsAppAs(ctx context.Context, act staff.Action, m protocol.WAMessage, ids func(*Tx) (string, error)) (WAMessage, error) {
	m.Requested = s.now().UTC().Format(time.RFC3339)
	m.RequestedBy = s.deviceID
	id := uuid.Must(uuid.NewV7()).String()
	err := s.tx(ctx, func(tx *Tx) error {
		if err := tx.allow(ctx, act, ""); err != nil {
			return err
		}
		if ids != nil {
			var err error
			if id, err = ids(tx); err != nil {
				return err
			}
		}
		_, err := tx.putRecord(protocol.TableWAMessages, id, m)
		return err
	})
	if errors.Is(err, errAlreadyAsked) {
		return WAMessage{}, err
	}
	if err != nil {
		return WAMessage{}, fmt.Errorf("queue the WhatsApp message: %w", err)
	}
	return WAMessage{ID: id, WAMessage: m}, nil
}

// WAFilter narrows WhatsAppMessages.
type WAFilter struct {
	InvoiceID string
	PartyID   string
	Limit     int // 0: 200
}

// WhatsAppMessages lists message requests, newest first.
func (s *Store) WhatsAppMessages(ctx context.Context, f WAFilter) ([]WAMessage, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	q := `SELECT id, data FROM unknown_rows WHERE tbl = 'wa_messages' AND deleted = 0`
	var args []any
	if f.InvoiceID != "" {
		q += ` AND json_extract(data, '$.invoice_id') = ?`
		args = append(args, f.InvoiceID)
	}
	if f.PartyID != "" {
		q += ` AND json_extract(data, '$.party_id') = ?`
		args = append(args, f.PartyID)
	}
	q += ` ORDER BY json_extract(data, '$.requested') DESC, id DESC LIMIT ?`
	rows, err := s.r.QueryContext(ctx, q, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("read WhatsApp messages: %w", err)
	}
	defer rows.Close()
	var out []WAMessage
	for rows.Next() {
		var m WAMessage
		var data string
		if err := rows.Scan(&m.ID, &data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &m.WAMessage); err != nil {
			return nil, fmt.Errorf("read WhatsApp message %s: %w", m.ID, err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// WhatsAppOptOut returns a number's opt-out row (12 digits), if any.
func (s *Store) WhatsAppOptOut(phone string) (protocol.WAOptOut, bool, error) {
	var o protocol.WAOptOut
	var data string
	err := s.r.QueryRow(`SELECT data FROM unknown_rows WHERE tbl = 'wa_optouts' AND id = ?`, protocol.WAOptOutID(phone)).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return o, false, nil
	}
	if err != nil {
		return o, false, fmt.Errorf("read opt-out: %w", err)
	}
	return o, true, json.Unmarshal([]byte(data), &o)
}

// RecordWhatsAppConsent records that a customer who replied STOP agreed to
// reminders again. It is refused until they have written to the shop
// after their STOP.
func (s *Store) RecordWhatsAppConsent(ctx context.Context, phone string) error {
	num, err := messaging.Recipient("", phone)
	if err != nil {
		return err
	}
	o, ok, err := s.WhatsAppOptOut(num)
	if err != nil {
		return err
	}
	if !ok || !o.OptedOut {
		return books.Errorf(books.EINVALID, "%s has not asked to stop reminders; nothing to record.", num[2:])
	}
	if o.LastInbound <= o.OptedOutAt {
		return books.Errorf(books.ECONFLICT, "%s replied STOP and has not written to you since. Consent can be recorded only after they write to you on WhatsApp again.", num[2:])
	}
	return s.tx(ctx, func(tx *Tx) error {
		if err := tx.allow(ctx, staff.SendMessages, ""); err != nil {
			return err
		}
		cur, err := tx.recordRow(protocol.TableWAOptOuts, protocol.WAOptOutID(num))
		if err != nil {
			return err
		}
		changed := map[string]json.RawMessage{"opted_out": json.RawMessage("false"),
			"consent_at": mustRaw(s.now().UTC().Format(time.RFC3339)), "consent_by": mustRaw(s.deviceID)}
		return tx.applyLocal(protocol.TableWAOptOuts, protocol.WAOptOutID(num), protocol.OpUpsert, changed, cur)
	})
}

func mustRaw(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// WhatsAppDues lists the customers who owe the shop, with what a reminder
// needs: the oldest unpaid day (from the running balance of their ledger),
// the rule's reminders already sent and whether they opted out.
func (s *Store) WhatsAppDues(ctx context.Context) ([]messaging.Due, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT p.id, p.name, coalesce(p.phone, ''), coalesce(p.opening_balance, 0)
		FROM parties p WHERE p.deleted = 0 ORDER BY p.name`)
	if err != nil {
		return nil, fmt.Errorf("read dues: %w", err)
	}
	type party struct {
		id, name, phone string
		opening         int64
	}
	var ps []party
	for rows.Next() {
		var p party
		if err := rows.Scan(&p.id, &p.name, &p.phone, &p.opening); err != nil {
			rows.Close()
			return nil, err
		}
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []messaging.Due
	for _, p := range ps {
		d := messaging.Due{PartyID: p.id, Name: p.name, Phone: p.phone}
		bal, since, err := s.dueSince(ctx, p.id, p.opening)
		if err != nil {
			return nil, err
		}
		if bal <= 0 {
			continue
		}
		d.Amount, d.Since = bal, since
		if num, err := gst.MobileWithCountryCode(p.phone); err == nil {
			if o, ok, err := s.WhatsAppOptOut(num); err != nil {
				return nil, err
			} else if ok {
				d.OptedOut = o.OptedOut
			}
		}
		msgs, err := s.WhatsAppMessages(ctx, WAFilter{PartyID: p.id, Limit: 50})
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			t, err := time.Parse(time.RFC3339, m.Requested)
			if m.Kind != protocol.WAKindReminder || err != nil || t.Before(d.Since) {
				continue
			}
			if m.State() != protocol.WAFailed && m.State() != protocol.WAOptedOut {
				d.Sent++
			}
			if t.After(d.Last) {
				d.Last = t
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// dueSince returns a party's balance and the day it last rose above zero.
func (s *Store) dueSince(ctx context.Context, partyID string, opening int64) (int64, time.Time, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT date, debit - credit FROM ledger WHERE party_id = ? AND cancelled = 0 ORDER BY date, doc_id`, partyID)
	if err != nil {
		return 0, time.Time{}, err
	}
	defer rows.Close()
	bal := opening
	var since time.Time
	for rows.Next() {
		var day string
		var delta int64
		if err := rows.Scan(&day, &delta); err != nil {
			return 0, time.Time{}, err
		}
		before := bal
		bal += delta
		if before <= 0 && bal > 0 {
			since, _ = time.ParseInLocation("2006-01-02", day, time.Local)
		}
	}
	return bal, since, rows.Err()
}

// RemindResult says what a reminder round queued and whom it skipped.
type RemindResult struct {
	Queued  []WAMessage         `json:"queued"`
	Skipped []messaging.Planned `json:"skipped"`
}

// RemindAll queues a reminder to every customer who owes the shop, now;
// those who replied STOP or have no usable number are skipped and listed.
func (s *Store) RemindAll(ctx context.Context) (RemindResult, error) {
	return s.remindDues(ctx, func(messaging.Due) bool { return true }, "")
}

// RemindByRule queues today's reminders of the rule: each customer whose
// dues reached a reminder day and has not had it yet.
func (s *Store) RemindByRule(ctx context.Context, r messaging.Rule, today time.Time) (RemindResult, error) {
	if err := r.Validate(); err != nil {
		return RemindResult{}, err
	}
	return s.remindDues(ctx, func(d messaging.Due) bool { return r.DueOn(d.Since, today, d.Sent, d.Last) }, r.String())
}

func (s *Store) remindDues(ctx context.Context, due func(messaging.Due) bool, rule string) (RemindResult, error) {
	biz := s.BusinessID()
	var res RemindResult
	dues, err := s.WhatsAppDues(ctx)
	if err != nil {
		return res, err
	}
	for _, d := range dues {
		if !due(d) {
			continue
		}
		switch _, perr := messaging.Recipient(d.Name, d.Phone); {
		case d.OptedOut:
			res.Skipped = append(res.Skipped, messaging.Planned{Due: d, On: s.now(), Skip: "replied STOP"})
			continue
		case perr != nil:
			res.Skipped = append(res.Skipped, messaging.Planned{Due: d, On: s.now(), Skip: "no usable mobile number"})
			continue
		}
		var ids func(*Tx) (string, error)
		if rule != "" {
			ids = ruleReminderID(biz, d)
		}
		m, err := s.remindAs(ctx, d.PartyID, d.Name, d.Phone, d.Amount, rule, ids)
		if errors.Is(err, errAlreadyAsked) {
			continue // another counter's books asked for this one already
		}
		if err != nil {
			return res, err
		}
		res.Queued = append(res.Queued, m)
	}
	return res, nil
}

// Rejected shows the server's refusals of this device's WhatsApp requests
// (the device's role may not send it there, a request that can never
// apply): the request is marked failed with the server's words, so it
// does not wait as "queued" for ever. The server never took the row, so
// the mark stays on this device (and is not pushed). Other refusals are
// the sync screen's to show.
func (s *Store) Rejected(rs []protocol.Rejection) error {
	var wa []protocol.Rejection
	for _, r := range rs {
		if r.Table == protocol.TableWAMessages {
			wa = append(wa, r)
		}
	}
	if len(wa) == 0 {
		return nil
	}
	return s.tx(context.Background(), func(tx *Tx) error {
		for _, r := range wa {
			words := r.Message
			if words == "" {
				words = "The server refused the message (" + r.Code + ")."
			}
			if _, err := tx.Exec(`UPDATE unknown_rows SET data = json_set(data, '$.status', ?, '$.error', ?)
				WHERE tbl = ? AND id = ? AND coalesce(json_extract(data, '$.status'), '') IN ('', ?)`,
				protocol.WAFailed, words, protocol.TableWAMessages, r.ID, protocol.WAQueued); err != nil {
				return fmt.Errorf("mark refused WhatsApp message: %w", err)
			}
		}
		return nil
	})
}
