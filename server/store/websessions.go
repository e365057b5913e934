package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// WebSession is a signed-in session of the account web page
// (server/accountweb). Only the hash of its cookie's token is stored.
type WebSession struct {
	TokenHash  string
	AccountID  string
	BusinessID string
	CSRF       string // the form token of the session
	Lang       string // "en" or "hi"
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// CreateWebSession stores a new web session and prunes expired ones.
func (db *DB) CreateWebSession(ctx context.Context, s WebSession) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM web_sessions WHERE expires_at < $1`, ms(s.CreatedAt)); err != nil {
			return fmt.Errorf("prune web sessions: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO web_sessions (token_hash, account_id, business_id, csrf, lang, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, s.TokenHash, s.AccountID, s.BusinessID, s.CSRF, s.Lang, ms(s.CreatedAt), ms(s.ExpiresAt))
		if err != nil {
			return fmt.Errorf("create web session: %w", err)
		}
		return nil
	})
}

// WebSessionByToken returns the live session of a token hash: not
// expired at now, and of an account that is not closed (unauthorized
// otherwise).
func (db *DB) WebSessionByToken(ctx context.Context, tokenHash string, now time.Time) (WebSession, error) {
	s := WebSession{TokenHash: tokenHash}
	var created, expires int64
	err := db.read.QueryRowContext(ctx, `SELECT w.account_id, w.business_id, w.csrf, w.lang, w.created_at, w.expires_at
		FROM web_sessions w JOIN accounts a ON a.id = w.account_id
		WHERE w.token_hash = $1 AND w.expires_at > $2 AND a.closed_at IS NULL`, tokenHash, ms(now)).
		Scan(&s.AccountID, &s.BusinessID, &s.CSRF, &s.Lang, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return s, core.ErrUnauthorized
	}
	if err != nil {
		return s, fmt.Errorf("read web session: %w", err)
	}
	s.CreatedAt, s.ExpiresAt = fromMS(created), fromMS(expires)
	return s, nil
}

// SetWebSessionLang changes the language of a session's pages.
func (db *DB) SetWebSessionLang(ctx context.Context, tokenHash, lang string) error {
	if _, err := db.write.ExecContext(ctx, `UPDATE web_sessions SET lang = $1 WHERE token_hash = $2`, lang, tokenHash); err != nil {
		return fmt.Errorf("set web session language: %w", err)
	}
	return nil
}

// EndWebSession deletes one session (signing out).
func (db *DB) EndWebSession(ctx context.Context, tokenHash string) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM web_sessions WHERE token_hash = $1`, tokenHash); err != nil {
		return fmt.Errorf("end web session: %w", err)
	}
	return nil
}

// EndWebSessions deletes every session of an account.
func (db *DB) EndWebSessions(ctx context.Context, accountID string) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM web_sessions WHERE account_id = $1`, accountID); err != nil {
		return fmt.Errorf("end web sessions: %w", err)
	}
	return nil
}

// WebKey returns the server's key for signing the sign-in form's token,
// made the first time and shared by every instance (it is in the
// database, like the epoch).
func (db *DB) WebKey(ctx context.Context) ([]byte, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	if _, err := db.write.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('web_key', $1) ON CONFLICT (key) DO NOTHING`,
		hex.EncodeToString(raw[:])); err != nil {
		return nil, fmt.Errorf("web key: %w", err)
	}
	var v string
	if err := db.write.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'web_key'`).Scan(&v); err != nil {
		return nil, fmt.Errorf("web key: %w", err)
	}
	return hex.DecodeString(v)
}

// StaffMembers lists the live synced staff records of a business (as the
// devices wrote them), in no order.
func (db *DB) StaffMembers(ctx context.Context, businessID string) ([]staff.Member, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, data FROM sync_rows WHERE business_id = $1 AND tbl = $2 AND deleted = 0`,
		businessID, staff.Table)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	defer rows.Close()
	var out []staff.Member
	for rows.Next() {
		var id, data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("list staff: %w", err)
		}
		m, err := core.StaffMember(id, []byte(data))
		if err != nil {
			return nil, core.Errorf(protocol.CodeInternal, "staff record %s is unreadable", id)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// WriteStaff writes a staff record (or its tombstone) as the server's own
// synced change, which every device of the business pulls.
func (db *DB) WriteStaff(ctx context.Context, businessID string, m staff.Member, remove bool, now time.Time) error {
	row := ServerRow{Table: staff.Table, ID: m.ID, Op: protocol.OpUpsert}
	if remove {
		row.Op = protocol.OpDelete
	} else {
		data, err := json.Marshal(m)
		if err != nil {
			return err
		}
		row.Data = data
	}
	_, err := db.WriteServerRows(ctx, businessID, []ServerRow{row}, now)
	return err
}

// Exports lists the business's exports not yet expired at now, newest
// first (at most 10).
func (db *DB) Exports(ctx context.Context, businessID string, now time.Time) ([]Export, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, business_id, account_id, state, done, total, file, size, error, created_at, expires_at
		FROM exports WHERE business_id = $1 AND expires_at > $2 ORDER BY created_at DESC LIMIT 10`, businessID, ms(now))
	if err != nil {
		return nil, fmt.Errorf("list exports: %w", err)
	}
	defer rows.Close()
	var out []Export
	for rows.Next() {
		var e Export
		var created, expires int64
		if err := rows.Scan(&e.ID, &e.BusinessID, &e.AccountID, &e.State, &e.Done, &e.Total, &e.File, &e.Size, &e.Error, &created, &expires); err != nil {
			return nil, fmt.Errorf("list exports: %w", err)
		}
		e.CreatedAt, e.ExpiresAt = fromMS(created), fromMS(expires)
		out = append(out, e)
	}
	return out, rows.Err()
}
