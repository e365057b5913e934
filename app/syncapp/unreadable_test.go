package syncapp_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

// TestUnreadableRowIsNamedNotBlamedOnTheNetwork: a change in the feed that
// these books cannot take stops the pull at that change, with the changes
// before it saved and an error naming it; the shopkeeper is not told the
// internet is down. A server reply that cannot be read is not "offline"
// either; only a server that cannot be reached is.
func TestUnreadableRowIsNamedNotBlamedOnTheNetwork(t *testing.T) {
	t.Setenv("NAUKAR_KEYRING", "file")
	srv := newServer(t, nil)
	if err := signup(srv.URL, "Sharma Stores"); err != nil {
		t.Fatal(err)
	}
	// Another counter pushes two products, an invoice this build cannot
	// read, and one more product.
	c := client.NewClient(srv.URL)
	other, err := c.Login(ctx, protocol.LoginRequest{Login: "ravi@example.com", Password: "correct horse", DeviceName: "Counter 2"})
	if err != nil {
		t.Fatal(err)
	}
	clock := protocol.NewClock(other.DeviceID, protocol.HLC{}, time.Now)
	var muts []protocol.Mutation
	add := func(table, op string, data string) string {
		id := uuid.Must(uuid.NewV7()).String()
		muts = append(muts, protocol.Mutation{N: int64(len(muts) + 1), Table: table, ID: id, HLC: clock.Now().String(), Op: op, Data: json.RawMessage(data)})
		return id
	}
	salt := add("products", protocol.OpUpsert, `{"name":"Tata Salt","unit":"NOS"}`)
	parle := add("products", protocol.OpUpsert, `{"name":"Parle G","unit":"NOS"}`)
	bad := add("invoices", protocol.OpInsert, `{"lines":"not a list of lines"}`)
	add("products", protocol.OpUpsert, `{"name":"Surf Excel","unit":"NOS"}`)
	if _, err := c.Push(ctx, other.Token, protocol.PushRequest{DeviceID: other.DeviceID, Mutations: muts}); err != nil {
		t.Fatal(err)
	}

	s, err := store.Open(filepath.Join(t.TempDir(), "books.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := syncapp.Login(ctx, s, srv.URL, "ravi@example.com", "correct horse", "Counter 1"); err != nil {
		t.Fatal(err)
	}
	e, err := syncapp.Engine(s)
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.Round(ctx)
	var ur *client.UnreadableRowError
	if !errors.As(err, &ur) || ur.Table != "invoices" || ur.ID != bad {
		t.Fatalf("round: %v; want the unreadable invoice %s named", err, bad)
	}
	if strings.Contains(st.Error, "offline") || !strings.Contains(st.Error, bad) || !strings.Contains(st.Error, "could not be saved") {
		t.Fatalf("status says %q", st.Error)
	}
	cur, _ := s.Meta(client.MetaCursor)
	if n, _ := strconv.ParseInt(cur, 10, 64); n >= ur.Seq {
		t.Fatalf("cursor %s moved past the unreadable change %d", cur, ur.Seq)
	}
	for _, id := range []string{salt, parle} {
		if _, err := s.Product(id); err != nil {
			t.Fatalf("product %s before the unreadable change was not saved: %v", id, err)
		}
	}

	// A reply that is not JSON: the server answered, so not "offline".
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"changes":[{"seq":1,"data":{`)
	}))
	defer garbage.Close()
	e.Client = client.NewClient(garbage.URL, client.WithRetries(0, 0, 0))
	if st, _ := e.Round(ctx); strings.Contains(st.Error, "offline") || st.Error == "" {
		t.Fatalf("an unreadable reply says %q", st.Error)
	}
	// Nothing listening: that is offline.
	e.Client = client.NewClient("http://127.0.0.1:1", client.WithRetries(0, 0, 0))
	if st, _ := e.Round(ctx); !strings.Contains(st.Error, "offline") {
		t.Fatalf("an unreachable server says %q", st.Error)
	}
}
