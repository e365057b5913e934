package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/staff"
)

// staffMessage says a staff error (a wrong PIN, a lock after wrong PINs,
// a refusal by role) in the counter's language; in English it reads
// exactly as the error itself (TestStaffMessagesInEnglish). ok is false
// for other errors.
func staffMessage(err error) (msg string, ok bool) {
	var wrong *staff.ErrWrongPIN
	var locked *staff.ErrLocked
	var denied *staff.Denied
	switch {
	case errors.As(err, &wrong):
		if wrong.Left <= 0 {
			return fmt.Sprintf(L("Wrong PIN for %s."), wrong.Name), true
		}
		return fmt.Sprintf(L("Wrong PIN for %s: %d more tries before a %d-minute lock."), wrong.Name, wrong.Left, int(staff.LockFor/time.Minute)), true
	case errors.As(err, &locked):
		return fmt.Sprintf(L("Too many wrong PINs for %s: try again after %s, or ask the owner."), locked.Name, locked.Until.Local().Format("15:04")), true
	case errors.As(err, &denied):
		return deniedText(denied), true
	}
	return "", false
}

func lowerL(s string) string { return strings.ToLower(L(s)) }

// deniedText is staff.Denied's message in the counter's language.
func deniedText(e *staff.Denied) string {
	min := staff.MinRole(e.Action)
	what, need := lowerL(e.Action.Label()), lowerL(min.Label())
	if !e.Role.Valid() {
		return fmt.Sprintf(L("Sign in first: %s needs a %s."), what, need)
	}
	who := fmt.Sprintf(L("A %s"), lowerL(e.Role.Label()))
	if e.Name != "" {
		who = e.Name + " (" + lowerL(e.Role.Label()) + ")"
	}
	switch {
	case min == staff.Manager && staff.Overridable(e.Action):
		return fmt.Sprintf(L("%s may not do this: %s needs a %s or the owner; a manager can approve it with their PIN."), who, what, need)
	case min == staff.Manager:
		return fmt.Sprintf(L("%s may not do this: %s needs a %s or the owner."), who, what, need)
	case staff.Overridable(e.Action):
		return fmt.Sprintf(L("%s may not do this: %s needs a %s; a manager can approve it with their PIN."), who, what, need)
	}
	return fmt.Sprintf(L("%s may not do this: %s needs a %s."), who, what, need)
}
