package reports

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/store"
)

// Tally XML: the books as vouchers an accountant imports into TallyPrime
// (Gateway of Tally → Import → Transactions). Every voucher balances: in
// Tally's convention a debit is ISDEEMEDPOSITIVE Yes with a negative AMOUNT,
// a credit ISDEEMEDPOSITIVE No with a positive AMOUNT, so the AMOUNTs of a
// voucher (its ledger entries and its stock items) add up to zero. The
// masters the vouchers use come first: units, stock items, ledgers.
//
// Three promises make the file safe to import as it is:
//
//   - Every ledger name means one thing. Tally knows a master by its name,
//     ignoring case, so a party or expense category named like one of the
//     ledgers this export makes ("Cash", "Round Off", "Sales @ 18%", a Tally
//     group…) gets " (Party)" or " (Expense)"; of a party and a category
//     sharing a name, the one made later does; two parties sharing a name
//     get " (2)", " (3)"… in the order they were made. Creation order never
//     changes, so the same party has the same ledger in every month's file
//     (renaming a party or product to or from a name another one holds is
//     the one thing that moves these suffixes).
//   - Every voucher carries a stable identity (REMOTEID and GUID made from
//     our document's id): importing a month again alters the vouchers Tally
//     has instead of adding them twice.
//   - A month's file depends only on documents dated in that month, so an
//     export made again later is the same, byte for byte. A cancellation
//     lands in the month it was made: see the Cancellation callback below.

// TallyEnvelope is the root of a Tally import file.
type TallyEnvelope struct {
	XMLName xml.Name    `xml:"ENVELOPE"`
	Header  TallyHeader `xml:"HEADER"`
	Body    TallyBody   `xml:"BODY"`
}

// TallyHeader asks Tally to import data.
type TallyHeader struct {
	TallyRequest string `xml:"TALLYREQUEST"`
}

// TallyBody holds the import request.
type TallyBody struct {
	ImportData TallyImportData `xml:"IMPORTDATA"`
}

// TallyImportData names the import and holds its messages.
type TallyImportData struct {
	RequestDesc TallyRequestDesc `xml:"REQUESTDESC"`
	RequestData TallyRequestData `xml:"REQUESTDATA"`
}

// TallyRequestDesc names the report and company imported into.
type TallyRequestDesc struct {
	XMLName    xml.Name `xml:"REQUESTDESC"`
	ReportName string   `xml:"REPORTNAME"`
	Company    string   `xml:"STATICVARIABLES>SVCURRENTCOMPANY,omitempty"`
}

// TallyRequestData holds the messages: masters, then vouchers.
type TallyRequestData struct {
	Messages []TallyMessage `xml:"TALLYMESSAGE"`
}

// TallyMessage carries one master or one voucher.
type TallyMessage struct {
	XMLName   xml.Name        `xml:"TALLYMESSAGE"`
	UDF       string          `xml:"xmlns:UDF,attr,omitempty"`
	Unit      *TallyUnit      `xml:"UNIT,omitempty"`
	StockItem *TallyStockItem `xml:"STOCKITEM,omitempty"`
	Ledger    *TallyLedger    `xml:"LEDGER,omitempty"`
	Voucher   *TallyVoucher   `xml:"VOUCHER,omitempty"`
}

// TallyNameList is a master's name (Tally keeps aliases in the same list).
type TallyNameList struct {
	Type  string   `xml:"TYPE,attr"`
	Names []string `xml:"NAME"`
}

func nameList(name string) *TallyNameList {
	return &TallyNameList{Type: "String", Names: []string{name}}
}

// TallyLedger is a ledger master. Party ledgers carry their GST details
// twice: the flat tags older releases read, and the dated lists
// (LEDMAILINGDETAILS.LIST, LEDGSTREGDETAILS.LIST) TallyPrime reads from
// Release 3.0.
type TallyLedger struct {
	Name          string           `xml:"NAME,attr"`
	Action        string           `xml:"ACTION,attr"`
	Names         *TallyNameList   `xml:"NAME.LIST"`
	Parent        string           `xml:"PARENT"`
	TaxType       string           `xml:"TAXTYPE,omitempty"`
	GSTDutyHead   string           `xml:"GSTDUTYHEAD,omitempty"`
	GSTApplicable string           `xml:"GSTAPPLICABLE,omitempty"`
	GSTDetails    *TallyGSTDetails `xml:"GSTDETAILS.LIST,omitempty"`
	IsBillWiseOn  string           `xml:"ISBILLWISEON,omitempty"`
	// Party details.
	RegistrationType   string            `xml:"GSTREGISTRATIONTYPE,omitempty"`
	GSTIN              string            `xml:"PARTYGSTIN,omitempty"`
	State              string            `xml:"LEDSTATENAME,omitempty"`
	CountryName        string            `xml:"COUNTRYNAME,omitempty"`
	CountryOfResidence string            `xml:"COUNTRYOFRESIDENCE,omitempty"`
	Mailing            *TallyMailing     `xml:"LEDMAILINGDETAILS.LIST,omitempty"`
	GSTRegistration    *TallyGSTRegistry `xml:"LEDGSTREGDETAILS.LIST,omitempty"`
}

// TallyMailing is a party's dated mailing details.
type TallyMailing struct {
	ApplicableFrom string        `xml:"APPLICABLEFROM"`
	MailingName    string        `xml:"MAILINGNAME"`
	Address        *TallyAddress `xml:"ADDRESS.LIST,omitempty"`
	State          string        `xml:"STATE,omitempty"`
	Country        string        `xml:"COUNTRY,omitempty"`
	Pincode        string        `xml:"PINCODE,omitempty"`
}

// TallyAddress is the lines of an address.
type TallyAddress struct {
	Type  string   `xml:"TYPE,attr"`
	Lines []string `xml:"ADDRESS"`
}

// TallyGSTRegistry is a party's dated GST registration.
type TallyGSTRegistry struct {
	ApplicableFrom   string `xml:"APPLICABLEFROM"`
	RegistrationType string `xml:"GSTREGISTRATIONTYPE"`
	State            string `xml:"STATE,omitempty"`
	PlaceOfSupply    string `xml:"PLACEOFSUPPLY,omitempty"`
	GSTIN            string `xml:"GSTIN,omitempty"`
}

// TallyGSTDetails is the taxability (and rates) of a sales or purchase
// ledger or a stock item.
type TallyGSTDetails struct {
	ApplicableFrom string          `xml:"APPLICABLEFROM"`
	HSNCode        string          `xml:"HSNCODE,omitempty"`
	Taxability     string          `xml:"TAXABILITY"`
	StateWise      *TallyStateWise `xml:"STATEWISEDETAILS.LIST,omitempty"`
}

// TallyStateWise holds the rates by duty head. Tally writes its state name
// "Any" with a control character (&#4;) that XML 1.0 does not allow, so the
// name is left out: the rates then apply to every state.
type TallyStateWise struct {
	Rates []TallyRate `xml:"RATEDETAILS.LIST"`
}

// TallyRate is the rate of one duty head.
type TallyRate struct {
	DutyHead  string `xml:"GSTRATEDUTYHEAD"`
	Valuation string `xml:"GSTRATEVALUATIONTYPE"`
	Rate      string `xml:"GSTRATE"`
}

// TallyUnit is a simple unit of measure mapped to its GST unit (UQC).
type TallyUnit struct {
	Name          string         `xml:"NAME,attr"`
	Action        string         `xml:"ACTION,attr"`
	Names         *TallyNameList `xml:"NAME.LIST"`
	IsSimpleUnit  string         `xml:"ISSIMPLEUNIT"`
	DecimalPlaces int            `xml:"DECIMALPLACES"`
	GSTRepUOM     string         `xml:"GSTREPUOM"`
}

// TallyStockItem is a stock item master with its unit, HSN and rate.
type TallyStockItem struct {
	Name            string           `xml:"NAME,attr"`
	Action          string           `xml:"ACTION,attr"`
	Names           *TallyNameList   `xml:"NAME.LIST"`
	BaseUnits       string           `xml:"BASEUNITS"`
	GSTApplicable   string           `xml:"GSTAPPLICABLE"`
	GSTTypeOfSupply string           `xml:"GSTTYPEOFSUPPLY,omitempty"`
	HSNDetails      *TallyHSNDetails `xml:"HSNDETAILS.LIST,omitempty"`
	GSTDetails      *TallyGSTDetails `xml:"GSTDETAILS.LIST,omitempty"`
}

// TallyHSNDetails is the dated HSN of a stock item (TallyPrime 4.0 on;
// earlier releases read HSNCODE inside GSTDETAILS.LIST, also written).
type TallyHSNDetails struct {
	ApplicableFrom string `xml:"APPLICABLEFROM"`
	HSNCode        string `xml:"HSNCODE"`
}

// TallyVoucher is one voucher. In the accounting view its entries are in
// ALLLEDGERENTRIES.LIST; an item invoice (ISINVOICE Yes) has its stock
// items in ALLINVENTORYENTRIES.LIST and its other entries (party, taxes,
// round off) in LEDGERENTRIES.LIST.
type TallyVoucher struct {
	RemoteID           string                `xml:"REMOTEID,attr"`
	VchType            string                `xml:"VCHTYPE,attr"`
	Action             string                `xml:"ACTION,attr"`
	ObjView            string                `xml:"OBJVIEW,attr"`
	Date               string                `xml:"DATE"` // YYYYMMDD
	EffectiveDate      string                `xml:"EFFECTIVEDATE"`
	GUID               string                `xml:"GUID"`
	StateName          string                `xml:"STATENAME,omitempty"`
	CountryOfResidence string                `xml:"COUNTRYOFRESIDENCE,omitempty"`
	PartyGSTIN         string                `xml:"PARTYGSTIN,omitempty"`
	PlaceOfSupply      string                `xml:"PLACEOFSUPPLY,omitempty"`
	RegistrationType   string                `xml:"GSTREGISTRATIONTYPE,omitempty"`
	VoucherTypeName    string                `xml:"VOUCHERTYPENAME"`
	VoucherNumber      string                `xml:"VOUCHERNUMBER"`
	Reference          string                `xml:"REFERENCE,omitempty"`
	ReferenceDate      string                `xml:"REFERENCEDATE,omitempty"`
	PartyLedgerName    string                `xml:"PARTYLEDGERNAME,omitempty"`
	PersistedView      string                `xml:"PERSISTEDVIEW"`
	IsInvoice          string                `xml:"ISINVOICE"`
	IsCancelled        string                `xml:"ISCANCELLED,omitempty"`
	GSTStatusIncluded  string                `xml:"VCHGSTSTATUSISINCLUDED,omitempty"`
	GSTStatusUncertain string                `xml:"VCHGSTSTATUSISUNCERTAIN,omitempty"`
	Narration          string                `xml:"NARRATION,omitempty"`
	AllEntries         []TallyLedgerEntry    `xml:"ALLLEDGERENTRIES.LIST"`
	Entries            []TallyLedgerEntry    `xml:"LEDGERENTRIES.LIST"`
	Inventory          []TallyInventoryEntry `xml:"ALLINVENTORYENTRIES.LIST"`
}

// TallyLedgerEntry is one debit or credit of a voucher.
type TallyLedgerEntry struct {
	LedgerName       string      `xml:"LEDGERNAME"`
	IsDeemedPositive string      `xml:"ISDEEMEDPOSITIVE"` // Yes: debit
	IsPartyLedger    string      `xml:"ISPARTYLEDGER,omitempty"`
	Amount           string      `xml:"AMOUNT"` // rupees; negative for a debit
	Bills            []TallyBill `xml:"BILLALLOCATIONS.LIST"`
}

// TallyBill allocates a party entry to a bill: New Ref opens it (a sale, a
// purchase), Agst Ref settles it (a receipt, a return), On Account is money
// not tied to a bill.
type TallyBill struct {
	Name     string `xml:"NAME,omitempty"`
	BillType string `xml:"BILLTYPE"`
	Amount   string `xml:"AMOUNT"`
}

// TallyInventoryEntry is one item line of an item invoice; its accounting
// allocation names the sales or purchase ledger it posts to.
type TallyInventoryEntry struct {
	StockItemName     string             `xml:"STOCKITEMNAME"`
	IsDeemedPositive  string             `xml:"ISDEEMEDPOSITIVE"` // Yes: stock in
	Rate              string             `xml:"RATE"`             // "50.00/NOS", before tax
	Amount            string             `xml:"AMOUNT"`
	ActualQty         string             `xml:"ACTUALQTY"` // "2.5 KGS"
	BilledQty         string             `xml:"BILLEDQTY"`
	HSN               string             `xml:"GSTHSNNAME,omitempty"`
	HSNApplicability  string             `xml:"GSTHSNINFERAPPLICABILITY,omitempty"`
	HSNSourceType     string             `xml:"HSNSOURCETYPE,omitempty"`
	HSNItemSource     string             `xml:"HSNITEMSOURCE,omitempty"`
	Taxability        string             `xml:"GSTOVRDNTAXABILITY,omitempty"`
	AccountingEntries []TallyLedgerEntry `xml:"ACCOUNTINGALLOCATIONS.LIST"`
}

// TallyOptions says what a Tally export includes.
type TallyOptions struct {
	// Inventory writes sales, returns and purchases of items as item
	// invoices (stock items with HSN, unit, quantity and rate), for
	// accountants who keep stock in Tally; without it they are accounting
	// vouchers.
	Inventory bool
}

// TallyStats says what an export wrote.
type TallyStats struct {
	Ledgers    int
	StockItems int
	Units      int
	Vouchers   int
	Cancelled  int // invoices written as cancelled because they were cancelled in the period
}

// Tally's predefined groups. A master name is unique across them and the
// ledgers, so a party or category may not take one.
const (
	grpDebtors   = "Sundry Debtors"
	grpCreditors = "Sundry Creditors"
	grpSales     = "Sales Accounts"
	grpPurchase  = "Purchase Accounts"
	grpTaxes     = "Duties & Taxes"
	grpCash      = "Cash-in-Hand"
	grpBank      = "Bank Accounts"
	grpIndirect  = "Indirect Expenses"
)

var tallyGroups = []string{"Branch / Divisions", "Capital Account", "Current Assets", "Current Liabilities",
	"Direct Expenses", "Direct Incomes", "Fixed Assets", "Indirect Expenses", "Indirect Incomes", "Investments",
	"Loans (Liability)", "Misc. Expenses (ASSET)", "Purchase Accounts", "Sales Accounts", "Suspense A/c",
	"Bank Accounts", "Bank OD A/c", "Cash-in-Hand", "Deposits (Asset)", "Duties & Taxes", "Loans & Advances (Asset)",
	"Provisions", "Reserves & Surplus", "Secured Loans", "Stock-in-Hand", "Sundry Creditors", "Sundry Debtors",
	"Unsecured Loans"}

// The ledgers this export makes itself.
const (
	ledgerCash     = "Cash" // Tally's own: used, never created
	ledgerUPI      = "UPI Account"
	ledgerCard     = "Card Account"
	ledgerBank     = "Bank Account"
	ledgerRoundOff = "Round Off"
	ledgerWalkIn   = "Walk-in Customers"
	ledgerURDBuy   = "Purchase Unregistered"
)

// gstStart dates the masters' GST details: from the first day of GST, so
// they cover every document and never change between exports.
const gstStart = "20170701"

// Tally's GST registration types and the country of Indian parties.
const (
	regRegular      = "Regular"
	regUnregistered = "Unregistered/Consumer"
	india           = "India"
)

// dutyHeads are Tally's names of the GST heads.
var dutyHeads = map[string]string{"CGST": "Central Tax", "SGST": "State Tax", "IGST": "Integrated Tax", "Cess": "Cess"}

var reservedNames = func() map[string]bool {
	m := map[string]bool{foldName("Profit & Loss A/c"): true}
	for _, g := range tallyGroups {
		m[foldName(g)] = true
	}
	for _, n := range []string{ledgerCash, ledgerUPI, ledgerCard, ledgerBank, ledgerRoundOff, ledgerWalkIn, ledgerURDBuy} {
		m[foldName(n)] = true
	}
	for _, side := range []string{"Output", "Input"} {
		for h := range dutyHeads {
			m[foldName(side+" "+h)] = true
		}
	}
	for _, p := range []string{"Sales", "Purchase"} {
		for _, k := range []string{"Nil Rated", "Exempt", "Non-GST"} {
			m[foldName(p+" "+k)] = true
		}
	}
	return m
}()

// foldName is how Tally compares master names: case does not matter, nor
// runs of spaces.
func foldName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// cleanName trims a name and collapses its spaces.
func cleanName(s string) string { return strings.Join(strings.Fields(s), " ") }

// reservedName reports whether a folded name is, or could be, one of the
// ledgers or groups the export relies on ("Sales @ 18%" and the like too).
func reservedName(f string) bool {
	if reservedNames[f] {
		return true
	}
	for _, p := range []string{"sales @ ", "purchase @ "} {
		if strings.HasPrefix(f, p) && strings.HasSuffix(f, "%") {
			return true
		}
	}
	return false
}

// claim gives key the name base, or base (n) for the first n from start
// not held by another key (start 1 tries base itself first).
func claim(owners map[string]string, base, key string, start int) string {
	name := base
	if start > 1 {
		name = fmt.Sprintf("%s (%d)", base, start)
	}
	for n := start + 1; ; n++ {
		f := foldName(name)
		if o, ok := owners[f]; !ok || o == key {
			owners[f] = key
			return name
		}
		name = fmt.Sprintf("%s (%d)", base, n)
	}
}

// rank is the position (from 1) of id among the ids holding a name, in id
// order (ids are UUIDv7, so creation order): the first-created record keeps
// the plain name, and a record created later never changes an earlier one's.
func rank(ids []string, id string) int { return sort.SearchStrings(ids, id) + 1 }

// tallyBook collects the masters the vouchers use and names them uniquely.
type tallyBook struct {
	biz       books.Business
	inventory bool

	ledgers   map[string]*TallyLedger     // by name
	created   map[string]bool             // ledger names written as masters
	owner     map[string]string           // folded ledger name → what holds it
	partyName map[string]string           // party key → ledger name
	partyIDs  map[string][]string         // folded party name → ids of the parties with it, sorted
	category  map[string]store.RecordName // folded category → its first record (spelling, id)
	expense   map[string]string           // folded category → ledger name

	items     map[string]*TallyStockItem // by name
	itemName  map[string]string          // product key → stock item name
	itemOwner map[string]string          // folded stock item name → product key
	itemIDs   map[string][]string        // folded product name → ids, sorted
	units     map[string]*TallyUnit
}

func (s *Service) newTallyBook(ctx context.Context, o TallyOptions) (*tallyBook, error) {
	biz, err := s.st.Business()
	if err != nil {
		return nil, err
	}
	b := &tallyBook{biz: biz, inventory: o.Inventory, ledgers: map[string]*TallyLedger{}, created: map[string]bool{},
		owner: map[string]string{}, partyName: map[string]string{}, partyIDs: map[string][]string{},
		category: map[string]store.RecordName{}, expense: map[string]string{},
		items: map[string]*TallyStockItem{}, itemName: map[string]string{}, itemOwner: map[string]string{},
		itemIDs: map[string][]string{}, units: map[string]*TallyUnit{}}
	parties, err := s.st.PartyNames(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range parties { // in id order
		f := foldName(p.Name)
		b.partyIDs[f] = append(b.partyIDs[f], p.ID)
	}
	cats, err := s.st.ExpenseCategoryNames(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		if f := foldName(c.Name); f != "" {
			if _, ok := b.category[f]; !ok {
				b.category[f] = store.RecordName{ID: c.ID, Name: cleanName(c.Name)}
			}
		}
	}
	if o.Inventory {
		products, err := s.st.AllProductNames(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range products {
			f := foldName(p.Name)
			b.itemIDs[f] = append(b.itemIDs[f], p.ID)
		}
	}
	return b, nil
}

// fixed returns one of the export's own ledgers, creating its master.
func (b *tallyBook) fixed(name, parent string, set func(*TallyLedger)) string {
	if _, ok := b.ledgers[name]; !ok {
		b.owner[foldName(name)] = "fixed:" + name
		l := &TallyLedger{Name: name, Action: "Create", Names: nameList(name), Parent: parent}
		if set != nil {
			set(l)
		}
		b.ledgers[name] = l
		b.created[name] = name != ledgerCash
	}
	return name
}

// party returns the ledger of a party. Its group and GST details are those
// of the first document of the file that names it (a sale: Sundry Debtors;
// a purchase: Sundry Creditors), so a file depends on its documents alone;
// once Tally has a ledger, a later file's master for it changes nothing.
func (b *tallyBook) party(p *books.PartySnapshot, group string) string {
	key := "party:" + p.ID
	if p.ID == "" {
		key = "party-name:" + foldName(p.Name)
	}
	if n, ok := b.partyName[key]; ok {
		return n
	}
	name := cleanName(p.Name)
	if name == "" {
		name = "Unnamed party"
	}
	f := foldName(name)
	start := 1
	if p.ID != "" {
		start = rank(b.partyIDs[f], p.ID)
	}
	if reservedName(f) || b.categoryFirst(f, p.ID) {
		name += " (Party)"
	}
	name = claim(b.owner, name, key, start)
	b.partyName[key] = name
	l := &TallyLedger{Name: name, Action: "Create", Names: nameList(name), Parent: group, IsBillWiseOn: "Yes",
		RegistrationType: regType(p.GSTIN), GSTIN: p.GSTIN}
	state := partyState(p, "")
	stateName := ""
	if state != "96" {
		stateName, _ = gst.StateName(state)
		l.CountryName, l.CountryOfResidence = india, india
	}
	l.State = stateName
	var addr *TallyAddress
	for _, a := range []string{p.Address, p.City} {
		if a = cleanName(a); a != "" {
			if addr == nil {
				addr = &TallyAddress{Type: "String"}
			}
			addr.Lines = append(addr.Lines, a)
		}
	}
	l.Mailing = &TallyMailing{ApplicableFrom: gstStart, MailingName: cleanName(p.Name), Address: addr, State: stateName,
		Country: l.CountryName, Pincode: p.Pincode}
	l.GSTRegistration = &TallyGSTRegistry{ApplicableFrom: gstStart, RegistrationType: l.RegistrationType,
		State: stateName, PlaceOfSupply: stateName, GSTIN: p.GSTIN}
	b.ledgers[name] = l
	b.created[name] = true
	return name
}

// categoryFirst reports whether an expense category named f was made
// before every party of that name (partyID too): then the category keeps
// the plain name and the parties take " (Party)", else the other way round.
// Creation order (ids are UUIDv7) never changes, so neither does the name.
// A category known only from expenses counts as made last.
func (b *tallyBook) categoryFirst(f, partyID string) bool {
	c, ok := b.category[f]
	if !ok {
		return false
	}
	first := partyID
	if ids := b.partyIDs[f]; len(ids) > 0 && (first == "" || ids[0] < first) {
		first = ids[0]
	}
	if c.ID == "" {
		return first == ""
	}
	return first == "" || c.ID < first
}

// expenseLedger returns the ledger of an expense category: one per
// category whatever its case, spelled as the category was first saved.
func (b *tallyBook) expenseLedger(cat string) string {
	f := foldName(cat)
	if n, ok := b.expense[f]; ok {
		return n
	}
	c, ok := b.category[f]
	name := c.Name
	if !ok {
		name = cleanName(cat)
	}
	if name == "" {
		name = "Expenses"
	}
	if reservedName(f) || (len(b.partyIDs[f]) > 0 && !b.categoryFirst(f, "")) {
		name += " (Expense)"
	}
	name = claim(b.owner, name, "expense:"+f, 1)
	b.expense[f] = name
	b.ledgers[name] = &TallyLedger{Name: name, Action: "Create", Names: nameList(name), Parent: grpIndirect}
	b.created[name] = true
	return name
}

func (b *tallyBook) walkIn() string {
	return b.fixed(ledgerWalkIn, grpDebtors, func(l *TallyLedger) { l.IsBillWiseOn = "No" })
}

func (b *tallyBook) roundOff() string { return b.fixed(ledgerRoundOff, grpIndirect, nil) }

// mode returns the ledger money of a payment mode moves through: in and
// out alike (a UPI payment to a supplier leaves the same account UPI
// collections arrive in).
func (b *tallyBook) mode(m string) string {
	switch m {
	case books.ModeCash:
		return b.fixed(ledgerCash, grpCash, nil)
	case books.ModeUPI:
		return b.fixed(ledgerUPI, grpBank, nil)
	case books.ModeCard:
		return b.fixed(ledgerCard, grpBank, nil)
	}
	return b.fixed(ledgerBank, grpBank, nil)
}

// taxLedger returns the ledger of a GST head, marked as GST of that duty
// head so Tally's GST reports read it.
func (b *tallyBook) taxLedger(prefix, head string) string {
	return b.fixed(prefix+" "+head, grpTaxes, func(l *TallyLedger) {
		l.TaxType, l.GSTDutyHead = "GST", dutyHeads[head]
	})
}

// taxability is Tally's taxability of a line.
func taxability(l *books.Line) string {
	switch gst.ReturnCategory(l.Rate, l.Category) {
	case gst.Exempt:
		return "Exempt"
	case gst.Nil:
		return "Nil Rated"
	case gst.NonGST:
		return "Non-GST"
	}
	return "Taxable"
}

// rateDetails are the rates of a GST rate by duty head.
func rateDetails(r, cess gst.RateBP) *TallyStateWise {
	pct := func(bp gst.RateBP, div float64) string {
		return strconv.FormatFloat(float64(bp)/100/div, 'f', -1, 64)
	}
	sw := &TallyStateWise{Rates: []TallyRate{
		{"Central Tax", "Based on Value", pct(r, 2)},
		{"State Tax", "Based on Value", pct(r, 2)},
		{"Integrated Tax", "Based on Value", pct(r, 1)},
	}}
	if cess != 0 {
		sw.Rates = append(sw.Rates, TallyRate{"Cess", "Based on Value", pct(cess, 1)})
	}
	return sw
}

// lineLedger names the sales or purchase ledger of a line. A taxable line
// with no rate on a purchase from an unregistered supplier (bills saved
// before lines kept their rate) is not nil-rated: it goes to Purchase
// Unregistered.
func (b *tallyBook) lineLedger(l *books.Line, sales, unregistered bool) string {
	prefix, parent := "Sales", grpSales
	if !sales {
		prefix, parent = "Purchase", grpPurchase
	}
	tx := taxability(l)
	name := prefix + " " + tx
	var rates *TallyStateWise
	switch {
	case tx == "Taxable":
		name = fmt.Sprintf("%s @ %s%%", prefix, l.Rate)
		rates = rateDetails(l.Rate, 0)
	case !sales && unregistered && tx == "Nil Rated" && l.Category != gst.Nil:
		name, tx = ledgerURDBuy, "Taxable"
	}
	return b.fixed(name, parent, func(led *TallyLedger) {
		led.GSTApplicable = "Applicable"
		led.GSTDetails = &TallyGSTDetails{ApplicableFrom: gstStart, Taxability: tx, StateWise: rates}
	})
}

// unit returns the unit of a line, a GST unit quantity code.
func (b *tallyBook) unit(u string) string {
	code := strings.ToUpper(strings.TrimSpace(u))
	if code == "" {
		code = "NOS"
	}
	if _, ok := b.units[code]; !ok {
		b.units[code] = &TallyUnit{Name: code, Action: "Create", Names: nameList(code), IsSimpleUnit: "Yes",
			DecimalPlaces: 3, GSTRepUOM: gst.UQCLabel(code)}
	}
	return code
}

// stockItem returns the stock item of a line, named after the product as
// the document has it; two products sharing a name are told apart by SKU,
// else by " (2)"… in the order they were created.
func (b *tallyBook) stockItem(l *books.Line) string {
	key := "product:" + l.ProductID
	if n, ok := b.itemName[key]; ok {
		return n
	}
	name := cleanName(l.Name)
	if name == "" {
		name = "Item"
	}
	start := rank(b.itemIDs[foldName(name)], l.ProductID)
	if start > 1 && cleanName(l.SKU) != "" {
		name, start = name+" ("+cleanName(l.SKU)+")", 1
	}
	name = claim(b.itemOwner, name, key, start)
	b.itemName[key] = name
	it := &TallyStockItem{Name: name, Action: "Create", Names: nameList(name), BaseUnits: b.unit(l.Unit),
		GSTApplicable: "Applicable", GSTTypeOfSupply: "Goods"}
	if strings.HasPrefix(l.HSN, "99") {
		it.GSTTypeOfSupply = "Services"
	}
	tx := taxability(l)
	it.GSTDetails = &TallyGSTDetails{ApplicableFrom: gstStart, HSNCode: l.HSN, Taxability: tx}
	if tx == "Taxable" {
		it.GSTDetails.StateWise = rateDetails(l.Rate, l.CessRate)
	}
	if l.HSN != "" {
		it.HSNDetails = &TallyHSNDetails{ApplicableFrom: gstStart, HSNCode: l.HSN}
	}
	b.items[name] = it
	return name
}

// regType is Tally's GST registration type of a party.
func regType(gstin string) string {
	if gstin != "" {
		return regRegular
	}
	return regUnregistered
}

// partyState is the state code of a party: recorded, else from its GSTIN,
// else fallback.
func partyState(p *books.PartySnapshot, fallback string) string {
	if p != nil && p.StateCode != "" {
		return p.StateCode
	}
	if p != nil && p.GSTIN != "" {
		return gst.GSTINState(p.GSTIN)
	}
	return fallback
}

// vch builds a voucher, summing entries per ledger (debits positive here).
type vch struct {
	v         TallyVoucher
	amount    map[string]int64
	order     []string
	party     string
	bill      TallyBill // the party entry's allocation (its amount is the entry's)
	items     []vchItem
	cancelled bool
}

type vchItem struct {
	name, unit, ledger, hsn, taxability string
	qty, amount                         int64 // amount: debit positive
}

// tallyID is the stable identity of the voucher made from a document (and
// suffix for a second voucher of the same document): importing the same
// document again alters this voucher.
func tallyID(docID, suffix string) string {
	id := "naukar-" + docID
	if suffix != "" {
		id += "-" + suffix
	}
	return id
}

func newVch(typ, date, number, remoteID string) *vch {
	d := strings.ReplaceAll(date, "-", "")
	return &vch{v: TallyVoucher{RemoteID: remoteID, VchType: typ, Action: "Create", ObjView: "Accounting Voucher View",
		Date: d, EffectiveDate: d, GUID: remoteID, VoucherTypeName: typ, VoucherNumber: number,
		PersistedView: "Accounting Voucher View", IsInvoice: "No"}, amount: map[string]int64{}}
}

// add books amount paise to ledger: > 0 debit, < 0 credit.
func (v *vch) add(ledger string, amount int64) {
	if amount == 0 {
		return
	}
	if _, ok := v.amount[ledger]; !ok {
		v.order = append(v.order, ledger)
	}
	v.amount[ledger] += amount
}

// setParty makes ledger the voucher's party, its entry allocated to a bill.
func (v *vch) setParty(ledger, billType, billName string) {
	v.party, v.v.PartyLedgerName = ledger, ledger
	v.bill = TallyBill{Name: billName, BillType: billType}
}

// gstTags says where the supply is and who the party is, as TallyPrime's
// GST reports read a voucher: the party's state and country, its GSTIN and
// registration type, and the place of supply.
func (v *vch) gstTags(p *books.PartySnapshot, state, pos string) {
	if state != "96" {
		if n, ok := gst.StateName(state); ok {
			v.v.StateName, v.v.CountryOfResidence = n, india
		}
	}
	if pos != "96" {
		v.v.PlaceOfSupply, _ = gst.StateName(pos)
	}
	gstin := ""
	if p != nil {
		gstin = p.GSTIN
	}
	v.v.PartyGSTIN, v.v.RegistrationType = gstin, regType(gstin)
	v.v.GSTStatusIncluded, v.v.GSTStatusUncertain = "Yes", "No"
}

// lines books the taxable value of each line, to its sales or purchase
// ledger or, in an item invoice, as a stock item (sign: +1 debit).
func (v *vch) lines(b *tallyBook, ls []books.Line, sales, unregistered bool, sign int64) {
	for i := range ls {
		l := &ls[i]
		ledger := b.lineLedger(l, sales, unregistered)
		if b.inventory && l.ProductID != "" && l.Qty > 0 {
			v.items = append(v.items, vchItem{name: b.stockItem(l), unit: b.unit(l.Unit), ledger: ledger, hsn: l.HSN,
				taxability: taxability(l), qty: l.Qty, amount: sign * l.Taxable})
			continue
		}
		v.add(ledger, sign*l.Taxable)
	}
}

// tax books the GST heads of a document (sign: +1 debit).
func (v *vch) tax(b *tallyBook, prefix string, t books.Totals, sign int64) {
	for _, h := range []struct {
		head   string
		amount int64
	}{{"CGST", t.CGST}, {"SGST", t.SGST}, {"IGST", t.IGST}, {"Cess", t.Cess}} {
		if h.amount != 0 {
			v.add(b.taxLedger(prefix, h.head), sign*h.amount)
		}
	}
}

// balance books whatever is left to make debits equal credits to Round Off.
func (v *vch) balance(b *tallyBook) {
	var sum int64
	for _, a := range v.amount {
		sum += a
	}
	for _, it := range v.items {
		sum += it.amount
	}
	if sum != 0 {
		v.add(b.roundOff(), -sum)
	}
}

func yesNo(debit bool) string {
	if debit {
		return "Yes"
	}
	return "No"
}

func (v *vch) build() *TallyVoucher {
	out := v.v
	if v.cancelled {
		// A cancelled voucher keeps its number, date and party and has no
		// entries: that is how Tally holds a voucher cancelled by hand.
		out.IsCancelled = "Yes"
		return &out
	}
	// The party's entry comes first, as Tally shows it.
	order := v.order
	if v.party != "" {
		order = make([]string, 0, len(v.order))
		order = append(order, v.party)
		for _, l := range v.order {
			if l != v.party {
				order = append(order, l)
			}
		}
	}
	var entries []TallyLedgerEntry
	for _, l := range order {
		a := v.amount[l]
		if a == 0 {
			continue
		}
		e := TallyLedgerEntry{LedgerName: l, IsDeemedPositive: yesNo(a > 0), Amount: gst.FormatAmount(-a)}
		if l == v.party {
			e.IsPartyLedger = "Yes"
			if v.bill.BillType != "" {
				b := v.bill
				b.Amount = e.Amount
				e.Bills = []TallyBill{b}
			}
		}
		entries = append(entries, e)
	}
	if len(v.items) == 0 {
		out.AllEntries = entries
		return &out
	}
	out.ObjView, out.PersistedView, out.IsInvoice = "Invoice Voucher View", "Invoice Voucher View", "Yes"
	out.Entries = entries
	for _, it := range v.items {
		amt := gst.FormatAmount(-it.amount)
		rate := gst.RoundDiv(abs(it.amount)*1000, it.qty)
		qty := gst.FormatQty(it.qty) + " " + it.unit
		e := TallyInventoryEntry{StockItemName: it.name, IsDeemedPositive: yesNo(it.amount > 0),
			Rate: gst.FormatAmount(rate) + "/" + it.unit, Amount: amt, ActualQty: qty, BilledQty: qty,
			Taxability:        it.taxability,
			AccountingEntries: []TallyLedgerEntry{{LedgerName: it.ledger, IsDeemedPositive: yesNo(it.amount > 0), Amount: amt}}}
		if it.hsn != "" {
			e.HSN, e.HSNApplicability, e.HSNSourceType, e.HSNItemSource = it.hsn, "As per Masters/Company", "Stock Item", it.name
		}
		out.Inventory = append(out.Inventory, e)
	}
	return &out
}

// WriteTally writes the documents of period p (sales, credit notes,
// purchases, receipts, payments, expenses) as a TallyPrime XML import file.
//
// A cancellation is written in the period it is dated in, as the invoice's
// own voucher again (same REMOTEID, same date) marked ISCANCELLED Yes, and
// not as a reversing entry, because:
//   - it is what our books say: a cancelled invoice is void from the start
//     (the sales register, GSTR-1 and the party's account leave it out and
//     count it in doc_issue), and a cancelled voucher is the same thing in
//     Tally (kept in the number series, no effect), so Tally's figures and
//     GST reports for the invoice's month agree with ours;
//   - a reversing voucher would have to be a credit note (which Tally would
//     report in the next month's GSTR-1, where our return has none) or a
//     journal (which Tally's GST reports hold as uncertain), and it would
//     leave the sale standing in its own month.
//
// An invoice cancelled after the period is written as a live voucher, so an
// earlier month's file stays the same however often it is made again. Import
// the months in order: importing an old month's file again after a later one
// would bring back an invoice the later file cancelled.
func (s *Service) WriteTally(ctx context.Context, w io.Writer, p Period, o TallyOptions) (TallyStats, error) {
	var stats TallyStats
	b, err := s.newTallyBook(ctx, o)
	if err != nil {
		return stats, err
	}
	tmp, err := os.CreateTemp("", "naukar-tally-*.xml")
	if err != nil {
		return stats, fmt.Errorf("tally export: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	buf := bufio.NewWriterSize(tmp, 1<<16)
	enc := xml.NewEncoder(buf)
	enc.Indent("        ", "  ")
	emit := func(v *vch) error {
		if !v.cancelled {
			v.balance(b)
		}
		stats.Vouchers++
		return enc.Encode(TallyMessage{UDF: "TallyUDF", Voucher: v.build()})
	}

	// Cancellations dated in the period; those of invoices dated before it
	// come first (their vouchers carry the invoices' own, earlier dates).
	cancelledIn := map[string]*books.Cancellation{}
	var earlier []*books.Invoice
	err = s.st.EachDocument(ctx, p.From, p.To, store.DocSet{Cancellation: func(c *books.Cancellation, inv *books.Invoice) error {
		cancelledIn[inv.ID] = c
		if inv.Date < p.From {
			earlier = append(earlier, inv)
		}
		return nil
	}})
	if err != nil {
		return stats, err
	}

	invoice := func(inv *books.Invoice) error {
		c := cancelledIn[inv.ID]
		v := newVch("Sales", inv.Date, inv.Number, tallyID(inv.ID, ""))
		v.v.Narration = "Counter sale " + inv.Number
		v.gstTags(inv.Party, partyState(inv.Party, inv.PlaceOfSupply), inv.PlaceOfSupply)
		var party string
		if inv.Party != nil {
			party = b.party(inv.Party, grpDebtors)
			v.setParty(party, "New Ref", inv.Number)
			v.v.Narration = "Sale " + inv.Number
		}
		if c != nil {
			stats.Cancelled++
			v.cancelled = true
			v.v.Narration = fmt.Sprintf("Cancelled on %s", gst.PortalDate(c.Date))
			if c.Reason != "" {
				v.v.Narration += ": " + c.Reason
			}
		} else {
			v.lines(b, inv.Lines, true, false, -1)
			if !inv.TaxOutsideTotal() { // on reverse charge the buyer pays the tax
				v.tax(b, "Output", inv.Totals, -1)
			}
		}
		if inv.Party != nil {
			v.add(party, inv.GrandTotal)
			if err := emit(v); err != nil {
				return err
			}
			if inv.Paid == 0 {
				return nil
			}
			r := newVch("Receipt", inv.Date, inv.Number+"/R", tallyID(inv.ID, "receipt"))
			r.v.Reference = inv.Number
			r.setParty(party, "Agst Ref", inv.Number)
			r.v.Narration = "Paid at the counter against " + inv.Number
			r.cancelled = v.cancelled
			if r.cancelled {
				r.v.Narration = v.v.Narration
			}
			for _, pp := range inv.Payments {
				if pp.Mode != books.ModeCredit {
					r.add(b.mode(pp.Mode), pp.Amount)
				}
			}
			r.add(party, -inv.Paid)
			return emit(r)
		}
		// A walk-in pays at the counter: the money ledgers take the debit,
		// the first of them stands as the voucher's party (not bill-wise).
		var paid int64
		for _, pp := range inv.Payments {
			if pp.Mode != books.ModeCredit {
				m := b.mode(pp.Mode)
				if v.party == "" {
					v.party, v.v.PartyLedgerName = m, m
				}
				v.add(m, pp.Amount)
				paid += pp.Amount
			}
		}
		if left := inv.GrandTotal - paid; left != 0 {
			v.add(b.walkIn(), left)
			if v.party == "" {
				v.party, v.v.PartyLedgerName = ledgerWalkIn, ledgerWalkIn
			}
		}
		return emit(v)
	}
	for _, inv := range earlier {
		if err := invoice(inv); err != nil {
			return stats, err
		}
	}

	err = s.st.EachDocument(ctx, p.From, p.To, store.DocSet{
		Invoice: func(inv *books.Invoice, _ bool) error { return invoice(inv) },
		CreditNote: func(cn *books.CreditNote) error {
			v := newVch("Credit Note", cn.Date, cn.Number, tallyID(cn.ID, ""))
			v.v.Reference, v.v.ReferenceDate = cn.InvoiceNumber, strings.ReplaceAll(cn.InvoiceDate, "-", "")
			v.v.Narration = "Return against " + cn.InvoiceNumber
			if cn.Reason != "" {
				v.v.Narration += ": " + cn.Reason
			}
			v.gstTags(cn.Party, partyState(cn.Party, cn.PlaceOfSupply), cn.PlaceOfSupply)
			v.lines(b, cn.Lines, true, false, 1)
			if !cn.TaxOutsideTotal() {
				v.tax(b, "Output", cn.Totals, 1)
			}
			if cn.Party != nil {
				party := b.party(cn.Party, grpDebtors)
				v.setParty(party, "Agst Ref", cn.InvoiceNumber)
				v.add(party, -cn.GrandTotal)
				if err := emit(v); err != nil {
					return err
				}
				if cn.Refunded == 0 {
					return nil
				}
				r := newVch("Payment", cn.Date, cn.Number+"/P", tallyID(cn.ID, "refund"))
				r.v.Reference = cn.Number
				r.setParty(party, "Agst Ref", cn.InvoiceNumber)
				r.v.Narration = "Refund against " + cn.Number
				r.add(party, cn.Refunded)
				for _, pp := range cn.Refunds {
					r.add(b.mode(pp.Mode), -pp.Amount)
				}
				return emit(r)
			}
			var refunded int64
			for _, pp := range cn.Refunds {
				m := b.mode(pp.Mode)
				if v.party == "" {
					v.party, v.v.PartyLedgerName = m, m
				}
				v.add(m, -pp.Amount)
				refunded += pp.Amount
			}
			if left := cn.GrandTotal - refunded; left != 0 {
				v.add(b.walkIn(), -left)
				if v.party == "" {
					v.party, v.v.PartyLedgerName = ledgerWalkIn, ledgerWalkIn
				}
			}
			return emit(v)
		},
		Purchase: func(pu *books.Purchase) error {
			unregistered := pu.Party.GSTIN == ""
			v := newVch("Purchase", pu.Date, pu.BillNumber, tallyID(pu.ID, ""))
			v.v.Reference, v.v.ReferenceDate = pu.BillNumber, strings.ReplaceAll(pu.Date, "-", "")
			// The shop receives the goods: the place of supply is its own state.
			v.gstTags(pu.Party, partyState(pu.Party, b.biz.StateCode), b.biz.StateCode)
			v.lines(b, pu.Lines, false, unregistered, 1)
			v.tax(b, "Input", pu.Totals, 1)
			if pu.TaxOutsideTotal() {
				// Reverse charge: the shop owes this tax to the government, not
				// to the supplier.
				v.tax(b, "Reverse Charge Payable", pu.Totals, -1)
			}
			party := b.party(pu.Party, grpCreditors)
			v.setParty(party, "New Ref", pu.BillNumber)
			v.add(party, -pu.GrandTotal)
			v.v.Narration = "Purchase bill " + pu.BillNumber
			if err := emit(v); err != nil {
				return err
			}
			if pu.Paid == 0 {
				return nil
			}
			r := newVch("Payment", pu.Date, pu.BillNumber+"/P", tallyID(pu.ID, "payment"))
			r.v.Reference = pu.BillNumber
			r.setParty(party, "Agst Ref", pu.BillNumber)
			r.v.Narration = "Paid against bill " + pu.BillNumber
			r.add(party, pu.Paid)
			for _, pp := range pu.Payments {
				if pp.Mode != books.ModeCredit {
					r.add(b.mode(pp.Mode), -pp.Amount)
				}
			}
			return emit(r)
		},
		Payment: func(pm *books.Payment) error {
			typ, side, sign := "Receipt", grpDebtors, int64(1)
			if pm.Direction == books.PaymentOut {
				typ, side, sign = "Payment", grpCreditors, -1
			}
			v := newVch(typ, pm.Date, shortID(pm.ID), tallyID(pm.ID, ""))
			party := b.party(pm.Party, side)
			v.setParty(party, "On Account", "")
			if pm.InvoiceID != "" {
				if inv, _, err := s.st.Invoice(pm.InvoiceID); err == nil {
					v.setParty(party, "Agst Ref", inv.Number)
				}
			}
			v.v.Narration = strings.TrimSpace(typ + " " + pm.Note)
			v.add(b.mode(pm.Mode), sign*pm.Amount)
			v.add(party, -sign*pm.Amount)
			return emit(v)
		},
		Expense: func(e *books.Expense) error {
			v := newVch("Payment", e.Date, shortID(e.ID), tallyID(e.ID, ""))
			v.v.Narration = strings.TrimSpace(e.Category + " " + e.Note)
			v.add(b.expenseLedger(e.Category), e.Amount)
			v.add(b.mode(e.Mode), -e.Amount)
			return emit(v)
		},
	})
	if err != nil {
		return stats, err
	}
	if err := enc.Flush(); err != nil {
		return stats, err
	}
	if err := buf.Flush(); err != nil {
		return stats, err
	}

	// Header and masters, then the vouchers from the temporary file.
	bw := bufio.NewWriterSize(w, 1<<16)
	io.WriteString(bw, xml.Header)
	io.WriteString(bw, "<ENVELOPE>\n  <HEADER>\n    <TALLYREQUEST>Import Data</TALLYREQUEST>\n  </HEADER>\n  <BODY>\n    <IMPORTDATA>\n")
	menc := xml.NewEncoder(bw)
	menc.Indent("      ", "  ")
	if err := menc.Encode(TallyRequestDesc{ReportName: "Vouchers", Company: b.biz.Name}); err != nil {
		return stats, err
	}
	if err := menc.Flush(); err != nil {
		return stats, err
	}
	io.WriteString(bw, "\n      <REQUESTDATA>\n")
	lenc := xml.NewEncoder(bw)
	lenc.Indent("        ", "  ")
	for _, n := range sortedKeys(b.units) {
		if err := lenc.Encode(TallyMessage{UDF: "TallyUDF", Unit: b.units[n]}); err != nil {
			return stats, err
		}
		stats.Units++
	}
	for _, n := range sortedKeys(b.items) {
		if err := lenc.Encode(TallyMessage{UDF: "TallyUDF", StockItem: b.items[n]}); err != nil {
			return stats, err
		}
		stats.StockItems++
	}
	for _, n := range sortedKeys(b.ledgers) {
		if !b.created[n] {
			continue
		}
		if err := lenc.Encode(TallyMessage{UDF: "TallyUDF", Ledger: b.ledgers[n]}); err != nil {
			return stats, err
		}
		stats.Ledgers++
	}
	if err := lenc.Flush(); err != nil {
		return stats, err
	}
	io.WriteString(bw, "\n")
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return stats, err
	}
	if _, err := io.Copy(bw, tmp); err != nil {
		return stats, err
	}
	io.WriteString(bw, "\n      </REQUESTDATA>\n    </IMPORTDATA>\n  </BODY>\n</ENVELOPE>\n")
	return stats, bw.Flush()
}

func sortedKeys[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// shortID makes a voucher number from a document id (UUIDv7: its last 12 hex digits).
func shortID(id string) string {
	if len(id) > 12 {
		return strings.ToUpper(id[len(id)-12:])
	}
	return id
}
