package printing_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/printing"
)

// tool runs a poppler or qpdf command and fails the test with the package
// to install when it is missing.
func tool(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		pkg := "poppler-utils"
		if name == "qpdf" {
			pkg = "qpdf"
		}
		t.Fatalf("%s is not installed: apt-get install %s", name, pkg)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return out
}

// pdfFile renders to a temporary file and checks it with qpdf and pdffonts.
func pdfFile(t testing.TB, render func(*bytes.Buffer) error) string {
	t.Helper()
	var b bytes.Buffer
	if err := render(&b); err != nil {
		t.Fatalf("render: %v", err)
	}
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := tool(t, "qpdf", "--check", p); !bytes.Contains(out, []byte("No syntax or stream encoding errors")) {
		t.Errorf("qpdf --check:\n%s", out)
	}
	fontsOut := string(tool(t, "pdffonts", p))
	lines := strings.Split(strings.TrimSpace(fontsOut), "\n")
	if len(lines) < 3 {
		t.Errorf("no fonts in the PDF:\n%s", fontsOut)
	}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name type... encoding emb sub uni object ID
		if len(f) < 7 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", l)
		}
		if !strings.HasPrefix(f[0], "NotoSans") {
			t.Errorf("unexpected font %s", f[0])
		}
	}
	return p
}

func invoicePDF(t testing.TB, inv *books.Invoice, opt printing.Options) string {
	t.Helper()
	return pdfFile(t, func(b *bytes.Buffer) error { return printing.InvoicePDF(b, inv, opt) })
}

func text(t testing.TB, p string) string {
	t.Helper()
	return string(tool(t, "pdftotext", "-layout", p, "-"))
}

func pages(t testing.TB, p string) int {
	t.Helper()
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(tool(t, "pdfinfo", p))
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func wantAll(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(text), " ")
	for _, w := range wants {
		if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func inr(p int64) string { return gst.FormatIndianDigits(p) }

// TestTaxInvoiceRule46 checks every field CGST Rule 46 asks of a tax
// invoice on an intra-state sale to a registered buyer.
func TestTaxInvoiceRule46(t *testing.T) {
	biz := shop()
	buyer := &books.PartySnapshot{Name: "Mehta Provision Stores", GSTIN: "27AABCS1429B1ZU", StateCode: "27",
		Address: "45, Ranade Road", City: "Mumbai", Pincode: "400028", Phone: "9819012345"}
	inv := sale(t, biz, buyer, catalogue, "SGS/26-27/A/0042")
	p := invoicePDF(t, inv, printing.Options{Business: biz})
	txt := text(t, p)
	wantAll(t, "invoice", txt,
		"TAX INVOICE", "ORIGINAL FOR RECIPIENT",
		// supplier
		"Sharma General Stores", "12, Station Road, Dadar West, Mumbai 400028", "GSTIN: 27AAPFU0939F1ZV",
		"State: Maharashtra, Code: 27", "Phone: 9876543210",
		// number and date
		"Invoice No.", "SGS/26-27/A/0042", "Date", "20-11-2026",
		// recipient
		"BILL TO", "Mehta Provision Stores", "45, Ranade Road, Mumbai 400028", "SHIP TO",
		// place of supply, reverse charge
		"Place of Supply", "27-Maharashtra", "Reverse Charge", "No",
		// columns
		"HSN/SAC", "Qty", "Rate", "Disc.", "Taxable Value", "GST %", "CGST", "SGST", "Amount",
		// totals
		"Taxable Value "+inr(inv.Taxable), "CGST "+inr(inv.CGST), "SGST "+inr(inv.SGST),
		"Round Off", "Grand Total ₹"+inr(inv.GrandTotal), gst.AmountInWords(inv.GrandTotal),
		"Received "+inr(inv.Paid), "Balance Due "+inr(inv.Due()),
		// HSN summary with per-head rates
		"CGST Rate", "SGST Rate", "Total Tax",
		// bank, UPI, terms, signature
		"BANK DETAILS", "State Bank of India", "30012345678", "SBIN0001234", "UPI: sharmastores@okicici",
		"Scan to pay ₹"+inr(inv.Due()), "TERMS & CONDITIONS", "Goods once sold", "For Sharma General Stores", "Authorised Signatory")
	if strings.Contains(txt, "IGST") {
		t.Error("intra-state invoice shows IGST")
	}
	// Every line: HSN, quantity with unit, rate, taxable value, each tax, total.
	for i, l := range inv.Lines {
		wantAll(t, "line", txt, fmt.Sprintf("%d %s", i+1, strings.Fields(l.Name)[0]),
			fmt.Sprintf("%s %s %s", l.HSN, gst.FormatQty(l.Qty), l.Unit), inr(l.Taxable), inr(l.Total))
		if l.CGST != 0 {
			wantAll(t, "line", txt, fmt.Sprintf("%s %s%% %s %s %s", inr(l.Taxable), l.Rate, inr(l.CGST), inr(l.SGST), inr(l.Total)))
		}
		if l.Discount != 0 {
			wantAll(t, "discount", txt, inr(l.Discount))
		}
	}
	// HSN summary: one row per HSN and rate, CGST and SGST at half the rate.
	for _, h := range hsnRows(inv) {
		wantAll(t, "HSN summary", txt, fmt.Sprintf("%s %s %s %s %s %s", h.hsn, inr(h.taxable), half(h.rate), inr(h.cgst), half(h.rate), inr(h.sgst)))
	}
	if n := pages(t, p); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
}

type hsnSum struct {
	hsn                   string
	rate                  gst.RateBP
	taxable, cgst, sgst   int64
	igst, cess, totalLine int64
}

func hsnRows(inv *books.Invoice) []hsnSum {
	var out []hsnSum
	idx := map[string]int{}
	for _, l := range inv.Lines {
		k := l.HSN + "/" + l.Rate.String()
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, hsnSum{hsn: l.HSN, rate: l.Rate})
		}
		out[i].taxable += l.Taxable
		out[i].cgst += l.CGST
		out[i].sgst += l.SGST
		out[i].igst += l.IGST
		out[i].cess += l.Cess
	}
	return out
}

func half(r gst.RateBP) string {
	if r%2 != 0 {
		return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", float64(r)/200), "0"), ".") + "%"
	}
	return (r / 2).String() + "%"
}

func TestInterStateIGST(t *testing.T) {
	biz := shop()
	inv := sale(t, biz, registeredBuyer, catalogue, "SGS/26-27/A/0042")
	if inv.SupplyType != gst.Inter {
		t.Fatal("fixture should be inter-state")
	}
	txt := text(t, invoicePDF(t, inv, printing.Options{Business: biz}))
	wantAll(t, "inter-state invoice", txt, "24-Gujarat", "GSTIN: 24AANFA2641L1ZF", "State: Gujarat, Code: 24",
		"IGST "+inr(inv.IGST), "IGST Rate", "IGST Amount")
	if strings.Contains(txt, "CGST") || strings.Contains(txt, "SGST") {
		t.Error("inter-state invoice shows CGST/SGST")
	}
	for _, h := range hsnRows(inv) {
		wantAll(t, "HSN summary", txt, fmt.Sprintf("%s %s %s%% %s", h.hsn, inr(h.taxable), h.rate, inr(h.igst)))
	}
}

func TestUTGSTCessReverseCharge(t *testing.T) {
	biz := shop()
	biz.GSTIN, biz.StateCode, biz.City = "04AAPFU0939F1ZP", "04", "Chandigarh"
	if err := gst.ValidateGSTIN(biz.GSTIN); err != nil {
		c, _ := gst.GSTINCheckChar(biz.GSTIN[:14])
		biz.GSTIN = biz.GSTIN[:14] + string(c)
	}
	items := []item{catalogue[0], {name: "Pan Masala 100g", hsn: "2106", unit: "PAC", price: 20000, rate: 4000, cess: 6000, qty: 2000}}
	// Reverse charge applies to a registered buyer: a Chandigarh GSTIN.
	d := &books.SaleDraft{Date: saleDate, ReverseCharge: true, Party: &books.PartySnapshot{Name: "Chandigarh Traders", GSTIN: "04AABCS1429B1Z2", StateCode: "04"}}
	for _, it := range items {
		d.Lines = append(d.Lines, books.DraftLine{Product: product(it), Qty: it.qty})
	}
	inv, err := books.PriceSale(biz, d)
	if err != nil {
		t.Fatal(err)
	}
	inv.Number = "CHD/26-27/0001"
	if inv.Cess == 0 {
		t.Fatal("fixture should carry cess")
	}
	txt := text(t, invoicePDF(t, inv, printing.Options{Business: biz}))
	// On reverse charge the buyer pays the tax to the government: the
	// invoice shows each head as payable by the recipient and a grand total
	// of the taxable value alone, rounded (CGST Rule 46(p)).
	if inv.GrandTotal != inv.Taxable+inv.RoundOff {
		t.Fatalf("grand total %d is not the taxable value %d rounded", inv.GrandTotal, inv.Taxable)
	}
	wantAll(t, "UT invoice", txt, "UTGST", "UTGST Rate", "UTGST Amount", "UTGST (payable by recipient) "+inr(inv.SGST),
		"CGST (payable by recipient) "+inr(inv.CGST), "Cess (payable by recipient) "+inr(inv.Cess),
		"Tax on reverse charge (not in total) "+inr(inv.Tax()), "Grand Total ₹"+inr(inv.GrandTotal),
		"Cess Rate", "60%", "Reverse Charge Yes", "payable by the recipient on reverse charge basis; it is not part of the amount payable to us")
	if strings.Contains(txt, "SGST ") {
		t.Error("UT invoice says SGST")
	}
}

func TestBillOfSupplyAndCreditNote(t *testing.T) {
	biz := shop()
	biz.Composition = true
	inv := sale(t, biz, localBuyer, catalogue[:3], "SGS/26-27/A/0050")
	if inv.Kind != books.BillOfSupply {
		t.Fatal("composition sale should be a bill of supply")
	}
	txt := text(t, invoicePDF(t, inv, printing.Options{Business: biz}))
	wantAll(t, "bill of supply", txt, "BILL OF SUPPLY", "Composition taxable person, not eligible to collect tax on supplies",
		"Grand Total ₹"+inr(inv.GrandTotal))
	for _, no := range []string{"TAX INVOICE", "CGST", "Taxable Value", "HSN/SAC Taxable"} {
		if strings.Contains(txt, no) {
			t.Errorf("bill of supply shows %q", no)
		}
	}

	reg := shop()
	inv = sale(t, reg, localBuyer, catalogue[:4], "SGS/26-27/A/0046")
	cn := creditNoteFor(t, reg, inv)
	p := pdfFile(t, func(b *bytes.Buffer) error { return printing.CreditNotePDF(b, cn, printing.Options{Business: reg}) })
	txt = text(t, p)
	wantAll(t, "credit note", txt, "CREDIT NOTE", "Credit Note No.", "CN/26-27/A/0001", "22-11-2026",
		"Against Invoice", "SGS/26-27/A/0046", "Invoice Date", "20-11-2026", "Reason", "Damaged packet",
		"CGST "+inr(cn.CGST), "Grand Total ₹"+inr(cn.GrandTotal), "Credited to account", "reduces the value of the invoice")
	if strings.Contains(txt, "Scan to pay") {
		t.Error("credit note asks for payment")
	}
}

func TestCopiesAndCancelled(t *testing.T) {
	biz := shop()
	inv := sale(t, biz, nil, catalogue[:2], "SGS/26-27/A/0003")
	cps, err := printing.ParseCopies("all")
	if err != nil {
		t.Fatal(err)
	}
	p := invoicePDF(t, inv, printing.Options{Business: biz, Copies: cps, Cancelled: true})
	if n := pages(t, p); n != 3 {
		t.Errorf("%d pages, want 3 copies", n)
	}
	txt := text(t, p)
	wantAll(t, "copies", txt, "ORIGINAL FOR RECIPIENT", "DUPLICATE FOR TRANSPORTER", "TRIPLICATE FOR SUPPLIER", "CANCELLED",
		"Walk-in customer")
	if strings.Contains(txt, "Scan to pay") {
		t.Error("cancelled invoice asks for payment")
	}
	if _, err := printing.ParseCopies("quadruplicate"); err == nil {
		t.Error("bad copy accepted")
	}
}

// TestMultiPage checks a 150-line invoice: the header on every page,
// totals carried forward and brought forward, and the summary at the end.
func TestMultiPage(t *testing.T) {
	biz := shop()
	inv := sale(t, biz, localBuyer, manyItems(150), "SGS/26-27/A/0044")
	for _, f := range []printing.Format{printing.A4, printing.A5} {
		t.Run(string(f), func(t *testing.T) {
			p := invoicePDF(t, inv, printing.Options{Business: biz, Format: f})
			n := pages(t, p)
			if n < 3 {
				t.Fatalf("%d pages for 150 lines", n)
			}
			pgs := strings.Split(strings.TrimRight(text(t, p), "\f"), "\f")
			if len(pgs) != n {
				t.Fatalf("pdftotext gave %d pages, pdfinfo %d", len(pgs), n)
			}
			rowNum := regexp.MustCompile(`(?m)^\s{0,3}(\d{1,3})\s+[A-Z]`)
			last := 0
			for i, pg := range pgs {
				wantAll(t, fmt.Sprintf("page %d", i+1), pg, "TAX INVOICE", "SGS/26-27/A/0044", "Sharma General Stores", "Ravi Sharma",
					fmt.Sprintf("Page %d of %d", i+1, n))
				first := true
				for _, m := range rowNum.FindAllStringSubmatch(pg, -1) {
					k, _ := strconv.Atoi(m[1])
					if k > 150 {
						continue
					}
					if first && k != last+1 && strings.Contains(pg, "Brought forward") {
						t.Errorf("page %d starts at line %d, want %d", i+1, k, last+1)
					}
					first = false
					last = max(last, k)
				}
				var sum int64
				for _, l := range inv.Lines[:last] {
					sum += l.Total
				}
				if strings.Contains(pg, "Carried forward") {
					wantAll(t, fmt.Sprintf("page %d carried forward", i+1), pg, inr(sum))
					if !strings.Contains(pgs[i+1], "Brought forward") {
						t.Errorf("page %d does not bring forward", i+2)
					}
				}
			}
			if last != 150 {
				t.Errorf("last line printed is %d", last)
			}
			// The totals follow the last line; the summary ends on the last page.
			all := strings.Join(pgs, "")
			if n := strings.Count(all, "Grand Total"); n != 1 {
				t.Errorf("Grand Total printed %d times", n)
			}
			wantAll(t, "summary", all, "Grand Total ₹"+inr(inv.GrandTotal), gst.AmountInWords(inv.GrandTotal))
			for i, pg := range pgs {
				if strings.Contains(pg, "Grand Total") && !strings.Contains(pg, " 150 ") && !strings.Contains(pg, "\n150 ") {
					if i == 0 || !strings.Contains(pgs[i-1], "Total") {
						t.Errorf("grand total on page %d, away from the last line", i+1)
					}
				}
			}
			wantAll(t, "last page", pgs[len(pgs)-1], "Authorised Signatory")
		})
	}
	one := invoicePDF(t, sale(t, biz, nil, catalogue[:1], "SGS/26-27/A/0001"), printing.Options{Business: biz})
	if n := pages(t, one); n != 1 {
		t.Errorf("1-line invoice has %d pages", n)
	}
}

// TestLongNamesWrap checks that a 200-character name and long words stay
// inside the Item column, every word printed.
func TestLongNamesWrap(t *testing.T) {
	biz := shop()
	long := "Premium Quality Extra Long Grain Aged Basmati Rice Specially Selected From The Foothills Of The Himalayas Packed In Airtight Bag " +
		"Supercalifragilisticexpialidociousriceandmorerice"
	party := &books.PartySnapshot{Name: "Shree Ganesh Kirana General Stores and Wholesale Suppliers Private Limited Company", StateCode: "27",
		Address: "Shop No. 14-15, Ground Floor, Laxmi Narayan Commercial Complex, Near Old Railway Station Road, Opposite Municipal Garden", City: "Pune"}
	inv := sale(t, biz, party, []item{{name: long, hsn: "10063020", unit: "KGS", price: 1234567, rate: 500, qty: 123456}, catalogue[1]}, "SGS/26-27/A/0099")
	p := invoicePDF(t, inv, printing.Options{Business: biz})
	txt := text(t, p)
	for _, w := range strings.Fields(party.Name + " " + party.Address) {
		wantAll(t, "party", txt, w)
	}
	bbox := string(tool(t, "pdftotext", "-bbox", p, "-"))
	word := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	var hsnX float64
	boxes := map[string][]float64{}
	for _, m := range word.FindAllStringSubmatch(bbox, -1) {
		x0, _ := strconv.ParseFloat(m[1], 64)
		x1, _ := strconv.ParseFloat(m[3], 64)
		if m[5] == "HSN/SAC" && hsnX == 0 {
			hsnX = x0
		}
		boxes[m[5]] = []float64{x0, x1}
	}
	if hsnX == 0 {
		t.Fatal("no HSN/SAC header")
	}
	for _, w := range strings.Fields(long) {
		b, ok := boxes[w]
		if !ok {
			// An overlong word is cut into pieces; each piece is inside.
			continue
		}
		if b[1] > hsnX-2 {
			t.Errorf("word %q runs into the HSN column (ends at %.1f, column at %.1f)", w, b[1], hsnX)
		}
	}
	flat := strings.Join(strings.Fields(txt), "")
	if !strings.Contains(flat, "Supercalifragilisticexpialidocious") {
		t.Error("overlong word lost")
	}
	wantAll(t, "numbers", txt, "12,345.67", "123.456 KGS")
}

// TestDevanagariShaped checks that Hindi is shaped (conjuncts, reph, vowel
// signs placed) and still extractable as text.
func TestDevanagariShaped(t *testing.T) {
	for _, s := range []string{"क्षत्रिय", "आशीर्वाद", "ट्रेडर्स", "शुद्ध"} {
		g := printing.ShapeForTest(s)
		if n := len([]rune(s)); len(g) >= n {
			t.Errorf("%s: %d glyphs for %d characters: not shaped into conjuncts", s, len(g), n)
		}
	}
	biz := shop()
	inv := sale(t, biz, hindiBuyer, hindiItems, "SGS/26-27/A/0043")
	txt := text(t, invoicePDF(t, inv, printing.Options{Business: biz}))
	wantAll(t, "Hindi invoice", txt, "आशीर्वाद ट्रेडर्स", "बासमती चावल 5 किलो", "क्षत्रिय शुद्ध देसी घी 1 लीटर", "हल्दी पाउडर (Turmeric) 200g",
		"क्षत्रिय मार्ग, दादर, Mumbai 400014")
}

// TestHindiGoldenImage compares the first page of the Hindi invoice,
// rasterised by pdftoppm, with testdata/golden/hindi-a4.png. Run with
// -update to rewrite it after a deliberate change in layout.
func TestHindiGoldenImage(t *testing.T) {
	biz := shop()
	inv := sale(t, biz, hindiBuyer, hindiItems, "SGS/26-27/A/0043")
	cases := []struct {
		name string
		opt  printing.Options
	}{
		{"hindi-a4.png", printing.Options{Business: biz}},
		{"hindi-80mm.png", printing.Options{Business: biz, Format: printing.Roll80}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := invoicePDF(t, inv, tc.opt)
			got := rasterise(t, p, 70)
			golden := filepath.Join("testdata", "golden", tc.name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				writePNG(t, golden, got)
			}
			f, err := os.Open(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			defer f.Close()
			want, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			if got.Bounds() != want.Bounds() {
				t.Fatalf("size %v, golden %v", got.Bounds(), want.Bounds())
			}
			// Tolerant: anti-aliasing may move a little between poppler
			// versions; a changed glyph or a moved line would not.
			bad := 0
			b := got.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					g := color.GrayModel.Convert(got.At(x, y)).(color.Gray).Y
					w := color.GrayModel.Convert(want.At(x, y)).(color.Gray).Y
					if d := int(g) - int(w); d > 80 || d < -80 {
						bad++
					}
				}
			}
			if frac := float64(bad) / float64(b.Dx()*b.Dy()); frac > 0.002 {
				os.WriteFile(filepath.Join(t.TempDir(), "got.png"), nil, 0o644)
				t.Errorf("%d pixels (%.3f%%) differ from %s", bad, 100*frac, golden)
			}
		})
	}
}

// rasterise renders page 1 of a PDF in grey with pdftoppm.
func rasterise(t testing.TB, pdf string, dpi int) image.Image {
	t.Helper()
	base := filepath.Join(t.TempDir(), "page")
	tool(t, "pdftoppm", "-r", strconv.Itoa(dpi), "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", pdf, base)
	f, err := os.Open(base + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestReceiptPDF(t *testing.T) {
	biz := shop()
	inv := sale(t, biz, registeredBuyer, catalogue, "SGS/26-27/A/0042")
	for _, f := range []printing.Format{printing.Roll80, printing.Roll58} {
		t.Run(string(f), func(t *testing.T) {
			p := invoicePDF(t, inv, printing.Options{Business: biz, Format: f})
			info := string(tool(t, "pdfinfo", p))
			wantW := map[printing.Format]string{printing.Roll80: "226.77", printing.Roll58: "164.41"}[f]
			if !strings.Contains(info, "Page size:       "+wantW+" x") {
				t.Errorf("page size: %s", info)
			}
			if n := pages(t, p); n != 1 {
				t.Errorf("receipt has %d pages", n)
			}
			wantAll(t, "receipt", text(t, p), "Sharma General Stores", "TAX INVOICE", "SGS/26-27/A/0042", "20-11-2026",
				"Patel Kirana", "24-Gujarat", "IGST", "TOTAL", "₹"+inr(inv.GrandTotal), "UPI: sharmastores@okicici")
		})
	}
	if _, err := printing.ParseFormat("a3"); err == nil {
		t.Error("a3 accepted")
	}
}

// TestConcurrentRendering renders from many goroutines at once (run with
// -race): the shared font library must be safe.
func TestConcurrentRendering(t *testing.T) {
	biz := shop()
	invs := []*books.Invoice{
		sale(t, biz, hindiBuyer, hindiItems, "SGS/26-27/A/0043"),
		sale(t, biz, registeredBuyer, catalogue, "SGS/26-27/A/0042"),
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			inv := invs[i%2]
			if _, err := printing.InvoicePDFBytes(inv, printing.Options{Business: biz, Format: printing.Formats()[i%4]}); err != nil {
				errs <- err
			}
			if _, err := printing.InvoiceESCPOS(inv, printing.ReceiptOptions{Width: 32 + 16*(i%2)}); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
