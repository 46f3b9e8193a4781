package tui

import (
	"context"
	"errors"
	"fmt"

	"aiecon/data"
	"aiecon/runner"
	"aiecon/sim"
	"aiecon/study"
	"aiecon/study/caveat"
)

// errNoOverloadCheck: the dashboard was started without aiecon run's
// overload check (Options.Overload).
var errNoOverloadCheck = errors.New("the dashboard was given no overload check")

// overloadInput is what the overload check of a sweep needs read from the
// store: its frozen specification and its runs' stored KPIs, or why they
// could not be read.
type overloadInput struct {
	spec             string
	rows             []data.SweepKPI
	specErr, rowsErr error
}

func readOverloadInput(ctx context.Context, st *data.Store, id string) overloadInput {
	sw, err := st.Sweep(ctx, id)
	if err != nil {
		return overloadInput{specErr: err}
	}
	rows, err := st.SweepKPIs(ctx, id)
	return overloadInput{spec: sw.SpecYAML, rows: rows, rowsErr: err}
}

// sweepOverload reads the sweep's specification, as aiecon sweep --show
// does (nil where it cannot be read), and counts by point the runs that check, aiecon run's overload
// check, flags among those the sweep counts
// (study.OverloadRuns.Count): the marks of aiecon sweep's OVERLOADED
// column; memo keeps the answers for the next load. Each run checked is added to tally, as aiecon sweep's
// summary adds it (summarizeSweep). A sweep that cannot be checked is
// still shown, with the error saying why. It parses and resolves the
// points' scenarios (study.ResolveOverload) with the store let go, and
// holds it again only for the check itself, which may read a run.
func sweepOverload(ctx context.Context, c *conn, id string, in overloadInput, check func(context.Context, *data.Store) study.OverloadCheck,
	memo *study.OverloadMemo, tally *caveat.Sweep) (*study.Spec, map[int]int, error) {
	if in.specErr != nil {
		return nil, nil, in.specErr
	}
	plan, err := study.PlanFromFrozen("sweep "+id, []byte(in.spec))
	if err != nil {
		return nil, nil, fmt.Errorf("sweep %s: its stored specification: %w", id, err)
	}
	if check == nil {
		return plan.Spec, nil, errNoOverloadCheck
	}
	if in.rowsErr != nil {
		return plan.Spec, nil, in.rowsErr
	}
	runs, err := study.ResolveOverload(ctx, in.rows, id, plan, memo)
	if err != nil {
		return plan.Spec, nil, err
	}
	var over map[int]int
	err = c.read(func(st *data.Store) error {
		inner := check(ctx, st)
		tallied := func(l *runner.Loaded, runID string, kpis []sim.KPI) (bool, error) {
			tally.Add(runID, l, kpis)
			return inner(l, runID, kpis)
		}
		var err error
		over, err = runs.Count(tallied)
		return err
	})
	return plan.Spec, over, err
}
