package store_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/server/store/storetest"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestCheckIntegrity: a sound database passes on every store; a SQLite file
// with a damaged page fails quick_check (which names the damage or finds
// the file malformed).
func TestCheckIntegrity(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			if err := st.Open(t).CheckIntegrity(ctx); err != nil {
				t.Fatalf("a sound database: %v", err)
			}
		})
	}
	t.Run("sqlite damaged page", func(t *testing.T) {
		dir := t.TempDir()
		db, err := store.OpenSQLite(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		s := mustBusiness(t, db)
		for i := range 10 {
			if _, err := db.Push(ctx, s, protocol.PushRequest{DeviceID: s.DeviceID, ProtocolVersion: 1,
				Mutations: mutations(s, int64(i*200+1), 200)}, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
		file := filepath.Join(dir, store.SQLiteFile)
		f, err := os.OpenFile(file, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := f.Stat()
		// Scribble over a page of row data well past the schema.
		page := int64(4096)
		at := (fi.Size() * 3 / 4) / page * page
		if _, err := f.WriteAt([]byte(strings.Repeat("\xde\xad\xbe\xef", int(page/4))), at); err != nil {
			t.Fatal(err)
		}
		f.Close()
		db, err = store.OpenSQLite(ctx, dir)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		defer db.Close()
		if err := db.CheckIntegrity(ctx); err == nil || !strings.Contains(err.Error(), "quick_check") && !strings.Contains(err.Error(), "malformed") {
			t.Fatalf("a damaged page: %v", err)
		}
	})
}
