package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ShopRazorpay is a shop's own Razorpay account (for payment links to its
// customers). KeySecret and WebhookSecret are sealed with the server key
// (server/secrets); this package never sees them in the clear.
type ShopRazorpay struct {
	BusinessID    string
	KeyID         string
	KeySecret     string // sealed
	WebhookSecret string // sealed
	// WebhookToken names the shop in its webhook's address.
	WebhookToken string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

const shopRazorpayCols = `business_id, key_id, key_secret, webhook_secret, webhook_token, created_at, updated_at`

func scanShopRazorpay(row *sql.Row) (ShopRazorpay, bool, error) {
	var k ShopRazorpay
	var created, updated int64
	err := row.Scan(&k.BusinessID, &k.KeyID, &k.KeySecret, &k.WebhookSecret, &k.WebhookToken, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return k, false, nil
	}
	if err != nil {
		return k, false, fmt.Errorf("read the shop's Razorpay keys: %w", err)
	}
	k.CreatedAt, k.UpdatedAt = fromMS(created), fromMS(updated)
	return k, true, nil
}

// SetShopRazorpay stores a shop's keys; connecting again replaces the keys
// and keeps the webhook's address (its token) and the first connection's
// time. It returns the row as stored.
func (db *DB) SetShopRazorpay(ctx context.Context, k ShopRazorpay, now time.Time) (ShopRazorpay, error) {
	_, err := db.exec(ctx, `INSERT INTO shop_razorpay_keys (`+shopRazorpayCols+`) VALUES ($1, $2, $3, $4, $5, $6, $6)
		ON CONFLICT (business_id) DO UPDATE SET key_id = excluded.key_id, key_secret = excluded.key_secret,
		webhook_secret = excluded.webhook_secret, updated_at = excluded.updated_at`,
		k.BusinessID, k.KeyID, k.KeySecret, k.WebhookSecret, k.WebhookToken, ms(now))
	if err != nil {
		return ShopRazorpay{}, fmt.Errorf("save the shop's Razorpay keys: %w", err)
	}
	out, _, err := scanShopRazorpay(db.write.QueryRowContext(ctx, `SELECT `+shopRazorpayCols+` FROM shop_razorpay_keys WHERE business_id = $1`, k.BusinessID))
	return out, err
}

// ShopRazorpay returns a shop's keys, if it connected them.
func (db *DB) ShopRazorpay(ctx context.Context, businessID string) (ShopRazorpay, bool, error) {
	return scanShopRazorpay(db.read.QueryRowContext(ctx, `SELECT `+shopRazorpayCols+` FROM shop_razorpay_keys WHERE business_id = $1`, businessID))
}

// ShopRazorpayByToken finds a shop's keys by its webhook's token.
func (db *DB) ShopRazorpayByToken(ctx context.Context, token string) (ShopRazorpay, bool, error) {
	return scanShopRazorpay(db.read.QueryRowContext(ctx, `SELECT `+shopRazorpayCols+` FROM shop_razorpay_keys WHERE webhook_token = $1`, token))
}

// DeleteShopRazorpay forgets a shop's keys (links already made stay).
func (db *DB) DeleteShopRazorpay(ctx context.Context, businessID string) error {
	if _, err := db.exec(ctx, `DELETE FROM shop_razorpay_keys WHERE business_id = $1`, businessID); err != nil {
		return fmt.Errorf("forget the shop's Razorpay keys: %w", err)
	}
	return nil
}

// PayLink is the server's record of an invoice's payment link.
type PayLink struct {
	BusinessID string
	InvoiceID  string
	LinkID     string
	ShortURL   string
	Amount     int64  // paise asked for
	Status     string // protocol.PayLink* statuses; "" until Razorpay made it
	Error      string
	PaymentID  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

const payLinkCols = `business_id, invoice_id, link_id, short_url, amount, status, error, payment_id, created_at, updated_at`

func scanPayLink(row *sql.Row) (PayLink, bool, error) {
	var l PayLink
	var created, updated int64
	err := row.Scan(&l.BusinessID, &l.InvoiceID, &l.LinkID, &l.ShortURL, &l.Amount, &l.Status, &l.Error, &l.PaymentID, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return l, false, nil
	}
	if err != nil {
		return l, false, fmt.Errorf("read payment link: %w", err)
	}
	l.CreatedAt, l.UpdatedAt = fromMS(created), fromMS(updated)
	return l, true, nil
}

// PayLinkStart returns an invoice's payment-link record, creating it (no
// link yet, asking for amount) the first time.
func (db *DB) PayLinkStart(ctx context.Context, businessID, invoiceID string, amount int64, now time.Time) (PayLink, error) {
	_, err := db.exec(ctx, `INSERT INTO shop_payment_links (business_id, invoice_id, amount, status, created_at, updated_at)
		VALUES ($1, $2, $3, '', $4, $4) ON CONFLICT (business_id, invoice_id) DO NOTHING`, businessID, invoiceID, amount, ms(now))
	if err != nil {
		return PayLink{}, fmt.Errorf("start payment link: %w", err)
	}
	l, _, err := scanPayLink(db.write.QueryRowContext(ctx, `SELECT `+payLinkCols+` FROM shop_payment_links
		WHERE business_id = $1 AND invoice_id = $2`, businessID, invoiceID))
	return l, err
}

// PayLinkSave stores what became of a payment link.
func (db *DB) PayLinkSave(ctx context.Context, l PayLink, now time.Time) error {
	_, err := db.exec(ctx, `UPDATE shop_payment_links SET link_id = $3, short_url = $4, status = $5, error = $6,
		payment_id = $7, updated_at = $8 WHERE business_id = $1 AND invoice_id = $2`,
		l.BusinessID, l.InvoiceID, l.LinkID, l.ShortURL, l.Status, l.Error, l.PaymentID, ms(now))
	if err != nil {
		return fmt.Errorf("save payment link: %w", err)
	}
	return nil
}

// PayLink returns an invoice's payment-link record.
func (db *DB) PayLink(ctx context.Context, businessID, invoiceID string) (PayLink, bool, error) {
	return scanPayLink(db.read.QueryRowContext(ctx, `SELECT `+payLinkCols+` FROM shop_payment_links
		WHERE business_id = $1 AND invoice_id = $2`, businessID, invoiceID))
}
