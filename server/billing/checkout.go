package billing

import (
	"context"
	_ "embed"
	"html/template"
	"net/url"

	"github.com/ainaukar/naukar/app/gst"
)

//go:embed checkout.html
var checkoutHTML string

var checkoutTmpl = template.Must(template.New("checkout").Parse(checkoutHTML))

// checkoutPage is what the checkout page shows.
type checkoutPage struct {
	Token          string
	KeyID          string
	SubscriptionID string
	PlanName       string
	Price          string
	CheckoutJS     string
	Nonce          string
}

// checkoutPage looks up a checkout by its page token.
func (m *Module) checkoutPage(ctx context.Context, token string) (checkoutPage, error) {
	if m.rzp == nil {
		return checkoutPage{}, errNotConfigured
	}
	c, err := m.store.CheckoutByToken(ctx, token)
	if err != nil {
		return checkoutPage{}, err
	}
	p, _ := m.plans.Plan(c.Plan)
	return checkoutPage{Token: token, KeyID: m.rzp.KeyID(), SubscriptionID: c.SubscriptionID, PlanName: p.Name,
		Price: gst.FormatINR(p.PricePaise), CheckoutJS: m.checkoutJS}, nil
}

// origin is the scheme and host of a URL ("" when it has none).
func origin(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return ""
	}
	return p.Scheme + "://" + p.Host
}
