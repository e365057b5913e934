package staff_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/staff"
)

// want is the permission matrix written out by hand, one row per
// action: may an owner, a manager, a cashier do it. The test checks the
// table against it for every action and role, and that no action is missing
// from either side.
var want = map[staff.Action][3]bool{ // owner, manager, cashier
	staff.Bill:                {true, true, true},
	staff.TakePayment:         {true, true, true},
	staff.Print:               {true, true, true},
	staff.AddCustomer:         {true, true, true},
	staff.TodayOwn:            {true, true, true},
	staff.ViewInvoices:        {true, true, true},
	staff.SendBill:            {true, true, true},
	staff.DiscountOverLimit:   {true, true, false},
	staff.SellBelowCost:       {true, true, false},
	staff.CancelBill:          {true, true, false},
	staff.Returns:             {true, true, false},
	staff.EditProducts:        {true, true, false},
	staff.EditParties:         {true, true, false},
	staff.Purchases:           {true, true, false},
	staff.Reports:             {true, true, false},
	staff.SendMessages:        {true, true, false},
	staff.AskAI:               {true, true, false},
	staff.ApproveOverride:     {true, true, false},
	staff.ViewSecurityDetails: {true, true, false},
	staff.Settings:            {true, false, false},
	staff.ManageStaff:         {true, false, false},
	staff.Devices:             {true, false, false},
	staff.SecurityLog:         {true, false, false},
	staff.ConnectSync:         {true, false, false},
	staff.Plan:                {true, false, false},
	staff.Privacy:             {true, false, false},
	staff.DeleteAccount:       {true, false, false},
}

func TestPermissionTableEveryActionAndRole(t *testing.T) {
	acts := staff.Actions()
	if len(acts) != len(want) {
		t.Fatalf("the table has %d actions, the expected matrix %d", len(acts), len(want))
	}
	for _, a := range acts {
		row, ok := want[a]
		if !ok {
			t.Errorf("action %s is in the table but not in the expected matrix", a)
			continue
		}
		for i, r := range staff.Roles() {
			t.Run(string(a)+"/"+string(r), func(t *testing.T) {
				if got := staff.Allowed(r, a); got != row[i] {
					t.Errorf("Allowed(%s, %s) = %v, want %v", r, a, got, row[i])
				}
				err := staff.Check(r, "Asha", a)
				if (err == nil) != row[i] {
					t.Errorf("Check(%s, %s) = %v", r, a, err)
				}
				var d *staff.Denied
				if err != nil && !errors.As(err, &d) {
					t.Errorf("Check(%s, %s) = %T, want *Denied", r, a, err)
				}
			})
		}
		if a.Label() == string(a) || a.Label() == "" {
			t.Errorf("action %s has no label for Settings", a)
		}
	}
}

func TestPermissionTableUnknowns(t *testing.T) {
	for _, r := range append(staff.Roles(), "", "admin") {
		if staff.Allowed(r, "format_disk") {
			t.Errorf("an unknown action is allowed to %q", r)
		}
	}
	for _, a := range staff.Actions() {
		if staff.Allowed("", a) || staff.Allowed("admin", a) {
			t.Errorf("an unknown role may %s", a)
		}
	}
}

func TestOverridableActions(t *testing.T) {
	for _, a := range staff.Actions() {
		want := a == staff.DiscountOverLimit || a == staff.SellBelowCost || a == staff.CancelBill
		if staff.Overridable(a) != want {
			t.Errorf("Overridable(%s) = %v, want %v", a, !want, want)
		}
	}
}

func TestDeniedSaysWhoMay(t *testing.T) {
	err := staff.Check(staff.Cashier, "Ravi", staff.CancelBill)
	for _, s := range []string{"Ravi (cashier)", "cancel a bill", "manager", "PIN"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%q does not say %q", err, s)
		}
	}
	err = staff.Check(staff.Manager, "", staff.ManageStaff)
	if !strings.Contains(err.Error(), "owner") || strings.Contains(err.Error(), "PIN") {
		t.Errorf("%q", err)
	}
	err = staff.Check("", "", staff.Reports)
	if !strings.HasPrefix(err.Error(), "Sign in first") {
		t.Errorf("%q", err)
	}
}

func TestParseRole(t *testing.T) {
	for in, want := range map[string]staff.Role{"Owner": staff.Owner, " manager ": staff.Manager, "CASHIER": staff.Cashier} {
		if r, err := staff.ParseRole(in); err != nil || r != want {
			t.Errorf("ParseRole(%q) = %q, %v", in, r, err)
		}
	}
	if _, err := staff.ParseRole("boss"); err == nil || !strings.Contains(err.Error(), "owner, manager, cashier") {
		t.Errorf("ParseRole(boss) = %v", err)
	}
}

func TestCheckPIN(t *testing.T) {
	for _, bad := range []string{"", "12", "123456789", "12a4", "0000", "1234", "9876", "56789"} {
		if staff.CheckPIN(bad) == nil {
			t.Errorf("PIN %q accepted", bad)
		}
	}
	for _, good := range []string{"2580", "1357", "80412", "11223344"} {
		if err := staff.CheckPIN(good); err != nil {
			t.Errorf("PIN %q refused: %v", good, err)
		}
	}
	if err := staff.CheckPIN("1111"); strings.Contains(err.Error(), "1111") {
		t.Errorf("the message shows the PIN: %v", err)
	}
}

func TestHashAndVerifyPIN(t *testing.T) {
	h, err := staff.HashPIN("2580")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(h, "2580") {
		t.Fatalf("hash %q", h)
	}
	if !staff.VerifyPIN(h, "2580") {
		t.Error("the right PIN does not verify")
	}
	if staff.VerifyPIN(h, "2581") {
		t.Error("a wrong PIN verifies")
	}
	fast, err := staff.TestParams.Hash("2580")
	if err != nil || !strings.HasPrefix(fast, "$argon2id$v=19$m=8192,t=1,p=1$") || !staff.VerifyPIN(fast, "2580") {
		t.Errorf("test params: %q %v", fast, err)
	}
	h2, _ := staff.HashPIN("2580")
	if h2 == h {
		t.Error("two hashes of one PIN are equal: no salt")
	}
	// A hostile or damaged hash never verifies and never runs for long.
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=4000000,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=19456,t=99,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$bcrypt$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		strings.Replace(h, "$v=19$", "$v=16$", 1)} {
		if staff.VerifyPIN(bad, "2580") {
			t.Errorf("hash %q verifies", bad)
		}
	}
}

func TestLockout(t *testing.T) {
	last := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	if !staff.LockedUntil(staff.MaxFailures-1, last).IsZero() {
		t.Error("locked before MaxFailures")
	}
	if got := staff.LockedUntil(staff.MaxFailures, last); !got.Equal(last.Add(staff.LockFor)) {
		t.Errorf("LockedUntil = %v", got)
	}
}

func TestMemberValidate(t *testing.T) {
	h, _ := staff.HashPIN("2580")
	ok := staff.Member{Name: "  Asha   Rao ", Role: staff.Cashier, PINHash: h, DiscountLimitBP: 500}
	ok.Normalize()
	if ok.Name != "Asha Rao" {
		t.Errorf("name %q", ok.Name)
	}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, m := range map[string]staff.Member{
		"ErrNoName":  {Role: staff.Cashier, PINHash: h},
		"ErrRole":    {Name: "A", Role: "boss", PINHash: h},
		"ErrNoPIN":   {Name: "A", Role: staff.Cashier},
		"ErrLimit":   {Name: "A", Role: staff.Cashier, PINHash: h, DiscountLimitBP: 10001},
		"ErrTooLong": {Name: strings.Repeat("a", 61), Role: staff.Cashier, PINHash: h},
	} {
		t.Run(name, func(t *testing.T) {
			if m.Validate() == nil {
				t.Error("accepted")
			}
		})
	}
	if !ok.CanDiscount(500) || ok.CanDiscount(501) {
		t.Error("the cashier's discount limit is not applied")
	}
	mgr := staff.Member{Role: staff.Manager}
	if !mgr.CanDiscount(9000) {
		t.Error("a manager is limited")
	}
}
