package main

import (
	"fmt"
	"io"

	"aiecon/model/kpi"
	"aiecon/sim"
	"aiecon/study/caveat"
)

// printAbandonedStreams says, per agent workload whose calls were
// abandoned mid-answer with tokens worth something at its prices, what
// they had streamed and whether the run billed it (price.bill_abandoned),
// from the run's abandoned_streamed_* KPIs: run's ECONOMICS and show's
// header print it, as the dashboard's run Overview does, in the words of
// study/caveat. The choice moves the token revenue, and under the default
// the calls billed nothing without a word.
func printAbandonedStreams(w io.Writer, kpis []sim.KPI, workloads []sim.WorkloadMeta) {
	for _, a := range caveat.AbandonedStreams(kpis, workloads) {
		fmt.Fprintf(w, "  %s\t%s\n", caveat.AbandonedCallsLabel, a.Text())
	}
}

// failedClause is the run's sessions line's "; 106 of them failed by the
// fleet, ..." after the abandon rate (caveat.FailedSessions), "" where no
// session failed: sessions_abandoned counts the sessions the fleet failed
// with those whose users gave up, and a strategist asks which.
func failedClause(kpis []sim.KPI) string {
	if s := caveat.FailedSessions(kpis, ""); s != "" {
		return "; " + s
	}
	return ""
}

// printFailedSessions is show's sessions line where the fleet failed some
// (failedClause): show lists the KPIs in a table, where
// sessions_abandoned and sessions_failed sit apart and read as two losses.
func printFailedSessions(w io.Writer, kpis []sim.KPI) {
	res := sim.Result{KPIs: kpis}
	abandoned, ok1 := res.KPI(kpi.SessionsAbandoned, "")
	rate, ok2 := res.KPI(kpi.SessionAbandonRate, "")
	if clause := failedClause(kpis); clause != "" && ok1 && ok2 {
		fmt.Fprintf(w, "  sessions\t%s abandoned (%s%s)\n", fmtCount(abandoned.Value), fmtPct(rate.Value), clause)
	}
}
