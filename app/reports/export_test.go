package reports_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/reports"
)

// TestEveryReportRunsAndExports runs every report over the fixture and
// writes it as CSV, JSON and XLSX, reading the workbook back.
func TestEveryReportRunsAndExports(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, d := range reports.Reports() {
		t.Run(d.Name, func(t *testing.T) {
			rep, err := f.svc.Run(ctx, d.Name, reports.Query{Period: period(t, "2025-26"), Party: "Mehta Stores"})
			mustOK(t, err)
			if len(rep.Tables) == 0 {
				t.Fatal("no tables")
			}
			var buf bytes.Buffer
			mustOK(t, reports.WriteCSVAll(&buf, rep))
			for _, tb := range rep.Tables {
				buf.Reset()
				mustOK(t, reports.WriteCSV(&buf, tb))
				recs, err := csv.NewReader(&buf).ReadAll()
				mustOK(t, err)
				want := 1 + len(tb.Rows)
				if tb.Totals != nil {
					want++
				}
				if len(recs) != want || len(recs[0]) != len(tb.Columns) {
					t.Fatalf("%s: %d records of %d fields, want %d of %d", tb.Name, len(recs), len(recs[0]), want, len(tb.Columns))
				}
			}
			buf.Reset()
			mustOK(t, reports.WriteJSON(&buf, rep))
			if !json.Valid(buf.Bytes()) {
				t.Fatalf("JSON is not valid: %.200s", buf.String())
			}
			buf.Reset()
			mustOK(t, reports.WriteXLSX(&buf, rep))
			x, err := excelize.OpenReader(&buf)
			mustOK(t, err)
			defer x.Close()
			sheets := x.GetSheetList()
			if len(sheets) < len(rep.Tables) {
				t.Fatalf("sheets %v for %d tables", sheets, len(rep.Tables))
			}
			for i, tb := range rep.Tables {
				rows, err := x.GetRows(sheets[i])
				mustOK(t, err)
				if len(rows) < 4 || rows[3][0] != tb.Columns[0].Title {
					t.Fatalf("sheet %s: header row %v", sheets[i], rows)
				}
				want := 4 + len(tb.Rows)
				if tb.Totals != nil {
					want++
				}
				if len(rows) != want {
					t.Errorf("sheet %s: %d rows, want %d", sheets[i], len(rows), want)
				}
			}
		})
	}
}

// TestXLSXValues reads numbers and dates back from a GSTR-1 workbook.
func TestXLSXValues(t *testing.T) {
	f := newFixture(t)
	rep, err := f.svc.Run(context.Background(), "gstr1", reports.Query{Period: period(t, "052025")})
	mustOK(t, err)
	var buf bytes.Buffer
	mustOK(t, reports.WriteXLSX(&buf, rep))
	x, err := excelize.OpenReader(&buf)
	mustOK(t, err)
	defer x.Close()
	// One sheet per section of the return, exports (table 6A) included.
	want := []string{"summary", "b2b", "b2cl", "b2cs", "cdnr", "cdnur", "exp", "nil", "hsn_b2b", "hsn_b2c", "docs", "warnings"}
	if got := x.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	// What the CLI says it wrote counts the warnings sheet too.
	if n := reports.XLSXSheets(rep); n != len(want) {
		t.Errorf("XLSXSheets = %d for a workbook of %d", n, len(want))
	}
	// b2cl row: GTA-2526-3, 06-05-2025, ₹1,42,780 value, 121000 taxable.
	for cell, v := range map[string]string{"A5": "GTA-2526-3", "B5": "06-05-2025", "C5": "142,780.00", "F5": "121,000.00", "G5": "21,780.00"} {
		got, err := x.GetCellValue("b2cl", cell)
		mustOK(t, err)
		if got != v {
			t.Errorf("b2cl!%s = %q, want %q", cell, got, v)
		}
	}
	raw, err := x.GetCellValue("b2cl", "F5", excelize.Options{RawCellValue: true})
	mustOK(t, err)
	if raw != "121000" {
		t.Errorf("taxable value is stored as the number 121000, got %q", raw)
	}
	rows, err := x.GetRows("warnings")
	mustOK(t, err)
	if len(rows) < 5 || rows[4][0] != gst.WarnMissingHSN {
		t.Errorf("warnings sheet: %v", rows)
	}
}

// TestTallyXML exports two years of the fixture's books (Hindi-free but
// with every kind of document) and checks the file as Tally would take it:
// see parseTally.
func TestTallyXML(t *testing.T) {
	f := newFixture(t)
	file, stats := exportTally(t, f.svc, "2024-04-01", "2026-03-31", reports.TallyOptions{})
	types := map[string]int{}
	for _, v := range file.vouchers {
		types[v.VchType]++
	}
	// 11 sales (2 of them cancelled within the two years, so written as
	// cancelled), 4 credit notes, 3 purchases; receipts for bills paid at the
	// counter by parties and for payments in; payments for refunds, bills
	// paid, payments out and the expense.
	if types["Sales"] != 11 || types["Credit Note"] != 4 || types["Purchase"] != 3 || stats.Cancelled != 2 {
		t.Errorf("voucher types: %v, stats %+v", types, stats)
	}
	if types["Receipt"] < 3 || types["Payment"] < 3 {
		t.Errorf("voucher types: %v", types)
	}
	for _, want := range []string{"Sales @ 18%", "Sales Nil Rated", "Sales Exempt", "Output CGST", "Output IGST", "Input IGST", "Mehta Stores", "Rent", "Round Off", "Bank Account", "UPI Account"} {
		if file.ledgers[want] == nil {
			t.Errorf("ledger %q missing", want)
		}
	}
	for name, group := range map[string]string{"Mehta Stores": "Sundry Debtors", "Gupta Wholesale": "Sundry Creditors", "Rent": "Indirect Expenses",
		"Round Off": "Indirect Expenses", "Bank Account": "Bank Accounts", "Sales @ 18%": "Sales Accounts", "Purchase @ 18%": "Purchase Accounts"} {
		if l := file.ledgers[name]; l == nil || l.Parent != group {
			t.Errorf("%s is not under %s: %+v", name, group, l)
		}
	}
}

func mustRange(tb testing.TB, from, to string) reports.Period {
	tb.Helper()
	p, err := reports.Range(from, to)
	mustOK(tb, err)
	return p
}

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string][2]string{
		"102026":     {"2026-10-01", "2026-10-31"},
		"2026-02":    {"2026-02-01", "2026-02-28"},
		"Q3-2026-27": {"2026-10-01", "2026-12-31"},
		"q4-2025-26": {"2026-01-01", "2026-03-31"},
		"2025-26":    {"2025-04-01", "2026-03-31"},
		"FY2025-26":  {"2025-04-01", "2026-03-31"},
	} {
		p, err := reports.ParsePeriod(in)
		if err != nil || p.From != want[0] || p.To != want[1] {
			t.Errorf("ParsePeriod(%q) = %+v, %v; want %v", in, p, err, want)
		}
	}
	if p, _ := reports.ParsePeriod("Q3-2026-27"); p.FP != "122026" {
		t.Errorf("a quarter files as its last month, got fp %s", p.FP)
	}
	for _, bad := range []string{"", "132026", "2026-13", "Q5-2026-27", "2026-28", "hello"} {
		if _, err := reports.ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) should fail", bad)
		}
	}
	if _, err := reports.Range("2026-10-31", "2026-10-01"); err == nil {
		t.Error("a range ending before it starts should fail")
	}
}

func TestOutstandingAgeing(t *testing.T) {
	f := newFixture(t)
	rep, err := f.svc.Run(context.Background(), "outstanding", reports.Query{Period: mustRange(t, "2025-05-01", "2025-06-30")})
	mustOK(t, err)
	recv := rep.Table("receivable")
	byName := map[string]reports.Row{}
	for _, r := range recv.Rows {
		byName[r[0].(string)] = r
	}
	// Ravi: ₹1,42,780 billed on 6-5-2025 (55 days before 30-6-2025), the
	// August 2024 bill was returned in full.
	ravi := byName["Ravi Kumar"]
	if ravi == nil || ravi[3].(int64) != 1_42_780_00 || ravi[5].(int64) != 1_42_780_00 {
		t.Errorf("Ravi: %v", ravi)
	}
	// Reddy: ₹7,025 billed 9-8-2024, ₹1,365 returned, ₹5,000 paid: ₹660 left, 90+ days.
	reddy := byName["Reddy Agencies"]
	if reddy == nil || reddy[3].(int64) != 660_00 || reddy[7].(int64) != 660_00 {
		t.Errorf("Reddy: %v", reddy)
	}
	pay := rep.Table("payable")
	if len(pay.Rows) != 1 || pay.Rows[0][0] != "Gupta Wholesale" {
		t.Errorf("payables: %v", pay.Rows)
	}
}

func TestProfitAndLoss(t *testing.T) {
	f := newFixture(t)
	p, err := f.svc.PnLFor(context.Background(), period(t, "052025"))
	mustOK(t, err)
	// Sales: 223.21 + 1000 + 40 (Mehta) + 121000 (Ravi) + 1300 + 20 (walk-in); returns 650 + 1000.
	if p.Sales != 1_23_583_21 || p.Returns != 1_650_00 || p.NetSales != 1_21_933_21 {
		t.Errorf("sales %d returns %d net %d", p.Sales, p.Returns, p.NetSales)
	}
	// Cost: bottle 700 + cover 120 + veg 25 + laptop 1,00,000 + bottle 700 + rice 2×500 + wrap 10; back: rice 500 + bottle 700.
	if p.CostOfSales != 1_02_555_00 || p.CostOfReturns != 1_200_00 {
		t.Errorf("cost %d returns %d", p.CostOfSales, p.CostOfReturns)
	}
	if p.TotalExpenses != 15_000_00 || p.NetProfit != p.NetSales-p.COGS-15_000_00 {
		t.Errorf("expenses %d net %d", p.TotalExpenses, p.NetProfit)
	}
}

// TestStockSummary follows the rice through the fixture: 100 bags opening,
// 3 + 10 + 1 sold and 2 returned before May 2025; in May 2 sold, 1
// returned and 20 bought.
func TestStockSummary(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	want := reports.Row{"Basmati Rice 5kg", "R1", "BAG", int64(88_000), int64(21_000), int64(2_000), int64(107_000), int64(0), int64(500_00), int64(53_500_00), ""}
	check := func(name string, q reports.Query) {
		rep, err := f.svc.Run(ctx, "stock", q)
		mustOK(t, err)
		for _, r := range rep.Tables[0].Rows {
			if r[0] == "Basmati Rice 5kg" {
				for i := range want {
					if r[i] != want[i] {
						t.Errorf("%s: column %s = %v, want %v", name, rep.Tables[0].Columns[i].Title, r[i], want[i])
					}
				}
				return
			}
		}
		t.Errorf("%s: no rice row", name)
	}
	check("full", reports.Query{Period: period(t, "052025")})
	check("page", reports.Query{Period: period(t, "052025"), Limit: 100})
	// A period long ago sums lines per product inside SQLite instead.
	want = reports.Row{"Basmati Rice 5kg", "R1", "BAG", int64(100_000), int64(0), int64(3_000), int64(97_000), int64(0), int64(500_00), int64(48_500_00), ""}
	check("old", reports.Query{Period: period(t, "072024")})
	check("old page", reports.Query{Period: period(t, "072024"), Limit: 10})
	v, err := f.svc.StockValue(ctx, "2025-05-31")
	mustOK(t, err)
	rep, err := f.svc.Run(ctx, "stock", reports.Query{Period: period(t, "052025")})
	mustOK(t, err)
	if v.Products != 7 || rep.Tables[0].Totals[9] != v.Value {
		t.Errorf("stock value %+v, report total %v", v, rep.Tables[0].Totals[9])
	}
}

func TestCharts(t *testing.T) {
	f := newFixture(t)
	cs, err := f.svc.Charts(context.Background(), period(t, "052025"))
	mustOK(t, err)
	if len(cs) != 4 || len(cs[0].Values) != 31 || cs[0].Values[1] != 1_470_00 {
		t.Fatalf("sales per day: %+v", cs[0])
	}
	if cs[2].Labels[0] != "Laptop" {
		t.Errorf("top product: %+v", cs[2])
	}
	year, err := f.svc.Charts(context.Background(), period(t, "2025-26"))
	mustOK(t, err)
	if year[0].Title != "Sales per month" || len(year[0].Values) != 12 {
		t.Errorf("a year charts by month: %+v", year[0])
	}
}
