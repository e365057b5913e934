package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

var ctx = context.Background()

// mustBusiness creates an account, business and device and returns the session.
func mustBusiness(tb testing.TB, db *store.DB) core.Session { return storetest.Business(tb, db) }

func mutations(s core.Session, from int64, count int) []protocol.Mutation {
	return storetest.Mutations(s, from, count)
}

func TestBackupRotateRestore(t *testing.T) {
	dir := t.TempDir()
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	s := mustBusiness(t, db)
	if _, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: mutations(s, 1, 10)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	oldEpoch, _ := db.Epoch(ctx)
	bk := filepath.Join(dir, "backups")
	var files []string
	for i := range 4 {
		f, err := db.RotateBackup(ctx, bk, 2, time.Date(2026, 1, 1, i, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	left, _ := os.ReadDir(bk)
	if len(left) != 2 || left[0].Name() != filepath.Base(files[2]) || left[1].Name() != filepath.Base(files[3]) {
		t.Fatalf("kept %v", left)
	}
	// Changes after the snapshot vanish on restore, and the epoch changes.
	if _, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: mutations(s, 11, 5)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	newEpoch, err := store.RestoreSQLite(ctx, filepath.Join(dir, "data"), files[3])
	if err != nil {
		t.Fatal(err)
	}
	if newEpoch == oldEpoch {
		t.Fatal("epoch did not change")
	}
	db, err = store.OpenSQLite(ctx, filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if e, _ := db.Epoch(ctx); e != newEpoch {
		t.Fatalf("epoch %s, want %s", e, newEpoch)
	}
	p, err := db.Pull(ctx, s, 0, 100, time.Now())
	if err != nil || len(p.Changes) != 10 {
		t.Fatalf("restored feed has %d rows (%v), want 10", len(p.Changes), err)
	}
	if _, err := store.RestoreSQLite(ctx, filepath.Join(dir, "x"), filepath.Join(dir, "nope.db")); err == nil {
		t.Fatal("restore from a missing file succeeded")
	}
}

// TestOldPhonesStillLogIn: an account the server stored before phones were
// kept as 10 digits (91 and the 10 digits) is moved by the migration, so its
// owner still signs in by phone, however the number is typed, and nobody
// can sign up again with the same number.
func TestOldPhonesStillLogIn(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			s := mustBusiness(t, db)
			acct, err := db.Account(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			phone := acct.Phone
			if len(phone) != 10 {
				t.Fatalf("phone kept as %q, want 10 digits", phone)
			}
			// As an older server left it: 91 and the digits, migration not run.
			if err := db.ExecForTest(ctx, `UPDATE accounts SET phone = '91' || phone WHERE id = $1`, s.AccountID); err != nil {
				t.Fatal(err)
			}
			if err := db.ExecForTest(ctx, `DELETE FROM schema_migrations WHERE name = '0003_phone_national.sql'`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.AccountByLogin(ctx, phone); core.ErrorCode(err) != protocol.CodeNotFound {
				t.Fatalf("before the migration the old row should not be found by its 10 digits: %v", err)
			}
			if err := db.MigrateForTest(ctx); err != nil {
				t.Fatal(err)
			}
			la, err := db.AccountByLogin(ctx, phone)
			if err != nil || la.Account.ID != s.AccountID || la.Account.Phone != phone || la.BusinessID != s.BusinessID {
				t.Fatalf("login by phone after the migration: %+v, %v", la, err)
			}
			su := core.Signup{Owner: protocol.SignupOwner{Name: "Other", Email: "other-" + s.AccountID + "@example.in", Phone: "+91 " + phone},
				Business: protocol.SignupBusiness{Name: "Shop", StateCode: "27"}, AgeConfirmed: true, TermsAccepted: true}
			su.Normalize()
			_, _, err = db.CreateAccount(ctx, core.NewAccount{Signup: su, PasswordHash: "x", Now: time.Now()})
			if core.ErrorCode(err) != protocol.CodeConflict {
				t.Fatalf("a second account with the same phone: %v", err)
			}
		})
	}
}

func TestMigrateTwice(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			e1, _ := db.Epoch(ctx)
			if e1 == "" {
				t.Fatal("no epoch")
			}
		})
	}
	dir := t.TempDir()
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	e1, _ := db.Epoch(ctx)
	db.Close()
	db, err = store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if e2, _ := db.Epoch(ctx); e2 != e1 {
		t.Fatalf("epoch changed on reopen: %s -> %s", e1, e2)
	}
}

// BenchmarkPush1000 pushes one batch of 1,000 mutations (half new product
// records, half new invoice documents) per iteration.
func BenchmarkPush1000(b *testing.B) {
	for _, st := range storetest.Stores {
		b.Run(st.Name, func(b *testing.B) {
			db := st.Open(b)
			s := mustBusiness(b, db)
			n := int64(1)
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				ms := mutations(s, n, 1000)
				b.StartTimer()
				res, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: ms}, time.Now())
				if err != nil || res.Accepted != 1000 {
					b.Fatalf("push: %+v %v", res.Accepted, err)
				}
				n += 1000
			}
			b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "mutations/s")
		})
	}
}

// BenchmarkPull1000 pulls a page of 1,000 changes from a business of 10,000 rows.
func BenchmarkPull1000(b *testing.B) {
	for _, st := range storetest.Stores {
		b.Run(st.Name, func(b *testing.B) {
			db := st.Open(b)
			s := mustBusiness(b, db)
			for i := range 10 {
				if _, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1,
					Mutations: mutations(s, int64(i*1000+1), 1000)}, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p, err := db.Pull(ctx, s, int64(i%9)*1000, 1000, time.Now())
				if err != nil || len(p.Changes) != 1000 || !p.More {
					b.Fatalf("pull: %d %v", len(p.Changes), err)
				}
				i++
			}
		})
	}
}

// roundTripBusinesses is how many businesses the round-trip benchmarks
// spread their pushes over (so the database is not one business's).
const roundTripBusinesses = 20

// BenchmarkPushRoundTrip pushes what a device pushes in one sync round
// trip: an edit of a product it already has and two new invoices, cycling
// over devices of several businesses that already hold 1,000 rows each.
func BenchmarkPushRoundTrip(b *testing.B) {
	for _, st := range storetest.Stores {
		b.Run(st.Name, func(b *testing.B) {
			db := st.Open(b)
			type dev struct {
				s       core.Session
				n       int64
				product string
				clock   *protocol.Clock
			}
			var devs []*dev
			for range roundTripBusinesses {
				s := mustBusiness(b, db)
				if _, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: mutations(s, 1, 1000)}, time.Now()); err != nil {
					b.Fatal(err)
				}
				devs = append(devs, &dev{s: s, n: 1000, product: uuid.Must(uuid.NewV7()).String(), clock: protocol.NewClock(s.DeviceID, protocol.HLC{}, nil)})
			}
			invoice := []byte(`{"number":"A-1","date":"2026-01-15","lines":[{"product":"Tea","qty":1,"price":15500,"gst_rate":500}],"total":16275}`)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				d := devs[i%len(devs)]
				i++
				ms := []protocol.Mutation{
					{N: d.n + 1, Table: "products", ID: d.product, HLC: d.clock.Now().String(), Op: protocol.OpUpsert, Data: []byte(fmt.Sprintf(`{"price":%d}`, i))},
					{N: d.n + 2, Table: "invoices", ID: uuid.Must(uuid.NewV7()).String(), HLC: d.clock.Now().String(), Op: protocol.OpInsert, Data: invoice},
					{N: d.n + 3, Table: "invoices", ID: uuid.Must(uuid.NewV7()).String(), HLC: d.clock.Now().String(), Op: protocol.OpInsert, Data: invoice},
				}
				res, err := db.Push(ctx, d.s, protocol.PushRequest{DeviceID: d.s.DeviceID, ProtocolVersion: 1, Mutations: ms}, time.Now())
				if err != nil || res.Accepted != 3 {
					b.Fatalf("push: %+v %v", res, err)
				}
				d.n += 3
			}
		})
	}
}

// BenchmarkPullRoundTrip pulls what a device pulls in one sync round trip:
// the newest 15 changes of a business of 1,000 rows, cycling over several
// businesses while each gets new rows.
func BenchmarkPullRoundTrip(b *testing.B) {
	for _, st := range storetest.Stores {
		b.Run(st.Name, func(b *testing.B) {
			db := st.Open(b)
			var ss []core.Session
			for range roundTripBusinesses {
				s := mustBusiness(b, db)
				if _, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: mutations(s, 1, 1000)}, time.Now()); err != nil {
					b.Fatal(err)
				}
				ss = append(ss, s)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s := ss[i%len(ss)]
				i++
				p, err := db.Pull(ctx, s, 985, 500, time.Now())
				if err != nil || len(p.Changes) != 15 {
					b.Fatalf("pull: %d %v", len(p.Changes), err)
				}
			}
		})
	}
}

// TestConcurrentPushesFailAlone pushes from many devices at once, some of
// them batches that must fail (a gap, a revoked device): on SQLite
// concurrent pushes share a transaction, and a failing one must roll back
// alone while the others apply with gapless seqs.
func TestConcurrentPushesFailAlone(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			owner := mustBusiness(t, db)
			const devices, rounds = 12, 5
			sessions := []core.Session{owner}
			for i := 1; i < devices; i++ {
				d, err := db.CreateDevice(ctx, owner.AccountID, owner.BusinessID, fmt.Sprint("PC ", i), uuid.NewString(), time.Now())
				if err != nil {
					t.Fatal(err)
				}
				sessions = append(sessions, core.Session{AccountID: owner.AccountID, BusinessID: owner.BusinessID, DeviceID: d.ID})
			}
			revoked := sessions[devices-1]
			if _, err := db.RevokeDevice(ctx, owner, revoked.DeviceID, time.Now()); err != nil {
				t.Fatal(err)
			}
			errs := make(chan error, devices*rounds)
			var wg gosync.WaitGroup
			for i, s := range sessions {
				wg.Go(func() {
					for r := range rounds {
						from := int64(r*4 + 1)
						if i%4 == 3 {
							from += 2 // a gap: refused every time
						}
						_, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: mutations(s, from, 4)}, time.Now())
						switch {
						case s == revoked:
							if !errors.Is(err, core.ErrDeviceRevoked) {
								errs <- fmt.Errorf("revoked device: %v", err)
							}
							return
						case i%4 == 3:
							if core.ErrorCode(err) != protocol.CodeOutOfOrder {
								errs <- fmt.Errorf("gap: %v", err)
							}
						case err != nil:
							errs <- err
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			p, err := db.Pull(ctx, owner, 0, 5000, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			good := 0
			for i := range devices - 1 {
				if i%4 != 3 {
					good++
				}
			}
			if len(p.Changes) != good*rounds*4 {
				t.Fatalf("feed has %d rows, want %d", len(p.Changes), good*rounds*4)
			}
			for i, c := range p.Changes {
				if c.Seq != int64(i+1) {
					t.Fatalf("seq %d at %d: not gapless", c.Seq, i)
				}
			}
		})
	}
}

// TestInstancesMigrateTogether opens several stores at once on a fresh
// PostgreSQL schema, as instances starting together do: every one opens,
// and the schema (the server's and the job queue's) is there once.
func TestInstancesMigrateTogether(t *testing.T) {
	u := storetest.PostgresURL(t)
	const n = 6
	errs := make(chan error, n)
	dbs := make(chan *store.DB, n)
	for range n {
		go func() {
			db, err := store.OpenPostgres(ctx, u)
			errs <- err
			dbs <- db
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
		if db := <-dbs; db != nil {
			defer db.Close()
		}
	}
}

// TestMigrationVersions: every migration has a version of its own (two files
// with one number would leave one unapplied, as a version is applied once)
// and both dialects have the same migrations.
func TestMigrationVersions(t *testing.T) {
	names := map[string][]string{}
	for _, dialect := range []string{"sqlite", "postgres"} {
		entries, err := os.ReadDir(filepath.Join("migrations", dialect))
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{}
		for _, e := range entries {
			version, _, ok := strings.Cut(e.Name(), "_")
			if !ok || !strings.HasSuffix(e.Name(), ".sql") {
				t.Errorf("%s/%s: want NNNN_name.sql", dialect, e.Name())
				continue
			}
			if other, dup := seen[version]; dup {
				t.Errorf("%s: %s and %s share version %s", dialect, other, e.Name(), version)
			}
			seen[version] = e.Name()
			names[dialect] = append(names[dialect], e.Name())
		}
	}
	if got, want := strings.Join(names["postgres"], " "), strings.Join(names["sqlite"], " "); got != want {
		t.Errorf("the dialects' migrations differ:\nsqlite   %s\npostgres %s", want, got)
	}
}
