package plans_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/server/plans"
	"github.com/ainaukar/naukar/server/store/storetest"
)

var seller = plans.Seller{Name: "AI Naukar Technologies", GSTIN: "27AAPFU0939F1ZV", Address: "Pune", SAC: "998315"}

func TestNewInvoiceTax(t *testing.T) {
	at := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	intra := plans.NewInvoice(seller, plans.Buyer{Name: "Kumar Kirana", StateCode: "27"}, 49900, at)
	if intra.Supply != gst.Intra || intra.Taxable != 42288 || intra.CGST != 3806 || intra.SGST != 3806 || intra.IGST != 0 {
		t.Errorf("same state: %+v", intra)
	}
	inter := plans.NewInvoice(seller, plans.Buyer{Name: "Bengaluru Stores", GSTIN: "29AAGCB1286Q1Z4", StateCode: "29"}, 149900, at)
	if inter.Supply != gst.Inter || inter.Taxable != 127034 || inter.IGST != 22866 || inter.CGST != 0 {
		t.Errorf("other state: %+v", inter)
	}
	for _, inv := range []plans.Invoice{intra, inter} {
		if inv.Taxable+inv.CGST+inv.SGST+inv.IGST != inv.Total {
			t.Errorf("taxable and tax do not add up to the charge: %+v", inv)
		}
	}
}

func TestFinancialYear(t *testing.T) {
	for at, want := range map[time.Time]string{
		time.Date(2027, 3, 31, 18, 29, 0, 0, time.UTC): "2026-27", // 23:59 IST, 31-03-2027
		time.Date(2027, 3, 31, 18, 30, 0, 0, time.UTC): "2027-28", // 00:00 IST, 01-04-2027
		time.Date(2099, 12, 1, 0, 0, 0, 0, time.UTC):   "2099-00",
	} {
		if got := plans.FinancialYear(at); got != want {
			t.Errorf("%v: %s, want %s", at, got, want)
		}
	}
	if got := plans.InvoiceNumber("2026-27", 42); got != "AIN/2026-27/00042" {
		t.Errorf("number %s", got)
	}
}

// TestInvoiceNumbersGapless: invoices issued at once from many goroutines
// (and the same payment several times) get numbers 1..n with no gap and
// no double, one per payment.
func TestInvoiceNumbersGapless(t *testing.T) {
	for _, st := range storetest.Stores {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			biz := storetest.Business(t, db).BusinessID
			at := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
			var wg sync.WaitGroup
			var mu sync.Mutex
			numbers := map[string]string{} // payment -> number
			for i := range 30 {
				wg.Go(func() {
					inv := plans.NewInvoice(seller, plans.Buyer{Name: "Shop", StateCode: "27"}, 49900, at)
					inv.BusinessID, inv.PaymentID, inv.SubscriptionID, inv.Plan, inv.PlanName = biz, fmt.Sprint("pay_", i%20), "sub_1", "pro", "Pro"
					got, _, err := db.CreateInvoice(context.Background(), inv)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					defer mu.Unlock()
					if prev, ok := numbers[inv.PaymentID]; ok && prev != got.Number {
						t.Errorf("payment %s invoiced twice: %s and %s", inv.PaymentID, prev, got.Number)
					}
					numbers[inv.PaymentID] = got.Number
				})
			}
			wg.Wait()
			seen := map[string]bool{}
			for _, n := range numbers {
				seen[n] = true
			}
			for i := 1; i <= 20; i++ {
				if !seen[plans.InvoiceNumber("2026-27", int64(i))] {
					t.Errorf("number %d missing; have %v", i, numbers)
				}
			}
			list, err := db.Invoices(context.Background(), biz)
			if err != nil || len(list) != 20 {
				t.Fatalf("%d invoices stored (%v), want 20", len(list), err)
			}
			if list[0].Seller != seller || list[0].Buyer.StateCode != "27" {
				t.Errorf("stored snapshot %+v", list[0])
			}
		})
	}
}
