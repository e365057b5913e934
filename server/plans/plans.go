// Package plans is what a business may use: the plans (devices, WhatsApp
// messages and AI questions a month, price, Razorpay plan id), a business's
// subscription state, and the one rule that turns that state into the
// limits in force now (a lapsed paid plan keeps its limits through a grace
// period, then falls back to free). It does no I/O of its own; Counter
// counts monthly uses over a Store that server/store implements.
package plans

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Free is the id of the plan every business has without a subscription,
// and falls back to when a paid plan lapses.
const Free = "free"

// Plan is one plan.
type Plan struct {
	ID   string `json:"id" toml:"id"`
	Name string `json:"name" toml:"name"`
	// PricePaise is the monthly price in paise, 18% GST included (0 for
	// free): what Razorpay charges, and the total of our tax invoice.
	PricePaise int64 `json:"price_paise" toml:"price_paise"`
	// Devices, WhatsApp and AI are the limits: devices signed in at once,
	// WhatsApp messages and AI questions per IST calendar month.
	Devices  int `json:"devices" toml:"devices"`
	WhatsApp int `json:"whatsapp" toml:"whatsapp"`
	AI       int `json:"ai" toml:"ai"`
	// RazorpayPlanID is the plan_… id at Razorpay that a subscription to
	// this plan uses (paid plans; `naukar-server billing sync-plans`
	// creates missing ones).
	RazorpayPlanID string `json:"razorpay_plan_id,omitempty" toml:"razorpay_plan_id"`
}

// Limits are the numbers a plan allows.
type Limits struct {
	Devices  int `json:"devices"`
	WhatsApp int `json:"whatsapp"`
	AI       int `json:"ai"`
}

// Limits returns the plan's limits.
func (p Plan) Limits() Limits { return Limits{Devices: p.Devices, WhatsApp: p.WhatsApp, AI: p.AI} }

// Paid reports whether the plan costs money.
func (p Plan) Paid() bool { return p.PricePaise > 0 }

// Config is the set of plans and the grace period.
type Config struct {
	// GraceDays is how long a lapsed paid plan (payment pending, halted,
	// cancelled, expired) keeps its limits after its paid period ends.
	GraceDays int    `json:"grace_days" toml:"grace_days"`
	Plans     []Plan `json:"plans" toml:"plans"`
}

// DefaultGraceDays is the grace period when the plans file gives none.
const DefaultGraceDays = 7

// Defaults are the built-in plans, used when NAUKAR_PLANS is unset.
func Defaults() Config {
	return Config{GraceDays: DefaultGraceDays, Plans: []Plan{
		{ID: Free, Name: "Free", Devices: 2, WhatsApp: 50, AI: 30},
		{ID: "pro", Name: "Pro", PricePaise: 49900, Devices: 5, WhatsApp: 1000, AI: 500},
		{ID: "business", Name: "Business", PricePaise: 149900, Devices: 20, WhatsApp: 5000, AI: 2000},
	}}
}

var planID = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// Validate checks the plans: unique lower-case ids, a free plan at price 0,
// at least one device everywhere, no negative numbers.
func (c Config) Validate() error {
	if c.GraceDays < 0 {
		return fmt.Errorf("grace_days is %d; it must be 0 or more", c.GraceDays)
	}
	seen := map[string]bool{}
	for i, p := range c.Plans {
		switch {
		case !planID.MatchString(p.ID):
			return fmt.Errorf("plan %d: id %q must be lower-case letters, digits, - or _ (up to 32)", i+1, p.ID)
		case seen[p.ID]:
			return fmt.Errorf("plan %q is listed twice", p.ID)
		case p.Devices < 1:
			return fmt.Errorf("plan %q: devices must be at least 1", p.ID)
		case p.WhatsApp < 0 || p.AI < 0 || p.PricePaise < 0:
			return fmt.Errorf("plan %q: price and limits cannot be negative", p.ID)
		case p.ID == Free && p.PricePaise != 0:
			return fmt.Errorf("plan %q must cost 0", Free)
		case p.ID != Free && p.PricePaise == 0:
			return fmt.Errorf("plan %q needs a price_paise (only %q is free)", p.ID, Free)
		case p.PricePaise > 0 && p.PricePaise < 100:
			return fmt.Errorf("plan %q: price_paise %d is under ₹1, which Razorpay refuses", p.ID, p.PricePaise)
		}
		seen[p.ID] = true
	}
	if !seen[Free] {
		return fmt.Errorf("the plans must include %q: businesses without a subscription and lapsed ones use it", Free)
	}
	return nil
}

// Plan returns the plan with id.
func (c Config) Plan(id string) (Plan, bool) {
	for _, p := range c.Plans {
		if p.ID == id {
			return p, true
		}
	}
	return Plan{}, false
}

// FreePlan returns the free plan (Validate guarantees there is one).
func (c Config) FreePlan() Plan {
	p, _ := c.Plan(Free)
	return p
}

// Grace is the grace period.
func (c Config) Grace() time.Duration { return time.Duration(c.GraceDays) * 24 * time.Hour }

// Load reads plans from a TOML (.toml) or JSON (.json) file; "" gives the
// built-in defaults.
func Load(path string) (Config, error) {
	if path == "" {
		return Defaults(), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("plans: %w", err)
	}
	c, err := Parse(b, strings.ToLower(filepath.Ext(path)) == ".json")
	if err != nil {
		return Config{}, fmt.Errorf("plans file %s: %w", path, err)
	}
	return c, nil
}

// Parse reads plans from TOML, or JSON when isJSON. Unknown keys are an
// error (a misspelt limit must not silently become 0).
func Parse(b []byte, isJSON bool) (Config, error) {
	c := Config{GraceDays: -1}
	if isJSON {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return Config{}, err
		}
	} else {
		md, err := toml.Decode(string(b), &c)
		if err != nil {
			return Config{}, err
		}
		if und := md.Undecoded(); len(und) > 0 {
			return Config{}, fmt.Errorf("unknown setting %q", und[0].String())
		}
	}
	if c.GraceDays == -1 {
		c.GraceDays = DefaultGraceDays
	}
	return c, c.Validate()
}
