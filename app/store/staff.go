package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/staff"
)

// Actor is the staff member signed in on this device: who the books stamp
// on every document and whose role every guarded change is checked against.
type Actor struct {
	ID   string
	Name string
	Role staff.Role
}

// SignedIn reports whether someone is signed in.
func (a Actor) SignedIn() bool { return a.ID != "" }

// Actor is who is signed in (the zero Actor when nobody is). The role is
// as the synced staff table says now, so a change another device made
// applies at once.
func (s *Store) Actor() Actor {
	p := s.actor.Load()
	if p == nil {
		return Actor{}
	}
	m, ok, err := s.staffByID(s.r, p.ID)
	if err != nil || !ok {
		return Actor{}
	}
	return Actor{ID: m.ID, Name: m.Name, Role: m.Role}
}

// HasStaff reports whether the books have any staff. Books without staff
// have one user, who may do everything.
func (s *Store) HasStaff(ctx context.Context) (bool, error) {
	return hasStaff(s.r)
}

// anyStaff asks whether the books have staff (every save asks: prepared at open).
const anyStaff = `SELECT EXISTS (SELECT 1 FROM staff WHERE deleted = 0)`

func hasStaff(q querier) (bool, error) {
	var n int
	if err := q.QueryRow(anyStaff).Scan(&n); err != nil {
		return false, fmt.Errorf("read staff: %w", err)
	}
	return n == 1, nil
}

// Can reports whether the signed-in member may do a (screens ask it to
// show or hide what a role may not reach). Books without staff may do
// everything; with staff, nobody signed in may do nothing.
func (s *Store) Can(a staff.Action) bool {
	has, err := hasStaff(s.r)
	if err != nil {
		return false
	}
	if !has {
		return staff.Known(a)
	}
	return staff.Allowed(s.Actor().Role, a)
}

// Denied returns the staff action of an error that refused it
// (EFORBIDDEN), and whether err is such an error.
func Denied(err error) (staff.Action, bool) {
	var e *books.Error
	if errors.As(err, &e) && e.Code == books.EFORBIDDEN {
		return staff.Action(e.Field), true
	}
	return "", false
}

func denied(a staff.Action, who Actor) error {
	d := &staff.Denied{Role: who.Role, Action: a, Name: who.Name}
	return &books.Error{Code: books.EFORBIDDEN, Field: string(a), Msg: d.Error(), Cause: d}
}

// approval is a manager's PIN given on the spot for some actions.
type approval struct {
	actions  []staff.Action
	approver Actor
	detail   string
}

func (ap *approval) covers(a staff.Action) bool {
	for _, x := range ap.actions {
		if x == a {
			return true
		}
	}
	return false
}

type approvalKey struct{}

// Approve checks a manager's (or the owner's) PIN for actions the signed-in
// cashier may not do alone (staff.Overridable: a discount above their
// limit, selling below cost, cancelling a bill), and returns ctx carrying
// the approval. The save that uses it logs the override (a synced
// staff_overrides document) in its own transaction, so an approval that
// saved nothing leaves no log. Wrong PINs count toward the approver's lock.
func (s *Store) Approve(ctx context.Context, approverKey, pin, detail string, actions ...staff.Action) (context.Context, error) {
	if len(actions) == 0 {
		return ctx, books.Errorf(books.EINVALID, "Nothing to approve.")
	}
	for _, a := range actions {
		if !staff.Overridable(a) {
			return ctx, books.Errorf(books.EINVALID, "%s cannot be approved with a PIN.", a.Label())
		}
	}
	m, err := s.VerifyPIN(ctx, approverKey, pin)
	if err != nil {
		return ctx, err
	}
	for _, a := range append(actions, staff.ApproveOverride) {
		if !staff.Allowed(m.Role, a) {
			return ctx, books.Errorf(books.EFORBIDDEN, "%s is a %s: only a manager or the owner can approve this.", m.Name, strings.ToLower(m.Role.Label()))
		}
	}
	ap := &approval{actions: actions, approver: Actor{ID: m.ID, Name: m.Name, Role: m.Role}, detail: detail}
	return context.WithValue(ctx, approvalKey{}, ap), nil
}

// NeedsApproval lists what a bill needs a manager's PIN for, for the
// signed-in member: a discount above their limit, a price below cost (each
// once, in that order). Nil when they may save it as it is.
func (s *Store) NeedsApproval(ctx context.Context, d *books.SaleDraft) ([]staff.Action, error) {
	has, err := hasStaff(s.r)
	if err != nil || !has {
		return nil, err
	}
	p := s.actor.Load()
	if p == nil {
		return nil, nil
	}
	m, ok, err := s.staffByID(s.r, p.ID)
	if err != nil || !ok {
		return nil, err
	}
	var over, below bool
	for i := range d.Lines {
		l := &d.Lines[i]
		over = over || !m.CanDiscount(int(books.LineDiscountBP(l)))
		below = below || books.BelowCost(l)
	}
	var out []staff.Action
	if over && !staff.Allowed(m.Role, staff.DiscountOverLimit) {
		out = append(out, staff.DiscountOverLimit)
	}
	if below && !staff.Allowed(m.Role, staff.SellBelowCost) {
		out = append(out, staff.SellBelowCost)
	}
	return out, nil
}

// allow checks, inside a save, that the signed-in member may do a, or
// that a manager approved it (Approve), and logs such an override.
func (tx *Tx) allow(ctx context.Context, a staff.Action, detail string) error {
	has, err := hasStaff(tx)
	if err != nil || !has {
		return err
	}
	who := Actor{}
	if p := tx.s.actor.Load(); p != nil {
		m, ok, err := tx.s.staffByID(tx, p.ID)
		if err != nil {
			return err
		}
		if ok {
			who = Actor{ID: m.ID, Name: m.Name, Role: m.Role}
		}
	}
	if staff.Allowed(who.Role, a) {
		return nil
	}
	ap, _ := ctx.Value(approvalKey{}).(*approval)
	if ap == nil || !ap.covers(a) || !who.SignedIn() {
		return denied(a, who)
	}
	if detail == "" {
		detail = ap.detail
	}
	o := staff.Override{ID: newID(), Action: a, CashierID: who.ID, CashierName: who.Name, ApproverID: ap.approver.ID,
		ApproverName: ap.approver.Name, Detail: detail, DeviceID: tx.s.deviceID, CreatedAt: tx.s.now().UTC().Format(time.RFC3339)}
	return tx.createDocument(staff.OverridesTable, o.ID, o)
}

// maker is the Maker stamped on documents saved now.
func (tx *Tx) maker() books.Maker {
	p := tx.s.actor.Load()
	if p == nil {
		return books.Maker{}
	}
	return books.Maker{MadeBy: p.ID, MadeByName: p.Name}
}

// StaffInput is a new or changed staff member. PIN is the new PIN ("" keeps
// the old one when changing).
type StaffInput struct {
	Name            string
	Role            staff.Role
	PIN             string
	DiscountLimitBP int // -1: the default for a new cashier (5%)
}

// StaffList lists the staff, owners first, then managers, then cashiers,
// each by name.
func (s *Store) StaffList(ctx context.Context) ([]staff.Member, error) {
	out, err := scanStaff(s.r.QueryContext(ctx, `SELECT id, data FROM staff WHERE deleted = 0`))
	if err != nil {
		return nil, err
	}
	rank := map[staff.Role]int{staff.Owner: 0, staff.Manager: 1, staff.Cashier: 2}
	sort.Slice(out, func(i, j int) bool {
		if rank[out[i].Role] != rank[out[j].Role] {
			return rank[out[i].Role] < rank[out[j].Role]
		}
		return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name)
	})
	return out, nil
}

func (s *Store) staffByID(q querier, id string) (staff.Member, bool, error) {
	var m staff.Member
	del, ok, err := s.getRecord(q, staff.Table, id, &m)
	if err != nil || !ok || del {
		return staff.Member{}, false, err
	}
	m.ID = id
	return m, true, nil
}

// FindStaff finds a live staff member by id or by name (any case).
func (s *Store) FindStaff(ctx context.Context, key string) (staff.Member, error) {
	return s.findStaff(s.r, key)
}

func (s *Store) findStaff(q querier, key string) (staff.Member, error) {
	key = strings.TrimSpace(key)
	if m, ok, err := s.staffByID(q, key); err != nil || ok {
		return m, err
	}
	var id string
	err := q.QueryRow(`SELECT id FROM staff WHERE deleted = 0 AND name = ? COLLATE NOCASE ORDER BY id LIMIT 1`, strings.Join(strings.Fields(key), " ")).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return staff.Member{}, books.Errorf(books.ENOTFOUND, "No staff member called %q; `naukar staff list` shows the staff.", key)
	}
	if err != nil {
		return staff.Member{}, fmt.Errorf("find staff %q: %w", key, err)
	}
	m, _, err := s.staffByID(q, id)
	return m, err
}

// AddStaff adds a staff member. Only the owner may, except for the first
// member, who must be an owner (the shop's owner setting up staff).
func (s *Store) AddStaff(ctx context.Context, in StaffInput) (staff.Member, error) {
	if err := s.requireBooks(); err != nil {
		return staff.Member{}, err
	}
	m := staff.Member{ID: newID(), Name: in.Name, Role: in.Role}
	m.Normalize()
	m.SetDiscountLimit(in.DiscountLimitBP)
	if err := checkMember(&m); err != nil {
		return m, err
	}
	hash, err := s.pinParams.Hash(in.PIN)
	if err != nil {
		return m, books.Invalid("pin", "%s", err.Error())
	}
	m.PINHash = hash
	err = s.tx(ctx, func(tx *Tx) error {
		members, err := tx.staffMembers()
		if err != nil {
			return err
		}
		if len(members) > 0 {
			if err := tx.allow(ctx, staff.ManageStaff, ""); err != nil {
				return err
			}
		}
		if err := staff.CheckAdd(members, m); err != nil {
			return rosterError(err)
		}
		_, err = tx.putRecord(staff.Table, m.ID, m)
		return err
	})
	return m, err
}

func checkMember(m *staff.Member) error {
	if m.Name == "" {
		return books.Invalid("name", "Staff name is required.")
	}
	if !m.Role.Valid() {
		return books.Invalid("role", "Role %q is not one of owner, manager, cashier.", m.Role)
	}
	if m.DiscountLimitBP > 10000 {
		return books.Invalid("discount_limit", "The discount limit must be between 0%% and 100%%.")
	}
	if m.PINHash != "" {
		if err := m.Validate(); err != nil {
			return books.Invalid("", "%s", err.Error())
		}
	}
	return nil
}

// staffMembers lists the live members (for the rules of app/staff).
func (tx *Tx) staffMembers() ([]staff.Member, error) {
	return scanStaff(tx.Query(`SELECT id, data FROM staff WHERE deleted = 0`))
}

// scanStaff reads the members a query of staff's id and data found.
func scanStaff(rows *sql.Rows, err error) ([]staff.Member, error) {
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
		var m staff.Member
		if err := json.Unmarshal([]byte(data), &m); err != nil {
			return nil, fmt.Errorf("read staff %s: %w", id, err)
		}
		m.ID = id
		out = append(out, m)
	}
	return out, rows.Err()
}

// rosterError turns a refusal of app/staff's list rules into the books'
// error.
func rosterError(err error) error {
	var re *staff.RosterError
	if !errors.As(err, &re) {
		return err
	}
	if re.Conflict {
		return books.Errorf(books.ECONFLICT, "%s", re.Msg)
	}
	return books.Invalid(re.Field, "%s", re.Msg)
}

// ChangeStaff changes a member's name, role, discount limit or PIN (the
// owner only). The last owner stays an owner.
func (s *Store) ChangeStaff(ctx context.Context, key string, in StaffInput) (staff.Member, error) {
	var m staff.Member
	err := s.tx(ctx, func(tx *Tx) error {
		if err := tx.allow(ctx, staff.ManageStaff, ""); err != nil {
			return err
		}
		cur, err := s.findStaff(tx, key)
		if err != nil {
			return err
		}
		m = cur
		if in.Name != "" {
			m.Name = in.Name
			m.Normalize()
		}
		if in.Role != "" {
			m.Role = in.Role
		}
		if in.DiscountLimitBP >= 0 {
			m.DiscountLimitBP = in.DiscountLimitBP
		}
		m.SetDiscountLimit(m.DiscountLimitBP)
		if in.PIN != "" {
			h, err := s.pinParams.Hash(in.PIN)
			if err != nil {
				return books.Invalid("pin", "%s", err.Error())
			}
			m.PINHash = h
		}
		if err := checkMember(&m); err != nil {
			return err
		}
		members, err := tx.staffMembers()
		if err != nil {
			return err
		}
		if err := staff.CheckUniqueName(members, m.Name, m.ID); err != nil {
			return rosterError(err)
		}
		if cur.Role == staff.Owner && m.Role != staff.Owner {
			if err := staff.KeepAnOwner(members, m.ID); err != nil {
				return rosterError(err)
			}
		}
		_, err = tx.putRecord(staff.Table, m.ID, m)
		return err
	})
	return m, err
}

// RemoveStaff removes a member (the owner only; a tombstone that syncs).
// The last owner cannot be removed, and nobody removes themselves.
func (s *Store) RemoveStaff(ctx context.Context, key string) error {
	return s.tx(ctx, func(tx *Tx) error {
		if err := tx.allow(ctx, staff.ManageStaff, ""); err != nil {
			return err
		}
		m, err := s.findStaff(tx, key)
		if err != nil {
			return err
		}
		members, err := tx.staffMembers()
		if err != nil {
			return err
		}
		self := ""
		if p := s.actor.Load(); p != nil {
			self = p.ID
		}
		if err := staff.CheckRemove(members, m, self); err != nil {
			return rosterError(err)
		}
		return tx.deleteRecord(staff.Table, m.ID)
	})
}

// VerifyPIN checks a member's PIN on this device, counting wrong PINs in a
// row: after staff.MaxFailures the member is locked for staff.LockFor.
func (s *Store) VerifyPIN(ctx context.Context, key, pin string) (staff.Member, error) {
	m, err := s.FindStaff(ctx, key)
	if err != nil {
		return m, err
	}
	var failures int
	var lastAt string
	err = s.r.QueryRowContext(ctx, `SELECT failures, last_at FROM staff_pin_failures WHERE staff_id = ?`, m.ID).Scan(&failures, &lastAt)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("read PIN tries: %w", err)
	}
	now := s.now()
	if last, perr := time.Parse(time.RFC3339Nano, lastAt); perr == nil {
		if until := staff.LockedUntil(failures, last); now.Before(until) {
			return m, staffErr(books.ECONFLICT, "", &staff.ErrLocked{Name: m.Name, Until: until})
		}
	}
	if staff.VerifyPIN(m.PINHash, pin) {
		if failures > 0 {
			if _, err := s.w.ExecContext(ctx, `DELETE FROM staff_pin_failures WHERE staff_id = ?`, m.ID); err != nil {
				return m, fmt.Errorf("reset PIN tries: %w", err)
			}
		}
		return m, nil
	}
	failures++
	if _, err := s.w.ExecContext(ctx, `INSERT INTO staff_pin_failures(staff_id, failures, last_at) VALUES (?, ?, ?)
		ON CONFLICT(staff_id) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at`,
		m.ID, failures, now.UTC().Format(time.RFC3339Nano)); err != nil {
		return m, fmt.Errorf("count PIN tries: %w", err)
	}
	if failures >= staff.MaxFailures {
		return m, staffErr(books.ECONFLICT, "", &staff.ErrLocked{Name: m.Name, Until: staff.LockedUntil(failures, now)})
	}
	return m, staffErr(books.EINVALID, "pin", &staff.ErrWrongPIN{Name: m.Name, Left: staff.MaxFailures - failures})
}

// staffErr is a books error that keeps the staff error it says (screens
// say it in their language).
func staffErr(code, field string, cause error) error {
	return &books.Error{Code: code, Field: field, Msg: cause.Error(), Cause: cause}
}

// SignIn signs a staff member in on this device with their PIN.
func (s *Store) SignIn(ctx context.Context, key, pin string) (Actor, error) {
	m, err := s.VerifyPIN(ctx, key, pin)
	if err != nil {
		return Actor{}, err
	}
	a := Actor{ID: m.ID, Name: m.Name, Role: m.Role}
	s.actor.Store(&a)
	return a, nil
}

// SignOut signs the current member out (the counter locks).
func (s *Store) SignOut() { s.actor.Store(nil) }

// Overrides lists the newest logged overrides, newest first.
func (s *Store) Overrides(ctx context.Context, limit int) ([]staff.Override, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, data FROM staff_overrides ORDER BY created_at DESC, rid DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list overrides: %w", err)
	}
	defer rows.Close()
	var out []staff.Override
	for rows.Next() {
		var id, data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		var o staff.Override
		if err := json.Unmarshal([]byte(data), &o); err != nil {
			return nil, fmt.Errorf("read override %s: %w", id, err)
		}
		o.ID = id
		out = append(out, o)
	}
	return out, rows.Err()
}

// Collection is one staff member's takings on a day, by payment mode.
type Collection struct {
	StaffID   string // "" for documents made without staff
	StaffName string
	Mode      string
	In, Out   int64 // paise received and paid out
}

// Collections sums the money documents made on date by each staff member
// (cancelled bills left out): everyone's, or only staffID's when given.
func (s *Store) Collections(ctx context.Context, date time.Time, staffID string) ([]Collection, error) {
	d := date.Format(books.DateLayout)
	return s.CollectionsBetween(ctx, d, d, staffID)
}

// CollectionsBetween sums the money documents dated from..to (yyyy-mm-dd)
// moved, per staff member and payment mode (cancelled bills left out):
// everyone's, or only staffID's when given.
func (s *Store) CollectionsBetween(ctx context.Context, from, to, staffID string) ([]Collection, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT coalesce(k.made_by, ''), coalesce(k.name, ''), m.mode, sum(m.amount_in), sum(m.amount_out)
		FROM money_moves m JOIN (
			SELECT id, made_by, data->>'made_by_name' AS name FROM invoices WHERE date >= ?1 AND date <= ?2
			UNION ALL SELECT id, made_by, data->>'made_by_name' FROM credit_notes WHERE date >= ?1 AND date <= ?2
			UNION ALL SELECT id, made_by, data->>'made_by_name' FROM payments WHERE date >= ?1 AND date <= ?2
			UNION ALL SELECT id, made_by, data->>'made_by_name' FROM expenses WHERE date >= ?1 AND date <= ?2
		) k ON k.id = m.doc_id
		WHERE m.date >= ?1 AND m.date <= ?2 AND m.cancelled = 0 AND (?3 = '' OR k.made_by = ?3)
		GROUP BY 1, 2, 3 ORDER BY 2, 3`, from, to, staffID)
	if err != nil {
		return nil, fmt.Errorf("collections of %s to %s: %w", from, to, err)
	}
	defer rows.Close()
	var out []Collection
	for rows.Next() {
		var c Collection
		if err := rows.Scan(&c.StaffID, &c.StaffName, &c.Mode, &c.In, &c.Out); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// allowSale checks a bill against the signed-in member's role: billing
// itself, then each line's discount against their limit and its price
// against the product's cost (a cashier needs a manager's PIN for those).
func (tx *Tx) allowSale(ctx context.Context, d *books.SaleDraft) error {
	has, err := hasStaff(tx)
	if err != nil || !has {
		return err
	}
	if err := tx.allow(ctx, staff.Bill, ""); err != nil {
		return err
	}
	p := tx.s.actor.Load()
	m, _, err := tx.s.staffByID(tx, p.ID)
	if err != nil {
		return err
	}
	for i := range d.Lines {
		l := &d.Lines[i]
		if bp := books.LineDiscountBP(l); !m.CanDiscount(int(bp)) {
			if err := tx.allow(ctx, staff.DiscountOverLimit, fmt.Sprintf("%s: %s off (limit %s)", l.Product.Name,
				percent(bp), percent(int64(m.DiscountLimitBP)))); err != nil {
				return err
			}
		}
		if books.BelowCost(l) {
			if err := tx.allow(ctx, staff.SellBelowCost, l.Product.Name+": below cost"); err != nil {
				return err
			}
		}
	}
	return nil
}

func percent(bp int64) string {
	if bp%100 == 0 {
		return fmt.Sprintf("%d%%", bp/100)
	}
	return fmt.Sprintf("%d.%02d%%", bp/100, bp%100)
}
