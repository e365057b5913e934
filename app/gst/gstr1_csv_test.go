package gst_test

import (
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/gst"
)

// TestOfflineCSVTemplates pins the header rows of the GSTN Returns Offline
// Tool's GSTR-1 CSV templates, word for word and in order. Where they come
// from: the tool's Excel/CSV templates (Returns Offline Tool V3.1.8, from
// https://www.gst.gov.in/download/returns), as reproduced by the
// open-source India Compliance app, which files real returns through them:
// resilient-tech/india-compliance, india_compliance/gst_india/utils/gstr_1/
// __init__.py (class GovExcelField: "GSTIN/UIN of Recipient", "Receiver
// Name", "Invoice date", "Applicable % of Tax Rate", "Integrated Tax
// Amount", "State/UT Tax Amount", "Port Code", "Shipping Bill Number"…)
// and doctype/gstr_1_beta/gstr_1_export.py (class GovExcel, "Excel
// generated as per the format of Returns Offline Tool Version V3.1.8": the
// column order of each sheet, get_b2b_headers … get_doc_issue_headers, its
// DATE_FORMAT "dd-mmm-yy" shown as dd-Mon), and its UOM_MAP for the
// "NOS-NUMBERS" unit names (constants/__init__.py). Other public exporters
// of the same templates agree on the b2cs ("Type,Place Of Supply,Applicable
// % of Tax Rate,Rate,…"), cdnr ("…,Note Supply Type,Note Value,Applicable %
// of Tax Rate,Rate,…") and hsn ("…,Total Value,Rate,Taxable Value,…") rows.
// If GSTN changes a template, this test and gstr1_csv.go are the places to
// update.
func TestOfflineCSVTemplates(t *testing.T) {
	want := map[string]string{
		"b2b":     "GSTIN/UIN of Recipient,Receiver Name,Invoice Number,Invoice date,Invoice Value,Place Of Supply,Reverse Charge,Applicable % of Tax Rate,Invoice Type,E-Commerce GSTIN,Rate,Taxable Value,Cess Amount",
		"b2cl":    "Invoice Number,Invoice date,Invoice Value,Place Of Supply,Applicable % of Tax Rate,Rate,Taxable Value,Cess Amount,E-Commerce GSTIN",
		"b2cs":    "Type,Place Of Supply,Applicable % of Tax Rate,Rate,Taxable Value,Cess Amount,E-Commerce GSTIN",
		"cdnr":    "GSTIN/UIN of Recipient,Receiver Name,Note Number,Note Date,Note Type,Place Of Supply,Reverse Charge,Note Supply Type,Note Value,Applicable % of Tax Rate,Rate,Taxable Value,Cess Amount",
		"cdnur":   "UR Type,Note Number,Note Date,Note Type,Place Of Supply,Note Value,Applicable % of Tax Rate,Rate,Taxable Value,Cess Amount",
		"exp":     "Export Type,Invoice Number,Invoice date,Invoice Value,Port Code,Shipping Bill Number,Shipping Bill Date,Rate,Taxable Value,Cess Amount",
		"exemp":   "Description,Nil Rated Supplies,Exempted(other than nil rated/non GST supply),Non-GST Supplies",
		"hsn_b2b": "HSN,Description,UQC,Total Quantity,Total Value,Rate,Taxable Value,Integrated Tax Amount,Central Tax Amount,State/UT Tax Amount,Cess Amount",
		"hsn_b2c": "HSN,Description,UQC,Total Quantity,Total Value,Rate,Taxable Value,Integrated Tax Amount,Central Tax Amount,State/UT Tax Amount,Cess Amount",
		"docs":    "Nature of Document,Sr. No. From,Sr. No. To,Total Number,Cancelled",
	}
	r := gst.GSTR1{GSTIN: "27AAPFU0939F1ZV", FP: "102026"}
	secs := r.OfflineCSV(nil)
	var names []string
	for _, s := range secs {
		names = append(names, s.Name)
		if got := strings.Join(s.Header, ","); got != want[s.Name] {
			t.Errorf("%s header:\n got %s\nwant %s", s.Name, got, want[s.Name])
		}
		if len(s.Rows) != 0 {
			t.Errorf("%s: an empty return has header-only sections, got %v", s.Name, s.Rows)
		}
	}
	if got := strings.Join(names, " "); got != "b2b b2cl b2cs cdnr cdnur exp exemp hsn_b2b hsn_b2c docs" {
		t.Errorf("sections %s", got)
	}
	// Before May 2025 the HSN summary is one table.
	old := gst.GSTR1{FP: "042025"}
	if s := old.OfflineCSV(nil); s[7].Name != "hsn" || s[8].Name != "docs" {
		t.Errorf("April 2025 sections: %s %s", s[7].Name, s[8].Name)
	}
}

func TestCSVDate(t *testing.T) {
	for in, want := range map[string]string{"05-07-2024": "05-Jul-2024", "2026-10-31": "31-Oct-2026", "": "", "soon": "soon"} {
		if got := gst.CSVDate(in); got != want {
			t.Errorf("CSVDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOfflineCSVRows: each section's rows carry the template's values:
// one row per invoice per rate, dd-Mon-yyyy dates, "27-Maharashtra", the
// template's invoice and note types, "NOS-NUMBERS" and "NA-NOT
// APPLICABLE" units, plain rupee amounts.
func TestOfflineCSVRows(t *testing.T) {
	zero := gst.Amount(0)
	igst := gst.Amount(180_00)
	r := gst.GSTR1{FP: "102026",
		B2B: []gst.B2BParty{{Ctin: "27AABCS1429B1ZU", Inv: []gst.B2BInvoice{{Inum: "A-1", Idt: "05-10-2026", Val: 1180_00, Pos: "27", Rchrg: "N", InvTyp: "SEWP",
			Itms: []gst.Item{{Num: 1, ItmDet: gst.ItemDetail{Rt: 1800, Txval: 1000_00, Iamt: &igst}}}}}}},
		CDNUR: []gst.CDNURNote{{Typ: "EXPWOP", Ntty: "C", NtNum: "CN-1", NtDt: "20-10-2026", Val: 500_00,
			Itms: []gst.Item{{Num: 1, ItmDet: gst.ItemDetail{Rt: 1800, Txval: 500_00, Iamt: &zero}}}}},
		EXP: []gst.ExpGroup{{ExpTyp: "WOPAY", Inv: []gst.ExpInvoice{{Inum: "A-2", Idt: "03-10-2026", Val: 100_00, Itms: []gst.ExpItem{{Txval: 100_00, Rt: 1800}}}}}},
		HSN: &gst.HSNSection{HSNB2C: []gst.HSNRow{{Num: 1, HsnSc: "998729", Uqc: "NA", Rt: 1800, Txval: 100_00, Camt: 9_00, Samt: 9_00},
			{Num: 2, HsnSc: "0702", Uqc: "KGS", Qty: 6260, Txval: 250_20}}},
	}
	rows := map[string][][]string{}
	for _, s := range r.OfflineCSV(map[string]string{"27AABCS1429B1ZU": "Pune SEZ Unit"}) {
		rows[s.Name] = s.Rows
	}
	check := func(sec string, i int, want string) {
		t.Helper()
		if len(rows[sec]) <= i {
			t.Fatalf("%s has %d rows", sec, len(rows[sec]))
		}
		if got := strings.Join(rows[sec][i], ","); got != want {
			t.Errorf("%s row %d:\n got %s\nwant %s", sec, i, got, want)
		}
	}
	check("b2b", 0, "27AABCS1429B1ZU,Pune SEZ Unit,A-1,05-Oct-2026,1180.00,27-Maharashtra,N,,SEZ supplies with payment,,18,1000.00,0.00")
	check("cdnur", 0, "EXPWOP,CN-1,20-Oct-2026,C,,500.00,,18,500.00,0.00")
	// No shipping bill yet: its three columns are left empty.
	check("exp", 0, "WOPAY,A-2,03-Oct-2026,100.00,,,,18,100.00,0.00")
	// Total Value = taxable + taxes: 100 + 9 + 9.
	check("hsn_b2c", 0, "998729,,NA-NOT APPLICABLE,0,118.00,18,100.00,0.00,9.00,9.00,0.00")
	check("hsn_b2c", 1, "0702,,KGS-KILOGRAMS,6.26,250.20,0,250.20,0.00,0.00,0.00,0.00")
}
