package syncapp_test

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/server/api"
	srvstore "github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

var ctx = context.Background()

// faulty is a transport that can lose the response of the next request
// after the server handled it, or send a request twice.
type faulty struct {
	base      http.RoundTripper
	dropNext  atomic.Bool
	dupNext   atomic.Bool
	delivered atomic.Int64
}

var errDropped = errors.New("connection reset (simulated)")

func (f *faulty) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.dupNext.Swap(false) && r.Body != nil && r.GetBody != nil {
		body, _ := r.GetBody()
		r2 := r.Clone(r.Context())
		r2.Body = body
		if resp, err := f.base.RoundTrip(r2); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	resp, err := f.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	f.delivered.Add(1)
	if f.dropNext.Swap(false) {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, errDropped
	}
	return resp, nil
}

// clock is a shared virtual wall clock; each device reads it with a skew.
type clock struct {
	mu  gosync.Mutex
	now time.Time
}

func (c *clock) tick() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(1700 * time.Millisecond)
	return c.now
}

type device struct {
	name  string
	path  string
	skew  time.Duration
	s     *store.Store
	eng   *client.Engine
	tr    *faulty
	token string
	devID string
}

type world struct {
	t       failer
	srv     *testServer
	clk     *clock
	devs    []*device
	issued  map[string]string // invoice id -> data as issued
	server  string
	baseURL string
}

// swapHandler lets a test replace the server behind one URL (a restore).
type swapHandler struct{ h atomic.Pointer[http.Handler] }

func (s *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.h.Load()).ServeHTTP(w, r)
}

type testServer struct {
	*httptest.Server
	dir  string
	db   *srvstore.DB
	now  func() time.Time
	swap *swapHandler
}

func (ts *testServer) start(t testing.TB) {
	_, server, err := templates()
	if err != nil {
		t.Fatal(err)
	}
	fromTemplate(t, server, filepath.Join(ts.dir, srvstore.SQLiteFile))
	db, err := srvstore.OpenSQLite(ctx, ts.dir)
	if err != nil {
		t.Fatal(err)
	}
	ts.db = db
	var h http.Handler = api.New(api.Config{Store: db, BcryptCost: 4, Now: ts.now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ts.swap.h.Store(&h)
}

func newServer(t testing.TB, now func() time.Time) *testServer {
	ts := &testServer{dir: t.TempDir(), now: now, swap: &swapHandler{}}
	ts.start(t)
	ts.Server = httptest.NewServer(ts.swap)
	t.Cleanup(func() { ts.Server.Close(); ts.db.Close() })
	return ts
}

func (w *world) open(d *device) {
	books, _, err := templates()
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	fromTemplate(w.t, books, d.path)
	s, err := store.Open(d.path, store.Options{Now: func() time.Time { return w.clk.tick().Add(d.skew) }, PINParams: &staff.TestParams})
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	d.s = s
	d.eng = &client.Engine{Local: s, Client: client.NewClient(w.baseURL, client.WithHTTPClient(&http.Client{Transport: d.tr}), client.WithRetries(0, 0, 0)),
		Token: d.token, DeviceID: d.devID, BatchSize: 7, PageSize: 11}
}

// kill closes a device's books abruptly (as if the app was killed after a
// local commit) and opens them again.
func (w *world) kill(d *device) {
	d.s.Close()
	w.open(d)
}

// failer is where failures go: a *rapid.T inside the property (so rapid
// shrinks and prints the seed), else the *testing.T.
type failer interface {
	Helper()
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
}

// signup signs the test owner (ravi@example.com, password "correct horse")
// up on the server at url, with a business called business.
func signup(url, business string) error {
	_, err := client.NewClient(url).Signup(ctx, protocol.SignupRequest{
		Owner:    protocol.SignupOwner{Name: "Ravi", Email: "ravi@example.com", Phone: "9876543210", Password: "correct horse"},
		Business: protocol.SignupBusiness{Name: business, StateCode: "27"}, AgeConfirmed: true, TermsAccepted: true})
	return err
}

func setupWorld(t *testing.T, f failer, n int, skews []time.Duration) *world {
	clk := &clock{now: time.Date(2026, 10, 5, 9, 0, 0, 0, time.Local)}
	w := &world{t: f, clk: clk, issued: map[string]string{}}
	w.srv = newServer(t, func() time.Time { clk.mu.Lock(); defer clk.mu.Unlock(); return clk.now })
	w.baseURL = w.srv.URL
	if err := signup(w.baseURL, "Sharma Stores"); err != nil {
		f.Fatalf("%v", err)
	}
	dir := t.TempDir()
	for i := 0; i < n; i++ {
		d := &device{name: fmt.Sprintf("Counter %d", i+1), path: filepath.Join(dir, fmt.Sprintf("d%d.db", i)), skew: skews[i%len(skews)], tr: &faulty{base: http.DefaultTransport}}
		w.open(d)
		if i == 0 {
			if _, err := d.s.Init(books.Business{Name: "Sharma Stores", StateCode: "27", GSTIN: "27AAPFU0939F1ZV"}); err != nil {
				f.Fatalf("%v", err)
			}
			for j, name := range []string{"Tata Salt", "Amul Butter", "Parle G", "Surf Excel"} {
				if _, err := d.s.SaveProduct(books.Product{Name: name, SKU: fmt.Sprintf("P%d", j), Unit: "NOS", SalePrice: int64(1000 * (j + 1)), GSTRate: 500, OpeningStock: 50000}); err != nil {
					f.Fatalf("%v", err)
				}
			}
			if _, err := d.s.SaveParty(books.Party{Name: "Meena", Phone: "9123456780"}); err != nil {
				f.Fatalf("%v", err)
			}
		}
		res, err := syncapp.Login(ctx, d.s, w.baseURL, "ravi@example.com", "correct horse", d.name)
		if err != nil {
			f.Fatalf("login %s: %v", d.name, err)
		}
		d.devID, _ = d.s.Meta(client.MetaDeviceID)
		d.token, _ = syncapp.TokenStore{BooksPath: d.path}.Load()
		d.eng.Token, d.eng.DeviceID = d.token, d.devID
		if i == 0 && !res.Uploading || i > 0 && !res.Joining {
			f.Fatalf("%s: login result %+v", d.name, res)
		}
		if _, err := d.eng.Round(ctx); err != nil {
			f.Fatalf("first sync of %s: %v", d.name, err)
		}
		w.devs = append(w.devs, d)
	}
	return w
}

func liveProducts(t failer, s *store.Store) []books.Product {
	hits, err := s.ListProducts(store.ProductFilter{Limit: 100})
	if err != nil {
		t.Fatalf("%v", err)
	}
	out := make([]books.Product, 0, len(hits))
	for _, h := range hits {
		p, err := s.Product(h.ID)
		if err != nil {
			t.Fatalf("%v", err)
		}
		out = append(out, p)
	}
	return out
}

func (w *world) syncAll(t failer) {
	for round := 0; round < 2; round++ {
		for _, d := range w.devs {
			if _, err := d.eng.Round(ctx); err != nil {
				t.Fatalf("final sync of %s: %v", d.name, err)
			}
		}
	}
}

// dump returns the synced tables of a replica as text, row by row.
func dump(t failer, path string) string {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatalf("%v", err)
	}
	defer db.Close()
	var b strings.Builder
	for _, tb := range []string{"business", "products", "parties", "expense_categories"} {
		rows, err := db.Query(`SELECT id, business_id, hlc, field_hlc, deleted, data FROM ` + tb + ` ORDER BY id`)
		if err != nil {
			t.Fatalf("%v", err)
		}
		for rows.Next() {
			var id, bid, hlc, fh, data string
			var del int
			rows.Scan(&id, &bid, &hlc, &fh, &del, &data)
			fmt.Fprintf(&b, "%s|%s|%s|%s|%s|%d|%s\n", tb, id, bid, hlc, fh, del, data)
		}
		rows.Close()
	}
	for _, tb := range []string{"invoices", "credit_notes", "payments", "cancellations", "stock_adjustments"} {
		rows, err := db.Query(`SELECT id, business_id, hlc, data FROM ` + tb + ` ORDER BY id`)
		if err != nil {
			t.Fatalf("%v", err)
		}
		for rows.Next() {
			var id, bid, hlc, data string
			rows.Scan(&id, &bid, &hlc, &data)
			fmt.Fprintf(&b, "%s|%s|%s|%s|%s\n", tb, id, bid, hlc, data)
		}
		rows.Close()
	}
	// Derived state must agree too.
	// Stock is stock_levels plus the effects not yet folded; stock_days
	// (per day in and out) must sum to the same.
	rows, err := db.Query(`SELECT p.id, p.opening_stock + coalesce(l.qty, 0) + coalesce(pend.q, 0),
		p.opening_stock + coalesce((SELECT sum(qty_in - qty_out) FROM stock_days sd WHERE sd.product_id = p.id), 0) + coalesce(pend.q, 0),
		p.opening_stock + coalesce((SELECT sum(stock_delta) FROM doc_lines d WHERE d.product_id = p.id AND d.cancelled = 0), 0)
		FROM products p LEFT JOIN stock_levels l ON l.product_id = p.id
		LEFT JOIN (SELECT product_id, sum(qty_in - qty_out) AS q FROM stock_pending GROUP BY product_id) pend ON pend.product_id = p.id
		ORDER BY p.id`)
	if err != nil {
		t.Fatalf("%v", err)
	}
	for rows.Next() {
		var id string
		var st, days, sum int64
		rows.Scan(&id, &st, &days, &sum)
		if st != sum || days != sum {
			t.Errorf("%s: stock %d (by day %d) but the documents sum to %d", id, st, days, sum)
		}
		fmt.Fprintf(&b, "stock|%s|%d\n", id, st)
	}
	rows.Close()
	return b.String()
}

func (w *world) check(t failer) {
	w.syncAll(t)
	first := dump(t, w.devs[0].path)
	for _, d := range w.devs[1:] {
		if got := dump(t, d.path); got != first {
			t.Fatalf("replica %s differs from %s:\n%s", d.name, w.devs[0].name, diff(first, got))
		}
	}
	db, err := sql.Open("sqlite", "file:"+w.devs[0].path+"?mode=ro")
	if err != nil {
		t.Fatalf("%v", err)
	}
	defer db.Close()
	var dups int
	if err := db.QueryRow(`SELECT count(*) FROM (SELECT series, fy, seq FROM invoices GROUP BY 1, 2, 3 HAVING count(*) > 1)`).Scan(&dups); err != nil {
		t.Fatalf("%v", err)
	}
	if dups > 0 {
		t.Fatalf("%d invoice numbers used twice", dups)
	}
	// Every issued invoice is present exactly once and unchanged.
	for id, data := range w.issued {
		var got string
		if err := db.QueryRow(`SELECT data FROM invoices WHERE id = ?`, id).Scan(&got); err != nil {
			t.Fatalf("invoice %s lost: %v", id, err)
		}
		if got != data {
			t.Fatalf("invoice %s changed:\n%s\n%s", id, data, got)
		}
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM invoices`).Scan(&n)
	if n != len(w.issued) {
		t.Fatalf("%d invoices on the replicas, %d issued", n, len(w.issued))
	}
	for _, d := range w.devs {
		if p, _ := d.s.PendingCount(); p != 0 {
			t.Fatalf("%s still has %d changes waiting", d.name, p)
		}
	}
}

func diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "- "+x, "+ "+y)
		}
		if len(out) > 12 {
			break
		}
	}
	return strings.Join(out, "\n")
}

func invoiceData(t failer, path, id string) string {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatalf("%v", err)
	}
	defer db.Close()
	var data string
	if err := db.QueryRow(`SELECT data FROM invoices WHERE id = ?`, id).Scan(&data); err != nil {
		t.Fatalf("%v", err)
	}
	return data
}

// TestSyncSimulation has several devices make random offline changes —
// sales of the same products, edits of the same product, deletes, returns,
// payments, cancellations — and sync in random orders with lost responses,
// repeated pushes, kills after local commits and skewed clocks. After
// everyone syncs, all replicas must hold byte-identical books.
func TestSyncSimulation(t *testing.T) {
	if f := flag.Lookup("rapid.checks"); f != nil && f.Value.String() == "100" {
		f.Value.Set("12") // CI budget; raise with -rapid.checks=N, replay with -rapid.seed=S
	}
	rapid.Check(t, func(rt *rapid.T) {
		w := setupWorld(t, rt, 3, []time.Duration{0, 90 * time.Second, -2 * time.Minute})
		defer func() {
			for _, d := range w.devs {
				d.s.Close()
			}
		}()
		steps := rapid.IntRange(5, 40).Draw(rt, "steps")
		for i := 0; i < steps; i++ {
			d := w.devs[rapid.IntRange(0, len(w.devs)-1).Draw(rt, "device")]
			switch rapid.IntRange(0, 9).Draw(rt, "action") {
			case 0, 1, 2: // sell
				ps := liveProducts(rt, d.s)
				if len(ps) == 0 {
					continue
				}
				draft := &books.SaleDraft{}
				for j := rapid.IntRange(1, 3).Draw(rt, "lines"); j > 0; j-- {
					p := ps[rapid.IntRange(0, len(ps)-1).Draw(rt, "product")]
					draft.Lines = append(draft.Lines, books.DraftLine{ProductID: p.ID, Product: p, Qty: int64(rapid.IntRange(1, 5).Draw(rt, "qty")) * 1000})
				}
				if rapid.Bool().Draw(rt, "party") {
					draft.Party = &books.PartySnapshot{Name: "Meena", Phone: "9123456780"}
					draft.Payments = []books.PaymentPart{{Mode: "upi", Amount: 100}}
				}
				inv, err := d.s.CreateSale(ctx, draft)
				if err != nil {
					rt.Fatalf("sale on %s: %v", d.name, err)
				}
				w.issued[inv.ID] = invoiceData(rt, d.path, inv.ID)
			case 3: // edit a product field
				ps := liveProducts(rt, d.s)
				if len(ps) == 0 {
					continue
				}
				p := ps[rapid.IntRange(0, len(ps)-1).Draw(rt, "product")]
				switch rapid.IntRange(0, 2).Draw(rt, "field") {
				case 0:
					p.SalePrice += int64(rapid.IntRange(1, 500).Draw(rt, "delta"))
				case 1:
					p.Name = p.Name + " " + d.name[len(d.name)-1:]
				case 2:
					p.ReorderLevel = int64(rapid.IntRange(0, 20).Draw(rt, "reorder")) * 1000
				}
				if _, err := d.s.SaveProduct(p); err != nil {
					rt.Fatalf("edit on %s: %v", d.name, err)
				}
			case 4: // delete a product (rarely)
				if !rapid.Bool().Draw(rt, "reallyDelete") {
					continue
				}
				ps := liveProducts(rt, d.s)
				if len(ps) <= 2 {
					continue
				}
				if err := d.s.DeleteProduct(ps[rapid.IntRange(0, len(ps)-1).Draw(rt, "product")].ID); err != nil {
					rt.Fatalf("%v", err)
				}
			case 5: // return or cancel one of the invoices this device sees
				rows, err := d.s.ListInvoices(store.InvoiceFilter{Limit: 50})
				if err != nil || len(rows) == 0 {
					continue
				}
				r := rows[rapid.IntRange(0, len(rows)-1).Draw(rt, "invoice")]
				if r.Cancelled {
					continue
				}
				if rapid.Bool().Draw(rt, "cancel") {
					_, err = d.s.CancelInvoice(ctx, r.Number, "simulated", time.Time{})
				} else {
					_, err = d.s.CreateReturn(ctx, store.ReturnInput{Invoice: r.ID, Items: []books.ReturnLine{{Index: 0, Qty: 1000}}, Restock: true, Refunds: []books.PaymentPart{{Mode: "cash", Amount: 1}}})
				}
				if err != nil && books.ErrorCode(err) == books.EINTERNAL {
					rt.Fatalf("return/cancel on %s: %v", d.name, err)
				}
			case 6: // payment in
				p, err := d.s.FindParty("9123456780")
				if err != nil {
					continue
				}
				if _, err := d.s.RecordPayment(ctx, books.Payment{Direction: books.PaymentIn, Party: &books.PartySnapshot{ID: p.ID}, Mode: "cash", Amount: 500}); err != nil {
					rt.Fatalf("%v", err)
				}
			case 7, 8: // sync, sometimes with a fault
				switch rapid.IntRange(0, 3).Draw(rt, "fault") {
				case 1:
					d.tr.dropNext.Store(true)
				case 2:
					d.tr.dupNext.Store(true)
				}
				if _, err := d.eng.Round(ctx); err != nil && !errors.Is(err, errDropped) && !strings.Contains(err.Error(), "simulated") {
					rt.Fatalf("sync of %s: %v", d.name, err)
				}
			case 9: // killed after a local commit, before any push
				w.kill(d)
			}
		}
		w.check(rt)
	})
}

// TestFarClockRefused checks a PC whose clock is far ahead cannot poison the
// others: its push is refused with a plain message and its bills stay queued.
func TestFarClockRefused(t *testing.T) {
	w := setupWorld(t, t, 2, []time.Duration{0, 0})
	d := w.devs[1]
	d.s.Close()
	d.skew = 3 * time.Hour
	w.open(d)
	ps := liveProducts(t, d.s)
	if _, err := d.s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{{ProductID: ps[0].ID, Product: ps[0], Qty: 1000}}}); err != nil {
		t.Fatalf("%v", err)
	}
	_, err := d.eng.Round(ctx)
	if err == nil || !strings.Contains(client.Explain(err), "date and time") {
		t.Fatalf("got %v (%s)", err, client.Explain(err))
	}
	if n, _ := d.s.PendingCount(); n != 1 {
		t.Fatalf("pending %d", n)
	}
	st, _ := syncapp.Status(d.s)
	if !strings.Contains(st.Error, "date and time") {
		t.Fatalf("status %+v", st)
	}
	for _, x := range w.devs {
		x.s.Close()
	}
}

// TestServerRestore restores the server from an older backup: the epoch
// changes, devices notice, queue their books again and converge with
// nothing lost, though the restored server forgot recent changes.
func TestServerRestore(t *testing.T) {
	w := setupWorld(t, t, 2, []time.Duration{0, 30 * time.Second})
	defer func() {
		for _, d := range w.devs {
			d.s.Close()
		}
	}()
	sell := func(d *device) {
		ps := liveProducts(t, d.s)
		inv, err := d.s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{{ProductID: ps[0].ID, Product: ps[0], Qty: 1000}}})
		if err != nil {
			t.Fatal(err)
		}
		w.issued[inv.ID] = invoiceData(t, d.path, inv.ID)
	}
	sell(w.devs[0])
	w.syncAll(t)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := w.srv.db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	// Work the restored server will not know about.
	sell(w.devs[0])
	sell(w.devs[1])
	p := liveProducts(t, w.devs[1].s)[1]
	p.SalePrice = 77700
	if _, err := w.devs[1].s.SaveProduct(p); err != nil {
		t.Fatal(err)
	}
	w.syncAll(t)
	oldEpoch, _ := w.devs[0].s.Meta(client.MetaEpoch)

	w.srv.db.Close()
	if _, err := srvstore.RestoreSQLite(ctx, w.srv.dir, backup); err != nil {
		t.Fatal(err)
	}
	w.srv.start(t)

	sell(w.devs[1]) // made while the server was being restored
	w.check(t)
	newEpoch, _ := w.devs[0].s.Meta(client.MetaEpoch)
	if newEpoch == oldEpoch || newEpoch == "" {
		t.Fatalf("epoch %q → %q", oldEpoch, newEpoch)
	}
	got, err := w.devs[0].s.Product(p.ID)
	if err != nil || got.SalePrice != 77700 {
		t.Fatalf("price edit lost in the restore: %+v %v", got, err)
	}
}

// TestRunnerSyncsInBackground starts the background runner on a signed-in
// device, saves a bill, kicks, and sees it reach the other device.
func TestRunnerSyncsInBackground(t *testing.T) {
	w := setupWorld(t, t, 2, []time.Duration{0, 0})
	defer func() {
		for _, d := range w.devs {
			d.s.Close()
		}
	}()
	a, b := w.devs[0], w.devs[1]
	t.Setenv("NAUKAR_KEYRING", "file")
	statuses := make(chan client.Status, 16)
	r := syncapp.NewRunner(a.s, time.Hour, func(st client.Status) {
		select {
		case statuses <- st:
		default:
		}
	})
	// The runner reads the token saved at sign-in (file, as on a headless box).
	if _, err := (syncapp.TokenStore{BooksPath: a.path, FileOnly: true}).Save(a.token); err != nil {
		t.Fatal(err)
	}
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	<-statuses // the first round at start
	ps := liveProducts(t, a.s)
	inv, err := a.s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{{ProductID: ps[0].ID, Product: ps[0], Qty: 1000}}})
	if err != nil {
		t.Fatal(err)
	}
	r.Kick()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case st := <-statuses:
			if st.Error != "" {
				t.Fatalf("background sync error: %s", st.Error)
			}
			if st.Pending == 0 {
				if _, err := b.eng.Round(ctx); err != nil {
					t.Fatal(err)
				}
				if _, _, err := b.s.Invoice(inv.Number); err != nil {
					t.Fatalf("bill did not reach the other counter: %v", err)
				}
				return
			}
		case <-deadline:
			t.Fatal("background sync never pushed the bill")
		}
	}
}

// TestRevokedDevice: the owner revokes a counter; its next sync says to sign
// in again, its books stay, and signing in again resumes syncing.
func TestRevokedDevice(t *testing.T) {
	w := setupWorld(t, t, 2, []time.Duration{0, 0})
	defer func() {
		for _, d := range w.devs {
			d.s.Close()
		}
	}()
	a, b := w.devs[0], w.devs[1]
	c := client.NewClient(w.baseURL)
	if err := c.RevokeDevice(ctx, a.token, b.devID); err != nil {
		t.Fatal(err)
	}
	ps := liveProducts(t, b.s)
	inv, err := b.s.CreateSale(ctx, &books.SaleDraft{Lines: []books.DraftLine{{ProductID: ps[0].ID, Product: ps[0], Qty: 1000}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.eng.Round(ctx)
	if err == nil || !client.Permanent(err) || !strings.Contains(client.Explain(err), "sign in again") {
		t.Fatalf("revoked device sync: %v / %s", err, client.Explain(err))
	}
	if n, _ := b.s.PendingCount(); n != 1 {
		t.Fatalf("pending after revoke %d", n)
	}
	res, err := syncapp.Login(ctx, b.s, w.baseURL, "ravi@example.com", "correct horse", "Counter 2 again")
	if err != nil {
		t.Fatal(err)
	}
	if res.Joining || res.Uploading {
		t.Fatalf("re-login of the same business: %+v", res)
	}
	eng, err := syncapp.Engine(b.s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Round(ctx); err != nil {
		t.Fatalf("sync after signing in again: %v", err)
	}
	if _, err := a.eng.Round(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.s.Invoice(inv.Number); err != nil {
		t.Fatalf("bill made while revoked never arrived: %v", err)
	}
}
