package main

import (
	"context"

	"aiecon/data"
	"aiecon/runner"
	"aiecon/sim"
	"aiecon/study"
)

// sweepOverloadCheck flags a sweep's run whose report, as aiecon run
// prints it, would warn OVERLOADED or SATURATED: the same checks
// (runReport.overloadWarnings) on its stored KPIs, with its point's
// scenario (which says which workloads are closed loops, whether the run
// drained, and what bounds its queue). A drained run's simulated time,
// which its KPIs do not hold, is read from its row. The summary's table
// marks the points it flags, which read as cheap per Mtok while their
// fleet fell behind (docs/sweeps.md).
func sweepOverloadCheck(ctx context.Context, store *data.Store) study.OverloadCheck {
	return func(l *runner.Loaded, runID string, kpis []sim.KPI) (bool, error) {
		res := &sim.Result{KPIs: kpis, Meta: sim.RunMeta{HorizonNs: int64(l.Scenario.Horizon)}}
		res.SimNs = res.Meta.HorizonNs
		if l.Scenario.Drain {
			d, err := store.Run(ctx, runID)
			if err != nil {
				return false, err
			}
			res.Meta.HorizonNs, res.SimNs = d.Run.HorizonNs, d.Run.SimNs
		}
		return len(runReport{l: l, res: res}.overloadWarnings()) > 0, nil
	}
}
