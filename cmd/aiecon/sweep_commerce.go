package main

import (
	"context"

	"aiecon/data"
	"aiecon/runner"
	"aiecon/sim"
	"aiecon/study"
	"aiecon/study/caveat"
)

// A sweep's summary of margin_usd read as the assistant's earnings when
// nearly all of it was commerce counted gross: docs/sweeps.md's fleet-pair
// found the fourth instance "earns $2.18 more on every seed" from orders
// the shoppers would mostly have placed anyway, and neither the table nor
// the page said so, which run does (COMMERCE COUNTED GROSS). Its points
// abandoned a third of their shopping sessions at 100% SLO attainment and
// the summary said nothing of that either, which run does (SESSIONS
// ABANDONED). The summary now says both, with run's checks and words
// (caveat.Sweep), over the runs it counts; the dashboard's sweep screen
// tallies the same.

// summarizeSweep is the sweep's summary with its runs checked for overload
// (sweepOverloadCheck), and the warnings to print with it
// (caveat.Sweep.Summary): COMMERCE COUNTED GROSS where it reports revenue
// or a margin and its runs' commerce is gross, SESSIONS ABANDONED where a
// run counted would warn so. None where the check failed (the summary's
// note says so): the tally would be of some runs only.
func summarizeSweep(ctx context.Context, store *data.Store, id string, plan *study.Plan, shard study.ShardSpec) (*study.Summary, []string, error) {
	var tally caveat.Sweep
	overloaded := sweepOverloadCheck(ctx, store)
	check := func(l *runner.Loaded, runID string, kpis []sim.KPI) (bool, error) {
		tally.Add(runID, l, kpis)
		return overloaded(l, runID, kpis)
	}
	sum, err := study.SummarizeChecked(ctx, store, id, plan, shard, check)
	if err != nil {
		return nil, nil, err
	}
	if sum.OverloadErr != nil {
		return sum, []string{}, nil
	}
	return sum, tally.Summary(sum.KPIs), nil
}
