package main

import (
	"context"
	"encoding/json"
	"log"
	"sync/atomic"
	"time"

	"github.com/ainaukar/naukar/app/demo"
	"github.com/ainaukar/naukar/app/messaging"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/ui"
	"github.com/ainaukar/naukar/sync/protocol"
)

// shotWhatsApp is the real sender on the demo books, with the server's
// answer (connected, this month's count) given, since the shots have no
// server.
type shotWhatsApp struct {
	*syncapp.WhatsAppSender
	used atomic.Int64
}

func (w *shotWhatsApp) State(context.Context) syncapp.WhatsApp {
	return syncapp.WhatsApp{Connected: true, Known: true, Status: protocol.WAStatusResponse{Configured: true, Rate: 20,
		Used: int(w.used.Load()), Limit: 50, ResetsOn: time.Date(2026, 12, 1, 0, 0, 0, 0, time.FixedZone("IST", 19800))}}
}

func withWhatsApp(st *store.Store, opt *ui.Options) *shotWhatsApp {
	w := &shotWhatsApp{WhatsAppSender: &syncapp.WhatsAppSender{Store: st, Translate: ui.L}}
	w.used.Store(37)
	opt.WhatsApp = w
	return w
}

// whatsappShots: Parties → Reminder rule… with the shop's rule and its
// preview (a customer who replied STOP skipped, a reminder the month's
// quota stopped), and an invoice once the month's messages are used up.
func whatsappShots(a *ui.App, st *store.Store, wa *shotWhatsApp, do func(func()), snap func(string), hindi bool) {
	ctx := context.Background()
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	must(st.SetReminderRule(ctx, &messaging.DefaultRule))
	dues, err := st.WhatsAppDues(ctx)
	must(err)
	var reachable []messaging.Due
	for _, d := range dues {
		if _, err := messaging.Recipient(d.Name, d.Phone); err == nil {
			reachable = append(reachable, d)
		}
	}
	if len(reachable) < 3 {
		log.Fatalf("only %d customers with dues to remind", len(reachable))
	}
	// As sync brings them from the server: one customer replied STOP;
	// another's reminder went, one more's came back beyond the quota.
	at := demo.Today.Add(-26 * time.Hour)
	var changes []protocol.Change
	stop, _ := messaging.Recipient(reachable[1].Name, reachable[1].Phone)
	data, _ := json.Marshal(protocol.WAOptOut{Phone: stop, OptedOut: true, OptedOutAt: at.UTC().Format(time.RFC3339)})
	changes = append(changes, protocol.Change{Table: protocol.TableWAOptOuts, ID: protocol.WAOptOutID(stop), Op: protocol.OpUpsert, Data: data})
	for i, d := range reachable[2:4] {
		to, _ := messaging.Recipient(d.Name, d.Phone)
		m := protocol.WAMessage{Kind: protocol.WAKindReminder, To: to, PartyID: d.PartyID, PartyName: d.Name, Amount: d.Amount,
			ShopName: "Sharma General Stores", Requested: at.UTC().Format(time.RFC3339), Status: protocol.WASent,
			StatusAt: at.UTC().Format(time.RFC3339), Rule: messaging.DefaultRule.String()}
		if i == 1 {
			m.Status = protocol.WAFailed
			m.Quota = &protocol.QuotaInfo{Feature: "whatsapp", Limit: 50, ResetsOn: time.Date(2026, 12, 1, 0, 0, 0, 0, time.FixedZone("IST", 19800))}
			m.Error = "This month's 50 WhatsApp messages are used up."
		}
		data, _ := json.Marshal(m)
		changes = append(changes, protocol.Change{Table: protocol.TableWAMessages, ID: store.RuleReminderID(st.BusinessID(), d.PartyID, d.Since, 1, 0),
			Op: protocol.OpUpsert, Data: data})
	}
	for i := range changes {
		changes[i].Seq = int64(i + 1)
		changes[i].HLC = protocol.ServerStamp(at, 1).String()
		changes[i].DeviceID = protocol.ServerDevice
	}
	_, err = st.ApplyChanges(ctx, changes, int64(len(changes)))
	must(err)

	name := func(en, hi string) string {
		if hindi {
			return hi
		}
		return en
	}
	do(func() { a.Run(ui.ActParties) })
	time.Sleep(500 * time.Millisecond)
	var v *ui.RemindersView
	do(func() { v = a.OpenReminders() })
	time.Sleep(1500 * time.Millisecond)
	// The end of the list: the last customers reminded today, the one
	// who replied STOP, the reminders that went and the one the quota
	// stopped, picked, its reason under the list.
	do(func() { v.List.Select(len(v.Rows()) - 1) }) // the quota's refusal in full
	time.Sleep(500 * time.Millisecond)              // the words below take room from the list
	do(func() { v.List.ScrollToBottom() })
	snap(name("36-whatsapp-reminder-rule", "38-whatsapp-reminder-rule-hindi"))
	if hindi {
		return
	}
	do(func() { a.Run(ui.ActBilling) })
	wa.used.Store(50)
	do(func() { a.Run(ui.ActInvoices) })
	time.Sleep(800 * time.Millisecond)
	do(func() { a.Invoices.Open(0) })
	snap("37-whatsapp-invoice-quota-used-up")
}
