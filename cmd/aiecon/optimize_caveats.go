package main

import (
	"fmt"
	"math"
	"slices"
	"strings"

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
	return grossCommerceWarning(res.Scenario, b.CommerceUSD, b.RevenueUSD)
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
	fig := func(w string) abandonFigures {
		f := abandonFigures{share: math.NaN(), abandoned: math.NaN(), ended: math.NaN(), slo: math.NaN()}
		if v, ok := b.Abandons[w]; ok {
			f.share = v
		}
		if v, ok := b.Attainments[w]; ok {
			f.slo = v
		}
		return f
	}
	return sessionsAbandonedWarning(res.Scenario, fig, 0)
}

// schedulerWords say how each scheduler batches, for the note on
// schedulers that differ between candidates.
var schedulerWords = map[string]string{
	"vllm":           "continuous batching with chunked prefill",
	"neuron":         "one prefill at a time, decoding paused while it runs",
	"neuron-chunked": "continuous batching with chunked prefill on padded shapes",
	"static":         "static batches",
}

// schedulerNote names the scheduler each instance type's candidates ran
// under when the candidates evaluated ran under more than one: the search
// keeps the scenario's scheduler settings on its own accelerator family
// and each other family's defaults (neuron on Trainium, vllm on GPUs), so
// a ranking across families is one of chip and scheduler together, not
// of the chips alone. "" when one scheduler ran them all.
func schedulerNote(res *optimize.Result) string {
	var scheds []string
	types := map[string][]string{}
	for _, c := range evaluatedCandidates(res) {
		if c.Scheduler == "" {
			continue
		}
		if _, ok := types[c.Scheduler]; !ok {
			scheds = append(scheds, c.Scheduler)
		}
		if !slices.Contains(types[c.Scheduler], c.Instance) {
			types[c.Scheduler] = append(types[c.Scheduler], c.Instance)
		}
	}
	if len(scheds) < 2 {
		return ""
	}
	parts := make([]string, len(scheds))
	for i, s := range scheds {
		verb := " under " // "trn2.48xlarge ran under neuron; p5.48xlarge under vllm"
		if i == 0 {
			verb = " ran under "
		}
		parts[i] = strings.Join(types[s], " and ") + verb + s
		if w, ok := schedulerWords[s]; ok {
			parts[i] += " (" + w + ")"
		}
	}
	return fmt.Sprintf("SCHEDULERS DIFFER: %s; the scenario's scheduler settings apply to its own "+
		"accelerator family, the others run their family's defaults, so the ranking compares each chip with its scheduler, "+
		"not the chips alone.", strings.Join(parts, "; "))
}
