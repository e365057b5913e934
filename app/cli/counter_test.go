package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Issue 12, items 7 and 8: what a new shop reads on the command line.

// TestBusinessSet: `naukar init` on set-up books points to `naukar business
// set`, which exists and checks the profile as init does.
func TestBusinessSet(t *testing.T) {
	books := setup(t)
	r := run(t, books, "", "init", "--name", "Other Shop", "--state", "27")
	wantFail(t, r, 1, "naukar business set")
	if h := run(t, books, "", "business", "set", "--help"); h.code != 0 || !strings.Contains(h.stdout, "-upi") {
		t.Fatalf("business set --help: exit %d\n%s%s", h.code, h.stdout, h.stderr)
	}
	out := mustRun(t, books, "", "business", "set", "--upi", "sharma@okicici", "--phone", "9876543210")
	for _, want := range []string{"Sharma Stores", "UPI: sharma@okicici", "Phone: 9876543210", "GSTIN: 27AAPFU0939F1ZV"} {
		if !strings.Contains(out, want) {
			t.Errorf("business set printed no %q:\n%s", want, out)
		}
	}
	// The same checks as init: a GSTIN with a wrong check character, a
	// state that is not one.
	wantFail(t, run(t, books, "", "business", "set", "--gstin", "27AAPFU0939F1ZW"), 1, "check character")
	wantFail(t, run(t, books, "", "business", "set", "--state", "77"), 1, "not a GST state code")
	wantFail(t, run(t, books, "", "business", "set"), 2, "say what to change")
	// A new GSTIN brings its state with it.
	out = mustRun(t, books, "", "business", "set", "--gstin", "29AABCR1718E1ZL")
	if !strings.Contains(out, "State: 29 Karnataka") {
		t.Errorf("the state did not follow the GSTIN:\n%s", out)
	}
	if show := mustRun(t, books, "", "business", "show"); !strings.Contains(show, "UPI: sharma@okicici") || !strings.Contains(show, "29AABCR1718E1ZL") {
		t.Errorf("business show after set:\n%s", show)
	}
}

// TestAddsSaySentences: `product add` and `party add` say what they added.
func TestAddsSaySentences(t *testing.T) {
	books := setup(t)
	out := mustRun(t, books, "", "product", "add", "--name", "Parle-G 100g", "--price", "10", "--gst", "18", "--sku", "PG100", "--barcode", "8901725133979", "--stock", "24", "--unit", "PCS")
	if !regexp.MustCompile(`^Added Parle-G 100g: ₹10\.00 \+ GST at 18%, SKU PG100, barcode 8901725133979, opening stock 24 PCS \(id [0-9a-f-]{36}\)\.\n$`).MatchString(out) {
		t.Errorf("product add printed %q", out)
	}
	out = mustRun(t, books, "", "party", "add", "--name", "Meena Stores", "--phone", "9812345678")
	if !regexp.MustCompile(`^Added customer Meena Stores \(9812345678\), id [0-9a-f-]{36}\.\n$`).MatchString(out) {
		t.Errorf("party add printed %q", out)
	}
}

// TestInvoiceShowDiscountPaidDueAndDates: invoice show has the discount
// and what was paid and is due; dates read dd-mm-yyyy.
func TestInvoiceShowDiscountPaidDueAndDates(t *testing.T) {
	books := setup(t)
	sale := `{"date":"2026-10-05","party":{"name":"Reddy Traders"},"lines":[{"sku":"SALT1","qty":4,"discount_pct":10}],"payments":[{"mode":"upi","amount":"50"}]}`
	inv := decode[invoiceJSON](t, mustRun(t, books, sale, "sell", "--json", "-"))
	out := mustRun(t, books, "", "invoice", "show", inv.Number)
	for _, want := range []string{"05-10-2026", "Disc", "9.85", "Discount ₹9.85", "Paid ₹50.00 (UPI ₹50.00)  Due ₹" + inv.Due} {
		if !strings.Contains(out, want) {
			t.Errorf("invoice show lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "2026-10-05") {
		t.Errorf("invoice show writes the date as 2026-10-05:\n%s", out)
	}
	list := mustRun(t, books, "", "invoice", "list")
	if !strings.Contains(list, "05-10-2026") || strings.Contains(list, "2026-10-05") {
		t.Errorf("invoice list dates:\n%s", list)
	}
	cancel := mustRun(t, books, "", "invoice", "cancel", inv.Number, "--reason", "wrong party", "--date", "2026-10-06")
	if !strings.Contains(cancel, "cancelled on 06-10-2026") {
		t.Errorf("invoice cancel said %q", cancel)
	}
}

// TestImportCountsInGoodEnglish: one product, one bad row.
func TestImportCountsInGoodEnglish(t *testing.T) {
	books := setup(t)
	dir := t.TempDir()
	one := filepath.Join(dir, "one.csv")
	os.WriteFile(one, []byte("name,sale_price,gst_rate\nVim Bar,10,18\n"), 0o600)
	if out := mustRun(t, books, "", "import", "products", one); out != "Imported 1 product.\n" {
		t.Errorf("import said %q", out)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("name,sale_price,gst_rate\nVim Bar,10,13x\n"), 0o600)
	wantFail(t, run(t, books, "", "import", "products", bad), 1, "1 row has a problem; nothing was imported")
}
