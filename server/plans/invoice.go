package plans

import (
	"fmt"
	"time"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/server/quota"
)

// Seller is AI Naukar as the supplier on our tax invoices (from settings).
type Seller struct {
	Name    string
	GSTIN   string
	Address string
	// SAC is the services accounting code of the subscription.
	SAC string
}

// Buyer is the shop as the recipient.
type Buyer struct {
	Name      string
	GSTIN     string // "" when the shop gave none
	StateCode string
	Address   string
}

// GSTRate is the GST rate of our service: 18%.
const GSTRate gst.RateBP = 1800

// Invoice is one of our GST tax invoices to a shop for one charge. It is a
// snapshot: seller, buyer and amounts as they were when it was issued.
type Invoice struct {
	ID             string
	BusinessID     string
	Number         string // AIN/2026-27/00001: gapless within a financial year
	FY             string
	Seq            int64
	IssuedAt       time.Time
	PaymentID      string
	SubscriptionID string
	Plan           string
	PlanName       string
	PeriodStart    time.Time
	PeriodEnd      time.Time
	Seller         Seller
	Buyer          Buyer
	Supply         gst.SupplyType
	Taxable        int64
	CGST, SGST     int64
	IGST           int64
	Total          int64 // what was charged, GST included
}

// InvoicePrefix starts every invoice number.
const InvoicePrefix = "AIN"

// FinancialYear is India's financial year (April to March, IST) of t, as
// "2026-27".
func FinancialYear(t time.Time) string {
	t = t.In(quota.IST)
	y := t.Year()
	if t.Month() < time.April {
		y--
	}
	return fmt.Sprintf("%d-%02d", y, (y+1)%100)
}

// InvoiceNumber is the number of the seq-th invoice of a financial year.
func InvoiceNumber(fy string, seq int64) string {
	return fmt.Sprintf("%s/%s/%05d", InvoicePrefix, fy, seq)
}

// NewInvoice works out the tax of a charge of total paise (GST included)
// by the shared GST rules (app/gst): IGST when the shop is in another state
// than ours, else CGST and SGST. Number and ID are given by the store.
func NewInvoice(seller Seller, buyer Buyer, total int64, issued time.Time) Invoice {
	supply := gst.SupplyTypeFor(gst.GSTINState(seller.GSTIN), buyer.StateCode, false)
	r := gst.Compute([]gst.LineInput{{Amount: total, Inclusive: true, Rate: GSTRate}}, supply)
	return Invoice{IssuedAt: issued, FY: FinancialYear(issued), Seller: seller, Buyer: buyer, Supply: supply,
		Taxable: r.Taxable, CGST: r.CGST, SGST: r.SGST, IGST: r.IGST, Total: total}
}
