package caveat

import (
	"aiecon/model/format"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// AbandonedCallsLabel labels the line AbandonedStream.Text is the rest
// of, under run's ECONOMICS, in show's header and on the dashboard's run
// Overview.
const AbandonedCallsLabel = "abandoned calls"

// AbandonedStream is what one agent workload's calls abandoned after their
// first token had streamed when their users left, read from a run's
// abandoned_streamed_* KPIs: the calls, their output tokens, what those
// and their prompts come to at its token prices, and how much of that the
// run billed (price.bill_abandoned: streamed bills all of it, nothing, the
// default, none).
type AbandonedStream struct {
	Workload                            string
	Calls, OutputTokens, USD, BilledUSD float64
}

// AbandonedStreams are the streams of the given workloads, in their order,
// whose calls had streamed tokens worth something at its prices: the
// choice moves the token revenue, and under the default the calls billed
// nothing without a word. None where nothing was (the built-ins' shopping
// assistant charges no token price), nor for a run stored before the
// KPIs (they read NaN). run's report, show and the dashboard print them
// from the run's KPIs alike.
func AbandonedStreams(kpis []sim.KPI, workloads []sim.WorkloadMeta) []AbandonedStream {
	get := kpiOrNaN(kpis)
	var out []AbandonedStream
	for _, w := range workloads {
		a := AbandonedStream{Workload: w.Name, Calls: get(kpi.AbandonedStreamedCalls, w.Name),
			OutputTokens: get(kpi.AbandonedStreamedOutputTokens, w.Name), USD: get(kpi.AbandonedStreamedUSD, w.Name),
			BilledUSD: get(kpi.AbandonedStreamedBilledUSD, w.Name)}
		if a.USD > 0 {
			out = append(out, a)
		}
	}
	return out
}

// Text is the line's text after its label (AbandonedCallsLabel): the
// workload, its calls, their output tokens and their value, and whether
// the run billed it, with the setting that decides it.
func (a AbandonedStream) Text() string {
	billed := "not billed (price.bill_abandoned: nothing, the default, as no provider's rule for a cancelled stream is " +
		"assumed; streamed bills them)"
	if a.BilledUSD > 0 {
		billed = "billed, in the token revenue (price.bill_abandoned: streamed)"
	}
	return format.Visible(a.Workload) + ": " + format.Count(a.Calls) + " calls abandoned after their first token had generated " +
		format.Count(a.OutputTokens) + " output tokens, " + format.USD(a.USD) + " with their prompts at its token prices; " + billed
}
