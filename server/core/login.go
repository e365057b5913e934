package core

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// LoginPolicy decides when a login attempt may go ahead. Every attempt is
// recorded before its password is checked (so a burst sent at once is
// counted as it arrives, not after bcrypt), keyed by the login as typed and
// the client address; the account's existence plays no part, so the
// answers for known and unknown accounts are the same.
//
//   - Per (login, address): the first PairFree failures within Window are
//     free; after that each attempt waits BaseDelay doubled for every
//     further failure, up to MaxDelay. A wrong password from one address
//     never slows the owner down at another.
//   - Per login, over all addresses: more than PerLogin failures within
//     Window stop attempts from addresses the account has not signed in
//     from in the last KnownFor (a guessing network cannot lock the owner
//     out of the counter PC).
//   - Per address, over all logins: more than PerIP failures within Window
//     stop attempts for logins that have not succeeded from that address
//     (one guesser behind a shop's NAT does not lock out its staff).
//   - In flight: at most InFlightPerLogin attempts of one login and
//     InFlightPerIP of one address are checked at the same time.
type LoginPolicy struct {
	PairFree         int
	BaseDelay        time.Duration
	MaxDelay         time.Duration
	PerLogin         int
	PerIP            int
	Window           time.Duration
	KnownFor         time.Duration
	InFlightPerLogin int
	InFlightPerIP    int
	// Pending is how long an attempt may stay unresolved (its request
	// still checking the password) before it counts as not in flight.
	Pending time.Duration
}

// DefaultLoginPolicy: 3 free failures per login and address, then 1 s,
// 2 s, 4 s ... up to 15 minutes between attempts; 50 failures per login or
// per address in an hour close it to unknown addresses; 2 attempts of a
// login and 8 of an address in flight.
var DefaultLoginPolicy = LoginPolicy{
	PairFree: 3, BaseDelay: time.Second, MaxDelay: 15 * time.Minute,
	PerLogin: 50, PerIP: 50, Window: time.Hour, KnownFor: 30 * 24 * time.Hour,
	InFlightPerLogin: 2, InFlightPerIP: 8, Pending: 30 * time.Second,
}

// LoginStats is what the store counts for one attempt, under a lock that
// makes the count and the recording of the attempt one step.
type LoginStats struct {
	PairFailures  int       // failures (and unresolved attempts) of this login from this address in the window
	PairLast      time.Time // the newest of them
	LoginFailures int       // of this login from any address in the window
	LoginOldest   time.Time
	IPFailures    int // of any login from this address in the window
	IPOldest      time.Time
	KnownAddress  bool // this login succeeded from this address within KnownFor
	LoginInFlight int  // attempts of this login being checked now
	IPInFlight    int  // attempts from this address being checked now
}

// Wait returns how long the attempt must wait (0: go ahead).
func (p LoginPolicy) Wait(s LoginStats, now time.Time) time.Duration {
	var wait time.Duration
	later := func(t time.Time) {
		if d := t.Sub(now); d > wait {
			wait = d
		}
	}
	if s.PairFailures >= p.PairFree {
		later(s.PairLast.Add(p.Delay(s.PairFailures)))
	}
	if !s.KnownAddress {
		if s.LoginFailures >= p.PerLogin {
			later(s.LoginOldest.Add(p.Window))
		}
		if s.IPFailures >= p.PerIP {
			later(s.IPOldest.Add(p.Window))
		}
	}
	if wait <= 0 && (s.LoginInFlight >= p.InFlightPerLogin || s.IPInFlight >= p.InFlightPerIP) {
		wait = time.Second
	}
	return wait
}

// Delay is the wait after the given number of failures of one login from
// one address: none for the free ones, then doubling up to MaxDelay.
func (p LoginPolicy) Delay(failures int) time.Duration {
	if failures < p.PairFree {
		return 0
	}
	d := p.BaseDelay
	for range failures - p.PairFree {
		d *= 2
		if d >= p.MaxDelay {
			return p.MaxDelay
		}
	}
	return min(d, p.MaxDelay)
}

// LoginKey is the stored form of a login as typed (normalised): a hash, so
// that the attempts table never holds an email or phone number, or a
// password typed into the login field by mistake.
func LoginKey(login string) string {
	h := sha256.Sum256([]byte("login:" + login))
	return hex.EncodeToString(h[:16])
}

// LoginAttempt is one attempt to record.
type LoginAttempt struct {
	LoginKey string
	IP       string
	At       time.Time
}

// Outcomes of a login attempt (EndLogin).
const (
	LoginFailed    = 1
	LoginSucceeded = 2
)
