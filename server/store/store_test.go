package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	nsync "github.com/ainaukar/naukar/sync"
)

var ctx = context.Background()

// mustBusiness creates an account, business and device and returns the session.
func mustBusiness(tb testing.TB, db *store.DB) core.Session {
	tb.Helper()
	id := uuid.NewString()[:8]
	su := core.Signup{Owner: core.SignupOwner{Name: "Owner", Email: id + "@example.in", Phone: "91" + fmt.Sprintf("9%09d", time.Now().UnixNano()%1e9)},
		Business: core.SignupBusiness{Name: "Shop", StateCode: "27"}, AgeConfirmed: true, TermsAccepted: true}
	acc, biz, err := db.CreateAccount(ctx, core.NewAccount{Signup: su, PasswordHash: "x", Now: time.Now()})
	if err != nil {
		tb.Fatal(err)
	}
	dev, err := db.CreateDevice(ctx, acc, biz, "PC", uuid.NewString(), time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	return core.Session{AccountID: acc, BusinessID: biz, DeviceID: dev.ID}
}

func mutations(s core.Session, from int64, count int) []nsync.Mutation {
	clock := nsync.NewClock(s.DeviceID, nsync.HLC{}, nil)
	out := make([]nsync.Mutation, count)
	for i := range out {
		table, op := "products", nsync.OpUpsert
		if i%2 == 1 {
			table, op = "invoices", nsync.OpInsert
		}
		data, _ := json.Marshal(map[string]any{"name": fmt.Sprint("Item ", i), "price": 1000 + i, "hsn": "3401", "gst_rate": 1800})
		out[i] = nsync.Mutation{N: from + int64(i), Table: table, ID: uuid.Must(uuid.NewV7()).String(),
			HLC: clock.Now().String(), Op: op, Data: data}
	}
	return out
}

func TestBackupRotateRestore(t *testing.T) {
	dir := t.TempDir()
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	s := mustBusiness(t, db)
	if _, err := db.Push(ctx, s, nsync.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: mutations(s, 1, 10)}, time.Now()); err != nil {
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
	if _, err := db.Push(ctx, s, nsync.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: mutations(s, 11, 5)}, time.Now()); err != nil {
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
				res, err := db.Push(ctx, s, nsync.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1, Mutations: ms}, time.Now())
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
				if _, err := db.Push(ctx, s, nsync.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1,
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
