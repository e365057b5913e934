package gst_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/gst"
)

func TestB2CLLimit(t *testing.T) {
	for _, c := range []struct {
		date string
		want int64
	}{{"2024-07-31", 2_50_000_00}, {"2024-08-01", 1_00_000_00}, {"2026-01-15", 1_00_000_00}, {"2017-07-01", 2_50_000_00}} {
		if got := gst.B2CLLimit(c.date); got != c.want {
			t.Errorf("B2CLLimit(%s) = %d, want %d", c.date, got, c.want)
		}
	}
}

func TestHSNSplit(t *testing.T) {
	for fp, want := range map[string]bool{"042025": false, "052025": true, "122024": false, "012026": true, "032025": false, "bad": false} {
		if got := gst.HSNSplit(fp); got != want {
			t.Errorf("HSNSplit(%s) = %v, want %v", fp, got, want)
		}
	}
}

func TestAmountJSON(t *testing.T) {
	b, err := json.Marshal(struct {
		A gst.Amount   `json:"a"`
		R gst.Rate     `json:"r"`
		Q gst.Quantity `json:"q"`
	}{123450, 25, 1500})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"a":1234.50,"r":0.25,"q":1.5}` {
		t.Fatalf("got %s", b)
	}
	var back struct {
		A gst.Amount `json:"a"`
		R gst.Rate   `json:"r"`
	}
	if err := json.Unmarshal(b, &back); err != nil || back.A != 123450 || back.R != 25 {
		t.Fatalf("round trip: %+v %v", back, err)
	}
}

func doc(num string, seq int64, date string, opts ...func(*gst.Doc)) gst.Doc {
	d := gst.Doc{Number: num, Series: "A", FY: 2025, Seq: seq, Date: date, PlaceOfSupply: "27", SupplyType: gst.Intra,
		Value: 118_00, ShortestHSN: 4, Rates: []gst.RateAmounts{{Rate: 1800, Taxable: 100_00, CGST: 9_00, SGST: 9_00}}}
	for _, o := range opts {
		o(&d)
	}
	return d
}

func codes(ws []gst.Warning) string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Code)
	}
	return strings.Join(out, ",")
}

func TestGSTR1Warnings(t *testing.T) {
	t.Run("NumberGap", func(t *testing.T) {
		_, ws := gst.BuildGSTR1(gst.GSTR1Input{FP: "052025", Invoices: []gst.Doc{
			doc("A-3", 3, "2025-05-01"), doc("A-4", 4, "2025-05-02"), doc("A-7", 7, "2025-05-03"), doc("A-9", 9, "2025-05-04")},
			LastSeqBefore: map[gst.SeriesFY]int64{{Series: "A", FY: 2025}: 1}})
		if codes(ws) != gst.WarnNumberGap || ws[0].Count != 4 || strings.Join(ws[0].Docs, " ") != "2 5–6 8" {
			t.Fatalf("want numbers 2, 5–6 and 8 missing, got %+v", ws)
		}
	})
	t.Run("NoGapAcrossPeriods", func(t *testing.T) {
		_, ws := gst.BuildGSTR1(gst.GSTR1Input{FP: "052025", Invoices: []gst.Doc{doc("A-5", 5, "2025-05-01"), doc("A-6", 6, "2025-05-02")},
			LastSeqBefore: map[gst.SeriesFY]int64{{Series: "A", FY: 2025}: 4}})
		if len(ws) != 0 {
			t.Fatalf("want no warnings, got %+v", ws)
		}
	})
	t.Run("InvalidGSTIN", func(t *testing.T) {
		_, ws := gst.BuildGSTR1(gst.GSTR1Input{FP: "052025", Invoices: []gst.Doc{
			doc("A-1", 1, "2025-05-01", func(d *gst.Doc) { d.GSTIN = "27AAPFU0939F1ZW" })}})
		if codes(ws) != gst.WarnInvalidGSTIN || ws[0].Docs[0] != "A-1" {
			t.Fatalf("got %+v", ws)
		}
	})
	t.Run("MissingAndShortHSN", func(t *testing.T) {
		_, ws := gst.BuildGSTR1(gst.GSTR1Input{FP: "052025", HSNDigits: 6, Invoices: []gst.Doc{
			doc("A-1", 1, "2025-05-01", func(d *gst.Doc) { d.ShortestHSN = 0 }),
			doc("A-2", 2, "2025-05-01", func(d *gst.Doc) { d.ShortestHSN = 4 }),
			doc("A-3", 3, "2025-05-01", func(d *gst.Doc) { d.ShortestHSN = 8 })},
			HSN: []gst.HSNLine{{HSN: "1006", UQC: "NOS", Rate: 500, Qty: 1000, Taxable: 1}}})
		if codes(ws) != gst.WarnMissingHSN+","+gst.WarnShortHSN {
			t.Fatalf("got %+v", ws)
		}
		if ws[0].Docs[0] != "A-1" || ws[1].Docs[0] != "A-2" || !strings.Contains(ws[1].Message, "1006") {
			t.Fatalf("got %+v", ws)
		}
	})
	t.Run("InterStateWithoutPlaceOfSupply", func(t *testing.T) {
		_, ws := gst.BuildGSTR1(gst.GSTR1Input{FP: "052025", Invoices: []gst.Doc{
			doc("A-1", 1, "2025-05-01", func(d *gst.Doc) { d.SupplyType, d.PlaceOfSupply = gst.Inter, "" })}})
		if codes(ws) != gst.WarnMissingPOS {
			t.Fatalf("got %+v", ws)
		}
	})
	t.Run("CancelledNotChecked", func(t *testing.T) {
		_, ws := gst.BuildGSTR1(gst.GSTR1Input{FP: "052025", Invoices: []gst.Doc{
			doc("A-1", 1, "2025-05-01", func(d *gst.Doc) { d.GSTIN, d.Cancelled = "bad", true })}})
		if len(ws) != 0 {
			t.Fatalf("a cancelled invoice is not filed: want no warnings, got %+v", ws)
		}
	})
}

func TestGSTR1Sections(t *testing.T) {
	inter := func(d *gst.Doc) {
		d.SupplyType, d.PlaceOfSupply = gst.Inter, "29"
		d.Rates = []gst.RateAmounts{{Rate: 1800, Taxable: 1_00_000_00, IGST: 18_000_00}}
		d.Value = 1_18_000_00
	}
	r, _ := gst.BuildGSTR1(gst.GSTR1Input{GSTIN: "27AAPFU0939F1ZV", FP: "072024", Invoices: []gst.Doc{
		doc("A-1", 1, "2024-07-31", inter), // ₹1,18,000 under the old ₹2,50,000 limit: b2cs
		doc("A-2", 2, "2024-08-01", inter), // over the new ₹1,00,000 limit: b2cl
	}})
	if len(r.B2CL) != 1 || r.B2CL[0].Inv[0].Inum != "A-2" {
		t.Fatalf("b2cl: %+v", r.B2CL)
	}
	if len(r.B2CS) != 1 || r.B2CS[0].SplyTy != "INTER" || r.B2CS[0].Txval != 1_00_000_00 || r.B2CS[0].Camt != nil {
		t.Fatalf("b2cs: %+v", r.B2CS)
	}
	b, _ := json.Marshal(r.B2CS[0])
	if string(b) != `{"sply_ty":"INTER","pos":"29","typ":"OE","rt":18,"txval":100000.00,"iamt":18000.00,"csamt":0.00}` {
		t.Fatalf("b2cs JSON: %s", b)
	}
}

func TestGSTR3BNetsCreditNotes(t *testing.T) {
	inv := doc("A-1", 1, "2025-05-01", func(d *gst.Doc) {
		d.SupplyType, d.PlaceOfSupply = gst.Inter, "29"
		d.Rates = []gst.RateAmounts{{Rate: 500, Taxable: 1000_00, IGST: 50_00}}
		d.Nil, d.Exempt, d.NonGST = 10_00, 20_00, 30_00
	})
	note := inv
	note.Rates = []gst.RateAmounts{{Rate: 500, Taxable: 400_00, IGST: 20_00}}
	note.Nil, note.Exempt, note.NonGST = 0, 0, 0
	r := gst.BuildGSTR3B(gst.GSTR3BInput{RetPeriod: "052025", Invoices: []gst.Doc{inv}, CreditNotes: []gst.Doc{note},
		Purchases: []gst.InwardDoc{{GSTIN: "24AANFA2641L1ZF", IGST: 7_00}, {IGST: 99_00}}})
	sd := r.SupDetails
	if sd.OsupDet.Txval != 600_00 || sd.OsupDet.Iamt != 30_00 || sd.OsupNilExmp.Txval != 30_00 || sd.OsupNongst.Txval != 30_00 {
		t.Fatalf("3.1: %+v", sd)
	}
	if len(r.InterSup.UnregDetails) != 1 || r.InterSup.UnregDetails[0].Txval != 600_00 {
		t.Fatalf("3.2: %+v", r.InterSup)
	}
	if r.ITCElg.ITCNet.Iamt != 7_00 {
		t.Fatalf("only a registered supplier's tax is input tax: %+v", r.ITCElg.ITCNet)
	}
}
