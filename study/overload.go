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

// CountOverloadedMemo is, by point, how many of the sweep's runs that
// count (as Summarize counts them: a complete run a replication, the
// oldest) check flags: SummarizeChecked's OVERLOADED marks without the
// KPIs' intervals, for a reader that pools the KPIs itself (the
// dashboard's sweep screen, whose marks must be the table's of aiecon
// sweep). It asks check only of the runs memo does not hold (nil: of
// every run), and keeps its answers there.
func CountOverloadedMemo(ctx context.Context, store *data.Store, sweepID string, p *Plan, check OverloadCheck, memo *OverloadMemo) (map[int]int, error) {
	rows, err := store.SweepKPIs(ctx, sweepID)
	if err != nil {
		return nil, err
	}
	s := &Summary{KPIs: p.Spec.KPIs, Units: make([]string, len(p.Spec.KPIs))}
	_, counted, _ := collectRuns(rows, p, s)
	flagged, err := checkRuns(ctx, rows, counted, p, ShardSpec{}, check, memo, sweepID)
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
// replication) of the shard's points, resolving each point's scenario
// once from the base decoded once (SourceCheck.Resolve: about 1 ms a point
// on a core, where Plan.Load took 2 to 4), points in parallel; a point
// whose runs memo holds (nil: none) is answered from it. The rows come
// ordered by point, replication and run, so a run's KPIs are one stretch
// of them.
func checkRuns(ctx context.Context, rows []data.SweepKPI, counted map[[2]int]string, p *Plan, shard ShardSpec, check OverloadCheck, memo *OverloadMemo, sweepID string) (map[[2]int]bool, error) {
	byPoint := map[int][]stretch{}
	var points []int
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].RunID == rows[i].RunID {
			j++
		}
		r := rows[i]
		if counted[[2]int{r.Point, r.Replication}] == r.RunID && shard.Has(r.Point) && r.Point < len(p.Points) {
			kpis := make([]sim.KPI, 0, j-i)
			for _, k := range rows[i:j] {
				kpis = append(kpis, sim.KPI{Name: k.Name, Scope: k.Scope, Value: k.Value, Unit: k.Unit})
			}
			if byPoint[r.Point] == nil {
				points = append(points, r.Point)
			}
			byPoint[r.Point] = append(byPoint[r.Point], stretch{r.Replication, r.RunID, kpis})
		}
		i = j
	}
	over := make([][]bool, len(points))
	errs := make([]error, len(points))
	b := p.Spec.Base
	base := runner.NewSourceCheck(b.Name, b.Source, b.Dir) // the base decoded once, not per point
	Each(ctx, len(points), runtime.GOMAXPROCS(0), func(i int) {
		pt, runs := points[i], byPoint[points[i]]
		var ok bool
		if over[i], ok = memo.recall(sweepID, pt, runs); ok {
			return
		}
		if over[i], errs[i] = checkPoint(p, base, p.Points[pt], runs, check); errs[i] == nil {
			memo.keep(sweepID, pt, runs, over[i])
		}
	})
	flagged := map[[2]int]bool{}
	for i, pt := range points {
		if errs[i] != nil {
			return nil, errs[i]
		}
		for j, st := range byPoint[pt] {
			flagged[[2]int{pt, st.rep}] = over[i][j]
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return flagged, nil
}

// checkPoint checks a point's counted runs with its scenario, resolved
// from base as Plan.Load resolves it but without its YAML (Loaded.Resolved
// is nil), which no check reads.
func checkPoint(p *Plan, base *runner.SourceCheck, pt Point, runs []stretch, check OverloadCheck) ([]bool, error) {
	l, err := base.Resolve(p.overrides(pt, runs[0].rep))
	if err != nil {
		return nil, pt.wrap(p.Spec.adviseSet(err))
	}
	out := make([]bool, len(runs))
	for i, st := range runs {
		if out[i], err = check(l, st.runID, st.kpis); err != nil {
			return nil, fmt.Errorf("checking run %s (point %d replication %d) for overload: %w", st.runID, pt.Index, st.rep, err)
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
