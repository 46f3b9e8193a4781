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
