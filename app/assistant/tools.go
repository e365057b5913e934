package assistant

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
)

// Tool is one thing the model may look up in the books (or draft).
type Tool struct {
	Name        string
	Description string
	Schema      map[string]any // JSON schema of the input (an object)
	run         func(t *tools, ctx context.Context, in json.RawMessage) (any, error)
}

// tools runs the tools over one books file during one question.
type tools struct {
	st     *store.Store
	rep    *reports.Service
	lang   Language
	drafts []Draft
}

func obj(props map[string]any, required ...string) map[string]any {
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

var (
	dateProp  = map[string]any{"type": "string", "description": "date as YYYY-MM-DD"}
	partyProp = map[string]any{"type": "string", "description": "the party's name as the shopkeeper said it (e.g. \"Sharma ji\"), or phone"}
)

// Tools are the tools the assistant offers, in the order the model sees them.
var Tools = []Tool{
	{"sales_summary", "Sales of a period from the books: number of bills, cancelled bills, credit notes, taxable value, tax (CGST, SGST, IGST, cess), grand total net of returns, and money received by payment mode. Amounts are rupees as strings.",
		obj(map[string]any{"from": dateProp, "to": dateProp}, "from", "to"), (*tools).salesSummary},
	{"top_items", "Best-selling items of a period by sales value, with quantity, taxable sales, tax and margin.",
		obj(map[string]any{"from": dateProp, "to": dateProp, "limit": map[string]any{"type": "integer", "minimum": 1, "maximum": 50}}, "from", "to"),
		(*tools).topItems},
	{"stock", "Stock on hand of the items matching a name (Hindi or English, e.g. \"cheeni\" finds Sugar), with unit, sale price and reorder level.",
		obj(map[string]any{"query": map[string]any{"type": "string"}}, "query"), (*tools).stock},
	{"low_stock", "Items at or below their reorder level today.", obj(map[string]any{}), (*tools).lowStock},
	{"party_dues", "What customers owe the shop and what it owes suppliers today, with the date of the oldest unpaid bill and days since. Give party to ask about one.",
		obj(map[string]any{"party": partyProp}), (*tools).partyDues},
	{"party_ledger", "One party's account this financial year: opening balance, bills, payments and running balance.",
		obj(map[string]any{"party": partyProp}, "party"), (*tools).partyLedger},
	{"find_invoices", "Find sales invoices by number, party or dates (newest first, at most 20); a number gives that invoice with its lines.",
		obj(map[string]any{"number": map[string]any{"type": "string"}, "party": partyProp, "from": dateProp, "to": dateProp}), (*tools).findInvoices},
	{"gst_summary", "GSTR-3B figures of a month from the books: outward supplies and tax, input tax credit from purchase bills.",
		obj(map[string]any{"month": map[string]any{"type": "string", "description": "YYYY-MM"}}, "month"), (*tools).gstSummary},
	{"draft_sale", "Draft a sale bill for the shopkeeper to check and save on the billing screen (nothing is saved). Items and party may be said in Hindi or Hinglish; unsure matches come back with choices.",
		obj(map[string]any{"party": partyProp, "lines": map[string]any{"type": "array", "items": obj(map[string]any{
			"item": map[string]any{"type": "string"}, "qty": map[string]any{"type": "number", "exclusiveMinimum": 0}}, "item", "qty")}}, "lines"),
		(*tools).draftSale},
	{"draft_reminder", "Draft a WhatsApp payment reminder to a party who owes money, for the shopkeeper to check and send (nothing is sent).",
		obj(map[string]any{"party": partyProp}, "party"), (*tools).draftReminder},
}

// toolByName finds a tool.
func toolByName(name string) *Tool {
	for i := range Tools {
		if Tools[i].Name == name {
			return &Tools[i]
		}
	}
	return nil
}

// rupees is an amount for a tool result: rupees with two decimals.
func rupees(paise int64) string { return gst.FormatAmount(paise) }

func (t *tools) today() string { return t.st.Now().Format(books.DateLayout) }

// period reads from..to, each defaulting to today.
func (t *tools) period(from, to string) (reports.Period, error) {
	if from == "" {
		from = t.today()
	}
	if to == "" {
		to = from
	}
	return reports.Range(from, to)
}

// cell turns a report value into JSON: money as rupee strings, quantities
// as decimals, rates as percentages.
func cell(k reports.Kind, v any) any {
	n, isInt := v.(int64)
	if v == nil || !isInt {
		return v
	}
	switch k {
	case reports.Money:
		return rupees(n)
	case reports.Qty:
		return gst.FormatQty(n)
	case reports.Rate, reports.Percent:
		return fmt.Sprintf("%d.%02d%%", n/100, abs64(n%100))
	}
	return n
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// rowMap is a report row keyed by column, with only the keys asked for
// (all when keys is empty).
func rowMap(cols []reports.Column, r reports.Row, keys ...string) map[string]any {
	m := map[string]any{}
	for i, c := range cols {
		if i >= len(r) || r[i] == nil {
			continue
		}
		if len(keys) > 0 && !contains(keys, c.Key) {
			continue
		}
		m[c.Key] = cell(c.Kind, r[i])
	}
	return m
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func decode[T any](in json.RawMessage) (T, error) {
	var v T
	if len(in) == 0 {
		return v, nil
	}
	if err := json.Unmarshal(in, &v); err != nil {
		return v, fmt.Errorf("the tool input is not valid: %v", err)
	}
	return v, nil
}

type span struct{ From, To string }

func (t *tools) salesSummary(ctx context.Context, in json.RawMessage) (any, error) {
	a, err := decode[span](in)
	if err != nil {
		return nil, err
	}
	p, err := t.period(a.From, a.To)
	if err != nil {
		return nil, err
	}
	rep, err := t.rep.SalesRegister(ctx, reports.Query{Period: p})
	if err != nil {
		return nil, err
	}
	tb := rep.Tables[0]
	var bills, cancelled, notes int
	for _, r := range tb.Rows {
		switch typ, status := r[2].(string), r[13].(string); {
		case status == "Cancelled":
			cancelled++
		case strings.HasPrefix(typ, "Credit note"):
			notes++
		default:
			bills++
		}
	}
	tot := rowMap(tb.Columns, tb.Totals)
	var tax int64
	for _, k := range []int{7, 8, 9, 10} {
		tax += tb.Totals[k].(int64)
	}
	modes, err := t.st.MoneyByMode(ctx, p.From, p.To)
	if err != nil {
		return nil, err
	}
	byMode := map[string]string{}
	for _, m := range modes {
		if m.In != 0 {
			byMode[m.Mode] = rupees(m.In)
		}
	}
	return map[string]any{"from": p.From, "to": p.To, "bills": bills, "cancelled_bills": cancelled, "credit_notes": notes,
		"taxable": tot["taxable"], "cgst": tot["cgst"], "sgst": tot["sgst"], "igst": tot["igst"], "cess": tot["cess"],
		"tax": rupees(tax), "grand_total": tot["total"], "money_in_by_mode": byMode,
		"note": "grand_total is sales less returns (credit notes); money_in_by_mode is money received in the period (bills paid and payments against accounts)"}, nil
}

func (t *tools) topItems(ctx context.Context, in json.RawMessage) (any, error) {
	a, err := decode[struct {
		From, To string
		Limit    int
	}](in)
	if err != nil {
		return nil, err
	}
	if a.Limit <= 0 || a.Limit > 50 {
		a.Limit = 10
	}
	p, err := t.period(a.From, a.To)
	if err != nil {
		return nil, err
	}
	rep, err := t.rep.Items(ctx, reports.Query{Period: p, Limit: a.Limit})
	if err != nil {
		return nil, err
	}
	tb := rep.Tables[0]
	items := []map[string]any{}
	for _, r := range tb.Rows {
		items = append(items, rowMap(tb.Columns, r, "product", "qty", "sales", "tax", "margin"))
	}
	return map[string]any{"from": p.From, "to": p.To, "items": items, "items_sold": tb.TotalRows,
		"total": rowMap(tb.Columns, tb.Totals, "qty", "sales", "tax", "margin")}, nil
}

// products lists the live products (for matching and stock) in one read:
// paging by OFFSET sorted and re-read the whole catalogue for every page.
func (t *tools) products() ([]store.ProductHit, error) {
	return t.st.ListProducts(store.ProductFilter{Limit: math.MaxInt32})
}

func (t *tools) parties() ([]store.PartyHit, error) { return t.st.ListParties("", 1_000_000) }

func productJSON(p store.ProductHit) map[string]any {
	m := map[string]any{"name": p.Name, "stock": gst.FormatQty(p.Stock), "unit": p.Unit, "sale_price": rupees(p.SalePrice)}
	if p.SKU != "" {
		m["sku"] = p.SKU
	}
	if p.Reorder > 0 {
		m["reorder_level"] = gst.FormatQty(p.Reorder)
	}
	return m
}

func (t *tools) matchProduct(spoken string) (Match, map[string]store.ProductHit, error) {
	ps, err := t.products()
	if err != nil {
		return Match{}, nil, err
	}
	byID := make(map[string]store.ProductHit, len(ps))
	cands := make([]Choice, len(ps))
	for i, p := range ps {
		byID[p.ID] = p
		cands[i] = Choice{ID: p.ID, Name: p.Name}
	}
	return matchName(spoken, cands), byID, nil
}

func (t *tools) matchParty(spoken string) (Match, map[string]store.PartyHit, error) {
	ps, err := t.parties()
	if err != nil {
		return Match{}, nil, err
	}
	byID := make(map[string]store.PartyHit, len(ps))
	cands := make([]Choice, 0, len(ps))
	key, _ := gst.NormalizeMobile(spoken)
	for _, p := range ps {
		byID[p.ID] = p
		if key != "" && p.Phone == key {
			return Match{Best: &Choice{ID: p.ID, Name: p.Name}, Sure: true}, byID, nil
		}
		cands = append(cands, Choice{ID: p.ID, Name: p.Name})
	}
	return matchName(spoken, cands), byID, nil
}

func (t *tools) stock(_ context.Context, in json.RawMessage) (any, error) {
	a, err := decode[struct{ Query string }](in)
	if err != nil {
		return nil, err
	}
	m, byID, err := t.matchProduct(a.Query)
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	if m.Sure {
		out = append(out, productJSON(byID[m.Best.ID]))
	}
	for _, c := range m.Choices {
		out = append(out, productJSON(byID[c.ID]))
	}
	res := map[string]any{"query": a.Query, "sure": m.Sure, "items": out}
	if len(out) == 0 {
		res["note"] = "no item in the catalogue matches"
	}
	return res, nil
}

func (t *tools) lowStock(ctx context.Context, _ json.RawMessage) (any, error) {
	p, err := t.period("", "")
	if err != nil {
		return nil, err
	}
	rep, err := t.rep.Stock(ctx, reports.Query{Period: p, LowStock: true, Limit: 100})
	if err != nil {
		return nil, err
	}
	tb := rep.Tables[0]
	items := []map[string]any{}
	for _, r := range tb.Rows {
		items = append(items, rowMap(tb.Columns, r, "product", "unit", "closing", "reorder"))
	}
	return map[string]any{"date": p.To, "items": items, "count": max(tb.TotalRows, len(tb.Rows))}, nil
}

func duesJSON(d reports.Dues, today time.Time) map[string]any {
	m := map[string]any{"party": d.Party.Name, "kind": d.Party.Kind}
	if d.Balance > 0 {
		m["they_owe_shop"] = rupees(d.Balance)
	} else {
		m["shop_owes_them"] = rupees(-d.Balance)
	}
	if d.Oldest != "" {
		m["oldest_unpaid_bill"] = d.Oldest
		if t, err := time.Parse(books.DateLayout, d.Oldest); err == nil {
			m["days_since_oldest"] = int(today.Sub(t).Hours() / 24)
		}
	} else {
		m["oldest_unpaid_bill"] = "before the books started (opening balance)"
	}
	return m
}

func (t *tools) partyDues(ctx context.Context, in json.RawMessage) (any, error) {
	a, err := decode[struct{ Party string }](in)
	if err != nil {
		return nil, err
	}
	today := t.today()
	dues, err := t.rep.AllDues(ctx, today)
	if err != nil {
		return nil, err
	}
	day, _ := time.Parse(books.DateLayout, today)
	if strings.TrimSpace(a.Party) != "" {
		m, _, err := t.matchParty(a.Party)
		if err != nil {
			return nil, err
		}
		if !m.Sure {
			return unsure("party", a.Party, m), nil
		}
		for _, d := range dues {
			if d.Party.ID == m.Best.ID {
				return map[string]any{"as_of": today, "dues": []any{duesJSON(d, day)}}, nil
			}
		}
		return map[string]any{"as_of": today, "party": m.Best.Name, "dues": []any{}, "note": "nothing is due either way"}, nil
	}
	var recv, pay int64
	list := []any{}
	for _, d := range dues {
		if d.Balance > 0 {
			recv += d.Balance
		} else {
			pay -= d.Balance
		}
		if len(list) < 50 {
			list = append(list, duesJSON(d, day))
		}
	}
	return map[string]any{"as_of": today, "total_to_receive": rupees(recv), "total_to_pay": rupees(pay),
		"parties_with_dues": len(dues), "dues": list}, nil
}

// unsure is a tool result asking the shopkeeper to pick.
func unsure(what, spoken string, m Match) map[string]any {
	names := []string{}
	for _, c := range m.Choices {
		names = append(names, c.Name)
	}
	res := map[string]any{"sure": false, "asked": spoken, "choices": names}
	if len(names) == 0 {
		res["note"] = fmt.Sprintf("no %s matches %q", what, spoken)
	} else {
		res["note"] = fmt.Sprintf("not sure which %s %q means: ask the shopkeeper to pick one of the choices", what, spoken)
	}
	return res
}

func (t *tools) partyLedger(ctx context.Context, in json.RawMessage) (any, error) {
	a, err := decode[struct{ Party string }](in)
	if err != nil {
		return nil, err
	}
	m, _, err := t.matchParty(a.Party)
	if err != nil {
		return nil, err
	}
	if !m.Sure {
		return unsure("party", a.Party, m), nil
	}
	now := t.st.Now()
	fy, _ := gst.FYQuarter(now)
	p := reports.FinancialYear(fy)
	if today := t.today(); p.To > today {
		p.To = today
	}
	rep, err := t.rep.PartyLedger(ctx, reports.Query{Period: p, Party: m.Best.ID})
	if err != nil {
		return nil, err
	}
	tb := rep.Tables[0]
	rows := tb.Rows
	skipped := 0
	if len(rows) > 41 { // the opening balance and the newest 40
		skipped = len(rows) - 41
		rows = append([]reports.Row{rows[0]}, rows[len(rows)-40:]...)
	}
	entries := []map[string]any{}
	for _, r := range rows {
		entries = append(entries, rowMap(tb.Columns, r))
	}
	res := map[string]any{"party": m.Best.Name, "from": p.From, "to": p.To, "entries": entries, "closing": rowMap(tb.Columns, tb.Totals),
		"note": "balance Dr: the party owes the shop; Cr: the shop owes the party"}
	if skipped > 0 {
		res["older_entries_left_out"] = skipped
	}
	return res, nil
}

func (t *tools) findInvoices(_ context.Context, in json.RawMessage) (any, error) {
	a, err := decode[struct{ Number, Party, From, To string }](in)
	if err != nil {
		return nil, err
	}
	if n := strings.TrimSpace(a.Number); n != "" {
		inv, found, err := t.st.Invoice(n)
		if err != nil {
			return nil, err
		}
		if !found {
			return map[string]any{"number": n, "found": false}, nil
		}
		lines := []map[string]any{}
		for _, l := range inv.Lines {
			lines = append(lines, map[string]any{"item": l.Name, "qty": gst.FormatQty(l.Qty), "unit": l.Unit, "price": rupees(l.Price), "total": rupees(l.Total)})
		}
		party := "walk-in customer"
		if inv.Party != nil {
			party = inv.Party.Name
		}
		return map[string]any{"found": true, "number": inv.Number, "date": inv.Date, "party": party, "lines": lines,
			"taxable": rupees(inv.Taxable), "tax": rupees(inv.Tax()), "grand_total": rupees(inv.GrandTotal), "paid": rupees(inv.Paid)}, nil
	}
	f := store.InvoiceFilter{From: a.From, To: a.To, Limit: 20}
	if strings.TrimSpace(a.Party) != "" {
		m, _, err := t.matchParty(a.Party)
		if err != nil {
			return nil, err
		}
		if !m.Sure {
			return unsure("party", a.Party, m), nil
		}
		f.Query = m.Best.Name
	}
	rows, err := t.st.ListInvoices(f)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, r := range rows {
		e := map[string]any{"number": r.Number, "date": r.Date, "party": r.PartyName, "grand_total": rupees(r.GrandTotal)}
		if r.PartyName == "" {
			e["party"] = "walk-in customer"
		}
		if r.Cancelled {
			e["cancelled"] = true
		}
		list = append(list, e)
	}
	return map[string]any{"invoices": list, "count": len(list), "note": "newest first, at most 20"}, nil
}

func (t *tools) gstSummary(ctx context.Context, in json.RawMessage) (any, error) {
	a, err := decode[struct{ Month string }](in)
	if err != nil {
		return nil, err
	}
	if a.Month == "" {
		a.Month = t.st.Now().Format("2006-01")
	}
	p, err := reports.ParsePeriod(a.Month)
	if err != nil {
		return nil, err
	}
	rep, err := t.rep.GSTR3B(ctx, reports.Query{Period: p})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"month": a.Month, "period": p.Label}
	for _, name := range []string{"3.1", "itc"} {
		tb := rep.Table(name)
		if tb == nil {
			continue
		}
		rows := []map[string]any{}
		for _, r := range tb.Rows {
			rows = append(rows, rowMap(tb.Columns, r))
		}
		sec := map[string]any{"title": tb.Title, "rows": rows}
		if tb.Totals != nil {
			sec["total"] = rowMap(tb.Columns, tb.Totals)
		}
		out[name] = sec
	}
	out["notes"] = rep.Notes
	return out, nil
}

// SaleDraft is a bill the assistant drafted: the billing screen opens it
// for the shopkeeper to check and save.
type SaleDraft struct {
	Party        *Choice    `json:"party,omitempty"`         // nil: walk-in (or unsure: see PartyChoices)
	PartyAsked   string     `json:"party_asked,omitempty"`   // the party as said
	PartyChoices []Choice   `json:"party_choices,omitempty"` // when unsure which party
	Lines        []SaleLine `json:"lines"`
}

// SaleLine is one line of a drafted bill.
type SaleLine struct {
	Asked     string   `json:"asked"`                // the item as said ("cheeni")
	ProductID string   `json:"product_id,omitempty"` // "" when unsure
	Name      string   `json:"name,omitempty"`
	Unit      string   `json:"unit,omitempty"`
	Qty       string   `json:"qty"`
	QtyMilli  int64    `json:"-"`
	Price     string   `json:"price,omitempty"` // sale price per unit
	Choices   []Choice `json:"choices,omitempty"`
}

// ReminderDraft is a payment reminder the assistant drafted: the WhatsApp
// send dialog (or a wa.me link) opens it for the shopkeeper to send.
type ReminderDraft struct {
	PartyID string `json:"party_id"`
	Party   string `json:"party"`
	Phone   string `json:"phone,omitempty"` // 10 digits; "" when the party has none
	Due     string `json:"due"`
	Oldest  string `json:"oldest_unpaid_bill,omitempty"`
	Message string `json:"message"`
	Link    string `json:"link,omitempty"` // https://wa.me/91…?text=…
}

// Draft is something the assistant prepared and nothing saved or sent:
// Kind "sale" or "reminder".
type Draft struct {
	Kind     string         `json:"kind"`
	Sale     *SaleDraft     `json:"sale,omitempty"`
	Reminder *ReminderDraft `json:"reminder,omitempty"`
}

func (t *tools) draftSale(_ context.Context, in json.RawMessage) (any, error) {
	a, err := decode[struct {
		Party string
		Lines []struct {
			Item string
			Qty  float64
		}
	}](in)
	if err != nil {
		return nil, err
	}
	if len(a.Lines) == 0 {
		return nil, fmt.Errorf("a sale needs at least one line")
	}
	d := &SaleDraft{PartyAsked: a.Party}
	res := map[string]any{}
	if strings.TrimSpace(a.Party) != "" {
		m, _, err := t.matchParty(a.Party)
		if err != nil {
			return nil, err
		}
		if m.Sure {
			d.Party = m.Best
			res["party"] = m.Best.Name
		} else {
			d.PartyChoices = m.Choices
			res["party"] = unsure("party", a.Party, m)
		}
	} else {
		res["party"] = "walk-in customer"
	}
	ps, err := t.products()
	if err != nil {
		return nil, err
	}
	byID := make(map[string]store.ProductHit, len(ps))
	cands := make([]Choice, len(ps))
	for i, p := range ps {
		byID[p.ID] = p
		cands[i] = Choice{ID: p.ID, Name: p.Name}
	}
	lines := []any{}
	for _, l := range a.Lines {
		if l.Qty <= 0 {
			return nil, fmt.Errorf("the quantity of %q must be more than 0", l.Item)
		}
		milli := int64(l.Qty*1000 + 0.5)
		sl := SaleLine{Asked: l.Item, Qty: gst.FormatQty(milli), QtyMilli: milli}
		m := matchName(l.Item, cands)
		if m.Sure {
			p := byID[m.Best.ID]
			sl.ProductID, sl.Name, sl.Unit, sl.Price = p.ID, p.Name, p.Unit, rupees(p.SalePrice)
			lines = append(lines, map[string]any{"asked": l.Item, "item": p.Name, "qty": sl.Qty, "unit": p.Unit, "price": sl.Price,
				"in_stock": gst.FormatQty(p.Stock)})
		} else {
			sl.Choices = m.Choices
			lines = append(lines, unsure("item", l.Item, m))
		}
		d.Lines = append(d.Lines, sl)
	}
	t.drafts = append(t.drafts, Draft{Kind: "sale", Sale: d})
	res["lines"] = lines
	res["status"] = "drafted, not saved: the shopkeeper opens it on the billing screen, checks it and saves it"
	return res, nil
}

func (t *tools) draftReminder(ctx context.Context, in json.RawMessage) (any, error) {
	a, err := decode[struct{ Party string }](in)
	if err != nil {
		return nil, err
	}
	m, byID, err := t.matchParty(a.Party)
	if err != nil {
		return nil, err
	}
	if !m.Sure {
		return unsure("party", a.Party, m), nil
	}
	p := byID[m.Best.ID]
	today := t.today()
	dues, err := t.rep.AllDues(ctx, today)
	if err != nil {
		return nil, err
	}
	var due *reports.Dues
	for i := range dues {
		if dues[i].Party.ID == p.ID {
			due = &dues[i]
		}
	}
	if due == nil || due.Balance <= 0 {
		return map[string]any{"party": p.Name, "drafted": false, "note": "this party owes the shop nothing: no reminder drafted"}, nil
	}
	biz, err := t.st.Business()
	if err != nil {
		return nil, err
	}
	r := &ReminderDraft{PartyID: p.ID, Party: p.Name, Phone: p.Phone, Due: rupees(due.Balance), Oldest: due.Oldest}
	r.Message = reminderText(t.lang, p.Name, biz.Name, gst.FormatINR(due.Balance), due.Oldest)
	if wa, err := gst.MobileWithCountryCode(p.Phone); err == nil && p.Phone != "" {
		r.Link = "https://wa.me/" + wa + "?text=" + url.QueryEscape(r.Message)
	}
	t.drafts = append(t.drafts, Draft{Kind: "reminder", Reminder: r})
	res := map[string]any{"party": p.Name, "drafted": true, "due": r.Due, "message": r.Message, "has_phone": r.Phone != "",
		"status": "drafted, not sent: the shopkeeper opens it and sends it on WhatsApp"}
	if due.Oldest != "" {
		res["oldest_unpaid_bill"] = due.Oldest
	}
	return res, nil
}

// reminderText is the reminder in the question's language.
func reminderText(lang Language, party, shop, amount, oldest string) string {
	since := ""
	if d, err := time.Parse(books.DateLayout, oldest); err == nil {
		since = d.Format("02-01-2006")
	}
	switch lang {
	case Hindi:
		s := fmt.Sprintf("नमस्ते %s जी, %s की ओर से याद दिला रहे हैं कि आपके खाते में %s बाकी है", party, shop, amount)
		if since != "" {
			s += fmt.Sprintf(" (सबसे पुराना बिल %s का)", since)
		}
		return s + "। कृपया जल्द भुगतान करें। धन्यवाद!"
	case Hinglish:
		s := fmt.Sprintf("Namaste %s ji, %s ki taraf se yaad dila rahe hain ki aapke khate mein %s baaki hai", party, shop, amount)
		if since != "" {
			s += fmt.Sprintf(" (sabse purana bill %s ka)", since)
		}
		return s + ". Kripya jald bhugtan karein. Dhanyavaad!"
	}
	s := fmt.Sprintf("Dear %s, a reminder from %s: %s is due on your account", party, shop, amount)
	if since != "" {
		s += fmt.Sprintf(" (oldest bill of %s)", since)
	}
	return s + ". Please pay at your earliest convenience. Thank you!"
}
