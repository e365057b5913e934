package gst

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// OtherCountries is the place of supply of an export (state code 96).
const OtherCountries = "96"

// ZeroRated says whether, and how, an outward supply is zero-rated (IGST
// Act s.16): an export of goods or services (place of supply 96, "Other
// Countries") or a supply to an SEZ unit or developer, made either on
// payment of IGST (refunded to the exporter later) or under a bond or
// letter of undertaking (LUT) without payment of IGST. "" is a supply that
// is not zero-rated.
type ZeroRated string

// The zero-rated supply kinds. Their GSTR-1 codes are ExpType (exports)
// and InvType (SEZ supplies).
const (
	ExportWithIGST ZeroRated = "export_igst" // GSTR-1 exp, exp_typ WPAY
	ExportUnderLUT ZeroRated = "export_lut"  // GSTR-1 exp, exp_typ WOPAY
	SEZWithIGST    ZeroRated = "sez_igst"    // GSTR-1 b2b, inv_typ SEWP
	SEZUnderLUT    ZeroRated = "sez_lut"     // GSTR-1 b2b, inv_typ SEWOP
)

// ZeroRatedKinds lists the zero-rated kinds, in the order a shop picks them.
func ZeroRatedKinds() []ZeroRated {
	return []ZeroRated{ExportWithIGST, ExportUnderLUT, SEZWithIGST, SEZUnderLUT}
}

// ParseZeroRated reads a zero-rated kind: "" (none), export_igst,
// export_lut, sez_igst or sez_lut, ignoring case and with '-' or ' ' for
// '_'. Deemed exports are refused with a message that says so.
func ParseZeroRated(s string) (ZeroRated, error) {
	t := strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
	switch t {
	case "", "none", "regular":
		return "", nil
	case "export_igst", "export_wpay", "export_with_igst":
		return ExportWithIGST, nil
	case "export_lut", "export_wopay", "export_bond", "export_under_lut":
		return ExportUnderLUT, nil
	case "sez_igst", "sez_wpay", "sez_with_igst", "sewp":
		return SEZWithIGST, nil
	case "sez_lut", "sez_wopay", "sez_bond", "sez_under_lut", "sewop":
		return SEZUnderLUT, nil
	case "deemed_export", "deemed_exports", "de":
		return "", newErr("zero_rated", "deemed exports (GSTR-1 invoice type DE) are not supported; bill the supply as a regular sale and report it on the GST portal yourself")
	}
	return "", newErr("zero_rated", fmt.Sprintf("zero-rated supply %q is not known; use export_igst or export_lut (exports), sez_igst or sez_lut (supplies to an SEZ)", s))
}

// Export reports whether z is an export (place of supply 96).
func (z ZeroRated) Export() bool { return z == ExportWithIGST || z == ExportUnderLUT }

// SEZ reports whether z is a supply to an SEZ unit or developer.
func (z ZeroRated) SEZ() bool { return z == SEZWithIGST || z == SEZUnderLUT }

// UnderLUT reports whether z is made under bond or LUT, without IGST.
func (z ZeroRated) UnderLUT() bool { return z == ExportUnderLUT || z == SEZUnderLUT }

// ExpType is GSTR-1's exp_typ of an export: WPAY with IGST, WOPAY without.
func (z ZeroRated) ExpType() string {
	if z.UnderLUT() {
		return "WOPAY"
	}
	return "WPAY"
}

// URType is GSTR-1 cdnur's typ of a note against an export: EXPWP with
// IGST, EXPWOP without.
func (z ZeroRated) URType() string {
	if z.UnderLUT() {
		return "EXPWOP"
	}
	return "EXPWP"
}

// InvType is GSTR-1's inv_typ of an invoice to a registered buyer: SEWP or
// SEWOP for an SEZ supply, R (regular) otherwise.
func (z ZeroRated) InvType() string {
	switch z {
	case SEZWithIGST:
		return "SEWP"
	case SEZUnderLUT:
		return "SEWOP"
	}
	return "R"
}

// Label names z for people: "Export with IGST", "SEZ supply under LUT".
func (z ZeroRated) Label() string {
	switch z {
	case ExportWithIGST:
		return "Export with IGST"
	case ExportUnderLUT:
		return "Export under LUT (no IGST)"
	case SEZWithIGST:
		return "SEZ supply with IGST"
	case SEZUnderLUT:
		return "SEZ supply under LUT (no IGST)"
	}
	return "Regular"
}

// Declaration is the statement CGST Rule 46 (proviso to clause (p)) asks a
// zero-rated invoice to carry; "" for other supplies.
func (z ZeroRated) Declaration() string {
	switch z {
	case ExportWithIGST:
		return "Supply meant for export on payment of integrated tax (IGST)."
	case ExportUnderLUT:
		return "Supply meant for export under bond or letter of undertaking (LUT) without payment of integrated tax (IGST)."
	case SEZWithIGST:
		return "Supply to SEZ unit or SEZ developer for authorised operations on payment of integrated tax (IGST)."
	case SEZUnderLUT:
		return "Supply to SEZ unit or SEZ developer for authorised operations under bond or letter of undertaking (LUT) without payment of integrated tax (IGST)."
	}
	return ""
}

// ReverseChargeDeclaration is printed on an invoice whose tax the
// recipient pays (CGST Rule 46(p): whether the tax is payable on reverse
// charge basis).
const ReverseChargeDeclaration = "Tax on this supply is payable by the recipient on reverse charge basis; it is not part of the amount payable to us."

// Untaxed returns the tax of a supply made without tax (a zero-rated
// supply under LUT): every taxable value as Compute worked it out (an
// inclusive price is first taken back at its rate, since the price included
// a tax that is not charged), every tax head zero, and totals and round off
// again from the taxable values. res is not changed.
func (res Result) Untaxed() Result {
	out := Result{Lines: make([]LineTax, len(res.Lines)), Groups: make([]RateGroup, len(res.Groups))}
	for i, l := range res.Lines {
		out.Lines[i] = LineTax{Taxable: l.Taxable, Total: l.Taxable}
	}
	for i, g := range res.Groups {
		out.Groups[i] = RateGroup{Rate: g.Rate, CessRate: g.CessRate, Category: g.Category, Taxable: g.Taxable}
	}
	out.Taxable = res.Taxable
	out.Total = res.Taxable
	out.RoundOff, out.GrandTotal = RoundOff(out.Total)
	return out
}

// RecipientPays returns the tax of a supply on reverse charge: the tax
// heads stay as computed (the invoice shows them), but the recipient pays
// them to the government, so each line's total and the invoice total are
// the taxable values, rounded off to the rupee. res is not changed.
func (res Result) RecipientPays() Result {
	out := res
	out.Lines = make([]LineTax, len(res.Lines))
	for i, l := range res.Lines {
		l.Total = l.Taxable
		out.Lines[i] = l
	}
	out.Groups = append([]RateGroup(nil), res.Groups...)
	out.Total = res.Taxable
	out.RoundOff, out.GrandTotal = RoundOff(out.Total)
	return out
}

// ValidatePortCode checks a customs port code as the shipping bill and
// GSTR-1 carry it: 6 letters or digits, such as INNSA1 (Nhava Sheva) or
// INBOM4 (Mumbai air cargo).
func ValidatePortCode(s string) error {
	if utf8.RuneCountInString(s) != 6 {
		return newErr("port_code", fmt.Sprintf("port code %q must be 6 letters or digits, like INNSA1", s))
	}
	for i := 0; i < len(s); i++ {
		if !isUpper(s[i]) && !isDigit(s[i]) {
			return newErr("port_code", fmt.Sprintf("port code %q may use only capital letters and digits, like INNSA1", s))
		}
	}
	return nil
}

// ValidateShippingBillNumber checks a shipping bill (or bill of export)
// number: digits only, at most 7 of them, as customs issues it.
func ValidateShippingBillNumber(s string) error {
	if !allDigits(s) || len(s) > 7 {
		return newErr("shipping_bill", fmt.Sprintf("shipping bill number %q must be up to 7 digits", s))
	}
	return nil
}
