package printing_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/printing"
	"github.com/ainaukar/naukar/assets"
)

// examplesDir holds the committed example outputs shown in the README.
var examplesDir = filepath.Join("..", "..", "docs", "examples")

type example struct {
	name   string // file name without extension
	number string // a document number the example shows
	pdf    func(t *testing.T) []byte
	escpos func(t *testing.T) []byte
	cols   int
	dpi    int
}

func examples() []example {
	biz := shop()
	pdf := func(inv func(t *testing.T) *books.Invoice, opt printing.Options) func(t *testing.T) []byte {
		return func(t *testing.T) []byte {
			opt.Business = biz
			b, err := printing.InvoicePDFBytes(inv(t), opt)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	inter := func(t *testing.T) *books.Invoice { return sale(t, biz, registeredBuyer, catalogue, "SGS/26-27/A/0042") }
	hindi := func(t *testing.T) *books.Invoice { return sale(t, biz, hindiBuyer, hindiItems, "SGS/26-27/A/0043") }
	walkIn := func(t *testing.T) *books.Invoice { return sale(t, biz, nil, catalogue[:6], "SGS/26-27/A/0045") }
	small := func(t *testing.T) *books.Invoice { return sale(t, biz, nil, catalogue[:3], "SGS/26-27/A/0047") }
	long := func(t *testing.T) *books.Invoice { return sale(t, biz, localBuyer, manyItems(60), "SGS/26-27/A/0044") }
	return []example{
		{name: "invoice-a4", number: "SGS/26-27/A/0042", dpi: 110, pdf: pdf(inter, printing.Options{Logo: assets.Logo})},
		{name: "invoice-a4-hindi", number: "SGS/26-27/A/0043", dpi: 110, pdf: pdf(hindi, printing.Options{})},
		{name: "invoice-a4-multipage", number: "SGS/26-27/A/0044", dpi: 80, pdf: pdf(long, printing.Options{})},
		{name: "invoice-a5", number: "SGS/26-27/A/0047", dpi: 110, pdf: pdf(small, printing.Options{Format: printing.A5})},
		{name: "invoice-a4-export", number: "SGS/26-27/A/0050", dpi: 110, pdf: pdf(func(t *testing.T) *books.Invoice {
			return exportSale(t, gst.ExportUnderLUT)
		}, printing.Options{})},
		{name: "credit-note-a4", number: "CN/26-27/A/0001", dpi: 110, pdf: func(t *testing.T) []byte {
			inv := sale(t, biz, localBuyer, catalogue[:4], "SGS/26-27/A/0046")
			var b bytes.Buffer
			if err := printing.CreditNotePDF(&b, creditNoteFor(t, biz, inv), printing.Options{Business: biz}); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}},
		{name: "receipt-80mm", number: "SGS/26-27/A/0042", dpi: 150, pdf: pdf(inter, printing.Options{Format: printing.Roll80})},
		{name: "receipt-58mm-hindi", number: "SGS/26-27/A/0043", dpi: 150, pdf: pdf(hindi, printing.Options{Format: printing.Roll58})},
		{name: "receipt-80mm-escpos", number: "SGS/26-27/A/0043", cols: 48, escpos: func(t *testing.T) []byte {
			b, err := printing.InvoiceESCPOS(hindi(t), printing.ReceiptOptions{Width: 48, Business: biz})
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
		{name: "receipt-58mm-escpos", number: "SGS/26-27/A/0045", cols: 32, escpos: func(t *testing.T) []byte {
			b, err := printing.InvoiceESCPOS(walkIn(t), printing.ReceiptOptions{Width: 32, Drawer: true, Business: biz})
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
	}
}

// TestExamples checks the committed examples under docs/examples; with
// -update it writes them: each PDF with a PNG preview of its first page
// made by pdftoppm, and each ESC/POS file with a PNG of what a thermal
// printer prints.
func TestExamples(t *testing.T) {
	for _, ex := range examples() {
		t.Run(ex.name, func(t *testing.T) {
			if ex.pdf != nil {
				path := filepath.Join(examplesDir, ex.name+".pdf")
				if *update {
					data := ex.pdf(t)
					if err := os.MkdirAll(examplesDir, 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, data, 0o644); err != nil {
						t.Fatal(err)
					}
					base := filepath.Join(examplesDir, ex.name)
					tool(t, "pdftoppm", "-r", strconv.Itoa(ex.dpi), "-png", "-f", "1", "-l", "1", "-singlefile", path, base)
				}
				if !fileExists(path) || !fileExists(strings.TrimSuffix(path, ".pdf")+".png") {
					t.Fatalf("%s or its PNG is missing; run go test ./app/printing -run TestExamples -update", path)
				}
				if out := tool(t, "qpdf", "--check", path); !bytes.Contains(out, []byte("No syntax or stream encoding errors")) {
					t.Errorf("qpdf: %s", out)
				}
				wantAll(t, path, text(t, path), ex.number)
				return
			}
			path := filepath.Join(examplesDir, ex.name+".bin")
			if *update {
				data := ex.escpos(t)
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				d, err := decodeESCPOS(data)
				if err != nil {
					t.Fatal(err)
				}
				writePNG(t, strings.TrimSuffix(path, ".bin")+".png", previewESCPOS(t, d, ex.cols))
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v; run go test ./app/printing -run TestExamples -update", err)
			}
			d, err := decodeESCPOS(data)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(d.text(), ex.number) {
				t.Errorf("%s lacks %s", path, ex.number)
			}
		})
	}
}
