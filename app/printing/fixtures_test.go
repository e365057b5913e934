package printing_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

// shop is the business the fixtures bill from.
func shop() *books.Business {
	return &books.Business{
		Name: "Sharma General Stores", GSTIN: "27AAPFU0939F1ZV", StateCode: "27",
		Address: "12, Station Road, Dadar West", City: "Mumbai", Pincode: "400028",
		Phone: "9876543210", Email: "accounts@sharmastores.in", UPI: "sharmastores@okicici",
		InvoicePrefix: "SGS", CreditNotePrefix: "CN",
		BankName: "State Bank of India", BankAccount: "30012345678", BankIFSC: "SBIN0001234",
		Terms: "1. Goods once sold will be taken back within 7 days with the bill.\n2. Subject to Mumbai jurisdiction.",
	}
}

var saleDate = time.Date(2026, 11, 20, 11, 0, 0, 0, time.UTC)

type item struct {
	name  string
	hsn   string
	unit  string
	price int64 // paise
	rate  gst.RateBP
	cess  gst.RateBP
	incl  bool
	qty   int64 // milli-units
	disc  int64 // basis points
	cat   gst.Category
}

var catalogue = []item{
	{name: "Tata Salt Iodised 1kg", hsn: "2501", unit: "PCS", price: 2800, rate: 500, qty: 2000},
	{name: "Aashirvaad Shudh Chakki Atta 10kg", hsn: "1101", unit: "BAG", price: 48500, rate: 500, qty: 1000, disc: 500},
	{name: "Fortune Sunflower Oil 1L", hsn: "1512", unit: "BTL", price: 16500, rate: 500, qty: 3000},
	{name: "Surf Excel Easy Wash Detergent Powder 1.5kg", hsn: "3402", unit: "PAC", price: 21000, rate: 1800, qty: 1000},
	{name: "Colgate Strong Teeth Toothpaste 200g", hsn: "3306", unit: "PCS", price: 11800, rate: 1800, qty: 2000, incl: true},
	{name: "Toor Dal (loose)", hsn: "0713", unit: "KGS", price: 16000, rate: 0, qty: 2500},
	{name: "Amul Butter 500g", hsn: "0405", unit: "PCS", price: 28500, rate: 500, qty: 1000},
	{name: "Parle-G Gold Biscuits Family Pack", hsn: "1905", unit: "PAC", price: 10000, rate: 500, qty: 4000},
	{name: "Red Label Tea 1kg", hsn: "0902", unit: "PAC", price: 56000, rate: 500, qty: 1000, disc: 1000},
	{name: "Dettol Original Soap 125g (Pack of 4)", hsn: "3401", unit: "PAC", price: 22400, rate: 1800, qty: 1000},
}

func product(it item) books.Product {
	cat := it.cat
	if cat == "" {
		cat = gst.Taxable
	}
	return books.Product{Name: it.name, HSN: it.hsn, Unit: it.unit, SalePrice: it.price, GSTRate: it.rate,
		CessRate: it.cess, PriceIncludesTax: it.incl, Category: cat}
}

// sale prices a sale of items the way the store does and numbers it.
func sale(t testing.TB, biz *books.Business, party *books.PartySnapshot, items []item, number string) *books.Invoice {
	t.Helper()
	d := &books.SaleDraft{Date: saleDate, Party: party}
	for _, it := range items {
		d.Lines = append(d.Lines, books.DraftLine{Product: product(it), Qty: it.qty, DiscountBP: it.disc})
	}
	inv, err := books.PriceSale(biz, d)
	if err != nil {
		t.Fatalf("price sale: %v", err)
	}
	if party != nil && inv.GrandTotal > 50000 {
		// A registered buyer pays part by UPI and takes the rest on credit.
		d.Payments = []books.PaymentPart{{Mode: books.ModeUPI, Amount: 50000}, {Mode: books.ModeCredit, Amount: inv.GrandTotal - 50000}}
		if inv, err = books.PriceSale(biz, d); err != nil {
			t.Fatalf("price sale: %v", err)
		}
	}
	inv.Number, inv.Series, inv.FY, inv.Seq = number, "A", 2026, 42
	return inv
}

// manyItems returns n lines cycling through the catalogue.
func manyItems(n int) []item {
	out := make([]item, n)
	for i := range out {
		it := catalogue[i%len(catalogue)]
		if i >= len(catalogue) {
			it.name = fmt.Sprintf("%s #%d", it.name, i/len(catalogue)+1)
		}
		out[i] = it
	}
	return out
}

var registeredBuyer = &books.PartySnapshot{Name: "Patel Kirana & Provision Stores", GSTIN: "24AANFA2641L1ZF", StateCode: "24",
	Address: "Shop 4, Relief Road", City: "Ahmedabad", Pincode: "380001", Phone: "9898012345"}

var localBuyer = &books.PartySnapshot{Name: "Ravi Sharma", StateCode: "27", Address: "B-203, Shanti Niwas, Shivaji Park", City: "Mumbai", Pincode: "400016", Phone: "9820098200"}

// hindiBuyer is registered in the shop's state, with a GSTIN of its own (a
// sale to the shop's own GSTIN is refused).
var hindiBuyer = &books.PartySnapshot{Name: "आशीर्वाद ट्रेडर्स", GSTIN: "27AABCS1429B1ZU", StateCode: "27",
	Address: "क्षत्रिय मार्ग, दादर", City: "Mumbai", Pincode: "400014", Phone: "9833012345"}

var hindiItems = []item{
	{name: "बासमती चावल 5 किलो", hsn: "1006", unit: "BAG", price: 62500, rate: 500, qty: 2000},
	{name: "क्षत्रिय शुद्ध देसी घी 1 लीटर", hsn: "0405", unit: "BTL", price: 65000, rate: 1200 - 700, qty: 1000},
	{name: "Tata Salt Iodised 1kg", hsn: "2501", unit: "PCS", price: 2800, rate: 500, qty: 3000},
	{name: "हल्दी पाउडर (Turmeric) 200g", hsn: "0910", unit: "PAC", price: 6400, rate: 500, qty: 2000},
}

// creditNoteFor returns a credit note for part of the first two lines of inv.
func creditNoteFor(t testing.TB, biz *books.Business, inv *books.Invoice) *books.CreditNote {
	t.Helper()
	items := []books.ReturnLine{{Index: 0, Qty: inv.Lines[0].Qty / 2}}
	if len(inv.Lines) > 1 {
		items = append(items, books.ReturnLine{Index: 1, Qty: inv.Lines[1].Qty})
	}
	cn, err := books.PriceReturn(biz, inv, false, nil, items, saleDate.AddDate(0, 0, 2), "Damaged packet", nil, true)
	if err != nil {
		t.Fatalf("price return: %v", err)
	}
	cn.Number, cn.Series, cn.FY, cn.Seq = "CN/26-27/A/0001", "A", 2026, 1
	return cn
}
