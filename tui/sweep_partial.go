package tui

// A point's value that rests on some of its complete runs only (a TTFT
// where one replication completed nothing, a KPI a run stored before
// aiecon reported it lacks) is marked as aiecon sweep marks it, " (n=2)"
// beside RUNS 3/3, with its note: the rule, the mark and the note's words
// are study's (study.PartialMark, study.PartialLegend), over the
// values' own counts (the Intervals pooling gives), so the screen says
// what the CLI says of the same runs. A Monte Carlo study's points are its
// samples: the CLI counts those marked in a row as (j partial), which the
// note says.

import (
	"strings"

	"charm.land/lipgloss/v2"

	"aiecon/study"
)

// tableKPIs are the heat KPIs the points' table shows, by index, in its
// columns' order (pointRow).
var tableKPIs = []int{0, 1, 2, 3, 4, 5}

// maxPartialLines is the most lines the note takes from the table.
const maxPartialLines = 4

// partialMark is the mark after heat KPI k's value at point p: " (n=2)"
// where it rests on 2 of the point's complete runs, "" where on all.
func (s *sweepScreen) partialMark(p *sweepPoint, k int) string {
	return study.PartialMark(s.intervalOf(p, k).N, len(p.counted))
}

// partialNote is aiecon sweep's note for the table's marks: the KPIs
// marked somewhere, named as a sweep file names them (ttft_p99_s[chat]),
// each said to be lacked by old runs or undefined in the others; "" where
// no value is marked.
func (s *sweepScreen) partialNote() string {
	var names []string
	var lacked []bool
	for _, k := range tableKPIs {
		marked := false
		for i := range s.points {
			marked = marked || s.partialMark(&s.points[i], k) != ""
		}
		if !marked {
			continue
		}
		keys := s.kpiKeys(k)
		name := keys[0]
		if s.scopeName() == scopeWorst && scopedKPI(heatKPIs[k].name) {
			name = heatKPIs[k].name + " (worst workload)"
		}
		names = append(names, name)
		lacked = append(lacked, s.lacks(keys))
	}
	return study.PartialLegend(names, lacked, s.monteCarlo)
}

// kpiKeys are heat KPI k's keys in runKPIs in the screen's scope: each
// workload's for the worst workload.
func (s *sweepScreen) kpiKeys(k int) []string {
	name, sc := heatKPIs[k].name, s.scopeName()
	switch {
	case !scopedKPI(name) || sc == "":
		return []string{name}
	case sc != scopeWorst:
		return []string{kpiKey(name, sc)}
	}
	keys := make([]string, len(s.workloads))
	for i, w := range s.workloads {
		keys[i] = kpiKey(name, w)
	}
	return keys
}

// lacks says whether a counted run has no value stored under one of keys:
// stored before aiecon reported the KPI, as study's note tells apart from
// a value stored undefined.
func (s *sweepScreen) lacks(keys []string) bool {
	for i := range s.points {
		for _, r := range s.points[i].counted {
			for _, key := range keys {
				if _, ok := s.kpis[r.ID][key]; !ok {
					return true
				}
			}
		}
	}
	return false
}

// partialLines is the note (partialNote, as the table was rebuilt last)
// wrapped to w cells, at most maxPartialLines (the last cut with "…");
// none where no value is marked.
func (s *sweepScreen) partialLines(w int) []string {
	note := s.partial
	if note == "" || s.sweepID == "" || s.paired != nil {
		return nil
	}
	lines := wrapped(note, max(w, 20))
	if len(lines) > maxPartialLines {
		lines = lines[:maxPartialLines]
		last := strings.TrimRight(lines[maxPartialLines-1], " ")
		for lipgloss.Width(last+"…") > w && last != "" {
			last = string([]rune(last)[:len([]rune(last))-1])
		}
		lines[maxPartialLines-1] = last + "…"
	}
	for i, l := range lines {
		lines[i] = s.sh.st.muted.Render(l)
	}
	return lines
}
