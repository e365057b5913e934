package gst

import (
	"fmt"
	"strings"
)

// State is a GST state or union territory: its 2-digit code and its name.
type State struct {
	Code string
	Name string
}

// currentStates lists the state codes in use, sorted by code.
var currentStates = []State{
	{"01", "Jammu & Kashmir"},
	{"02", "Himachal Pradesh"},
	{"03", "Punjab"},
	{"04", "Chandigarh"},
	{"05", "Uttarakhand"},
	{"06", "Haryana"},
	{"07", "Delhi"},
	{"08", "Rajasthan"},
	{"09", "Uttar Pradesh"},
	{"10", "Bihar"},
	{"11", "Sikkim"},
	{"12", "Arunachal Pradesh"},
	{"13", "Nagaland"},
	{"14", "Manipur"},
	{"15", "Mizoram"},
	{"16", "Tripura"},
	{"17", "Meghalaya"},
	{"18", "Assam"},
	{"19", "West Bengal"},
	{"20", "Jharkhand"},
	{"21", "Odisha"},
	{"22", "Chhattisgarh"},
	{"23", "Madhya Pradesh"},
	{"24", "Gujarat"},
	{"26", "Dadra & Nagar Haveli and Daman & Diu"},
	{"27", "Maharashtra"},
	{"29", "Karnataka"},
	{"30", "Goa"},
	{"31", "Lakshadweep"},
	{"32", "Kerala"},
	{"33", "Tamil Nadu"},
	{"34", "Puducherry"},
	{"35", "Andaman & Nicobar Islands"},
	{"36", "Telangana"},
	{"37", "Andhra Pradesh"},
	{"38", "Ladakh"},
	{"96", "Other Countries"},
	{"97", "Other Territory"},
}

// legacyStates are codes found only on old documents.
var legacyStates = []State{
	{"25", "Daman & Diu"},
	{"28", "Andhra Pradesh (Old)"},
}

var (
	stateByCode = map[string]string{}
	stateByName = map[string]string{}
)

func init() {
	for _, s := range currentStates {
		stateByCode[s.Code] = s.Name
		stateByName[nameKey(s.Name)] = s.Code
	}
	for _, s := range legacyStates {
		stateByCode[s.Code] = s.Name
	}
	// Older and common spellings people type.
	for alias, code := range map[string]string{
		"orissa": "21", "pondicherry": "34", "uttaranchal": "05", "j&k": "01",
		"jammu kashmir": "01", "andaman nicobar": "35", "andaman & nicobar": "35",
		"new delhi": "07", "nct of delhi": "07", "dadra & nagar haveli": "26",
		"daman & diu": "26", "dnh & dd": "26", "other country": "96", "foreign": "96",
	} {
		stateByName[nameKey(alias)] = code
	}
}

// nameKey folds a state name for lookup: lower case, "and" as "&", single spaces.
func nameKey(s string) string {
	f := strings.Fields(strings.ToLower(s))
	for i, w := range f {
		if w == "and" {
			f[i] = "&"
		}
	}
	return strings.Join(f, " ")
}

// StateName returns the name of a 2-digit state code, including the legacy
// codes 25 and 28 and the codes 96 (other countries) and 97 (other territory).
func StateName(code string) (string, bool) {
	n, ok := stateByCode[code]
	return n, ok
}

// ValidStateCode reports whether code is a known 2-digit state code, including
// legacy codes. It does not accept "7" for "07"; use NormalizeStateCode for input.
func ValidStateCode(code string) bool {
	_, ok := stateByCode[code]
	return ok
}

// NormalizeStateCode turns user input into a 2-digit state code. It accepts a
// code with or without its leading zero ("7" gives "07"), a state name in any
// case ("maharashtra" gives "27"), or the portal form "27-Maharashtra".
func NormalizeStateCode(s string) (string, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", newErr("state", "state is empty; enter the 2-digit GST state code (for example 27) or the state name")
	}
	// "27-Maharashtra" or "27 Maharashtra": the code decides.
	if len(t) > 2 && isDigit(t[0]) && isDigit(t[1]) && (t[2] == '-' || t[2] == ' ') {
		t = t[:2]
	}
	if allDigits(t) {
		code := t
		if len(code) == 1 {
			code = "0" + code
		}
		if len(code) == 2 && ValidStateCode(code) {
			return code, nil
		}
		return "", newErr("state", fmt.Sprintf("state code %q is not a GST state code; use a 2-digit code from 01 to 38, 96 or 97 (for example 27 for Maharashtra)", s))
	}
	if code, ok := stateByName[nameKey(t)]; ok {
		return code, nil
	}
	return "", newErr("state", fmt.Sprintf("state %q is not known; enter the 2-digit GST state code (for example 27) or the state name as spelt in the GST list (for example Maharashtra)", s))
}

// A code is valid in two senses. As a place of supply, or a party's state,
// every code in the GST list is valid (ValidStateCode): 96 Other Countries
// for exports, and the legacy 25 and 28 that old documents carry. As a
// registered business's own state (the shop's profile, a sign-up) only a
// code a registration can carry today is valid (CheckBusinessState): a
// current state or union territory, or 97 Other Territory (registrations in
// India's offshore areas); 96 is refused (a shop abroad has no GST
// registration; 96 only ever names where an export goes), and so are 25
// and 28, which no registration carries any more.

// CheckBusinessState checks code, a 2-digit state code (see
// NormalizeStateCode for typed input), as the state a registered business
// is in. Each failure is an *Error for the field "state" saying which code
// to use instead.
func CheckBusinessState(code string) error {
	switch code {
	case "":
		return newErr("state", "State is empty; choose the state the business is in (for example 27 for Maharashtra).")
	case "96":
		return newErr("state", "State code 96 (Other Countries) is only a place of supply for exports; choose the state in India the business is registered in (for example 27 for Maharashtra).")
	case "25":
		return newErr("state", "State code 25 (Daman & Diu) is no longer used; Daman & Diu is 26 (Dadra & Nagar Haveli and Daman & Diu) since 2020.")
	case "28":
		return newErr("state", "State code 28 (old Andhra Pradesh) is no longer used; Andhra Pradesh is 37 and Telangana 36.")
	}
	if !ValidStateCode(code) {
		return newErr("state", fmt.Sprintf("State code %q is not a GST state code; use a 2-digit code from 01 to 38 or 97 (for example 27 for Maharashtra).", code))
	}
	return nil
}

// NormalizeRegistration canonicalises a GSTIN and state code as typed: the
// GSTIN trimmed and upper-cased; the state as NormalizeStateCode gives it
// ("7" and "Delhi" give "07"), or trimmed when it does not parse, so that a
// check can name it; and, when no state is given, the GSTIN's own.
func NormalizeRegistration(gstin, state string) (string, string) {
	gstin = NormalizeGSTIN(gstin)
	state = strings.TrimSpace(state)
	if sc, err := NormalizeStateCode(state); err == nil {
		state = sc
	}
	if state == "" && gstin != "" {
		state = GSTINState(gstin)
	}
	return gstin, state
}

// CheckRegistration checks a registered business's state code and GSTIN
// ("" when it is not GST registered), normalised by NormalizeRegistration:
// the state must pass CheckBusinessState, the GSTIN ValidateGSTIN, and the
// GSTIN must belong to that state. The shop's profile in the books and the
// server's sign-up both check with it.
func CheckRegistration(gstin, state string) error {
	if err := CheckBusinessState(state); err != nil {
		return err
	}
	if gstin == "" {
		return nil
	}
	if err := ValidateGSTIN(gstin); err != nil {
		return err
	}
	if g := GSTINState(gstin); g != state {
		return newErr("state", fmt.Sprintf("GSTIN %s belongs to state %s but the business state is %s.", gstin, g, state))
	}
	return nil
}

// BusinessStates returns the states a registered business can be in, for
// pickers: States() without 96 Other Countries (see CheckBusinessState).
func BusinessStates() []State {
	out := make([]State, 0, len(currentStates))
	for _, s := range currentStates {
		if CheckBusinessState(s.Code) == nil {
			out = append(out, s)
		}
	}
	return out
}

// IsUT reports whether code is a union territory without a legislature, where
// UTGST replaces SGST: 04, 26, 31, 35, 38 and 97, and the legacy 25 (Daman & Diu).
func IsUT(code string) bool {
	switch code {
	case "04", "25", "26", "31", "35", "38", "97":
		return true
	}
	return false
}

// States returns the current states and territories sorted by code,
// including 96 and 97 but not the legacy codes 25 and 28. The slice is a copy.
func States() []State {
	return append([]State(nil), currentStates...)
}

// SupplyType says which taxes apply to a supply.
type SupplyType string

// The supply types: intra-state (CGST + SGST/UTGST) and inter-state (IGST).
const (
	Intra SupplyType = "intra"
	Inter SupplyType = "inter"
)

// SupplyTypeFor decides between Intra and Inter. A supply to or by an SEZ is
// always Inter. Otherwise, if supplierState is "" (an unregistered shop) or
// placeOfSupply is "" (an unregistered buyer with no recorded address, whose
// place of supply is the supplier's location), it is Intra; else it is Intra
// when both codes are the same state (so "7" equals "07") and Inter otherwise.
func SupplyTypeFor(supplierState, placeOfSupply string, sez bool) SupplyType {
	if sez {
		return Inter
	}
	a, b := strings.TrimSpace(supplierState), strings.TrimSpace(placeOfSupply)
	if a == "" || b == "" {
		return Intra
	}
	if n, err := NormalizeStateCode(a); err == nil {
		a = n
	}
	if n, err := NormalizeStateCode(b); err == nil {
		b = n
	}
	if a == b {
		return Intra
	}
	return Inter
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
