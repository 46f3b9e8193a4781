package optimize

import (
	"fmt"
	"math"

	"aiecon/model/format"
	"aiecon/study"
)

// Estimate is the size of a search, worked out once the candidates are
// pruned and before round 1 runs: --replications 10000 started some
// 600,000 runs with nothing said, where a sweep or a forecast of that
// size is refused up front.
type Estimate struct {
	Candidates, Pruned int // candidates searched, and those pruned (never run)
	// EvalsPerCandidate is the most evaluations one candidate's search
	// makes by doubling its count up to MaxCount and bisecting (a margin
	// climb adds maxClimb; one over many points of SLO attainment, more).
	EvalsPerCandidate int
	Replications      int
	MaxCount          int
	FirstRound        int // runs of round 1: every candidate once, exactly
	Runs              int // Candidates x EvalsPerCandidate x Replications
}

// evalsPerCandidate is the evaluations of one search: ceil(log2 max)+1
// doubling (1, 2, 4, ... up to maxCount), then bisecting the last gap,
// at most half of maxCount wide, and a margin climb's maxClimb.
func evalsPerCandidate(maxCount int, objective string) int {
	steps := int(math.Ceil(math.Log2(float64(max(maxCount, 1)))))
	n := steps + 1 + max(steps-1, 0)
	if objective == ObjectiveMargin {
		n += maxClimb
	}
	return n
}

// estimate sizes the search of the candidates.
func (o *optimizer) estimate() Estimate {
	e := Estimate{Replications: o.opts.Replications, MaxCount: o.opts.MaxCount,
		EvalsPerCandidate: evalsPerCandidate(o.opts.MaxCount, o.opts.Objective)}
	for _, c := range o.res.Candidates {
		if c.Pruned != "" {
			e.Pruned++
		} else {
			e.Candidates++
		}
	}
	e.FirstRound = e.Candidates * e.Replications
	e.Runs = e.FirstRound * e.EvalsPerCandidate
	return e
}

// check refuses a search estimated past study.MaxRuns, the runs a sweep may
// have (every evaluation is a point of one stored sweep), naming the
// product and what to lower.
func (e Estimate) check() error {
	if e.Runs <= study.MaxRuns {
		return nil
	}
	return inputErr("optimize: %s x up to %s each (the count doubled, then bisected, up to --max-count %d) x %s "+
		"= up to %d runs (%d in round 1), more than the %d a search may have, as a sweep; the %d is an upper bound "+
		"(a candidate's search mostly stops sooner), but it is what is checked; lower --replications, "+
		"give fewer --instances, --tp or --max-num-seqs, or lower --max-count",
		format.Plural(e.Candidates, "candidate"), format.Plural(e.EvalsPerCandidate, "evaluation"), e.MaxCount,
		format.Plural(e.Replications, "replication"), e.Runs, e.FirstRound, study.MaxRuns, e.Runs)
}

// String is the estimate as the search announces it.
func (e Estimate) String() string {
	return fmt.Sprintf("%s to search (%d pruned) x %s: %s in round 1, at most about %d over the search "+
		"(up to %s a candidate, its count doubled then bisected up to %d)",
		format.Plural(e.Candidates, "candidate"), e.Pruned, format.Plural(e.Replications, "replication"), format.Plural(e.FirstRound, "run"), e.Runs,
		format.Plural(e.EvalsPerCandidate, "evaluation"), e.MaxCount)
}
