package tui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"aiecon/sim"
	"aiecon/study"
)

// A model mix on the run screen: the Workloads tab shows run's MODELS
// table under the workloads (each model's calls, share of the answers,
// escalations, latency, SLO and instance cost, by study.ModelRows, which
// run's report prints from), and the Replicas tab names the model each
// replica serves (sim.ReplicaPools), where twelve trn2.48xlarge rows were
// told apart only by their TP degree.

// isMix reports whether the run is a model mix whose scenario is readable.
func (s *runScreen) isMix() bool {
	return s.setup != nil && s.setup.sc != nil && len(s.setup.sc.Pools) > 0
}

func newModelsTable(st *styles) *table {
	t := newTable(st, []column{
		{title: "MODEL", width: 10}, // as wide as the longest name (fillModels)
		{title: "CALLS", width: 7, right: true},
		{title: "ANSWERED", width: 8, right: true, prio: 2},
		{title: "ESCALATED", width: 9, right: true, prio: 3},
		{title: "TTFT P50", width: 8, right: true, prio: 2},
		{title: "TTFT P99", width: 8, right: true},
		{title: "TPOT P99", width: 8, right: true, prio: 1},
		{title: "E2E P99", width: 8, right: true, prio: 2},
		{title: "SLO", width: 6, right: true},
		{title: "COST", width: 9, right: true, prio: 1},
		{title: "INST $/MTOK", width: 11, right: true},
	})
	t.noCursor = true // read only: the workloads above hold the cursor
	return t
}

// replicaColumns are the Replicas tab's columns: a model mix's name the
// model of each replica after its id.
func replicaColumns(mix bool) []column {
	cols := []column{
		{title: "REPLICA", width: 7, right: true},
		{title: "INST", width: 4, right: true, prio: 2},
		{title: "TYPE", width: 14, flex: true, prio: 1},
		{title: "TP", width: 3, right: true, prio: 2},
		{title: "BUSY", width: 6, right: true},
		{title: "UP", width: 7, right: true, prio: 1},
		{title: "ITERATIONS", width: 10, right: true, prio: 3},
		{title: "PREFILL TOK", width: 11, right: true},
		{title: "DECODE TOK", width: 10, right: true},
		{title: "PREEMPT", width: 7, right: true, prio: 2},
		{title: "DONE", width: 8, right: true},
	}
	if !mix {
		return cols
	}
	return append(cols[:1:1], append([]column{{title: "MODEL", width: 10}}, cols[1:]...)...)
}

// fitReplicaColumns gives the Replicas tab a MODEL column where the run is
// a model mix, and takes it away where it is not (a reload may change it).
func (s *runScreen) fitReplicaColumns() {
	if mix := s.isMix(); mix != (len(s.replicas.cols) > len(replicaColumns(false))) {
		s.replicas = newTable(s.sh.st, replicaColumns(mix))
	}
}

// replicaModels are the model of each of the run's replicas in a mix,
// nil otherwise; "?" where the stored rows do not tell.
func (s *runScreen) replicaModels() []string {
	if !s.isMix() {
		return nil
	}
	metas := make([]sim.ReplicaMeta, len(s.d.Replicas))
	for i, r := range s.d.Replicas {
		metas[i] = r.Meta
	}
	names := sim.ReplicaPools(s.setup.sc, metas)
	width := 10
	for i, n := range names {
		if n == "" {
			names[i] = "?"
		}
		width = max(width, min(lipgloss.Width(names[i]), 24))
	}
	s.replicas.cols[1].width = width
	return names
}

// fillModels fills the MODELS table from the run's KPIs.
func (s *runScreen) fillModels() {
	if !s.isMix() {
		s.models.setRows(nil)
		return
	}
	get := func(name, scope string) float64 { return s.kpis.get(scope, name) }
	var rows [][]cell
	s.models.cols[0].width = 10
	models := study.ModelRows(s.setup.sc, get)
	secs := latencyColumns(len(models), 4, func(i, j int) float64 {
		return [...]float64{models[i].TTFTP50, models[i].TTFTP99, models[i].TPOTP99, models[i].E2EP99}[j]
	})
	for _, m := range models {
		s.models.cols[0].width = max(s.models.cols[0].width, min(lipgloss.Width(m.Pool), 24))
		slo := ct(fmtAttain(m.SLO), sloTone(m.SLO))
		if m.NoSLO {
			slo = ct("no SLO", toneMuted)
		}
		rows = append(rows, []cell{c(m.Pool), c(fmtCount(m.Calls)), c(fmtPct(m.Answered)), c(fmtCount(m.Escalated)),
			c(secs[0](m.TTFTP50)), c(secs[1](m.TTFTP99)), c(secs[2](m.TPOTP99)), c(secs[3](m.E2EP99)), slo,
			c(fmtUSD(m.Cost)), c(fmtUSD(m.CostPerMTok))})
	}
	s.models.setRows(rows)
}

// modelsNote says what the MODELS table counts, as run's note under it.
func (s *runScreen) modelsNote() string {
	span := s.setup.sc.Horizon.String()
	if s.setup.sc.Drain {
		span += " + drain"
	}
	return fmt.Sprintf("models: calls each completed · answered: its share of the final answers · latency from a call's arrival "+
		"at it · cost: its instances over %s; inst. $/Mtok: per Mtok of the calls it completed, escalated ones too", span)
}

// workloadsLayout splits the Workloads tab's h lines: the workloads
// table's, the note's lines (at most what leaves both tables room) and
// the MODELS table's, which takes up to half.
func (s *runScreen) workloadsLayout(w, h int) (wh, mh int, note []string) {
	note = strings.Split(wrap(s.modelsNote(), w), "\n")
	mh = min(len(s.models.rows)+1, max(h/2, 2))
	note = note[:min(len(note), max(h/2-mh, 1))]
	return max(h-mh-len(note), 2), mh, note
}

// sizeWorkloads sizes the Workloads tab's tables to its h lines.
func (s *runScreen) sizeWorkloads(w, h int) {
	if !s.isMix() {
		s.workloads.setSize(w, h)
		return
	}
	wh, mh, _ := s.workloadsLayout(w, h)
	s.workloads.setSize(w, wh)
	s.models.setSize(w, mh)
}

// workloadsBody is the Workloads tab in h lines: the workloads, and a
// mix's MODELS table under them after the line that says what it counts.
func (s *runScreen) workloadsBody(w, h int) string {
	if !s.isMix() {
		return s.workloads.view()
	}
	_, _, note := s.workloadsLayout(w, h)
	for i, l := range note {
		note[i] = s.sh.st.muted.Render(fitWidth(l, w))
	}
	return strings.Join(append(append([]string{s.workloads.view()}, note...), s.models.view()), "\n")
}
