package optimize

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"aiecon/data"
	"aiecon/model/format"
	"aiecon/study"
)

// The search runs in rounds: each round asks every active candidate for
// the next instance count to evaluate, runs those evaluations in parallel,
// then updates every search and the best configuration found so far. The
// bound a round uses comes from the rounds before it, so what is evaluated
// does not depend on the number of workers or on which run ends first.
//
// Per candidate, with the cost objective: counts 1, 2, 4, ... until one
// meets the SLO target (or its cost exceeds the best feasible cost found so
// far: it cannot win; with the margin objective, until its instances cost
// more than its revenue ceiling leaves above the best margin: maxCount),
// then bisection between the last count that missed
// and the first that met the target, down to two neighbouring counts, both
// evaluated. SLO attainment is assumed monotone in the count (more
// instances, never worse latency), and so is session abandonment under
// --max-session-abandon (users give up on slow sessions), which holds up to
// simulation noise;
// more replications reduce that noise. With the margin objective, after the
// smallest count that meets the target, counts go up one at a time while
// the margin improves (two steps without improvement stop it; a step whose
// SLO attainment rose a point or more over the count below does not count,
// since an overloaded fleet's margin can fall before it rises).

// search is one candidate's state.
type search struct {
	lo, hi int     // largest count known to miss the target (0: none), smallest known to meet it (0: none)
	loAtt  float64 // SLO attainment at lo
	loAb   float64 // session abandon rate at lo
	climb  int     // margin objective: counts evaluated above the best without improving it (stops at maxClimb)
	above  int     // margin objective: counts evaluated above the best (climb plus the steps still catching up)
	bestN  int     // margin objective: the count with the best margin so far
	lastAt float64 // margin objective: SLO attainment of the last count climbed to
	done   bool    // nothing more to evaluate
	// ceiling is the largest revenue ceiling of the candidate's complete
	// evaluations (they share their arrivals, so they agree), known once
	// one has been read (margin objective's bound, maxCount).
	ceiling      float64
	ceilingKnown bool
}

// maxClimb is how many counts above its best the margin search tries
// without improvement before it stops.
const maxClimb = 2

// next returns the count to evaluate next, or 0 when the search is over;
// best is the best feasible evaluation of the rounds before (nil: none),
// which bounds the counts worth running (maxCount).
func (o *optimizer) next(c *Candidate, best *Eval) int {
	s := &c.search
	if s.done {
		return 0
	}
	maxN := o.maxCount(c, best)
	stop := func(why string) int {
		s.done, c.Outcome = true, why
		return 0
	}
	switch {
	case s.hi == 0 && s.lo == 0 && maxN < 1: // a free best, priced c
		return stop(o.beyondBest("one instance"))
	case s.hi == 0:
		n := 1
		if s.lo > 0 {
			n = min(2*s.lo, maxN)
		}
		if n <= s.lo || n > maxN {
			if maxN < o.opts.MaxCount {
				return stop(fmt.Sprintf("misses the target up to %s (%s there); %s", instances(s.lo), o.scoreAtLo(s), o.beyondBest("more")))
			}
			return stop(fmt.Sprintf("misses the target up to the maximum count, %s (%s there)", instances(s.lo), o.scoreAtLo(s)))
		}
		return n
	case s.hi-s.lo > 1:
		if s.lo+1 > maxN {
			return stop(fmt.Sprintf("meets the target at %s, misses it at %s; %s", instances(s.hi), instances(s.lo), o.beyondBest("the counts between")))
		}
		return min((s.lo+s.hi)/2, maxN) // never a count the bound rules out
	case o.opts.Objective == ObjectiveMargin && s.climb < maxClimb && s.bestN+s.above+1 <= maxN:
		return s.bestN + s.above + 1
	case o.opts.Objective == ObjectiveMargin && s.climb < maxClimb && s.bestN+s.above+1 <= o.opts.MaxCount:
		return stop(fmt.Sprintf("best margin at %s; %s", instances(s.bestN), o.beyondBest("more")))
	}
	if o.opts.Objective == ObjectiveMargin {
		return stop(fmt.Sprintf("best margin at %s", instances(s.bestN)))
	}
	return stop(fmt.Sprintf("meets the target from %s", instances(s.hi)))
}

// maxCount is the largest count of candidate c that can still beat best
// (nil: none yet), at most --max-count. Both bounds are sound: they never
// rule out a count that could be the answer.
//
// Cost: a static fleet costs count x price per hour (every instance paid
// the whole horizon), so a count above best's cost / price cannot win.
//
// Margin: a fleet earns at most its arrivals' revenue ceiling
// (revenue_ceiling_usd: every request and session served at once, the same
// for every count of c, sessionCeiling in package sim) and pays at least
// its instances, count x price over the horizon, training and licensing
// costing nothing less; so its margin is at most ceiling - count x price x
// hours, and a count where that is below best's margin cannot win. Not
// where that does not hold (marginBound): clients that send again when
// answered get more arrivals from a faster fleet. Spot instances are paid
// the whole horizon too (a replacement while it loads), so spot keeps it.
func (o *optimizer) maxCount(c *Candidate, best *Eval) int {
	maxN := o.opts.MaxCount
	if best == nil {
		return maxN
	}
	switch o.opts.Objective {
	case ObjectiveCost:
		if c.PriceUSDPerHour > 0 { // a free candidate costs nothing at any count
			maxN = min(maxN, floorTol(best.FleetPerHourUSD/c.PriceUSDPerHour))
		}
	case ObjectiveMargin:
		if s := &c.search; o.marginBound && s.ceilingKnown && c.PriceUSDPerHour > 0 {
			perInstance := c.PriceUSDPerHour * o.opts.Horizon.Seconds() / 3600
			maxN = min(maxN, floorTol((s.ceiling-best.MarginUSD)/perInstance))
		}
	}
	return maxN
}

// floorTol is x rounded down, with room for rounding error (a cost bound
// of exactly 5 instances computed as 4.9999999 is 5).
func floorTol(x float64) int {
	x = math.Floor(x + 1e-9*math.Abs(x))
	if x < math.MinInt32 {
		return math.MinInt32
	}
	return int(min(x, math.MaxInt32))
}

// beyondBest says why what (more counts, the counts between) was not run:
// it could not beat the best.
func (o *optimizer) beyondBest(what string) string {
	if o.opts.Objective == ObjectiveMargin {
		return what + " would cost more than the revenue ceiling leaves above the best margin"
	}
	return what + " would cost more than the best"
}

// scoreAtLo is what the largest count that missed scored: its SLO
// attainment, and its session abandonment when that is limited (a fleet
// can miss on it alone, at 100% attainment). Each prints against its
// target (format.PctAgainst), so that a miss never reads as the target:
// 98.996% under ">= 99.0%" said "(99.0% there)". Each is named, and
// called the lowest (highest) of the workloads' where several have one:
// a bare "(9.4% there)" left the reader to guess which figure it was.
func (o *optimizer) scoreAtLo(s *search) string {
	att := "SLO attainment " + format.PctAgainst(s.loAtt, o.opts.SLOTarget)
	if o.res != nil && len(o.res.SLOs) > 1 {
		att = "lowest " + att
	}
	if o.opts.MaxSessionAbandon == nil {
		return att
	}
	ab := "session abandonment " + format.PctAgainst(s.loAb, *o.opts.MaxSessionAbandon)
	if o.res != nil && len(o.res.Agents) > 1 {
		ab = "highest " + ab
	}
	return att + ", " + ab
}

func instances(n int) string {
	if n == 1 {
		return "1 instance"
	}
	return strconv.Itoa(n) + " instances"
}

// record updates a candidate's search with an evaluation.
func (o *optimizer) record(c *Candidate, e *Eval) {
	s := &c.search
	if e.Runs == 0 {
		s.done, c.Outcome = true, "its runs failed"
		return
	}
	if e.Runs == o.opts.Replications && !math.IsNaN(e.RevenueCeilingUSD) && (!s.ceilingKnown || e.RevenueCeilingUSD > s.ceiling) {
		s.ceiling, s.ceilingKnown = e.RevenueCeilingUSD, true
	}
	if !e.Feasible {
		if s.hi != 0 && e.Count > s.hi {
			// A miss above a count that met the target (attainment is
			// monotone only up to noise): in the margin climb it is a step
			// that did not improve the margin. Left uncounted, the climb
			// asked for the same count for ever.
			if e.Count > s.bestN {
				s.climb++
				s.above++
			}
			return
		}
		if e.Count > s.lo && (s.hi == 0 || e.Count < s.hi) {
			s.lo, s.loAtt, s.loAb = e.Count, e.Attainment, e.SessionAbandon
		}
		return
	}
	if s.hi == 0 || e.Count < s.hi {
		s.hi = e.Count
	}
	switch {
	case o.better(e, c.Best):
		c.Best = e
		s.bestN, s.climb, s.above = e.Count, 0, 0
		s.lastAt = e.Attainment
	case s.hi-s.lo <= 1 && e.Count > s.bestN:
		// Climbing without improving the margin. A count that still
		// serves markedly better than the one below it (SLO attainment up
		// a point or more) is catching up with an overloaded load, where
		// the margin can fall before it rises (--slo-target 0 from one
		// instance): it does not count towards the stop. Attainment is at
		// most 1, so at most a hundred such steps.
		s.above++
		if !(e.Attainment >= s.lastAt+0.01) {
			s.climb++
		}
		s.lastAt = e.Attainment // the count below the next step (bisection's counts below the best never are)
	}
}

// better orders feasible evaluations by the objective. Ties go to the
// cheaper fleet, then to the higher SLO attainment (the fleet that served
// better), then to the higher margin, then to the lower session
// abandonment, then to the earlier candidate and count (deterministic).
//
// Free fleets (fleet.price_usd_per_hour: 0, capacity already paid for)
// cost $0/h at every count, so under the cost objective the fewer
// instances come first among them: the smallest fleet that meets the
// target is what "the cheapest" means where cost ties at 0. Ranked by
// attainment, then margin, the search took the largest count it had
// evaluated (8 trn2 over the 7 that met the target too), while FREE
// FLEET named the 7 as the smallest.
//
// Margin before abandonment: at one price and one attainment (baseline on
// one p5.48xlarge met 100% at TP 2, 4 and 8 alike) the layout that keeps
// more of the revenue is the better purchase, and the margin already
// counts what abandoned sessions lost (TP 8 abandoned 18.6% for $130.71
// over 10 minutes, TP 2 38.6% for $96.41; the lowest candidate index, TP
// 2, won before). Abandonment then separates fleets of equal margin (a
// scenario without prices). A latency percentile is not read back from
// the sweep, so it breaks no tie: SLO attainment is what stands for
// latency in the search.
func (o *optimizer) better(a, b *Eval) bool {
	if b == nil {
		return a.Feasible
	}
	if !a.Feasible {
		return false
	}
	if o.opts.Objective == ObjectiveMargin && a.MarginUSD != b.MarginUSD {
		return a.MarginUSD > b.MarginUSD
	}
	if a.FleetPerHourUSD != b.FleetPerHourUSD {
		return a.FleetPerHourUSD < b.FleetPerHourUSD
	}
	if o.opts.Objective == ObjectiveCost && a.FleetPerHourUSD == 0 && a.Count != b.Count {
		return a.Count < b.Count
	}
	if differ(a.Attainment, b.Attainment) {
		return a.Attainment > b.Attainment
	}
	if differ(a.MarginUSD, b.MarginUSD) {
		return a.MarginUSD > b.MarginUSD
	}
	if differ(a.SessionAbandon, b.SessionAbandon) {
		return a.SessionAbandon < b.SessionAbandon
	}
	if a.Candidate != b.Candidate {
		return a.Candidate < b.Candidate
	}
	return a.Count < b.Count
}

// differ says whether two figures are both defined and different: an
// undefined one (NaN) breaks no tie.
func differ(x, y float64) bool {
	return x != y && !math.IsNaN(x) && !math.IsNaN(y)
}

// run drives the rounds.
func (o *optimizer) run(ctx context.Context) (*Result, error) {
	res := o.res
	for round := 1; ; round++ {
		best := res.Best // the bound of this round: the rounds before's best
		type want struct{ c, n int }
		var todo []want
		active := 0
		for i, c := range res.Candidates {
			if c.Pruned != "" {
				continue
			}
			// A count evaluated before (a margin climb passing a count the
			// bisection saw) is recorded again without running.
			n := o.next(c, best)
			for n != 0 {
				e, seen := o.evals[[2]int{i, n}]
				if !seen {
					break
				}
				o.record(c, e)
				prev := n
				if n = o.next(c, best); n == prev {
					return res, fmt.Errorf("optimize: the search of %s asked for %s again (a bug)", c.Layout, instances(n))
				}
			}
			if n == 0 {
				continue
			}
			active++
			todo = append(todo, want{i, n})
		}
		if len(todo) == 0 {
			if active > 0 {
				return nil, fmt.Errorf("optimize: the search stalled in round %d (a bug)", round)
			}
			res.Rounds = round - 1
			return res, nil
		}
		var evs []*Eval
		for _, w := range todo {
			c := res.Candidates[w.c]
			e := &Eval{Candidate: w.c, Layout: c.Layout, Count: w.n, Point: len(res.Evals), Sets: o.evalSets(c, w.n)}
			o.evals[[2]int{w.c, w.n}] = e
			res.Evals = append(res.Evals, e)
			evs = append(evs, e)
		}
		if err := o.evaluate(ctx, round, evs); err != nil {
			return res, err
		}
		for _, e := range evs {
			c := res.Candidates[e.Candidate]
			o.record(c, e)
			if o.better(e, res.Best) {
				res.Best = e
			}
		}
		if o.opts.Progress != nil {
			act := 0
			for _, c := range res.Candidates {
				if c.Pruned == "" && !c.search.done {
					act++
				}
			}
			o.opts.Progress(Round{N: round, Evals: len(evs), Total: len(res.Evals), Active: act, Best: res.Best})
		}
	}
}

// evaluate stores the new configurations as points of the sweep, runs them
// and reads back their KPIs.
func (o *optimizer) evaluate(ctx context.Context, round int, evs []*Eval) error {
	res := o.res
	zip := make([]study.Axis, len(o.paths))
	for i, p := range o.paths {
		zip[i].Path = p
	}
	for _, e := range res.Evals {
		for i, v := range o.overrides(res.Candidates[e.Candidate], e.Count) {
			val, err := study.ValueOf(v)
			if err != nil {
				return err
			}
			zip[i].Values = append(zip[i].Values, val)
		}
	}
	o.spec.Zip = zip
	frozen, err := o.spec.Freeze(o.spec.Seed)
	if err != nil {
		return err
	}
	plan, err := study.PlanFromFrozen(o.spec.Name, frozen)
	if err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	first := evs[0].Point
	var newPts []string
	var only []int
	for _, pt := range plan.Points[first:] {
		newPts = append(newPts, pt.ParamsJSON())
		only = append(only, pt.Index)
	}
	store := o.opts.Store
	if res.SweepID == "" {
		res.SweepID = data.NewID()
		if _, err := study.Register(ctx, store, plan, res.SweepID); err != nil {
			return err
		}
	} else if got, err := store.ExtendSweep(ctx, res.SweepID, string(frozen), newPts); err != nil {
		return err
	} else if got != first {
		return fmt.Errorf("optimize: sweep %s has %d points, expected %d", res.SweepID, got, first)
	}
	exec := study.Options{Store: store, SweepID: res.SweepID, Workers: o.opts.Workers, Version: o.opts.Version, Points: only}
	if o.opts.RunProgress != nil {
		exec.Progress = func(p study.Progress) { o.opts.RunProgress(round, p) }
	}
	out, err := study.Execute(ctx, plan, exec)
	if err != nil {
		return err
	}
	if out.Interrupted {
		return ctx.Err()
	}
	sum, err := study.Summarize(ctx, store, res.SweepID, plan, study.ShardSpec{})
	if err != nil {
		return err
	}
	for _, e := range evs {
		o.readEval(e, &sum.Points[e.Point])
	}
	return nil
}

// readEval sets an evaluation's figures from its point's summary (the
// KPIs in sweepKPIs' order) and whether it meets the constraints.
func (o *optimizer) readEval(e *Eval, ps *study.PointStats) {
	res := o.res
	e.Runs = ps.Runs
	e.CostPerHourUSD, e.MarginUSD, e.RevenueUSD = ps.KPIs[0].Mean, ps.KPIs[1].Mean, ps.KPIs[2].Mean
	e.RevenueCeilingUSD = ps.KPIs[5].Mean
	e.MarginHalfWidth = ps.KPIs[1].HalfWidth
	e.Margins = make([]float64, len(ps.Values))
	for r, rv := range ps.Values {
		e.Margins[r] = math.NaN()
		if rv != nil {
			e.Margins[r] = rv[1]
		}
	}
	// Price per instance-hour x instances paid on average: the
	// instances' cost over the simulated time, a drained run's too
	// (divided by the horizon, a fleet that drained longer read dearer).
	e.FleetPerHourUSD, e.HeldPerHourUSD = ps.KPIs[3].Mean*ps.KPIs[4].Mean, 0
	if pools := ps.KPIs[6+len(res.SLOs)+3*len(res.Agents)+1:]; len(pools) >= 4 { // sweepKPIs' pools, the main one first
		e.FleetPerHourUSD = pools[0].Mean * pools[1].Mean
		for i := 2; i+1 < len(pools); i += 2 {
			e.HeldPerHourUSD += pools[i].Mean * pools[i+1].Mean
		}
	}
	nSLO := 6 + len(res.SLOs) // sweepKPIs' order
	iv, at := lowestAttainment(ps.KPIs[6:nSLO])
	e.Attainment, e.AttainmentHalfWidth, e.AttainmentLow, e.AttainmentHigh = iv.Mean, iv.HalfWidth, iv.Low(), iv.High()
	e.AttainmentWorkload = ""
	if at >= 0 {
		e.AttainmentWorkload = res.SLOs[at]
	}
	nAgents := nSLO + len(res.Agents)
	var worst int
	var tied bool
	e.SessionAbandon, worst, tied = highestAbandon(ps.KPIs[nSLO:nAgents])
	e.SessionAbandonWorkload, e.SessionFailWorkload = "", ""
	if worst >= 0 {
		e.SessionFailWorkload = res.Agents[worst]
		if !tied {
			e.SessionAbandonWorkload = res.Agents[worst]
		}
	}
	e.Attainments, e.Abandons = byName(res.SLOs, ps.KPIs[6:nSLO]), byName(res.Agents, ps.KPIs[nSLO:nAgents])
	e.CommerceUSD = ps.KPIs[nAgents].Mean
	e.SessionFail, e.SessionsFailed = math.NaN(), math.NaN()
	if worst >= 0 {
		// Each agent's session_fail_rate follows the commerce revenue, and
		// its sessions_failed follow those.
		e.SessionFail = ps.KPIs[nAgents+1+worst].Mean
		e.SessionsFailed = ps.KPIs[nAgents+1+len(res.Agents)+worst].Mean
	}
	e.Feasible = o.feasible(e)
}

// feasible says whether an evaluation meets the search's constraints:
// every run complete, SLO attainment at least the target (when there is
// one) and session abandonment at most its limit (when there is one). An
// undefined figure (NaN: no request, or no session, ended) meets neither.
func (o *optimizer) feasible(e *Eval) bool {
	if e.Runs != o.opts.Replications {
		return false
	}
	if o.opts.SLOTarget > 0 && !(e.Attainment >= o.opts.SLOTarget) {
		return false
	}
	if l := o.opts.MaxSessionAbandon; l != nil && !(e.SessionAbandon <= *l) {
		return false
	}
	return true
}

// Describe is the configuration as a reader would say it.
func (e *Eval) Describe() string {
	return strconv.Itoa(e.Count) + " x " + e.Layout.String()
}

// lowestAttainment is the lowest SLO attainment of the workloads' with its
// interval, and the index of its workload: NaN and -1 when no workload has
// an SLO or none had a request end, which meets no target (it was +Inf,
// which met every one). The index is -1 too where workloads share the
// lowest (baseline's chat and shopping-assistant both at 100%): naming
// the first of them "worst" would be arbitrary.
func lowestAttainment(ivs []study.Interval) (study.Interval, int) {
	low, at, tied := study.Interval{Mean: math.Inf(1), HalfWidth: math.NaN()}, -1, false
	for i, iv := range ivs {
		switch {
		case iv.Mean < low.Mean:
			low, at, tied = iv, i, false
		case iv.Mean == low.Mean:
			tied = true
		}
	}
	if at < 0 {
		return study.Interval{Mean: math.NaN(), HalfWidth: math.NaN()}, -1
	}
	if tied {
		return low, -1
	}
	return low, at
}

// byName are the means of ivs by the names of the workloads they are of,
// in the same order.
func byName(names []string, ivs []study.Interval) map[string]float64 {
	m := make(map[string]float64, len(names))
	for i, n := range names {
		m[n] = ivs[i].Mean
	}
	return m
}

// highestAbandon is the highest session abandon rate of the agent
// workloads': NaN when there is none or none had a session end, which
// meets no limit. A workload with no session ended is passed over, as
// lowestAttainment passes over one with no request ended.
// It returns the workload's index too (-1 where none), whose
// session_fail_rate Eval.SessionFail reads: the first of those that share
// the highest, which tied says, so that the rate names no workload then
// (lowestAttainment's rule).
func highestAbandon(ivs []study.Interval) (high float64, at int, tied bool) {
	high, at = math.NaN(), -1
	for i, iv := range ivs {
		switch {
		case math.IsNaN(iv.Mean):
		case iv.Mean > high || math.IsNaN(high):
			high, at, tied = iv.Mean, i, false
		case iv.Mean == high:
			tied = true
		}
	}
	return high, at, tied
}
