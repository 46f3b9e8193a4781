package caveat

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/kpi"
	"aiecon/runner"
	"aiecon/sim"
	"aiecon/study"
)

// Sweep tallies, over the runs a sweep's summary counts, the warnings
// aiecon run, sweep and optimize print for them: COMMERCE COUNTED GROSS
// (Commerce), SESSIONS ABANDONED (Summary), and, of the points' fleets,
// SCHEDULERS DIFFER and the step-times coverage warnings (Fleets). A run
// is counted once however often it is added, so that a reader that adds
// only the runs it has not seen (the dashboard's sweep screen, whose
// overload check remembers its answers) keeps one tally across loads.
// Safe for concurrent use: points are checked in parallel.
type Sweep struct {
	mu   sync.Mutex
	runs map[string]sweepRun
	// coverage memoises stepTimesCoverage by scenario (a point's runs share
	// theirs): it costs ~12 ms a scenario, and only Fleets reads it, so it is
	// computed there, for aiecon sweep's summary and the dashboard's alike.
	coverage map[*model.Scenario]string
}

// stepTimesCoverage is runner.StepTimesCoverageWarning, a variable so that a
// test counts the calls.
var stepTimesCoverage = runner.StepTimesCoverageWarning

// sweepRun is what the tally keeps of one run.
type sweepRun struct {
	fig               func(workload string) AbandonFigures
	sc                *model.Scenario
	commerce, revenue float64 // whole-run KPIs, 0 where absent
	gross             string  // GrossCommerce of its scenario at any share: whose workloads, "" where none is gross
	abandon           string  // its SESSIONS ABANDONED, "" where it has none
	share             float64 // the highest share SESSIONS ABANDONED names
	fleets            []FleetScheduler
}

// Add counts one run by its id, with its point's scenario and its KPIs
// (every scope); a run already counted is not counted again.
func (t *Sweep) Add(runID string, l *runner.Loaded, kpis []sim.KPI) {
	t.mu.Lock()
	_, seen := t.runs[runID]
	t.mu.Unlock()
	if seen {
		return
	}
	r := newSweepRun(l.Scenario, kpis)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.runs == nil {
		t.runs = map[string]sweepRun{}
	}
	t.runs[runID] = r
}

// newSweepRun reads what the tally keeps of a run.
func newSweepRun(sc *model.Scenario, kpis []sim.KPI) sweepRun {
	res := &sim.Result{KPIs: kpis} // its KPI lookup: a whole-run KPI absent reads 0
	c, _ := res.KPI(kpi.RevenueCommerceUSD, "")
	v, _ := res.KPI(kpi.RevenueUSD, "")
	r := sweepRun{sc: sc, commerce: c.Value, revenue: v.Value, gross: GrossCommerce(sc, 1, 1)}
	r.fig = RunAbandonFigures(kpis)
	fig := r.fig
	if r.abandon = SessionsAbandoned(sc, fig, 0); r.abandon != "" {
		for _, w := range abandoning(sc, fig) {
			r.share = max(r.share, fig(w.Name).Share)
		}
	}
	sc.EachFleet(func(_ string, _ model.ModelRef, f model.Fleet) bool {
		r.fleets = append(r.fleets, FleetScheduler{f.Instance, f.Replica.Scheduler})
		return true
	})
	return r
}

// sorted are the runs counted, by id, so that what the warnings pick
// does not hang on the order points were checked in.
func (t *Sweep) sorted() []sweepRun {
	t.mu.Lock()
	defer t.mu.Unlock()
	ids := make([]string, 0, len(t.runs))
	for id := range t.runs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]sweepRun, len(ids))
	for i, id := range ids {
		out[i] = t.runs[id]
	}
	return out
}

// Commerce is run's COMMERCE COUNTED GROSS over the runs counted, its
// share the gross runs' commerce over their revenue, saying how many runs
// it holds for where some credit only incremental orders; "" where none
// is gross.
func (t *Sweep) Commerce() string {
	var sc *model.Scenario
	var text string
	var gross, others int
	var commerce, revenue float64
	for _, r := range t.sorted() {
		if !(r.commerce > 0 && r.revenue > 0) {
			continue
		}
		if r.gross == "" {
			others++
			continue
		}
		if sc == nil || r.gross < text {
			sc, text = r.sc, r.gross
		}
		gross++
		commerce += r.commerce
		revenue += r.revenue
	}
	if sc == nil {
		return ""
	}
	w := GrossCommerce(sc, commerce, revenue)
	if others > 0 {
		w += fmt.Sprintf(" It holds for %d of the %d runs that earned commerce; the others credit only the orders value.incremental "+
			"says the assistant causes, so their margins differ from these by that as well as by the parameters swept.", gross, gross+others)
	}
	return w
}

// Abandoned is run's SESSIONS ABANDONED over the runs counted: the
// warning of the run that abandoned the largest share (its figures), with
// how many of the runs counted run would have warned for; "" where none.
// Of runs with one share, the lowest id's figures.
func (t *Sweep) Abandoned() string {
	runs := t.sorted()
	var worst *sweepRun
	n := 0
	for i, r := range runs {
		if r.abandon == "" {
			continue
		}
		n++
		if worst == nil || r.share > worst.share {
			worst = &runs[i]
		}
	}
	if worst == nil {
		return ""
	}
	// No run id: the words must be the same for the same sweep in
	// another store (docs quote them), and the point's figures say it.
	lead := fmt.Sprintf("in %d of the %s counted, as aiecon run warns; at the largest share, ", n, format.Plural(len(runs), "run"))
	return sessionsAbandoned(worst.sc, worst.fig, 0, lead)
}

// Summary are the warnings aiecon sweep prints under its summary:
// COMMERCE COUNTED GROSS where the sweep reports a KPI made of revenue
// (RanksRevenue), and SESSIONS ABANDONED.
func (t *Sweep) Summary(kpis []study.KPIRef) []string {
	out := []string{}
	if w := t.Commerce(); w != "" && RanksRevenue(kpis) {
		out = append(out, w)
	}
	if w := t.Abandoned(); w != "" {
		out = append(out, w)
	}
	return out
}

// Fleets are the warnings on the points' fleets that optimize prints for
// the candidates it evaluated: the step-times coverage warnings (THINLY
// FITTED, BY TRANSFER, AN ESTIMATE) once per instance type, and SCHEDULERS
// DIFFER where the instance types ran under different schedulers, each
// type under one (a sweep over the scheduler itself varies it on purpose).
func (t *Sweep) Fleets() []string {
	var out, types []string
	cover := map[string]string{}
	var fleets []FleetScheduler
	for _, r := range t.sorted() {
		for _, f := range r.fleets {
			if !slices.Contains(types, f.Instance) {
				types = append(types, f.Instance)
			}
			if !slices.Contains(fleets, f) {
				fleets = append(fleets, f)
			}
		}
		if len(r.fleets) > 0 {
			if c := t.coverageOf(r.sc); c != "" {
				cover[r.fleets[0].Instance] = c
			}
		}
	}
	sort.Strings(types)
	for _, typ := range types {
		if c := cover[typ]; c != "" {
			out = append(out, fmt.Sprintf("For the %s points: %s", typ, c))
		}
	}
	if w := sweepSchedulers(fleets); w != "" {
		out = append(out, w)
	}
	return out
}

// coverageOf is stepTimesCoverage of sc, computed once.
func (t *Sweep) coverageOf(sc *model.Scenario) string {
	t.mu.Lock()
	c, ok := t.coverage[sc]
	t.mu.Unlock()
	if ok {
		return c
	}
	c = stepTimesCoverage(sc)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.coverage == nil {
		t.coverage = map[*model.Scenario]string{}
	}
	t.coverage[sc] = c
	return c
}

// sweepSchedulers is SCHEDULERS DIFFER for a sweep's fleets, "" where an
// instance type ran under more than one scheduler: the sweep varies the
// scheduler itself.
func sweepSchedulers(fleets []FleetScheduler) string {
	per := map[string]string{}
	for _, f := range fleets {
		if s, ok := per[f.Instance]; ok && s != f.Scheduler {
			return ""
		}
		per[f.Instance] = f.Scheduler
	}
	return Schedulers(fleets, "each instance type runs its accelerator family's default scheduler where the scenario sets none, "+
		"so the points compare each chip with its scheduler, not the chips alone.")
}

// RanksRevenue says whether a sweep reports a KPI made of revenue (a
// revenue line, a margin): the ones gross commerce inflates.
func RanksRevenue(kpis []study.KPIRef) bool {
	return slices.ContainsFunc(kpis, func(k study.KPIRef) bool {
		return strings.HasPrefix(k.Name, "revenue") || strings.Contains(k.Name, "margin")
	})
}

// Label is a warning's name, the words before its first colon
// ("SESSIONS ABANDONED"), with the instance type a coverage warning of
// Fleets is for ("STEP TIMES THINLY FITTED (trn2.48xlarge)"): what a
// screen too small for the warnings lists of them.
func Label(warning string) string {
	if rest, ok := strings.CutPrefix(warning, "For the "); ok {
		if typ, w, ok := strings.Cut(rest, " points: "); ok {
			return Label(w) + " (" + typ + ")"
		}
	}
	label, _, _ := strings.Cut(warning, ":")
	return label
}
