package syncapp_test

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

// pageLocal is the books, noting the largest slice of the outbox the engine
// asked for and how often it counted.
type pageLocal struct {
	*store.Store
	mu      sync.Mutex
	largest int
	counted int
}

func (l *pageLocal) PendingMutations(limit int) ([]protocol.Mutation, error) {
	l.mu.Lock()
	l.largest = max(l.largest, limit)
	l.mu.Unlock()
	return l.Store.PendingMutations(limit)
}

func (l *pageLocal) PendingCount() (int, error) {
	l.mu.Lock()
	l.counted++
	l.mu.Unlock()
	return l.Store.PendingCount()
}

// TestRoundCountsPendingWithoutReadingTheOutbox: a sync round reports how
// many changes wait by counting them, never by reading the whole outbox
// (documents and all) into memory; it reads the outbox only a batch at a
// time, after a good round and after a failed one alike.
func TestRoundCountsPendingWithoutReadingTheOutbox(t *testing.T) {
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
	if _, err := s.Init(books.Business{Name: "Sharma Stores", StateCode: "27"}); err != nil {
		t.Fatal(err)
	}
	saveProducts := func(from, n int) {
		for i := from; i < from+n; i++ {
			if _, err := s.SaveProduct(books.Product{Name: fmt.Sprint("Item ", i), SKU: fmt.Sprint("I", i), Unit: "NOS", SalePrice: 1000, GSTRate: 500}); err != nil {
				t.Fatal(err)
			}
		}
	}
	saveProducts(0, 45)
	if _, err := syncapp.Login(ctx, s, srv.URL, "ravi@example.com", "correct horse", "Counter 1"); err != nil {
		t.Fatal(err)
	}
	e, err := syncapp.Engine(s)
	if err != nil {
		t.Fatal(err)
	}
	local := &pageLocal{Store: s}
	e.Local, e.BatchSize = local, 10
	st, err := e.Round(ctx)
	if err != nil || st.Pending != 0 {
		t.Fatalf("round: %+v, %v", st, err)
	}

	// Offline: the round fails and still says what waits.
	saveProducts(45, 3)
	want, err := s.PendingCount()
	if err != nil || want == 0 {
		t.Fatalf("pending %d, %v", want, err)
	}
	e.Client = client.NewClient("http://127.0.0.1:1", client.WithRetries(0, 0, 0))
	st, err = e.Round(ctx)
	if err == nil || st.Pending != want {
		t.Fatalf("offline round: %+v, %v; want %d pending", st, err, want)
	}
	if local.largest > e.BatchSize || local.counted != 2 {
		t.Fatalf("the engine read up to %d outbox entries at once (batch %d) and counted %d times; want batches only and a count per round",
			local.largest, e.BatchSize, local.counted)
	}
}
