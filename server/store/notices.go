package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Contact is where an account's email goes.
type Contact struct {
	AccountID, Name, Email string
	Closed                 bool
}

// ContactOf returns an account's name and email (also of a closed account,
// until its purge).
func (db *DB) ContactOf(ctx context.Context, accountID string) (Contact, error) {
	c := Contact{AccountID: accountID}
	var closed sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT name, email, closed_at FROM accounts WHERE id = $1`, accountID).Scan(&c.Name, &c.Email, &closed)
	if errors.Is(err, sql.ErrNoRows) {
		return c, core.Errorf(protocol.CodeNotFound, "No such account.")
	}
	if err != nil {
		return c, fmt.Errorf("read contact: %w", err)
	}
	c.Closed = closed.Valid
	return c, nil
}

// OpenAccounts lists the ids of the accounts that are not closed.
func (db *DB) OpenAccounts(ctx context.Context) ([]string, error) {
	return db.strings(ctx, `SELECT id FROM accounts WHERE closed_at IS NULL ORDER BY id`)
}

// UnsubscribeToken returns the account's one-click unsubscribe token,
// making one the first time.
func (db *DB) UnsubscribeToken(ctx context.Context, accountID string) (string, error) {
	_, err := db.write.ExecContext(ctx, `INSERT INTO email_prefs (account_id, unsubscribe_token) VALUES ($1, $2)
		ON CONFLICT (account_id) DO NOTHING`, accountID, newEpochID()+newEpochID())
	if err != nil {
		return "", fmt.Errorf("unsubscribe token: %w", err)
	}
	var tok string
	if err := db.write.QueryRowContext(ctx, `SELECT unsubscribe_token FROM email_prefs WHERE account_id = $1`, accountID).Scan(&tok); err != nil {
		return "", fmt.Errorf("unsubscribe token: %w", err)
	}
	return tok, nil
}

// SetMarketing opts the account in or out of marketing email.
func (db *DB) SetMarketing(ctx context.Context, accountID string, allowed bool, now time.Time) error {
	if _, err := db.UnsubscribeToken(ctx, accountID); err != nil {
		return err
	}
	var v any
	if !allowed {
		v = ms(now)
	}
	_, err := db.write.ExecContext(ctx, `UPDATE email_prefs SET marketing_opt_out_at = $1 WHERE account_id = $2`, v, accountID)
	return err
}

// Unsubscribe opts out the account whose token this is; false when no
// account has it.
func (db *DB) Unsubscribe(ctx context.Context, token string, now time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE email_prefs SET marketing_opt_out_at = COALESCE(marketing_opt_out_at, $1)
		WHERE unsubscribe_token = $2`, ms(now), token)
	if err != nil {
		return false, fmt.Errorf("unsubscribe: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// MarketingAllowed says whether the account may get marketing email.
func (db *DB) MarketingAllowed(ctx context.Context, accountID string) (bool, error) {
	var out sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT marketing_opt_out_at FROM email_prefs WHERE account_id = $1`, accountID).Scan(&out)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("email prefs: %w", err)
	}
	return !out.Valid, nil
}

// EmailSent says whether an email of kind and ref went to the account.
func (db *DB) EmailSent(ctx context.Context, accountID, kind, ref string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM email_log WHERE account_id = $1 AND kind = $2 AND ref = $3`,
		accountID, kind, ref).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("email log: %w", err)
	}
	return n > 0, nil
}

// RecordEmail records that an email went out.
func (db *DB) RecordEmail(ctx context.Context, accountID, kind, ref string, now time.Time) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO email_log (account_id, kind, ref, sent_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, accountID, kind, ref, ms(now))
	if err != nil {
		return fmt.Errorf("email log: %w", err)
	}
	return nil
}

// Notice is a policy notice or product update as stored.
type Notice struct {
	ID, Kind, Version, Subject, Summary string
	CreatedAt                           time.Time
}

// CreateNotice stores a notice; a kind and version given before is a
// conflict.
func (db *DB) CreateNotice(ctx context.Context, n Notice) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO notices (id, kind, version, subject, summary, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		n.ID, n.Kind, n.Version, n.Subject, n.Summary, ms(n.CreatedAt))
	if db.dialect.isUnique(err) {
		return core.Errorf(protocol.CodeConflict, "A %s notice for version %s was already sent.", n.Kind, n.Version)
	}
	if err != nil {
		return fmt.Errorf("create notice: %w", err)
	}
	return nil
}

func scanNotices(rows *sql.Rows, err error) ([]Notice, error) {
	if err != nil {
		return nil, fmt.Errorf("notices: %w", err)
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		var n Notice
		var at int64
		if err := rows.Scan(&n.ID, &n.Kind, &n.Version, &n.Subject, &n.Summary, &at); err != nil {
			return nil, fmt.Errorf("notices: %w", err)
		}
		n.CreatedAt = fromMS(at)
		out = append(out, n)
	}
	return out, rows.Err()
}

// NoticesToEmail lists the notices not yet handed to the email jobs.
func (db *DB) NoticesToEmail(ctx context.Context) ([]Notice, error) {
	return scanNotices(db.read.QueryContext(ctx, `SELECT id, kind, version, subject, summary, created_at FROM notices
		WHERE emailed_at IS NULL ORDER BY created_at`))
}

// NoticeByID returns a notice.
func (db *DB) NoticeByID(ctx context.Context, id string) (Notice, error) {
	ns, err := scanNotices(db.read.QueryContext(ctx, `SELECT id, kind, version, subject, summary, created_at FROM notices WHERE id = $1`, id))
	if err != nil {
		return Notice{}, err
	}
	if len(ns) == 0 {
		return Notice{}, core.Errorf(protocol.CodeNotFound, "No notice %s.", id)
	}
	return ns[0], nil
}

// MarkNoticeEmailed records that a notice's emails are queued.
func (db *DB) MarkNoticeEmailed(ctx context.Context, id string, now time.Time) error {
	_, err := db.write.ExecContext(ctx, `UPDATE notices SET emailed_at = $1 WHERE id = $2`, ms(now), id)
	return err
}

// UnseenNotices returns the policy notices made since the account was
// created that it has not seen, oldest first.
func (db *DB) UnseenNotices(ctx context.Context, accountID string) ([]Notice, error) {
	return scanNotices(db.read.QueryContext(ctx, `SELECT n.id, n.kind, n.version, n.subject, n.summary, n.created_at FROM notices n
		JOIN accounts a ON a.id = $1
		WHERE n.kind = 'policy' AND n.created_at >= a.created_at
		AND NOT EXISTS (SELECT 1 FROM notice_seen s WHERE s.account_id = $1 AND s.notice_id = n.id)
		ORDER BY n.created_at`, accountID))
}

// MarkNoticeSeen records that the account has seen a notice.
func (db *DB) MarkNoticeSeen(ctx context.Context, accountID, noticeID string, now time.Time) error {
	if _, err := db.NoticeByID(ctx, noticeID); err != nil {
		return err
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO notice_seen (account_id, notice_id, seen_at) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, accountID, noticeID, ms(now))
	if err != nil {
		return fmt.Errorf("notice seen: %w", err)
	}
	return nil
}
