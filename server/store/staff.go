package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/core"
)

// sessionStaffCols are the staff facts of a session, read with the device
// row d: who is signed in on it and until when, their synced record, and
// whether the business has staff at all.
const sessionStaffCols = `d.user_id, d.user_until,
	COALESCE((SELECT data FROM sync_rows WHERE business_id = d.business_id AND tbl = 'staff' AND id = d.user_id AND deleted = 0), ''),
	CASE WHEN EXISTS (SELECT 1 FROM sync_rows WHERE business_id = d.business_id AND tbl = 'staff' AND deleted = 0) THEN 1 ELSE 0 END`

type sessionStaff struct {
	userID string
	until  int64
	data   string
	has    int
}

// fill puts the staff facts into s (the role is worked out per request by
// Session.RoleAt).
func (st sessionStaff) fill(s *core.Session) {
	s.HasStaff = st.has == 1
	if st.userID == "" || st.data == "" {
		return // nobody signed in, or they were removed
	}
	m, err := core.StaffMember(st.userID, []byte(st.data))
	if err != nil || !m.Role.Valid() {
		return
	}
	s.UserID, s.UserName, s.UserRole, s.UserUntil = m.ID, m.Name, m.Role, fromMS(st.until)
}

// StaffRecord returns the data of a live synced staff row.
func (db *DB) StaffRecord(ctx context.Context, businessID, staffID string) ([]byte, bool, error) {
	var data string
	err := db.read.QueryRowContext(ctx, `SELECT data FROM sync_rows WHERE business_id = $1 AND tbl = $2 AND id = $3 AND deleted = 0`,
		businessID, staff.Table, staffID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read staff %s: %w", staffID, err)
	}
	return []byte(data), true, nil
}

// StaffPINFailures counts wrong PINs since a time and returns the newest.
func (db *DB) StaffPINFailures(ctx context.Context, businessID, staffID string, since time.Time) (int, time.Time, error) {
	var n int
	var last sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*), MAX(at) FROM staff_pin_failures
		WHERE business_id = $1 AND staff_id = $2 AND at >= $3`, businessID, staffID, ms(since)).Scan(&n, &last)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("count staff PIN failures: %w", err)
	}
	return n, fromMS(last.Int64), nil
}

// RecordStaffPINFailure stores a wrong PIN and prunes day-old ones.
func (db *DB) RecordStaffPINFailure(ctx context.Context, businessID, staffID string, at time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO staff_pin_failures (business_id, staff_id, at) VALUES ($1, $2, $3)`,
			businessID, staffID, ms(at)); err != nil {
			return fmt.Errorf("record staff PIN failure: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM staff_pin_failures WHERE at < $1`, ms(at.Add(-24*time.Hour))); err != nil {
			return fmt.Errorf("prune staff PIN failures: %w", err)
		}
		return nil
	})
}

// ClearStaffPINFailures forgets a member's wrong PINs.
func (db *DB) ClearStaffPINFailures(ctx context.Context, businessID, staffID string) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM staff_pin_failures WHERE business_id = $1 AND staff_id = $2`,
		businessID, staffID); err != nil {
		return fmt.Errorf("clear staff PIN failures: %w", err)
	}
	return nil
}

// SetDeviceUser records who is signed in on the session's device.
func (db *DB) SetDeviceUser(ctx context.Context, s core.Session, userID string, until time.Time) error {
	u := int64(0)
	if !until.IsZero() {
		u = ms(until)
	}
	res, err := db.write.ExecContext(ctx, `UPDATE devices SET user_id = $1, user_until = $2 WHERE id = $3 AND business_id = $4`,
		userID, u, s.DeviceID, s.BusinessID)
	if err != nil {
		return fmt.Errorf("sign in staff on device: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return core.ErrDeviceUnknown
	}
	return nil
}
