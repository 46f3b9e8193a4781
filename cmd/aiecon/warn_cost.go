package main

import (
	"aiecon/model/kpi"
	"aiecon/study/caveat"
)

// pricedBelowCost is run's PRICED BELOW COST warning
// (caveat.PricedBelowCost) for its workloads' KPIs.
func (r runReport) pricedBelowCost() string {
	return caveat.PricedBelowCost(r.l.Scenario, caveat.RunPriceFigures(r.res.KPIs), r.count(kpi.MarginUSD))
}

// priceNotJudged is run's PRICE NOT JUDGED warning (caveat.PriceNotJudged):
// a priced workload that completed no request has no figures per Mtok,
// which PRICED BELOW COST skips.
func (r runReport) priceNotJudged() string {
	return caveat.PriceNotJudged(r.l.Scenario, caveat.RunPriceFigures(r.res.KPIs))
}
