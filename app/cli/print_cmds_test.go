package cli_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/cli"
)

// pRun runs the naukar CLI in-process on the books at path.
func pRun(t *testing.T, books string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(append([]string{"--books", books}, args...), &cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return out.String(), errb.String(), code
}

func pMustRun(t *testing.T, books, stdin string, args ...string) string {
	t.Helper()
	out, errs, code := pRun(t, books, stdin, args...)
	if code != 0 {
		t.Fatalf("naukar %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// shopWithSale makes books with three products (one with a Hindi name) and
// one sale to a registered customer in another state, made with
// `naukar sell --json`, and returns the books path and invoice number.
func shopWithSale(t *testing.T) (string, string) {
	t.Helper()
	books := filepath.Join(t.TempDir(), "books.db")
	pMustRun(t, books, "", "init", "--name", "Sharma General Stores", "--state", "27", "--gstin", "27AAPFU0939F1ZV",
		"--address", "12, Station Road, Dadar West", "--city", "Mumbai", "--pincode", "400028", "--phone", "9876543210",
		"--upi", "sharmastores@okicici", "--prefix", "SGS")
	pMustRun(t, books, "", "product add", "--name", "बासमती चावल 5 किलो", "--sku", "RICE5", "--price", "625", "--gst", "5", "--hsn", "1006", "--unit", "BAG", "--stock", "50")
	pMustRun(t, books, "", "product add", "--name", "Tata Salt Iodised 1kg", "--sku", "SALT1", "--price", "28", "--gst", "5", "--hsn", "2501", "--unit", "PCS", "--stock", "100")
	pMustRun(t, books, "", "product add", "--name", "Surf Excel Easy Wash 1.5kg", "--sku", "SURF", "--price", "210", "--gst", "18", "--hsn", "3402", "--unit", "PAC", "--stock", "20")
	sale := `{"party": {"name": "आशीर्वाद ट्रेडर्स", "gstin": "24AANFA2641L1ZF", "address": "Relief Road", "city": "Ahmedabad"},
	  "lines": [{"sku": "RICE5", "qty": 2}, {"sku": "SALT1", "qty": "3"}, {"sku": "SURF", "qty": 1, "discount_pct": "5"}],
	  "payments": [{"mode": "upi", "amount": "500"}, {"mode": "credit", "amount": "1136"}]}`
	out, errs, code := pRun(t, books, sale, "sell", "--json", "-")
	if code != 0 {
		t.Fatalf("sell: exit %d: %s%s", code, out, errs)
	}
	var inv struct {
		Number     string `json:"number"`
		GrandTotal string `json:"grand_total"`
	}
	if err := json.Unmarshal([]byte(out), &inv); err != nil {
		t.Fatalf("sell output: %v\n%s", err, out)
	}
	return books, inv.Number
}

func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (install poppler-utils): %v", err)
	}
	return string(out)
}

func TestInvoicePDFFromSale(t *testing.T) {
	books, num := shopWithSale(t)
	dir := t.TempDir()
	a4 := filepath.Join(dir, "inv.pdf")
	out := pMustRun(t, books, "", "invoice", "pdf", num, "--copies", "original,duplicate", "-o", a4)
	if !strings.Contains(out, "written to "+a4) {
		t.Errorf("output %q", out)
	}
	text := pdfText(t, a4)
	for _, want := range []string{"TAX INVOICE", num, "ORIGINAL FOR RECIPIENT", "DUPLICATE FOR TRANSPORTER",
		"Sharma General Stores", "GSTIN: 27AAPFU0939F1ZV", "24AANFA2641L1ZF", "24-Gujarat", "IGST",
		"आशीर्वाद ट्रेडर्स", "बासमती चावल 5 किलो", "1,250.00", "Rupees One Thousand Six Hundred Thirty Six Only", "₹1,636.00"} {
		if !strings.Contains(text, want) {
			t.Errorf("A4 PDF lacks %q", want)
		}
	}
	if n := strings.Count(text, "\f"); n != 2 {
		t.Errorf("%d pages, want 2 (original and duplicate)", n)
	}
	if out, err := exec.Command("qpdf", "--check", a4).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
	// Receipt PDF and the bytes for a thermal printer.
	r := filepath.Join(dir, "r.pdf")
	pMustRun(t, books, "", "invoice", "pdf", num, "--format", "58mm", "-o", r)
	if text := pdfText(t, r); !strings.Contains(text, "TOTAL") || !strings.Contains(text, "₹1,636.00") {
		t.Errorf("58mm receipt:\n%s", text)
	}
	esc := filepath.Join(dir, "r.bin")
	pMustRun(t, books, "", "invoice", "escpos", num, "--width", "32", "--drawer", "-o", esc)
	b, err := os.ReadFile(esc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte{0x1b, '@'}) || !bytes.HasSuffix(b, []byte{0x1b, 'p', 0, 25, 250}) ||
		!bytes.Contains(b, []byte("Bill No: "+num)) || !bytes.Contains(b, []byte("Rs 1,636.00")) {
		t.Errorf("ESC/POS output does not look right (%d bytes)", len(b))
	}
	// Usage errors.
	if _, errs, code := pRun(t, books, "", "invoice", "pdf", num); code != 2 || !strings.Contains(errs, "-o FILE") {
		t.Errorf("missing -o: exit %d %q", code, errs)
	}
	if _, errs, code := pRun(t, books, "", "invoice", "pdf", "NOPE-1", "-o", a4); code != 1 || !strings.Contains(errs, "No invoice") {
		t.Errorf("unknown invoice: exit %d %q", code, errs)
	}
	if _, errs, code := pRun(t, books, "", "invoice", "escpos", num, "--width", "40", "-o", esc); code != 1 || !strings.Contains(errs, "32") {
		t.Errorf("bad width: exit %d %q", code, errs)
	}
}

func TestInvoicePrintRawToNetworkPrinter(t *testing.T) {
	books, num := shopWithSale(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 2)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.SetDeadline(time.Now().Add(10 * time.Second))
			b, _ := io.ReadAll(c)
			c.Close()
			got <- b
		}
	}()
	out := pMustRun(t, books, "", "printer", "set", "--format", "80mm", "--raw", ln.Addr().String(), "--auto", "--drawer")
	for _, want := range []string{"Paper:      80mm", "Raw ESC/POS: " + ln.Addr().String(), "Auto-print: yes", "Cash drawer: yes"} {
		if !strings.Contains(out, want) {
			t.Errorf("printer set output lacks %q:\n%s", want, out)
		}
	}
	if show := pMustRun(t, books, "", "printer", "show"); show != out {
		t.Errorf("printer show differs from what was set:\n%s", show)
	}
	out = pMustRun(t, books, "", "invoice", "print", num)
	if !strings.Contains(out, "sent to raw printer "+ln.Addr().String()) {
		t.Errorf("invoice print output %q", out)
	}
	select {
	case b := <-got:
		if !bytes.HasPrefix(b, []byte{0x1b, '@'}) || !bytes.Contains(b, []byte("Bill No: "+num)) ||
			!bytes.Contains(b, []byte{0x1b, 'p', 0, 25, 250}) || !bytes.Contains(b, []byte{0x1d, 'V', 66, 3}) {
			t.Errorf("printer received %d bytes that are not the receipt", len(b))
		}
		if bytes.Contains(b, []byte("आशीर्वाद")) {
			t.Error("Devanagari sent as text; it must be an image")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the network printer received nothing")
	}
	pMustRun(t, books, "", "printer", "test")
	select {
	case b := <-got:
		if !bytes.Contains(b, []byte("Printer test page")) {
			t.Errorf("test page bytes: %q", b[:min(80, len(b))])
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no test page")
	}
	// Settings are checked.
	if _, errs, code := pRun(t, books, "", "printer", "set", "--format", "a4", "--raw", "/dev/usb/lp0"); code != 1 || !strings.Contains(errs, "receipt format") {
		t.Errorf("raw with a4 accepted: exit %d %q", code, errs)
	}
	if _, errs, code := pRun(t, books, "", "printer", "set", "--format", "b5"); code != 1 || !strings.Contains(errs, "not known") {
		t.Errorf("bad format: exit %d %q", code, errs)
	}
	// A printer that is not there gives a clear message.
	ln.Close()
	if _, errs, code := pRun(t, books, "", "invoice", "print", num); code != 1 || !strings.Contains(errs, "Cannot reach the printer") {
		t.Errorf("dead printer: exit %d %q", code, errs)
	}
}

func TestPrinterTestPageToFile(t *testing.T) {
	dir := t.TempDir()
	books := filepath.Join(dir, "none.db") // no books needed for a test page
	for _, f := range []string{"a4", "80mm"} {
		p := filepath.Join(dir, f+".pdf")
		pMustRun(t, books, "", "printer", "test", "--format", f, "-o", p)
		if text := pdfText(t, p); !strings.Contains(text, "est page") {
			t.Errorf("%s test page:\n%s", f, text)
		}
	}
}
