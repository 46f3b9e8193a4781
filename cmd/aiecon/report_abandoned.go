package main

import (
	"fmt"
	"io"

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
