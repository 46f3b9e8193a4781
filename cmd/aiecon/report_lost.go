package main

import (
	"fmt"
	"io"

	"aiecon/model"
	"aiecon/model/kpi"
)

// printLostToLatency prints the revenue lost to latency, to queueing and
// to service time, where the run has agent sessions or lost any API or
// batch request (docs/model.md, Revenue lost to latency), saying what it
// covers: the sessions that ended and the API and batch requests dropped or
// timed out, which would have billed their tokens without contention.
func (r runReport) printLostToLatency(tw io.Writer) {
	sessions := r.kpi(kpi.SessionsStarted, "") > 0
	if !sessions && !(r.kpi(kpi.RevenueLostToLatencyUSD, "") > 0) {
		return
	}
	lost := fmtUSD(r.kpi(kpi.RevenueLostToLatencyUSD, ""))
	if !sessions { // only tokens can be lost, and only to queueing
		fmt.Fprintf(tw, "  lost to latency\t%s, all to queueing (tokens): API/batch requests dropped or timed out, which the same fleet "+
			"without contention would have served; a token price does not move with latency\n", lost)
		return
	}
	fmt.Fprintf(tw, "  lost to latency\t%s against an instantaneous model, over %s\n", lost, r.lostCovers())
	r.printLost(tw, "to queueing", "same fleet without contention", kpi.RevenueLostToQueueingUSD, kpi.MarginLostToQueueingUSD,
		kpi.RevenueLostToQueueingAPIUSD, kpi.RevenueLostToQueueingAgentFeesUSD, kpi.RevenueLostToQueueingCommerceUSD, kpi.RevenueLostToQueueingAdsUSD)
	r.printLost(tw, "to service time", "instantaneous model against no contention", kpi.RevenueLostToServiceTimeUSD, kpi.MarginLostToServiceTimeUSD,
		kpi.RevenueLostToServiceTimeAPIUSD, kpi.RevenueLostToServiceTimeAgentFeesUSD, kpi.RevenueLostToServiceTimeCommerceUSD, kpi.RevenueLostToServiceTimeAdsUSD)
}

// lostCovers says what a run with sessions counts lost revenue over: the
// sessions that ended, and the API and batch requests dropped or timed out
// where it has such workloads.
func (r runReport) lostCovers() string {
	for _, w := range r.l.Scenario.Workloads {
		if w.Class != model.ClassAgent {
			return "sessions that ended and API/batch requests dropped or timed out"
		}
	}
	return "sessions that ended"
}

// printLost prints one cause of revenue lost to latency: the revenue with
// its lines (tokens, agent fees, commerce, ads) beside it, then the
// margin, which nets revenue shares and document fees and so is not the sum
// of those lines (docs/model.md, Revenue lost to latency).
func (r runReport) printLost(tw io.Writer, cause, against, revenue, margin, api, fees, commerce, ads string) {
	fmt.Fprintf(tw, "    %s\t%s (tokens %s, agent fees %s, commerce %s, ads %s), margin %s: %s\n", cause,
		fmtUSD(r.kpi(revenue, "")), fmtUSD(r.kpi(api, "")), fmtUSD(r.kpi(fees, "")),
		fmtUSD(r.kpi(commerce, "")), fmtUSD(r.kpi(ads, "")), fmtUSD(r.kpi(margin, "")), against)
}
