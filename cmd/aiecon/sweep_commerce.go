package main

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"aiecon/data"
	"aiecon/model"
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
// tallies the same. A chip sweep ranked trn2 against p5 with none of the
// caveats run, optimize and the dashboard print for the same fleets (STEP
// TIMES THINLY FITTED: trn2's constants rest on 2 measurements, SCHEDULERS
// DIFFER), and a sweep of an SLO no fleet can meet said nothing of it, which
// run does (SUSPECT VALUE): the summary prints those too.

// summarizeSweep is the sweep's summary with its runs checked for overload
// (sweepOverloadCheck), and the warnings to print with it: the points'
// SUSPECT VALUE warnings (sweepSuspects), then caveat.Sweep's Summary
// (COMMERCE COUNTED GROSS where it reports revenue or a margin and its
// runs' commerce is gross, SESSIONS ABANDONED where a run counted would
// warn so) and Fleets (the step-times coverage warnings by instance type,
// SCHEDULERS DIFFER), as the dashboard's sweep screen shows them. None
// where the check failed (the summary's note says so): the tally would be
// of some runs only.
func summarizeSweep(ctx context.Context, store *data.Store, id string, plan *study.Plan, shard study.ShardSpec) (*study.Summary, []string, error) {
	var tally caveat.Sweep
	var suspects sweepSuspects
	overloaded := sweepOverloadCheck(ctx, store)
	check := func(l *runner.Loaded, runID string, kpis []sim.KPI) (bool, error) {
		tally.Add(runID, l, kpis)
		suspects.add(l.Scenario)
		return overloaded(l, runID, kpis)
	}
	sum, err := study.SummarizeChecked(ctx, store, id, plan, shard, check)
	if err != nil {
		return nil, nil, err
	}
	if sum.OverloadErr != nil {
		return sum, []string{}, nil
	}
	out := append(suspects.warnings(), tally.Summary(sum.KPIs)...)
	return sum, append(out, tally.Fleets()...), nil
}

// sweepSuspects gathers run's SUSPECT VALUE checks (suspectValues) over a
// sweep's points, each point's scenario checked once (its runs share it),
// one warning a field: a swept value gives each point its own words, and a
// Monte Carlo sweep of a hundred samples would print a hundred. Safe for
// concurrent use: points are checked in parallel.
type sweepSuspects struct {
	mu     sync.Mutex
	seen   map[*model.Scenario]bool
	byPath map[string]*suspectField
	order  []string // the fields in the order first warned of
}

// suspectField is one field's SUSPECT VALUE over a sweep's points: the
// first point's words, how many points warned of it and in how many words.
type suspectField struct {
	first  string
	points int
	texts  map[string]bool
}

func (s *sweepSuspects) add(sc *model.Scenario) {
	s.mu.Lock()
	if s.seen[sc] {
		s.mu.Unlock()
		return
	}
	if s.seen == nil {
		s.seen, s.byPath = map[*model.Scenario]bool{}, map[string]*suspectField{}
	}
	s.seen[sc] = true
	s.mu.Unlock()
	ws := suspectValues(sc) // outside the lock: it prices steps
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range ws {
		path := suspectPath(w)
		f := s.byPath[path]
		if f == nil {
			f = &suspectField{first: w, texts: map[string]bool{}}
			s.byPath[path] = f
			s.order = append(s.order, path)
		}
		f.points++
		f.texts[w] = true
	}
}

// warnings are the fields' SUSPECT VALUE warnings, each with the points it
// fired at where that is not every point, or where those points gave the
// field different values: the words are the first point's.
func (s *sweepSuspects) warnings() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []string{}
	for _, path := range s.order {
		f := s.byPath[path]
		w := f.first
		if f.points < len(s.seen) || len(f.texts) > 1 {
			w += fmt.Sprintf(" (At %d of the %d points checked", f.points, len(s.seen))
			if len(f.texts) > 1 {
				w += ", with values that differ among them; these words are the first's"
			}
			w += ".)"
		}
		out = append(out, w)
	}
	return out
}

// suspectPath is the field a SUSPECT VALUE warning names ("SUSPECT VALUE:
// PATH is VALUE, ...").
func suspectPath(w string) string {
	rest, _ := strings.CutPrefix(w, "SUSPECT VALUE: ")
	path, _, _ := strings.Cut(rest, " is ")
	return path
}
