package gst

// uqcNames are the descriptions the GST portal gives each unit quantity code;
// returns, the HSN summary and accounting software (Tally's GSTREPUOM) write
// a unit as "CODE-DESCRIPTION", for example "NOS-NUMBERS".
var uqcNames = map[string]string{
	"BAG": "BAGS", "BAL": "BALE", "BDL": "BUNDLES", "BKL": "BUCKLES", "BOU": "BILLION OF UNITS",
	"BOX": "BOX", "BTL": "BOTTLES", "BUN": "BUNCHES", "CAN": "CANS", "CBM": "CUBIC METERS",
	"CCM": "CUBIC CENTIMETERS", "CMS": "CENTIMETERS", "CTN": "CARTONS", "DOZ": "DOZENS", "DRM": "DRUMS",
	"GGK": "GREAT GROSS", "GMS": "GRAMMES", "GRS": "GROSS", "GYD": "GROSS YARDS", "KGS": "KILOGRAMS",
	"KLR": "KILOLITRE", "KME": "KILOMETRE", "LTR": "LITRES", "MLT": "MILILITRE", "MTR": "METERS",
	"MTS": "METRIC TON", "NOS": "NUMBERS", "OTH": "OTHERS", "PAC": "PACKS", "PCS": "PIECES",
	"PRS": "PAIRS", "QTL": "QUINTAL", "ROL": "ROLLS", "SET": "SETS", "SQF": "SQUARE FEET",
	"SQM": "SQUARE METERS", "SQY": "SQUARE YARDS", "TBS": "TABLETS", "TGM": "TEN GROSS", "THD": "THOUSANDS",
	"TON": "TONNES", "TUB": "TUBES", "UGS": "US GALLONS", "UNT": "UNITS", "YDS": "YARDS",
}

// UQCLabel returns a unit quantity code with the portal's description,
// "NOS-NUMBERS"; a code it does not know is reported as "OTH-OTHERS".
func UQCLabel(code string) string {
	if n, ok := uqcNames[code]; ok {
		return code + "-" + n
	}
	return "OTH-OTHERS"
}
