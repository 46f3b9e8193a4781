package main

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"aiecon/model/format"
	"aiecon/study/optimize"
)

// noiseNote warns when the best meets the SLO target by less than its
// noise. Over replications that is the 95% interval of its attainment
// (study.ProportionCI) reaching below the target (inferentia-small's 7 x
// g5.xlarge read 99.05% on three replications against 99%, the interval
// 0.47 points either side); on one, which measures no spread, a margin
// under half the shortfall from 100% (it met 99.0% at seed 1 and missed at
// seeds 2-4 and over an hour).
func noiseNote(res *optimize.Result) string {
	b := res.Best
	if b == nil || res.SLOTarget <= 0 {
		return ""
	}
	over := b.Attainment - res.SLOTarget
	if lo := b.AttainmentLow; res.Replications >= 2 && !math.IsNaN(lo) {
		if lo >= res.SLOTarget {
			return ""
		}
		return fmt.Sprintf("NEAR THE TARGET: %s meets %s by %.2f points on %s of %s, inside its 95%% interval (%.2f%% to %.2f%%); "+
			"more --replications or a longer --horizon says whether it holds", b.Describe(), fmtTarget(res.SLOTarget),
			100*over, plural(res.Replications, "replication"), res.Horizon, 100*lo, 100*b.AttainmentHigh)
	}
	if over >= (1-res.SLOTarget)/2 {
		return ""
	}
	return fmt.Sprintf("NEAR THE TARGET: %s meets %s by %.2f points on %s of %s, within what another seed moves; "+
		"--replications 5 or a longer --horizon says whether it holds", b.Describe(), fmtTarget(res.SLOTarget),
		100*over, plural(res.Replications, "replication"), res.Horizon)
}

// marginNote says, under the margin objective, which fleets of another
// price the best cannot be told from: neighbouring fleets are often within
// the noise (baseline's trn2 best moved from 2 to 6 instances with the
// seed), and a cheaper one so tied is the same answer at a lower price.
// Every feasible fleet is compared with the best (marginTies), not only
// the runner-up by mean: on baseline, 3 x p5.48xlarge trailed the best 2 x
// by a nearly constant $1.31 (one instance's cost), so its gap cleared
// zero, while 1 x, at half the best's price, trailed by $1.18 ± $3.89 and
// led on one seed, and the note said nothing. The cheaper tied fleets are
// named, cheapest first; with none, the tied fleet of a higher price with
// the highest margin.
func marginNote(res *optimize.Result) string {
	b := res.Best
	if b == nil || res.Objective != optimize.ObjectiveMargin {
		return ""
	}
	ties := marginTies(res)
	if len(ties) == 0 {
		return ""
	}
	paired := res.Replications >= 2
	head, tail := "CLOSE MARGINS", "more --replications tells them apart"
	if !paired {
		head, tail = "ONE SEED'S MARGIN", "one replication measures no noise, and a seed can reorder fleets this close: --replications 5 gives intervals"
	}
	var cheaper []marginTie
	for _, t := range ties {
		if t.e.FleetPerHourUSD < b.FleetPerHourUSD {
			cheaper = append(cheaper, t)
		}
	}
	if len(cheaper) == 0 {
		t := slices.MaxFunc(ties, func(x, y marginTie) int { return cmp.Compare(x.e.MarginUSD, y.e.MarginUSD) })
		return fmt.Sprintf("%s: %s, at %s/h, earns %s less over %s, %s; %s", head, t.e.Describe(), fmtUSD(t.e.FleetPerHourUSD),
			fmtUSD(t.gap), res.Horizon, t.within(b, paired), tail)
	}
	first := cheaper[0]
	note := fmt.Sprintf("%s: a cheaper fleet, %s, at %s/h against the best's %s/h, earns %s less over %s, %s", head,
		first.e.Describe(), fmtUSD(first.e.FleetPerHourUSD), fmtUSD(b.FleetPerHourUSD), fmtUSD(first.gap), res.Horizon, first.within(b, paired))
	const listed = 3 // cheaper fleets named beside the first
	var also []string
	for _, t := range cheaper[1:min(len(cheaper), 1+listed)] {
		gap := fmtUSD(t.gap) + " less"
		if paired {
			gap += ", ±" + fmtUSD(t.hw)
		}
		also = append(also, fmt.Sprintf("%s at %s/h (%s)", t.e.Describe(), fmtUSD(t.e.FleetPerHourUSD), gap))
	}
	if len(also) > 0 {
		note += "; so do " + strings.Join(also, ", ")
		if more := len(cheaper) - 1 - len(also); more > 0 {
			note += fmt.Sprintf(" and %s more", plural(more, "cheaper fleet"))
		}
	}
	return note + "; the best's lead may be noise: " + tail
}

// marginTie is a feasible fleet whose margin the evaluations cannot tell
// from the best's: gap is the best's margin less its own (paired by seed
// over replications), hw the half-width of the gap's 95% interval (NaN on
// one replication).
type marginTie struct {
	e       *optimize.Eval
	gap, hw float64
}

// within says why the tie is one: the paired interval, or on one
// replication the gap's share of the best's margin.
func (t marginTie) within(best *optimize.Eval, paired bool) string {
	if paired {
		return fmt.Sprintf("within the 95%% interval of the difference paired by seed (±%s)", fmtUSD(t.hw))
	}
	rel, why := format.RelChange(best.MarginUSD-t.gap, best.MarginUSD)
	if why != "" || math.IsNaN(rel) {
		// A share of a margin at or next to zero, or of one the tie's is on
		// the other side of zero from, means nothing (1,000% of $0.10).
		if !(math.Abs(best.RevenueUSD) > 0) {
			return fmt.Sprintf("%s apart (the best's margin, %s, is too near zero for a share of it, and it earns no revenue)",
				fmtUSD(t.gap), fmtUSD(best.MarginUSD))
		}
		return fmt.Sprintf("%s of the best's revenue (its margin, %s, is too near zero for a share of it)",
			fmtPct(t.gap/math.Abs(best.RevenueUSD)), fmtUSD(best.MarginUSD))
	}
	return fmt.Sprintf("%s of the best's margin", fmtPct(-rel))
}

// marginTies are the feasible fleets of another price than the best's
// whose margin is within the noise of the best's, cheapest first, one per
// price (of its layouts so tied, the one that earned most): one that
// differs from the best only in its replica layout is the same purchase.
// Over replications, which run on shared seeds (replication r of every
// evaluation on one seed), a fleet is tied when the interval of its gap
// paired by seed (optimize.PairedMarginGap) reaches zero. One replication
// measures no noise: there a gap under 5% of the best's revenue is within
// what a seed moves (revenue moves by a share of itself, commerce 2.3%
// over an hour of baseline, more over shorter runs), so a thin margin can
// be overturned by a gap far larger than a share of the margin.
func marginTies(res *optimize.Result) []marginTie {
	b := res.Best
	byPrice := map[float64]marginTie{}
	for _, e := range res.Evals {
		if !e.Feasible || e.FleetPerHourUSD == b.FleetPerHourUSD {
			continue
		}
		t := marginTie{e: e, gap: b.MarginUSD - e.MarginUSD, hw: math.NaN()}
		if res.Replications >= 2 {
			t.gap, t.hw = optimize.PairedMarginGap(b, e)
			if math.IsNaN(t.hw) || t.gap > t.hw {
				continue
			}
		} else if !(t.gap < 0.05*math.Abs(b.RevenueUSD)) {
			continue
		}
		if prev, ok := byPrice[e.FleetPerHourUSD]; !ok || e.MarginUSD > prev.e.MarginUSD {
			byPrice[e.FleetPerHourUSD] = t
		}
	}
	ties := make([]marginTie, 0, len(byPrice))
	for _, t := range byPrice {
		ties = append(ties, t)
	}
	slices.SortFunc(ties, func(x, y marginTie) int { return cmp.Compare(x.e.FleetPerHourUSD, y.e.FleetPerHourUSD) })
	return ties
}

// noFleetNote says that no fleet met the target and which flags widen it:
// where a session abandonment limit bound, the lowest abandonment evaluated.
func noFleetNote(res *optimize.Result) string {
	if least := abandonBinds(res); least != nil {
		lead := fmt.Sprintf("NO FLEET MET THE TARGET: the lowest session abandonment evaluated was %s%s (%s, at %s/h), above the limit %s; ",
			abandonPct(res, least.SessionAbandon), worstAgent(res, least.SessionAbandonWorkload), least.Describe(), fmtUSD(least.FleetPerHourUSD),
			fmtTarget(*res.MaxSessionAbandon))
		if least.SessionFail > 0 {
			// The fleet's failures are no floor: more instances (or queue
			// room) drop and time out fewer calls. The share is of one
			// workload's sessions, named where there are several.
			ended := "the sessions"
			if len(res.Agents) > 1 && least.SessionFailWorkload != "" {
				ended = least.SessionFailWorkload + "'s sessions"
			}
			return lead + fmt.Sprintf("%s of %s that ended there the fleet failed (a call dropped at queue_limit or timed out "+
				"past queue_timeout), which a larger fleet (--max-count) or more queue room does bring lower; the other %s, users "+
				"out of patience, a larger fleet may not: raise --max-count, or --max-session-abandon (see each candidate below)",
				fmtPct(least.SessionFail), ended, fmtPct(least.SessionAbandon-least.SessionFail))
		}
		return lead + fmt.Sprintf("users abandon some sessions at any fleet size (their patience), so a larger fleet (--max-count) "+
			"may not bring it lower: --max-session-abandon should be at least %s (see each candidate below)", abandonPct(res, least.SessionAbandon))
	}
	if flat, all := res.Plateaus(); all {
		return plateauNote(res, flat)
	}
	widen := "raise --max-count or lower --slo-target"
	if res.MaxSessionAbandon != nil {
		widen = "raise --max-count or --max-session-abandon, or lower --slo-target"
	}
	return fmt.Sprintf("NO FLEET MET THE TARGET (see each candidate below; %s)", widen)
}

// worstWorkload is " (worst workload: NAME)" after an evaluation's SLO
// attainment where several workloads have an SLO: the figure is the lowest
// of theirs, which the search ranks and the target bounds, not the run's
// over all its requests that show and run print (baseline's best read
// 99.3% here, shopping-assistant's, and 99.5% in show). "" with one
// workload under an SLO, whose figure is the run's, and where several
// share the lowest (the search names none of them: none is the worst).
func worstWorkload(res *optimize.Result, e *optimize.Eval) string {
	if len(res.SLOs) < 2 || e.AttainmentWorkload == "" {
		return ""
	}
	return " (worst workload: " + e.AttainmentWorkload + ")"
}

// worstAgent is " (worst workload: NAME)" after an evaluation's session
// abandonment where several workloads are agents: the figure is the
// highest of theirs (Eval.SessionAbandonWorkload), which the limit
// bounds, and read bare as every agent's. "" with one agent workload, and
// where name is "" (none ended a session, or several share the highest).
func worstAgent(res *optimize.Result, name string) string {
	if len(res.Agents) < 2 || name == "" {
		return ""
	}
	return " (worst workload: " + name + ")"
}

// abandonBinds returns, when no fleet is feasible and the session
// abandonment limit is what kept out a fleet that met the SLO target, the
// evaluated fleet that abandoned the fewest sessions; nil otherwise. Then
// "raise --max-count" misleads: abandonment falls with the count towards
// what users' patience leaves (baseline on trn2 levels off near 27%), and
// no fleet meets a limit below that.
func abandonBinds(res *optimize.Result) *optimize.Eval {
	l := res.MaxSessionAbandon
	if res.Best != nil || l == nil {
		return nil
	}
	var least *optimize.Eval
	binds := false
	for _, e := range res.Evals {
		if e.Runs == 0 || math.IsNaN(e.SessionAbandon) {
			continue
		}
		if (res.SLOTarget <= 0 || e.Attainment >= res.SLOTarget) && e.SessionAbandon > *l { // as the search's feasible
			binds = true
		}
		if least == nil || e.SessionAbandon < least.SessionAbandon ||
			e.SessionAbandon == least.SessionAbandon && e.FleetPerHourUSD < least.FleetPerHourUSD {
			least = e
		}
	}
	if !binds {
		return nil
	}
	return least
}

// abandonNote says, under the cost objective (the margin objective counts
// an abandoned session's lost revenue already) and when session
// abandonment is not limited, that a fleet the search evaluated abandoned
// clearly fewer sessions (5 points or more) than the best: a larger one,
// or one of the same price that met the target too (a layout that won
// less on SLO attainment, which the search ranks first). The SLOs can be
// met while users give up on slow sessions (baseline's 2 x trn2.48xlarge
// met 100% and lost 48.2% of its sessions, 33.3% at 4). Below 5 points it
// is within what a seed moves over a short horizon. Its label, FEWER
// SESSIONS ABANDONED, is not run's SESSIONS ABANDONED (bestAbandonedNote),
// which weighs the best's abandonment alone.
func abandonNote(res *optimize.Result) string {
	b := res.Best
	if b == nil || res.Objective != optimize.ObjectiveCost || res.MaxSessionAbandon != nil || math.IsNaN(b.SessionAbandon) {
		return ""
	}
	var less *optimize.Eval
	for _, e := range res.Evals {
		alike := e.FleetPerHourUSD == b.FleetPerHourUSD && e.Feasible && e != b
		if e.Runs > 0 && (e.FleetPerHourUSD > b.FleetPerHourUSD || alike) && e.SessionAbandon <= b.SessionAbandon-0.05 &&
			(less == nil || e.SessionAbandon < less.SessionAbandon ||
				e.SessionAbandon == less.SessionAbandon && e.FleetPerHourUSD < less.FleetPerHourUSD) {
			less = e
		}
	}
	if less == nil {
		return ""
	}
	at := "at " + fmtUSD(less.FleetPerHourUSD) + "/h"
	if less.FleetPerHourUSD == b.FleetPerHourUSD {
		at = fmt.Sprintf("at the same %s/h, meeting the target too (SLO attainment %s)", fmtUSD(less.FleetPerHourUSD), attainPct(res, less.Attainment))
	}
	return fmt.Sprintf("FEWER SESSIONS ABANDONED: %s abandons %s of its agent sessions%s, %s abandons %s%s %s; "+
		"--max-session-abandon FRACTION makes the search count that", b.Describe(), abandonPct(res, b.SessionAbandon),
		worstAgent(res, b.SessionAbandonWorkload), less.Describe(), abandonPct(res, less.SessionAbandon), worstAgent(res, less.SessionAbandonWorkload), at)
}

// samePriceNote says, under the cost objective, that a fleet of the best's
// price that met the target too earned a higher margin: at one price the
// search ranks SLO attainment first (the best served a little more
// within its SLOs) and the margin only after it, so the layout that
// earned more is named rather than hidden behind the best (a frontier
// lists one fleet per price).
//
// A free best (fleet.price_usd_per_hour: 0) is compared with free fleets of
// its own count alone: the search takes the fewest free instances before
// SLO attainment (freeNote names a larger one that earned more), so "at
// one price the search ranks SLO attainment before margin" would misstate
// why a larger one lost.
func samePriceNote(res *optimize.Result) string {
	b := res.Best
	if b == nil || res.Objective != optimize.ObjectiveCost || math.IsNaN(b.MarginUSD) {
		return ""
	}
	var more *optimize.Eval
	for _, e := range res.Evals {
		if b.FleetPerHourUSD == 0 && e.Count != b.Count {
			continue
		}
		if e != b && e.Feasible && e.FleetPerHourUSD == b.FleetPerHourUSD && e.MarginUSD > b.MarginUSD &&
			(more == nil || e.MarginUSD > more.MarginUSD) {
			more = e
		}
	}
	if more == nil {
		return ""
	}
	abandon := ""
	if len(res.Agents) > 0 && !math.IsNaN(more.SessionAbandon) {
		abandon = fmt.Sprintf(", session abandonment %s against %s", abandonPct(res, more.SessionAbandon), abandonPct(res, b.SessionAbandon))
	}
	return fmt.Sprintf("SAME PRICE, HIGHER MARGIN: %s costs the same %s/h and meets the target too, with SLO attainment %s "+
		"against the best's %s, and earns %s against %s over %s%s; at one price the search ranks SLO attainment before margin",
		more.Describe(), fmtUSD(b.FleetPerHourUSD), attainPct(res, more.Attainment), attainPct(res, b.Attainment), fmtUSD(more.MarginUSD),
		fmtUSD(b.MarginUSD), res.Horizon, abandon)
}

// freeNote says how the best was chosen when it is free and another free
// fleet met the target too (fleet.price_usd_per_hour: 0, capacity already
// paid for): every count of a free candidate costs $0/h, so cost breaks
// no tie. The cost objective takes the fewest instances among them (the
// search's better), and the note names the larger free fleet that earned
// the most where it earned more, which only --objective margin would
// pick; the margin objective ranks them by margin, and the note names the
// smallest that met the target where the best is not it. "" otherwise.
func freeNote(res *optimize.Result) string {
	b := res.Best
	if b == nil || b.FleetPerHourUSD != 0 {
		return ""
	}
	n := 0
	var least, richest *optimize.Eval
	for _, e := range res.Evals {
		if !e.Feasible || e.FleetPerHourUSD != 0 {
			continue
		}
		n++
		if least == nil || e.Count < least.Count {
			least = e
		}
		if e.Count > b.Count && e.MarginUSD > b.MarginUSD && (richest == nil || e.MarginUSD > richest.MarginUSD) {
			richest = e
		}
	}
	if n < 2 {
		return ""
	}
	head := fmt.Sprintf("FREE FLEET: %d evaluated fleets met the target at $0/h (the scenario's price of 0), so cost breaks no tie: ", n)
	if res.Objective == optimize.ObjectiveMargin {
		smallest := "it is also the smallest that did"
		if least.Count < b.Count {
			smallest = fmt.Sprintf("the smallest that did is %s, at SLO attainment %s", least.Describe(), attainPct(res, least.Attainment))
		}
		return head + "the search ranks margin (the objective), then SLO attainment, then session abandonment, " +
			"then the candidates' order and fewer instances; " + smallest
	}
	larger := "no larger one earned more"
	if richest != nil {
		larger = fmt.Sprintf("a larger one earned more: %s, %s against %s over %s (--objective margin ranks free fleets by what they earn)",
			richest.Describe(), fmtUSD(richest.MarginUSD), fmtUSD(b.MarginUSD), res.Horizon)
	}
	return head + "the cost objective takes the fewest instances among them, then SLO attainment, then margin, " +
		"then session abandonment, then the candidates' order; it is the smallest that did, and " + larger
}
