package tui

import (
	"math"

	"aiecon/model/kpi"
	"aiecon/sim"
)

// deltaTone colours a change of a KPI against its baseline.
func deltaTone(name string, delta float64) tone {
	if undefined(delta) || delta == 0 {
		return toneMuted
	}
	// The catalog says which way is better; an unknown KPI is neutral.
	d := kpi.Better(name)
	switch {
	case d == kpi.Neutral:
		return toneNone
	case (delta > 0) == (d == kpi.HigherBetter):
		return toneGood
	}
	return toneBad
}

// deltaArrow marks the direction of a change so that it reads without colour.
func deltaArrow(delta float64) string {
	switch {
	case undefined(delta) || delta == 0:
		return " "
	case delta > 0:
		return "▲"
	}
	return "▼"
}

// headlineKPIs are the whole-run KPIs the Compare screen shows first, in
// the order a strategist reads them: unit economics, money, latency (with
// the sessions users gave up on, which an SLO met by those who stayed does
// not show), load. Requests timed out follow those dropped: both are
// requests lost, which revenue lost to queueing values.
var headlineKPIs = []string{
	kpi.CostPerMTokUSD, kpi.RevenueUSD, kpi.CostUSD, kpi.MarginUSD, kpi.GrossMargin,
	kpi.RevenueAPIUSD, kpi.RevenueAgentFeesUSD, kpi.RevenueCommerceUSD, kpi.RevenueAdsUSD,
	kpi.RevenueLostToLatencyUSD, kpi.RevenueLostToQueueingUSD, kpi.RevenueLostToServiceTimeUSD, kpi.CostInstancesUSD, kpi.CostTrainingUSD, kpi.CostLicensingUSD,
	kpi.CostPerHourUSD, kpi.TTFTP50S, kpi.TTFTP99S, kpi.TPOTP99S, kpi.E2EP99S, kpi.SLOAttainment, kpi.SessionAbandonRate,
	kpi.ThroughputRPS, kpi.GoodputRPS, kpi.OutputTokensPerS, kpi.BatchOccupancy, kpi.Utilization, kpi.RequestsCompleted,
	kpi.RequestsDropped, kpi.RequestsTimedOut, kpi.InstancesAvg,
}

// kpiSet indexes a run's KPIs by scope and name.
type kpiSet map[[2]string]sim.KPI

func newKPISet(ks []sim.KPI) kpiSet {
	m := make(kpiSet, len(ks))
	for _, k := range ks {
		m[[2]string{k.Scope, k.Name}] = k
	}
	return m
}

// get returns the value of a KPI, NaN when the run does not have it.
func (s kpiSet) get(scope, name string) float64 {
	if k, ok := s[[2]string{scope, name}]; ok {
		return k.Value
	}
	return math.NaN()
}
