package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var naukar string // path of the built binary

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "naukar-cli")
	if err != nil {
		panic(err)
	}
	naukar = filepath.Join(dir, "naukar")
	build := exec.Command("go", "build", "-o", naukar, "github.com/ainaukar/naukar")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("build naukar: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs the built naukar on books with stdin.
func run(t *testing.T, books, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(naukar, append([]string{"--books", books}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

func mustRun(t *testing.T, books, stdin string, args ...string) string {
	t.Helper()
	r := run(t, books, stdin, args...)
	if r.code != 0 {
		t.Fatalf("naukar %v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

func wantFail(t *testing.T, r result, code int, msg string) {
	t.Helper()
	if r.code != code || !strings.Contains(r.stderr, msg) {
		t.Fatalf("want exit %d with %q; got exit %d\nstdout: %s\nstderr: %s", code, msg, r.code, r.stdout, r.stderr)
	}
}

const productsCSV = `name,sku,barcode,hsn,unit,sale_price,price_includes_tax,gst_rate,cess_rate,purchase_price,mrp,opening_stock,reorder_level,colour
India Gate Basmati Rice 5kg,RICE5,8901234567890,1006,BAG,100,yes,18,,80,110,50,5,white
Tata Salt 1kg,SALT1,8904043901015,2501,PCS,24.63,no,18,,20,28,100,10,
Loose Sugar,SUGAR,,1701,KG,45.5,no,5,,40,,25.5,5,
`

const partiesCSV = `name,kind,phone,email,gstin,state_code,address,city,pincode,opening_balance
Reddy Traders,customer,+91 98450 12345,,29AABCR1718E1ZL,29,MG Road,Bengaluru,560001,1500
Gupta Wholesale,supplier,9822012345,gupta@example.com,24AANFA2641L1ZF,24,Ring Road,Surat,395002,-2000.50
`

func setup(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	books := filepath.Join(dir, "books.db")
	out := mustRun(t, books, "", "init", "--name", "Sharma Stores", "--gstin", "27AAPFU0939F1ZV", "--state", "27", "--address", "Dadar, Mumbai")
	if !strings.Contains(out, "Sharma Stores") {
		t.Fatalf("init said %q", out)
	}
	os.WriteFile(filepath.Join(dir, "p.csv"), []byte(productsCSV), 0o600)
	os.WriteFile(filepath.Join(dir, "c.csv"), []byte(partiesCSV), 0o600)
	if out := mustRun(t, books, "", "import", "products", filepath.Join(dir, "p.csv")); !strings.Contains(out, "Imported 3 products") {
		t.Fatalf("import said %q", out)
	}
	if out := mustRun(t, books, "", "import", "parties", filepath.Join(dir, "c.csv")); !strings.Contains(out, "Imported 2 parties") {
		t.Fatalf("import said %q", out)
	}
	return books
}

type invoiceJSON struct {
	Number        string `json:"number"`
	Date          string `json:"date"`
	PlaceOfSupply string `json:"place_of_supply"`
	SupplyType    string `json:"supply_type"`
	Cancelled     bool   `json:"cancelled"`
	Lines         []struct {
		Name, Qty, Taxable, CGST, SGST, IGST, Cess, Total string
	} `json:"lines"`
	Taxable       string `json:"taxable"`
	CGST          string `json:"cgst"`
	SGST          string `json:"sgst"`
	IGST          string `json:"igst"`
	Cess          string `json:"cess"`
	RoundOff      string `json:"round_off"`
	GrandTotal    string `json:"grand_total"`
	AmountInWords string `json:"amount_in_words"`
	Due           string `json:"due"`
}

func decode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad JSON %v:\n%s", err, s)
	}
	return v
}

func TestSellWalkInInclusive(t *testing.T) {
	books := setup(t)
	out := mustRun(t, books, `{"date":"2026-10-05","lines":[{"barcode":"8901234567890","qty":1}],"payments":[{"mode":"cash","amount":"100.00"}]}`, "sell", "--json", "-")
	inv := decode[invoiceJSON](t, out)
	if inv.Number != "INVA-2627-1" || inv.Date != "2026-10-05" || inv.SupplyType != "intra" || inv.PlaceOfSupply != "27" {
		t.Fatalf("header %+v", inv)
	}
	if inv.Taxable != "84.75" || inv.CGST != "7.63" || inv.SGST != "7.63" || inv.IGST != "0.00" || inv.RoundOff != "-0.01" || inv.GrandTotal != "100.00" {
		t.Fatalf("totals %+v", inv)
	}
	if inv.AmountInWords != "Rupees One Hundred Only" || inv.Lines[0].CGST != "7.63" || inv.Lines[0].Taxable != "84.75" {
		t.Fatalf("words/lines %+v", inv)
	}
	shown := decode[invoiceJSON](t, mustRun(t, books, "", "invoice", "show", "INVA-2627-1", "--json"))
	if shown.GrandTotal != "100.00" || shown.Number != inv.Number {
		t.Fatalf("show %+v", shown)
	}
	list := decode[[]invoiceJSON](t, mustRun(t, books, "", "invoice", "list", "--json"))
	if len(list) != 1 || list[0].Number != inv.Number {
		t.Fatalf("list %+v", list)
	}
	if st := mustRun(t, books, "", "stock", "RICE5", "--json"); !strings.Contains(st, `"stock": "49"`) {
		t.Fatalf("stock %s", st)
	}
}

func TestSellB2BInterStateOnCredit(t *testing.T) {
	books := setup(t)
	sale := `{"date":"2026-10-06","party":{"name":"Reddy Traders","gstin":"29AABCR1718E1ZL"},
	 "lines":[{"sku":"SALT1","qty":"1"},{"sku":"SUGAR","qty":"2.5","price":"44","discount_pct":"10"}],
	 "payments":[{"mode":"upi","amount":"50"},{"mode":"credit","amount":"99.00"}]}`
	r := run(t, books, sale, "sell", "--json", "-")
	// The total is not known to the caller; a wrong credit split is refused clearly.
	if r.code == 0 {
		inv := decode[invoiceJSON](t, r.stdout)
		t.Fatalf("credit split accepted: %+v", inv)
	}
	wantFail(t, r, 1, "add up to")
	sale = `{"date":"2026-10-06","party":{"name":"Reddy Traders","gstin":"29AABCR1718E1ZL"},
	 "lines":[{"sku":"SALT1","qty":"1"},{"sku":"SUGAR","qty":"2.5","price":"44","discount_pct":"10"}],
	 "payments":[{"mode":"upi","amount":"50"}]}`
	inv := decode[invoiceJSON](t, mustRun(t, books, sale, "sell", "--json", "-"))
	// SALT 24.63 @18% IGST 4.43; SUGAR 2.5 × 44 = 110 − 11 = 99.00 @5% IGST 4.95.
	if inv.SupplyType != "inter" || inv.PlaceOfSupply != "29" || inv.IGST != "9.38" || inv.CGST != "0.00" || inv.Taxable != "123.63" {
		t.Fatalf("totals %+v", inv)
	}
	if inv.GrandTotal != "133.00" || inv.RoundOff != "-0.01" || inv.Due != "83.00" {
		t.Fatalf("grand %s round %s due %s", inv.GrandTotal, inv.RoundOff, inv.Due)
	}
	bal := decode[struct{ Balance string }](t, mustRun(t, books, "", "party", "balance", "Reddy Traders", "--json"))
	if bal.Balance != "1583.00" { // opening 1500 + 83 due
		t.Fatalf("balance %s", bal.Balance)
	}
	out := mustRun(t, books, "", "pay", "--party", "9845012345", "--amount", "583", "--mode", "upi")
	if !strings.Contains(out, "₹1,000.00 to receive") {
		t.Fatalf("pay said %q", out)
	}
}

func TestReturnCancelPurchaseExpense(t *testing.T) {
	books := setup(t)
	mustRun(t, books, `{"date":"2026-10-05","lines":[{"sku":"SALT1","qty":4}]}`, "sell", "--json", "-")
	mustRun(t, books, `{"date":"2026-10-05","lines":[{"sku":"SALT1","qty":1}]}`, "sell", "--json", "-")
	cn := decode[struct {
		Number        string `json:"number"`
		InvoiceNumber string `json:"invoice_number"`
		GrandTotal    string `json:"grand_total"`
	}](t, mustRun(t, books, "", "return", "--invoice", "INVA-2627-1", "--line", "1:2", "--reason", "damaged pack", "--date", "2026-10-07"))
	if cn.Number != "CNA-2627-1" || cn.InvoiceNumber != "INVA-2627-1" || cn.GrandTotal != "58.00" {
		t.Fatalf("credit note %+v", cn)
	}
	wantFail(t, run(t, books, "", "return", "--invoice", "INVA-2627-1", "--line", "1:3"), 1, "can return between 0 and 2")
	wantFail(t, run(t, books, "", "invoice", "cancel", "INVA-2627-2"), 1, "Give a reason")
	mustRun(t, books, "", "invoice", "cancel", "INVA-2627-2", "--reason", "wrong item")
	shown := decode[invoiceJSON](t, mustRun(t, books, "", "invoice", "show", "INVA-2627-2", "--json"))
	if !shown.Cancelled {
		t.Fatal("not cancelled")
	}
	if st := mustRun(t, books, "", "stock", "SALT1"); !strings.Contains(st, "98") {
		t.Fatalf("stock after 4 sold, 2 back, 1 cancelled: %s", st)
	}
	pur := `{"date":"2026-10-08","bill_number":"GW/881","party":{"name":"Gupta Wholesale"},"lines":[{"sku":"SUGAR","qty":50,"price":"40"}]}`
	p := decode[struct {
		GrandTotal string `json:"grand_total"`
		IGST       string `json:"igst"`
	}](t, mustRun(t, books, pur, "purchase", "--json", "-"))
	if p.IGST != "100.00" || p.GrandTotal != "2100.00" {
		t.Fatalf("purchase %+v", p)
	}
	if st := mustRun(t, books, "", "stock", "SUGAR", "--json"); !strings.Contains(st, `"stock": "75.5"`) {
		t.Fatalf("sugar stock %s", st)
	}
	if out := mustRun(t, books, "", "expense", "--category", "Electricity", "--amount", "1250", "--date", "2026-10-08"); !strings.Contains(out, "₹1,250.00") {
		t.Fatalf("expense said %q", out)
	}
	if out := mustRun(t, books, "", "stock", "adjust", "SUGAR", "--qty", "-0.5", "--reason", "spilled"); !strings.Contains(out, "stock now 75") {
		t.Fatalf("adjust said %q", out)
	}
}

func TestBadInput(t *testing.T) {
	books := setup(t)
	dir := filepath.Dir(books)
	cases := []struct {
		name  string
		stdin string
		args  []string
		code  int
		msg   string
	}{
		{"ErrUnknownSKU", `{"lines":[{"sku":"NOPE","qty":1}]}`, []string{"sell", "--json", "-"}, 1, `Line 1: No product has the barcode or SKU "NOPE"`},
		{"ErrBadJSON", `{"lines":[`, []string{"sell", "--json", "-"}, 1, "The sale JSON is not valid"},
		{"ErrUnknownField", `{"lines":[{"sku":"SALT1","qty":1}],"discount":5}`, []string{"sell", "--json", "-"}, 1, `unknown field "discount"`},
		{"ErrZeroQty", `{"lines":[{"sku":"SALT1","qty":0}]}`, []string{"sell", "--json", "-"}, 1, "quantity must be more than zero"},
		{"ErrBadDate", `{"date":"5th Oct","lines":[{"sku":"SALT1","qty":1}]}`, []string{"sell", "--json", "-"}, 1, "must look like 05-10-2026 or 2026-10-05"},
		{"ErrBadPOS", `{"place_of_supply":"99","lines":[{"sku":"SALT1","qty":1}]}`, []string{"sell", "--json", "-"}, 1, "Place of supply"},
		{"ErrNoJSONFlag", "", []string{"sell"}, 2, "give the sale with --json"},
		{"ErrMissingFile", "", []string{"import", "products", filepath.Join(dir, "none.csv")}, 1, "Cannot read"},
		{"ErrUnknownCommand", "", []string{"sel"}, 2, "unknown command"},
		{"ErrNoInvoice", "", []string{"invoice", "show", "INVA-9999-1"}, 1, "No invoice"},
		{"ErrBadGSTIN", "", []string{"party", "add", "--name", "X", "--gstin", "27AAPFU0939F1ZW"}, 1, "check character"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantFail(t, run(t, books, c.stdin, c.args...), c.code, c.msg) })
	}
	t.Run("ErrImportRowsNothingSaved", func(t *testing.T) {
		bad := "name,sale_price,gst_rate,unit\nGood Item,10,5,NOS\nBad Price,ten,5,NOS\nBad Rate,10,13,NOS\n"
		os.WriteFile(filepath.Join(dir, "bad.csv"), []byte(bad), 0o600)
		r := run(t, books, "", "import", "products", filepath.Join(dir, "bad.csv"))
		wantFail(t, r, 1, "row 3:")
		if !strings.Contains(r.stderr, "row 4:") || !strings.Contains(r.stderr, "nothing was imported") {
			t.Fatalf("stderr %s", r.stderr)
		}
		if out := mustRun(t, books, "", "product", "search", "Good"); strings.Contains(out, "Good Item") {
			t.Fatal("a row was imported from a file with errors")
		}
	})
	t.Run("ErrMissingColumn", func(t *testing.T) {
		os.WriteFile(filepath.Join(dir, "nocol.csv"), []byte("name,price\nA,1\n"), 0o600)
		wantFail(t, run(t, books, "", "import", "products", filepath.Join(dir, "nocol.csv")), 1, "lacks required column(s): sale_price, gst_rate")
	})
	t.Run("ErrNoBooks", func(t *testing.T) {
		wantFail(t, run(t, filepath.Join(dir, "other.db"), "", "invoice", "list"), 1, "run `naukar init` first")
	})
}

func TestHelp(t *testing.T) {
	books := filepath.Join(t.TempDir(), "b.db")
	for _, args := range [][]string{{"help"}, {"sell", "--help"}, {"invoice", "list", "--help"}, {"import", "products", "--help"}, {"return", "--help"}, {"pay", "--help"}, {"stock", "--help"}, {"party", "balance", "--help"}} {
		r := run(t, books, "", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "naukar") {
			t.Fatalf("%v: exit %d out %q err %q", args, r.code, r.stdout, r.stderr)
		}
	}
	wantFail(t, run(t, books, "", "invoice"), 2, "invoice list")
}
