package tui

import (
	"slices"
	"strings"

	"aiecon/model/kpi"
	"aiecon/study"
)

// The sweep screen's SLO and TTFT P99 columns read one scope: the whole
// run's (every workload's requests), one workload's, or the worst
// workload's at each point. aiecon sweep shows the scope its
// specification names (slo_attainment[chat]), and aiecon optimize ranks
// fleets by the lowest workload's attainment; the whole run's figures
// differ from both (18.0% against chat's 16.7%, 99.5% against the 98.3%
// optimize rejected), so the screen opens on the CLI's scope, names the
// one it shows, and w changes it.

// scopedKPI says whether a heat KPI is read in the screen's scope: SLO
// attainment and the latency percentile. The economics are the whole
// run's, as a fleet is paid for all its workloads.
func scopedKPI(name string) bool { return name == kpi.SLOAttainment || name == kpi.TTFTP99S }

// isWorkloadScope says whether a KPI scope is a workload's: not the whole
// run ("") nor a model pool's (model:NAME).
func isWorkloadScope(scope string) bool {
	return scope != "" && !strings.HasPrefix(scope, kpi.ModelScope(""))
}

// workloadScopes are the workload scopes any run reports a scoped heat
// KPI in, sorted.
func workloadScopes(kpis runKPIs) []string {
	var out []string
	for _, g := range kpis {
		for key := range g {
			name, scope, ok := strings.Cut(strings.TrimSuffix(key, "]"), "[")
			if ok && scopedKPI(name) && !slices.Contains(out, scope) {
				out = append(out, scope)
			}
		}
	}
	slices.Sort(out)
	return out
}

// scopeChoices are the scopes w cycles through: the whole run, each
// workload, and the worst workload where there are two or more.
func (s *sweepScreen) scopeChoices() []string {
	out := append([]string{""}, s.workloads...)
	if len(s.workloads) > 1 {
		out = append(out, scopeWorst)
	}
	return out
}

// setScope opens the screen, once, on the scope aiecon sweep shows the
// sweep's SLO and latency KPIs in (refs, its specification's KPIs): the
// workload they name; the worst workload where they name several, as
// aiecon optimize's sweep does (one attainment per workload with an SLO,
// ranked by the lowest); else the whole run. A reload keeps the user's
// choice.
func (s *sweepScreen) setScope(refs []study.KPIRef) {
	choices := s.scopeChoices()
	if s.scopeSet {
		s.scope = min(s.scope, len(choices)-1)
		return
	}
	var named []string
	for _, r := range refs {
		if scopedKPI(r.Name) && isWorkloadScope(r.Scope) && !slices.Contains(named, r.Scope) {
			named = append(named, r.Scope)
		}
	}
	want := ""
	switch {
	case len(named) == 1:
		want = named[0]
	case len(named) > 1:
		want = scopeWorst
	}
	s.scope = max(slices.Index(choices, want), 0)
	s.scopeSet = s.loaded && len(s.points) > 0
}

// scopeName is the scope the SLO and TTFT P99 columns read.
func (s *sweepScreen) scopeName() string {
	choices := s.scopeChoices()
	return choices[min(s.scope, len(choices)-1)]
}

// scopeWords names the scope in a sentence: "all workloads", "workload
// chat", "worst workload".
func scopeWords(scope string) string {
	switch scope {
	case "":
		return "all workloads"
	case scopeWorst:
		return "worst workload"
	}
	return "workload " + scope
}

// scopeTag names the scope in a column title, in five cells at most, as
// many as WORST (the status line names it in full: scopeLine): with eight
// (SHOPPIN…) the TTFT P99 and SLO titles of a two-parameter sweep with an
// OVERLOADED column came to 86 cells at 80 columns, and SLO, the figure w
// chooses the scope of, was dropped.
func scopeTag(scope string) string {
	switch scope {
	case "":
		return "ALL"
	case scopeWorst:
		return "WORST"
	}
	return fitWidth(strings.ToUpper(scope), 5)
}

// scopeLine says which scope the SLO and latency figures read.
func (s *sweepScreen) scopeLine() string {
	line := "SLO, TTFT P99 of "
	switch sc := s.scopeName(); sc {
	case "":
		line += "all workloads"
	case scopeWorst:
		line += "the worst workload (lowest SLO, highest P99)"
	default:
		line += "workload " + sc
	}
	if len(s.scopeChoices()) > 1 {
		line += " · w: scope"
	}
	return line
}

// valueOf is heat KPI k at point p in the screen's scope (intervalOf).
func (s *sweepScreen) valueOf(p *sweepPoint, k int) float64 { return s.intervalOf(p, k).Mean }

// intervalOf is heat KPI k at point p in the screen's scope, with the
// count of runs it rests on: the whole run's (sweepPoint.interval) unless
// k is scoped (scopedKPI); for the worst workload, the worst of the
// workloads' values by the KPI's direction.
func (s *sweepScreen) intervalOf(p *sweepPoint, k int) study.Interval {
	name, sc := heatKPIs[k].name, s.scopeName()
	if !scopedKPI(name) || sc == "" {
		return p.interval(k)
	}
	if sc != scopeWorst {
		if iv, ok := p.scoped[sc][k]; ok {
			return iv
		}
		return study.Interval{Mean: nan()}
	}
	worst := study.Interval{Mean: nan()}
	for _, w := range s.workloads {
		iv, ok := p.scoped[w][k]
		if !ok || undefined(iv.Mean) {
			continue
		}
		v := iv.Mean
		if undefined(worst.Mean) || (kpi.Better(name) == kpi.HigherBetter && v < worst.Mean) || (kpi.Better(name) == kpi.LowerBetter && v > worst.Mean) {
			worst = iv
		}
	}
	return worst
}

// setOverload keeps, by point, how many counted runs the overload check
// flagged (over, by point index), or why none was checked (err).
func (s *sweepScreen) setOverload(over map[int]int, err error) {
	s.overErr = err
	for i := range s.points {
		s.points[i].overloaded = over[s.points[i].Point]
	}
}

// anyOverloaded says whether a point has an overloaded run: the table
// shows its OVERLOADED column then, as aiecon sweep's does.
func (s *sweepScreen) anyOverloaded() bool { return s.overloadedPoints() > 0 }

// overloadedPoints counts the points with an overloaded run.
func (s *sweepScreen) overloadedPoints() int {
	n := 0
	for _, p := range s.points {
		if p.overloaded > 0 {
			n++
		}
	}
	return n
}
