package main

import (
	"context"
	"fmt"

	"aiecon/data"
	"aiecon/hw"
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
		horizon, simulated := int64(l.Scenario.Horizon), int64(l.Scenario.Horizon)
		if l.Scenario.Drain {
			d, err := store.Run(ctx, runID)
			if err != nil {
				return false, err
			}
			horizon, simulated = d.Run.HorizonNs, d.Run.SimNs
		}
		return len(storedReport(l, kpis, horizon, simulated, nil).overloadWarnings()) > 0, nil
	}
}

// overloadedRuns says, for each compared run, whether its report warned
// OVERLOADED or SATURATED (storedOverloaded): compare marks those runs and
// warns that their cost per Mtok is no saving, as a sweep's table does.
func overloadedRuns(ctx context.Context, store *data.Store, runs []data.RunSummary) ([]bool, error) {
	out := make([]bool, len(runs))
	for i, r := range runs {
		d, err := store.Run(ctx, r.ID)
		if err != nil {
			return nil, fmt.Errorf("checking run %s for overload: %w", r.ID, err)
		}
		out[i] = storedOverloaded(d)
	}
	return out, nil
}

// storedOverloaded says whether a complete stored run's report, as aiecon
// run printed it, warned OVERLOADED or SATURATED: the checks
// sweepOverloadCheck runs, on its stored scenario, KPIs, horizon and
// simulated time. False for a run that did not complete (its KPIs are not
// the whole run's) or whose stored scenario this version cannot read.
func storedOverloaded(d *data.RunDetail) bool {
	if d.Run.Status != data.StatusComplete || len(d.KPIs) == 0 {
		return false
	}
	sc := storedScenario(d.Run.ResolvedYAML)
	if sc == nil {
		return false
	}
	l := &runner.Loaded{Name: "stored scenario", Given: []byte(d.Run.ScenarioYAML), Scenario: sc, Overrides: storedOverrides(d.Run.ParamsJSON)}
	return len(storedReport(l, d.KPIs, d.Run.HorizonNs, d.Run.SimNs, nil).overloadWarnings()) > 0
}

// storedReport is the report of a stored run as far as its rows give it:
// its scenario, KPIs, horizon and simulated time, which are all the
// fleet-sizing checks (fleetWarnings) read, and served, the lengths of the
// calls its main fleet served (data.RunRecord.Served; nil where the store
// kept none, or where no check asked reads them), which price the decode
// step of STEP TIMES THINLY FITTED. A sweep's overload marks and show's
// warnings run those checks on it, so that they say what aiecon run said
// when the run ended.
func storedReport(l *runner.Loaded, kpis []sim.KPI, horizonNs, simNs int64, served *sim.PoolLengths) runReport {
	res := &sim.Result{KPIs: kpis, Meta: sim.RunMeta{HorizonNs: horizonNs}}
	res.SimNs = simNs
	if served != nil {
		res.Lengths = []sim.PoolLengths{*served}
	}
	return runReport{l: l, res: res}
}

// storedWarnings are the warnings aiecon run printed for a complete stored
// run (runReport.warningsFromStore: all but the few its rows cannot give
// back), by the checks run used, on its stored scenario (the file as given
// and its overrides too, which say which prices were given), its KPIs and
// its calibration profile's file read now; none for a run that did not
// complete (its KPIs, if any, are not the whole run's) or whose stored
// scenario this version cannot read.
func storedWarnings(d *data.RunDetail, dbPath string) []string {
	if d.Run.Status != data.StatusComplete || len(d.KPIs) == 0 {
		return nil
	}
	sc := storedScenario(d.Run.ResolvedYAML)
	if sc == nil {
		return nil
	}
	l := &runner.Loaded{Name: "stored scenario", Given: []byte(d.Run.ScenarioYAML), Scenario: sc, Overrides: storedOverrides(d.Run.ParamsJSON)}
	r := storedReport(l, d.KPIs, d.Run.HorizonNs, d.Run.SimNs, d.Run.Served)
	r.runID, r.dbPath, r.fromStore = d.Run.ID, dbPath, true
	var changed string
	if path := runCalibration(d.Run.ResolvedYAML); path != hw.BuiltinProfileSource && path != "-" {
		// Another file's caveats are not the run's: none where it changed.
		if changed = profileChanged(path, d.Run.Calibration); changed == "" {
			r.profile, _ = hw.LoadProfile(path) // nil where it cannot be read: show's header says why
		}
	}
	ws := r.warningsFromStore()
	if changed != "" {
		ws = append(ws, changed)
	}
	return ws
}
