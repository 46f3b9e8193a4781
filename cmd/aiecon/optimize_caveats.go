package main

import (
	"math"

	"aiecon/study/caveat"
	"aiecon/study/optimize"
)

// commerceNote is run's COMMERCE COUNTED GROSS (grossCommerceWarning) for
// the best fleet's revenue: the margin the search ranks (the objective,
// or the tie-break at one price) is mostly commerce on baseline (98% of
// its revenue), every order of a converted session where the scenario
// leaves value.incremental unset, and a fleet that saves more sessions
// from abandonment is credited with all of their orders. "" without a
// best, or where its commerce is not gross.
func commerceNote(res *optimize.Result) string {
	b := res.Best
	if b == nil || res.Scenario == nil {
		return ""
	}
	return caveat.GrossCommerce(res.Scenario, b.CommerceUSD, b.RevenueUSD)
}

// bestAbandonedNote is run's SESSIONS ABANDONED (sessionsAbandonedWarning)
// for the best fleet's agent workloads: baseline's best on p4de.24xlarge
// abandoned 44.7% of its shopping sessions while meeting its SLOs, and
// optimize said nothing of it where no fleet it evaluated abandoned 5
// points fewer (FEWER SESSIONS ABANDONED, abandonNote). Its figures are
// means over the replications, so no counts; "" without a best.
func bestAbandonedNote(res *optimize.Result) string {
	b := res.Best
	if b == nil || res.Scenario == nil {
		return ""
	}
	fig := func(w string) caveat.AbandonFigures {
		f := caveat.AbandonFigures{Share: math.NaN(), Abandoned: math.NaN(), Ended: math.NaN(), Failed: math.NaN(), SLO: math.NaN()}
		if v, ok := b.Abandons[w]; ok {
			f.Share = v
		}
		if v, ok := b.Attainments[w]; ok {
			f.SLO = v
		}
		return f
	}
	return caveat.SessionsAbandoned(res.Scenario, fig, 0)
}

// schedulerNote names the scheduler each instance type's candidates ran
// under when the candidates evaluated ran under more than one
// (caveat.Schedulers): the search keeps the scenario's scheduler settings
// on its own accelerator family and each other family's defaults (neuron
// on Trainium, vllm on GPUs), so a ranking across families is one of chip
// and scheduler together, not of the chips alone. "" when one scheduler
// ran them all.
func schedulerNote(res *optimize.Result) string {
	var fleets []caveat.FleetScheduler
	for _, c := range evaluatedCandidates(res) {
		fleets = append(fleets, caveat.FleetScheduler{Instance: c.Instance, Scheduler: c.Scheduler})
	}
	return caveat.Schedulers(fleets, "the scenario's scheduler settings apply to its own "+
		"accelerator family, the others run their family's defaults, so the ranking compares each chip with its scheduler, "+
		"not the chips alone.")
}
