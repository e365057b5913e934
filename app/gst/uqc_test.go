package gst_test

import (
	"testing"

	"github.com/ainaukar/naukar/app/gst"
)

// TestUQCLabel: every code has the portal's description (GSTN's UQC master,
// as the offline tool's HSN sheet spells them).
func TestUQCLabel(t *testing.T) {
	for _, u := range gst.UQCs() {
		if l := gst.UQCLabel(u); len(l) <= len(u)+1 || l[:len(u)+1] != u+"-" {
			t.Errorf("UQCLabel(%s) = %q", u, l)
		}
	}
	for in, want := range map[string]string{"NOS": "NOS-NUMBERS", "KGS": "KILOGRAMS", "MLT": "MILILITRE", "nos": "OTH-OTHERS", "": "OTH-OTHERS"} {
		if got := gst.UQCLabel(in); got != want && got != in+"-"+want {
			t.Errorf("UQCLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
