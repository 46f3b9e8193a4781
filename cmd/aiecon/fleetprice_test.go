package main

import (
	"path/filepath"
	"strings"
	"testing"

	"aiecon/model"
)

// TestFleetPriceDated: the run report printed "capacity-block $39.33/h
// each" for p5.48xlarge, a Capacity Blocks rate of late 2024, beside
// on-demand prices of 2026, with nothing to tell them apart; hw list dated
// it. The FLEET line and show's header now date the price (and name its
// region where it is not us-east-1), as hw list does.
func TestFleetPriceDated(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.duckdb")
	p5 := []string{"--set", "fleet.instance=p5.48xlarge", "--set", "fleet.replica.tp=8", "--set", "fleet.replica.scheduler=vllm"}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{append([]string{"--set", "fleet.pricing=capacity-block"}, p5...), "4 x p5.48xlarge, capacity-block $39.33/h each (catalog, us-east-1/2, late 2024)"},
		{nil, "4 x trn2.48xlarge, capacity-block $35.76/h each (catalog, us-east-2, 2026-10-08)"},
	} {
		code, out, errs := cli(t, db, "", append([]string{"run", "baseline", "--horizon", "20s"}, tt.args...)...)
		if code != 0 {
			t.Fatalf("run %v: exit %d: %s", tt.args, code, errs)
		}
		if !strings.Contains(out, tt.want) {
			t.Errorf("run %v does not say %q:\n%s", tt.args, tt.want, out)
		}
		code, shown, errs := cli(t, db, "", "show", "last")
		if code != 0 {
			t.Fatalf("show: exit %d: %s", code, errs)
		}
		_, date, _ := strings.Cut(tt.want, "/h each ")
		if !strings.Contains(shown, "/h per instance "+date+"\n") {
			t.Errorf("show of run %v does not date its price %s:\n%s", tt.args, date, shown)
		}
	}
}

// fleetPriceDate dates the catalog price the fleet pays: the spot quote
// when the discount is the catalog's, on-demand less the scenario's
// discount otherwise; nothing for the scenario's own price or a price the
// catalog no longer gives.
func TestFleetPriceDate(t *testing.T) {
	spot := func(d float64) *model.Spot { return &model.Spot{Discount: d} }
	for _, tt := range []struct {
		name string
		f    model.Fleet
		usd  float64
		want string
	}{
		{"capacity block", model.Fleet{Instance: "p5e.48xlarge", Pricing: "capacity-block"}, 43.26, " (catalog, us-east-2, late 2024)"},
		{"reserved", model.Fleet{Instance: "trn1.32xlarge", Pricing: "reserved"}, 8.197, " (catalog, since 2024-09-16)"},
		{"spot quote", model.Fleet{Instance: "p4d.24xlarge", Pricing: "spot", Spot: spot(1 - 9.279/21.957642)}, 9.279, " (catalog spot quote, 2024-09-28)"},
		{"spot discount", model.Fleet{Instance: "p5.48xlarge", Pricing: "spot", Spot: spot(0.5)}, 27.52, " (catalog on-demand, 2026-07-20, less the 50% spot discount)"},
		{"scenario's price", model.Fleet{Instance: "p5.48xlarge", Pricing: "on-demand", PriceUSDPerHour: 30}, 30, ""},
		{"older catalog", model.Fleet{Instance: "p5.48xlarge", Pricing: "on-demand"}, 98.32, ""},
	} {
		if got := fleetPriceDate(tt.f, tt.usd); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
