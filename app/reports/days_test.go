package reports_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// daysPeriods cover every document of the fixture: months, a quarter and
// both financial years.
var daysPeriods = []string{"072024", "082024", "042025", "052025", "062025", "Q2-2024-25", "2024-25", "2025-26"}

// sameWithDaySummaries checks that every report that reads the day
// summaries (and GSTR-3B and the HSN summary, which read the same
// documents) says the same, byte for byte, read from the summaries and
// read from every document.
func sameWithDaySummaries(t *testing.T, stage string, st *store.Store) {
	t.Helper()
	svc := reports.New(st)
	run := func(name string, p reports.Period) []byte {
		t.Helper()
		rep, err := svc.Run(context.Background(), name, reports.Query{Period: p})
		mustOK(t, err)
		var b bytes.Buffer
		mustOK(t, reports.WriteJSON(&b, rep))
		j, err := json.Marshal(rep.Return)
		mustOK(t, err)
		b.Write(j)
		w, err := json.Marshal(rep.Warnings)
		mustOK(t, err)
		b.Write(w)
		return b.Bytes()
	}
	for _, ps := range daysPeriods {
		p := period(t, ps)
		for _, name := range []string{"gstr1", "pnl", "gstr3b", "hsn"} {
			st.UseDaySummaries(false)
			want := run(name, p)
			st.UseDaySummaries(true)
			got := run(name, p)
			if !bytes.Equal(got, want) {
				t.Fatalf("%s: %s for %s from the day summaries differs:\n got %s\nwant %s", stage, name, ps, got, want)
			}
		}
	}
}

// summarise makes the missing day summaries and wants some made.
func summarise(t *testing.T, st *store.Store, stage string) {
	t.Helper()
	n, err := st.SummariseDays(context.Background())
	mustOK(t, err)
	if n == 0 {
		t.Fatalf("%s: no day summary made", stage)
	}
}

// TestReportsFromDaySummaries: GSTR-1 and profit and loss read from the
// day summaries are the reports read from every document, on the golden
// fixture's books; after new invoices, a cancellation and a return on
// days already summarised (whose summaries they make stale); and on
// another counter's books after the documents are pulled there, row by row
// and in bulk, before and after more of them arrive on summarised days.
func TestReportsFromDaySummaries(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	sameWithDaySummaries(t, "no summaries", f.st)
	summarise(t, f.st, "fixture")
	sameWithDaySummaries(t, "summarised", f.st)
	if n, err := f.st.SummariseDays(ctx); err != nil || n != 0 {
		t.Fatalf("summaries made again with nothing changed: %d %v", n, err)
	}
	muts, err := f.st.PendingMutations(100_000)
	mustOK(t, err)
	first := len(muts)

	// Changes to summarised days.
	sale := func(date, party string, lines map[string]int64) *books.Invoice {
		t.Helper()
		d := &books.SaleDraft{Date: day(t, date)}
		if party != "" {
			p := f.parties[party]
			d.Party = books.SnapshotOf(&p, p.ID)
		}
		for key, qty := range lines {
			p := f.products[key]
			d.Lines = append(d.Lines, books.DraftLine{ProductID: p.ID, Product: p, Qty: qty})
		}
		inv, err := f.st.CreateSale(ctx, d)
		mustOK(t, err)
		return inv
	}
	sale("2025-05-10", "", map[string]int64{"rice": 1000, "veg": 2000})
	sale("2024-08-09", "mehta", map[string]int64{"bottle": 3000})
	late := sale("2025-05-06", "ravi", map[string]int64{"laptop": 1000})
	_, err = f.st.CancelInvoice(ctx, f.invoices[2].Number, "wrong bill", day(t, "2024-07-15"))
	mustOK(t, err)
	_, err = f.st.CreateReturn(ctx, store.ReturnInput{Invoice: late.Number, Items: []books.ReturnLine{{Index: 0, Qty: 1000}},
		Date: day(t, "2025-05-06"), Reason: "returned", Restock: true})
	mustOK(t, err)
	sameWithDaySummaries(t, "after changes", f.st)
	summarise(t, f.st, "after changes")
	sameWithDaySummaries(t, "summarised again", f.st)

	// Another counter pulls the books, then more documents on days it has
	// summarised.
	changes := func(ms []protocol.Mutation, from int) []protocol.Change {
		var out []protocol.Change
		for i, m := range ms {
			op := m.Op
			if op == "" {
				op = protocol.OpInsert
			}
			out = append(out, protocol.Change{Seq: int64(from + i + 1), Table: m.Table, ID: m.ID, HLC: m.HLC, Op: op, Data: m.Data})
		}
		return out
	}
	muts, err = f.st.PendingMutations(100_000)
	mustOK(t, err)
	page1 := changes(muts[:first], 0)
	sale("2025-05-02", "", map[string]int64{"wrap": 4000})
	sale("2024-07-05", "reddy", map[string]int64{"rice": 1000})
	_, err = f.st.CancelInvoice(ctx, f.invoices[0].Number, "wrong bill", day(t, "2024-07-05"))
	mustOK(t, err)
	muts, err = f.st.PendingMutations(100_000)
	mustOK(t, err)
	page2 := changes(muts[first:], first)
	for _, bulkFrom := range []int{1, 1 << 30} {
		now := day(t, "2025-06-30").Add(10 * time.Hour)
		b, err := store.Open(filepath.Join(t.TempDir(), "counter.db"), store.Options{Now: func() time.Time { return now }, BulkFrom: bulkFrom})
		mustOK(t, err)
		t.Cleanup(func() { b.Close() })
		mustOK(t, b.JoinBusiness(f.st.BusinessID(), "B"))
		_, err = b.ApplyChanges(ctx, page1, 1)
		mustOK(t, err)
		mustOK(t, b.EndPull(ctx))
		summarise(t, b, "pulled")
		sameWithDaySummaries(t, "pulled", b)
		_, err = b.ApplyChanges(ctx, page2, 2)
		mustOK(t, err)
		mustOK(t, b.EndPull(ctx))
		sameWithDaySummaries(t, "pulled more", b)
		summarise(t, b, "pulled more")
		sameWithDaySummaries(t, "pulled more, summarised", b)
	}
}
