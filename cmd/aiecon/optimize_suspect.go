package main

import (
	"fmt"
	"io"
	"math"
	"strings"

	"aiecon/study/optimize"
)

// optimize searched a scenario whose values run warns of without a word:
// with workloads[chat].slo.tpot=10ms, below the fastest step any candidate
// takes, it doubled each candidate's count to 256 instances, every
// evaluation at 0% for that workload, and advised "raise --max-count". The
// SUSPECT VALUE checks read the scenario alone (suspectValues), so they are
// applied once, before round 1: an SLO no candidate can meet refuses the
// search, the others are printed as warnings.

// checkOptimizeSuspects prints, on w, the SUSPECT VALUE warnings on the
// scenario a prepared search sizes a fleet for (optimizeSuspects), and
// refuses the search, as bad input, where an SLO target is below the
// fastest step of every candidate and the search needs SLO attainment
// (--slo-target above 0): no count of any of them meets it.
func checkOptimizeSuspects(w io.Writer, search *optimize.Search, sloTarget float64) error {
	warnings, unmeetable := optimizeSuspects(search)
	if sloTarget > 0 && len(unmeetable) > 0 {
		return badInput("no fleet can meet the SLO target %g: %s No count of any candidate makes a step faster, so the search "+
			"would run each to its largest count for nothing; fix the target, or search without one (--slo-target 0)",
			sloTarget, strings.Join(unmeetable, " "))
	}
	for _, s := range append(warnings, unmeetable...) {
		fmt.Fprintln(w, "aiecon: warning: "+s)
	}
	return nil
}

// optimizeSuspects are run's SUSPECT VALUE checks on a search's scenario at
// its evaluation horizon, the SLO targets among them (unmeetable) judged
// against the fastest step of any candidate rather than the scenario's own
// fleet, which the search replaces. The fleet's size is the search's to
// choose, so suspectFleetSize does not apply; its own price applies to the
// candidates of its instance type.
func optimizeSuspects(search *optimize.Search) (warnings, unmeetable []string) {
	sc := search.Scenario()
	warnings = append(suspectInstancePrices(sc), suspectTokenPrices(sc)...)
	warnings = append(warnings, suspectArrivals(sc)...)
	p, n, ok := candidatesPace(search.Candidates())
	if !ok {
		return warnings, nil
	}
	if n > 1 {
		p.fleet = fmt.Sprintf("the fastest of the %d candidates, %s", n, p.fleet)
		p.fleetNext = fmt.Sprintf("the fastest of the %d candidates, %s", n, p.fleetNext)
	}
	for _, s := range suspectAgainstPace(sc, p) {
		if strings.Contains(s, ".slo.") {
			unmeetable = append(unmeetable, s)
		} else {
			warnings = append(warnings, s)
		}
	}
	return warnings, unmeetable
}

// candidatesPace is the fastest pace of the candidates not pruned (each
// at its resolved scenario), with how many there are; ok is false where
// none is left or one's step cannot be priced. Candidates that differ in
// max_num_seqs alone take the same fastest step (one token), so each
// instance type and TP degree is priced once.
func candidatesPace(cs []*optimize.Candidate) (p pace, n int, ok bool) {
	p.first, p.next = math.Inf(1), math.Inf(1)
	priced := map[[2]any]pace{}
	for _, c := range cs {
		sc := c.Resolved()
		if c.Pruned != "" || sc == nil {
			continue
		}
		n++
		key := [2]any{c.Instance, c.TP}
		cp, seen := priced[key]
		if !seen {
			if cp, ok = fastestPace(sc); !ok {
				return pace{}, 0, false
			}
			priced[key] = cp
		}
		if cp.first < p.first {
			p.first, p.fleet = cp.first, cp.fleet
		}
		if cp.next < p.next {
			p.next, p.fleetNext, p.perStep = cp.next, cp.fleetNext, cp.perStep
		}
	}
	return p, n, n > 0
}
