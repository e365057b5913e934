package whatsapp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/quota"
	"github.com/ainaukar/naukar/server/secrets"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/server/whatsapp"
	"github.com/ainaukar/naukar/server/whatsapp/whatsapptest"
	"github.com/ainaukar/naukar/sync/protocol"
)

var (
	ctx   = context.Background()
	quiet = slog.New(slog.NewTextHandler(io.Discard, nil))
)

// fixedQuota is a quota.Counter with one monthly limit for every business
// (the billing module's counter takes its limits from plans).
type fixedQuota struct {
	mu    sync.Mutex
	limit int
	used  map[string]int
}

func newFixedQuota(limit int) *fixedQuota { return &fixedQuota{limit: limit, used: map[string]int{}} }

func (q *fixedQuota) Use(_ context.Context, biz string, f quota.Feature, n int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.used[biz]+n > q.limit {
		return quota.Exceeded(f, q.limit, time.Now())
	}
	q.used[biz] += n
	return nil
}

func (q *fixedQuota) Refund(_ context.Context, biz string, _ quota.Feature, n int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.used[biz] = max(0, q.used[biz]-n)
	return nil
}

func (q *fixedQuota) usage(_ context.Context, biz string) (int, int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.used[biz], q.limit, nil
}

func (q *fixedQuota) count(biz string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.used[biz]
}

// harness is a server with the WhatsApp module on a fresh store, its job
// queue, the fake Graph API, and one signed-in device of one business.
type harness struct {
	t     testing.TB
	db    *store.DB
	fake  *whatsapptest.Graph
	queue *jobs.Queue
	wa    *whatsapp.Module
	srv   *httptest.Server
	quota *fixedQuota
	box   *secrets.Box

	token, device, business string
	n                       int64
	feed                    map[string]protocol.Change // the pulled feed (rows)
	since                   int64
	clock                   *protocol.Clock
	shop                    *books.Business
}

type option func(*whatsapp.Settings, *whatsapp.Config)

func newHarness(t testing.TB, open storetest.Opener, opts ...option) *harness {
	t.Helper()
	if reflect.ValueOf(open).Pointer() == reflect.ValueOf(storetest.Opener(storetest.SQLite)).Pointer() {
		open = freshSQLite
	}
	h := &harness{t: t, db: open(t), fake: whatsapptest.New(t), quota: newFixedQuota(1_000_000)}
	s := whatsapp.Settings{APIURL: h.fake.Base(), Token: h.fake.Token, PhoneNumberID: h.fake.PhoneID, AppSecret: h.fake.AppSecret,
		VerifyToken: "verify-me-123", TemplateInvoice: whatsapp.DefaultTemplateInvoice, TemplateReminder: whatsapp.DefaultTemplateReminder,
		TemplateLang: "en", Rate: 1000}
	h.queue = jobs.New(h.db, jobs.Config{Logger: quiet, ID: "test", PollInterval: 200 * time.Millisecond, Workers: harnessWorkers,
		SoleInstance: h.db.Dialect() == "sqlite"})
	box, err := secrets.New([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	h.box = box
	cfg := whatsapp.Config{Store: h.db, Queue: h.queue, Quota: h.quota, Usage: h.quota.usage, Logger: quiet, MaxAttempts: 4, Secrets: box,
		Backoff: func(int) time.Duration { return 30 * time.Millisecond }}
	for _, o := range opts {
		o(&s, &cfg)
	}
	cfg.Settings = s
	h.wa = whatsapp.New(cfg)
	if err := h.queue.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		h.queue.Stop(c)
	})
	// The tests poll the feed as fast as they like (the rate limits have
	// their own tests).
	h.srv = httptest.NewServer(api.New(api.Config{Store: h.db, BcryptCost: 4, Logger: quiet, Modules: []api.Module{h.wa},
		Limits: api.Limits{DevicePerSecond: 1e4, DeviceBurst: 1e4, BusinessPerSecond: 1e4, BusinessBurst: 1e4}}))
	t.Cleanup(h.srv.Close)

	email := uuid.NewString()[:8] + "@example.in"
	var su protocol.SignupResponse
	h.call("POST", "/v1/signup", "", protocol.SignupRequest{
		Owner:    protocol.SignupOwner{Name: "Ravi Sharma", Email: email, Phone: fmt.Sprintf("98%08d", time.Now().UnixNano()%1e8), Password: "correct horse"},
		Business: protocol.SignupBusiness{Name: "Sharma Stores", StateCode: "27"}, AgeConfirmed: true, TermsAccepted: true}, &su, 201)
	var lr protocol.LoginResponse
	h.call("POST", "/v1/login", "", protocol.LoginRequest{Login: email, Password: "correct horse", DeviceName: "Counter 1"}, &lr, 200)
	h.token, h.device, h.business = lr.Token, lr.DeviceID, lr.BusinessID
	h.clock = protocol.NewClock(h.device, protocol.HLC{}, nil)
	h.shop = &books.Business{Name: "Sharma General Stores", GSTIN: "27AAPFU0939F1ZV", StateCode: "27", Address: "12, Station Road",
		City: "Mumbai", Pincode: "400028", UPI: "sharmastores@okicici"}
	return h
}

// call makes a JSON request and decodes the reply, which must have status want.
func (h *harness) call(method, path, token string, body, out any, want int) {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, h.srv.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		h.t.Fatalf("%s %s: HTTP %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			h.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
}

// push sends rows as the device's next mutations through POST /v1/sync/push.
func (h *harness) push(muts ...protocol.Mutation) {
	h.t.Helper()
	for i := range muts {
		h.n++
		muts[i].N = h.n
		if muts[i].HLC == "" {
			muts[i].HLC = h.clock.Now().String()
		}
	}
	var resp protocol.PushResponse
	h.call("POST", "/v1/sync/push", h.token, protocol.PushRequest{DeviceID: h.device, ProtocolVersion: 1, Mutations: muts}, &resp, 200)
	if len(resp.Rejected) > 0 || resp.LastN != h.n {
		h.t.Fatalf("push: %+v", resp)
	}
}

// invoice pushes a priced invoice document for party and returns its id
// and the invoice.
func (h *harness) invoice(number string, party *books.PartySnapshot) (string, *books.Invoice) {
	h.t.Helper()
	d := &books.SaleDraft{Date: time.Date(2026, 11, 20, 11, 0, 0, 0, time.UTC), Party: party}
	d.Lines = []books.DraftLine{{Product: books.Product{Name: "Tata Salt Iodised 1kg", HSN: "2501", Unit: "PCS", SalePrice: 2800, GSTRate: 500,
		Category: "taxable"}, Qty: 3000}}
	inv, err := books.PriceSale(h.shop, d)
	if err != nil {
		h.t.Fatal(err)
	}
	inv.Number, inv.Series, inv.FY, inv.Seq = number, "A", 2026, 1
	data, _ := json.Marshal(inv)
	id := uuid.Must(uuid.NewV7()).String()
	h.push(protocol.Mutation{Table: "invoices", ID: id, Op: protocol.OpInsert, Data: data})
	return id, inv
}

// ask pushes a message request and returns its id.
func (h *harness) ask(msg protocol.WAMessage) string {
	h.t.Helper()
	if msg.Requested == "" {
		msg.Requested = time.Now().UTC().Format(time.RFC3339)
	}
	if msg.ShopName == "" {
		msg.ShopName = h.shop.Name
	}
	data, _ := json.Marshal(msg)
	id := uuid.Must(uuid.NewV7()).String()
	h.push(protocol.Mutation{Table: protocol.TableWAMessages, ID: id, Op: protocol.OpUpsert, Data: data})
	return id
}

// rows pulls the feed through GET /v1/sync/pull (what is new since the
// last pull) and returns every row's latest change and the feed's cursor.
func (h *harness) rows() (map[string]protocol.Change, int64) {
	h.t.Helper()
	if h.feed == nil {
		h.feed = map[string]protocol.Change{}
	}
	for {
		var p protocol.PullResponse
		h.call("GET", fmt.Sprintf("/v1/sync/pull?since=%d&limit=1000", h.since), h.token, nil, &p, 200)
		for _, c := range p.Changes {
			h.feed[c.Table+"/"+c.ID] = c
		}
		h.since = max(h.since, p.Next)
		if !p.More {
			return h.feed, h.since
		}
	}
}

// waitIdle waits until no send job is left to run: every message asked
// for has been sent or settled, and nothing is waiting to be tried again.
func (h *harness) waitIdle() {
	h.t.Helper()
	q := `SELECT count(*) FROM river_job WHERE kind IN ('whatsapp_send', 'whatsapp_send_batch')
		AND state NOT IN ('completed', 'cancelled', 'discarded')`
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		var err error
		if w := h.db.JobsSQLite(); w != nil {
			err = w.QueryRowContext(ctx, q).Scan(&n)
		} else {
			pool, schema := h.db.JobsPostgres()
			err = pool.QueryRow(ctx, strings.Replace(q, "river_job", schema+".river_job", 1)).Scan(&n)
		}
		if err != nil {
			h.t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%d send jobs still to run after 30 s", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// message is a wa_messages row as the devices pull it.
func (h *harness) message(id string) protocol.WAMessage {
	h.t.Helper()
	rows, _ := h.rows()
	c, ok := rows[protocol.TableWAMessages+"/"+id]
	if !ok {
		h.t.Fatalf("message %s not in the feed", id)
	}
	var m protocol.WAMessage
	if err := json.Unmarshal(c.Data, &m); err != nil {
		h.t.Fatal(err)
	}
	return m
}

// waitStatus waits until the message's status is one of want.
func (h *harness) waitStatus(id string, limit time.Duration, want ...string) protocol.WAMessage {
	h.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		m := h.message(id)
		for _, w := range want {
			if m.Status == w {
				return m
			}
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("message %s: status %q after %s, want %v (error %q)", id, m.Status, limit, want, m.Error)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// optOut is the number's wa_optouts row as the devices pull it.
func (h *harness) optOut(phone string) (protocol.WAOptOut, bool) {
	rows, _ := h.rows()
	c, ok := rows[protocol.TableWAOptOuts+"/"+protocol.WAOptOutID(phone)]
	if !ok {
		return protocol.WAOptOut{}, false
	}
	var o protocol.WAOptOut
	if err := json.Unmarshal(c.Data, &o); err != nil {
		h.t.Fatal(err)
	}
	return o, true
}

// webhook delivers a signed notification and wants status 200.
func (h *harness) webhook(value map[string]any) {
	h.t.Helper()
	if st := whatsapptest.Post(h.t, h.srv.URL+"/v1/webhooks/whatsapp", h.fake.AppSecret, h.fake.Envelope(value)); st != 200 {
		h.t.Fatalf("webhook: HTTP %d", st)
	}
}

// harnessWorkers is the job queue's workers in the tests.
var harnessWorkers = 50

// freshSQLite opens a new SQLite store from a copy of one migrated once
// for the package (migrating a store is most of a SQLite harness's start
// under -race).
func freshSQLite(tb testing.TB) *store.DB {
	tb.Helper()
	templateOnce.Do(func() {
		dir, err := os.MkdirTemp("", "naukar-wa-template")
		if err != nil {
			templateErr = err
			return
		}
		templateDir = dir
		db, err := store.OpenSQLite(context.Background(), dir)
		if err != nil {
			templateErr = err
			return
		}
		templateErr = db.Close()
	})
	if templateErr != nil {
		tb.Fatalf("template store: %v", templateErr)
	}
	dir := tb.TempDir()
	files, _ := filepath.Glob(filepath.Join(templateDir, "*"))
	for _, f := range files {
		if strings.HasSuffix(f, "-shm") {
			continue // rebuilt from the log on open
		}
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	db, err := store.OpenSQLite(context.Background(), dir)
	if err != nil {
		tb.Fatalf("open sqlite store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

var (
	templateOnce sync.Once
	templateDir  string
	templateErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if templateDir != "" {
		os.RemoveAll(templateDir)
	}
	os.Exit(code)
}
