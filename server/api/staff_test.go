package api_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// planModule stands for the billing, privacy and WhatsApp modules: a route
// only the owner may use, and one that checks per request.
type planModule struct{}

func (planModule) Mount(m *api.Mux) {
	m.Permit("POST /v1/test/plan", staff.Plan, 0, func(w http.ResponseWriter, r *http.Request, sess core.Session) {
		m.JSON(w, http.StatusOK, map[string]string{"role": string(sess.Role)})
	})
	m.Device("POST /v1/test/send", 0, func(w http.ResponseWriter, r *http.Request, sess core.Session) {
		if !m.Require(w, r, sess, staff.SendMessages) {
			return
		}
		m.JSON(w, http.StatusOK, map[string]string{"sent": "yes"})
	})
}

func staffRow(t *testing.T, name string, role staff.Role, pin string) map[string]any {
	t.Helper()
	h, err := staff.TestParams.Hash(pin)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{"name": name, "role": string(role), "pin_hash": h}
}

// TestStaffRolesOnTheServer: once a business has staff, a device does what
// the staff member signed in on it with their PIN may do, and a cashier's
// token (or a device where nobody signed in) is refused on the owner's
// endpoints, on the modules' guarded routes and when it pushes a change of
// the staff table. On every store.
func TestStaffRolesOnTheServer(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			e := newEnv(t, st.Open)
			srv := httptest.NewServer(api.New(api.Config{Store: e.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
				Now: e.now, BcryptCost: bcrypt.MinCost, Modules: []api.Module{planModule{}}}))
			defer srv.Close()
			e.srv, e.c = srv, client.NewClient(srv.URL)
			testStaffRoles(t, e)
		})
	}
}

func testStaffRoles(t *testing.T, e *env) {
	b := e.mustSignup()
	owner := &b.dev
	post := func(d *device, path string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader("{}"))
		req.Header.Set("Authorization", "Bearer "+d.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	get := func(d *device, path string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+d.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}

	// Without staff the device that signed in with the password is the owner's.
	if s, err := e.c.StaffSession(ctx, owner.token); err != nil || s.Role != "owner" || s.UserID != "" {
		t.Fatalf("session without staff: %+v %v", s, err)
	}
	if st, _ := post(owner, "/v1/test/plan"); st != 200 {
		t.Fatalf("owner without staff on a guarded module route: %d", st)
	}
	meera, ravi := newID(), newID()
	res := e.mustPush(owner, owner.mut("staff", meera, protocol.OpUpsert, staffRow(t, "Meera", staff.Owner, "2580")),
		owner.mut("staff", ravi, protocol.OpUpsert, staffRow(t, "Ravi", staff.Cashier, "1470")))
	if res.Accepted != 2 || len(res.Rejected) != 0 {
		t.Fatalf("the owner's first staff: %+v", res)
	}

	// Now the business has staff: a device where nobody signed in with a
	// PIN is a cashier's.
	counter := e.mustLogin(b, "Counter 2")
	for _, d := range []*device{owner, &counter} {
		_, err := e.c.Devices(ctx, d.token)
		ae := wantCode(t, err, 403, protocol.CodeForbidden)
		if !strings.Contains(ae.Message, "Sign in on this device") {
			t.Errorf("message %q", ae.Message)
		}
		if st := get(d, "/v1/security-log"); st != 403 {
			t.Errorf("security log without a PIN: %d", st)
		}
	}
	wantCode(t, e.c.RevokeDevice(ctx, counter.token, owner.id), 403, protocol.CodeForbidden)

	// Ravi signs in on counter 2: a cashier's token.
	if _, err := e.c.StaffSignIn(ctx, counter.token, ravi, "0000"); err == nil {
		t.Fatal("a wrong PIN signed in")
	} else if ae := wantCode(t, err, 401, protocol.CodeUnauthorized); !strings.Contains(ae.Message, "Wrong PIN for Ravi: 4 more tries") {
		t.Errorf("wrong PIN: %q", ae.Message)
	}
	s, err := e.c.StaffSignIn(ctx, counter.token, ravi, "1470")
	if err != nil || s.Role != "cashier" || s.Name != "Ravi" || s.Until == nil {
		t.Fatalf("Ravi signs in: %+v %v", s, err)
	}
	_, err = e.c.Devices(ctx, counter.token)
	if ae := wantCode(t, err, 403, protocol.CodeForbidden); !strings.Contains(ae.Message, "Ravi (cashier) may not do this") {
		t.Errorf("message %q", ae.Message)
	}
	wantCode(t, e.c.RevokeDevice(ctx, counter.token, owner.id), 403, protocol.CodeForbidden)
	if st := get(&counter, "/v1/security-log"); st != 403 {
		t.Errorf("a cashier reads the security log: %d", st)
	}
	if st, body := post(&counter, "/v1/test/plan"); st != 403 || !strings.Contains(body, "forbidden") {
		t.Errorf("a cashier changes the plan: %d %s", st, body)
	}
	if st, _ := post(&counter, "/v1/test/send"); st != 403 {
		t.Errorf("a cashier sends reminders: %d", st)
	}
	// A modified app cannot make its cashier an owner through sync.
	res = e.mustPush(&counter, counter.mut("staff", ravi, protocol.OpUpsert, map[string]any{"role": "owner"}))
	if len(res.Rejected) != 1 || res.Rejected[0].Code != protocol.CodeForbidden {
		t.Fatalf("a cashier's staff change: %+v", res)
	}
	if got := e.row(owner, "staff", ravi)["role"]; got != "cashier" {
		t.Fatalf("Ravi's role on the server: %v", got)
	}

	// Meera signs in on the first counter: the owner's endpoints open.
	if _, err := e.c.StaffSignIn(ctx, owner.token, meera, "2580"); err != nil {
		t.Fatal(err)
	}
	if devs, err := e.c.Devices(ctx, owner.token); err != nil || len(devs) != 2 {
		t.Fatalf("the owner lists devices: %v %v", devs, err)
	}
	if st := get(owner, "/v1/security-log"); st != 200 {
		t.Errorf("the owner reads the security log: %d", st)
	}
	if st, body := post(owner, "/v1/test/plan"); st != 200 || !strings.Contains(body, `"owner"`) {
		t.Errorf("the owner on a module's owner route: %d %s", st, body)
	}
	res = e.mustPush(owner, owner.mut("staff", ravi, protocol.OpUpsert, map[string]any{"role": "manager"}))
	if res.Accepted != 1 || len(res.Rejected) != 0 {
		t.Fatalf("the owner's staff change: %+v", res)
	}
	// Ravi's role follows the synced record at once.
	if st, _ := post(&counter, "/v1/test/send"); st != 200 {
		t.Errorf("manager Ravi sends reminders: %d", st)
	}

	// Signing out (the counter locked) and the end of the sign-in both
	// bring the device back to a cashier's.
	if s, err := e.c.StaffSignOut(ctx, owner.token); err != nil || s.Role != "cashier" || s.UserID != "" {
		t.Fatalf("sign out: %+v %v", s, err)
	}
	wantCode(t, func() error { _, err := e.c.Devices(ctx, owner.token); return err }(), 403, protocol.CodeForbidden)
	e.advance(core.StaffSessionTTL + time.Minute)
	if s, err := e.c.StaffSession(ctx, counter.token); err != nil || s.Role != "cashier" || s.UserID != "" {
		t.Fatalf("after the sign-in ended: %+v %v", s, err)
	}

	// Wrong PINs lock a member out for a while.
	for i := 0; i < staff.MaxFailures; i++ {
		e.c.StaffSignIn(ctx, counter.token, meera, "0000")
	}
	_, err = e.c.StaffSignIn(ctx, counter.token, meera, "2580")
	if ae := wantCode(t, err, 429, protocol.CodeRateLimited); !strings.Contains(ae.Message, "Too many wrong PINs for Meera") {
		t.Errorf("lockout: %q", ae.Message)
	}
	e.advance(staff.LockFor + time.Second)
	if s, err := e.c.StaffSignIn(ctx, counter.token, meera, "2580"); err != nil || s.Role != "owner" {
		t.Fatalf("after the lock: %+v %v", s, err)
	}
	// The security log has the sign-ins, the failures and the refusals,
	// never a PIN.
	evs, err := e.db.SecurityEvents(ctx, core.Session{BusinessID: b.id}, 200)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, ev := range evs {
		kinds[ev.Kind]++
		for _, pin := range []string{"2580", "1470", "0000"} {
			if strings.Contains(ev.Detail, pin) {
				t.Errorf("a PIN in the security log: %+v", ev)
			}
		}
	}
	for _, k := range []string{core.EventStaffSignIn, core.EventStaffSignInFailed, core.EventStaffSignOut, core.EventForbidden} {
		if kinds[k] == 0 {
			t.Errorf("no %s event in %v", k, kinds)
		}
	}
}
