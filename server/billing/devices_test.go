package billing_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/server/billing"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

func mustRefused(t *testing.T, err error, wants ...string) {
	t.Helper()
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != 403 || ae.Code != protocol.CodeForbidden {
		t.Fatalf("login: %v, want 403 forbidden", err)
	}
	for _, w := range wants {
		if !strings.Contains(ae.Message, w) {
			t.Errorf("message %q does not say %q", ae.Message, w)
		}
	}
}

// TestDeviceLimitAtLogin: the plan's device count stops new sign-ins with
// a message naming the devices and the ways forward; revoking one or a
// bigger plan lets the next in; a lapse past grace lowers the limit but
// never stops a device already signed in from syncing.
func TestDeviceLimitAtLogin(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			e := newEnv(t, st.Open, billing.Config{})
			s := e.signup()
			second, err := e.login(s, "Billing desk")
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.login(s, "Godown phone")
			mustRefused(t, err, "The Free plan allows 2 devices and 2 are signed in", "“Counter 1” (series", "“Billing desk”",
				"Devices → Revoke", "Settings → Plan")
			// The password was right each time: trying again is no guessing
			// and is never throttled.
			for range 4 {
				_, err = e.login(s, "Godown phone")
				mustRefused(t, err, "The Free plan allows 2 devices")
			}

			if err := e.c.RevokeDevice(ctx, s.token, second.DeviceID); err != nil {
				t.Fatal(err)
			}
			if _, err := e.login(s, "Godown phone"); err != nil {
				t.Fatalf("after a revoke: %v", err)
			}

			e.setPlan(s, plans.State{Plan: "pro", Status: plans.StatusActive, CurrentEnd: e.now().Add(30 * 24 * time.Hour)})
			var tokens []string
			for _, name := range []string{"Till 3", "Till 4", "Till 5"} {
				l, err := e.login(s, name)
				if err != nil {
					t.Fatalf("pro, %s: %v", name, err)
				}
				tokens = append(tokens, l.Token)
			}
			_, err = e.login(s, "Till 6")
			mustRefused(t, err, "The Pro plan allows 5 devices and 5 are signed in")

			// Halted, and past the grace period: free limits again.
			e.setPlan(s, plans.State{Plan: "pro", Status: plans.StatusHalted, CurrentEnd: e.now(), ChangedAt: e.now()})
			e.set(e.now().Add(8 * 24 * time.Hour))
			_, err = e.login(s, "Till 6")
			mustRefused(t, err, "The Free plan allows 2 devices and 5 are signed in")
			for _, tok := range append(tokens, s.token) {
				if _, err := e.c.Pull(ctx, tok, 0, 10); err != nil {
					t.Errorf("a device signed in before the fallback cannot pull: %v", err)
				}
			}
			got := e.status(s)
			if got.Plan != "free" || got.Subscribed != "pro" || got.Status != "halted" || got.Limits.Devices != 2 || got.Used.Devices != 5 {
				t.Errorf("billing status %+v", got)
			}
		})
	}
}

// TestDeviceLimitConcurrentLogins: logins racing for the last place get
// exactly one.
func TestDeviceLimitConcurrentLogins(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			// Logins racing for the last device place are the test, so more
			// than the default two may be in flight (and unresolved) at once.
			policy := core.DefaultLoginPolicy
			policy.InFlightPerLogin, policy.InFlightPerIP, policy.PairFree = 16, 16, 16
			e := newEnv(t, st.Open, billing.Config{}, policy)
			s := e.signup()
			var wg sync.WaitGroup
			var mu sync.Mutex
			ok, refused := 0, 0
			for range 6 {
				wg.Go(func() {
					_, err := e.login(s, "Racer")
					mu.Lock()
					defer mu.Unlock()
					var ae *client.APIError
					switch {
					case err == nil:
						ok++
					case errors.As(err, &ae) && ae.Code == protocol.CodeForbidden:
						refused++
					default:
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if ok != 1 || refused != 5 {
				t.Errorf("%d logins in, %d refused; want 1 and 5", ok, refused)
			}
		})
	}
}

// TestIdleDeviceFreesItsPlace: a device unseen for longer than the idle
// limit (90 days) no longer counts against the plan: the next login signs
// it out and takes its place, while the device in use stays signed in.
func TestIdleDeviceFreesItsPlace(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			e := newEnv(t, st.Open, billing.Config{})
			s := e.signup()
			if _, err := e.login(s, "Old laptop"); err != nil {
				t.Fatal(err)
			}
			_, err := e.login(s, "Godown phone")
			mustRefused(t, err, "The Free plan allows 2 devices and 2 are signed in")
			for _, days := range []int{45, 46} { // days 45 and 91: the counter syncs; the laptop is gone
				e.set(e.now().Add(time.Duration(days) * 24 * time.Hour))
				if _, err := e.c.Pull(ctx, s.token, 0, 10); err != nil {
					t.Fatalf("day %d: %v", days, err)
				}
			}
			if _, err := e.login(s, "Godown phone"); err != nil {
				t.Fatalf("after the laptop's 90 idle days: %v", err)
			}
			if _, err := e.c.Pull(ctx, s.token, 0, 10); err != nil {
				t.Fatalf("the counter in use: %v", err)
			}
		})
	}
}
