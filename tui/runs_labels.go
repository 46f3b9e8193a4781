package tui

// The runs list's labels: a sweep and what it varies, a point compact in
// the table and in full on the status line.

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"aiecon/data"
)

// unfolded says whether a sweep shows its points: when the user opened
// it, and while a filter is typed (so that a search finds points).
func (s *runsScreen) unfolded(sweep string) bool {
	return s.open[sweep] || strings.TrimSpace(s.filter.Value()) != ""
}

// sweepLabel names a sweep and what it varies (count × rate), so that a
// folded sweep still says what its points are.
func (s *runsScreen) sweepLabel(id string, runs int) string {
	sw, ok := s.sweeps[id]
	if !ok {
		return fmt.Sprintf("sweep %s · %d run%s", s.sh.short(id), runs, plural(runs))
	}
	label := fmt.Sprintf("%s · %d point%s", sw.Name, sw.Points, plural(sw.Points))
	if keys := s.sweepKeys(id); keys != "" {
		label += " over " + keys
	}
	return label + fmt.Sprintf(" · %d run%s", runs, plural(runs))
}

// sweepKeys are the parameters a sweep varies, short names in the sweep's
// order, from any one of its points.
func (s *runsScreen) sweepKeys(id string) string {
	for _, js := range s.params[id] {
		ps, err := parseParams(js)
		if err != nil || len(ps) == 0 {
			continue
		}
		var keys []string
		for _, p := range ps {
			keys = append(keys, shortKey(p.key))
		}
		return strings.Join(keys, " × ")
	}
	return ""
}

// pointLabel is a sweep point's row label: compact (trn1.32xl tp8 x4) in
// the table, every parameter spelled out for the status line.
func (s *runsScreen) pointLabel(r *data.RunSummary, compact bool) string {
	if js, ok := s.params[r.SweepID][r.SweepPoint]; ok {
		if ps, err := parseParams(js); err == nil && len(ps) > 0 {
			label := paramsLabel(ps)
			if compact {
				label = compactParams(ps)
			}
			if r.Replication > 0 {
				label += fmt.Sprintf(" #%d", r.Replication+1)
			}
			return label
		}
	}
	return fmt.Sprintf("point %d", r.SweepPoint)
}

// selectedLabel is the whole label of the row under the cursor, which the
// table may have cut: a run's name, a sweep point's parameters in full.
func (s *runsScreen) selectedLabel() string {
	row := s.current()
	switch {
	case row == nil:
		return ""
	case row.run == nil:
		return row.label
	case row.run.SweepID != "":
		return fmt.Sprintf("%s point %d: %s", s.sweeps[row.run.SweepID].Name, row.run.SweepPoint, s.pointLabel(row.run, false))
	}
	return row.run.Name
}

// statusWithSelection puts the counts on the left and the selection's
// full label after them. Where both do not fit, the sort and the rest of
// the status give way before the label does (counts stays: the tests and
// the eye look for it); only then is the label cut.
func statusWithSelection(st *styles, status, counts, label string, w int) string {
	if label == "" {
		return fitWidth(st.muted.Render(status), w)
	}
	if lipgloss.Width(status+" · "+label) > w {
		status = counts
	}
	return fitWidth(st.muted.Render(status+" · ")+label, w)
}
