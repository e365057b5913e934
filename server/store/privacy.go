package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// The privacy rights (server/privacy): correction of the profile, closing
// an account, the purge of a closed account and the export of a business.
// Every table of the server's database is classified below, once: whose
// rows it holds, whether an export carries them and what the purge does
// with them. A table that is not classified makes the purge refuse to run
// (and its test fail), so nothing new is kept by accident.

// Owner says whose data a table's rows are, and so what the purge does.
type Owner int

// Owners of tables.
const (
	// OwnerNone: the table holds nothing about any account (schema
	// bookkeeping, the job queue's own state).
	OwnerNone Owner = iota
	// OwnerBusiness: rows have a business_id column; the purge deletes them.
	OwnerBusiness
	// OwnerAccount: rows have an account_id column; the purge deletes them.
	OwnerAccount
	// OwnerBusinessOrAccount: rows name the business, the account or both
	// (the security log); the purge deletes either.
	OwnerBusinessOrAccount
	// OwnerSelf: the account or business row itself (by id).
	OwnerSelf
	// OwnerBilling: our billing records of the business, kept 7 years
	// (Indian tax law) after the account is purged, and nothing else.
	OwnerBilling
	// OwnerJobs: the job queue's jobs, whose arguments hold ids only; the
	// purge deletes finished jobs that name the business or account.
	OwnerJobs
	// OwnerProof: the record that an account was closed and purged: ids
	// and times only.
	OwnerProof
)

// TableRule is how the privacy rights treat one table.
type TableRule struct {
	Owner Owner
	// Export: the export carries the business's rows of this table (as
	// JSON, one file per table), without the Omit columns.
	Export bool
	Omit   []string
	// About explains the table in the export's README.txt.
	About string
}

// Tables classifies every table of the server's database (both dialects).
// Add a table here when a migration creates it: TestEveryTableClassified
// and the purge fail until it is.
var Tables = map[string]TableRule{
	"meta":              {Owner: OwnerNone},
	"schema_migrations": {Owner: OwnerNone},
	"sqlite_sequence":   {Owner: OwnerNone},
	"accounts":          {Owner: OwnerSelf},
	"businesses":        {Owner: OwnerSelf},
	"devices": {Owner: OwnerBusiness, Export: true, Omit: []string{"token_hash"},
		About: "The copies of AI Naukar signed in to the business: name, invoice series, when added, last seen and revoked."},
	"sync_counters": {Owner: OwnerBusiness},
	"sync_rows":     {Owner: OwnerBusiness}, // exported per synced table (books/)
	"sync_rejections": {Owner: OwnerBusiness, Export: true,
		About: "Changes a device sent that the server could not apply, with the reason."},
	// Login attempts hold a hash of the login as typed and the address,
	// no account id; every login prunes failures after a day and
	// successes after 30 days (issue 11).
	"login_attempts": {Owner: OwnerNone},
	// Rate-limit counters: a key naming the limit and an address, pruned
	// after a day.
	"rate_hits": {Owner: OwnerNone},
	"ai_usage": {Owner: OwnerBusiness, Export: true,
		About: "The AI assistant's usage: when each request was sent, from which device, the model, the tokens used and the outcome (never the question or the answer)."},
	"security_events": {Owner: OwnerBusinessOrAccount, Export: true,
		About: "The security log: sign-ups, sign-ins, failed sign-ins, devices added and removed, account changes, with time, IP address and browser or app."},
	"account_closures": {Owner: OwnerProof},
	"email_prefs":      {Owner: OwnerAccount},
	"email_log":        {Owner: OwnerAccount},
	"notices":          {Owner: OwnerNone}, // the policy notices themselves, the same for everyone
	"notice_seen":      {Owner: OwnerAccount},
	"usage_events": {Owner: OwnerBusiness, Export: true,
		About: "Usage events the app sent: which feature was used, when, and the app version (no business data). Kept 90 days."},
	"error_reports": {Owner: OwnerBusiness, Export: true,
		About: "Error reports the app sent: the error message, where in the program it happened (stack) and the app version. Kept 30 days."},

	// Billing (server/plans, server/billing).
	"billing_subscriptions": {Owner: OwnerBilling, Export: true,
		About: "Our subscription billing of the business: plan, status, the Razorpay subscription id and the paid period. Kept 7 years after the account is closed (Indian tax law)."},
	"billing_usage": {Owner: OwnerBusiness, Export: true,
		About: "How much of each monthly allowance of the plan was used (WhatsApp messages, AI questions), per month (India time)."},
	"billing_checkouts": {Owner: OwnerBilling, Export: true, Omit: []string{"token"},
		About: "Every Razorpay subscription started for the business (plan, when, and the payment that confirmed it). Kept 7 years after the account is closed (Indian tax law)."},
	"billing_events": {Owner: OwnerBilling,
		About: "Razorpay's notices about our charges (kept as payment records for 7 years; they hold no card numbers)."},
	"billing_invoices": {Owner: OwnerBilling, Export: true,
		About: "Our GST tax invoices to the business, one per charge. Kept 7 years after the account is closed (Indian tax law)."},
	"billing_invoice_counters": {Owner: OwnerNone},
	"exports":                  {Owner: OwnerBusiness},
	// The account web page's sessions (server/accountweb): a token hash,
	// the form token and the language; closing the account ends them.
	"web_sessions": {Owner: OwnerAccount},

	// Staff (server/api staff sign-in): wrong staff PINs, times only.
	"staff_pin_failures": {Owner: OwnerBusiness},

	// WhatsApp (server/whatsapp).
	"wa_sends": {Owner: OwnerBusiness, Export: true,
		About: "WhatsApp messages the server sent for the business: the message id, the customer's number, WhatsApp's message id and how far the send got."},
	// Keyed by the sending number and a one-way hash of the customer's
	// number; rows older than an hour are pruned.
	"wa_pacing": {Owner: OwnerNone},
	// A shop's own WhatsApp number: the secrets are sealed, never exported.
	"wa_numbers": {Owner: OwnerBusiness, Export: true, Omit: []string{"token", "app_secret", "verify_token"},
		About: "The shop's own WhatsApp number: its phone number id, template names and when it was connected (the access token and app secret are kept encrypted and never exported)."},

	// Payment links for a shop's own customers (server/billing).
	"shop_razorpay_keys": {Owner: OwnerBusiness, Export: true, Omit: []string{"key_secret", "webhook_secret", "webhook_token"},
		About: "The shop's own Razorpay account for payment links: its key id and when it was connected (the secrets are kept encrypted and never exported)."},
	"shop_payment_links": {Owner: OwnerBusiness, Export: true,
		About: "Payment links made for the shop's invoices: the invoice, Razorpay's link id and address, the amount asked, its status and the payment that settled it."},

	"river_job":          {Owner: OwnerJobs},
	"river_leader":       {Owner: OwnerNone},
	"river_migration":    {Owner: OwnerNone},
	"river_queue":        {Owner: OwnerNone},
	"river_client":       {Owner: OwnerNone},
	"river_client_queue": {Owner: OwnerNone},
	"river_notification": {Owner: OwnerNone},
}

// TableNames lists the tables of the database.
func (db *DB) TableNames(ctx context.Context) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if db.dialect.name == "postgres" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := db.read.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("list tables: %w", err)
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out, rows.Err()
}

// UnclassifiedTables returns the tables of the database that Tables does
// not classify.
func (db *DB) UnclassifiedTables(ctx context.Context) ([]string, error) {
	names, err := db.TableNames(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		if _, ok := Tables[n]; !ok {
			out = append(out, n)
		}
	}
	return out, nil
}

// AccountUpdate is a corrected owner profile (normalised and validated).
type AccountUpdate struct {
	Name, Email, Phone string
}

// UpdateAccount corrects the owner's name, email and phone. An email or
// phone of another account is a conflict.
func (db *DB) UpdateAccount(ctx context.Context, accountID string, u AccountUpdate) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var taken string
		err := tx.QueryRowContext(ctx, `SELECT CASE WHEN email = $1 THEN 'email' ELSE 'phone' END
			FROM accounts WHERE (email = $1 OR phone = $2) AND id <> $3 LIMIT 1`, u.Email, u.Phone, accountID).Scan(&taken)
		switch {
		case err == nil:
			return takenError(taken)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("check account: %w", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET name = $1, email = $2, phone = $3 WHERE id = $4 AND closed_at IS NULL`,
			u.Name, u.Email, u.Phone, accountID)
		if err != nil {
			if db.dialect.isUnique(err) {
				return takenError("email")
			}
			return fmt.Errorf("update account: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return core.Errorf(protocol.CodeNotFound, "This account is closed or does not exist.")
		}
		return nil
	})
}

// UpdateBusiness corrects the business profile of the session's business.
func (db *DB) UpdateBusiness(ctx context.Context, businessID string, b protocol.SignupBusiness) error {
	res, err := db.write.ExecContext(ctx, `UPDATE businesses SET name = $1, gstin = $2, state_code = $3, address = $4,
		city = $5, category = $6 WHERE id = $7`, b.Name, b.GSTIN, b.StateCode, b.Address, b.City, b.Category, businessID)
	if err != nil {
		return fmt.Errorf("update business: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return core.Errorf(protocol.CodeNotFound, "No such business.")
	}
	return nil
}

// PasswordHash returns the bcrypt hash of an open account's password.
func (db *DB) PasswordHash(ctx context.Context, accountID string) (string, error) {
	var h string
	err := db.read.QueryRowContext(ctx, `SELECT password_hash FROM accounts WHERE id = $1 AND closed_at IS NULL`, accountID).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", core.Errorf(protocol.CodeNotFound, "This account is closed or does not exist.")
	}
	if err != nil {
		return "", fmt.Errorf("read account: %w", err)
	}
	return h, nil
}

// Closure is a closed account waiting for (or past) its purge.
type Closure struct {
	AccountID, BusinessID string
	ClosedAt, PurgeAt     time.Time
	PurgedAt              *time.Time
}

// CloseAccount closes the account at once, in one transaction: it can no
// longer sign in (AccountByLogin does not find it), every device of its
// businesses is revoked, and the purge is due at purgeAt. It returns the
// ids of the devices revoked now.
func (db *DB) CloseAccount(ctx context.Context, s core.Session, now, purgeAt time.Time) ([]string, error) {
	var devices []string
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL`, ms(now), s.AccountID)
		if err != nil {
			return fmt.Errorf("close account: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return core.Errorf(protocol.CodeNotFound, "This account is already closed.")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO account_closures (account_id, business_id, closed_at, purge_at)
			VALUES ($1, $2, $3, $4)`, s.AccountID, s.BusinessID, ms(now), ms(purgeAt)); err != nil {
			return fmt.Errorf("close account: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM web_sessions WHERE account_id = $1`, s.AccountID); err != nil {
			return fmt.Errorf("end web sessions: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `UPDATE devices SET revoked_at = $1
			WHERE revoked_at IS NULL AND (account_id = $2 OR business_id IN (SELECT id FROM businesses WHERE account_id = $2))
			RETURNING id`, ms(now), s.AccountID)
		if err != nil {
			return fmt.Errorf("revoke devices: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return fmt.Errorf("revoke devices: %w", err)
			}
			devices = append(devices, id)
		}
		return rows.Err()
	})
	return devices, err
}

// ClosureOf returns the closure of an account (not_found when it is open).
func (db *DB) ClosureOf(ctx context.Context, accountID string) (Closure, error) {
	var c Closure
	var closed, purge int64
	var purged sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT account_id, business_id, closed_at, purge_at, purged_at
		FROM account_closures WHERE account_id = $1`, accountID).Scan(&c.AccountID, &c.BusinessID, &closed, &purge, &purged)
	if errors.Is(err, sql.ErrNoRows) {
		return c, core.Errorf(protocol.CodeNotFound, "The account is not closed.")
	}
	if err != nil {
		return c, fmt.Errorf("read closure: %w", err)
	}
	c.ClosedAt, c.PurgeAt, c.PurgedAt = fromMS(closed), fromMS(purge), fromNullMS(purged)
	return c, nil
}

// DuePurges lists the closed accounts whose purge is due at now and not done.
func (db *DB) DuePurges(ctx context.Context, now time.Time) ([]Closure, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT account_id, business_id, closed_at, purge_at FROM account_closures
		WHERE purged_at IS NULL AND purge_at <= $1 ORDER BY purge_at`, ms(now))
	if err != nil {
		return nil, fmt.Errorf("due purges: %w", err)
	}
	defer rows.Close()
	var out []Closure
	for rows.Next() {
		var c Closure
		var closed, purge int64
		if err := rows.Scan(&c.AccountID, &c.BusinessID, &closed, &purge); err != nil {
			return nil, fmt.Errorf("due purges: %w", err)
		}
		c.ClosedAt, c.PurgeAt = fromMS(closed), fromMS(purge)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Purge deletes every row of the closed account and its businesses, in
// every table, except the billing records (OwnerBilling) and the closure
// record (ids and times), which it marks purged. It refuses while a table
// is not classified. It is idempotent: a purge cut short runs again.
// Files (exports) are the caller's to remove, before calling Purge.
func (db *DB) Purge(ctx context.Context, c Closure, now time.Time) error {
	unknown, err := db.UnclassifiedTables(ctx)
	if err != nil {
		return err
	}
	if len(unknown) > 0 {
		return fmt.Errorf("purge: tables %s are not classified in store.Tables: the purge cannot know whether they hold the account's data", strings.Join(unknown, ", "))
	}
	names, err := db.TableNames(ctx)
	if err != nil {
		return err
	}
	if db.dialect.name == "sqlite" {
		// Deleted content is overwritten with zeros, not left in free pages.
		if _, err := db.write.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
			return fmt.Errorf("purge: %w", err)
		}
	}
	var businesses []string
	rows, err := db.read.QueryContext(ctx, `SELECT id FROM businesses WHERE account_id = $1`, c.AccountID)
	if err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("purge: %w", err)
		}
		businesses = append(businesses, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	if len(businesses) == 0 && c.BusinessID != "" {
		businesses = []string{c.BusinessID}
	}
	for _, t := range names {
		rule := Tables[t]
		var stmts []string
		var args []any
		switch rule.Owner {
		case OwnerBusiness:
			for _, b := range businesses {
				stmts = append(stmts, `DELETE FROM `+t+` WHERE business_id = $1`)
				args = append(args, b)
			}
		case OwnerAccount:
			stmts, args = []string{`DELETE FROM ` + t + ` WHERE account_id = $1`}, []any{c.AccountID}
		case OwnerBusinessOrAccount:
			stmts, args = []string{`DELETE FROM ` + t + ` WHERE account_id = $1`}, []any{c.AccountID}
			for _, b := range businesses {
				stmts = append(stmts, `DELETE FROM `+t+` WHERE business_id = $1`)
				args = append(args, b)
			}
		case OwnerJobs:
			// Jobs hold ids only; finished ones naming the account go.
			like := "%"
			if db.dialect.name == "postgres" {
				stmts = append(stmts, `DELETE FROM `+t+` WHERE state NOT IN ('running') AND args::text LIKE $1`)
			} else {
				stmts = append(stmts, `DELETE FROM `+t+` WHERE state NOT IN ('running') AND CAST(args AS TEXT) LIKE $1`)
			}
			args = append(args, like+c.AccountID+like)
			for _, b := range businesses {
				stmts = append(stmts, stmts[0])
				args = append(args, like+b+like)
			}
		}
		for i, q := range stmts {
			if _, err := db.pruneBatchesArg(ctx, "purge "+t, q, args[i]); err != nil {
				return err
			}
		}
	}
	// The rows themselves, last: businesses, then the account.
	err = db.tx(ctx, func(tx *sql.Tx) error {
		for _, b := range businesses {
			if _, err := tx.ExecContext(ctx, `DELETE FROM businesses WHERE id = $1`, b); err != nil {
				return fmt.Errorf("purge business: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM accounts WHERE id = $1 AND closed_at IS NOT NULL`, c.AccountID); err != nil {
			return fmt.Errorf("purge account: %w", err)
		}
		_, err := tx.ExecContext(ctx, `UPDATE account_closures SET purged_at = $1 WHERE account_id = $2`, ms(now), c.AccountID)
		return err
	})
	if err != nil {
		return err
	}
	return db.compact(ctx, names)
}

// pruneBatchesArg is a plain DELETE with one argument, in one transaction.
func (db *DB) pruneBatchesArg(ctx context.Context, what, query string, arg any) (int64, error) {
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, arg)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return n, fmt.Errorf("%s: %w", what, err)
	}
	return n, nil
}

// compact leaves no copy of deleted rows in the database files. SQLite:
// VACUUM rewrites the file from the live rows only, and a TRUNCATE
// checkpoint empties the write-ahead log, whose old frames hold old
// versions of pages. PostgreSQL: VACUUM marks the dead rows' space free
// for reuse at once instead of at the next autovacuum.
func (db *DB) compact(ctx context.Context, tables []string) error {
	if db.dialect.name == "postgres" {
		for _, t := range tables {
			if Tables[t].Owner == OwnerNone {
				continue
			}
			if _, err := db.write.ExecContext(ctx, `VACUUM `+t); err != nil {
				return fmt.Errorf("vacuum %s: %w", t, err)
			}
		}
		return nil
	}
	if _, err := db.write.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	for try := 0; ; try++ {
		var busy, logFrames, done int
		if err := db.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		if busy == 0 {
			return nil
		}
		if try == 50 {
			return errors.New("checkpoint: readers kept the write-ahead log busy; the purge runs again")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Export is an export of a business's data.
type Export struct {
	ID, BusinessID, AccountID string
	State                     string // queued, running, ready, failed
	Done, Total               int64
	File                      string
	Size                      int64
	Error                     string
	CreatedAt, ExpiresAt      time.Time
}

// CreateExport records a new export, queued.
func (db *DB) CreateExport(ctx context.Context, e Export) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO exports (id, business_id, account_id, state, created_at, expires_at)
		VALUES ($1, $2, $3, 'queued', $4, $5)`, e.ID, e.BusinessID, e.AccountID, ms(e.CreatedAt), ms(e.ExpiresAt))
	if err != nil {
		return fmt.Errorf("create export: %w", err)
	}
	return nil
}

// ExportByID returns an export of the business (not_found for another's).
func (db *DB) ExportByID(ctx context.Context, businessID, id string) (Export, error) {
	var e Export
	var created, expires int64
	err := db.read.QueryRowContext(ctx, `SELECT id, business_id, account_id, state, done, total, file, size, error, created_at, expires_at
		FROM exports WHERE id = $1 AND business_id = $2`, id, businessID).
		Scan(&e.ID, &e.BusinessID, &e.AccountID, &e.State, &e.Done, &e.Total, &e.File, &e.Size, &e.Error, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return e, core.Errorf(protocol.CodeNotFound, "No export %s for this business.", id)
	}
	if err != nil {
		return e, fmt.Errorf("read export: %w", err)
	}
	e.CreatedAt, e.ExpiresAt = fromMS(created), fromMS(expires)
	return e, nil
}

// SetExportProgress records how far an export has come.
func (db *DB) SetExportProgress(ctx context.Context, id, state string, done, total int64) error {
	_, err := db.write.ExecContext(ctx, `UPDATE exports SET state = $1, done = $2, total = $3 WHERE id = $4`, state, done, total, id)
	if err != nil {
		return fmt.Errorf("export progress: %w", err)
	}
	return nil
}

// FinishExport records the finished file (state ready) or the failure.
func (db *DB) FinishExport(ctx context.Context, id, file string, size int64, failure string) error {
	state := "ready"
	if failure != "" {
		state = "failed"
	}
	_, err := db.write.ExecContext(ctx, `UPDATE exports SET state = $1, file = $2, size = $3, error = $4, done = total WHERE id = $5`,
		state, file, size, failure, id)
	if err != nil {
		return fmt.Errorf("finish export: %w", err)
	}
	return nil
}

// ExportFiles returns the files of the exports of the businesses of an
// account (to remove before the purge).
func (db *DB) ExportFiles(ctx context.Context, accountID string) ([]string, error) {
	return db.strings(ctx, `SELECT file FROM exports WHERE account_id = $1 AND file <> ''`, accountID)
}

// ExpiredExports returns the exports whose link expired before now.
func (db *DB) ExpiredExports(ctx context.Context, now time.Time) ([]Export, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, business_id, file FROM exports WHERE expires_at < $1`, ms(now))
	if err != nil {
		return nil, fmt.Errorf("expired exports: %w", err)
	}
	defer rows.Close()
	var out []Export
	for rows.Next() {
		var e Export
		if err := rows.Scan(&e.ID, &e.BusinessID, &e.File); err != nil {
			return nil, fmt.Errorf("expired exports: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeleteExport deletes an export's record (after its file).
func (db *DB) DeleteExport(ctx context.Context, id string) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM exports WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("delete export: %w", err)
	}
	return nil
}

func (db *DB) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// CountBusinessRows counts what an export of the business carries (for
// its progress).
func (db *DB) CountBusinessRows(ctx context.Context, businessID string) (int64, error) {
	var n int64
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sync_rows WHERE business_id = $1`, businessID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count rows: %w", err)
	}
	return n, nil
}

// SyncRow is a synced record or document as the export writes it.
type SyncRow struct {
	Table, ID, HLC string
	Deleted        bool
	Data           []byte // the row's JSON object
	UpdatedAt      time.Time
}

// EachSyncRow calls fn for every synced row of the business, ordered by
// table and seq, reading them a page at a time (never all in memory).
// With table set, only that table's rows.
func (db *DB) EachSyncRow(ctx context.Context, businessID, table string, fn func(SyncRow) error) error {
	const page = 1000
	lastTbl, lastSeq := "", int64(-1)
	for {
		q := `SELECT tbl, id, hlc, deleted, data, seq, updated_at FROM sync_rows WHERE business_id = $1
			AND (tbl > $2 OR (tbl = $2 AND seq > $3))`
		args := []any{businessID, lastTbl, lastSeq}
		if table != "" {
			q += ` AND tbl = $5`
			args = append(args, page, table)
		} else {
			args = append(args, page)
		}
		q += ` ORDER BY tbl, seq LIMIT $4`
		rows, err := db.read.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("read rows: %w", err)
		}
		n := 0
		for rows.Next() {
			var r SyncRow
			var deleted, seq, updated int64
			var data string
			if err := rows.Scan(&r.Table, &r.ID, &r.HLC, &deleted, &data, &seq, &updated); err != nil {
				rows.Close()
				return fmt.Errorf("read rows: %w", err)
			}
			r.Deleted, r.Data, r.UpdatedAt = deleted != 0, []byte(data), fromMS(updated)
			lastTbl, lastSeq = r.Table, seq
			n++
			if err := fn(r); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read rows: %w", err)
		}
		if n < page {
			return nil
		}
	}
}

// EachTableRow calls fn with the column names and each row (as JSON-ready
// values) of table that belongs to the business, without the rule's Omit
// columns. The table must be classified with Export.
func (db *DB) EachTableRow(ctx context.Context, table, businessID string, fn func(cols []string, vals []any) error) error {
	rule, ok := Tables[table]
	if !ok || !rule.Export {
		return fmt.Errorf("export: table %s is not exported", table)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT * FROM `+table+` WHERE business_id = $1`, businessID)
	if err != nil {
		return fmt.Errorf("export %s: %w", table, err)
	}
	defer rows.Close()
	all, err := rows.Columns()
	if err != nil {
		return err
	}
	var keep []int
	var cols []string
	for i, c := range all {
		omit := false
		for _, o := range rule.Omit {
			omit = omit || o == c
		}
		if !omit {
			keep, cols = append(keep, i), append(cols, c)
		}
	}
	raw := make([]any, len(all))
	ptrs := make([]any, len(all))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	vals := make([]any, len(keep))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("export %s: %w", table, err)
		}
		for j, i := range keep {
			if b, ok := raw[i].([]byte); ok {
				vals[j] = string(b)
			} else {
				vals[j] = raw[i]
			}
		}
		if err := fn(cols, vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// TableText returns every value of every row of table as text, one row a
// line: for checks that an account's data is gone (the purge's test, an
// operator's audit).
func (db *DB) TableText(ctx context.Context, table string) (string, error) {
	if _, ok := Tables[table]; !ok {
		return "", fmt.Errorf("table %s is not classified", table)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	raw := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	var b strings.Builder
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return "", fmt.Errorf("read %s: %w", table, err)
		}
		for _, v := range raw {
			if bs, ok := v.([]byte); ok {
				b.Write(bs)
			} else {
				fmt.Fprint(&b, v)
			}
			b.WriteByte('\t')
		}
		b.WriteByte('\n')
	}
	return b.String(), rows.Err()
}

// DataDir is the SQLite store's data directory ("" for PostgreSQL).
func (db *DB) DataDir() string {
	if db.path == "" {
		return ""
	}
	return filepath.Dir(db.path)
}
