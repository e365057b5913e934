package load_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/load"
	"github.com/ainaukar/naukar/server/store/storetest"
)

func TestCheckLoopback(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:1", "https://[::1]:8443", "http://127.0.0.2"} {
		if err := load.CheckLoopback(u); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
	for _, u := range []string{"http://10.0.0.1:8080", "https://example.com", "ftp://127.0.0.1", "127.0.0.1:8080", "http://0.0.0.0:80"} {
		if err := load.CheckLoopback(u); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
}

func TestRun(t *testing.T) {
	// The closed loop runs each device as fast as it can: well past the
	// server's per-device and per-business request rates, which are not
	// what this test is about.
	srv := httptest.NewServer(api.New(api.Config{Store: storetest.SQLite(t), BcryptCost: bcrypt.MinCost,
		Limits: api.Limits{DevicePerSecond: 1e6, DeviceBurst: 1e6, BusinessPerSecond: 1e6, BusinessBurst: 1e6},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	var out strings.Builder
	rep, err := load.Run(context.Background(), load.Config{URL: srv.URL, Devices: 6, Businesses: 2, Duration: time.Second, Batch: 5}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if rep.RoundTrips == 0 || rep.Errors != 0 || rep.Mutations != rep.RoundTrips*5 || rep.RoundTrip.P50 == 0 || rep.Pulled == 0 {
		t.Fatalf("report:\n%s", rep)
	}
	// Paced: 6 devices sharing 40 round trips a second for a second run
	// about 40 (each device keeps its slot; none run early).
	rep, err = load.Run(context.Background(), load.Config{URL: srv.URL, Devices: 6, Businesses: 2, Duration: time.Second, Batch: 3, Rate: 40}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if rep.RoundTrips < 20 || rep.RoundTrips > 48 || rep.Errors != 0 || rep.Mutations != rep.RoundTrips*3 {
		t.Fatalf("paced report:\n%s", rep)
	}
	if !strings.Contains(rep.String(), "paced at 40 round trips/s") {
		t.Fatalf("report does not say it was paced:\n%s", rep)
	}
	if _, err := load.Run(context.Background(), load.Config{URL: srv.URL, Devices: 5000, Duration: time.Second}, io.Discard); err == nil {
		t.Fatal("5000 devices accepted")
	}
}

func TestReadPull(t *testing.T) {
	for _, body := range []string{
		`{"changes":[],"next":7,"more":false,"epoch":"e","server_time":1}`,
		`{"changes":[{"seq":8,"table":"invoices","id":"x","hlc":"h","op":"insert","data":{"lines":[{"qty":1}]}},` +
			`{"seq":9,"table":"products","id":"y","hlc":"h","op":"upsert","data":{"price":1},"field_hlc":{"price":"h"}}],` +
			`"next":9,"more":true,"epoch":"e","rejections":[{"n":1,"table":"t","id":"i","code":"invalid","message":"m"}],"server_time":1}`,
		`{"next":3,"more":true,"changes":[{"seq":3}]}`,
	} {
		got, err := load.ReadPull([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		var want struct {
			Changes []struct{} `json:"changes"`
			Next    int64      `json:"next"`
			More    bool       `json:"more"`
		}
		if err := json.Unmarshal([]byte(body), &want); err != nil {
			t.Fatal(err)
		}
		if got.Changes != len(want.Changes) || got.Next != want.Next || got.More != want.More {
			t.Errorf("%s: got %+v, want %d %d %v", body, got, len(want.Changes), want.Next, want.More)
		}
	}
}

func TestCapacity(t *testing.T) {
	c := load.CPU{Cores: 2, Generator: 150 * time.Microsecond, Server: 550 * time.Microsecond, Database: 600 * time.Microsecond}
	if c.Measured() != 1300*time.Microsecond {
		t.Fatalf("measured %s", c.Measured())
	}
	if got := c.Capacity(); got < 1538 || got > 1539 {
		t.Fatalf("capacity %.1f, want 1538.5 (2 cores / 1.3 ms)", got)
	}
	rep := load.Report{Devices: 1, Businesses: 1, CPU: c, LoadBefore: 12.5, LoadAfter: 14}
	for _, want := range []string{"generator+server+database 1300µs a round trip, 2 cores carry 1538 round trips/s", "load average 12.5 at the start, 14.0 at the end"} {
		if !strings.Contains(rep.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, rep)
		}
	}
	// Without the server's CPU there is no capacity to speak of.
	if c := (load.CPU{Cores: 2, Generator: time.Millisecond}); c.Capacity() != 0 {
		t.Fatalf("capacity %.0f without the server's CPU", c.Capacity())
	}
}
