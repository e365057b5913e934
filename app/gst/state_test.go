package gst_test

import (
	"sort"
	"testing"

	"github.com/ainaukar/naukar/app/gst"
)

func TestStateName(t *testing.T) {
	cases := []struct {
		code, name string
		ok         bool
	}{
		{"27", "Maharashtra", true},
		{"01", "Jammu & Kashmir", true},
		{"26", "Dadra & Nagar Haveli and Daman & Diu", true},
		{"25", "Daman & Diu", true},
		{"28", "Andhra Pradesh (Old)", true},
		{"37", "Andhra Pradesh", true},
		{"96", "Other Countries", true},
		{"97", "Other Territory", true},
		{"7", "", false},
		{"39", "", false},
		{"", "", false},
	}
	for _, tc := range cases {
		name, ok := gst.StateName(tc.code)
		if name != tc.name || ok != tc.ok {
			t.Errorf("StateName(%q) = %q, %v; want %q, %v", tc.code, name, ok, tc.name, tc.ok)
		}
		if gst.ValidStateCode(tc.code) != tc.ok {
			t.Errorf("ValidStateCode(%q) = %v, want %v", tc.code, !tc.ok, tc.ok)
		}
	}
}

func TestNormalizeStateCode(t *testing.T) {
	ok := []struct{ in, want string }{
		{"7", "07"},
		{"07", "07"},
		{" 27 ", "27"},
		{"Maharashtra", "27"},
		{"maharashtra", "27"},
		{"TAMIL  NADU", "33"},
		{"Jammu and Kashmir", "01"},
		{"Andhra Pradesh", "37"},
		{"27-Maharashtra", "27"},
		{"Orissa", "21"},
		{"Other Countries", "96"},
		{"25", "25"},
	}
	for _, tc := range ok {
		t.Run("Ok"+tc.in, func(t *testing.T) {
			got, err := gst.NormalizeStateCode(tc.in)
			AssertNoErr(t, err)
			if got != tc.want {
				t.Errorf("NormalizeStateCode(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	t.Run("ErrEmpty", func(t *testing.T) {
		_, err := gst.NormalizeStateCode("")
		AssertErr(t, err, "state", "state is empty; enter the 2-digit GST state code (for example 27) or the state name")
	})
	t.Run("ErrUnknownCode", func(t *testing.T) {
		_, err := gst.NormalizeStateCode("99")
		AssertErr(t, err, "state", `state code "99" is not a GST state code; use a 2-digit code from 01 to 38, 96 or 97 (for example 27 for Maharashtra)`)
	})
	t.Run("ErrThreeDigits", func(t *testing.T) {
		_, err := gst.NormalizeStateCode("027")
		AssertErr(t, err, "state", "")
	})
	t.Run("ErrUnknownName", func(t *testing.T) {
		_, err := gst.NormalizeStateCode("Atlantis")
		AssertErr(t, err, "state", `state "Atlantis" is not known; enter the 2-digit GST state code (for example 27) or the state name as spelt in the GST list (for example Maharashtra)`)
	})
}

func TestIsUT(t *testing.T) {
	for _, c := range []string{"04", "26", "31", "35", "38", "97"} {
		if !gst.IsUT(c) {
			t.Errorf("IsUT(%s) = false, want true", c)
		}
	}
	// Delhi and Puducherry have legislatures, so they charge SGST.
	for _, c := range []string{"07", "34", "27", "4", ""} {
		if gst.IsUT(c) {
			t.Errorf("IsUT(%s) = true, want false", c)
		}
	}
}

func TestStates(t *testing.T) {
	s := gst.States()
	if len(s) != 38 {
		t.Fatalf("States() has %d entries, want 38", len(s))
	}
	if !sort.SliceIsSorted(s, func(i, j int) bool { return s[i].Code < s[j].Code }) {
		t.Error("States() not sorted by code")
	}
	for _, st := range s {
		if st.Code == "25" || st.Code == "28" {
			t.Errorf("States() includes legacy code %s", st.Code)
		}
		if name, ok := gst.StateName(st.Code); !ok || name != st.Name {
			t.Errorf("States() %v disagrees with StateName", st)
		}
	}
	s[0].Name = "changed"
	if gst.States()[0].Name == "changed" {
		t.Error("States() returns shared storage")
	}
}

func TestSupplyTypeFor(t *testing.T) {
	cases := []struct {
		name          string
		supplier, pos string
		sez           bool
		want          gst.SupplyType
	}{
		{"IntraSameState", "27", "27", false, gst.Intra},
		{"InterOtherState", "27", "24", false, gst.Inter},
		{"InterSEZSameState", "27", "27", true, gst.Inter},
		{"IntraUnregisteredShop", "", "24", false, gst.Intra},
		{"IntraNoBuyerState", "27", "", false, gst.Intra},
		{"IntraUnpaddedCode", "7", "07", false, gst.Intra},
		{"InterExport", "27", "96", false, gst.Inter},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := gst.SupplyTypeFor(tc.supplier, tc.pos, tc.sez); got != tc.want {
				t.Errorf("SupplyTypeFor(%q, %q, %v) = %s, want %s", tc.supplier, tc.pos, tc.sez, got, tc.want)
			}
		})
	}
}

func TestCheckBusinessState(t *testing.T) {
	for _, code := range []string{"01", "07", "26", "27", "36", "37", "38", "97"} {
		AssertNoErr(t, gst.CheckBusinessState(code))
	}
	for code, msg := range map[string]string{
		"":   "State is empty; choose the state the business is in (for example 27 for Maharashtra).",
		"96": "State code 96 (Other Countries) is only a place of supply for exports; choose the state in India the business is registered in (for example 27 for Maharashtra).",
		"25": "State code 25 (Daman & Diu) is no longer used; Daman & Diu is 26 (Dadra & Nagar Haveli and Daman & Diu) since 2020.",
		"28": "State code 28 (old Andhra Pradesh) is no longer used; Andhra Pradesh is 37 and Telangana 36.",
		"39": `State code "39" is not a GST state code; use a 2-digit code from 01 to 38 or 97 (for example 27 for Maharashtra).`,
		"7":  `State code "7" is not a GST state code; use a 2-digit code from 01 to 38 or 97 (for example 27 for Maharashtra).`,
		"00": "",
		"99": "",
	} {
		t.Run("Err"+code, func(t *testing.T) { AssertErr(t, gst.CheckBusinessState(code), "state", msg) })
	}
	// 96 and the legacy codes stay valid where a place of supply or a
	// party's state is meant.
	for _, code := range []string{"96", "25", "28"} {
		if !gst.ValidStateCode(code) {
			t.Errorf("ValidStateCode(%q) = false", code)
		}
	}
}

func TestBusinessStates(t *testing.T) {
	all, biz := gst.States(), gst.BusinessStates()
	if len(biz) != len(all)-1 {
		t.Fatalf("BusinessStates has %d states, want %d (all but 96)", len(biz), len(all)-1)
	}
	for _, s := range biz {
		if s.Code == "96" {
			t.Fatal("BusinessStates offers 96 Other Countries")
		}
		AssertNoErr(t, gst.CheckBusinessState(s.Code))
	}
}
