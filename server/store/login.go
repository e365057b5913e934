package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/server/core"
)

// pgLoginLockClass is the first key of the advisory locks a login attempt
// takes (two-key locks live apart from the one-key migration lock).
const pgLoginLockClass = 11

// BeginLogin counts the attempts of a login and address and records this
// one, in one transaction that holds a lock on both: on SQLite the single
// writer's IMMEDIATE transaction, on PostgreSQL transaction-scoped
// advisory locks (always login, then address, so two attempts never wait
// on each other in a circle).
func (db *DB) BeginLogin(ctx context.Context, a core.LoginAttempt, p core.LoginPolicy) (int64, time.Duration, error) {
	var id int64
	var wait time.Duration
	now := a.At
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if db.dialect.name == "postgres" {
			for _, k := range []string{"login:" + a.LoginKey, "ip:" + a.IP} {
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, pgLoginLockClass, k); err != nil {
					return fmt.Errorf("lock login attempts: %w", err)
				}
			}
		}
		var st core.LoginStats
		since, pending := ms(now.Add(-p.Window)), ms(now.Add(-p.Pending))
		var pairLast, loginOldest, ipOldest sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*), MAX(at) FROM login_attempts
			WHERE login_key = $1 AND ip = $2 AND state <> 2 AND at >= $3`, a.LoginKey, a.IP, since).Scan(&st.PairFailures, &pairLast)
		if err != nil {
			return fmt.Errorf("count login attempts: %w", err)
		}
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*), MIN(at), COALESCE(SUM(CASE WHEN state = 0 AND at >= $3 THEN 1 ELSE 0 END), 0)
			FROM login_attempts WHERE login_key = $1 AND state <> 2 AND at >= $2`, a.LoginKey, since, pending).
			Scan(&st.LoginFailures, &loginOldest, &st.LoginInFlight)
		if err != nil {
			return fmt.Errorf("count login attempts: %w", err)
		}
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*), MIN(at), COALESCE(SUM(CASE WHEN state = 0 AND at >= $3 THEN 1 ELSE 0 END), 0)
			FROM login_attempts WHERE ip = $1 AND state <> 2 AND at >= $2`, a.IP, since, pending).
			Scan(&st.IPFailures, &ipOldest, &st.IPInFlight)
		if err != nil {
			return fmt.Errorf("count login attempts: %w", err)
		}
		var known int
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_attempts
			WHERE login_key = $1 AND ip = $2 AND state = 2 AND at >= $3`, a.LoginKey, a.IP, ms(now.Add(-p.KnownFor))).Scan(&known)
		if err != nil {
			return fmt.Errorf("count login attempts: %w", err)
		}
		st.KnownAddress = known > 0
		st.PairLast, st.LoginOldest, st.IPOldest = fromMS(pairLast.Int64), fromMS(loginOldest.Int64), fromMS(ipOldest.Int64)
		if wait = p.Wait(st, now); wait > 0 {
			return nil
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO login_attempts (login_key, ip, at, state) VALUES ($1, $2, $3, 0) RETURNING id`,
			a.LoginKey, a.IP, ms(now)).Scan(&id); err != nil {
			return fmt.Errorf("record login attempt: %w", err)
		}
		// Failures older than any window, and successes older than
		// KnownFor, are never looked at again.
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE state <> 2 AND at < $1`,
			ms(now.Add(-max(p.Window, 24*time.Hour)))); err != nil {
			return fmt.Errorf("prune login attempts: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE at < $1`, ms(now.Add(-p.KnownFor))); err != nil {
			return fmt.Errorf("prune login attempts: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return id, wait, nil
}

// EndLogin marks an attempt failed, or succeeded: then the other attempts
// of its login and address are forgotten and it stays as the mark of a
// known address.
func (db *DB) EndLogin(ctx context.Context, id int64, outcome int, at time.Time) error {
	if outcome != core.LoginSucceeded {
		if _, err := db.write.ExecContext(ctx, `UPDATE login_attempts SET state = 1 WHERE id = $1 AND state = 0`, id); err != nil {
			return fmt.Errorf("record login failure: %w", err)
		}
		return nil
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		var key, ip string
		if err := tx.QueryRowContext(ctx, `UPDATE login_attempts SET state = 2, at = $2 WHERE id = $1 RETURNING login_key, ip`,
			id, ms(at)).Scan(&key, &ip); err != nil {
			return fmt.Errorf("record login: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE login_key = $1 AND ip = $2 AND id <> $3`, key, ip, id); err != nil {
			return fmt.Errorf("record login: %w", err)
		}
		return nil
	})
}
