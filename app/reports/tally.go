package reports

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/store"
)

// Tally XML: the books as vouchers an accountant imports into Tally
// (Gateway of Tally → Import → Vouchers). Every voucher balances: in Tally's
// convention a debit is ISDEEMEDPOSITIVE Yes with a negative AMOUNT, a
// credit ISDEEMEDPOSITIVE No with a positive AMOUNT, so the AMOUNTs of a
// voucher add up to zero. The ledgers the vouchers use are created first.

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

// TallyRequestData holds the messages: ledgers, then vouchers.
type TallyRequestData struct {
	Messages []TallyMessage `xml:"TALLYMESSAGE"`
}

// TallyMessage carries one ledger master or one voucher.
type TallyMessage struct {
	XMLName xml.Name      `xml:"TALLYMESSAGE"`
	UDF     string        `xml:"xmlns:UDF,attr,omitempty"`
	Ledger  *TallyLedger  `xml:"LEDGER,omitempty"`
	Voucher *TallyVoucher `xml:"VOUCHER,omitempty"`
}

// TallyLedger is a ledger master.
type TallyLedger struct {
	Name         string `xml:"NAME,attr"`
	Action       string `xml:"ACTION,attr"`
	LedgerName   string `xml:"NAME"`
	Parent       string `xml:"PARENT"`
	IsBillWiseOn string `xml:"ISBILLWISEON,omitempty"`
	GSTIN        string `xml:"PARTYGSTIN,omitempty"`
	State        string `xml:"LEDSTATENAME,omitempty"`
}

// TallyVoucher is one voucher.
type TallyVoucher struct {
	VchType         string             `xml:"VCHTYPE,attr"`
	Action          string             `xml:"ACTION,attr"`
	ObjView         string             `xml:"OBJVIEW,attr"`
	Date            string             `xml:"DATE"` // YYYYMMDD
	VoucherTypeName string             `xml:"VOUCHERTYPENAME"`
	VoucherNumber   string             `xml:"VOUCHERNUMBER"`
	Reference       string             `xml:"REFERENCE,omitempty"`
	PartyLedgerName string             `xml:"PARTYLEDGERNAME,omitempty"`
	PartyGSTIN      string             `xml:"PARTYGSTIN,omitempty"`
	PlaceOfSupply   string             `xml:"PLACEOFSUPPLY,omitempty"`
	PersistedView   string             `xml:"PERSISTEDVIEW"`
	Narration       string             `xml:"NARRATION,omitempty"`
	Entries         []TallyLedgerEntry `xml:"ALLLEDGERENTRIES.LIST"`
}

// TallyLedgerEntry is one debit or credit of a voucher.
type TallyLedgerEntry struct {
	LedgerName       string `xml:"LEDGERNAME"`
	IsDeemedPositive string `xml:"ISDEEMEDPOSITIVE"` // Yes: debit
	IsPartyLedger    string `xml:"ISPARTYLEDGER,omitempty"`
	Amount           string `xml:"AMOUNT"` // rupees; negative for a debit
}

// TallyStats says what an export wrote.
type TallyStats struct {
	Ledgers   int
	Vouchers  int
	Cancelled int // cancelled invoices left out
}

// Tally ledger groups.
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

const roundOffLedger = "Round Off"

// tallyBook collects the ledgers vouchers use, and names parties uniquely.
type tallyBook struct {
	ledgers   map[string]TallyLedger
	partyName map[string]string // party id (or name) → ledger name
	taken     map[string]string // ledger name → party key
}

func (b *tallyBook) ledger(name, parent string) string {
	if _, ok := b.ledgers[name]; !ok {
		b.ledgers[name] = TallyLedger{Name: name, Action: "Create", LedgerName: name, Parent: parent}
	}
	return name
}

// party returns the ledger of a party, creating it under debtors or creditors.
func (b *tallyBook) party(p *books.PartySnapshot, parent string) string {
	key := p.ID
	if key == "" {
		key = "name:" + strings.ToLower(p.Name)
	}
	if n, ok := b.partyName[key]; ok {
		return n
	}
	name := strings.TrimSpace(p.Name)
	if name == "" {
		name = "Unnamed party"
	}
	base := name
	for i := 2; ; i++ {
		other, ok := b.taken[name]
		if !ok || other == key {
			break
		}
		name = fmt.Sprintf("%s (%d)", base, i)
	}
	b.taken[name] = key
	b.partyName[key] = name
	l := TallyLedger{Name: name, Action: "Create", LedgerName: name, Parent: parent, IsBillWiseOn: "Yes", GSTIN: p.GSTIN}
	if s, ok := gst.StateName(p.StateCode); ok {
		l.State = s
	}
	b.ledgers[name] = l
	return name
}

func (b *tallyBook) mode(m string) string {
	switch m {
	case books.ModeCash:
		return b.ledger("Cash", grpCash)
	case books.ModeUPI:
		return b.ledger("UPI Collections", grpBank)
	case books.ModeCard:
		return b.ledger("Card Collections", grpBank)
	}
	return b.ledger("Bank Account", grpBank)
}

// lineLedger names the sales or purchase ledger of a line.
func (b *tallyBook) lineLedger(l *books.Line, sales bool) string {
	prefix, parent := "Sales", grpSales
	if !sales {
		prefix, parent = "Purchase", grpPurchase
	}
	switch {
	case l.Category == gst.Exempt:
		return b.ledger(prefix+" Exempt", parent)
	case l.Category == gst.NonGST:
		return b.ledger(prefix+" Non-GST", parent)
	case l.Rate == 0:
		return b.ledger(prefix+" Nil Rated", parent)
	}
	return b.ledger(fmt.Sprintf("%s @ %s%%", prefix, l.Rate), parent)
}

// vch builds a voucher, summing entries per ledger (debits positive here).
type vch struct {
	v      TallyVoucher
	amount map[string]int64
	order  []string
	party  string
}

func newVch(typ, date, number string) *vch {
	return &vch{v: TallyVoucher{VchType: typ, Action: "Create", ObjView: "Accounting Voucher View", Date: strings.ReplaceAll(date, "-", ""),
		VoucherTypeName: typ, VoucherNumber: number, PersistedView: "Accounting Voucher View"}, amount: map[string]int64{}}
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

// balance books whatever is left to make debits equal credits to Round Off.
func (v *vch) balance(b *tallyBook) {
	var sum int64
	for _, a := range v.amount {
		sum += a
	}
	if sum != 0 {
		v.add(b.ledger(roundOffLedger, grpIndirect), -sum)
	}
}

func (v *vch) build() *TallyVoucher {
	out := v.v
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
	for _, l := range order {
		a := v.amount[l]
		if a == 0 {
			continue
		}
		e := TallyLedgerEntry{LedgerName: l, IsDeemedPositive: "No", Amount: gst.FormatAmount(-a)}
		if a > 0 {
			e.IsDeemedPositive = "Yes"
		}
		if l == v.party {
			e.IsPartyLedger = "Yes"
		}
		out.Entries = append(out.Entries, e)
	}
	return &out
}

// WriteTally writes the documents of period p (all of them: sales,
// credit notes, purchases, receipts, payments, expenses) as a Tally XML
// import file. Cancelled invoices are left out.
func (s *Service) WriteTally(ctx context.Context, w io.Writer, p Period) (TallyStats, error) {
	var stats TallyStats
	biz, err := s.st.Business()
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
	enc.Indent("    ", "  ")
	b := &tallyBook{ledgers: map[string]TallyLedger{}, partyName: map[string]string{}, taken: map[string]string{}}
	emit := func(v *vch) error {
		v.balance(b)
		stats.Vouchers++
		return enc.Encode(TallyMessage{UDF: "TallyUDF", Voucher: v.build()})
	}
	tax := func(v *vch, prefix string, t books.Totals, sign int64) {
		for _, h := range []struct {
			head   string
			amount int64
		}{{"CGST", t.CGST}, {"SGST", t.SGST}, {"IGST", t.IGST}, {"Cess", t.Cess}} {
			if h.amount != 0 {
				v.add(b.ledger(prefix+" "+h.head, grpTaxes), sign*h.amount)
			}
		}
	}
	err = s.st.EachDocument(ctx, p.From, p.To, store.DocSet{
		Invoice: func(inv *books.Invoice, cancelled bool) error {
			if cancelled {
				stats.Cancelled++
				return nil
			}
			v := newVch("Sales", inv.Date, inv.Number)
			v.v.PlaceOfSupply, _ = gst.StateName(inv.PlaceOfSupply)
			for i := range inv.Lines {
				v.add(b.lineLedger(&inv.Lines[i], true), -inv.Lines[i].Taxable)
			}
			tax(v, "Output", inv.Totals, -1)
			if inv.Party != nil {
				party := b.party(inv.Party, grpDebtors)
				v.party, v.v.PartyLedgerName, v.v.PartyGSTIN = party, party, inv.Party.GSTIN
				v.add(party, inv.GrandTotal)
				v.v.Narration = "Sale " + inv.Number
				if err := emit(v); err != nil {
					return err
				}
				if inv.Paid > 0 {
					r := newVch("Receipt", inv.Date, inv.Number+"/R")
					r.v.Reference, r.v.PartyLedgerName, r.party = inv.Number, party, party
					r.v.Narration = "Paid at the counter against " + inv.Number
					for _, pp := range inv.Payments {
						if pp.Mode != books.ModeCredit {
							r.add(b.mode(pp.Mode), pp.Amount)
						}
					}
					r.add(party, -inv.Paid)
					return emit(r)
				}
				return nil
			}
			// A walk-in pays at the counter: the money ledgers take the debit.
			var paid int64
			for _, pp := range inv.Payments {
				if pp.Mode != books.ModeCredit {
					v.add(b.mode(pp.Mode), pp.Amount)
					paid += pp.Amount
				}
			}
			if left := inv.GrandTotal - paid; left != 0 {
				v.add(b.ledger("Walk-in Customers", grpDebtors), left)
			}
			v.v.Narration = "Counter sale " + inv.Number
			return emit(v)
		},
		CreditNote: func(cn *books.CreditNote) error {
			v := newVch("Credit Note", cn.Date, cn.Number)
			v.v.Reference = cn.InvoiceNumber
			v.v.Narration = "Return against " + cn.InvoiceNumber
			if cn.Reason != "" {
				v.v.Narration += ": " + cn.Reason
			}
			for i := range cn.Lines {
				v.add(b.lineLedger(&cn.Lines[i], true), cn.Lines[i].Taxable)
			}
			tax(v, "Output", cn.Totals, 1)
			if cn.Party != nil {
				party := b.party(cn.Party, grpDebtors)
				v.party, v.v.PartyLedgerName, v.v.PartyGSTIN = party, party, cn.Party.GSTIN
				v.add(party, -cn.GrandTotal)
				if err := emit(v); err != nil {
					return err
				}
				if cn.Refunded > 0 {
					r := newVch("Payment", cn.Date, cn.Number+"/P")
					r.v.Reference, r.v.PartyLedgerName, r.party = cn.Number, party, party
					r.v.Narration = "Refund against " + cn.Number
					r.add(party, cn.Refunded)
					for _, pp := range cn.Refunds {
						r.add(b.mode(pp.Mode), -pp.Amount)
					}
					return emit(r)
				}
				return nil
			}
			var refunded int64
			for _, pp := range cn.Refunds {
				v.add(b.mode(pp.Mode), -pp.Amount)
				refunded += pp.Amount
			}
			if left := cn.GrandTotal - refunded; left != 0 {
				v.add(b.ledger("Walk-in Customers", grpDebtors), -left)
			}
			return emit(v)
		},
		Purchase: func(pu *books.Purchase) error {
			v := newVch("Purchase", pu.Date, pu.BillNumber)
			v.v.Reference = pu.BillNumber
			for i := range pu.Lines {
				v.add(b.lineLedger(&pu.Lines[i], false), pu.Lines[i].Taxable)
			}
			tax(v, "Input", pu.Totals, 1)
			party := b.party(pu.Party, grpCreditors)
			v.party, v.v.PartyLedgerName, v.v.PartyGSTIN = party, party, pu.Party.GSTIN
			v.add(party, -pu.GrandTotal)
			v.v.Narration = "Purchase bill " + pu.BillNumber
			if err := emit(v); err != nil {
				return err
			}
			if pu.Paid > 0 {
				r := newVch("Payment", pu.Date, pu.BillNumber+"/P")
				r.v.Reference, r.v.PartyLedgerName, r.party = pu.BillNumber, party, party
				r.v.Narration = "Paid against bill " + pu.BillNumber
				r.add(party, pu.Paid)
				for _, pp := range pu.Payments {
					if pp.Mode != books.ModeCredit {
						r.add(b.mode(pp.Mode), -pp.Amount)
					}
				}
				return emit(r)
			}
			return nil
		},
		Payment: func(pm *books.Payment) error {
			typ, parent, sign := "Receipt", grpDebtors, int64(1)
			if pm.Direction == books.PaymentOut {
				typ, parent, sign = "Payment", grpCreditors, -1
			}
			v := newVch(typ, pm.Date, shortID(pm.ID))
			party := b.party(pm.Party, parent)
			v.party, v.v.PartyLedgerName = party, party
			v.v.Narration = strings.TrimSpace(typ + " " + pm.Note)
			v.add(b.mode(pm.Mode), sign*pm.Amount)
			v.add(party, -sign*pm.Amount)
			return emit(v)
		},
		Expense: func(e *books.Expense) error {
			v := newVch("Payment", e.Date, shortID(e.ID))
			v.v.Narration = strings.TrimSpace(e.Category + " " + e.Note)
			v.add(b.ledger(e.Category, grpIndirect), e.Amount)
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

	// Header and ledgers, then the vouchers from the temporary file.
	bw := bufio.NewWriterSize(w, 1<<16)
	io.WriteString(bw, xml.Header)
	io.WriteString(bw, "<ENVELOPE>\n  <HEADER>\n    <TALLYREQUEST>Import Data</TALLYREQUEST>\n  </HEADER>\n  <BODY>\n    <IMPORTDATA>\n")
	menc := xml.NewEncoder(bw)
	menc.Indent("      ", "  ")
	if err := menc.Encode(TallyRequestDesc{ReportName: "Vouchers", Company: biz.Name}); err != nil {
		return stats, err
	}
	menc.Flush()
	io.WriteString(bw, "\n      <REQUESTDATA>\n")
	names := make([]string, 0, len(b.ledgers))
	for n := range b.ledgers {
		names = append(names, n)
	}
	sort.Strings(names)
	lenc := xml.NewEncoder(bw)
	lenc.Indent("        ", "  ")
	for _, n := range names {
		l := b.ledgers[n]
		if err := lenc.Encode(TallyMessage{UDF: "TallyUDF", Ledger: &l}); err != nil {
			return stats, err
		}
	}
	lenc.Flush()
	stats.Ledgers = len(names)
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

// shortID makes a voucher number from a document id (UUIDv7: its last 12 hex digits).
func shortID(id string) string {
	if len(id) > 12 {
		return strings.ToUpper(id[len(id)-12:])
	}
	return id
}
