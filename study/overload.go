package study

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"aiecon/data"
	"aiecon/runner"
	"aiecon/sim"
)

// A sweep's table flagged no overload: a point whose fleet could not keep
// up with its traffic (2 trn2.48xlarge under 6 chat requests/s, whose
// runs warn OVERLOADED) read as one of the cheapest per Mtok, its cost
// describing a growing backlog. The check is the one `aiecon run` warns
// with, which lives with the CLI's report; a summary asks it of each run
// that counts (SummarizeChecked, summary.go) and keeps how many were
// flagged.

// OverloadCheck says whether a complete run was overloaded (its report
// would warn OVERLOADED or SATURATED), from its point's scenario, l, and
// its stored KPIs (the run's own, every scope). l.Resolved is nil: the
// scenario is resolved without its YAML. It is called for several points
// at once.
type OverloadCheck func(l *runner.Loaded, runID string, kpis []sim.KPI) (bool, error)

// OverloadMemo keeps what one check said of each run it was asked about,
// so that counting a sweep again (the dashboard's sweep screen opened or
// refreshed again) resolves only the points with runs it has not seen. A
// complete run's KPIs and its point's scenario (the sweep's frozen
// specification) do not change, so neither does the answer. One memo
// serves one check. It is safe for concurrent use.
type OverloadMemo struct {
	mu    sync.Mutex
	flags map[memoKey]bool
}

// memoKey is a run, with the sweep, point and replication it counts for.
type memoKey struct {
	sweep, run string
	point, rep int
}

// NewOverloadMemo is an empty memo.
func NewOverloadMemo() *OverloadMemo { return &OverloadMemo{flags: map[memoKey]bool{}} }

// recall is what the memo holds of a point's runs, ok where it holds
// every one; a nil memo holds nothing.
func (m *OverloadMemo) recall(sweep string, point int, runs []stretch) (out []bool, ok bool) {
	if m == nil {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out = make([]bool, len(runs))
	for i, st := range runs {
		if out[i], ok = m.flags[memoKey{sweep, st.runID, point, st.rep}]; !ok {
			return nil, false
		}
	}
	return out, true
}

// keep remembers what the check said of a point's runs.
func (m *OverloadMemo) keep(sweep string, point int, runs []stretch, over []bool) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, st := range runs {
		m.flags[memoKey{sweep, st.runID, point, st.rep}] = over[i]
	}
}

// OverloadRuns are a sweep's runs that count, each with its point's
// scenario resolved, ready for an overload check (Count). Resolving them
// (ResolveOverload) needs no store, only the sweep's stored KPIs: a reader
// that must not hold the store long (the dashboard) reads those, lets the
// store go, resolves, and holds it again only for the check, which may
// read a run.
type OverloadRuns struct {
	sweepID string
	memo    *OverloadMemo
	points  []int
	byPoint map[int][]stretch
	loaded  []*runner.Loaded // by points' index; nil where memo answers
	over    [][]bool         // memo's answers, by points' index
}

// ResolveOverload sorts rows (store.SweepKPIs of the sweep) into the runs
// that count, as Summarize counts them, and resolves each point's scenario
// that memo does not answer for every run of it.
func ResolveOverload(ctx context.Context, rows []data.SweepKPI, sweepID string, p *Plan, memo *OverloadMemo) (*OverloadRuns, error) {
	s := &Summary{KPIs: p.Spec.KPIs, Units: make([]string, len(p.Spec.KPIs))}
	_, counted, _ := collectRuns(rows, p, s)
	return resolveRuns(ctx, rows, counted, p, ShardSpec{}, memo, sweepID)
}

// Count is, by point, how many of the runs that count (as Summarize counts
// them: a complete run a replication, the oldest) check flags:
// SummarizeChecked's OVERLOADED marks without the KPIs' intervals, for a
// reader that pools the KPIs itself (the dashboard's sweep screen, whose
// marks must be the table's of aiecon sweep). It asks check only of the
// runs the memo ResolveOverload was given does not hold (nil: of every
// run), and keeps its answers there.
func (r *OverloadRuns) Count(check OverloadCheck) (map[int]int, error) {
	flagged, err := r.check(check)
	if err != nil {
		return nil, err
	}
	return overloadedByPoint(flagged), nil
}

// stretch is one counted run's KPIs.
type stretch struct {
	rep   int
	runID string
	kpis  []sim.KPI
}

// checkRuns asks check of each run that counts (counted, by point and
// replication) of the shard's points (resolveRuns, then check).
func checkRuns(ctx context.Context, rows []data.SweepKPI, counted map[[2]int]string, p *Plan, shard ShardSpec, check OverloadCheck, memo *OverloadMemo, sweepID string) (map[[2]int]bool, error) {
	r, err := resolveRuns(ctx, rows, counted, p, shard, memo, sweepID)
	if err != nil {
		return nil, err
	}
	return r.check(check)
}

// resolveRuns sorts the runs that count (counted, by point and
// replication) of the shard's points by point and resolves each point's
// scenario once from the base decoded once (SourceCheck.Resolve: about
// 1 ms a point on a core, where Plan.Load took 2 to 4), points in
// parallel; a point whose runs memo holds (nil: none) is answered from
// it. The rows come ordered by point, replication and run, so a run's
// KPIs are one stretch of them.
func resolveRuns(ctx context.Context, rows []data.SweepKPI, counted map[[2]int]string, p *Plan, shard ShardSpec, memo *OverloadMemo, sweepID string) (*OverloadRuns, error) {
	r := &OverloadRuns{sweepID: sweepID, memo: memo, byPoint: map[int][]stretch{}}
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].RunID == rows[i].RunID {
			j++
		}
		row := rows[i]
		if counted[[2]int{row.Point, row.Replication}] == row.RunID && shard.Has(row.Point) && row.Point < len(p.Points) {
			kpis := make([]sim.KPI, 0, j-i)
			for _, k := range rows[i:j] {
				kpis = append(kpis, sim.KPI{Name: k.Name, Scope: k.Scope, Value: k.Value, Unit: k.Unit})
			}
			if r.byPoint[row.Point] == nil {
				r.points = append(r.points, row.Point)
			}
			r.byPoint[row.Point] = append(r.byPoint[row.Point], stretch{row.Replication, row.RunID, kpis})
		}
		i = j
	}
	r.loaded, r.over = make([]*runner.Loaded, len(r.points)), make([][]bool, len(r.points))
	errs := make([]error, len(r.points))
	base := p.base() // the base decoded once, not per point
	Each(ctx, len(r.points), runtime.GOMAXPROCS(0), func(i int) {
		pt, runs := r.points[i], r.byPoint[r.points[i]]
		var ok bool
		if r.over[i], ok = memo.recall(sweepID, pt, runs); ok {
			return
		}
		r.loaded[i], errs[i] = resolvePoint(p, base, p.Points[pt], runs[0].rep)
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// check asks check of each run whose point memo did not answer, keeping
// the answers there, and says which runs were flagged, by point and
// replication.
func (r *OverloadRuns) check(check OverloadCheck) (map[[2]int]bool, error) {
	flagged := map[[2]int]bool{}
	for i, pt := range r.points {
		runs := r.byPoint[pt]
		if r.loaded[i] != nil {
			over, err := checkPoint(r.loaded[i], pt, runs, check)
			if err != nil {
				return nil, err
			}
			r.over[i] = over
			r.memo.keep(r.sweepID, pt, runs, over)
		}
		for j, st := range runs {
			flagged[[2]int{pt, st.rep}] = r.over[i][j]
		}
	}
	return flagged, nil
}

// resolvePoint resolves a point's scenario from base as Plan.Load
// resolves it but without its YAML (Loaded.Resolved is nil), which no
// check reads.
func resolvePoint(p *Plan, base *runner.SourceCheck, pt Point, rep int) (*runner.Loaded, error) {
	l, err := base.Resolve(p.overrides(pt, rep))
	if err != nil {
		return nil, pt.wrap(p.Spec.adviseSet(err))
	}
	return l, nil
}

// checkPoint checks point pt's counted runs with its scenario l.
func checkPoint(l *runner.Loaded, pt int, runs []stretch, check OverloadCheck) ([]bool, error) {
	out := make([]bool, len(runs))
	for i, st := range runs {
		var err error
		if out[i], err = check(l, st.runID, st.kpis); err != nil {
			return nil, fmt.Errorf("checking run %s (point %d replication %d) for overload: %w", st.runID, pt, st.rep, err)
		}
	}
	return out, nil
}

// markOverloaded counts the flagged runs per point and, for Monte Carlo,
// the samples with one per grid row.
func (s *Summary) markOverloaded(flagged map[[2]int]bool, p *Plan) {
	s.OverloadChecked = true
	byPoint := overloadedByPoint(flagged)
	for i := range s.Points {
		s.Points[i].Overloaded = byPoint[s.Points[i].Point.Index]
	}
	for i := range s.MonteCarlo {
		g := &s.MonteCarlo[i]
		for smp := 0; smp < p.Samples; smp++ {
			if byPoint[g.Group*p.Samples+smp] > 0 {
				g.Overloaded++
			}
		}
	}
}

// overloadedByPoint counts the flagged runs (by point and replication) of
// each point.
func overloadedByPoint(flagged map[[2]int]bool) map[int]int {
	byPoint := map[int]int{}
	for key, over := range flagged {
		if over {
			byPoint[key[0]]++
		}
	}
	return byPoint
}

// AnyOverloaded says whether a run of the summary was flagged.
func (s *Summary) AnyOverloaded() bool {
	for _, ps := range s.Points {
		if ps.Overloaded > 0 {
			return true
		}
	}
	return false
}

// overloadLegend explains the OVERLOADED column under a table.
func (s *Summary) overloadLegend() string {
	what := "k of the point's n complete runs warn"
	if s.MonteCarlo != nil {
		what = "in k of the row's n samples a run warns"
	}
	return "OVERLOADED k/n: " + what + " OVERLOADED or SATURATED, as aiecon run would: the fleet fell behind its traffic, " +
		"so latency and cost per token there describe a backlog, not a load it sustains, and a low cost per Mtok there is no saving"
}
