package ui

import (
	"context"
	"errors"
	"reflect"
	"runtime/debug"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/messaging"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
)

// Telemetry hears which features are used and what went wrong
// (syncapp.Telemetry, which cleans and sends them; Settings → Privacy
// shows exactly what waits to go).
type Telemetry interface {
	Use(feature string)
	Error(err error, stack string)
	Panic(r any, stack string, fatal bool)
}

// used counts a use of a feature (one of syncapp.Features): the one
// place every screen counts through.
func (a *App) used(feature string) {
	if a.opt.Telemetry != nil {
		a.opt.Telemetry.Use(feature)
	}
}

// failed reports an error an operation met and the shopkeeper was told
// of, with the stack of where it was reported. The shopkeeper's own
// mistakes (a wrong value, something not found, a role's refusal) are
// not the app's errors and are not reported; an error is reported once.
func (a *App) failed(err error) {
	if a.opt.Telemetry == nil || !reportable(err) || same(err, a.lastFailed) {
		return
	}
	a.lastFailed = err
	a.opt.Telemetry.Error(err, string(debug.Stack()))
}

// same reports whether two errors are the one value (errors of a type
// that cannot be compared, such as books.Problems, never are).
func same(a, b error) bool {
	if a == nil || b == nil || !reflect.TypeOf(a).Comparable() || reflect.TypeOf(a) != reflect.TypeOf(b) {
		return false
	}
	return a == b
}

// reportable: err is the app's own failure, not the shopkeeper's mistake
// (a wrong value, something not found, a role's refusal) nor a stop they
// asked for, nor a panic (reported with its own stack when recovered).
func reportable(err error) bool {
	if err == nil || err == errPanicked || errors.Is(err, context.Canceled) {
		return false
	}
	switch books.ErrorCode(err) {
	case books.EINVALID, books.ENOTFOUND, books.EFORBIDDEN:
		return false
	}
	return true
}

// errPanicked is what an operation that panicked returns: the shopkeeper
// is told, the panic was reported where it was recovered.
var errPanicked = books.Errorf(books.EINTERNAL, "Something went wrong inside the app and it has been noted. Please try again; the books are safe.")

// safely runs work, turning a panic into errPanicked after reporting it.
func (a *App) safely(work func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if a.opt.Telemetry != nil {
				a.opt.Telemetry.Panic(r, string(debug.Stack()), false)
			}
			err = errPanicked
		}
	}()
	return work()
}

// usedWhatsApp counts the sends of a WhatsApp sender that went (or were
// queued) as whatsapp.send and reminder.send.
type usedWhatsApp struct {
	WhatsApp
	use func(string)
}

func (w usedWhatsApp) SendInvoice(ctx context.Context, number, to string) (syncapp.Outcome, error) {
	out, err := w.WhatsApp.SendInvoice(ctx, number, to)
	if err == nil {
		w.use("whatsapp.send")
	}
	return out, err
}

func (w usedWhatsApp) Remind(ctx context.Context, party string) (syncapp.Outcome, error) {
	out, err := w.WhatsApp.Remind(ctx, party)
	if err == nil {
		w.use("reminder.send")
	}
	return out, err
}

func (w usedWhatsApp) RemindAll(ctx context.Context) (store.RemindResult, error) {
	res, err := w.WhatsApp.RemindAll(ctx)
	if err == nil {
		w.use("reminder.send")
	}
	return res, err
}

func (w usedWhatsApp) RemindByRule(ctx context.Context, r messaging.Rule) (store.RemindResult, error) {
	res, err := w.WhatsApp.RemindByRule(ctx, r)
	if err == nil {
		w.use("reminder.send")
	}
	return res, err
}
