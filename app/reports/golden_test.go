package reports_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/reports"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata (then check the diff by hand)")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		mustOK(t, os.MkdirAll("testdata", 0o755))
		mustOK(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden %s: %v (run go test -update to create it)", path, err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s", name, i+1, g, w)
			}
		}
	}
}

// goldenPeriods straddle the 1-8-2024 b2cl limit and the May 2025 HSN split.
var goldenPeriods = []string{"072024", "082024", "042025", "052025"}

func TestGSTR1Golden(t *testing.T) {
	f := newFixture(t)
	for _, fp := range goldenPeriods {
		t.Run(fp, func(t *testing.T) {
			rep, err := f.svc.Run(context.Background(), "gstr1", reports.Query{Period: period(t, fp)})
			mustOK(t, err)
			var buf bytes.Buffer
			mustOK(t, reports.WriteJSON(&buf, rep))
			golden(t, "gstr1_"+fp+".json", buf.Bytes())
			w, err := json.MarshalIndent(rep.Warnings, "", "  ")
			mustOK(t, err)
			golden(t, "gstr1_"+fp+"_warnings.json", append(w, '\n'))
		})
	}
}

func TestGSTR3BGolden(t *testing.T) {
	f := newFixture(t)
	for _, fp := range goldenPeriods {
		t.Run(fp, func(t *testing.T) {
			rep, err := f.svc.Run(context.Background(), "gstr3b", reports.Query{Period: period(t, fp)})
			mustOK(t, err)
			var buf bytes.Buffer
			mustOK(t, reports.WriteJSON(&buf, rep))
			golden(t, "gstr3b_"+fp+".json", buf.Bytes())
		})
	}
}

// gstr1 runs GSTR-1 and returns the portal structure.
func gstr1(t *testing.T, f *fixture, fp string) (*gst.GSTR1, *reports.Report) {
	t.Helper()
	rep, err := f.svc.Run(context.Background(), "gstr1", reports.Query{Period: period(t, fp)})
	mustOK(t, err)
	ret, ok := rep.Return.(*gst.GSTR1)
	if !ok {
		t.Fatalf("GSTR-1 report returned %T", rep.Return)
	}
	return ret, rep
}

// TestGSTR1Rules checks, by name, the rules the goldens embody.
func TestGSTR1Rules(t *testing.T) {
	f := newFixture(t)

	t.Run("B2CSBeforeAugust2024", func(t *testing.T) {
		r, _ := gstr1(t, f, "072024")
		if len(r.B2CL) != 0 {
			t.Fatalf("an inter-state ₹1,41,600 sale in July 2024 is under the ₹2,50,000 limit, want no b2cl, got %+v", r.B2CL)
		}
		var found bool
		for _, row := range r.B2CS {
			if row.SplyTy == "INTER" && row.Pos == "33" && row.Rt == 1800 {
				found = true
				if row.Txval != 1_20_000_00 || row.Iamt == nil || *row.Iamt != 21_600_00 {
					t.Errorf("b2cs INTER 33 18%%: got txval %d iamt %v", row.Txval, row.Iamt)
				}
			}
		}
		if !found {
			t.Errorf("no b2cs INTER row for Tamil Nadu at 18%%: %+v", r.B2CS)
		}
		if r.HSN == nil || len(r.HSN.Data) == 0 || len(r.HSN.HSNB2B) != 0 {
			t.Errorf("HSN before May 2025 must be one table (data): %+v", r.HSN)
		}
	})
	t.Run("B2CLFromAugust2024", func(t *testing.T) {
		r, _ := gstr1(t, f, "082024")
		if len(r.B2CL) != 1 || r.B2CL[0].Pos != "33" || len(r.B2CL[0].Inv) != 1 || r.B2CL[0].Inv[0].Val != 1_41_600_00 {
			t.Fatalf("want the ₹1,41,600 inter-state sale in b2cl for 33, got %+v", r.B2CL)
		}
		if len(r.CDNUR) != 1 || r.CDNUR[0].Typ != "B2CL" || r.CDNUR[0].Val != 1_41_600_00 {
			t.Fatalf("the return against the b2cl invoice belongs in cdnur as B2CL, got %+v", r.CDNUR)
		}
		if r.Nil == nil || r.Nil.Inv[0].SplyTy != "INTRB2B" || r.Nil.Inv[0].NilAmt != 200_00 {
			t.Errorf("5 kg of vegetables to Karnataka (registered) is nil-rated INTRB2B ₹200: %+v", r.Nil)
		}
	})
	t.Run("HSNSplitFromMay2025", func(t *testing.T) {
		r, _ := gstr1(t, f, "052025")
		if r.HSN == nil || len(r.HSN.Data) != 0 || len(r.HSN.HSNB2B) == 0 || len(r.HSN.HSNB2C) == 0 {
			t.Fatalf("May 2025 HSN must be split into hsn_b2b and hsn_b2c: %+v", r.HSN)
		}
		r4, _ := gstr1(t, f, "042025")
		if r4.HSN == nil || len(r4.HSN.Data) == 0 {
			t.Fatalf("April 2025 HSN is one table: %+v", r4.HSN)
		}
	})
	t.Run("DocIssueCountsCancelled", func(t *testing.T) {
		r, _ := gstr1(t, f, "052025")
		if r.DocIssue == nil || len(r.DocIssue.DocDet) != 2 {
			t.Fatalf("want invoices and credit notes in doc_issue, got %+v", r.DocIssue)
		}
		inv := r.DocIssue.DocDet[0]
		if inv.DocNum != 1 || len(inv.Docs) != 1 {
			t.Fatalf("invoices row: %+v", inv)
		}
		d := inv.Docs[0]
		if d.From != "GTA-2526-2" || d.To != "GTA-2526-5" || d.Totnum != 4 || d.Cancel != 1 || d.NetIssue != 3 {
			t.Errorf("May 2025 invoices: got %+v", d)
		}
		cn := r.DocIssue.DocDet[1]
		if cn.DocNum != 5 || cn.Docs[0].Totnum != 2 || cn.Docs[0].Cancel != 0 {
			t.Errorf("credit notes row: %+v", cn)
		}
	})
	t.Run("TaxPerInvoicePerRate", func(t *testing.T) {
		r, _ := gstr1(t, f, "052025")
		// Mehta's May bill: ₹1,000 at 18% and a ₹250 cover at 12% inclusive.
		var inv *gst.B2BInvoice
		for i := range r.B2B {
			for j := range r.B2B[i].Inv {
				if r.B2B[i].Inv[j].Inum == "GTA-2526-2" {
					inv = &r.B2B[i].Inv[j]
				}
			}
		}
		if inv == nil {
			t.Fatalf("GTA-2526-2 not in b2b: %+v", r.B2B)
		}
		want := []struct {
			rt         gst.Rate
			txval, tax gst.Amount
		}{{1200, 223_21, 13_39}, {1800, 1000_00, 90_00}}
		if len(inv.Itms) != len(want) {
			t.Fatalf("items: %+v", inv.Itms)
		}
		for i, w := range want {
			d := inv.Itms[i].ItmDet
			if d.Rt != w.rt || d.Txval != w.txval || *d.Camt != w.tax || *d.Samt != w.tax || d.Iamt != nil {
				t.Errorf("item %d: got rt %v txval %v camt %v samt %v", i+1, d.Rt, d.Txval, *d.Camt, *d.Samt)
			}
		}
		if inv.Val != 1_470_00 {
			t.Errorf("invoice value is the rounded grand total ₹1,470.00, got %v", inv.Val)
		}
	})
	t.Run("WarningsMissingHSN", func(t *testing.T) {
		_, rep := gstr1(t, f, "072024")
		var found bool
		for _, w := range rep.Warnings {
			if w.Code == gst.WarnMissingHSN && len(w.Docs) == 1 && w.Docs[0] == "GTA-2425-3" {
				found = true
			}
		}
		if !found {
			t.Errorf("the gift wrap line has no HSN: want a missing_hsn warning on GTA-2425-3, got %+v", rep.Warnings)
		}
	})
}

// TestSectionsReconcileWithSalesRegister: the GSTR-1 sections add up to
// the period's net sales in the sales register, head by head, and so does
// the HSN summary.
func TestSectionsReconcileWithSalesRegister(t *testing.T) {
	f := newFixture(t)
	for _, p := range append(goldenPeriods, "Q2-2024-25", "2024-25", "2025-26") {
		t.Run(p, func(t *testing.T) {
			r, _ := gstr1(t, f, p)
			var sec gst.SectionTotal
			for _, s := range r.Totals() {
				sec.Taxable += s.Taxable
				sec.IGST += s.IGST
				sec.CGST += s.CGST
				sec.SGST += s.SGST
				sec.Cess += s.Cess
			}
			hsn := r.HSNTotal()
			reg, err := f.svc.Run(context.Background(), "sales", reports.Query{Period: period(t, p)})
			mustOK(t, err)
			tot := reg.Tables[0].Totals
			want := gst.SectionTotal{Taxable: tot[6].(int64), CGST: tot[7].(int64), SGST: tot[8].(int64), IGST: tot[9].(int64), Cess: tot[10].(int64)}
			got := gst.SectionTotal{Taxable: sec.Taxable, CGST: sec.CGST, SGST: sec.SGST, IGST: sec.IGST, Cess: sec.Cess}
			if got != want {
				t.Errorf("sections %+v, sales register %+v", got, want)
			}
			h := gst.SectionTotal{Taxable: hsn.Taxable, CGST: hsn.CGST, SGST: hsn.SGST, IGST: hsn.IGST, Cess: hsn.Cess}
			if h != want {
				t.Errorf("HSN summary %+v, sales register %+v", h, want)
			}
			if want.Taxable == 0 {
				t.Errorf("period %s has no sales: the fixture should cover it", p)
			}
		})
	}
}
