package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSellExportsAndReverseCharge drives issue 13 through the command
// line: an export under LUT, its shipping bill added afterwards, a
// reverse-charge sale, the refusals, and GSTR-1 showing them.
func TestSellExportsAndReverseCharge(t *testing.T) {
	books := setup(t)
	// Tata Salt ₹24.63 at 18%: 100 packets = ₹2,463.00. Under LUT no IGST.
	out := mustRun(t, books, `{"date":"2026-10-06","party":{"name":"Acme Imports LLC","address":"Dubai, UAE"},
		"zero_rated":"export_lut","lines":[{"sku":"SALT1","qty":"100"}],"payments":[{"mode":"bank","amount":"2463"}]}`, "sell", "--json", "-")
	var inv struct {
		Number        string `json:"number"`
		PlaceOfSupply string `json:"place_of_supply"`
		ZeroRated     string `json:"zero_rated"`
		IGST          string `json:"igst"`
		GrandTotal    string `json:"grand_total"`
	}
	if err := json.Unmarshal([]byte(out), &inv); err != nil {
		t.Fatal(err, out)
	}
	if inv.PlaceOfSupply != "96" || inv.ZeroRated != "export_lut" || inv.IGST != "0.00" || inv.GrandTotal != "2463.00" {
		t.Fatalf("export under LUT: %s", out)
	}
	show := mustRun(t, books, "", "invoice", "show", inv.Number)
	if !strings.Contains(show, "without payment of integrated tax") || !strings.Contains(show, "Shipping bill not yet recorded") {
		t.Fatalf("invoice show:\n%s", show)
	}
	wantFail(t, run(t, books, "", "invoice", "export-details", inv.Number, "--port", "INNSA1", "--sb-num", "12345678", "--sb-date", "2026-10-07"),
		1, "up to 7 digits")
	out = mustRun(t, books, "", "invoice", "export-details", inv.Number, "--port", "innsa1", "--sb-num", "1234567", "--sb-date", "2026-10-07", "--date", "2026-10-08")
	if !strings.Contains(out, "shipping bill 1234567 of 07-10-2026, port INNSA1 recorded") {
		t.Fatalf("export-details said %q", out)
	}
	var shown struct {
		ShippingBill struct{ PortCode, Number, Date string } `json:"shipping_bill"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, books, "", "invoice", "show", inv.Number, "--json")), &shown); err != nil ||
		shown.ShippingBill.Number != "1234567" || shown.ShippingBill.Date != "2026-10-07" {
		t.Fatalf("invoice show --json shipping bill: %+v %v", shown, err)
	}

	// Reverse charge to Reddy Traders (Karnataka): 10 kg sugar ₹455 at 5%,
	// IGST ₹22.75 payable by the recipient; the bill is ₹455.
	out = mustRun(t, books, `{"date":"2026-10-07","party":{"name":"Reddy Traders"},"reverse_charge":true,
		"lines":[{"sku":"SUGAR","qty":"10"}],"payments":[{"mode":"credit","amount":"455"}]}`, "sell", "--json", "-")
	if !strings.Contains(out, `"igst": "22.75"`) || !strings.Contains(out, `"grand_total": "455.00"`) {
		t.Fatalf("reverse charge sale: %s", out)
	}

	// Refusals, each with a message that says what to do.
	wantFail(t, run(t, books, `{"party":{"name":"Us","gstin":"27AAPFU0939F1ZV"},"lines":[{"sku":"SALT1","qty":"1"}]}`, "sell", "--json", "-"),
		1, "this shop's own")
	wantFail(t, run(t, books, `{"ecommerce_gstin":"29AABCR1718E1ZL","lines":[{"sku":"SALT1","qty":"1"}]}`, "sell", "--json", "-"),
		1, "e-commerce operator")
	wantFail(t, run(t, books, `{"advance":true,"lines":[{"sku":"SALT1","qty":"1"}]}`, "sell", "--json", "-"), 1, "Advances received")
	wantFail(t, run(t, books, `{"zero_rated":"deemed export","party":{"name":"X"},"lines":[{"sku":"SALT1","qty":"1"}]}`, "sell", "--json", "-"),
		1, "deemed exports")
	wantFail(t, run(t, books, `{"party":{"name":"Acme","state_code":"96"},"lines":[{"sku":"SALT1","qty":"1"}]}`, "sell", "--json", "-"),
		1, "choose export with IGST or export under LUT")

	// GSTR-1: the export in exp with its shipping bill; the reverse-charge
	// sale in b2b with rchrg Y.
	g := mustRun(t, books, "", "report", "gstr1", "--period", "102026", "--format", "json")
	for _, want := range []string{`"exp_typ": "WOPAY"`, `"sbpcode": "INNSA1"`, `"sbnum": "1234567"`, `"sbdt": "07-10-2026"`, `"rchrg": "Y"`} {
		if !strings.Contains(g, want) {
			t.Errorf("GSTR-1 lacks %s:\n%s", want, g)
		}
	}
	dir := t.TempDir()
	mustRun(t, books, "", "report", "gstr1", "--period", "102026", "--format", "csv", "-o", filepath.Join(dir, "r.csv"))
	exp := readFile(t, filepath.Join(dir, "r-exp.csv"))
	if !strings.HasPrefix(exp, "Export Type,Invoice Number,Invoice date,Invoice Value,Port Code,Shipping Bill Number,Shipping Bill Date,Rate,Taxable Value,Cess Amount\n") ||
		!strings.Contains(exp, "WOPAY,"+inv.Number+",06-Oct-2026,2463.00,INNSA1,1234567,07-Oct-2026,18,2463.00,0.00") {
		t.Fatalf("r-exp.csv:\n%s", exp)
	}
}

// TestPurchaseReverseCharge: a purchase on reverse charge carries the tax
// the shop pays, owes the supplier only the value, and fills 3.1(d).
func TestPurchaseReverseCharge(t *testing.T) {
	books := setup(t)
	// 100 kg sugar at ₹40 from an unregistered supplier in Gujarat on
	// reverse charge: ₹4,000, IGST 5% = ₹200 paid by the shop.
	out := mustRun(t, books, `{"date":"2026-10-09","bill_number":"F-1","party":{"name":"Patel Farms","state_code":"24"},"reverse_charge":true,
		"lines":[{"sku":"SUGAR","qty":"100","price":"40"}]}`, "purchase", "--json", "-")
	if !strings.Contains(out, `"reverse_charge": true`) || !strings.Contains(out, `"igst": "200.00"`) || !strings.Contains(out, `"grand_total": "4000.00"`) {
		t.Fatalf("purchase: %s", out)
	}
	g := mustRun(t, books, "", "report", "gstr3b", "--period", "102026", "--format", "json")
	var r struct {
		Sup struct {
			Rev struct{ Txval, Iamt json.Number } `json:"isup_rev"`
		} `json:"sup_details"`
	}
	if err := json.Unmarshal([]byte(g), &r); err != nil || r.Sup.Rev.Txval != "4000.00" || r.Sup.Rev.Iamt != "200.00" {
		t.Fatalf("3.1(d): %+v %v\n%s", r, err, g)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
