package main

import (
	"fmt"
	"math"
	"strings"

	"aiecon/model"
	"aiecon/model/format"
	"aiecon/study/optimize"
)

// What the search covers of its scenario, said before its answer: the
// pool it sizes where the scenario serves several models, the variants it
// does not apply, and how many replications each figure averages.

// replicationsPhrase follows "simulated per evaluation" in the report's
// first line: with replications, how many and where their intervals are.
// The margins are means over them and the attainment pooled, while the
// text printed no interval and never said how many ran.
func replicationsPhrase(res *optimize.Result) string {
	if res.Replications < 2 {
		return ""
	}
	seeds := ""
	if sc := res.Scenario; sc != nil {
		seeds = fmt.Sprintf(", seeds %d to %d", sc.Seed, sc.Seed+uint64(res.Replications-1))
	}
	return fmt.Sprintf(", each over %d replications%s (margins their means, SLO attainment pooled; "+
		"--format json gives each one's 95%% interval)", res.Replications, seeds)
}

// totalAdds is what TOTAL/H (and the BEST line's second price) adds to
// the fleet's cost: the held pools where the scenario has any.
func totalAdds(res *optimize.Result) string {
	if heldPools(res) == nil {
		return "training and licensing"
	}
	return "the held pools, training and licensing"
}

// heldPools are the scenario's pools beside its main one, which the
// search holds as the scenario sets them; nil without any.
func heldPools(res *optimize.Result) []model.Pool {
	if res.Scenario == nil {
		return nil
	}
	return res.Scenario.Pools
}

// scopeNotes are the lines under the report's heading on what the search
// covers: the pools it holds (heldPoolsNote) and the variants it does not
// apply (variantsNote).
func scopeNotes(res *optimize.Result) []string {
	var notes []string
	for _, n := range []string{heldPoolsNote(res), variantsNote(res)} {
		if n != "" {
			notes = append(notes, n)
		}
	}
	return notes
}

// heldPoolsNote names, in a scenario that serves several models, the pool
// the search sizes (the main one) and the pools it holds as the scenario
// sets them, with what they cost: on model-mix FLEET/H read $71.52 for one
// 70B instance with the 8B pool's $35.76 in it, unsaid.
func heldPoolsNote(res *optimize.Result) string {
	pools := heldPools(res)
	if pools == nil {
		return ""
	}
	held := make([]string, len(pools))
	for i, p := range pools {
		held[i] = fmt.Sprintf("%s (%d x %s, %s pricing)", p.Name, p.Fleet.Count, p.Fleet.Instance, p.Fleet.Pricing)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, e := range res.Evals {
		if e.Runs > 0 {
			lo, hi = min(lo, e.HeldPerHourUSD), max(hi, e.HeldPerHourUSD)
		}
	}
	cost := ""
	switch {
	case lo == hi:
		cost = fmt.Sprintf(" (%s/h in every evaluation)", fmtUSD(lo))
	case lo < hi:
		cost = fmt.Sprintf(" (%s/h to %s/h across the evaluations)", fmtUSD(lo), fmtUSD(hi))
	}
	return fmt.Sprintf("POOLS HELD: the search sizes the main pool, %s (fleet.*), alone; the scenario's other pools are held as it sets them: %s. "+
		"FLEET/H, and the cost the search ranks, are the main pool's instances; the held pools' cost%s is in TOTAL/H only. "+
		"To change a held pool, --set pools[NAME].fleet.count (or its other fleet fields)",
		res.Scenario.MainPoolName(), format.ListAnd(held), cost)
}

// variantsNote says that the search sizes the scenario's base, not its
// variants, and what --set each variant needs beyond the layout the
// search varies: gpu-vs-trainium's p5 variant pays on-demand, and the
// search priced p5 at the base's Capacity Blocks rate without a word.
func variantsNote(res *optimize.Result) string {
	if res.Scenario == nil || len(res.Scenario.Variants) == 0 {
		return ""
	}
	var each []string
	for _, v := range res.Scenario.Variants {
		sets, err := optimize.VariantSets(v)
		switch {
		case err != nil:
			each = append(each, v.Name+" (its sets do not read: "+err.Error()+")")
		case len(sets) == 0:
			each = append(each, v.Name+" (only the layout and count the search varies)")
		default:
			each = append(each, v.Name+" (--set "+strings.Join(sets, " --set ")+")")
		}
	}
	return fmt.Sprintf("VARIANTS NOT APPLIED: the search sizes the base scenario, with its own pricing, traffic and settings, "+
		"not its variants; to size for one, give what it sets beyond the layout the search varies: %s", strings.Join(each, "; "))
}

// plateauNote is NO FLEET MET THE TARGET where SLO attainment stopped
// rising with the count in every candidate searched to the maximum
// (Result.Plateaus): more instances of the sized pool are no remedy, so
// "raise --max-count" misled (model-mix: 84.1% to 84.8% from 1 to 256
// instances of the 70B pool, its escalated requests waiting on the 8B pool
// the search holds). Why it stays down follows: the held pools where there
// are any, else each request's own service time.
func plateauNote(res *optimize.Result, flat []optimize.Plateau) string {
	var seen []string
	for _, p := range flat[:min(len(flat), 2)] {
		seen = append(seen, fmt.Sprintf("%s, %s at %s, %s at %d", p.Candidate.Layout, attainPct(res, p.From.Attainment),
			plural(p.From.Count, "instance"), attainPct(res, p.To.Attainment), p.To.Count))
	}
	if len(flat) > 2 {
		seen = append(seen, fmt.Sprintf("and %d more", len(flat)-2))
	}
	lead := fmt.Sprintf("NO FLEET MET THE TARGET: SLO attainment stopped rising with the count (%s), so more instances of the pool the "+
		"search sizes will not reach %s, and a larger --max-count is no remedy: ", strings.Join(seen, "; "), fmtTarget(res.SLOTarget))
	pools := heldPools(res)
	if pools == nil {
		return lead + "what misses is each request's own service time, which more instances do not shorten (a prefill or a decode step " +
			"slower than its workload's slo allows: aiecon run warns SUSPECT VALUE where an SLO is below the fastest step); " +
			"check the SLOs, or lower --slo-target"
	}
	names := make([]string, len(pools))
	for i, p := range pools {
		names[i] = p.Name
	}
	how := "requests routed to them wait on them whatever this pool's size"
	if rt := res.Scenario.Routing; rt != nil && rt.Rule == model.RuleSmallFirst {
		how = fmt.Sprintf("under small-first routing every request is answered by %s first, and one escalated waits for that answer "+
			"before this pool starts, whatever this pool's size", rt.Small)
	}
	return lead + fmt.Sprintf("the pools it holds (%s) serve the requests too, and %s; size them with --set pools[%s].fleet.count=N "+
		"(see POOLS HELD), or lower --slo-target", format.ListAnd(names), how, names[0])
}

// nonNil is notes, or an empty list for none: --format json gives [] rather
// than null, as its other note lists.
func nonNil(notes []string) []string {
	if notes == nil {
		return []string{}
	}
	return notes
}
