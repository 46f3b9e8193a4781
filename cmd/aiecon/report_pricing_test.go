package main

import (
	"strings"
	"testing"
)

// TestVariantComparisonPricing: run's COMPARISON warns, as aiecon compare
// does, when the variants pay under different pricing models, naming each
// one's pricing model, price and date (gpu-vs-trainium: trn2 on Capacity
// Blocks, p5 on-demand, said nowhere in the comparison); variants priced
// alike are not warned about. --json carries the same warning.
func TestVariantComparisonPricing(t *testing.T) {
	variant := func(name, instance, pricing string, usd float64) runReport {
		r := fakeReport(map[string]float64{"price_per_instance_hour_usd": usd, "cost_per_hour_usd": usd})
		r.l.Scenario.Name = "gpu-vs-trainium/" + name
		r.l.Scenario.Fleet.Instance, r.l.Scenario.Fleet.Pricing = instance, pricing
		return r
	}
	trn2 := variant("trn2", "trn2.48xlarge", "capacity-block", 35.7608)
	const want = "WARNING: the variants pay for their instances under different pricing models: trn2 pays trn2.48xlarge capacity-block " +
		"$35.76/h (catalog, us-east-2, 2026-05-21), p5 pays p5.48xlarge on-demand $55.04/h (catalog, 2026-07-20)"
	for _, tt := range []struct {
		name string
		reps []runReport
		want string // "" = no warning
	}{
		{"capacity blocks against on-demand", []runReport{trn2, variant("p5", "p5.48xlarge", "on-demand", 55.04)}, want},
		{"both capacity blocks of one date", []runReport{trn2, variant("p5en", "p5en.48xlarge", "capacity-block", 63.158)}, ""},
	} {
		checkComparisonWarning(t, tt.name, tt.reps, tt.want)
	}
}

// TestVariantPricingFixRuns: the variants' pricing warning says how to
// price them alike in a command run accepts, and the command runs. It
// said "--set fleet.pricing", which run refuses beside every variant of
// gpu-vs-trainium (each sets fleet.pricing).
func TestVariantPricingFixRuns(t *testing.T) {
	variant := func(name, instance, pricing string, usd float64) runReport {
		r := fakeReport(map[string]float64{"price_per_instance_hour_usd": usd, "cost_per_hour_usd": usd})
		r.l.Name, r.l.Scenario.Name = "gpu-vs-trainium", "gpu-vs-trainium/"+name
		r.l.Scenario.Fleet.Instance, r.l.Scenario.Fleet.Pricing = instance, pricing
		return r
	}
	got := variantPricingWarning([]runReport{variant("trn2", "trn2.48xlarge", "capacity-block", 35.7608),
		variant("p5", "p5.48xlarge", "on-demand", 55.04)})
	const want = "(aiecon run gpu-vs-trainium --variant trn2 --set fleet.pricing=capacity-block, and so for p5;"
	if !strings.Contains(got, want) || strings.Contains(got, "(--set fleet.pricing where") {
		t.Fatalf("warning %q\nwant it to contain %q, and not the --set run refuses", got, want)
	}
	for _, v := range []string{"trn2", "p5"} {
		args := []string{"run", "gpu-vs-trainium", "--variant", v, "--set", "fleet.pricing=capacity-block", "--no-store", "-q", "--horizon", "1s"}
		if code, _, errs := hwRun(t, "", args...); code != 0 {
			t.Errorf("%s: exit %d: %s", strings.Join(args, " "), code, errs)
		}
	}
}
