package ui_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/messaging"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/ui"
	"github.com/ainaukar/naukar/sync/protocol"
)

// fakeWhatsApp queues like the real sender but checks the number with the
// real rule, so a bad phone asks for the right one.
type fakeWhatsApp struct {
	mu   sync.Mutex
	sent []string // number|to
}

func (f *fakeWhatsApp) SendInvoice(_ context.Context, number, to string) (syncapp.Outcome, error) {
	num, err := messaging.Recipient("Walk-in", to)
	if err != nil {
		return syncapp.Outcome{}, err
	}
	f.mu.Lock()
	f.sent = append(f.sent, number+"|"+num)
	f.mu.Unlock()
	m := store.WAMessage{ID: "m1", WAMessage: protocol.WAMessage{Kind: protocol.WAKindInvoice, To: num, InvoiceNumber: number}}
	return syncapp.Outcome{Message: &m, Note: "Queued on WhatsApp to " + num[2:] + ": it goes with the next sync."}, nil
}

func (f *fakeWhatsApp) Remind(context.Context, string) (syncapp.Outcome, error) {
	return syncapp.Outcome{}, books.Errorf(books.EINVALID, "not used")
}

func (f *fakeWhatsApp) RemindAll(context.Context) (store.RemindResult, error) {
	return store.RemindResult{}, nil
}

func (f *fakeWhatsApp) InvoiceStatus(context.Context, string) (string, error) { return "", nil }

// TestSendLastBillOnWhatsApp: right after a bill, the shortcut sends it on
// WhatsApp; without a usable phone the app says why and asks for the
// number, Enter sends it, and the status bar says it is queued.
func TestSendLastBillOnWhatsApp(t *testing.T) {
	path, err := demo.Cached(context.Background(), demo.Small, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	wa := &fakeWhatsApp{}
	h := newHarnessWith(t, path, func(*store.Store) ui.Options { return ui.Options{WhatsApp: wa} })
	last, err := h.Books.LastInvoice()
	if err != nil || last == "" {
		t.Fatalf("last invoice %q %v", last, err)
	}
	h.press(ui.ActWhatsAppLast)
	var phone *ui.Entry
	h.settle("the phone dialog", func() bool {
		if e, ok := h.Win.Canvas().Focused().(*ui.Entry); ok && strings.Contains(e.PlaceHolder, "10-digit") {
			phone = e
			return true
		}
		return false
	})
	test.Type(phone, "98765 43210")
	phone.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.settle("the send", func() bool { return strings.Contains(h.App.Status(), "Queued on WhatsApp to 9876543210") })
	wa.mu.Lock()
	defer wa.mu.Unlock()
	if len(wa.sent) != 1 || wa.sent[0] != last+"|919876543210" {
		t.Fatalf("sent %v", wa.sent)
	}
	if out := ui.LastWhatsApp(); out.Message == nil || out.Link != "" {
		t.Fatalf("outcome %+v", out)
	}
}
