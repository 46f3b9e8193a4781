package caveat

import (
	"aiecon/model/format"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// FailedSessions says how many of scope's abandoned sessions the fleet
// failed (a model call dropped or timed out in the queue) rather than
// their users' patience, from the sessions_failed and session_fail_rate
// KPIs: "106 of them failed by the fleet, 10.6% of those ended: a call
// dropped or timed out". sessions_abandoned counts both, so run's
// sessions line, show's and the dashboard's say it beside it; "" where
// none failed, or the run was stored before the KPI.
func FailedSessions(kpis []sim.KPI, scope string) string {
	get := kpiOrNaN(kpis)
	n := get(kpi.SessionsFailed, scope)
	if !(n > 0) {
		return ""
	}
	return format.Count(n) + " of them failed by the fleet, " + format.Pct(get(kpi.SessionFailRate, scope)) +
		" of those ended: a call dropped or timed out"
}
