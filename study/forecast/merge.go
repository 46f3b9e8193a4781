package forecast

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// MergeReports is the report of a split forecast's shards merged (aiecon
// merge): held, the report the output store holds for the forecast, and
// in, an input's report of the same forecast (the same file, samples and
// periods, every shard's report alike but for its periods). Each period
// of one variant and sample (a samples_detail entry) is taken once,
// held's first (a period stored twice is the same: merge refuses another
// value), and the periods are banded anew over the samples the two hold,
// so that every note of the report covers the periods the merged forecast
// stores: the output kept held alone, one shard's, and its notes named
// that shard's periods only (RESERVED INSTANCES IDLE one quarter of two,
// SLO AT RISK without the quarter the other shard ran). Runs adds the
// runs of the periods taken from in. Shard names the shards merged, ""
// once every period of every variant and sample is there, as a forecast
// run whole has. Where one of the two is "" (no report stored), the other
// is kept.
func MergeReports(held, in string) (string, error) {
	if held == "" || in == "" { // a forecast stored without a report: the other is all there is
		return cmp.Or(held, in), nil
	}
	var a, b Report
	if err := json.Unmarshal([]byte(held), &a); err != nil {
		return "", fmt.Errorf("reading the report held: %w", err)
	}
	if err := json.Unmarshal([]byte(in), &b); err != nil {
		return "", fmt.Errorf("reading the input's report: %w", err)
	}
	// A shard stored before reserved_idle_usd was split from the repricing
	// holds their sum, in its report and in its period rows, which the
	// merge copies as they are: the merged report keeps that older form
	// where either shard has it, so that reading it takes the repricing
	// out of every period once and its notes name no reserved_repriced_usd
	// line the older rows lack. (Marked gross, its net periods read as
	// gross, and the note named a line the store did not hold.)
	if !a.ReservedIdleGross || !b.ReservedIdleGross {
		a.netIdle()
		b.netIdle()
	}
	type key struct {
		variant        string
		sample, period int
	}
	have := map[key]bool{}
	var periods []Period
	for _, s := range a.Summary {
		for _, p := range s.Periods {
			have[key{p.Variant, p.Sample, p.Period}] = true
			periods = append(periods, p)
		}
	}
	added, all, runs := 0, 0, 0
	for _, s := range b.Summary {
		for _, p := range s.Periods {
			all++
			if k := (key{p.Variant, p.Sample, p.Period}); !have[k] {
				have[k] = true
				periods = append(periods, p)
				added++
				runs += len(p.RunIDs)
			}
		}
	}
	if added == all && runs == 0 { // periods that name no runs, all of them new: the input's count
		runs = b.Runs
	}
	a.Runs += runs
	sortPeriods(a.fleetVariants(), periods)
	a.Summary = Summarize(periods)
	a.bookTrueUps() // the shards' periods together: a shortfall either booked
	a.Shard = mergedShards(a.Shard, b.Shard, len(periods) == len(a.Fleets)*a.Samples*a.Periods)
	out, err := json.Marshal(&a)
	if err != nil {
		return "", fmt.Errorf("writing the merged report: %w", err)
	}
	return string(out), nil
}

// sortPeriods orders periods as Summarize lists a forecast run whole:
// by variant in the order variants gives them, then period, then sample,
// so that the summary lists each variant's periods in order and each
// period's samples in sample order. A shard's periods come in the order
// of its groups, sample before period, so Summarize, which keeps the
// order of first appearance, listed shard 1/3's period 2 above its
// period 1.
func sortPeriods(variants []string, periods []Period) {
	order := map[string]int{}
	for i, v := range variants {
		order[v] = i
	}
	slices.SortStableFunc(periods, func(x, y Period) int {
		return cmp.Or(cmp.Compare(order[x.Variant], order[y.Variant]), cmp.Compare(x.Period, y.Period), cmp.Compare(x.Sample, y.Sample))
	})
}

// fleetVariants are the report's variants in fleet order.
func (r *Report) fleetVariants() []string {
	var out []string
	for _, fe := range r.Fleets {
		out = append(out, fe.Variant)
	}
	return out
}

// mergedShards names the shards two reports cover ("0/3, 2/3"), "" where
// complete (every period there) or neither is a shard.
func mergedShards(a, b string, complete bool) string {
	if complete {
		return ""
	}
	var names []string
	for _, s := range strings.Split(a+", "+b, ", ") {
		if s != "" && !slices.Contains(names, s) {
			names = append(names, s)
		}
	}
	index := func(s string) int {
		var i, n int
		fmt.Sscanf(s, "%d/%d", &i, &n) //nolint:errcheck // every shard name is "i/n"; 0 sorts one that is not first
		return i
	}
	slices.SortFunc(names, func(x, y string) int { return cmp.Compare(index(x), index(y)) })
	return strings.Join(names, ", ")
}
