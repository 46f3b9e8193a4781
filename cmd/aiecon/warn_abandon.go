package main

import (
	"aiecon/model/kpi"
	"aiecon/study/caveat"
)

// sessionsAbandoned is run's SESSIONS ABANDONED warning
// (caveat.SessionsAbandoned) for its workloads' KPIs.
func (r runReport) sessionsAbandoned() string {
	return caveat.SessionsAbandoned(r.l.Scenario, caveat.RunAbandonFigures(r.res.KPIs), r.count(kpi.RevenueLostToLatencyUSD))
}
