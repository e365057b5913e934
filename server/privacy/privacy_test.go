package privacy_test

import (
	"archive/zip"
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
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/jobs"
	"github.com/ainaukar/naukar/server/privacy"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// env is a server with the privacy module on a fresh store, over HTTP.
type env struct {
	t         *testing.T
	db        *store.DB
	q         *jobs.Queue
	svc       *privacy.Service
	srv       *httptest.Server
	exportDir string
	clock     atomic.Int64 // server time, Unix ms
}

func (e *env) now() time.Time { return time.UnixMilli(e.clock.Load()) }

func newEnv(t *testing.T, open storetest.Opener) *env {
	t.Helper()
	e := &env{t: t, db: open(t), exportDir: t.TempDir()}
	e.clock.Store(time.Now().UnixMilli())
	e.q = jobs.New(e.db, jobs.Config{Logger: quiet, PollInterval: 50 * time.Millisecond, SoleInstance: true})
	var err error
	e.svc, err = privacy.New(privacy.Config{Store: e.db, Queue: e.q, Logger: quiet, Now: e.now, ExportDir: e.exportDir})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = e.q.Stop(ctx)
	})
	e.srv = httptest.NewServer(api.New(api.Config{Store: e.db, Logger: quiet, Now: e.now, BcryptCost: bcrypt.MinCost,
		Modules: []api.Module{e.svc.Module()}}))
	t.Cleanup(e.srv.Close)
	return e
}

// call sends a JSON request and decodes a JSON reply into out (if not nil).
func (e *env) call(method, path, token string, body, out any) (int, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil && strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, out); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
	return res.StatusCode, raw
}

// markers are values that appear nowhere but in this business's data.
type markers struct {
	owner, email, phone, business, address, city, category, device string
	product, party, invoiceNote, payment, expense                  string
}

func (m markers) all() map[string]string {
	return map[string]string{"owner": m.owner, "email": m.email, "phone": m.phone, "business": m.business,
		"address": m.address, "city": m.city, "category": m.category, "device": m.device, "product": m.product,
		"party": m.party, "invoice note": m.invoiceNote, "payment": m.payment, "expense": m.expense}
}

func newMarkers() markers {
	u := strings.ReplaceAll(uuid.NewString(), "-", "")[:12]
	mk := func(what string) string { return "mk" + what + u }
	return markers{owner: mk("owner"), email: mk("email") + "@example.in", phone: fmt.Sprintf("98%08d", time.Now().UnixNano()%1e8),
		business: mk("business"), address: mk("address"), city: mk("city"), category: mk("category"), device: mk("device"),
		product: mk("product"), party: mk("party"), invoiceNote: mk("invoicenote"), payment: mk("payment"), expense: mk("expense")}
}

const password = "correct horse battery"

// signup signs the markers' business up, logs a device in and fills the
// books through sync. It returns the device token.
func (e *env) signup(m markers) protocol.LoginResponse {
	e.t.Helper()
	st, raw := e.call("POST", "/v1/signup", "", protocol.SignupRequest{
		Owner:        protocol.SignupOwner{Name: m.owner, Email: m.email, Phone: m.phone, Password: password},
		Business:     protocol.SignupBusiness{Name: m.business, StateCode: "27", Address: m.address, City: m.city, Category: m.category},
		AgeConfirmed: true, TermsAccepted: true}, nil)
	if st != http.StatusCreated {
		e.t.Fatalf("signup: %d %s", st, raw)
	}
	var login protocol.LoginResponse
	if st, raw := e.call("POST", "/v1/login", "", protocol.LoginRequest{Login: m.email, Password: password, DeviceName: m.device}, &login); st != 200 {
		e.t.Fatalf("login: %d %s", st, raw)
	}
	clock := protocol.NewClock(login.DeviceID, protocol.HLC{}, nil)
	var muts []protocol.Mutation
	add := func(table, op string, data map[string]any) {
		b, _ := json.Marshal(data)
		muts = append(muts, protocol.Mutation{N: int64(len(muts) + 1), Table: table, ID: uuid.Must(uuid.NewV7()).String(),
			HLC: clock.Now().String(), Op: op, Data: b})
	}
	add("products", protocol.OpUpsert, map[string]any{"name": m.product, "price": 12000, "hsn": "3401", "gst_rate": 1800})
	add("parties", protocol.OpUpsert, map[string]any{"name": m.party, "phone": "9811112222"})
	add("invoices", protocol.OpInsert, map[string]any{"number": "A/1", "notes": m.invoiceNote, "total": 14160,
		"lines": []map[string]any{{"name": m.product, "qty": 1}}})
	add("payments", protocol.OpInsert, map[string]any{"amount": 14160, "reference": m.payment})
	add("expenses", protocol.OpInsert, map[string]any{"amount": 5000, "note": m.expense})
	for i := range 30 { // more than one page of CSV fields is not needed; enough rows to page
		add("products", protocol.OpUpsert, map[string]any{"name": fmt.Sprint("Item ", i), "price": 100 + i})
	}
	var resp protocol.PushResponse
	if st, raw := e.call("POST", "/v1/sync/push", login.Token, protocol.PushRequest{DeviceID: login.DeviceID, ProtocolVersion: 1,
		Mutations: muts}, &resp); st != 200 || len(resp.Rejected) != 0 {
		e.t.Fatalf("push: %d %s", st, raw)
	}
	return login
}

// export starts an export and waits for its ZIP.
func (e *env) export(token string) *zip.Reader {
	e.t.Helper()
	var started protocol.ExportStarted
	if st, raw := e.call("POST", "/v1/account/exports", token, nil, &started); st != http.StatusAccepted || started.ID == "" {
		e.t.Fatalf("start export: %d %s", st, raw)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		var status protocol.ExportStatus
		st, raw := e.call("GET", "/v1/account/exports/"+started.ID, token, nil, &status)
		switch {
		case st == http.StatusOK && status.ID == "":
			zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
			if err != nil {
				e.t.Fatalf("export is not a ZIP: %v", err)
			}
			return zr
		case st == http.StatusAccepted:
			if status.State != protocol.ExportQueued && status.State != protocol.ExportRunning {
				e.t.Fatalf("export state %q", status.State)
			}
		default:
			e.t.Fatalf("export: %d %s", st, raw)
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("export not ready after 20 s: %+v", status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func zipText(t *testing.T, zr *zip.Reader) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
	}
	return out
}

// TestExportDeletePurgeLeavesNoMarker is the "done means": a
// business signed up with marker values and filled through sync is
// exported (every marker in the ZIP), closed (tokens refused at once, no
// sign-in), purged 31 days later, and then no table and no byte of the
// server's files holds a marker outside the billing records.
func TestExportDeletePurgeLeavesNoMarker(t *testing.T) {
	for _, s := range storetest.Stores {
		t.Run(s.Name, func(t *testing.T) {
			e := newEnv(t, s.Open)
			m := newMarkers()
			other := newMarkers() // a second business that must survive
			login := e.signup(m)
			otherLogin := e.signup(other)

			files := zipText(t, e.export(login.Token))
			all := strings.Join(mapValues(files), "\n")
			for what, v := range m.all() {
				if !strings.Contains(all, v) {
					t.Errorf("export lacks the %s marker %q", what, v)
				}
			}
			for what, v := range other.all() {
				if strings.Contains(all, v) {
					t.Errorf("export holds another business's %s %q", what, v)
				}
			}
			for _, name := range []string{"README.txt", "account.json", "business.json", "devices.json", "security_events.json",
				"books/products.json", "books/products.csv", "books/parties.csv", "books/invoices.csv", "books/payments.csv",
				"books/expenses.csv", "books/invoices.json"} {
				if _, ok := files[name]; !ok {
					t.Errorf("export lacks %s (has %v)", name, mapKeys(files))
				}
				if name != "README.txt" && !strings.Contains(files["README.txt"], name) {
					t.Errorf("README.txt does not explain %s", name)
				}
			}
			if strings.Contains(files["devices.json"], "token_hash") || strings.Contains(files["account.json"], "password") {
				t.Errorf("export holds secrets:\n%s\n%s", files["devices.json"], files["account.json"])
			}

			// Closing: a wrong password changes nothing.
			if st, raw := e.call("POST", "/v1/account/delete", login.Token, protocol.DeleteAccountRequest{Password: "wrong password"}, nil); st != 401 {
				t.Fatalf("delete with a wrong password: %d %s", st, raw)
			}
			if st, _ := e.call("GET", "/v1/me", login.Token, nil, nil); st != 200 {
				t.Fatalf("me after a refused delete: %d", st)
			}
			var closed protocol.DeleteAccountResponse
			if st, raw := e.call("POST", "/v1/account/delete", login.Token, protocol.DeleteAccountRequest{Password: password}, &closed); st != 200 {
				t.Fatalf("delete: %d %s", st, raw)
			}
			if want := e.now().Add(privacy.DefaultPurgeAfter); !closed.PurgeAt.Equal(want.Truncate(time.Millisecond)) {
				t.Errorf("purge at %v, want %v", closed.PurgeAt, want)
			}
			// At once: the token (cached a moment ago by /v1/me) is refused,
			// pushes too, and the account cannot sign in.
			var body protocol.ErrorBody
			if st, _ := e.call("GET", "/v1/me", login.Token, nil, &body); st != 401 || body.Error.Code != protocol.CodeRevoked {
				t.Errorf("me after delete: %d %+v", st, body)
			}
			if st, _ := e.call("POST", "/v1/sync/push", login.Token, protocol.PushRequest{DeviceID: login.DeviceID, ProtocolVersion: 1}, nil); st != 401 {
				t.Errorf("push after delete: %d", st)
			}
			if st, _ := e.call("POST", "/v1/login", "", protocol.LoginRequest{Login: m.email, Password: password}, nil); st != 401 {
				t.Errorf("login after delete: %d", st)
			}

			// Before the purge is due nothing goes; 31 days later all does.
			if purged, err := e.svc.PurgeDue(context.Background(), e.now().Add(24*time.Hour)); err != nil || len(purged) != 0 {
				t.Fatalf("purge a day later: %v %v", purged, err)
			}
			purged, err := e.svc.PurgeDue(context.Background(), e.now().Add(31*24*time.Hour))
			if err != nil || len(purged) != 1 {
				t.Fatalf("purge 31 days later: %v %v", purged, err)
			}
			e.assertNoMarker(m.all())

			// The other business is whole.
			if st, _ := e.call("GET", "/v1/me", otherLogin.Token, nil, nil); st != 200 {
				t.Errorf("the other business after the purge: %d", st)
			}
			var page protocol.PullResponse
			if st, raw := e.call("GET", "/v1/sync/pull?since=0", otherLogin.Token, nil, &page); st != 200 || len(page.Changes) != 35 ||
				!strings.Contains(string(raw), other.product) {
				t.Errorf("the other business's books after the purge: %d, %d changes", st, len(page.Changes))
			}
		})
	}
}

// assertNoMarker scans every table (SQL) and, on SQLite, every byte of the
// data directory's files and of the export directory.
func (e *env) assertNoMarker(mk map[string]string) {
	t := e.t
	t.Helper()
	ctx := context.Background()
	names, err := e.db.TableNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range names {
		if store.Tables[table].Owner == store.OwnerBilling {
			continue
		}
		dump, err := e.db.TableText(ctx, table)
		if err != nil {
			t.Fatal(err)
		}
		for what, v := range mk {
			if strings.Contains(dump, v) {
				t.Errorf("table %s still holds the %s marker %q", table, what, v)
			}
		}
	}
	var files []string
	if dir := e.db.DataDir(); dir != "" {
		files = append(files, dir)
	}
	files = append(files, e.exportDir)
	scanned := 0
	for _, root := range files {
		_ = filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			scanned++
			for what, v := range mk {
				if bytes.Contains(raw, []byte(v)) {
					t.Errorf("file %s (%d bytes) still holds the %s marker %q", filepath.Base(path), len(raw), what, v)
				}
			}
			return nil
		})
	}
	if e.db.Dialect() == "sqlite" && scanned < 1 {
		t.Fatalf("no database file scanned")
	}
}

// TestEveryTableClassified fails when a migration adds a table that
// store.Tables does not classify: the purge would not know whether it
// holds an account's data (and refuses to run).
func TestEveryTableClassified(t *testing.T) {
	for _, s := range storetest.Stores {
		t.Run(s.Name, func(t *testing.T) {
			db := s.Open(t)
			unknown, err := db.UnclassifiedTables(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(unknown) > 0 {
				t.Fatalf("tables not classified in store.Tables (server/store/privacy.go): %v", unknown)
			}
		})
	}
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func mapKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestCorrection: the owner corrects the profile and the business through
// the API, by the same rules as sign-up, and the security log says which
// fields changed (never the values).
func TestCorrection(t *testing.T) {
	for _, s := range storetest.Stores {
		t.Run(s.Name, func(t *testing.T) {
			e := newEnv(t, s.Open)
			m, other := newMarkers(), newMarkers()
			login := e.signup(m)
			e.signup(other)

			var a protocol.Account
			digits := "97" + other.phone[2:] // not taken: markers' phones start with 98
			newPhone := "+91 " + digits[:5] + "-" + digits[5:]
			if st, raw := e.call("PATCH", "/v1/account", login.Token, map[string]string{"name": " Asha Rao ", "phone": newPhone}, &a); st != 200 {
				t.Fatalf("patch account: %d %s", st, raw)
			}
			if a.Name != "Asha Rao" || a.Phone != digits || a.Email != m.email {
				t.Errorf("corrected account: %+v", a)
			}
			var body protocol.ErrorBody
			t.Run("ErrEmailTaken", func(t *testing.T) {
				if st, _ := e.call("PATCH", "/v1/account", login.Token, map[string]string{"email": strings.ToUpper(other.email)}, &body); st != 409 || body.Error.Code != protocol.CodeConflict {
					t.Errorf("taken email: %d %+v", st, body)
				}
			})
			t.Run("ErrBadPhone", func(t *testing.T) {
				if st, _ := e.call("PATCH", "/v1/account", login.Token, map[string]string{"phone": "12345"}, &body); st != 400 || !strings.Contains(body.Error.Message, "mobile") {
					t.Errorf("bad phone: %d %+v", st, body)
				}
			})
			var b protocol.Business
			if st, raw := e.call("PATCH", "/v1/business", login.Token, map[string]string{"gstin": " 27aapfu0939f1zv ", "city": "Pune"}, &b); st != 200 {
				t.Fatalf("patch business: %d %s", st, raw)
			}
			if b.GSTIN != "27AAPFU0939F1ZV" || b.StateCode != "27" || b.City != "Pune" || b.Name != m.business {
				t.Errorf("corrected business: %+v", b)
			}
			t.Run("ErrGSTINOtherState", func(t *testing.T) {
				if st, _ := e.call("PATCH", "/v1/business", login.Token, map[string]string{"state_code": "29"}, &body); st != 400 || body.Error.Code != protocol.CodeInvalid {
					t.Errorf("GSTIN of another state: %d %+v", st, body)
				}
			})
			t.Run("ErrOtherCountries", func(t *testing.T) {
				if st, _ := e.call("PATCH", "/v1/business", login.Token, map[string]string{"gstin": "", "state_code": "96"}, &body); st != 400 {
					t.Errorf("state 96: %d %+v", st, body)
				}
			})
			var log api.SecurityLogResponse
			e.call("GET", "/v1/security-log", login.Token, nil, &log)
			var got []string
			for _, ev := range log.Events {
				if ev.Kind == privacy.EventAccountCorrected || ev.Kind == privacy.EventBusinessCorrected {
					got = append(got, ev.Kind+": "+ev.Detail)
				}
			}
			want := []string{"business_corrected: corrected gstin, city", "account_corrected: corrected name, phone"}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("security log: %q, want %q", got, want)
			}
		})
	}
}

// TestTelemetry: a batch from the app is stored (usage events and error
// reports, digit runs in messages masked); bad batches are refused whole
// with a reason; what is past its retention is not stored.
func TestTelemetry(t *testing.T) {
	for _, s := range storetest.Stores {
		t.Run(s.Name, func(t *testing.T) {
			e := newEnv(t, s.Open)
			login := e.signup(newMarkers())
			now := e.now()
			batch := protocol.TelemetryBatch{
				Events: []protocol.UsageEvent{{Feature: "bill.save", At: now.Add(-time.Minute), AppVersion: "1.4.0"},
					{Feature: "report.gstr1", At: now, AppVersion: "1.4.0"},
					{Feature: "old.one", At: now.AddDate(0, 0, -100), AppVersion: "1.4.0"}},
				Errors: []protocol.ErrorReport{{Message: "print failed for 98765 43210", Stack: "main.go:12", At: now, AppVersion: "1.4.0"}},
			}
			if st, raw := e.call("POST", "/v1/telemetry", login.Token, batch, nil); st != http.StatusNoContent {
				t.Fatalf("telemetry: %d %s", st, raw)
			}
			usage, _ := e.db.TableText(context.Background(), "usage_events")
			errs, _ := e.db.TableText(context.Background(), "error_reports")
			if strings.Count(usage, "\n") != 2 || !strings.Contains(usage, "report.gstr1") || strings.Contains(usage, "old.one") {
				t.Errorf("usage events stored:\n%s", usage)
			}
			if !strings.Contains(errs, "print failed for ###########") || strings.Contains(errs, "43210") {
				t.Errorf("error reports stored:\n%s", errs)
			}
			var body protocol.ErrorBody
			for name, tc := range map[string]struct {
				b    protocol.TelemetryBatch
				code string
			}{
				"ErrFeatureName": {protocol.TelemetryBatch{Events: []protocol.UsageEvent{{Feature: "Bill Save", At: now}}}, protocol.CodeInvalid},
				"ErrClockAhead":  {protocol.TelemetryBatch{Events: []protocol.UsageEvent{{Feature: "bill.save", At: now.Add(time.Hour)}}}, protocol.CodeClockSkew},
				"ErrNoMessage":   {protocol.TelemetryBatch{Errors: []protocol.ErrorReport{{At: now}}}, protocol.CodeInvalid},
				"ErrTooMany":     {protocol.TelemetryBatch{Events: make([]protocol.UsageEvent, privacy.MaxEventsPerBatch+1)}, protocol.CodeInvalid},
			} {
				t.Run(name, func(t *testing.T) {
					if st, _ := e.call("POST", "/v1/telemetry", login.Token, tc.b, &body); st != 400 || body.Error.Code != tc.code {
						t.Errorf("%d %+v", st, body)
					}
				})
			}
		})
	}
}
