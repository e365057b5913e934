package gst_test

import (
	"testing"

	"github.com/ainaukar/naukar/app/gst"
)

func TestParseZeroRated(t *testing.T) {
	for in, want := range map[string]gst.ZeroRated{"": "", "export_lut": gst.ExportUnderLUT, "Export-IGST": gst.ExportWithIGST,
		"sez lut": gst.SEZUnderLUT, "SEWP": gst.SEZWithIGST, "wopay": ""} {
		got, err := gst.ParseZeroRated(in)
		if in == "wopay" {
			AssertErr(t, err, "zero_rated", `zero-rated supply "wopay" is not known; use export_igst or export_lut (exports), sez_igst or sez_lut (supplies to an SEZ)`)
			continue
		}
		if err != nil || got != want {
			t.Errorf("ParseZeroRated(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, c := range []struct {
		z                      gst.ZeroRated
		exp, ur, inv           string
		export, sez, lut, decl bool
	}{
		{gst.ExportWithIGST, "WPAY", "EXPWP", "R", true, false, false, true},
		{gst.ExportUnderLUT, "WOPAY", "EXPWOP", "R", true, false, true, true},
		{gst.SEZWithIGST, "WPAY", "EXPWP", "SEWP", false, true, false, true},
		{gst.SEZUnderLUT, "WOPAY", "EXPWOP", "SEWOP", false, true, true, true},
		{"", "WPAY", "EXPWP", "R", false, false, false, false},
	} {
		if c.z.ExpType() != c.exp || c.z.URType() != c.ur || c.z.InvType() != c.inv || c.z.Export() != c.export ||
			c.z.SEZ() != c.sez || c.z.UnderLUT() != c.lut || (c.z.Declaration() != "") != c.decl {
			t.Errorf("%q: codes %s %s %s, export %v sez %v lut %v", c.z, c.z.ExpType(), c.z.URType(), c.z.InvType(), c.z.Export(), c.z.SEZ(), c.z.UnderLUT())
		}
	}
	if d := gst.ExportUnderLUT.Declaration(); d != "Supply meant for export under bond or letter of undertaking (LUT) without payment of integrated tax (IGST)." {
		t.Errorf("LUT declaration: %q", d)
	}
}

// TestUntaxedAndRecipientPays: the two ways an invoice leaves tax out of
// what the buyer pays.
func TestUntaxedAndRecipientPays(t *testing.T) {
	// ₹1,000 at 18% and an inclusive ₹236 at 18%: taxable 1,000 + 200.
	res := gst.Compute([]gst.LineInput{{Amount: 1000_00, Rate: 1800}, {Amount: 236_00, Inclusive: true, Rate: 1800}}, gst.Inter)
	if res.IGST != 216_00 || res.GrandTotal != 1416_00 {
		t.Fatalf("compute: %+v", res)
	}
	// Under LUT: no IGST; the inclusive price is taken back at 18%, so the
	// buyer pays 1,000 + 200 = ₹1,200.
	lut := res.Untaxed()
	if lut.IGST != 0 || lut.Taxable != 1200_00 || lut.GrandTotal != 1200_00 || lut.Lines[1].Total != 200_00 || lut.Lines[1].IGST != 0 {
		t.Errorf("untaxed: %+v", lut)
	}
	// On reverse charge: IGST 216 stays on the invoice, the total is 1,200.
	rc := res.RecipientPays()
	if rc.IGST != 216_00 || rc.Lines[0].IGST != 180_00 || rc.Lines[0].Total != 1000_00 || rc.GrandTotal != 1200_00 {
		t.Errorf("recipient pays: %+v", rc)
	}
	if res.GrandTotal != 1416_00 || res.Lines[0].Total != 1180_00 {
		t.Errorf("the original result changed: %+v", res)
	}
	// Round off still applies: ₹100.40 taxable rounds to ₹100.
	odd := gst.Compute([]gst.LineInput{{Amount: 100_40, Rate: 500}}, gst.Intra).RecipientPays()
	if odd.RoundOff != -40 || odd.GrandTotal != 100_00 || odd.CGST != 2_51 {
		t.Errorf("round off on reverse charge: %+v", odd)
	}
}

func TestShippingBillChecks(t *testing.T) {
	AssertNoErr(t, gst.ValidatePortCode("INNSA1"))
	AssertErr(t, gst.ValidatePortCode("INNSA"), "port_code", `port code "INNSA" must be 6 letters or digits, like INNSA1`)
	AssertErr(t, gst.ValidatePortCode("IN-SA1"), "port_code", `port code "IN-SA1" may use only capital letters and digits, like INNSA1`)
	AssertNoErr(t, gst.ValidateShippingBillNumber("1234567"))
	AssertErr(t, gst.ValidateShippingBillNumber("12345678"), "shipping_bill", `shipping bill number "12345678" must be up to 7 digits`)
	AssertErr(t, gst.ValidateShippingBillNumber("12A"), "shipping_bill", "")
}

// TestGSTR1ZeroRatedAndReverseCharge builds returns from documents made up
// here: where each kind goes and what it carries.
func TestGSTR1ZeroRatedAndReverseCharge(t *testing.T) {
	export := doc("A-1", 1, "2026-10-03", func(d *gst.Doc) {
		d.ZeroRated, d.SupplyType, d.PlaceOfSupply = gst.ExportUnderLUT, gst.Inter, "96"
		d.Rates = []gst.RateAmounts{{Rate: 1800, Taxable: 1000_00}}
		d.Nil, d.Value = 50_00, 1050_00
	})
	rc := doc("A-2", 2, "2026-10-04", func(d *gst.Doc) {
		d.GSTIN, d.ReverseCharge, d.SupplyType, d.PlaceOfSupply = "29AABCR1718E1ZL", true, gst.Inter, "29"
		d.Rates = []gst.RateAmounts{{Rate: 1800, Taxable: 1000_00, IGST: 180_00}}
		d.Value = 1000_00
	})
	r, ws := gst.BuildGSTR1(gst.GSTR1Input{FP: "102026", Invoices: []gst.Doc{export, rc}})
	if len(r.EXP) != 1 || r.EXP[0].ExpTyp != "WOPAY" || len(r.EXP[0].Inv[0].Itms) != 2 || r.Nil != nil || len(r.B2CS) != 0 {
		t.Fatalf("export: exp %+v nil %+v b2cs %+v", r.EXP, r.Nil, r.B2CS)
	}
	if len(r.B2B) != 1 || r.B2B[0].Inv[0].Rchrg != "Y" || *r.B2B[0].Inv[0].Itms[0].ItmDet.Iamt != 180_00 {
		t.Fatalf("reverse charge b2b: %+v", r.B2B)
	}
	if codes(ws) != gst.WarnNoShipping || ws[0].Docs[0] != "A-1" {
		t.Errorf("an export without shipping bill is named before filing: %+v", ws)
	}
	b := gst.BuildGSTR3B(gst.GSTR3BInput{RetPeriod: "102026", Invoices: []gst.Doc{export, rc}})
	// 3.1(a) takes the reverse-charge supply's ₹1,000 without its IGST; 3.1(b)
	// the export's ₹1,000 + ₹50 nil, none of it in 3.1(c) or 3.2.
	if b.SupDetails.OsupDet != (gst.TaxSupply{Txval: 1000_00}) || b.SupDetails.OsupZero != (gst.ZeroSupply{Txval: 1050_00}) ||
		b.SupDetails.OsupNilExmp.Txval != 0 || len(b.InterSup.UnregDetails) != 0 {
		t.Errorf("3B: %+v %+v", b.SupDetails, b.InterSup)
	}
}

// TestHSNServices: a service is reported with unit NA and no quantity,
// whatever unit it was billed in, so its lines make one row.
func TestHSNServices(t *testing.T) {
	r, _ := gst.BuildGSTR1(gst.GSTR1Input{FP: "102026", HSN: []gst.HSNLine{
		{HSN: "998729", UQC: "NOS", Rate: 1800, Qty: 3000, Taxable: 1500_00, CGST: 135_00, SGST: 135_00, Lines: 1},
		{HSN: "998729", UQC: "OTH", Rate: 1800, Qty: 1000, Taxable: 250_00, CGST: 22_50, SGST: 22_50, Lines: 1},
		{HSN: "0702", UQC: "KGS", Rate: 0, Qty: 1255, Taxable: 50_20, Lines: 1},
	}})
	rows := r.HSN.HSNB2C
	if len(rows) != 2 || rows[1].HsnSc != "998729" || rows[1].Uqc != "NA" || rows[1].Qty != 0 || rows[1].Txval != 1750_00 || rows[1].Camt != 157_50 {
		t.Fatalf("service row: %+v", rows)
	}
	if rows[0].Qty != 1260 {
		t.Errorf("1.255 kg reports as 1.26: %v", rows[0].Qty)
	}
}
