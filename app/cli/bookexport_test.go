package cli_test

import (
	"archive/zip"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportBooks: `naukar export books -o` writes the books on this PC,
// with no server, in the layout of the server's export: JSON per table,
// CSV for products, parties, invoices, payments and expenses, README.txt
// naming every file; a cashier may not export them.
func TestExportBooks(t *testing.T) {
	books := setup(t)
	mustRun(t, books, `{"date":"2026-10-06","party":{"name":"Reddy Traders"},"lines":[{"sku":"SALT1","qty":"2"}],"payments":[{"mode":"credit","amount":"58"}]}`, "sell", "--json", "-")
	mustRun(t, books, "", "pay", "--party", "Reddy Traders", "--amount", "40", "--mode", "upi", "--date", "2026-10-07")
	mustRun(t, books, "", "expense", "--category", "Rent", "--amount", "8000", "--note", "October shop rent", "--date", "2026-10-01")

	out := filepath.Join(t.TempDir(), "books.zip")
	if said := mustRun(t, books, "", "export", "books", "-o", out); !strings.Contains(said, "README.txt inside") {
		t.Fatalf("export books said %q", said)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(b)
	}
	want := map[string][]string{
		"books/products.csv":  {"id,deleted,", "Tata Salt 1kg"},
		"books/parties.csv":   {"Reddy Traders", "Gupta Wholesale"},
		"books/invoices.csv":  {"Reddy Traders", "2026-10-06"},
		"books/payments.csv":  {"4000", "upi"},
		"books/expenses.csv":  {"October shop rent", "800000"},
		"books/business.json": {"Sharma Stores", "27AAPFU0939F1ZV"},
		"books/invoices.json": {`"hlc":`, `"data":`},
		"books/parties.json":  {"9845012345"},
		"README.txt":          {"on this PC", "books/invoices.csv", "books/business.json", "paise"},
	}
	for name, subs := range want {
		got, ok := files[name]
		if !ok {
			t.Errorf("no %s in the ZIP (files: %v)", name, keys(files))
			continue
		}
		for _, s := range subs {
			if !strings.Contains(got, s) {
				t.Errorf("%s lacks %q:\n%.600s", name, s, got)
			}
		}
	}
	for name, body := range files {
		if strings.HasSuffix(name, ".json") {
			var rows []map[string]any
			if err := json.Unmarshal([]byte(body), &rows); err != nil || len(rows) == 0 {
				t.Errorf("%s: %d rows, %v", name, len(rows), err)
			}
		}
	}

	// With staff: the owner exports (the staff without their PIN hashes);
	// a cashier may not.
	mustRun(t, books, "2580\n", "staff", "add", "--name", "Asha", "--role", "owner")
	mustRun(t, books, "2580\n1470\n", "--as", "Asha", "staff", "add", "--name", "Ramu", "--role", "cashier")
	mustRun(t, books, "2580\n", "--as", "Asha", "export", "books", "-o", out)
	zr2, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr2.Close()
	staffJSON := ""
	for _, f := range zr2.File {
		if f.Name == "books/staff.json" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			staffJSON = string(b)
		}
	}
	if !strings.Contains(staffJSON, "Ramu") || strings.Contains(staffJSON, "pin_hash") || strings.Contains(staffJSON, "argon2") {
		t.Errorf("books/staff.json:\n%s", staffJSON)
	}
	wantFail(t, run(t, books, "1470\n", "--as", "Ramu", "export", "books", "-o", out+"2"), 1, "")
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
