package main

import (
	"fmt"
	"io"
	"math"

	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// printRunPrices writes a stored run's price per instance-hour of each
// fleet, dated as the run report dates it (sim.FleetPriceDate), for show's
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
		fmt.Fprintf(tw, "  price\t%s%s %s %s/h per instance%s\n", label, p.Fleet.Instance, p.Fleet.Pricing, fmtUSD(usd), sim.FleetPriceDate(*p.Fleet, usd))
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
