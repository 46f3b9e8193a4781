package data

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/sim"
)

// pricedYAML is a resolved scenario of one fleet of instance under pricing,
// at its own price where own > 0.
func pricedYAML(instance, pricing string, own float64) string {
	y := "name: x\nseed: 1\nhorizon: 1h\nmodel:\n  name: llama-3.1-8b\nfleet:\n  instance: " + instance + "\n  pricing: " + pricing + "\n"
	if own > 0 {
		y += "  price_usd_per_hour: " + strconv.FormatFloat(own, 'g', -1, 64) + "\n"
	}
	return y + "workloads:\n  - name: chat\n    class: api\n    arrivals:\n      rate: 1/s\n"
}

// TestComparePricingWarning: runs that pay under different pricing models,
// or at catalog prices dated more than six months apart, are warned about
// with each one's instance, pricing model, price and date (docs/model.md,
// "Prices": a comparison should say which model each side uses); runs
// priced alike, and runs whose scenario is unknown, are not.
func TestComparePricingWarning(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	store := func(resolved string, price float64) string {
		t.Helper()
		return storePriced(t, s, resolved, price)
	}
	trn2CB := store(pricedYAML("trn2.48xlarge", "capacity-block", 0), 35.7608)
	trn2CB2 := store(pricedYAML("trn2.48xlarge", "capacity-block", 0), 35.7608)
	p5OD := store(pricedYAML("p5.48xlarge", "on-demand", 0), 55.04)
	p5OD2 := store(pricedYAML("p5.48xlarge", "on-demand", 0), 55.04)
	trn2CB3 := store(pricedYAML("trn2.48xlarge", "capacity-block", 0), 35.7608)
	p5CB := store(pricedYAML("p5.48xlarge", "capacity-block", 0), 39.33)      // late 2024
	p5enCB := store(pricedYAML("p5en.48xlarge", "capacity-block", 0), 63.158) // 2026-10-08, 5 months after trn2's 2026-05-21: close enough
	own := store(pricedYAML("p5.48xlarge", "on-demand", 30), 30)              // the scenario's price: undated
	ownCB := store(pricedYAML("trn2.48xlarge", "capacity-block", 40), 40)     // fleet.pricing changes nothing it pays
	ownOD := store(pricedYAML("p5.48xlarge", "on-demand", 40), 40)
	ownSpot := store(pricedYAML("p5.48xlarge", "spot", 40), 24)      // spot takes its discount off the own price
	p5Spot := store(pricedYAML("p5.48xlarge", "spot", 0), 27.2)      // spot at the catalog's price
	older := store(pricedYAML("p5.48xlarge", "on-demand", 0), 98.32) // a catalog before the cut
	g5OD := store(pricedYAML("g5.48xlarge", "on-demand", 0), 16.288) // no Capacity Blocks rate in the catalog
	p5enOD := store(pricedYAML("p5en.48xlarge", "on-demand", 0), 63.296)
	p5enSpot := store(pricedYAML("p5en.48xlarge", "spot", 0), 27.2) // the catalog's spot quote
	unknown := storeResolved(t, s, "x", 9, "", "test")
	for _, tt := range []struct {
		name string
		ids  []string
		want []string // in the warning; none for no warning
	}{
		{"same pricing and date", []string{trn2CB, trn2CB2}, nil},
		{"capacity blocks against on-demand", []string{trn2CB, p5OD}, []string{
			"the runs pay for their instances under different pricing models: the baseline pays trn2.48xlarge capacity-block $35.76/h " +
				"(catalog, us-east-2, 2026-05-21), run 2 pays p5.48xlarge on-demand $55.04/h (catalog, 2026-07-20); " +
				"the catalog's prices for one instance differ by up to 40% between these pricing models (p5.48xlarge: $55.04/h on-demand, $39.33/h capacity-block)",
			"--set fleet.pricing"}},
		{"no instance priced under both models", []string{trn2CB, g5OD}, []string{
			"; the catalog prices none of these instances under two of these pricing models, so how far the models alone move the cost it cannot tell, so cost"}},
		{"spot quote against on-demand", []string{p5enOD, p5enSpot}, []string{
			"differ by up to 2.3x between these pricing models (p5en.48xlarge: $63.30/h on-demand, $27.20/h spot)"}},
		{"one model, dates 18 months apart", []string{trn2CB, p5CB}, []string{
			"at prices dated about 18 months apart: the baseline pays trn2.48xlarge capacity-block $35.76/h (catalog, us-east-2, 2026-05-21), " +
				"run 2 pays p5.48xlarge capacity-block $39.33/h (catalog, us-east-1/2, late 2024); prices move between such dates " +
				"(the AWS Price List cut P5's on-demand price 44% in June 2025), and the catalog's sources date each Capacity Blocks rate once " +
				"and do not say whether such a rate moved, or which way, so cost"}},
		{"other instances priced alike", []string{trn2CB, p5enCB}, nil},
		// p5en's on-demand and Capacity Blocks prices differ by 0.2%, and
		// trn2 has no on-demand price: warned of as "up to 1.0x".
		{"models whose prices barely differ", []string{trn2CB, p5enOD}, nil},
		{"models and dates", []string{p5CB, p5OD}, []string{"under different pricing models and at prices dated about 20 months apart"}},
		{"the scenario's own price", []string{trn2CB, own}, []string{"run 2 pays p5.48xlarge on-demand $30.00/h (the scenario's own price)"}},
		{"both their own price", []string{ownCB, ownOD}, nil},
		{"own price against the catalog's of the model it names", []string{p5OD, own}, []string{
			"under different pricing models: the baseline pays p5.48xlarge on-demand $55.04/h (catalog, 2026-07-20), run 2 pays p5.48xlarge on-demand $30.00/h (the scenario's own price); " +
				"a scenario's own price (fleet.price_usd_per_hour) is a quote, not the catalog's, so cost"}},
		{"own price beside two catalog models", []string{trn2CB, p5OD, own}, []string{
			"between these pricing models (p5.48xlarge: $55.04/h on-demand, $39.33/h capacity-block), and a scenario's own price (fleet.price_usd_per_hour) is a quote, not the catalog's, so cost"}},
		{"own spot price against an own price", []string{ownSpot, ownOD}, []string{"under different pricing models"}},
		{"spot at an own price and at the catalog's", []string{ownSpot, p5Spot}, nil},
		{"an older catalog's price", []string{older, trn2CB}, []string{"the baseline pays p5.48xlarge on-demand $98.32/h (undated: not the catalog's price now)"}},
		{"unknown scenario left out", []string{trn2CB, unknown}, nil},
		{"unknown beside a difference", []string{unknown, trn2CB, p5OD}, []string{"run 2 pays trn2.48xlarge", "run 3 pays p5.48xlarge"}},
		{"runs that pay alike share a clause", []string{trn2CB, p5OD, trn2CB2, p5OD2, trn2CB3}, []string{
			": the baseline, run 3 and run 5 pay trn2.48xlarge capacity-block $35.76/h (catalog, us-east-2, 2026-05-21), " +
				"run 2 and run 4 pay p5.48xlarge on-demand $55.04/h (catalog, 2026-07-20); the catalog's"}},
	} {
		c, err := s.Compare(ctx, tt.ids)
		if err != nil {
			t.Fatal(err)
		}
		got := c.PricingWarning()
		if len(tt.want) == 0 && got != "" {
			t.Errorf("%s: warned %q", tt.name, got)
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: warning %q lacks %q", tt.name, got, w)
			}
		}
		if got != "" && !slices.Contains(c.Warnings(), got) {
			t.Errorf("%s: the warning is not among Warnings: %q", tt.name, c.Warnings())
		}
	}
}

// TestPricingWarningNaming: the dashboard names the runs by its letters.
func TestPricingWarningNaming(t *testing.T) {
	sc := func(instance, pricing string) *model.Scenario {
		s := &model.Scenario{}
		s.Fleet.Instance, s.Fleet.Pricing = instance, pricing
		return s
	}
	c := &Comparison{Pricing: [][]FleetPricing{
		FleetPricings(sc("trn2.48xlarge", "capacity-block"), func(string) float64 { return 35.7608 }),
		FleetPricings(sc("p5.48xlarge", "on-demand"), func(string) float64 { return 55.04 }),
	}}
	got := c.PricingWarningNaming([]string{"A", "B"})
	if !strings.Contains(got, ": A pays trn2.48xlarge capacity-block $35.76/h (catalog, us-east-2, 2026-05-21), B pays p5.48xlarge on-demand") {
		t.Errorf("got %q", got)
	}
}

// storePriced stores a short synthetic run of the resolved scenario that
// paid price per instance-hour (the KPI price_per_instance_hour_usd), and
// returns its id.
func storePriced(t *testing.T, s *Store, resolved string, price float64) string {
	t.Helper()
	r := newSynthRun(1, 10)
	r.Summary.KPIs = append(r.Summary.KPIs, sim.KPI{Name: "price_per_instance_hour_usd", Value: price, Unit: "USD/h"})
	w, err := s.BeginRun(context.Background(), RunInfo{Name: "x", ScenarioYAML: "name: x\n", ResolvedYAML: resolved, Seed: 1, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.play(w, 1000, true); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(1); err != nil {
		t.Fatal(err)
	}
	return w.ID()
}

// catalogPricingSpread is the most one instance's catalog prices differ
// between pricing models (on-demand, capacity blocks, reserved and the
// dated spot quote), as a ratio of its dearest to its cheapest: the
// catalog-wide figure docs/model.md ("Prices") states, read from the
// catalog so that a price change moves it. The comparison warning states
// the compared fleets' own (pricingSpread), not this.
func catalogPricingSpread() float64 {
	spread := 1.0
	for _, in := range hw.Instances() {
		lo, hi := math.Inf(1), math.Inf(-1)
		prices := []hw.Fact{in.Spot}
		for _, m := range hw.PricingModels() {
			if f, ok := in.Price(m); ok {
				prices = append(prices, f)
			}
		}
		for _, f := range prices {
			if v := f.SI(); f.Known && v > 0 {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		if hi > lo {
			spread = max(spread, hi/lo)
		}
	}
	return spread
}

// TestCatalogPricingSpread: the catalog's widest spread between one
// instance's pricing models is g5.xlarge's $1.006/h on-demand against its
// $0.348/h spot quote today (docs/model.md, "Prices").
func TestCatalogPricingSpread(t *testing.T) {
	in, err := hw.InstanceByName("g5.xlarge")
	if err != nil {
		t.Fatal(err)
	}
	g5 := in.OnDemand.SI() / in.Spot.SI()
	got := catalogPricingSpread()
	if got < g5-1e-9 {
		t.Errorf("spread %.3f is below g5.xlarge's on-demand/spot %.3f", got, g5)
	}
	for _, in := range hw.Instances() {
		for _, m := range hw.PricingModels() {
			f, ok := in.Price(m)
			if ok && in.Spot.Known && f.SI()/in.Spot.SI() > got+1e-9 {
				t.Errorf("%s %s/spot %.3f exceeds the spread %.3f", in.Name, m, f.SI()/in.Spot.SI(), got)
			}
		}
	}
	if math.IsNaN(got) || got < 1 {
		t.Errorf("spread %v", got)
	}
}

// TestModelDocPricingSpread: docs/model.md ("Prices") states the catalog's
// widest spread, "up to 2.9x", read from the catalog here, so that a price
// that moves the one moves the other.
func TestModelDocPricingSpread(t *testing.T) {
	doc, err := os.ReadFile("../docs/model.md")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("differ by up to %.1fx between", catalogPricingSpread())
	if !strings.Contains(strings.Join(strings.Fields(string(doc)), " "), want) {
		t.Errorf("docs/model.md lacks %q, the catalog's spread between pricing models", want)
	}
}
