package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Business creates an account, its business and one device in db and
// returns the device's session.
func Business(tb testing.TB, db *store.DB) core.Session {
	tb.Helper()
	ctx := context.Background()
	id := uuid.NewString()[:8]
	su := core.Signup{Owner: protocol.SignupOwner{Name: "Owner", Email: id + "@example.in", Phone: fmt.Sprintf("9%09d", time.Now().UnixNano()%1e9)},
		Business: protocol.SignupBusiness{Name: "Shop", StateCode: "27"}, AgeConfirmed: true, TermsAccepted: true}
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

// Mutations returns count valid mutations of the session's device numbered
// from from: new products (records) and invoices (documents) in turn.
func Mutations(s core.Session, from int64, count int) []protocol.Mutation {
	clock := protocol.NewClock(s.DeviceID, protocol.HLC{}, nil)
	out := make([]protocol.Mutation, count)
	for i := range out {
		table, op := "products", protocol.OpUpsert
		if i%2 == 1 {
			table, op = "invoices", protocol.OpInsert
		}
		data, _ := json.Marshal(map[string]any{"name": fmt.Sprint("Item ", i), "price": 1000 + i, "hsn": "3401", "gst_rate": 1800})
		out[i] = protocol.Mutation{N: from + int64(i), Table: table, ID: uuid.Must(uuid.NewV7()).String(),
			HLC: clock.Now().String(), Op: op, Data: data}
	}
	return out
}
