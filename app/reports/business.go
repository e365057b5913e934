package reports

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/store"
)

var tableLabels = map[string]string{
	"invoices": "Sale", "credit_notes": "Credit note", "purchases": "Purchase", "payments": "Payment",
	"expenses": "Expense", "stock_adjustments": "Stock adjustment", "cancellations": "Cancellation",
}

func kindLabel(table, kind string) string {
	switch {
	case table == "invoices" && kind == books.BillOfSupply:
		return "Bill of supply"
	case table == "invoices":
		return "Tax invoice"
	case table == "payments" && kind == books.PaymentIn:
		return "Receipt"
	case table == "payments":
		return "Payment"
	}
	return tableLabels[table]
}

// SalesRegister lists the period's invoices and credit notes (negative),
// with tax heads; cancelled invoices are listed with no amounts. Its totals
// are the period's net sales, which the GSTR-1 sections add up to.
func (s *Service) SalesRegister(ctx context.Context, q Query) (*Report, error) {
	rep, _, err := s.newReport("sales", "Sales register "+q.Period.Label, q.Period)
	if err != nil {
		return nil, err
	}
	rows, err := s.st.SalesRegister(ctx, q.Period.From, q.Period.To)
	if err != nil {
		return nil, err
	}
	t := &Table{Name: "sales", Title: "Sales register", Columns: []Column{col("date", "Date", Date), col("number", "Number", Text),
		col("type", "Type", Text), col("party", "Party", Text), col("gstin", "GSTIN", Text), col("pos", "Place of supply", Text),
		col("taxable", "Taxable value", Money), col("cgst", "CGST", Money), col("sgst", "SGST/UTGST", Money), col("igst", "IGST", Money),
		col("cess", "Cess", Money), col("round_off", "Round off", Money), col("total", "Total", Money), col("status", "Status", Text)}}
	var tot [7]int64
	for _, r := range rows {
		sign := int64(1)
		label := kindLabel(r.Table, r.Kind)
		if r.Table == "credit_notes" {
			sign = -1
			label = "Credit note (against " + r.Ref + ")"
		}
		if r.Cancelled {
			t.Rows = append(t.Rows, Row{r.Date, r.Number, label, r.PartyName, r.PartyGSTIN, r.PlaceOfSupply, nil, nil, nil, nil, nil, nil, nil, "Cancelled"})
			continue
		}
		vals := []int64{sign * r.Taxable, sign * r.CGST, sign * r.SGST, sign * r.IGST, sign * r.Cess, sign * r.RoundOff, sign * r.GrandTotal}
		for i, v := range vals {
			tot[i] += v
		}
		t.Rows = append(t.Rows, Row{r.Date, r.Number, label, r.PartyName, r.PartyGSTIN, r.PlaceOfSupply,
			vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], ""})
	}
	t.Totals = Row{"Total", nil, nil, nil, nil, nil, tot[0], tot[1], tot[2], tot[3], tot[4], tot[5], tot[6], nil}
	page(t, q.Offset, q.Limit)
	rep.Tables = []*Table{t}
	return rep, nil
}

// PurchaseRegister lists the period's purchase bills with input tax.
func (s *Service) PurchaseRegister(ctx context.Context, q Query) (*Report, error) {
	rep, _, err := s.newReport("purchases", "Purchase register "+q.Period.Label, q.Period)
	if err != nil {
		return nil, err
	}
	rows, err := s.st.PurchaseRegister(ctx, q.Period.From, q.Period.To)
	if err != nil {
		return nil, err
	}
	t := &Table{Name: "purchases", Title: "Purchase register", Columns: []Column{col("date", "Date", Date), col("bill", "Bill number", Text),
		col("supplier", "Supplier", Text), col("gstin", "GSTIN", Text), col("taxable", "Taxable value", Money), col("cgst", "CGST", Money),
		col("sgst", "SGST/UTGST", Money), col("igst", "IGST", Money), col("cess", "Cess", Money), col("total", "Total", Money),
		col("paid", "Paid", Money), col("due", "Due", Money)}}
	var tot [8]int64
	for _, r := range rows {
		vals := []int64{r.Taxable, r.CGST, r.SGST, r.IGST, r.Cess, r.GrandTotal, r.Paid, r.GrandTotal - r.Paid}
		for i, v := range vals {
			tot[i] += v
		}
		t.Rows = append(t.Rows, Row{r.Date, r.Number, r.PartyName, r.PartyGSTIN, vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], vals[7]})
	}
	t.Totals = Row{"Total", nil, nil, nil, tot[0], tot[1], tot[2], tot[3], tot[4], tot[5], tot[6], tot[7]}
	page(t, q.Offset, q.Limit)
	rep.Tables = []*Table{t}
	return rep, nil
}

// DayBook lists every document of the period in date order with the money
// it moved and who made it (the staff member signed in when it was saved).
func (s *Service) DayBook(ctx context.Context, q Query) (*Report, error) {
	rep, _, err := s.newReport("daybook", "Day book "+q.Period.Label, q.Period)
	if err != nil {
		return nil, err
	}
	es, total, err := s.st.DayBook(ctx, q.Period.From, q.Period.To, q.Offset, q.Limit)
	if err != nil {
		return nil, err
	}
	t := &Table{Name: "daybook", Title: "Day book", TotalRows: total, Columns: []Column{col("date", "Date", Date), col("type", "Type", Text),
		col("number", "Number", Text), col("party", "Party / details", Text), col("made_by", "Made by", Text), col("amount", "Amount", Money),
		col("in", "Money in", Money), col("out", "Money out", Money), col("modes", "Modes", Text), col("status", "Status", Text)}}
	for _, e := range es {
		status := ""
		if e.Cancelled {
			status = "Cancelled"
		}
		var amount any = e.Amount
		if e.Table == "stock_adjustments" || e.Table == "cancellations" {
			amount = nil
		}
		t.Rows = append(t.Rows, Row{e.Date, kindLabel(e.Table, e.Kind), e.Number, e.Party, e.MadeBy, amount, e.MoneyIn, e.MoneyOut, e.Modes, status})
	}
	rep.Tables = []*Table{t}
	return rep, nil
}

// StaffCollections is the money each staff member took in and paid out in
// the period, by payment mode (from the documents they made; cancelled
// bills left out; documents made before the books had staff are "Before
// staff").
func (s *Service) StaffCollections(ctx context.Context, q Query) (*Report, error) {
	rep, _, err := s.newReport("collections", "Collections by staff "+q.Period.Label, q.Period)
	if err != nil {
		return nil, err
	}
	cs, err := s.st.CollectionsBetween(ctx, q.Period.From, q.Period.To, "")
	if err != nil {
		return nil, err
	}
	t := &Table{Name: "collections", Title: "Collections by staff", Columns: []Column{col("staff", "Staff", Text), col("mode", "Mode", Text),
		col("in", "Money in", Money), col("out", "Money out", Money), col("net", "Net", Money)}}
	ch := &Chart{Title: "Net collections by staff"}
	var in, out int64
	for _, c := range cs {
		name := c.StaffName
		if name == "" {
			name = "Before staff"
		}
		t.Rows = append(t.Rows, Row{name, modeLabel(c.Mode), c.In, c.Out, c.In - c.Out})
		in, out = in+c.In, out+c.Out
		if n := len(ch.Labels); n > 0 && ch.Labels[n-1] == name {
			ch.Values[n-1] += c.In - c.Out
		} else {
			ch.Labels = append(ch.Labels, name)
			ch.Values = append(ch.Values, c.In-c.Out)
		}
	}
	t.Totals = Row{"Total", nil, in, out, in - out}
	t.TotalRows = len(t.Rows)
	rep.Tables = []*Table{t}
	rep.Chart = ch
	return rep, nil
}

// CashBook lists the cash received and paid in the period with a running
// balance from the cash before it, and the money moved by every mode.
func (s *Service) CashBook(ctx context.Context, q Query) (*Report, error) {
	rep, _, err := s.newReport("cashbook", "Cash book "+q.Period.Label, q.Period)
	if err != nil {
		return nil, err
	}
	opening, moves, err := s.st.MoneyBook(ctx, q.Period.From, q.Period.To, []string{books.ModeCash})
	if err != nil {
		return nil, err
	}
	t := &Table{Name: "cash", Title: "Cash book", Columns: []Column{col("date", "Date", Date), col("type", "Type", Text),
		col("number", "Number", Text), col("party", "Party / details", Text), col("in", "Cash in", Money),
		col("out", "Cash out", Money), col("balance", "Balance", Money)}}
	bal := opening
	t.Rows = append(t.Rows, Row{q.Period.From, "Opening balance", nil, nil, nil, nil, bal})
	var in, out int64
	for _, m := range moves {
		bal += m.In - m.Out
		in += m.In
		out += m.Out
		label := tableLabels[m.Table]
		if m.Table == "payments" {
			label = "Receipt"
			if m.Out > 0 {
				label = "Payment"
			}
		}
		t.Rows = append(t.Rows, Row{m.Date, label, m.Number, m.Party, m.In, m.Out, bal})
	}
	t.Totals = Row{"Closing balance", nil, nil, nil, in, out, bal}
	page(t, q.Offset, q.Limit)
	modes, err := s.st.MoneyByMode(ctx, q.Period.From, q.Period.To)
	if err != nil {
		return nil, err
	}
	mt := &Table{Name: "modes", Title: "Money by payment mode", Columns: []Column{col("mode", "Mode", Text),
		col("in", "Money in", Money), col("out", "Money out", Money), col("net", "Net", Money)}}
	var ti, to int64
	ch := &Chart{Title: "Collections by payment mode"}
	for _, m := range modes {
		mt.Rows = append(mt.Rows, Row{modeLabel(m.Mode), m.In, m.Out, m.In - m.Out})
		ti += m.In
		to += m.Out
		ch.Labels = append(ch.Labels, modeLabel(m.Mode))
		ch.Values = append(ch.Values, m.In)
	}
	mt.Totals = Row{"Total", ti, to, ti - to}
	mt.TotalRows = len(mt.Rows)
	rep.Tables = []*Table{t, mt}
	rep.Chart = ch
	return rep, nil
}

func modeLabel(m string) string {
	switch m {
	case books.ModeUPI:
		return "UPI"
	case "":
		return ""
	}
	return strings.ToUpper(m[:1]) + m[1:]
}

// PartyLedger is the account of one party (Query.Party) over the period,
// with its opening and running balance. Positive balances are owed to the
// shop (Dr), negative owed by it (Cr).
func (s *Service) PartyLedger(ctx context.Context, q Query) (*Report, error) {
	if strings.TrimSpace(q.Party) == "" {
		return nil, books.Invalid("party", "Say whose ledger to show: give the party's name or phone.")
	}
	party, err := s.st.FindParty(q.Party)
	if err != nil {
		return nil, err
	}
	rep, _, err := s.newReport("ledger", "Ledger of "+party.Name+" "+q.Period.Label, q.Period)
	if err != nil {
		return nil, err
	}
	opening, es, err := s.st.LedgerStatement(ctx, party.ID, q.Period.From, q.Period.To)
	if err != nil {
		return nil, err
	}
	t := &Table{Name: "ledger", Title: "Ledger of " + party.Name, Columns: []Column{col("date", "Date", Date), col("type", "Type", Text),
		col("number", "Number", Text), col("debit", "Debit", Money), col("credit", "Credit", Money),
		col("balance", "Balance", Money), col("drcr", "Dr/Cr", Text)}}
	bal := opening
	t.Rows = append(t.Rows, Row{q.Period.From, "Opening balance", nil, nil, nil, abs(bal), drcr(bal)})
	var dr, cr int64
	for _, e := range es {
		bal += e.Debit - e.Credit
		dr += e.Debit
		cr += e.Credit
		label := tableLabels[e.Table]
		if e.Table == "payments" {
			label = "Receipt"
			if e.Debit > 0 {
				label = "Payment"
			}
		}
		t.Rows = append(t.Rows, Row{e.Date, label, e.Number, e.Debit, e.Credit, abs(bal), drcr(bal)})
	}
	t.Totals = Row{"Closing balance", nil, nil, dr, cr, abs(bal), drcr(bal)}
	page(t, q.Offset, q.Limit)
	rep.Tables = []*Table{t}
	return rep, nil
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func drcr(v int64) string {
	switch {
	case v > 0:
		return "Dr"
	case v < 0:
		return "Cr"
	}
	return ""
}

// Ageing buckets of dues, in days since the bill.
var ageBuckets = []string{"0–30 days", "31–60 days", "61–90 days", "90+ days"}

func bucket(days int) int {
	switch {
	case days <= 30:
		return 0
	case days <= 60:
		return 1
	case days <= 90:
		return 2
	}
	return 3
}

// Dues is one party's balance split by age.
type Dues struct {
	Party   store.PartyAccount
	Balance int64    // > 0 they owe the shop; < 0 the shop owes them
	Ages    [4]int64 // same sign as Balance
	Oldest  string   // date of the oldest unpaid bill
}

// ageDues splits a balance into ages: what is still owed is the most
// recent charges (payments settle the oldest bills first), so the newest
// charges are counted until they make up the balance. Any part older than
// every entry (the opening balance) is 90+ days.
func ageDues(p store.PartyAccount, asOf time.Time) Dues {
	d := Dues{Party: p, Balance: p.OpeningBalance}
	for _, e := range p.Entries {
		d.Balance += e.Debit - e.Credit
	}
	if d.Balance == 0 {
		return d
	}
	sign := int64(1)
	if d.Balance < 0 {
		sign = -1
	}
	left := sign * d.Balance
	for i := len(p.Entries) - 1; i >= 0 && left > 0; i-- {
		e := p.Entries[i]
		charge := sign * (e.Debit - e.Credit)
		if charge <= 0 {
			continue
		}
		take := min(charge, left)
		left -= take
		t, err := time.Parse(books.DateLayout, e.Date)
		days := 0
		if err == nil {
			days = int(asOf.Sub(t).Hours() / 24)
		}
		d.Ages[bucket(days)] += sign * take
		d.Oldest = e.Date
	}
	if left > 0 {
		d.Ages[3] += sign * left
		d.Oldest = ""
	}
	return d
}

// AllDues ages every party's balance as of the end of the period.
func (s *Service) AllDues(ctx context.Context, asOf string) ([]Dues, error) {
	accts, err := s.st.PartyAccounts(ctx, asOf)
	if err != nil {
		return nil, err
	}
	day, err := time.Parse(books.DateLayout, asOf)
	if err != nil {
		return nil, err
	}
	var out []Dues
	for _, a := range accts {
		if d := ageDues(a, day); d.Balance != 0 {
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if abs(out[i].Balance) != abs(out[j].Balance) {
			return abs(out[i].Balance) > abs(out[j].Balance)
		}
		return out[i].Party.Name < out[j].Party.Name
	})
	return out, nil
}

// asOf is the day dues are aged on: the end of the period, or today if
// the period has not ended yet.
func (s *Service) asOf(p Period) string {
	today := s.now().Format(books.DateLayout)
	if p.To > today && p.From <= today {
		return today
	}
	return p.To
}

// Outstanding lists what customers owe the shop and what it owes
// suppliers at the end of the period, split by age: 0–30, 31–60, 61–90
// and 90+ days.
func (s *Service) Outstanding(ctx context.Context, q Query) (*Report, error) {
	asOf := s.asOf(q.Period)
	rep, _, err := s.newReport("outstanding", "Outstanding as of "+asOf, q.Period)
	if err != nil {
		return nil, err
	}
	dues, err := s.AllDues(ctx, asOf)
	if err != nil {
		return nil, err
	}
	cols := []Column{col("party", "Party", Text), col("kind", "Kind", Text), col("phone", "Phone", Text), col("balance", "Balance", Money)}
	for i, b := range ageBuckets {
		cols = append(cols, col(fmt.Sprintf("age%d", i+1), b, Money))
	}
	cols = append(cols, col("oldest", "Oldest unpaid bill", Date))
	recv := &Table{Name: "receivable", Title: "To receive (customers owe you)", Columns: cols}
	pay := &Table{Name: "payable", Title: "To pay (you owe suppliers)", Columns: cols}
	var rt, pt [5]int64
	for _, d := range dues {
		t, tot, sign := recv, &rt, int64(1)
		if d.Balance < 0 {
			t, tot, sign = pay, &pt, -1
		}
		row := Row{d.Party.Name, d.Party.Kind, d.Party.Phone, sign * d.Balance}
		tot[0] += sign * d.Balance
		for i, a := range d.Ages {
			row = append(row, sign*a)
			tot[i+1] += sign * a
		}
		var oldest any
		if d.Oldest != "" {
			oldest = d.Oldest
		}
		t.Rows = append(t.Rows, append(row, oldest))
	}
	recv.Totals = Row{"Total", nil, nil, rt[0], rt[1], rt[2], rt[3], rt[4], nil}
	pay.Totals = Row{"Total", nil, nil, pt[0], pt[1], pt[2], pt[3], pt[4], nil}
	page(recv, q.Offset, q.Limit)
	page(pay, q.Offset, q.Limit)
	rep.Tables = []*Table{recv, pay}
	rep.Chart = &Chart{Title: "Dues by age", Labels: ageBuckets, Values: rt[1:]}
	return rep, nil
}

// Stock lists products with opening, received, issued and closing stock
// for the period, the closing stock valued at purchase price, and whether
// it is at or below the reorder level (Query.LowStock keeps only those).
func (s *Service) Stock(ctx context.Context, q Query) (*Report, error) {
	rep, _, err := s.newReport("stock", "Stock summary "+q.Period.Label, q.Period)
	if err != nil {
		return nil, err
	}
	if q.LowStock {
		rep.Name, rep.Title = "stock", "Low stock "+q.Period.Label
	}
	t := &Table{Name: "stock", Title: "Stock summary", Columns: []Column{col("product", "Product", Text), col("sku", "SKU", Text),
		col("unit", "Unit", Text), col("opening", "Opening", Qty), col("in", "In", Qty), col("out", "Out", Qty),
		col("closing", "Closing", Qty), col("reorder", "Reorder level", Qty), col("cost", "Purchase price", Money),
		col("value", "Value", Money), col("low", "Low", Text)}}
	add := func(r store.StockRow) {
		flag := ""
		if r.Reorder > 0 && r.Closing <= r.Reorder {
			flag = "Low"
		}
		t.Rows = append(t.Rows, Row{r.Name, r.SKU, r.Unit, r.Opening, r.In, r.Out, r.Closing, r.Reorder, r.PurchasePrice,
			valueAt(r.Closing, r.PurchasePrice), flag})
	}
	if q.LowStock && q.Limit > 0 && q.Period.To >= s.today() {
		// One screen page of what is low now: page through current stock
		// rather than work out every product's movement in the period.
		rows, err := s.st.LowStockPage(ctx, q.Period.From, q.Period.To, q.Offset, q.Limit+1)
		if err != nil {
			return nil, err
		}
		more := len(rows) > q.Limit
		if more {
			rows = rows[:q.Limit]
		}
		for _, r := range rows {
			add(r)
		}
		t.Title = "Low stock"
		t.TotalRows = q.Offset + len(rows)
		if more {
			t.TotalRows++ // at least one more page
		}
		rep.Tables = []*Table{t}
		rep.Notes = []string{"Products at or below their reorder level now; the full report values all stock."}
		return rep, nil
	}
	if !q.LowStock && q.Limit > 0 {
		// One screen page: read only its products. Valuing all stock
		// means reading every product; the screen asks StockValue for it.
		rows, err := s.st.StockPage(ctx, q.Period.From, q.Period.To, q.Offset, q.Limit)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			add(r)
		}
		if t.TotalRows, err = s.st.CountProducts(); err != nil {
			return nil, err
		}
		rep.Tables = []*Table{t}
		rep.Notes = []string{"Stock is valued at each product's purchase price; the total value of all stock is in the full report."}
		return rep, nil
	}
	rows, err := s.st.StockAll(ctx, q.Period.From, q.Period.To)
	if err != nil {
		return nil, err
	}
	var value int64
	low := 0
	for _, r := range rows {
		value += valueAt(r.Closing, r.PurchasePrice)
		isLow := r.Reorder > 0 && r.Closing <= r.Reorder
		if isLow {
			low++
		}
		if !q.LowStock || isLow {
			add(r)
		}
	}
	if q.LowStock {
		t.Title = "Low stock"
	}
	t.Totals = Row{fmt.Sprintf("All stock: %d products, %d low", len(rows), low), nil, nil, nil, nil, nil, nil, nil, nil, value, nil}
	page(t, q.Offset, q.Limit)
	rep.Tables = []*Table{t}
	rep.Notes = []string{"Stock is valued at each product's purchase price."}
	return rep, nil
}

// StockValue values all stock at the end of the day to, at purchase price.
func (s *Service) StockValue(ctx context.Context, to string) (store.StockTotals, error) {
	return s.st.StockValue(ctx, to)
}

// valueAt values qty thousandths at price paise per unit, rounded to the paisa.
func valueAt(qty, price int64) int64 {
	v := qty * price
	if v >= 0 {
		return (v + 500) / 1000
	}
	return -((-v + 500) / 1000)
}

// Items lists sales by product over the period with cost and margin,
// largest sales first.
func (s *Service) Items(ctx context.Context, q Query) (*Report, error) {
	rep, _, err := s.newReport("items", "Item-wise sales "+q.Period.Label, q.Period)
	if err != nil {
		return nil, err
	}
	rows, err := s.st.ItemSales(ctx, q.Period.From, q.Period.To)
	if err != nil {
		return nil, err
	}
	t := &Table{Name: "items", Title: "Item-wise sales and margin", Columns: []Column{col("product", "Product", Text), col("sku", "SKU", Text),
		col("qty", "Quantity", Qty), col("sales", "Sales (taxable)", Money), col("tax", "Tax", Money), col("cost", "Cost", Money),
		col("margin", "Margin", Money), col("margin_pct", "Margin %", Percent)}}
	var tq, ts, tt, tc int64
	for _, r := range rows {
		tq += r.Qty
		ts += r.Sales
		tt += r.Tax
		tc += r.Cost
	}
	// Name only the rows shown (and the chart's top ten).
	lo, hi := q.Offset, len(rows)
	if lo > hi {
		lo = hi
	}
	if q.Limit > 0 && lo+q.Limit < hi {
		hi = lo + q.Limit
	}
	var ids []string
	for i, r := range rows {
		if i < 10 || i >= lo && i < hi {
			ids = append(ids, r.ProductID)
		}
	}
	labels, err := s.st.ProductLabels(ctx, ids)
	if err != nil {
		return nil, err
	}
	name := func(r store.ItemSale) (string, string) {
		l, ok := labels[r.ProductID]
		if !ok || l.Name == "" {
			return "(item not in catalogue)", ""
		}
		return l.Name, l.SKU
	}
	ch := &Chart{Title: "Top products"}
	for i := 0; i < len(rows) && i < 10 && rows[i].Sales > 0; i++ {
		n, _ := name(rows[i])
		ch.Labels = append(ch.Labels, n)
		ch.Values = append(ch.Values, rows[i].Sales)
	}
	for _, r := range rows[lo:hi] {
		n, sku := name(r)
		m := r.Sales - r.Cost
		t.Rows = append(t.Rows, Row{n, sku, r.Qty, r.Sales, r.Tax, r.Cost, m, pct(m, r.Sales)})
	}
	t.Totals = Row{"Total", nil, tq, ts, tt, tc, ts - tc, pct(ts-tc, ts)}
	t.TotalRows = len(rows)
	rep.Tables = []*Table{t}
	rep.Chart = ch
	rep.Notes = []string{"Cost is the purchase price each item had when it was billed."}
	return rep, nil
}

// Expenses sums the period's expenses by category and lists them.
func (s *Service) Expenses(ctx context.Context, q Query) (*Report, error) {
	rep, _, err := s.newReport("expenses", "Expenses "+q.Period.Label, q.Period)
	if err != nil {
		return nil, err
	}
	cats, err := s.st.ExpensesByCategory(ctx, q.Period.From, q.Period.To)
	if err != nil {
		return nil, err
	}
	var total int64
	for _, c := range cats {
		total += c.Amount
	}
	bc := &Table{Name: "categories", Title: "Expenses by category", Columns: []Column{col("category", "Category", Text),
		col("count", "Entries", Count), col("amount", "Amount", Money), col("share", "Share %", Percent)}}
	ch := &Chart{Title: "Expenses by category"}
	var n int64
	for _, c := range cats {
		bc.Rows = append(bc.Rows, Row{c.Category, int64(c.Count), c.Amount, pct(c.Amount, total)})
		n += int64(c.Count)
		ch.Labels = append(ch.Labels, c.Category)
		ch.Values = append(ch.Values, c.Amount)
	}
	bc.Totals = Row{"Total", n, total, int64(10000)}
	if total == 0 {
		bc.Totals[3] = nil
	}
	bc.TotalRows = len(bc.Rows)
	list, err := s.st.ExpenseItems(ctx, q.Period.From, q.Period.To)
	if err != nil {
		return nil, err
	}
	lt := &Table{Name: "expenses", Title: "Expense entries", Columns: []Column{col("date", "Date", Date), col("category", "Category", Text),
		col("mode", "Mode", Text), col("note", "Note", Text), col("amount", "Amount", Money)}}
	for _, e := range list {
		lt.Rows = append(lt.Rows, Row{e.Date, e.Category, modeLabel(e.Mode), e.Note, e.Amount})
	}
	lt.Totals = Row{"Total", nil, nil, nil, total}
	page(lt, q.Offset, q.Limit)
	rep.Tables = []*Table{bc, lt}
	rep.Chart = ch
	return rep, nil
}

// PnL is the profit and loss of a period, in paise.
type PnL struct {
	Sales, Returns, NetSales         int64
	CostOfSales, CostOfReturns, COGS int64
	GrossProfit                      int64
	Expenses                         []store.CategoryTotal
	TotalExpenses                    int64
	NetProfit                        int64
	Purchases, OutputTax, InputTax   int64
}

// PnLFor works out profit and loss: net sales (taxable value, so GST is
// not income) less the cost of the goods sold (each line's cost price at
// billing, less goods returned into stock) is gross profit; less expenses
// is net profit.
func (s *Service) PnLFor(ctx context.Context, p Period) (PnL, error) {
	var r PnL
	t, err := s.st.Trade(ctx, p.From, p.To)
	if err != nil {
		return r, err
	}
	cats, err := s.st.ExpensesByCategory(ctx, p.From, p.To)
	if err != nil {
		return r, err
	}
	r.Sales, r.Returns, r.NetSales = t.Sales, t.Returns, t.Sales-t.Returns
	r.CostOfSales, r.CostOfReturns, r.COGS = t.CostOfSales, t.CostOfReturns, t.CostOfSales-t.CostOfReturns
	r.GrossProfit = r.NetSales - r.COGS
	r.Expenses = cats
	for _, c := range cats {
		r.TotalExpenses += c.Amount
	}
	r.NetProfit = r.GrossProfit - r.TotalExpenses
	r.Purchases, r.OutputTax, r.InputTax = t.Purchases, t.OutputTax, t.InputTax
	return r, nil
}

// ProfitAndLoss shows profit and loss for the period.
func (s *Service) ProfitAndLoss(ctx context.Context, q Query) (*Report, error) {
	rep, _, err := s.newReport("pnl", "Profit and loss "+q.Period.Label, q.Period)
	if err != nil {
		return nil, err
	}
	r, err := s.PnLFor(ctx, q.Period)
	if err != nil {
		return nil, err
	}
	t := &Table{Name: "pnl", Title: "Profit and loss", Columns: []Column{col("item", "Particulars", Text), col("amount", "Amount", Money),
		col("pct", "% of net sales", Percent)}}
	add := func(label string, v int64) { t.Rows = append(t.Rows, Row{label, v, pct(v, r.NetSales)}) }
	add("Sales (taxable value)", r.Sales)
	add("Less: sales returns", -r.Returns)
	add("Net sales", r.NetSales)
	add("Cost of goods sold", -r.CostOfSales)
	add("Add back: cost of goods returned to stock", r.CostOfReturns)
	add("Gross profit", r.GrossProfit)
	for _, c := range r.Expenses {
		add("Expense: "+c.Category, -c.Amount)
	}
	add("Total expenses", -r.TotalExpenses)
	t.Totals = Row{"Net profit", r.NetProfit, pct(r.NetProfit, r.NetSales)}
	t.TotalRows = len(t.Rows)
	ref := &Table{Name: "reference", Title: "For reference", Columns: []Column{col("item", "Particulars", Text), col("amount", "Amount", Money)}}
	ref.Rows = []Row{{"Purchases (taxable value)", r.Purchases}, {"GST collected on sales (net of returns)", r.OutputTax},
		{"GST paid on purchases", r.InputTax}, {"GST payable (collected less paid)", r.OutputTax - r.InputTax}}
	ref.TotalRows = len(ref.Rows)
	rep.Tables = []*Table{t, ref}
	rep.Notes = []string{"Amounts exclude GST. Cost of goods sold uses the purchase price each item had when it was billed."}
	return rep, nil
}

// Charts returns the Reports screen's pictures for a period: sales per
// day, collections by payment mode, top products and dues by age.
func (s *Service) Charts(ctx context.Context, p Period) ([]Chart, error) {
	days, err := s.st.SalesByDay(ctx, p.From, p.To)
	if err != nil {
		return nil, err
	}
	sales := Chart{Title: "Sales per day"}
	byDay := map[string]int64{}
	for _, d := range days {
		byDay[d.Date] = d.Total
	}
	f, _ := time.Parse(books.DateLayout, p.From)
	if n := p.days(); n <= 62 {
		for i := 0; i < n; i++ {
			d := f.AddDate(0, 0, i).Format(books.DateLayout)
			sales.Labels = append(sales.Labels, d[8:]+"/"+d[5:7])
			sales.Values = append(sales.Values, byDay[d])
		}
	} else {
		// Longer periods: one bar a month.
		sales.Title = "Sales per month"
		idx := map[string]int{}
		for m := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, time.UTC); m.Format(books.DateLayout) <= p.To; m = m.AddDate(0, 1, 0) {
			idx[m.Format("2006-01")] = len(sales.Values)
			sales.Labels = append(sales.Labels, m.Format("Jan 06"))
			sales.Values = append(sales.Values, 0)
		}
		for d, v := range byDay {
			if i, ok := idx[d[:7]]; ok {
				sales.Values[i] += v
			}
		}
	}
	modes, err := s.st.MoneyByMode(ctx, p.From, p.To)
	if err != nil {
		return nil, err
	}
	coll := Chart{Title: "Collections by payment mode"}
	for _, m := range modes {
		if m.In > 0 {
			coll.Labels = append(coll.Labels, modeLabel(m.Mode))
			coll.Values = append(coll.Values, m.In)
		}
	}
	items, err := s.st.ItemSales(ctx, p.From, p.To)
	if err != nil {
		return nil, err
	}
	top := Chart{Title: "Top products"}
	var ids []string
	for i := 0; i < len(items) && i < 10; i++ {
		ids = append(ids, items[i].ProductID)
	}
	labels, err := s.st.ProductLabels(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if len(top.Labels) == 10 || it.Sales <= 0 {
			break
		}
		name := labels[it.ProductID].Name
		if name == "" {
			name = "(item not in catalogue)"
		}
		top.Labels = append(top.Labels, name)
		top.Values = append(top.Values, it.Sales)
	}
	dues, err := s.AllDues(ctx, s.asOf(p))
	if err != nil {
		return nil, err
	}
	age := Chart{Title: "Dues by age", Labels: append([]string(nil), ageBuckets...), Values: make([]int64, 4)}
	for _, d := range dues {
		if d.Balance > 0 {
			for i, a := range d.Ages {
				age.Values[i] += a
			}
		}
	}
	return []Chart{sales, coll, top, age}, nil
}
