package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// WANumber is a shop's own WhatsApp number (server/whatsapp). Token and
// AppSecret are sealed with the server key (server/secrets); this package
// never sees them in the clear.
type WANumber struct {
	BusinessID    string
	PhoneNumberID string
	DisplayPhone  string // as Meta shows it, e.g. "+91 98765 43210"
	Token         string // sealed
	AppSecret     string // sealed
	// VerifyToken answers the webhook handshake of the shop's Meta app.
	VerifyToken      string
	TemplateInvoice  string // "": the server's
	TemplateReminder string
	TemplateLang     string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

const waNumberCols = `business_id, phone_number_id, display_phone, token, app_secret, verify_token,
	template_invoice, template_reminder, template_lang, created_at, updated_at`

func scanWANumber(row *sql.Row) (WANumber, bool, error) {
	var n WANumber
	var created, updated int64
	err := row.Scan(&n.BusinessID, &n.PhoneNumberID, &n.DisplayPhone, &n.Token, &n.AppSecret, &n.VerifyToken,
		&n.TemplateInvoice, &n.TemplateReminder, &n.TemplateLang, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return n, false, nil
	}
	if err != nil {
		return n, false, fmt.Errorf("read the shop's WhatsApp number: %w", err)
	}
	n.CreatedAt, n.UpdatedAt = fromMS(created), fromMS(updated)
	return n, true, nil
}

// ErrWANumberTaken: another business has connected this phone number id.
var ErrWANumberTaken = errors.New("store: the WhatsApp number is connected to another business")

// SetWANumber stores a shop's own number; connecting again replaces it and
// keeps the webhook's verify token and the first connection's time. It
// returns the row as stored, or ErrWANumberTaken.
func (db *DB) SetWANumber(ctx context.Context, n WANumber, now time.Time) (WANumber, error) {
	if other, ok, err := db.WANumberByPhoneID(ctx, n.PhoneNumberID); err != nil {
		return WANumber{}, err
	} else if ok && other.BusinessID != n.BusinessID {
		return WANumber{}, ErrWANumberTaken
	}
	_, err := db.exec(ctx, `INSERT INTO wa_numbers (`+waNumberCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
		ON CONFLICT (business_id) DO UPDATE SET phone_number_id = excluded.phone_number_id, display_phone = excluded.display_phone,
		token = excluded.token, app_secret = excluded.app_secret, template_invoice = excluded.template_invoice,
		template_reminder = excluded.template_reminder, template_lang = excluded.template_lang, updated_at = excluded.updated_at`,
		n.BusinessID, n.PhoneNumberID, n.DisplayPhone, n.Token, n.AppSecret, n.VerifyToken,
		n.TemplateInvoice, n.TemplateReminder, n.TemplateLang, ms(now))
	if err != nil {
		return WANumber{}, fmt.Errorf("save the shop's WhatsApp number: %w", err)
	}
	out, _, err := scanWANumber(db.write.QueryRowContext(ctx, `SELECT `+waNumberCols+` FROM wa_numbers WHERE business_id = $1`, n.BusinessID))
	return out, err
}

// WANumber returns a shop's own number, if it connected one.
func (db *DB) WANumber(ctx context.Context, businessID string) (WANumber, bool, error) {
	return scanWANumber(db.read.QueryRowContext(ctx, `SELECT `+waNumberCols+` FROM wa_numbers WHERE business_id = $1`, businessID))
}

// WANumberByPhoneID finds the shop that connected a phone number id.
func (db *DB) WANumberByPhoneID(ctx context.Context, phoneNumberID string) (WANumber, bool, error) {
	return scanWANumber(db.read.QueryRowContext(ctx, `SELECT `+waNumberCols+` FROM wa_numbers WHERE phone_number_id = $1`, phoneNumberID))
}

// WANumberByVerifyToken finds the shop whose webhook verify token this is.
func (db *DB) WANumberByVerifyToken(ctx context.Context, token string) (WANumber, bool, error) {
	return scanWANumber(db.read.QueryRowContext(ctx, `SELECT `+waNumberCols+` FROM wa_numbers WHERE verify_token = $1`, token))
}

// DeleteWANumber forgets a shop's own number (its messages then go from
// the server's number, if it has one).
func (db *DB) DeleteWANumber(ctx context.Context, businessID string) error {
	if _, err := db.exec(ctx, `DELETE FROM wa_numbers WHERE business_id = $1`, businessID); err != nil {
		return fmt.Errorf("forget the shop's WhatsApp number: %w", err)
	}
	return nil
}
