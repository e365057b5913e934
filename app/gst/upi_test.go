package gst_test

import (
	"net/url"
	"testing"

	"github.com/ainaukar/naukar/app/gst"
)

func TestUPIPayURL(t *testing.T) {
	cases := []struct {
		name                  string
		vpa, payee, note, ref string
		amount                int64
		want                  string
	}{
		{"Full", "shop@okicici", "Sharma General Store", "Bill INV-1", "INVA-2627-17", 10000,
			"upi://pay?pa=shop@okicici&pn=Sharma%20General%20Store&am=100.00&cu=INR&tn=Bill%20INV-1&tr=INVA-2627-17"},
		{"EncodesSpecials", "a.b-c_d@ybl", "Ram & Sons", "50% off+tax=ok?", "A/1", 5,
			"upi://pay?pa=a.b-c_d@ybl&pn=Ram%20%26%20Sons&am=0.05&cu=INR&tn=50%25%20off%2Btax%3Dok%3F&tr=A%2F1"},
		{"EncodesUnicode", "shop@upi", "आशीर्वाद", "", "", 12345,
			"upi://pay?pa=shop@upi&pn=%E0%A4%86%E0%A4%B6%E0%A5%80%E0%A4%B0%E0%A5%8D%E0%A4%B5%E0%A4%BE%E0%A4%A6&am=123.45&cu=INR"},
		{"ZeroAmountLeftOut", "shop@upi", "Shop", "", "", 0, "upi://pay?pa=shop@upi&pn=Shop&cu=INR"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := gst.UPIPayURL(tc.vpa, tc.payee, tc.amount, tc.note, tc.ref)
			AssertNoErr(t, err)
			if got != tc.want {
				t.Errorf("UPIPayURL =\n  %s\nwant\n  %s", got, tc.want)
			}
			u, err := url.Parse(got)
			AssertNoErr(t, err)
			if q := u.Query(); q.Get("pn") != tc.payee || q.Get("tn") != tc.note || q.Get("pa") != tc.vpa {
				t.Errorf("URL does not decode back: %v", q)
			}
		})
	}
	t.Run("ErrBadVPA", func(t *testing.T) {
		_, err := gst.UPIPayURL("shop", "Shop", 100, "", "")
		AssertErr(t, err, "vpa", `UPI ID "shop" must have exactly one @, like name@bank`)
	})
	t.Run("ErrNoPayee", func(t *testing.T) {
		_, err := gst.UPIPayURL("shop@upi", " ", 100, "", "")
		AssertErr(t, err, "payee", "payee name is empty; UPI needs the shop's name")
	})
	t.Run("ErrNegativeAmount", func(t *testing.T) {
		_, err := gst.UPIPayURL("shop@upi", "Shop", -100, "", "")
		AssertErr(t, err, "amount", "UPI amount cannot be negative (got -1.00)")
	})
}

func TestValidateVPA(t *testing.T) {
	for _, s := range []string{"shop@okicici", "98765.43210@ybl", "a_b-c.d@paytm", "x@axl"} {
		t.Run("Ok"+s, func(t *testing.T) { AssertNoErr(t, gst.ValidateVPA(s)) })
	}
	bad := []struct{ name, in, msg string }{
		{"ErrEmpty", "", "UPI ID is empty; it looks like name@bank"},
		{"ErrNoAt", "shop.okicici", `UPI ID "shop.okicici" must have exactly one @, like name@bank`},
		{"ErrTwoAts", "a@b@c", `UPI ID "a@b@c" must have exactly one @, like name@bank`},
		{"ErrNoName", "@ybl", `UPI ID "@ybl" has nothing before the @`},
		{"ErrSpaceInName", "my shop@ybl", `UPI ID "my shop@ybl" has ' ' before the @; only letters, digits, . - and _ are allowed`},
		{"ErrShortHandle", "shop@y", `UPI ID "shop@y" needs a bank handle after the @, like okicici`},
		{"ErrHandleChar", "shop@ok-icici", `UPI ID "shop@ok-icici" has '-' after the @; the bank handle is letters and digits only`},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) { AssertErr(t, gst.ValidateVPA(tc.in), "vpa", tc.msg) })
	}
}
