package main

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/econ"
	"aiecon/model/format"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// borrowedTokenPrices says which workloads are billed at the list price of
// a catalog model that does not serve them: a scenario's token price is
// written out, not looked up, so `--set model=...` (or a variant's) keeps
// the old model's price, and the margin reads as if the new model sold at
// it. A price that is also the list price of a model serving the workload
// is its own (Llama 3.1 70B and 3.3 70B list alike), and a price no model
// lists is the scenario's choice: neither is warned of.
func borrowedTokenPrices(sc *model.Scenario) []string {
	var out []string
	for _, w := range sc.Workloads {
		lists := econ.ListPricesAt(w.Price.InputPerMTok, w.Price.OutputPerMTok)
		if len(lists) == 0 {
			continue
		}
		served := servingModels(sc, w.Name)
		var others []string
		for _, p := range lists {
			if served[p.Model] {
				others = nil
				break
			}
			others = append(others, p.Model)
		}
		if len(others) == 0 {
			continue
		}
		out = append(out, fmt.Sprintf("TOKEN PRICE OF ANOTHER MODEL: workloads[%s] is billed %s, the Bedrock list price of %s, but is "+
			"served by %s, so its revenue is at another model's price. Set workloads[%s].price to what this model's tokens sell at "+
			"(docs/hardware.md lists the Bedrock prices).",
			w.Name, fmtMTokPrice(w.Price.InputPerMTok, w.Price.OutputPerMTok), strings.Join(others, " and "),
			servedListPrices(served), w.Name))
	}
	return out
}

// servingModels are the catalog names of the models that can answer a
// workload's requests: the main model without pools; the pool
// routing.workloads sends it to (the main pool when it names none) under
// rule workload; every pool's under the rules that split by request.
func servingModels(sc *model.Scenario, workload string) map[string]bool {
	pools := sc.ServingPools()
	if sc.Routing != nil && sc.Routing.Rule == model.RuleWorkload {
		pool := sc.MainPoolName()
		for _, it := range sc.Routing.Workloads {
			if fmt.Sprint(it.Key) == workload {
				pool = fmt.Sprint(it.Value)
			}
		}
		for _, p := range pools {
			if p.Name == pool {
				return map[string]bool{p.Model.Name: true}
			}
		}
	}
	out := map[string]bool{}
	for _, p := range pools {
		out[p.Model.Name] = true
	}
	return out
}

// servedListPrices names each serving model with its list price, or says
// the catalog has none, in the models' order.
func servedListPrices(served map[string]bool) string {
	var parts []string
	for _, m := range modelNames(served) {
		if p, err := econ.LookupListPrice(m); err == nil {
			parts = append(parts, fmt.Sprintf("%s (listed at %s)", m, fmtMTokPrice(p.InputUSDPerMTok, p.OutputUSDPerMTok)))
		} else {
			parts = append(parts, m+" (no Bedrock list price in the catalog)")
		}
	}
	return format.ListAnd(parts)
}

// fmtMTokPrice is an input / output price per million tokens, as
// docs/hardware.md writes them ("$0.72 / $0.72 per Mtok in / out").
func fmtMTokPrice(in, out float64) string {
	usd := func(v float64) string { return "$" + strconv.FormatFloat(v, 'f', -1, 64) }
	return usd(in) + " / " + usd(out) + " per Mtok in / out"
}

// modelNames are a set of model names, sorted, so a warning reads the same
// on every run.
func modelNames(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for m := range set {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// pricesOfDifferentDates is optimize's and compare's warning on prices
// dated more than hw.MaxPriceMonths apart (hw.DifferentDates), over the
// catalog prices one run rests on: each serving fleet's, and, where a spot
// fleet pays the catalog's spot quote, the on-demand price its spot
// discount is measured against. A p4d spot run paid the 2024-09-28 quote,
// 72% below the on-demand price of then, 58% below today's, which no
// source states, and run said nothing while optimize and compare warn.
// "" where the prices are close in date, or the scenario sets its own.
func (r runReport) pricesOfDifferentDates() string {
	sc := r.l.Scenario
	var names, instances []string
	var facts []hw.Fact
	var blocks []bool
	for _, p := range sc.ServingPools() {
		scope := ""
		if len(sc.Pools) > 0 {
			scope = kpi.ModelScope(p.Name)
		}
		usd := r.kpi(kpi.PricePerInstanceHourUSD, scope)
		f, ok := sim.FleetCatalogPrice(*p.Fleet, usd)
		if !ok {
			continue
		}
		names = append(names, fmt.Sprintf("%s's %s price $%.2f/h", p.Fleet.Instance, p.Fleet.Pricing, usd))
		facts = append(facts, f)
		blocks = append(blocks, p.Fleet.Pricing == hw.PricingCapacityBlock)
		if !slices.Contains(instances, p.Fleet.Instance) {
			instances = append(instances, p.Fleet.Instance)
		}
		in, err := hw.InstanceByName(p.Fleet.Instance)
		if err == nil && p.Fleet.Pricing == hw.PricingSpot && in.Spot.Known && f.Date == in.Spot.Date && in.OnDemand.Known {
			names = append(names, fmt.Sprintf("the on-demand price its %.0f%% spot discount is taken against ($%.2f/h)",
				100*p.Fleet.SpotDiscount(), in.OnDemand.SI()))
			facts = append(facts, in.OnDemand)
			blocks = append(blocks, false)
		}
	}
	head := hw.DifferentDates(names, facts, blocks)
	if head == "" {
		return ""
	}
	return head + ", so this run's cost may rest on prices never on offer together: check them (aiecon hw show " + strings.Join(instances, ", ") +
		") against a current quote, and give fleet.price_usd_per_hour (or fleet.spot.discount) from it."
}
