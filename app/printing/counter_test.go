package printing_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/printing"
)

// inclusiveItems are tax-inclusive prices whose per-rate tax rounds a
// paisa away from qty × price (issue 12, item 3).
var inclusiveItems = []item{
	{name: "Pears Soap 125g", hsn: "3401", unit: "PCS", price: 10000, rate: 1800, qty: 1000, incl: true}, // 100.00
	{name: "Tata Salt 1kg", hsn: "2501", unit: "PCS", price: 2800, rate: 500, qty: 2000, incl: true},     // 56.00
	{name: "Gutkha Pouch", hsn: "2403", unit: "PCS", price: 1000, rate: 4000, qty: 3000, incl: true},     // 30.00
}

var inclusiveAmounts = []string{"100.00", "56.00", "30.00"}

// lineOf returns the first line of text that holds s.
func lineOf(text, s string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// TestInclusiveLinesPrintQtyTimesPrice: an A4 invoice and a receipt show
// each tax-inclusive line at qty × price, as the counter screen does.
func TestInclusiveLinesPrintQtyTimesPrice(t *testing.T) {
	biz := shop()
	inv := sale(t, biz, nil, inclusiveItems, "SGS/26-27/A/0060")
	for i, l := range inv.Lines {
		if got := gst.FormatAmount(l.Total); got != inclusiveAmounts[i] {
			t.Fatalf("line %d (%s) priced at %s, want %s", i+1, l.Name, got, inclusiveAmounts[i])
		}
	}
	t.Run("A4", func(t *testing.T) {
		txt := text(t, invoicePDF(t, inv, printing.Options{Business: biz}))
		for i, it := range inclusiveItems {
			if l := lineOf(txt, it.name); !strings.HasSuffix(l, " "+inclusiveAmounts[i]) {
				t.Errorf("the A4 line of %s does not end with %s:\n%s", it.name, inclusiveAmounts[i], l)
			}
		}
		wantAll(t, "A4", txt, "Grand Total ₹186.00")
	})
	t.Run("80mm", func(t *testing.T) {
		txt := text(t, invoicePDF(t, inv, printing.Options{Business: biz, Format: printing.Roll80}))
		for i, it := range inclusiveItems {
			rows := strings.Split(txt, "\n")
			for j, r := range rows {
				if strings.Contains(r, it.name) {
					// The figures are on the name's line or the next one.
					both := r
					if j+1 < len(rows) {
						both += "\n" + rows[j+1]
					}
					if !strings.Contains(both, " "+inclusiveAmounts[i]+"\n") && !strings.HasSuffix(strings.TrimSpace(both), " "+inclusiveAmounts[i]) {
						t.Errorf("the receipt line of %s does not show %s:\n%s", it.name, inclusiveAmounts[i], both)
					}
					break
				}
			}
		}
	})
	t.Run("ESCPOS", func(t *testing.T) {
		d, _ := mustESCPOS(t, inv, printing.ReceiptOptions{Width: 48, Business: biz})
		for _, a := range inclusiveAmounts {
			found := false
			for _, l := range d.lines() {
				found = found || strings.HasSuffix(l.text, " "+a)
			}
			if !found {
				t.Errorf("the ESC/POS receipt has no line ending with %s:\n%s", a, d.text())
			}
		}
	})
}

// TestUPIQRIsForTheBalanceDue: the UPI QR asks for what is still due, and
// a bill paid in full has none (issue 12, item 4).
func TestUPIQRIsForTheBalanceDue(t *testing.T) {
	biz := shop()
	paid := sale(t, biz, nil, catalogue[:2], "SGS/26-27/A/0061") // walk-in, paid in full in cash
	if paid.Due() != 0 {
		t.Fatalf("the walk-in bill has %d due", paid.Due())
	}
	owing := sale(t, biz, localBuyer, catalogue[:4], "SGS/26-27/A/0062") // ₹500 by UPI, the rest on credit
	if owing.Due() <= 0 || owing.Due() == owing.GrandTotal {
		t.Fatalf("the credit bill has %d due of %d", owing.Due(), owing.GrandTotal)
	}
	for _, f := range []printing.Format{printing.A4, printing.Roll80} {
		t.Run(string(f)+"/PaidInFull", func(t *testing.T) {
			txt := text(t, invoicePDF(t, paid, printing.Options{Business: biz, Format: f}))
			if strings.Contains(txt, "Scan") || strings.Contains(txt, "scan") {
				t.Errorf("a bill paid in full asks to scan and pay:\n%s", txt)
			}
		})
		t.Run(string(f)+"/BalanceDue", func(t *testing.T) {
			txt := text(t, invoicePDF(t, owing, printing.Options{Business: biz, Format: f}))
			want := "Scan to pay ₹" + inr(owing.Due())
			if f == printing.Roll80 {
				want = "Scan & pay ₹" + inr(owing.Due())
			}
			wantAll(t, string(f), txt, want)
			if strings.Contains(txt, "pay ₹"+inr(owing.GrandTotal)) {
				t.Errorf("the QR asks for the whole bill, not the balance due")
			}
		})
	}
	t.Run("ESCPOS", func(t *testing.T) {
		d, _ := mustESCPOS(t, paid, printing.ReceiptOptions{Width: 32, Business: biz})
		for _, it := range d.items {
			if it.qr != "" {
				t.Errorf("a receipt paid in full has a QR: %s", it.qr)
			}
		}
		d, _ = mustESCPOS(t, owing, printing.ReceiptOptions{Width: 48, Business: biz})
		n := 0
		for _, it := range d.items {
			if it.qr == "" {
				continue
			}
			n++
			u, err := url.Parse(it.qr)
			if err != nil || u.Query().Get("am") != gst.FormatAmount(owing.Due()) {
				t.Errorf("QR %s, want am=%s", it.qr, gst.FormatAmount(owing.Due()))
			}
		}
		if n != 1 {
			t.Errorf("%d QR codes on a receipt with a balance due, want 1", n)
		}
	})
}

// TestPayLinkPrinted: an invoice whose payment link came from the server
// prints the link and its QR asks for the link (any UPI app, card or net
// banking) instead of the UPI id; paid in full or cancelled, neither.
func TestPayLinkPrinted(t *testing.T) {
	biz := shop()
	owing := sale(t, biz, localBuyer, catalogue[:4], "SGS/26-27/A/0063")
	link := "https://rzp.io/i/Xy12ab"
	for _, f := range []printing.Format{printing.A4, printing.Roll80} {
		t.Run(string(f), func(t *testing.T) {
			txt := text(t, invoicePDF(t, owing, printing.Options{Business: biz, Format: f, PayLink: link}))
			want := []string{"pay ₹" + inr(owing.Due()) + " online", link}
			wantAll(t, string(f), txt, want...)
			txt = text(t, invoicePDF(t, owing, printing.Options{Business: biz, Format: f, PayLink: link, Cancelled: true}))
			if strings.Contains(txt, link) {
				t.Errorf("a cancelled invoice prints its payment link")
			}
		})
	}
	t.Run("ESCPOS", func(t *testing.T) {
		d, raw := mustESCPOS(t, owing, printing.ReceiptOptions{Width: 48, Business: biz, PayLink: link})
		var qrs []string
		for _, it := range d.items {
			if it.qr != "" {
				qrs = append(qrs, it.qr)
			}
		}
		if len(qrs) != 1 || qrs[0] != link || !strings.Contains(string(raw), link) {
			t.Errorf("receipt QR codes %v (want only the link), link printed: %v", qrs, strings.Contains(string(raw), link))
		}
	})
}
