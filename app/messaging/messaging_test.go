package messaging_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/messaging"
)

func TestRecipient(t *testing.T) {
	for in, want := range map[string]string{"9876543210": "919876543210", "+91 98765-43210": "919876543210", "09876543210": "919876543210"} {
		if got, err := messaging.Recipient("Ravi", in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	t.Run("ErrNoPhone", func(t *testing.T) {
		_, err := messaging.Recipient("Ravi", " ")
		if books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), "Ravi has no phone number") {
			t.Fatal(err)
		}
	})
	t.Run("ErrLandline", func(t *testing.T) {
		_, err := messaging.Recipient("Ravi", "022 2430 1234")
		if books.ErrorCode(err) != books.EINVALID || !strings.Contains(err.Error(), "enter the 10 digits") {
			t.Fatal(err)
		}
	})
}

func TestWaMe(t *testing.T) {
	got := messaging.WaMe("919876543210", messaging.ReminderText("Ravi", 150000, "Sharma Stores", "sharma@okicici"))
	want := "https://wa.me/919876543210?text=Dear+Ravi%2C+a+payment+of+%E2%82%B91%2C500.00+is+due+to+Sharma+Stores."
	if !strings.HasPrefix(got, want) || !strings.Contains(got, "sharma%40okicici") {
		t.Fatal(got)
	}
}

func TestRule(t *testing.T) {
	r := messaging.DefaultRule
	bill := time.Date(2026, 11, 1, 15, 0, 0, 0, time.Local)
	dates := r.Dates(bill)
	if len(dates) != 3 || dates[0].Day() != 4 || dates[1].Day() != 11 || dates[2].Day() != 18 {
		t.Fatalf("dates %v", dates)
	}
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.Local) }
	for _, c := range []struct {
		today, sent int
		last        int
		want        bool
	}{{3, 0, 0, false}, {4, 0, 0, true}, {10, 1, 4, false}, {11, 1, 4, true}, {12, 1, 9, false}, {16, 1, 9, true}, {30, 3, 18, false}} {
		var last time.Time
		if c.last > 0 {
			last = day(c.last)
		}
		if got := r.DueOn(bill, day(c.today), c.sent, last); got != c.want {
			t.Errorf("day %d, %d sent, last %d: %v", c.today, c.sent, c.last, got)
		}
	}
	for _, bad := range []messaging.Rule{{After: -1, Every: 7, Max: 3}, {After: 3, Every: 0, Max: 3}, {After: 3, Every: 7, Max: 0}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestPreview(t *testing.T) {
	r := messaging.DefaultRule
	today := time.Date(2026, 11, 20, 9, 0, 0, 0, time.Local)
	dues := []messaging.Due{
		{Name: "Asha", Phone: "9811111111", Amount: 5000, Since: time.Date(2026, 11, 19, 0, 0, 0, 0, time.Local)},
		{Name: "Ravi", Phone: "9876543210", Amount: 9000, Since: time.Date(2026, 11, 1, 0, 0, 0, 0, time.Local), Sent: 1},
		{Name: "Meena", Phone: "9822222222", Amount: 100, Since: time.Date(2026, 11, 1, 0, 0, 0, 0, time.Local), OptedOut: true, Sent: 3},
		{Name: "Sunil", Phone: "022", Amount: 100, Since: time.Date(2026, 11, 18, 0, 0, 0, 0, time.Local)},
		{Name: "Paid", Phone: "9833333333", Amount: 0},
	}
	var got []string
	for _, p := range r.Preview(dues, today) {
		got = append(got, p.On.Format("02")+" "+p.Name+" "+p.Skip)
	}
	want := []string{"20 Ravi ", "21 Sunil no usable mobile number", "22 Asha ", "27 Ravi ",
		"28 Sunil no usable mobile number", "29 Asha ", "05 Sunil no usable mobile number", "06 Asha "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("preview\n got %q\nwant %q", got, want)
	}
}
