package forecast

import (
	"testing"

	kpicat "aiecon/model/kpi"
)

// TestCostPerMTokMeansTheKPI: a period's cost_per_mtok_usd is every cost
// (infrastructure, licensing, training) per million tokens, as the run KPI
// of that name; for a rented fleet of one slice it is that KPI exactly,
// but for the licensing counted for the steps that the sessions still
// running at the slice's end had left (unfinished.go).
// cost_per_mtok_infra_usd is the infrastructure's alone. The forecast's
// cost_per_mtok_usd was infrastructure only: owned-trn2's quarter 5 read
// $317k of cost per its tokens against the KPI's $359k.
func TestCostPerMTokMeansTheKPI(t *testing.T) {
	f := parse(t, `name: cpm
base: baseline
periods: {count: 1, length: month}
day: {slices: 1, horizon: 3m}
roadmap:
  - {from: 1, set: {training.every: 30d, training.tokens: 2e9, training.where: dedicated}}
variants:
  - {name: rented, procurement: {mode: rented, min: 4, max: 4}}
  - name: owned
    procurement: {mode: owned, initial: 4}
    ownership: {server_usd: 200000, facility_usd_per_kw_month: 100, ops_usd_per_year: 10000}
`)
	runs, periods := execute(t, f)
	for i, p := range periods {
		infra := p.CostRentUSD + p.CostDepreciationUSD + p.CostPowerUSD + p.CostFacilityOpsUSD
		tests := []struct {
			name      string
			got, want float64
		}{
			{"cost_per_mtok_usd", float64(p.CostPerMTokUSD), p.CostUSD / p.MTok},
			{"cost_per_mtok_infra_usd", float64(p.CostPerMTokInfraUSD), infra / p.MTok},
		}
		if p.Variant == "rented" {
			tests = append(tests, struct {
				name      string
				got, want float64
			}{"the run's KPI, with the licensing counted for unfinished sessions' steps left", float64(p.CostPerMTokUSD),
				runs[i].KPIs[kpicat.CostPerMTokUSD] + p.LicensingUnfinishedUSD/p.MTok})
		}
		if p.CostTrainingUSD <= 0 || p.CostLicensingUSD <= 0 {
			t.Fatalf("%s: training %v, licensing %v: the test needs both", p.Variant, p.CostTrainingUSD, p.CostLicensingUSD)
		}
		for _, tt := range tests {
			if !near(tt.got, tt.want) {
				t.Errorf("%s: %s %v, want %v", p.Variant, tt.name, tt.got, tt.want)
			}
		}
	}
}
