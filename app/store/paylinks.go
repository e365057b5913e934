package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ainaukar/naukar/sync/protocol"
)

// Payment links of the shop's invoices (issue 16): when the shop has
// connected its own Razorpay keys on the server, the server makes a link
// for every invoice with a balance due and writes it to the books as a
// pay_links row (id = the invoice id); its payment comes back as a
// payments document. The rows are the server's; the books only read them.

// PayLink returns an invoice's payment link, if the server made one.
func (s *Store) PayLink(invoiceID string) (protocol.PayLink, bool, error) {
	var l protocol.PayLink
	var data string
	err := s.r.QueryRow(`SELECT data FROM unknown_rows WHERE tbl = ? AND id = ? AND deleted = 0`, protocol.TablePayLinks, invoiceID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return l, false, nil
	}
	if err != nil {
		return l, false, fmt.Errorf("read payment link: %w", err)
	}
	if err := json.Unmarshal([]byte(data), &l); err != nil {
		return l, false, fmt.Errorf("read payment link of invoice %s: %w", invoiceID, err)
	}
	return l, true, nil
}

// PayLinkURL is the address a customer pays an invoice at online: the
// link's short URL while it waits for payment and nothing else has
// touched the invoice's balance, "" otherwise.
func (s *Store) PayLinkURL(invoiceID string) (string, error) {
	l, ok, err := s.PayLink(invoiceID)
	if err != nil || !ok || l.Status != protocol.PayLinkCreated {
		return "", err
	}
	if open, err := s.payLinkStillFits(invoiceID); err != nil || !open {
		return "", err
	}
	return l.ShortURL, nil
}

// payLinkStillFits reports whether an invoice's link still asks for the
// right amount: a link asks for what was due when the invoice was made,
// so once the invoice is cancelled, returned against or paid in part
// another way, it is offered no more (the customer would pay the wrong
// amount); the shop collects the rest as usual.
func (s *Store) payLinkStillFits(invoiceID string) (bool, error) {
	var touched bool
	err := s.r.QueryRow(`SELECT EXISTS (SELECT 1 FROM cancellations WHERE doc_id = ?)
		OR EXISTS (SELECT 1 FROM credit_notes WHERE invoice_id = ?)
		OR EXISTS (SELECT 1 FROM payments WHERE data->>'invoice_id' = ?)`, invoiceID, invoiceID, invoiceID).Scan(&touched)
	if err != nil {
		return false, fmt.Errorf("read the invoice's payments: %w", err)
	}
	return !touched, nil
}

// partyPayLink chooses the link a party's reminder carries for due paise:
// among the party's links still waiting for payment, the one asking for
// exactly what is due, else the only one; several with none matching: no
// link (the reminder then gives the UPI id).
func (s *Store) partyPayLink(ctx context.Context, partyID string, due int64) (string, error) {
	if partyID == "" {
		return "", nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT data FROM unknown_rows WHERE tbl = ? AND deleted = 0
		AND json_extract(data, '$.party_id') = ? AND json_extract(data, '$.status') = ?
		ORDER BY json_extract(data, '$.created_at'), id`, protocol.TablePayLinks, partyID, protocol.PayLinkCreated)
	if err != nil {
		return "", fmt.Errorf("read payment links: %w", err)
	}
	defer rows.Close()
	var open []protocol.PayLink
	for rows.Next() {
		var data string
		var l protocol.PayLink
		if err := rows.Scan(&data); err != nil {
			return "", err
		}
		if json.Unmarshal([]byte(data), &l) == nil && l.ShortURL != "" {
			open = append(open, l)
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	rows.Close()
	fits := open[:0]
	for _, l := range open {
		if ok, err := s.payLinkStillFits(l.InvoiceID); err != nil {
			return "", err
		} else if ok {
			fits = append(fits, l)
		}
	}
	open = fits
	for _, l := range open {
		if l.Amount == due {
			return l.ShortURL, nil
		}
	}
	if len(open) == 1 && open[0].Amount <= due {
		return open[0].ShortURL, nil
	}
	return "", nil
}
