package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func fromNullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// CreateAccount stores the account, its business and the business's sync
// counter in one transaction.
func (db *DB) CreateAccount(ctx context.Context, a core.NewAccount) (string, string, error) {
	accountID, businessID := newID(), newID()
	o, b, now := a.Signup.Owner, a.Signup.Business, ms(a.Now)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var taken string
		err := tx.QueryRowContext(ctx, `SELECT CASE WHEN email = $1 THEN 'email' ELSE 'phone' END
			FROM accounts WHERE email = $1 OR phone = $2 LIMIT 1`, o.Email, o.Phone).Scan(&taken)
		switch {
		case err == nil:
			return takenError(taken)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("check account: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO accounts
			(id, name, email, phone, password_hash, age_confirmed_at, terms_accepted_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6, $6)`,
			accountID, o.Name, o.Email, o.Phone, a.PasswordHash, now)
		if err != nil {
			if db.dialect.isUnique(err) {
				// Lost a race with a concurrent signup of the same person.
				field := "email"
				if strings.Contains(err.Error(), "phone") {
					field = "phone"
				}
				return takenError(field)
			}
			return fmt.Errorf("insert account: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO businesses
			(id, account_id, name, gstin, state_code, address, city, category, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			businessID, accountID, b.Name, b.GSTIN, b.StateCode, b.Address, b.City, b.Category, now)
		if err != nil {
			return fmt.Errorf("insert business: %w", err)
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO sync_counters (business_id, seq) VALUES ($1, 0)`, businessID); err != nil {
			return fmt.Errorf("insert counter: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", "", err
	}
	return accountID, businessID, nil
}

func takenError(field string) error {
	if field == "phone" {
		return core.Errorf(protocol.CodeConflict, "An account with this phone number already exists. Please sign in instead.")
	}
	return core.Errorf(protocol.CodeConflict, "An account with this email already exists. Please sign in instead.")
}

const accountCols = `a.id, a.name, a.email, a.phone, a.password_hash, a.created_at`

func scanAccount(row interface{ Scan(...any) error }, a *core.Account, extra ...any) error {
	var created int64
	err := row.Scan(append([]any{&a.ID, &a.Name, &a.Email, &a.Phone, &a.PasswordHash, &created}, extra...)...)
	a.CreatedAt = fromMS(created)
	return err
}

// AccountByLogin finds an account by normalised email or phone.
func (db *DB) AccountByLogin(ctx context.Context, login string) (core.LoginAccount, error) {
	var la core.LoginAccount
	row := db.read.QueryRowContext(ctx, `SELECT `+accountCols+`, b.id
		FROM accounts a JOIN businesses b ON b.account_id = a.id
		WHERE (a.email = $1 OR a.phone = $1) AND a.closed_at IS NULL ORDER BY b.created_at LIMIT 1`, login)
	err := scanAccount(row, &la.Account, &la.BusinessID)
	if errors.Is(err, sql.ErrNoRows) {
		return la, core.Errorf(protocol.CodeNotFound, "no such account")
	}
	if err != nil {
		return la, fmt.Errorf("find account: %w", err)
	}
	return la, nil
}

// CreateDevice registers a device with the next series of its business.
func (db *DB) CreateDevice(ctx context.Context, accountID, businessID, name, tokenHash string, now time.Time) (core.Device, error) {
	return db.CreateDeviceWithin(ctx, accountID, businessID, name, "", tokenHash, now, 0, nil)
}

// CreateDeviceWithin is CreateDevice for a business that may have at most
// max devices signed in (0: no limit): at the limit it returns
// refuse(the signed-in devices) and creates nothing.
func (db *DB) CreateDeviceWithin(ctx context.Context, accountID, businessID, name, clockID, tokenHash string, now time.Time,
	max int, refuse func([]core.Device) error) (core.Device, error) {
	d := core.Device{ID: newID(), BusinessID: businessID, AccountID: accountID, Name: name, CreatedAt: fromMS(ms(now))}
	if clockID == "" {
		clockID = d.ID
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var n int64
		// The UPDATE locks the business row, so concurrent logins get
		// distinct series and are counted against the limit one by one.
		err := tx.QueryRowContext(ctx, `UPDATE businesses SET devices_added = devices_added + 1
			WHERE id = $1 AND account_id = $2 RETURNING devices_added`, businessID, accountID).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			return core.Errorf(protocol.CodeNotFound, "no such business")
		}
		if err != nil {
			return fmt.Errorf("next series: %w", err)
		}
		if max > 0 {
			signedIn, err := activeDevices(ctx, tx, businessID)
			if err != nil {
				return err
			}
			if len(signedIn) >= max {
				return refuse(signedIn)
			}
		}
		d.Series = core.SeriesName(n)
		_, err = tx.ExecContext(ctx, `INSERT INTO devices
			(id, business_id, account_id, name, series, token_hash, created_at, last_seen_at, clock_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)`,
			d.ID, businessID, accountID, name, d.Series, tokenHash, ms(now), clockID)
		if err != nil {
			return fmt.Errorf("insert device: %w", err)
		}
		return nil
	})
	return d, err
}

// SessionByToken resolves a token hash to its device.
func (db *DB) SessionByToken(ctx context.Context, tokenHash string) (core.Session, error) {
	var s core.Session
	var revoked sql.NullInt64
	var seen int64
	var st sessionStaff
	err := db.read.QueryRowContext(ctx, `SELECT id, business_id, account_id, revoked_at, COALESCE(last_seen_at, created_at), `+sessionStaffCols+`
		FROM devices d WHERE token_hash = $1`,
		tokenHash).Scan(&s.DeviceID, &s.BusinessID, &s.AccountID, &revoked, &seen, &st.userID, &st.until, &st.data, &st.has)
	if errors.Is(err, sql.ErrNoRows) {
		return s, core.ErrDeviceUnknown
	}
	if err != nil {
		return s, fmt.Errorf("find session: %w", err)
	}
	if revoked.Valid {
		return s, core.ErrDeviceRevoked
	}
	s.LastSeen = fromMS(seen)
	st.fill(&s)
	return s, nil
}

// TouchDevice moves the device's last_seen_at forward to now.
func (db *DB) TouchDevice(ctx context.Context, deviceID string, now time.Time) error {
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE devices SET last_seen_at = $1
			WHERE id = $2 AND (last_seen_at IS NULL OR last_seen_at < $1)`, ms(now), deviceID)
		return err
	})
	if err != nil {
		return fmt.Errorf("touch device: %w", err)
	}
	return nil
}

// ExpireIdleDevices revokes the business's signed-in devices not seen
// since before.
func (db *DB) ExpireIdleDevices(ctx context.Context, businessID string, before, now time.Time) ([]core.Device, error) {
	var out []core.Device
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		out = nil
		rows, err := tx.QueryContext(ctx, `UPDATE devices SET revoked_at = $1
			WHERE business_id = $2 AND revoked_at IS NULL AND COALESCE(last_seen_at, created_at) < $3
			RETURNING `+deviceCols, ms(now), businessID, ms(before))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanDevice(rows)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("expire idle devices: %w", err)
	}
	return out, nil
}

// Account returns the session's account.
func (db *DB) Account(ctx context.Context, s core.Session) (core.Account, error) {
	var a core.Account
	err := scanAccount(db.read.QueryRowContext(ctx, `SELECT `+accountCols+` FROM accounts a
		JOIN businesses b ON b.account_id = a.id WHERE a.id = $1 AND b.id = $2`, s.AccountID, s.BusinessID), &a)
	if err != nil {
		return a, fmt.Errorf("read account: %w", err)
	}
	return a, nil
}

// Business returns the session's business.
func (db *DB) Business(ctx context.Context, s core.Session) (core.Business, error) {
	var b core.Business
	var created int64
	err := db.read.QueryRowContext(ctx, `SELECT id, account_id, name, gstin, state_code, address, city, category, created_at
		FROM businesses WHERE id = $1`, s.BusinessID).
		Scan(&b.ID, &b.AccountID, &b.Name, &b.GSTIN, &b.StateCode, &b.Address, &b.City, &b.Category, &created)
	if err != nil {
		return b, fmt.Errorf("read business: %w", err)
	}
	b.CreatedAt = fromMS(created)
	return b, nil
}

const deviceCols = `id, business_id, account_id, name, series, last_n, created_at, last_seen_at, revoked_at`

func scanDevice(row interface{ Scan(...any) error }) (core.Device, error) {
	var d core.Device
	var created int64
	var seen, revoked sql.NullInt64
	err := row.Scan(&d.ID, &d.BusinessID, &d.AccountID, &d.Name, &d.Series, &d.LastN, &created, &seen, &revoked)
	d.CreatedAt, d.LastSeenAt, d.RevokedAt = fromMS(created), fromNullMS(seen), fromNullMS(revoked)
	return d, err
}

// Devices lists the devices of the session's business, oldest first.
func (db *DB) Devices(ctx context.Context, s core.Session) ([]core.Device, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+deviceCols+` FROM devices WHERE business_id = $1 ORDER BY created_at, series`, s.BusinessID)
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	defer rows.Close()
	out := []core.Device{}
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, fmt.Errorf("list devices: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RevokeDevice marks a device of the session's business revoked; its token
// stops working with the next request.
func (db *DB) RevokeDevice(ctx context.Context, s core.Session, deviceID string, now time.Time) (core.Device, error) {
	var d core.Device
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		d, err = scanDevice(tx.QueryRowContext(ctx, `UPDATE devices SET revoked_at = COALESCE(revoked_at, $1)
			WHERE id = $2 AND business_id = $3 RETURNING `+deviceCols, ms(now), deviceID, s.BusinessID))
		if errors.Is(err, sql.ErrNoRows) {
			return core.Errorf(protocol.CodeNotFound, "No device with id %s in this business.", deviceID)
		}
		return err
	})
	return d, err
}

// LogSecurity appends to the security log.
func (db *DB) LogSecurity(ctx context.Context, e core.SecurityEvent) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO security_events
		(at, kind, business_id, account_id, device_id, ip, user_agent, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		ms(e.At), truncate(e.Kind, 100), truncate(e.BusinessID, 100), truncate(e.AccountID, 100), truncate(e.DeviceID, 100),
		truncate(e.IP, 100), truncate(e.UserAgent, 300), truncate(e.Detail, 300))
	if err != nil {
		return fmt.Errorf("log security event: %w", err)
	}
	return nil
}

// SecurityEvents returns the newest events of the session's business.
func (db *DB) SecurityEvents(ctx context.Context, s core.Session, limit int) ([]core.SecurityEvent, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT at, kind, business_id, account_id, device_id, ip, user_agent, detail
		FROM security_events WHERE business_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, s.BusinessID, limit)
	if err != nil {
		return nil, fmt.Errorf("list security events: %w", err)
	}
	defer rows.Close()
	out := []core.SecurityEvent{}
	for rows.Next() {
		var e core.SecurityEvent
		var at int64
		if err := rows.Scan(&at, &e.Kind, &e.BusinessID, &e.AccountID, &e.DeviceID, &e.IP, &e.UserAgent, &e.Detail); err != nil {
			return nil, fmt.Errorf("list security events: %w", err)
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// truncate makes s storable in both databases (valid UTF-8, no NUL) and
// cuts it to at most n bytes on a character boundary.
func truncate(s string, n int) string { return core.CleanString(s, n) }
