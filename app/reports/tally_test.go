package reports_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
)

// The Tally tags these tests check come from public references:
//
//   - Envelope, TALLYMESSAGE, VOUCHER VCHTYPE/ACTION/OBJVIEW, PERSISTEDVIEW,
//     ISINVOICE, ALLLEDGERENTRIES.LIST, ISDEEMEDPOSITIVE with the sign of
//     AMOUNT: TallyPrime Developer Reference, "Understanding Integration –
//     Transactions" (help.tallysolutions.com/developer-reference/
//     introduction/understanding-integration-transactions/).
//   - Voucher GST tags STATENAME, PARTYGSTIN, COUNTRYOFRESIDENCE,
//     PLACEOFSUPPLY, GSTREGISTRATIONTYPE, VCHGSTSTATUSISINCLUDED/UNCERTAIN
//     on sales, purchases and credit notes, and the item-level GSTHSNNAME,
//     GSTHSNINFERAPPLICABILITY, HSNSOURCETYPE, HSNITEMSOURCE,
//     GSTOVRDNTAXABILITY: TallyPrime Developer Reference, "Changes in XML
//     Tags" (Release 3.0) (help.tallysolutions.com/developer-reference/
//     tdl-enhancements-tally-prime/what-are-the-changes-in-xml-tags/).
//   - Tax ledgers TAXTYPE GST with GSTDUTYHEAD Central Tax / State Tax /
//     Integrated Tax / Cess; party ledgers with PARTYGSTIN, LEDSTATENAME,
//     GSTREGISTRATIONTYPE (Regular, Unregistered/Consumer) and the dated
//     LEDGSTREGDETAILS.LIST / LEDMAILINGDETAILS.LIST (APPLICABLEFROM, GSTIN,
//     STATE, PLACEOFSUPPLY, COUNTRY): public generators on GitHub, e.g. the
//     tallyprime-sdk crate (docs.rs/crate/tallyprime-sdk, models/ledger.rs)
//     and TallyConnector (github.com/Accounting-Companion/TallyConnector).
//   - REMOTEID attribute with GUID: Tally's own voucher export as reposted
//     in public samples (the voucher REMOTEID/GUID pair), and
//     TallyConnector issue #4 ("Using RemoteID in voucher creation"): with a
//     known REMOTEID Tally alters the voucher instead of creating another.
//   - ISCANCELLED: "What is a Cancelled Voucher" (rtslink, a Tally
//     integration vendor): a cancelled voucher stays in Tally without effect,
//     and ISCANCELLED says so in XML.
//   - ALLINVENTORYENTRIES.LIST (STOCKITEMNAME, RATE "n/unit", ACTUALQTY,
//     BILLEDQTY, ACCOUNTINGALLOCATIONS.LIST), LEDGERENTRIES.LIST in invoice
//     view, BILLALLOCATIONS.LIST (NAME, BILLTYPE New Ref / Agst Ref / On
//     Account, AMOUNT) with ISBILLWISEON on the ledger, STOCKITEM with
//     BASEUNITS, GSTDETAILS.LIST (HSNCODE, TAXABILITY, STATEWISEDETAILS.LIST,
//     RATEDETAILS.LIST GSTRATEDUTYHEAD/GSTRATE) and HSNDETAILS.LIST, UNIT
//     with ISSIMPLEUNIT, DECIMALPLACES and GSTREPUOM ("NOS-NUMBERS"): the same
//     Developer Reference page and public generators on GitHub (searched as
//     "ACCOUNTINGALLOCATIONS.LIST", "GSTREPUOM", "GSTRATEDUTYHEAD").

// tallyFile is an export parsed and checked the way Tally would take it.
type tallyFile struct {
	raw      []byte
	env      reports.TallyEnvelope
	ledgers  map[string]*reports.TallyLedger // by name
	items    map[string]*reports.TallyStockItem
	units    map[string]*reports.TallyUnit
	vouchers []*reports.TallyVoucher
}

// parseTally decodes an export and checks every rule Tally applies on import:
// well-formed XML, unique master names (ignoring case), every voucher
// balanced (ledger entries and stock items add up to zero, the sign of each
// AMOUNT matching ISDEEMEDPOSITIVE), every ledger, stock item and unit used
// created in the file (Cash is Tally's own), bill allocations on bill-wise
// ledgers adding up to their entries, and a unique REMOTEID equal to the
// GUID on every voucher.
func parseTally(t *testing.T, raw []byte) *tallyFile {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(raw))
	for {
		if _, err := dec.Token(); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("XML is not well formed: %v", err)
			}
			break
		}
	}
	f := &tallyFile{raw: raw, ledgers: map[string]*reports.TallyLedger{}, items: map[string]*reports.TallyStockItem{},
		units: map[string]*reports.TallyUnit{}}
	if err := xml.Unmarshal(raw, &f.env); err != nil {
		t.Fatalf("XML does not decode: %v", err)
	}
	if f.env.Header.TallyRequest != "Import Data" || f.env.Body.ImportData.RequestDesc.ReportName != "Vouchers" {
		t.Errorf("header %+v / %+v", f.env.Header, f.env.Body.ImportData.RequestDesc)
	}
	folded := map[string]string{}
	unique := func(kind, name string) {
		k := kind + ":" + strings.ToLower(strings.Join(strings.Fields(name), " "))
		if other, ok := folded[k]; ok {
			t.Errorf("%s %q and %q are one master to Tally", kind, other, name)
		}
		folded[k] = name
	}
	for _, m := range f.env.Body.ImportData.RequestData.Messages {
		switch {
		case m.Ledger != nil:
			l := m.Ledger
			unique("ledger", l.Name)
			if l.Names == nil || len(l.Names.Names) != 1 || l.Names.Names[0] != l.Name || l.Action != "Create" || l.Parent == "" {
				t.Errorf("ledger master %+v", l)
			}
			if strings.EqualFold(l.Name, "Cash") {
				t.Errorf("Cash is Tally's own ledger and is not created")
			}
			f.ledgers[l.Name] = l
		case m.StockItem != nil:
			unique("stock item", m.StockItem.Name)
			f.items[m.StockItem.Name] = m.StockItem
		case m.Unit != nil:
			unique("unit", m.Unit.Name)
			f.units[m.Unit.Name] = m.Unit
		case m.Voucher != nil:
			f.vouchers = append(f.vouchers, m.Voucher)
		}
	}
	for _, it := range f.items {
		if f.units[it.BaseUnits] == nil {
			t.Errorf("stock item %q in unit %q that is not created", it.Name, it.BaseUnits)
		}
	}
	ids := map[string]bool{}
	for _, v := range f.vouchers {
		f.checkVoucher(t, v)
		if v.RemoteID == "" || v.RemoteID != v.GUID || ids[v.RemoteID] {
			t.Errorf("%s %s: REMOTEID %q GUID %q (unique and equal)", v.VchType, v.VoucherNumber, v.RemoteID, v.GUID)
		}
		ids[v.RemoteID] = true
	}
	return f
}

func (f *tallyFile) knownLedger(name string) bool { return name == "Cash" || f.ledgers[name] != nil }

func (f *tallyFile) checkVoucher(t *testing.T, v *reports.TallyVoucher) {
	t.Helper()
	what := v.VchType + " " + v.VoucherNumber
	if len(v.Date) != 8 || v.EffectiveDate != v.Date {
		t.Errorf("%s: date %q", what, v.Date)
	}
	if v.PartyLedgerName != "" && !f.knownLedger(v.PartyLedgerName) {
		t.Errorf("%s: party ledger %q is not created", what, v.PartyLedgerName)
	}
	if v.IsCancelled == "Yes" {
		if len(v.AllEntries)+len(v.Entries)+len(v.Inventory) != 0 {
			t.Errorf("%s is cancelled but has entries", what)
		}
		return
	}
	if v.IsInvoice == "Yes" {
		if len(v.AllEntries) != 0 || len(v.Inventory) == 0 || v.ObjView != "Invoice Voucher View" || v.PersistedView != v.ObjView {
			t.Errorf("%s: an item invoice has its ledgers in LEDGERENTRIES.LIST and its items in ALLINVENTORYENTRIES.LIST: %+v", what, v)
		}
	} else if len(v.Entries) != 0 || len(v.Inventory) != 0 || v.ObjView != "Accounting Voucher View" {
		t.Errorf("%s: an accounting voucher has ALLLEDGERENTRIES.LIST only", what)
	}
	entry := func(e reports.TallyLedgerEntry) int64 {
		a, err := gst.ParseAmount(e.Amount)
		if err != nil {
			t.Fatalf("%s: amount %q: %v", what, e.Amount, err)
		}
		if a == 0 || (e.IsDeemedPositive == "Yes") != (a < 0) {
			t.Errorf("%s: %s is %s but ISDEEMEDPOSITIVE %s", what, e.LedgerName, e.Amount, e.IsDeemedPositive)
		}
		if !f.knownLedger(e.LedgerName) {
			t.Errorf("%s uses ledger %q that is not created", what, e.LedgerName)
		}
		return a
	}
	var sum int64
	n := 0
	for _, e := range append(append([]reports.TallyLedgerEntry(nil), v.AllEntries...), v.Entries...) {
		a := entry(e)
		sum += a
		n++
		l := f.ledgers[e.LedgerName]
		billWise := l != nil && l.IsBillWiseOn == "Yes"
		if billWise != (len(e.Bills) > 0) {
			t.Errorf("%s: %s (bill-wise %v) has bill allocations %+v", what, e.LedgerName, billWise, e.Bills)
		}
		var bills int64
		for _, b := range e.Bills {
			ba, err := gst.ParseAmount(b.Amount)
			mustOK(t, err)
			bills += ba
			if (b.BillType == "On Account") != (b.Name == "") || b.BillType != "New Ref" && b.BillType != "Agst Ref" && b.BillType != "On Account" {
				t.Errorf("%s: bill %+v", what, b)
			}
		}
		if len(e.Bills) > 0 && bills != a {
			t.Errorf("%s: bills of %s add up to %d, the entry is %d", what, e.LedgerName, bills, a)
		}
	}
	for _, it := range v.Inventory {
		n++
		a, err := gst.ParseAmount(it.Amount)
		mustOK(t, err)
		sum += a
		if (it.IsDeemedPositive == "Yes") != (a < 0) {
			t.Errorf("%s: item %s is %s but ISDEEMEDPOSITIVE %s", what, it.StockItemName, it.Amount, it.IsDeemedPositive)
		}
		si := f.items[it.StockItemName]
		if si == nil {
			t.Errorf("%s uses stock item %q that is not created", what, it.StockItemName)
			continue
		}
		qty, unit, _ := strings.Cut(it.ActualQty, " ")
		rate, runit, _ := strings.Cut(it.Rate, "/")
		if unit != si.BaseUnits || runit != unit || it.BilledQty != it.ActualQty {
			t.Errorf("%s: %s in %q at %q, its unit is %s", what, it.StockItemName, it.ActualQty, it.Rate, si.BaseUnits)
		}
		q, err := gst.ParseQty(qty)
		mustOK(t, err)
		r, err := gst.ParseAmount(rate)
		mustOK(t, err)
		// The rate is rounded to the paisa: qty × rate is within half a paisa a unit of the amount.
		if d := abs(r*q/1000 - abs(a)); d*2000 > q+1000 {
			t.Errorf("%s: %s × %s is not %s", what, it.ActualQty, it.Rate, it.Amount)
		}
		var alloc int64
		for _, e := range it.AccountingEntries {
			alloc += entry(e)
		}
		if alloc != a {
			t.Errorf("%s: the allocations of %s add up to %d, not %d", what, it.StockItemName, alloc, a)
		}
	}
	if sum != 0 || n < 2 {
		t.Errorf("%s does not balance (%d): %+v %+v %+v", what, sum, v.AllEntries, v.Entries, v.Inventory)
	}
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// voucher returns the voucher of a type and number (the only one).
func (f *tallyFile) voucher(t *testing.T, typ, number string) *reports.TallyVoucher {
	t.Helper()
	var found *reports.TallyVoucher
	for _, v := range f.vouchers {
		if v.VchType == typ && v.VoucherNumber == number {
			if found != nil {
				t.Fatalf("two %s vouchers %s", typ, number)
			}
			found = v
		}
	}
	if found == nil {
		t.Fatalf("no %s voucher %s", typ, number)
	}
	return found
}

// amounts returns a voucher's ledger amounts (Tally's sign: debit negative).
func amounts(t *testing.T, v *reports.TallyVoucher) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, e := range append(append([]reports.TallyLedgerEntry(nil), v.AllEntries...), v.Entries...) {
		a, err := gst.ParseAmount(e.Amount)
		mustOK(t, err)
		out[e.LedgerName] += a
	}
	for _, it := range v.Inventory {
		for _, e := range it.AccountingEntries {
			a, err := gst.ParseAmount(e.Amount)
			mustOK(t, err)
			out[e.LedgerName] += a
		}
	}
	return out
}

// tallyCompany is what a Tally company holds after importing files: a
// voucher per REMOTEID (importing one again alters it).
type tallyCompany struct {
	vouchers map[string]*reports.TallyVoucher
}

func (c *tallyCompany) load(f *tallyFile) {
	if c.vouchers == nil {
		c.vouchers = map[string]*reports.TallyVoucher{}
	}
	for _, v := range f.vouchers {
		c.vouchers[v.RemoteID] = v
	}
}

// balance is a ledger's balance (debit negative) over the live vouchers.
func (c *tallyCompany) balance(t *testing.T, ledger string) int64 {
	var b int64
	for _, v := range c.vouchers {
		if v.IsCancelled != "Yes" {
			b += amounts(t, v)[ledger]
		}
	}
	return b
}

func mustExport(t *testing.T, svc *reports.Service, from, to string) *tallyFile {
	t.Helper()
	f, _ := exportTally(t, svc, from, to, reports.TallyOptions{})
	return f
}

func exportTally(t *testing.T, svc *reports.Service, from, to string, o reports.TallyOptions) (*tallyFile, reports.TallyStats) {
	t.Helper()
	var buf bytes.Buffer
	stats, err := svc.WriteTally(context.Background(), &buf, mustRange(t, from, to), o)
	mustOK(t, err)
	f := parseTally(t, buf.Bytes())
	vouchers := len(f.vouchers)
	if stats.Vouchers != vouchers || stats.Ledgers != len(f.ledgers) || stats.StockItems != len(f.items) || stats.Units != len(f.units) {
		t.Errorf("stats %+v; the file has %d vouchers, %d ledgers, %d stock items, %d units", stats, vouchers, len(f.ledgers), len(f.items), len(f.units))
	}
	return f, stats
}

// shop is small books for one Tally test, in Maharashtra.
type shop struct {
	t   *testing.T
	st  *store.Store
	svc *reports.Service
}

func newShop(t *testing.T) *shop {
	t.Helper()
	now := day(t, "2025-11-30").Add(10 * time.Hour)
	st, err := store.Open(filepath.Join(t.TempDir(), "books.db"), store.Options{Now: func() time.Time { return now }})
	mustOK(t, err)
	t.Cleanup(func() { st.Close() })
	_, err = st.Init(books.Business{Name: "Golden Traders & Sons", GSTIN: "27AAPFU0939F1ZV", StateCode: "27", InvoicePrefix: "GT"})
	mustOK(t, err)
	return &shop{t: t, st: st, svc: reports.New(st)}
}

func (s *shop) party(p books.Party) books.Party {
	s.t.Helper()
	id, err := s.st.SaveParty(p)
	mustOK(s.t, err)
	p, err = s.st.Party(id)
	mustOK(s.t, err)
	return p
}

func (s *shop) product(p books.Product) books.Product {
	s.t.Helper()
	if p.Unit == "" {
		p.Unit = "NOS"
	}
	p.OpeningStock = 1_000_000
	id, err := s.st.SaveProduct(p)
	mustOK(s.t, err)
	p, err = s.st.Product(id)
	mustOK(s.t, err)
	return p
}

type item struct {
	p   books.Product
	qty int64 // thousandths
}

func draftLines(items []item) []books.DraftLine {
	var out []books.DraftLine
	for _, it := range items {
		out = append(out, books.DraftLine{ProductID: it.p.ID, Product: it.p, Qty: it.qty})
	}
	return out
}

func (s *shop) sale(date string, party *books.Party, pay []books.PaymentPart, items ...item) *books.Invoice {
	s.t.Helper()
	d := &books.SaleDraft{Date: day(s.t, date), Payments: pay, Lines: draftLines(items)}
	if party != nil {
		d.Party = books.SnapshotOf(party, party.ID)
	}
	inv, err := s.st.CreateSale(context.Background(), d)
	mustOK(s.t, err)
	return inv
}

func (s *shop) purchase(date, bill string, party books.Party, pay []books.PaymentPart, items ...item) *books.Purchase {
	s.t.Helper()
	pu, err := s.st.CreatePurchase(context.Background(), &books.PurchaseDraft{Date: day(s.t, date), BillNumber: bill,
		Party: books.SnapshotOf(&party, party.ID), Payments: pay, Lines: draftLines(items)})
	mustOK(s.t, err)
	return pu
}

func (s *shop) expense(date, category, mode string, amount int64) {
	s.t.Helper()
	_, err := s.st.RecordExpense(context.Background(), books.Expense{Date: date, Category: category, Amount: amount, Mode: mode})
	mustOK(s.t, err)
}

var (
	onCredit = []books.PaymentPart{{Mode: books.ModeCredit}}
	inCash   []books.PaymentPart // nil: paid in full in cash
)

func cash(amount int64) []books.PaymentPart {
	return []books.PaymentPart{{Mode: books.ModeCash, Amount: amount}}
}

// TestTallyNameClashes (point 1): parties and expense categories named
// like the export's own ledgers, like Tally's groups, like each other
// (differing only in case) or like one another across kinds each get a
// ledger of their own, and a voucher keeps its meaning.
func TestTallyNameClashes(t *testing.T) {
	s := newShop(t)
	pan := s.product(books.Product{Name: "Steel Pan", HSN: "7323", SalePrice: 45_00, PurchasePrice: 30_00, GSTRate: 1800})
	cashParty := s.party(books.Party{Name: "Cash", Kind: books.Customer, StateCode: "27"})
	roundOff := s.party(books.Party{Name: "Round Off", Kind: books.Customer, StateCode: "27"})
	walkIn := s.party(books.Party{Name: "walk-in  CUSTOMERS", Kind: books.Customer})
	salesNamed := s.party(books.Party{Name: "Sales @ 18%", Kind: books.Customer})
	debtors := s.party(books.Party{Name: "Sundry Debtors", Kind: books.Supplier, GSTIN: "24AANFA2641L1ZF"})
	sharma1 := s.party(books.Party{Name: "Sharma Traders", Kind: books.Customer})
	sharma2 := s.party(books.Party{Name: "sharma  traders", Kind: books.Customer})
	rentParty := s.party(books.Party{Name: "Rent", Kind: books.Customer})
	hindi := s.party(books.Party{Name: `राम & सन्स "बड़े" <थोक>`, Kind: books.Customer})

	// The Rent party came first, so the category made by the first Rent
	// expense is "Rent (Expense)"; the Fuel category comes before the party.
	s.expense("2025-09-01", "Rent", books.ModeBank, 15_000_00)
	s.expense("2025-09-02", "Fuel", books.ModeCash, 300_00)
	fuelParty := s.party(books.Party{Name: "FUEL", Kind: books.Customer})
	s.sale("2025-09-10", &sharma2, onCredit, item{pan, 1000})
	s.sale("2025-09-12", &hindi, onCredit, item{pan, 2000})

	cashSale := s.sale("2025-10-02", &cashParty, inCash, item{pan, 1000})
	// ₹45 @ 18%: 45.00 + 4.05 + 4.05 = 53.10, rounded down to 53.00.
	roundSale := s.sale("2025-10-03", &roundOff, onCredit, item{pan, 1000})
	walkSale := s.sale("2025-10-04", &walkIn, onCredit, item{pan, 1000})
	salesSale := s.sale("2025-10-05", &salesNamed, onCredit, item{pan, 1000})
	bill := s.purchase("2025-10-06", "SD-1", debtors, nil, item{pan, 10_000})
	sharmaSale := s.sale("2025-10-07", &sharma1, onCredit, item{pan, 1000})
	rentSale := s.sale("2025-10-08", &rentParty, onCredit, item{pan, 1000})
	fuelSale := s.sale("2025-10-08", &fuelParty, onCredit, item{pan, 1000})
	s.expense("2025-10-09", "Cash", books.ModeUPI, 250_00)
	s.expense("2025-10-10", "rent", books.ModeBank, 500_00)
	if roundSale.GrandTotal != 53_00 || roundSale.RoundOff != -10 {
		t.Fatalf("the ₹45 bill: %+v", roundSale.Totals)
	}

	oct, _ := exportTally(t, s.svc, "2025-10-01", "2025-10-31", reports.TallyOptions{})
	party := func(f *tallyFile, inv *books.Invoice) string {
		return f.voucher(t, "Sales", inv.Number).PartyLedgerName
	}
	for inv, want := range map[*books.Invoice]string{cashSale: "Cash (Party)", roundSale: "Round Off (Party)",
		walkSale: "walk-in CUSTOMERS (Party)", salesSale: "Sales @ 18% (Party)", sharmaSale: "Sharma Traders",
		rentSale: "Rent", fuelSale: "FUEL (Party)"} {
		if got := party(oct, inv); got != want {
			t.Errorf("%s: party ledger %q, want %q", inv.Number, got, want)
		}
	}
	if got := oct.voucher(t, "Purchase", "SD-1").PartyLedgerName; got != "Sundry Debtors (Party)" || oct.ledgers[got].Parent != "Sundry Creditors" {
		t.Errorf("purchase %s from %q", bill.BillNumber, got)
	}

	// The counter receipt of the Cash party: Cash debited, the party credited.
	r := amounts(t, oct.voucher(t, "Receipt", cashSale.Number+"/R"))
	if len(r) != 2 || r["Cash"] != -53_00 || r["Cash (Party)"] != 53_00 {
		t.Errorf("receipt of the Cash party: %v", r)
	}
	// The Round Off party is debited the bill, 53.00; Round Off takes the 0.10.
	a := amounts(t, oct.voucher(t, "Sales", roundSale.Number))
	if a["Round Off (Party)"] != -53_00 || a["Round Off"] != -10 || a["Sales @ 18%"] != 45_00 || a["Output CGST"] != 4_05 {
		t.Errorf("the ₹53 bill: %v", a)
	}
	// The expense "Cash" is an expense paid by UPI, not a transfer.
	var cashExp, rentExp map[string]int64
	for _, v := range oct.vouchers {
		if strings.HasPrefix(v.Narration, "Cash") {
			cashExp = amounts(t, v)
		}
		if strings.HasPrefix(v.Narration, "rent") {
			rentExp = amounts(t, v)
		}
	}
	if len(cashExp) != 2 || cashExp["Cash (Expense)"] != -250_00 || cashExp["UPI Account"] != 250_00 {
		t.Errorf("expense Cash: %v", cashExp)
	}
	// "rent" is the Rent category, spelled as it was first saved.
	if rentExp["Rent (Expense)"] != -500_00 || oct.ledgers["Rent (Expense)"].Parent != "Indirect Expenses" || oct.ledgers["Rent"].Parent != "Sundry Debtors" {
		t.Errorf("expense rent: %v; ledgers %+v %+v", rentExp, oct.ledgers["Rent (Expense)"], oct.ledgers["Rent"])
	}
	// September's Fuel expense, before the party existed in any file, is already "Fuel".
	sepFuel := false
	for _, v := range mustExport(t, s.svc, "2025-09-01", "2025-09-30").vouchers {
		if v.Narration == "Fuel" {
			sepFuel = amounts(t, v)["Fuel"] == -300_00
		}
	}
	if !sepFuel {
		t.Error("September's Fuel expense is not on the Fuel ledger")
	}

	// The two Sharmas: the first saved keeps the name in every month's file,
	// the second is "(2)" even in a month where the first has no bill.
	sep, _ := exportTally(t, s.svc, "2025-09-01", "2025-09-30", reports.TallyOptions{})
	all, _ := exportTally(t, s.svc, "2025-04-01", "2026-03-31", reports.TallyOptions{})
	sharma2Sale := sep.vouchers[0]
	if sharma2Sale.PartyLedgerName != "sharma traders (2)" {
		t.Errorf("September names the second Sharma %q", sharma2Sale.PartyLedgerName)
	}
	if got := all.voucher(t, "Sales", sharma2Sale.VoucherNumber).PartyLedgerName; got != "sharma traders (2)" {
		t.Errorf("the year names the second Sharma %q", got)
	}
	if got := all.voucher(t, "Sales", sharmaSale.Number).PartyLedgerName; got != "Sharma Traders" {
		t.Errorf("the year names the first Sharma %q", got)
	}
	// Names with &, quotes, < and Devanagari come back as they were.
	if _, ok := sep.ledgers[`राम & सन्स "बड़े" <थोक>`]; !ok || !bytes.Contains(sep.raw, []byte(`राम &amp; सन्स`)) {
		t.Errorf("Hindi party ledger missing or not escaped: %v", sep.ledgers)
	}
	if all.env.Body.ImportData.RequestDesc.Company != "Golden Traders & Sons" {
		t.Errorf("company %q", all.env.Body.ImportData.RequestDesc.Company)
	}
}

// TestTallyCancellationInLaterMonth (point 2): an invoice of 28-Sep
// cancelled on 2-Oct stays in September's file, which is the same file
// when made again after the cancellation, and October's file cancels it
// (the voucher again, same REMOTEID and date, ISCANCELLED Yes), so Tally
// after both imports holds what our books hold.
func TestTallyCancellationInLaterMonth(t *testing.T) {
	s := newShop(t)
	pan := s.product(books.Product{Name: "Steel Pan", HSN: "7323", SalePrice: 1000_00, GSTRate: 1800})
	mehta := s.party(books.Party{Name: "Mehta Stores", Kind: books.Customer, GSTIN: validGSTIN(t, "27AABCM1234A1Z")})
	s.sale("2025-09-27", nil, inCash, item{pan, 1000})
	// ₹1,180: ₹500 paid by UPI at the counter, the rest on account.
	late := s.sale("2025-09-28", &mehta, []books.PaymentPart{{Mode: books.ModeUPI, Amount: 500_00}, {Mode: books.ModeCredit, Amount: 680_00}}, item{pan, 1000})
	opts := reports.TallyOptions{}

	var before bytes.Buffer
	_, err := s.svc.WriteTally(context.Background(), &before, mustRange(t, "2025-09-01", "2025-09-30"), opts)
	mustOK(t, err)
	_, err = s.st.CancelInvoice(context.Background(), late.Number, "wrong party", day(t, "2025-10-02"))
	mustOK(t, err)
	same := s.sale("2025-10-05", &mehta, onCredit, item{pan, 2000})
	_, err = s.st.CancelInvoice(context.Background(), same.Number, "typed twice", day(t, "2025-10-06"))
	mustOK(t, err)
	live := s.sale("2025-10-10", &mehta, onCredit, item{pan, 3000})

	sep, sepStats := exportTally(t, s.svc, "2025-09-01", "2025-09-30", opts)
	if !bytes.Equal(sep.raw, before.Bytes()) {
		t.Fatalf("September's file changed after the cancellation in October:\n%s\n----\n%s", before.Bytes(), sep.raw)
	}
	if v := sep.voucher(t, "Sales", late.Number); v.IsCancelled != "" || sepStats.Cancelled != 0 {
		t.Errorf("September has the sale as it was: %+v", v)
	}

	oct, octStats := exportTally(t, s.svc, "2025-10-01", "2025-10-31", opts)
	if octStats.Cancelled != 2 {
		t.Errorf("stats %+v", octStats)
	}
	sepSale, sepReceipt := sep.voucher(t, "Sales", late.Number), sep.voucher(t, "Receipt", late.Number+"/R")
	for _, pair := range [][2]*reports.TallyVoucher{{sepSale, oct.voucher(t, "Sales", late.Number)}, {sepReceipt, oct.voucher(t, "Receipt", late.Number+"/R")}} {
		was, now := pair[0], pair[1]
		if now.IsCancelled != "Yes" || now.RemoteID != was.RemoteID || now.Date != "20250928" || now.PartyLedgerName != "Mehta Stores" ||
			!strings.Contains(now.Narration, "Cancelled on 02-10-2025: wrong party") {
			t.Errorf("October cancels %s %s: %+v", was.VchType, was.VoucherNumber, now)
		}
	}
	if v := oct.voucher(t, "Sales", same.Number); v.IsCancelled != "Yes" || v.Date != "20251005" {
		t.Errorf("a bill cancelled in its own month: %+v", v)
	}
	if v := oct.voucher(t, "Sales", live.Number); v.IsCancelled != "" {
		t.Errorf("a live bill: %+v", v)
	}

	// In Tally after September then October: Mehta owes what our books say.
	var co tallyCompany
	co.load(sep)
	co.load(oct)
	owes, err := s.st.PartyBalance(mehta.ID)
	mustOK(t, err)
	if got := co.balance(t, "Mehta Stores"); got != -owes || owes != live.GrandTotal {
		t.Errorf("Tally has Mehta at %d, our books %d (the live bill %d)", got, owes, live.GrandTotal)
	}
	if got := co.balance(t, "Sales @ 18%"); got != 1000_00+live.Taxable {
		t.Errorf("Tally's sales %d, want the walk-in bill and the live one", got)
	}
	if got := co.balance(t, "UPI Account"); got != 0 {
		t.Errorf("the cancelled bill's UPI receipt stays in Tally: %d", got)
	}
	// A file covering both months has the bill once, cancelled.
	both, _ := exportTally(t, s.svc, "2025-09-01", "2025-10-31", opts)
	if v := both.voucher(t, "Sales", late.Number); v.IsCancelled != "Yes" {
		t.Errorf("September and October together: %+v", v)
	}
}

// TestTallyReimport (point 4): every voucher's REMOTEID and GUID come from
// our document's id, the same in every file the document is in, so Tally
// alters rather than duplicates when a month is imported twice or a
// quarter after its months.
func TestTallyReimport(t *testing.T) {
	f := newFixture(t)
	may, _ := exportTally(t, f.svc, "2025-05-01", "2025-05-31", reports.TallyOptions{})
	again, _ := exportTally(t, f.svc, "2025-05-01", "2025-05-31", reports.TallyOptions{})
	if !bytes.Equal(may.raw, again.raw) {
		t.Fatal("the same month exported twice differs")
	}
	year, _ := exportTally(t, f.svc, "2025-04-01", "2026-03-31", reports.TallyOptions{})
	ids := map[string]bool{}
	for _, inv := range f.invoices {
		ids["naukar-"+inv.ID] = true
	}
	byID := map[string]*reports.TallyVoucher{}
	for _, v := range year.vouchers {
		byID[v.RemoteID] = v
	}
	for _, v := range may.vouchers {
		if !strings.HasPrefix(v.RemoteID, "naukar-") {
			t.Errorf("%s %s: REMOTEID %q", v.VchType, v.VoucherNumber, v.RemoteID)
		}
		if v.VchType == "Sales" && !ids[v.RemoteID] {
			t.Errorf("sale %s: REMOTEID %q is not its invoice's id", v.VoucherNumber, v.RemoteID)
		}
		w := byID[v.RemoteID]
		if w == nil || w.VoucherNumber != v.VoucherNumber || w.Date != v.Date || len(w.AllEntries) != len(v.AllEntries) {
			t.Errorf("%s %s is another voucher in the year's file: %+v", v.VchType, v.VoucherNumber, w)
		}
	}
	var co tallyCompany
	co.load(may)
	co.load(again)
	if len(co.vouchers) != len(may.vouchers) {
		t.Errorf("importing May twice holds %d vouchers, May has %d", len(co.vouchers), len(may.vouchers))
	}
	co.load(year)
	if len(co.vouchers) != len(year.vouchers) {
		t.Errorf("May then the year holds %d vouchers, the year has %d", len(co.vouchers), len(year.vouchers))
	}
}

// TestTallyGSTDetails (point 3): tax ledgers are GST ledgers of their duty
// head; party ledgers carry GSTIN, registration type, state and country;
// sales, credit notes and purchases say the party's state, country, GSTIN,
// registration type and the place of supply.
func TestTallyGSTDetails(t *testing.T) {
	f := newFixture(t)
	file, _ := exportTally(t, f.svc, "2024-04-01", "2026-03-31", reports.TallyOptions{})
	for name, head := range map[string]string{"Output CGST": "Central Tax", "Output SGST": "State Tax", "Output IGST": "Integrated Tax",
		"Input IGST": "Integrated Tax"} {
		l := file.ledgers[name]
		if l == nil || l.Parent != "Duties & Taxes" || l.TaxType != "GST" || l.GSTDutyHead != head {
			t.Errorf("%s: %+v", name, l)
		}
	}
	reddy := file.ledgers["Reddy Agencies"]
	if reddy == nil || reddy.Parent != "Sundry Debtors" || reddy.GSTIN != "29AABCR1718E1ZL" || reddy.RegistrationType != "Regular" ||
		reddy.State != "Karnataka" || reddy.CountryName != "India" || reddy.CountryOfResidence != "India" || reddy.IsBillWiseOn != "Yes" {
		t.Fatalf("Reddy: %+v", reddy)
	}
	if g := reddy.GSTRegistration; g == nil || g.GSTIN != "29AABCR1718E1ZL" || g.RegistrationType != "Regular" || g.State != "Karnataka" ||
		g.PlaceOfSupply != "Karnataka" || g.ApplicableFrom != "20170701" {
		t.Errorf("Reddy's registration: %+v", g)
	}
	if m := reddy.Mailing; m == nil || m.MailingName != "Reddy Agencies" || m.State != "Karnataka" || m.Country != "India" || m.Address != nil {
		t.Errorf("Reddy's mailing details: %+v", m)
	}
	ravi := file.ledgers["Ravi Kumar"]
	if ravi == nil || ravi.GSTIN != "" || ravi.RegistrationType != "Unregistered/Consumer" || ravi.State != "Tamil Nadu" ||
		ravi.Mailing == nil || ravi.Mailing.Address == nil || len(ravi.Mailing.Address.Lines) != 1 || ravi.Mailing.Address.Lines[0] != "4 Anna Salai, Chennai" {
		t.Errorf("Ravi: %+v %+v", ravi, ravi.Mailing)
	}
	if g := file.ledgers["Gupta Wholesale"]; g == nil || g.Parent != "Sundry Creditors" || g.State != "Gujarat" || g.GSTIN != "24AANFA2641L1ZF" {
		t.Errorf("Gupta: %+v", g)
	}
	for name, want := range map[string]string{"Sales @ 18%": "Taxable", "Sales @ 5%": "Taxable", "Sales Nil Rated": "Nil Rated",
		"Sales Exempt": "Exempt", "Purchase @ 5%": "Taxable"} {
		l := file.ledgers[name]
		if l == nil || l.GSTApplicable != "Applicable" || l.GSTDetails == nil || l.GSTDetails.Taxability != want {
			t.Errorf("%s: %+v", name, l)
		}
	}
	if sw := file.ledgers["Sales @ 18%"].GSTDetails.StateWise; sw == nil || len(sw.Rates) != 3 || sw.Rates[0] != (reports.TallyRate{DutyHead: "Central Tax", Valuation: "Based on Value", Rate: "9"}) ||
		sw.Rates[2].DutyHead != "Integrated Tax" || sw.Rates[2].Rate != "18" {
		t.Errorf("Sales @ 18%% rates: %+v", sw)
	}

	type tags struct{ state, country, gstin, pos, reg string }
	check := func(v *reports.TallyVoucher, want tags) {
		t.Helper()
		got := tags{v.StateName, v.CountryOfResidence, v.PartyGSTIN, v.PlaceOfSupply, v.RegistrationType}
		if got != want || v.GSTStatusIncluded != "Yes" || v.GSTStatusUncertain != "No" {
			t.Errorf("%s %s: %+v, want %+v", v.VchType, v.VoucherNumber, got, want)
		}
	}
	inv := func(i int) string { return f.invoices[i].Number }
	check(file.voucher(t, "Sales", inv(5)), tags{"Karnataka", "India", "29AABCR1718E1ZL", "Karnataka", "Regular"})       // Reddy, inter-state B2B
	check(file.voucher(t, "Sales", inv(4)), tags{"Tamil Nadu", "India", "", "Tamil Nadu", "Unregistered/Consumer"})      // Ravi, B2C large
	check(file.voucher(t, "Sales", inv(2)), tags{"Maharashtra", "India", "", "Maharashtra", "Unregistered/Consumer"})    // walk-in
	check(file.voucher(t, "Purchase", "GW-230"), tags{"Gujarat", "India", "24AANFA2641L1ZF", "Maharashtra", "Regular"})  // goods come to the shop
	check(file.voucher(t, "Purchase", "LF-7"), tags{"Maharashtra", "India", "", "Maharashtra", "Unregistered/Consumer"}) // unregistered farm
	for _, v := range file.vouchers {
		if v.VchType == "Credit Note" && v.Reference == inv(4) { // the return of Ravi's laptop
			check(v, tags{"Tamil Nadu", "India", "", "Tamil Nadu", "Unregistered/Consumer"})
			if v.ReferenceDate != strings.ReplaceAll(f.invoices[4].Date, "-", "") {
				t.Errorf("credit note: original invoice date %q", v.ReferenceDate)
			}
		}
	}
	// Receipts and payments carry no GST.
	if v := file.voucher(t, "Receipt", inv(0)+"/R"); v.PlaceOfSupply != "" || v.GSTStatusIncluded != "" {
		t.Errorf("receipt with GST tags: %+v", v)
	}
}

// TestTallyInventory (point 5): with the option, sales, returns and
// purchases of products are item invoices with stock items (HSN, unit,
// rate), units mapped to GST units, quantities and rates; party entries
// carry bill-wise allocations: a sale or purchase opens a bill, its
// counter payment and its returns settle it, a payment not tied to a bill
// is on account. Without the option the same books have no inventory.
func TestTallyInventory(t *testing.T) {
	f := newFixture(t)
	plain, _ := exportTally(t, f.svc, "2024-04-01", "2026-03-31", reports.TallyOptions{})
	if len(plain.items) != 0 || len(plain.units) != 0 || bytes.Contains(plain.raw, []byte("INVENTORY")) {
		t.Error("an export without the option has stock")
	}
	file, stats := exportTally(t, f.svc, "2024-04-01", "2026-03-31", reports.TallyOptions{Inventory: true})
	if stats.StockItems != 7 || stats.Units != 4 {
		t.Errorf("stats %+v", stats)
	}
	for code, want := range map[string]string{"NOS": "NOS-NUMBERS", "BAG": "BAG-BAGS", "PCS": "PCS-PIECES", "KGS": "KGS-KILOGRAMS"} {
		if u := file.units[code]; u == nil || u.GSTRepUOM != want || u.IsSimpleUnit != "Yes" || u.DecimalPlaces != 3 {
			t.Errorf("unit %s: %+v", code, u)
		}
	}
	bottle := file.items["Steel Bottle"]
	if bottle == nil || bottle.BaseUnits != "NOS" || bottle.GSTApplicable != "Applicable" || bottle.GSTTypeOfSupply != "Goods" ||
		bottle.HSNDetails == nil || bottle.HSNDetails.HSNCode != "73239310" || bottle.GSTDetails.HSNCode != "73239310" ||
		bottle.GSTDetails.Taxability != "Taxable" || bottle.GSTDetails.StateWise.Rates[2].Rate != "18" {
		t.Fatalf("Steel Bottle: %+v %+v", bottle, bottle.GSTDetails)
	}
	if veg := file.items["Fresh Vegetables"]; veg == nil || veg.BaseUnits != "KGS" || veg.GSTDetails.Taxability != "Nil Rated" || veg.GSTDetails.StateWise != nil {
		t.Errorf("vegetables: %+v", veg)
	}
	if wrap := file.items["Gift Wrap"]; wrap == nil || wrap.HSNDetails != nil || wrap.GSTDetails.HSNCode != "" {
		t.Errorf("gift wrap has no HSN: %+v", wrap)
	}
	for _, v := range file.vouchers {
		switch v.VchType {
		case "Sales", "Credit Note", "Purchase":
			if v.IsCancelled == "" && v.IsInvoice != "Yes" {
				t.Errorf("%s %s is not an item invoice", v.VchType, v.VoucherNumber)
			}
		default:
			if v.IsInvoice != "No" {
				t.Errorf("%s %s is an item invoice", v.VchType, v.VoucherNumber)
			}
		}
	}

	// Mehta, 2-5-2025: a bottle (18%), a cover (12%, price with tax) and a kilo of vegetables.
	mehta := file.voucher(t, "Sales", f.invoices[7].Number)
	if len(mehta.Inventory) != 3 {
		t.Fatalf("Mehta's bill: %+v", mehta.Inventory)
	}
	b := mehta.Inventory[0]
	if b.StockItemName != "Steel Bottle" || b.IsDeemedPositive != "No" || b.Amount != "1000.00" || b.Rate != "1000.00/NOS" ||
		b.ActualQty != "1 NOS" || b.BilledQty != "1 NOS" || b.HSN != "73239310" || b.HSNSourceType != "Stock Item" || b.Taxability != "Taxable" ||
		len(b.AccountingEntries) != 1 || b.AccountingEntries[0].LedgerName != "Sales @ 18%" {
		t.Errorf("bottle line: %+v", b)
	}
	if c := mehta.Inventory[1]; c.StockItemName != "Mobile Cover" || c.Amount != "223.21" || c.Rate != "223.21/PCS" || c.AccountingEntries[0].LedgerName != "Sales @ 12%" {
		t.Errorf("cover line: %+v", c)
	}
	if v := mehta.Inventory[2]; v.StockItemName != "Fresh Vegetables" || v.Taxability != "Nil Rated" || v.AccountingEntries[0].LedgerName != "Sales Nil Rated" {
		t.Errorf("vegetable line: %+v", v)
	}
	party := mehta.Entries[0]
	if party.LedgerName != "Mehta Stores" || party.IsPartyLedger != "Yes" || len(party.Bills) != 1 ||
		party.Bills[0] != (reports.TallyBill{Name: f.invoices[7].Number, BillType: "New Ref", Amount: party.Amount}) {
		t.Errorf("Mehta's entry: %+v", party)
	}
	// The purchase of 20 bags of rice at ₹500: stock in.
	rice := file.voucher(t, "Purchase", "GW-230").Inventory[0]
	if rice.StockItemName != "Basmati Rice 5kg" || rice.IsDeemedPositive != "Yes" || rice.Amount != "-10000.00" || rice.Rate != "500.00/BAG" ||
		rice.ActualQty != "20 BAG" || rice.AccountingEntries[0].LedgerName != "Purchase @ 5%" {
		t.Errorf("rice bought: %+v", rice)
	}
	// The return of Mehta's bottle: stock back in, against her bill.
	for _, v := range file.vouchers {
		if v.VchType == "Credit Note" && v.Reference == f.invoices[7].Number {
			if it := v.Inventory[0]; it.StockItemName != "Steel Bottle" || it.IsDeemedPositive != "Yes" || it.Amount != "-1000.00" {
				t.Errorf("bottle returned: %+v", it)
			}
			if bl := v.Entries[0].Bills; len(bl) != 1 || bl[0].BillType != "Agst Ref" || bl[0].Name != f.invoices[7].Number {
				t.Errorf("the return settles Mehta's bill: %+v", v.Entries[0])
			}
		}
	}

	// Bills: Sunita paid ₹500 by UPI at the counter, against her bill.
	sunita := file.voucher(t, "Receipt", f.invoices[6].Number+"/R")
	if bl := sunita.AllEntries[0].Bills; sunita.AllEntries[0].LedgerName != "Sunita Verma" || len(bl) != 1 ||
		bl[0] != (reports.TallyBill{Name: f.invoices[6].Number, BillType: "Agst Ref", Amount: "500.00"}) {
		t.Errorf("Sunita's counter payment: %+v", sunita.AllEntries)
	}
	// The farm's bill paid in cash when entered: New Ref, then Agst Ref.
	if bl := file.voucher(t, "Purchase", "LF-7").Entries[0].Bills; len(bl) != 1 || bl[0].BillType != "New Ref" || bl[0].Name != "LF-7" {
		t.Errorf("the farm's bill: %+v", bl)
	}
	if bl := file.voucher(t, "Payment", "LF-7/P").AllEntries[0].Bills; len(bl) != 1 || bl[0] != (reports.TallyBill{Name: "LF-7", BillType: "Agst Ref", Amount: "-1250.00"}) {
		t.Errorf("paying the farm: %+v", bl)
	}
	// Payments not tied to a bill are on account.
	var onAccount int
	for _, v := range file.vouchers {
		if (v.VchType == "Receipt" || v.VchType == "Payment") && len(v.AllEntries) > 0 && len(v.AllEntries[0].Bills) == 1 && v.AllEntries[0].Bills[0].BillType == "On Account" {
			onAccount++
		}
	}
	if onAccount != 3 { // Reddy's ₹5,000, Sunita's ₹500, ₹10,000 to Gupta
		t.Errorf("%d payments on account, want 3", onAccount)
	}
	if l := file.ledgers["Walk-in Customers"]; l != nil && l.IsBillWiseOn != "No" {
		t.Errorf("Walk-in Customers is bill-wise: %+v", l)
	}
}

// TestTallyStockItemNames (point 5): products sharing a name are different
// stock items, told apart by SKU, else in the order they were made.
func TestTallyStockItemNames(t *testing.T) {
	s := newShop(t)
	teaA := s.product(books.Product{Name: "Tea 250g", SKU: "TEA-A", HSN: "0902", SalePrice: 100_00, GSTRate: 500})
	teaB := s.product(books.Product{Name: "tea 250G", SKU: "TEA-B", HSN: "0902", SalePrice: 120_00, GSTRate: 500})
	soap1 := s.product(books.Product{Name: "Soap", HSN: "3401", SalePrice: 40_00, GSTRate: 1800})
	soap2 := s.product(books.Product{Name: "Soap", HSN: "3401", Unit: "PCS", SalePrice: 45_00, GSTRate: 1800})
	s.sale("2025-10-02", nil, inCash, item{teaB, 1000}, item{soap2, 2000})
	s.sale("2025-10-03", nil, inCash, item{teaA, 1000}, item{soap1, 1500})
	file, _ := exportTally(t, s.svc, "2025-10-01", "2025-10-31", reports.TallyOptions{Inventory: true})
	for name, unit := range map[string]string{"Tea 250g": "NOS", "tea 250G (TEA-B)": "NOS", "Soap": "NOS", "Soap (2)": "PCS"} {
		if it := file.items[name]; it == nil || it.BaseUnits != unit {
			t.Errorf("stock item %q: %+v (items %v)", name, it, file.items)
		}
	}
	if q := file.vouchers[1].Inventory[1]; q.StockItemName != "Soap" || q.ActualQty != "1.5 NOS" || q.Rate != "40.00/NOS" || q.Amount != "60.00" {
		t.Errorf("one and a half soaps: %+v", q)
	}
}

// TestTallySmallFixes (point 6): an 18% item bought from an unregistered
// supplier is an 18% purchase with no input tax (not nil-rated); UPI money
// paid out leaves the UPI account, which has no "Collections" in its name.
func TestTallySmallFixes(t *testing.T) {
	s := newShop(t)
	pan := s.product(books.Product{Name: "Steel Pan", HSN: "7323", SalePrice: 1000_00, PurchasePrice: 600_00, GSTRate: 1800})
	veg := s.product(books.Product{Name: "Vegetables", Unit: "KGS", SalePrice: 40_00, PurchasePrice: 25_00, Category: gst.Nil})
	farm := s.party(books.Party{Name: "Local Farm", Kind: books.Supplier, StateCode: "27"})
	s.purchase("2025-10-02", "LF-1", farm, cash(1225_00), item{pan, 2000}, item{veg, 1000})
	_, err := s.st.RecordPayment(context.Background(), books.Payment{Date: "2025-10-03", Direction: books.PaymentOut,
		Party: &books.PartySnapshot{ID: farm.ID}, Mode: books.ModeUPI, Amount: 100_00})
	mustOK(t, err)
	s.sale("2025-10-04", nil, []books.PaymentPart{{Mode: books.ModeUPI, Amount: 1180_00}}, item{pan, 1000})

	file, _ := exportTally(t, s.svc, "2025-10-01", "2025-10-31", reports.TallyOptions{})
	a := amounts(t, file.voucher(t, "Purchase", "LF-1"))
	if a["Purchase @ 18%"] != -1200_00 || a["Purchase Nil Rated"] != -25_00 || len(a) != 3 {
		t.Errorf("the farm's bill: %v", a)
	}
	if l := file.ledgers["Purchase @ 18%"]; l == nil || l.GSTDetails.Taxability != "Taxable" {
		t.Errorf("Purchase @ 18%%: %+v", l)
	}
	for _, v := range file.vouchers {
		if v.VchType == "Payment" && v.Narration == "Payment" {
			if p := amounts(t, v); p["UPI Account"] != 100_00 || p["Local Farm"] != -100_00 {
				t.Errorf("UPI paid to the farm: %v", p)
			}
		}
	}
	if bytes.Contains(file.raw, []byte("Collections")) {
		t.Error("a ledger still says Collections")
	}
	if l := file.ledgers["UPI Account"]; l == nil || l.Parent != "Bank Accounts" {
		t.Errorf("UPI Account: %+v", l)
	}
}
