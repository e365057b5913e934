package syncapp_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	srvstore "github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestDeviceResendsWhatTheServerLost: the server loses the commit of
// pushes it had acknowledged (its record of the device goes back, the rows
// are gone), as a power cut under synchronous=NORMAL could. The device is
// not stuck on mutation_gap: it queues its books again, resends them and
// the server ends up with every product.
func TestDeviceResendsWhatTheServerLost(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	srv := newServer(t, nil)
	if err := signup(srv.URL, "Sharma Stores"); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(filepath.Join(t.TempDir(), "books.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = syncapp.Login(ctx, s, srv.URL, "ravi@example.com", "correct horse", "Counter 1")
	if err != nil {
		t.Fatal(err)
	}
	save := func(i int) {
		if _, err := s.SaveProduct(books.Product{Name: fmt.Sprint("Item ", i), SKU: fmt.Sprint("I", i), Unit: "NOS", SalePrice: 1000, GSTRate: 500}); err != nil {
			t.Fatal(err)
		}
	}
	e, err := syncapp.Engine(s)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		save(i)
	}
	if _, err := e.Round(ctx); err != nil {
		t.Fatal(err)
	}
	// The server loses what it acknowledged.
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(srv.dir, srvstore.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`UPDATE devices SET last_n = 0 WHERE id = ?`, `DELETE FROM sync_rows WHERE device_id = ?`} {
		if _, err := raw.Exec(q, e.DeviceID); err != nil {
			t.Fatal(err)
		}
	}
	save(3)
	st, err := e.Round(ctx)
	if err != nil {
		t.Fatalf("round after the server lost acknowledged changes: %v (%s)", err, st.Error)
	}
	if st.Pending != 0 {
		t.Fatalf("%d changes still waiting", st.Pending)
	}
	// Another device sees all four products.
	c := client.NewClient(srv.URL)
	other, err := c.Login(ctx, protocol.LoginRequest{Login: "ravi@example.com", Password: "correct horse", DeviceName: "Counter 2"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Pull(ctx, other.Token, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	products := 0
	for _, ch := range p.Changes {
		if ch.Table == "products" {
			products++
		}
	}
	if products != 4 {
		t.Fatalf("the server holds %d products, want 4", products)
	}
}
