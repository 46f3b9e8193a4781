package caveat

import (
	"fmt"
	"strings"

	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// PriceFigures are what PRICED BELOW COST reads of one workload, each per
// million of its tokens billed: its token revenue, all its revenue (agent
// fees, commerce and ads too) and the cost attributed to it (NaN where a
// KPI is absent: a run stored before they existed, or one that completed
// none of the workload's calls).
type PriceFigures struct {
	Tokens, All, Cost float64
	// Arrived and Completed are the workload's requests arrived and
	// completed (NaN where absent), which tell a workload that completed
	// none, and so has no figure per Mtok, from a run without the figures.
	Arrived, Completed float64
}

// RunPriceFigures reads PriceFigures of each workload from one run's KPIs.
func RunPriceFigures(kpis []sim.KPI) func(workload string) PriceFigures {
	get := kpiOrNaN(kpis)
	return func(w string) PriceFigures {
		return PriceFigures{Tokens: get(kpi.RevenuePerMTokAPIUSD, w), All: get(kpi.RevenuePerMTokUSD, w),
			Cost: get(kpi.CostPerMTokAttributedUSD, w), Arrived: get(kpi.RequestsArrived, w), Completed: get(kpi.RequestsCompleted, w)}
	}
}

// PricedBelowCost is run's PRICED BELOW COST: each workload of sc that sets
// a token price whose tokens realised less per Mtok than the cost
// attributed to them (sim/attribute.go), by an amount that shows in whole
// percent; "" where none did. A workload that sets no price (an agent paid
// by commerce and ads, an internal tool) is unpriced by design and not
// named. The run's margin line showed the loss, but where an unpriced
// agent shares the fleet the run's cost per Mtok blends its tokens with the
// priced ones, and no line compared a workload's price with its cost.
// Where the run's margin (marginUSD) is positive all the same, the other
// workloads' revenue carries the loss, which the warning says: baseline's
// chat sells at 8% of its cost beside a shopping assistant's commerce.
func PricedBelowCost(sc *model.Scenario, fig func(workload string) PriceFigures, marginUSD float64) string {
	var parts, names []string
	elsewhere := false
	for _, w := range sc.Workloads {
		f := fig(w.Name)
		priced := w.Price.InputPerMTok > 0 || w.Price.OutputPerMTok > 0
		if !priced || !(f.Tokens < f.Cost) || coverPct(f.Tokens, f.Cost) == "100%" {
			continue // a shortfall under half a percent reads "(100%)"
		}
		part := fmt.Sprintf("%s earns %s per Mtok against %s per Mtok of attributed cost, %s of it", w.Name,
			format.USDCompact(f.Tokens), format.USDCompact(f.Cost), coverPct(f.Tokens, f.Cost))
		if f.All > f.Tokens {
			elsewhere = true
			part += fmt.Sprintf(", and %s with its agent fees, commerce and ads, %s", format.USDCompact(f.All), coverPct(f.All, f.Cost))
		}
		parts = append(parts, part)
		names = append(names, w.Name)
	}
	if len(parts) == 0 {
		return ""
	}
	tail := ""
	if elsewhere {
		tail += " Where a workload earns beside its tokens, its token price is not the whole story: read its revenue per Mtok with " +
			"those lines (revenue_per_mtok_usd) against the same cost."
	}
	if marginUSD > 0 {
		tail += " The run's margin is positive (" + format.USD(marginUSD) + ") all the same: the other revenue, of other workloads " +
			"or other lines, carries the loss."
	}
	return "PRICED BELOW COST: " + strings.Join(parts, "; ") + ". The attributed cost is an attribution, not a measurement: every cost of " +
		"the run shared among its workloads by the replica time their prefill and decode took, over each one's tokens billed " +
		"(cost_per_mtok_attributed_usd; docs/model.md, \"Costs and KPIs\"). At this fleet and load those tokens do not pay for their share: " +
		"raise " + priceFields(names) + ", or find a cheaper fleet for the traffic (aiecon optimize)." + tail
}

// PriceNotJudged is run's PRICE NOT JUDGED: each workload of sc that sets a
// token price and had requests arrive but completed none, so it billed no
// token and has no cost or revenue per Mtok (NaN), which PRICED BELOW COST
// would skip in silence; "" where none did. Its calls may still have
// taken replica time (a model mix's small model answered them and
// escalated them): the workloads that billed tokens carry it
// (sim/attribute.go).
func PriceNotJudged(sc *model.Scenario, fig func(workload string) PriceFigures) string {
	var parts, names []string
	for _, w := range sc.Workloads {
		f := fig(w.Name)
		priced := w.Price.InputPerMTok > 0 || w.Price.OutputPerMTok > 0
		if !priced || !(f.Arrived > 0) || f.Completed != 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s completed none of its %s requests", w.Name, format.Count(f.Arrived)))
		names = append(names, w.Name)
	}
	if len(parts) == 0 {
		return ""
	}
	return "PRICE NOT JUDGED: " + strings.Join(parts, "; ") + " by the end of the run, so it billed no token and has no cost per Mtok " +
		"to set its price against (cost_per_mtok_attributed_usd is NaN); the replica time its requests took, if any, is carried by " +
		"the workloads that completed requests. Lengthen the horizon, or size the fleet for the traffic (aiecon optimize), to judge " +
		priceFields(names) + "."
}

// priceFields names each workload's price field, "workloads[a].price,
// workloads[b].price and workloads[c].price": the remedy named the first
// alone, as if the others' prices were fine.
func priceFields(names []string) string {
	fields := make([]string, len(names))
	for i, n := range names {
		fields[i] = "workloads[" + n + "].price"
	}
	if len(fields) == 1 {
		return fields[0]
	}
	return strings.Join(fields[:len(fields)-1], ", ") + " and " + fields[len(fields)-1]
}

// coverPct is revenue as a share of cost, in whole percent.
func coverPct(revenue, cost float64) string {
	return fmt.Sprintf("%.0f%%", 100*revenue/cost)
}
