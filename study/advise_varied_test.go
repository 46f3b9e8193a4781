package study

import (
	"context"
	"strings"
	"testing"
)

// TestAdviceOnAVariedField: an error advising to --set a field the sweep
// varies (listed, zipped or drawn) advises changing the values the file
// gives it, at their line: the --set it advised is refused (each point
// sets the field after it), and so is adding the field to the sweep's
// set. Where the field is not varied, the --set still works and stays
// the advice.
func TestAdviceOnAVariedField(t *testing.T) {
	const head = "name: s\nbase: baseline\nset: {horizon: 1m}\n"
	const owned = "name: s\nbase: baseline\nset: {horizon: 1m, fleet.pricing: owned}\n"
	const price = "fleet.price_usd_per_hour: required with pricing: owned: what an owned server costs its owner per hour " +
		"(depreciation, power, facility and operations) has no catalog figure; give it, e.g. "
	cases := []struct {
		name, spec string
		sets       []string
		want       string
	}{
		{"a price listed as null", owned + "parameters:\n  fleet.price_usd_per_hour: [null, 30]\n", nil,
			"point 0 (fleet.price_usd_per_hour=null): s.yaml:5:30: parameter fleet.price_usd_per_hour=null: " + price +
				"fleet.price_usd_per_hour: N (USD per server-hour), among the values the sweep lists for it " +
				"(parameters.fleet.price_usd_per_hour at s.yaml:5:3), not with a --set, which each point overrides"},
		{"owned pricing a --set gives", head + "parameters:\n  fleet.price_usd_per_hour: [null, 30]\n", []string{"fleet.pricing=owned"},
			"point 0 (fleet.price_usd_per_hour=null): s.yaml:5:30: parameter fleet.price_usd_per_hour=null: " + price +
				"fleet.price_usd_per_hour: N (USD per server-hour), among the values the sweep lists for it " +
				"(parameters.fleet.price_usd_per_hour at s.yaml:5:3)"},
		{"a zipped price", head + "zip:\n  fleet.pricing: [owned, owned]\n  fleet.price_usd_per_hour: [null, 30]\n", nil,
			"fleet.price_usd_per_hour: N (USD per server-hour), among the values the sweep lists for it " +
				"(zip.fleet.price_usd_per_hour at s.yaml:6:3)"},
		{"a listed window", head + "parameters:\n  window: [30s, 2m]\n", nil,
			"point 1 (window=2m): s.yaml:5:17: parameter window=2m: window: 2m is longer than the horizon 1m (allowed: 1s up to the horizon); " +
				"shorten it with the horizon, e.g. window: 1m, among the values the sweep lists for it (parameters.window at s.yaml:5:3), " +
				"not with a --set, which each point overrides"},
		{"a drawn window", head + "montecarlo:\n  samples: 2\n  parameters:\n    window: {dist: choice, values: [30s, 2m]}\n", nil,
			"e.g. window: 1m, within the distribution the sweep draws it from (montecarlo.parameters.window at s.yaml:7:5)"},
		// Not varied: a --set of the price mends every point.
		{"a price no point varies", head + "parameters:\n  fleet.pricing: [capacity-block, owned]\n", nil,
			"parameter fleet.pricing=owned: " + price + "--set fleet.price_usd_per_hour=N (USD per server-hour)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sp, err := ParseSpec("s.yaml", []byte(c.spec), t.TempDir(), c.sets)
			if err != nil {
				t.Fatal(err)
			}
			p, err := NewPlan(sp)
			if err == nil {
				err = p.Validate(context.Background(), nil)
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v\nwant it to contain %q", err, c.want)
			}
		})
	}
}
