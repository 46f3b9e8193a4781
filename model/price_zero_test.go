package model

import (
	"strconv"
	"strings"
	"testing"
)

// TestZeroPriceIsAPrice: an hourly price of 0 written in a file is a
// price (capacity already paid for, or free), not "not given"; a price
// left out, or null, is the catalog's (nil); a negative one is refused at
// its line and column, naming the field.
func TestZeroPriceIsAPrice(t *testing.T) {
	fleet := func(sc *Scenario) *float64 { return sc.Fleet.PriceUSDPerHour }
	training := func(sc *Scenario) *float64 { return sc.Training.PriceUSDPerHour }
	pool := func(sc *Scenario) *float64 { return sc.Pools[0].Fleet.PriceUSDPerHour }
	cases := []struct {
		name, base, old, new string
		price                func(*Scenario) *float64
		want                 *float64 // nil: absent, the catalog's
		err                  string   // "" when it loads
	}{
		{"fleet absent", validScenario, "", "", fleet, nil, ""},
		{"fleet 0", validScenario, "count: 2", "count: 2\n  price_usd_per_hour: 0", fleet, USD(0), ""},
		{"fleet null", validScenario, "count: 2", "count: 2\n  price_usd_per_hour: null", fleet, nil, ""},
		{"fleet 12.5", validScenario, "count: 2", "count: 2\n  price_usd_per_hour: 12.5", fleet, USD(12.5), ""},
		{"owned at 0", validScenario, "count: 2", "count: 2\n  pricing: owned\n  price_usd_per_hour: 0", fleet, USD(0), ""},
		{"spot at 0", validScenario, "count: 2", "count: 2\n  pricing: spot\n  spot: {discount: 0}\n  price_usd_per_hour: 0", fleet, USD(0), ""},
		{"owned absent", validScenario, "count: 2", "count: 2\n  pricing: owned", fleet, nil, "fleet.price_usd_per_hour: required with pricing: owned"},
		{"fleet negative", validScenario, "count: 2", "count: 2\n  price_usd_per_hour: -1", fleet, nil, "t.yaml:6:23: fleet.price_usd_per_hour: -1 is not a price"},
		{"training absent", agentScenario, "ads: {bidders: 4}", "ads: {bidders: 4}\ntraining: {tokens: 1e9}", training, nil, ""},
		{"training 0", agentScenario, "ads: {bidders: 4}", "ads: {bidders: 4}\ntraining: {tokens: 1e9, price_usd_per_hour: 0}", training, USD(0), ""},
		{"training negative", agentScenario, "ads: {bidders: 4}", "ads: {bidders: 4}\ntraining: {tokens: 1e9, price_usd_per_hour: -2}", training, nil,
			"t.yaml:20:45: training.price_usd_per_hour: -2 is not a price"},
		{"pool 0", mixScenario, "count: 2,", "count: 2, price_usd_per_hour: 0,", pool, USD(0), ""},
		{"pool absent", mixScenario, "", "", pool, nil, ""},
		{"pool negative", mixScenario, "count: 2,", "count: 2, price_usd_per_hour: -3,", pool, nil, "t.yaml:6:66: pools[0].fleet.price_usd_per_hour: -3 is not a price"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(c.base, c.old, c.new, 1)
			if c.old != "" && src == c.base {
				t.Fatalf("%q is not in the scenario", c.old)
			}
			sc, _, err := Load("t.yaml", []byte(src), testCatalog{})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("want an error with %q, got %v", c.err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := c.price(sc)
			if (got == nil) != (c.want == nil) || got != nil && *got != *c.want {
				t.Errorf("price %s, want %s", showPrice(got), showPrice(c.want))
			}
		})
	}
}

func showPrice(p *float64) string {
	if p == nil {
		return "absent (the catalog's)"
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}
