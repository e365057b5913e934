package quota

import (
	"strings"
	"testing"
	"time"
)

func TestMonthsAreIST(t *testing.T) {
	// 31 Jan 20:00 UTC is already 1 Feb in India.
	at := time.Date(2026, 1, 31, 20, 0, 0, 0, time.UTC)
	if got := Month(at); got != "2026-02" {
		t.Fatalf("Month = %s, want 2026-02", got)
	}
	if got := ResetAt(at); !got.Equal(time.Date(2026, 2, 28, 18, 30, 0, 0, time.UTC)) {
		t.Fatalf("ResetAt = %v", got)
	}
	if got := ResetAt(time.Date(2026, 12, 15, 0, 0, 0, 0, IST)); got.Format("2006-01-02") != "2027-01-01" {
		t.Fatalf("December resets on %v", got)
	}
	e := Exceeded(AI, 30, at)
	if e.Code != CodeExceeded || !strings.Contains(e.Message, "30 AI questions") || !strings.Contains(e.Message, "01-03-2026") {
		t.Fatalf("Exceeded = %+v", e)
	}
}
