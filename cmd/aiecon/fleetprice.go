package main

import (
	"fmt"
	"io"
	"math"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// fleetPriceDate is " (catalog, WHEN)" for a fleet whose price per
// instance-hour, usd, is the catalog's: when the price was read, with its
// region where it is not us-east-1, as hw list prints them. Catalog prices
// go stale at different paces (the Capacity Blocks rates that still price
// p5 and p5e are of late 2024, the on-demand prices of 2026), and a line
// that printed "$39.33/h each" alone read as today's. A spot fleet priced
// at the catalog's dated spot quote gives the quote's date; one priced at
// on-demand less the scenario's discount, the on-demand price's. "" where
// the scenario sets its own price, and where usd is not what the catalog
// gives now (a stored run priced under an older catalog): no date then
// rather than a wrong one.
func fleetPriceDate(f model.Fleet, usd float64) string {
	if f.PriceUSDPerHour > 0 || !format.Defined(usd) {
		return ""
	}
	in, err := hw.InstanceByName(f.Instance)
	if err != nil {
		return ""
	}
	now, _, err := in.HourlyPrice(f.Pricing, 0, f.SpotDiscount())
	if err != nil || !samePrice(now, usd) {
		return ""
	}
	if f.Pricing != hw.PricingSpot {
		p, _ := in.Price(f.Pricing)
		return " (catalog, " + priceWhen(p) + ")"
	}
	if in.Spot.Known && samePrice(in.Spot.SI(), usd) {
		return " (catalog spot quote, " + priceWhen(in.Spot) + ")"
	}
	return fmt.Sprintf(" (catalog on-demand, %s, less the %.0f%% spot discount)", priceWhen(in.OnDemand), 100*f.SpotDiscount())
}

// samePrice says whether two prices per hour agree to rounding.
func samePrice(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }

// priceWhen is a catalog price's region (where not us-east-1) and date, as
// hw list prints them beside the price: "us-east-2, 2026-10-08".
func priceWhen(f hw.Fact) string { return priceRegion(f) + f.Date }

// printRunPrices writes a stored run's price per instance-hour of each
// fleet, dated as the run report dates it (fleetPriceDate), for show's
// header: its KPI table gives the number alone. Nothing where the resolved
// scenario could not be read (sc nil) or the run stored no price.
func printRunPrices(tw io.Writer, sc *model.Scenario, kpis []sim.KPI) {
	if sc == nil {
		return
	}
	value := func(scope string) float64 {
		for _, k := range kpis {
			if k.Name == kpi.PricePerInstanceHourUSD && k.Scope == scope {
				return k.Value
			}
		}
		return math.NaN()
	}
	for _, p := range sc.ServingPools() {
		scope, label := "", ""
		if len(sc.Pools) > 0 {
			scope, label = kpi.ModelScope(p.Name), "model "+p.Name+": "
		}
		usd := value(scope)
		if !format.Defined(usd) {
			continue
		}
		fmt.Fprintf(tw, "  price\t%s%s %s %s/h per instance%s\n", label, p.Fleet.Instance, p.Fleet.Pricing, fmtUSD(usd), fleetPriceDate(*p.Fleet, usd))
	}
}

// storedScenario is a stored run's resolved scenario, nil where it has
// none or it no longer parses (a run stored by another version): show
// then leaves out what it would have said from it.
func storedScenario(resolvedYAML string) *model.Scenario {
	if resolvedYAML == "" {
		return nil
	}
	sc, _, err := model.Parse("stored scenario", []byte(resolvedYAML))
	if err != nil {
		return nil
	}
	return sc
}
