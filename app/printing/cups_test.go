package printing_test

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"image/color"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/printing"
)

// The CUPS test prints a bill through the real print path — printing.PrintPDF
// runs `lp`, CUPS filters the job, and the cups-pdf virtual printer writes
// a PDF — and checks the PDF that comes out. It needs CUPS and cups-pdf:
//
//	apt-get install cups cups-bsd cups-client printer-driver-cups-pdf
//
// It starts cupsd when it is not running and adds the printer NaukarPDF
// (lpadmin -p NaukarPDF -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd -E).

const cupsPrinter = "NaukarPDF"

func needTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/bin"} {
		if p := filepath.Join(dir, name); fileExists(p) {
			return p
		}
	}
	t.Fatalf("%s is missing: install CUPS with the PDF printer: apt-get install cups cups-bsd cups-client printer-driver-cups-pdf", name)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func cupsRunning() bool {
	out, _ := exec.Command("lpstat", "-r").CombinedOutput()
	return strings.Contains(string(out), "scheduler is running")
}

// ensureCUPS starts cupsd if needed and adds the cups-pdf printer.
func ensureCUPS(t *testing.T) {
	t.Helper()
	cupsd := needTool(t, "cupsd")
	needTool(t, "lp")
	needTool(t, "lpstat")
	lpadmin := needTool(t, "lpadmin")
	if !fileExists("/usr/lib/cups/backend/cups-pdf") {
		t.Fatal("the cups-pdf backend is missing: apt-get install printer-driver-cups-pdf")
	}
	if !cupsRunning() {
		// cupsd puts itself in the background.
		if out, err := exec.Command(cupsd).CombinedOutput(); err != nil {
			t.Fatalf("start cupsd: %v\n%s", err, out)
		}
		for i := 0; i < 40 && !cupsRunning(); i++ {
			time.Sleep(250 * time.Millisecond)
		}
		if !cupsRunning() {
			t.Fatal("cupsd did not start")
		}
	}
	if err := exec.Command("lpstat", "-p", cupsPrinter).Run(); err != nil {
		out, err := exec.Command(lpadmin, "-p", cupsPrinter, "-v", "cups-pdf:/", "-m", "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd", "-E").CombinedOutput()
		if err != nil {
			t.Fatalf("add the cups-pdf printer: %v\n%s", err, out)
		}
	}
}

// cupsPDFOut is where cups-pdf writes: the Out setting of
// /etc/cups/cups-pdf.conf (default ${HOME}/PDF) for the user printing.
func cupsPDFOut(t *testing.T) string {
	t.Helper()
	out := "${HOME}/PDF"
	if f, err := os.Open("/etc/cups/cups-pdf.conf"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "Out "); ok {
				out = strings.TrimSpace(v)
			}
		}
		f.Close()
	}
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	return strings.NewReplacer("${HOME}", u.HomeDir, "${USER}", u.Username).Replace(out)
}

func TestPrintThroughCUPS(t *testing.T) {
	ensureCUPS(t)
	outDir := cupsPDFOut(t)
	biz := shop()
	inv := sale(t, biz, registeredBuyer, catalogue, "SGS/26-27/A/0042")
	pdf, err := printing.InvoicePDFBytes(inv, printing.Options{Business: biz})
	if err != nil {
		t.Fatal(err)
	}
	title := fmt.Sprintf("naukar-cups-test-%d", time.Now().UnixNano())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id, err := printing.PrintPDF(ctx, cupsPrinter, printing.Job{Title: title, Data: pdf, Format: printing.A4})
	if err != nil {
		t.Fatalf("PrintPDF: %v", err)
	}
	if !strings.HasPrefix(id, cupsPrinter+"-") {
		t.Errorf("job id %q", id)
	}
	var got string
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) && got == "" {
		matches, _ := filepath.Glob(filepath.Join(outDir, title+"*.pdf"))
		for _, m := range matches {
			// cups-pdf writes the file, then closes it; wait until it is whole.
			if b, err := os.ReadFile(m); err == nil && strings.Contains(string(b[max(0, len(b)-64):]), "%%EOF") {
				got = m
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	if got == "" {
		st, _ := exec.Command("lpstat", "-W", "all", "-o").CombinedOutput()
		t.Fatalf("no PDF from cups-pdf in %s after 90 s (job %s); jobs:\n%s", outDir, id, st)
	}
	defer os.Remove(got)

	// The PDF that came out of the print system is sound, one A4 page.
	if out := tool(t, "qpdf", "--check", got); !strings.Contains(string(out), "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check on the printed PDF:\n%s", out)
	}
	info := string(tool(t, "pdfinfo", got))
	if !strings.Contains(info, "Pages:           1") || !strings.Contains(info, "595 x 842") {
		t.Errorf("printed PDF is not one A4 page:\n%s", info)
	}
	// pdftotext reads it. CUPS hands the job to cups-pdf as PostScript made
	// by Ghostscript, which turns the embedded Unicode (CID) fonts into
	// Type 3 fonts without their character map, so the words come back as
	// other symbols; where a future Ghostscript keeps them, check them.
	printed := string(tool(t, "pdftotext", "-layout", got, "-"))
	if len(strings.Fields(printed)) < 100 {
		t.Errorf("pdftotext finds %d words on the printed bill", len(strings.Fields(printed)))
	}
	if strings.Contains(printed, "TAX INVOICE") {
		wantAll(t, "printed PDF", printed, inv.Number, "Grand Total ₹"+inr(inv.GrandTotal))
	}
	// What is printed is the bill: the printed page, rasterised, matches
	// our own PDF rasterised the same way, compared in 8×8-pixel blocks
	// (Type 3 glyphs are drawn a little thinner, so single pixels differ).
	// The same comparison must tell two different bills apart.
	dir := t.TempDir()
	ours := filepath.Join(dir, "ours.pdf")
	if err := os.WriteFile(ours, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	other, err := printing.InvoicePDFBytes(sale(t, biz, localBuyer, catalogue[:6], "SGS/26-27/A/0099"), printing.Options{Business: biz})
	if err != nil {
		t.Fatal(err)
	}
	otherPath := filepath.Join(dir, "other.pdf")
	if err := os.WriteFile(otherPath, other, 0o644); err != nil {
		t.Fatal(err)
	}
	printedImg := rasterise(t, got, 50)
	same := blockDiff(t, rasterise(t, ours, 50), printedImg)
	differ := blockDiff(t, rasterise(t, otherPath, 50), printedImg)
	t.Logf("blocks differing from the bill: %.2f%%; from another bill: %.2f%%", 100*same, 100*differ)
	if same > 0.02 {
		t.Errorf("the printed page differs from the bill in %.1f%% of blocks", 100*same)
	}
	if differ < 4*same || differ < 0.03 {
		t.Errorf("the comparison cannot tell bills apart (%.3f vs %.3f)", same, differ)
	}
}

// blockDiff compares two grey pages in 8×8 blocks and returns the share of
// blocks whose mean darkness differs by more than 18%.
func blockDiff(t *testing.T, a, b image.Image) float64 {
	t.Helper()
	if a.Bounds() != b.Bounds() {
		t.Fatalf("page sizes differ: %v and %v", a.Bounds(), b.Bounds())
	}
	const n = 8
	r := a.Bounds()
	var blocks, bad int
	for by := r.Min.Y; by+n <= r.Max.Y; by += n {
		for bx := r.Min.X; bx+n <= r.Max.X; bx += n {
			var sa, sb int
			for y := by; y < by+n; y++ {
				for x := bx; x < bx+n; x++ {
					sa += int(color.GrayModel.Convert(a.At(x, y)).(color.Gray).Y)
					sb += int(color.GrayModel.Convert(b.At(x, y)).(color.Gray).Y)
				}
			}
			blocks++
			if d := (sa - sb) / (n * n); d > 46 || d < -46 {
				bad++
			}
		}
	}
	return float64(bad) / float64(blocks)
}
