package assistant_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/app/assistant"
	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/server/ai"
	"github.com/ainaukar/naukar/server/ai/anthropictest"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/quota"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

var ist = time.FixedZone("IST", 5*3600+1800)

const today = "2026-12-03"

func mustOK(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func day(tb testing.TB, s string) time.Time {
	tb.Helper()
	d, err := time.ParseInLocation(books.DateLayout, s, ist)
	mustOK(tb, err)
	return d
}

// shop is a kirana's books: everyday goods, customers who owe money (two
// Vermas, so "Verma ji" is unsure), a supplier, a month of sales.
type shop struct {
	st       *store.Store
	rep      *reports.Service
	products map[string]books.Product
	parties  map[string]books.Party
}

func newShop(tb testing.TB) *shop {
	tb.Helper()
	ctx := context.Background()
	now := day(tb, today).Add(11 * time.Hour)
	st, err := store.Open(filepath.Join(tb.TempDir(), "books.db"), store.Options{Now: func() time.Time { return now }})
	mustOK(tb, err)
	tb.Cleanup(func() { st.Close() })
	_, err = st.Init(books.Business{Name: "Kumar Kirana", StateCode: "27", GSTIN: "27AAPFU0939F1ZV", InvoicePrefix: "KK", City: "Pune"})
	mustOK(tb, err)
	s := &shop{st: st, rep: reports.New(st), products: map[string]books.Product{}, parties: map[string]books.Party{}}
	for key, p := range map[string]books.Product{
		"sugar":  {Name: "Sugar", SKU: "SUG1", HSN: "1701", Unit: "KGS", SalePrice: 45_00, PurchasePrice: 40_00, GSTRate: 500, OpeningStock: 50_000, ReorderLevel: 20_000},
		"parleg": {Name: "Parle-G Biscuit 100g", SKU: "PG100", HSN: "1905", Unit: "PCS", SalePrice: 10_00, PurchasePrice: 8_00, GSTRate: 1800, OpeningStock: 200_000},
		"rice":   {Name: "Basmati Rice", SKU: "RICE1", HSN: "1006", Unit: "KGS", SalePrice: 90_00, PurchasePrice: 75_00, GSTRate: 500, OpeningStock: 8_000, ReorderLevel: 10_000},
		"milk":   {Name: "Amul Milk 500ml", SKU: "MILK5", HSN: "0401", Unit: "PCS", SalePrice: 28_00, PurchasePrice: 25_00, OpeningStock: 40_000, ReorderLevel: 10_000},
		"tea":    {Name: "Tata Tea Gold 250g", SKU: "TEA25", HSN: "0902", Unit: "PCS", SalePrice: 140_00, PurchasePrice: 120_00, GSTRate: 500, OpeningStock: 3_000, ReorderLevel: 5_000},
		"oil":    {Name: "Fortune Mustard Oil 1L", SKU: "OIL1", HSN: "1514", Unit: "PCS", SalePrice: 160_00, PurchasePrice: 140_00, GSTRate: 500, OpeningStock: 30_000},
	} {
		id, err := st.SaveProduct(p)
		mustOK(tb, err)
		s.products[key], err = st.Product(id)
		mustOK(tb, err)
	}
	for key, p := range map[string]books.Party{
		"sharma": {Name: "Rajesh Sharma", Kind: books.Customer, Phone: "9812345678", StateCode: "27"},
		"ramesh": {Name: "Ramesh Gupta", Kind: books.Customer, Phone: "9823456789", StateCode: "27"},
		"verma1": {Name: "Anil Verma", Kind: books.Customer, Phone: "9834567890", StateCode: "27"},
		"verma2": {Name: "Sunil Verma", Kind: books.Customer, StateCode: "27"},
		"agro":   {Name: "Pune Agro Suppliers", Kind: books.Supplier, Phone: "9845678901", StateCode: "27"},
	} {
		id, err := st.SaveParty(p)
		mustOK(tb, err)
		s.parties[key], err = st.Party(id)
		mustOK(tb, err)
	}
	type ln struct {
		p   string
		qty int64
	}
	sale := func(date, party string, pay []books.PaymentPart, lines ...ln) *books.Invoice {
		tb.Helper()
		d := &books.SaleDraft{Date: day(tb, date), Payments: pay}
		if party != "" {
			p := s.parties[party]
			d.Party = books.SnapshotOf(&p, p.ID)
		}
		for _, l := range lines {
			p := s.products[l.p]
			d.Lines = append(d.Lines, books.DraftLine{ProductID: p.ID, Product: p, Qty: l.qty})
		}
		inv, err := st.CreateSale(ctx, d)
		mustOK(tb, err)
		return inv
	}
	credit := []books.PaymentPart{{Mode: books.ModeCredit}}
	sale("2026-10-20", "sharma", credit, ln{"sugar", 10_000}, ln{"oil", 2_000})
	sale("2026-11-15", "sharma", credit, ln{"rice", 5_000})
	sale("2026-11-20", "verma1", credit, ln{"tea", 2_000})
	sale("2026-11-22", "verma2", credit, ln{"milk", 4_000})
	sale("2026-12-01", "", nil, ln{"parleg", 20_000}, ln{"milk", 6_000})
	sale("2026-12-03", "ramesh", []books.PaymentPart{{Mode: books.ModeUPI, Amount: 300_00}, {Mode: books.ModeCredit}}, ln{"sugar", 5_000}, ln{"parleg", 10_000})
	sale("2026-12-03", "", nil, ln{"oil", 1_000}, ln{"tea", 1_000})
	_, err = st.CancelInvoice(ctx, sale("2026-12-03", "", nil, ln{"sugar", 1_000}).Number, "wrong bill", day(tb, today))
	mustOK(tb, err)
	_, err = st.RecordPayment(ctx, books.Payment{Date: "2026-11-30", Direction: books.PaymentIn,
		Party: &books.PartySnapshot{ID: s.parties["sharma"].ID}, Mode: books.ModeCash, Amount: 200_00})
	mustOK(tb, err)
	return s
}

// fixedQuota allows limit questions a month per business.
type fixedQuota struct {
	mu    sync.Mutex
	limit int
	used  map[string]int
}

func (q *fixedQuota) Use(_ context.Context, biz string, f quota.Feature, n int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.used[biz]+n > q.limit {
		return quota.Exceeded(f, q.limit, time.Date(2026, 12, 3, 11, 0, 0, 0, ist))
	}
	q.used[biz] += n
	return nil
}

func (q *fixedQuota) Refund(_ context.Context, biz string, _ quota.Feature, n int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.used[biz] -= n
	return nil
}

// server is our server with the AI module on a fake Anthropic API, and a
// device signed in to it.
type server struct {
	url, token string
	fake       *anthropictest.Server
	quota      *fixedQuota
	srv        *httptest.Server
}

func newServer(t testing.TB, configured bool) *server {
	t.Helper()
	s := &server{fake: anthropictest.New(t, "sk-ant-test"), quota: &fixedQuota{limit: 100, used: map[string]int{}}}
	db := storetest.SQLite(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := ai.Config{Store: db, Quota: s.quota, Model: "claude-test", APIKey: "sk-ant-test", BaseURL: s.fake.URL, Logger: log}
	if !configured {
		cfg.APIKey = ""
	}
	s.srv = httptest.NewServer(api.New(api.Config{Store: db, Logger: log, BcryptCost: bcrypt.MinCost, Modules: []api.Module{ai.New(cfg)}}))
	t.Cleanup(s.srv.Close)
	s.url = s.srv.URL
	post := func(path string, body, out any) {
		b, _ := json.Marshal(body)
		res, err := http.Post(s.url+path, "application/json", bytes.NewReader(b))
		mustOK(t, err)
		defer res.Body.Close()
		if res.StatusCode/100 != 2 {
			msg, _ := io.ReadAll(res.Body)
			t.Fatalf("%s: %d %s", path, res.StatusCode, msg)
		}
		mustOK(t, json.NewDecoder(res.Body).Decode(out))
	}
	var su protocol.SignupResponse
	post("/v1/signup", protocol.SignupRequest{Owner: protocol.SignupOwner{Name: "Ramesh Kumar", Email: "owner@example.in", Phone: "9876543210", Password: "correct horse"},
		Business: protocol.SignupBusiness{Name: "Kumar Kirana", StateCode: "27"}, AgeConfirmed: true, TermsAccepted: true}, &su)
	var lr protocol.LoginResponse
	post("/v1/login", protocol.LoginRequest{Login: "owner@example.in", Password: "correct horse", DeviceName: "Counter 1"}, &lr)
	s.token = lr.Token
	return s
}

func (s *server) assistant(sh *shop) *assistant.Assistant {
	return &assistant.Assistant{Store: sh.st, Reports: sh.rep, Model: assistant.NewServerModel(s.url, s.token, nil)}
}
