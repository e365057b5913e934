package ui_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/ui"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestInvoiceShowsPayLink: an invoice with a balance due whose payment
// link came from the server shows the link in its dialog; once paid, it
// does not.
func TestInvoiceShowsPayLink(t *testing.T) {
	h := demoHarness(t)
	ps, err := h.Books.ListParties("", 1)
	if err != nil || len(ps) == 0 {
		t.Fatalf("parties: %v %v", ps, err)
	}
	p, err := h.Books.Party(ps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	prod := h.product(0)
	inv, err := h.Books.CreateSale(context.Background(), &books.SaleDraft{Party: books.SnapshotOf(&p, ps[0].ID),
		Lines:    []books.DraftLine{{ProductID: prod.ID, Product: prod, Qty: 2000}},
		Payments: []books.PaymentPart{{Mode: books.ModeCash, Amount: 100}}})
	if err != nil || inv.Due() <= 0 {
		t.Fatalf("credit sale: %v (due %d)", err, inv.Due())
	}
	url := "https://rzp.io/i/Ab12Cd"
	apply := func(status string, counter int32) {
		data, _ := json.Marshal(protocol.PayLink{InvoiceID: inv.ID, Amount: inv.Due(), LinkID: "plink_9", ShortURL: url, Status: status})
		c := protocol.Change{Seq: int64(counter), Table: protocol.TablePayLinks, ID: inv.ID, Op: protocol.OpUpsert, Data: data,
			HLC: protocol.ServerStamp(demo.Today, counter).String(), DeviceID: protocol.ServerDevice}
		if _, err := h.Books.ApplyChanges(context.Background(), []protocol.Change{c}, int64(counter)); err != nil {
			t.Fatal(err)
		}
	}
	shown := func(done func(string) bool) string {
		h.press(ui.ActInvoices)
		h.settle("invoices listed", func() bool { return !h.App.Invoices.Loading() && len(h.App.Invoices.Rows()) > 0 })
		for i, r := range h.App.Invoices.Rows() {
			if r.Number == inv.Number {
				h.App.Invoices.Open(i)
			}
		}
		var text string
		h.settle("the invoice dialog", func() bool {
			top := h.Win.Canvas().Overlays().Top()
			if top == nil {
				return false
			}
			text = ""
			walk(top, func(o fyne.CanvasObject) {
				if l, ok := o.(*widget.Label); ok {
					text += l.Text + "\n"
				}
			})
			return done(text)
		})
		h.esc()
		return text
	}
	apply(protocol.PayLinkCreated, 1)
	if got := shown(func(s string) bool { return strings.Contains(s, "Pay online: ") }); !strings.Contains(got, "Pay online: "+url) {
		t.Fatalf("the dialog shows no link:\n%s", got)
	}
	// Paid in part at the counter: the link asks for the wrong amount now,
	// so it is offered no more.
	second, err := h.Books.CreateSale(context.Background(), &books.SaleDraft{Party: books.SnapshotOf(&p, ps[0].ID),
		Lines: []books.DraftLine{{ProductID: prod.ID, Product: prod, Qty: 1000}}, Payments: []books.PaymentPart{{Mode: books.ModeCash, Amount: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(protocol.PayLink{InvoiceID: second.ID, Amount: second.Due(), ShortURL: "https://rzp.io/i/Second", Status: protocol.PayLinkCreated})
	if _, err := h.Books.ApplyChanges(context.Background(), []protocol.Change{{Seq: 5, Table: protocol.TablePayLinks, ID: second.ID, Op: protocol.OpUpsert,
		Data: data, HLC: protocol.ServerStamp(demo.Today, 1).String(), DeviceID: protocol.ServerDevice}}, 5); err != nil {
		t.Fatal(err)
	}
	if got, err := h.Books.PayLinkURL(second.ID); err != nil || got != "https://rzp.io/i/Second" {
		t.Fatalf("second link: %q %v", got, err)
	}
	if _, err := h.Books.RecordPayment(context.Background(), books.Payment{Date: second.Date, Direction: books.PaymentIn, Party: second.Party,
		Mode: books.ModeCash, Amount: 100, InvoiceID: second.ID}); err != nil {
		t.Fatal(err)
	}
	if got, err := h.Books.PayLinkURL(second.ID); err != nil || got != "" {
		t.Fatalf("a link of an invoice paid in part elsewhere is still offered: %q %v", got, err)
	}

	apply(protocol.PayLinkPaid, 2)
	if got := shown(func(s string) bool { return strings.Contains(s, "Total") }); strings.Contains(got, "Pay online") {
		t.Fatalf("a paid link is still shown:\n%s", got)
	}
}
