package forecast

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/sim"
)

// RentStep is a fleet's rental price from a period on: its pricing model
// (rentPricing) and where the price comes from, as run's FLEET line
// dates it (sim.FleetPriceDate: " (catalog, us-east-2, 2026-10-08)"), or,
// where the plan sets its own price, the catalog price it equals
// ("(the plan's; the catalog's on-demand price, 2026-07-20)") or "".
type RentStep struct {
	From       int     `json:"from"`
	USDPerHour float64 `json:"usd_per_hour"`
	Pricing    string  `json:"pricing"`
	Source     string  `json:"source,omitempty"`
}

// rentSteps are a variant's rental prices: period 1's, then each period
// whose roadmap changes the fleet's instance, pricing or price (a rate
// cut from year 2, say). The
// FLEET table printed period 1's alone, undated, while the costs paid the
// cut. Only the roadmap's fleet.* overrides are applied, all a price
// depends on: a training block can refuse the variant's placeholder count.
func (f *Forecast) rentSteps(vp *VariantPlan) []RentStep {
	var out []RentStep
	for k := 1; k <= f.Spec.Periods.Count; k++ {
		sc := f.fleetScenario(vp, k)
		if sc == nil {
			continue
		}
		st := RentStep{From: k, USDPerHour: scenarioRent(sc)}
		st.Pricing, st.Source = rentPricing(sc.Fleet, st.USDPerHour)
		if n := len(out); n == 0 || out[n-1].USDPerHour != st.USDPerHour || out[n-1].Pricing != st.Pricing {
			out = append(out, st)
		}
	}
	return out
}

// rentPricing names the pricing model of a fleet's price and where the
// price comes from. A catalog price is fleet.pricing's, dated. A price the
// plan sets is fleet.pricing's only as far as we know: a plan that sets
// p5en's on-demand price (63.296) over a base priced at the Capacity
// Blocks rate (63.158) kept the base's fleet.pricing, and the note read
// "capacity-block 63.3 (the plan's)" while the Capacity Blocks note was
// skipped for the fleet. So a set price that equals a catalog price of the
// instance is named by that price's model (fleet.pricing's when it is one
// of them) and dated; a spot price, fleet.pricing's discount off the set
// price, stays spot; any other keeps fleet.pricing, the model the run
// was simulated under, with nothing in the catalog to say otherwise.
func rentPricing(fl model.Fleet, usd float64) (pricing, source string) {
	if fl.PriceUSDPerHour <= 0 || fl.Pricing == hw.PricingSpot {
		return fl.Pricing, strings.TrimSpace(sim.FleetPriceDate(fl, usd))
	}
	in, err := hw.InstanceByName(fl.Instance)
	if err != nil {
		return fl.Pricing, ""
	}
	var matches []string
	for _, m := range hw.PricingModels() {
		if p, ok := in.Price(m); ok && samePrice(p.SI(), usd) {
			matches = append(matches, m)
		}
	}
	if len(matches) == 0 {
		return fl.Pricing, ""
	}
	pricing = matches[0]
	if slices.Contains(matches, fl.Pricing) {
		pricing = fl.Pricing
	}
	p, _ := in.Price(pricing)
	return pricing, fmt.Sprintf("(the plan's; the catalog's %s price, %s)", pricing, hw.PriceWhen(p))
}

// samePrice says whether two prices per hour agree to rounding.
func samePrice(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }

// fleetScenario is a variant's scenario in period k under the forecast's
// and the variant's sets and the fleet.* overrides of its roadmap so far;
// nil if it does not load.
func (f *Forecast) fleetScenario(vp *VariantPlan, k int) *model.Scenario {
	return f.scenarioIn(vp, k, func(set string) bool { return strings.HasPrefix(set, "fleet.") })
}

// rentNote says what each fleet's RENT USD/h is: its pricing model, where
// the price comes from, and the periods from which the roadmap changes it
// ("28 from quarter 4"). "" without a priced fleet.
func (r *Report) rentNote() string {
	var parts []string
	for _, fe := range r.Fleets {
		if len(fe.Rent) == 0 {
			continue
		}
		part := fe.Variant + " " + r.rentStep(fe.Rent[0], "")
		for i, st := range fe.Rent[1:] {
			part += ", " + r.rentStep(st, fe.Rent[i].Pricing)
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return ""
	}
	return "RENT USD/h is period 1's; by fleet, its pricing, where it comes from and the roadmap's changes: " + strings.Join(parts, "; ")
}

// rentStep prints a price step: its pricing when it is not the one before,
// the price, from when (after period 1), and its source.
func (r *Report) rentStep(st RentStep, prev string) string {
	s := money(st.USDPerHour)
	if st.Pricing != prev {
		s = st.Pricing + " " + s
	}
	if st.From > 1 {
		s += fmt.Sprintf(" from %s %d", r.PeriodLen, st.From)
	}
	src := st.Source
	if src == "" {
		src = "(the plan's)"
	}
	return s + " " + src
}
