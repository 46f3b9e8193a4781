package tui

// The runs list's labels: a sweep and what it varies, a forecast and its
// calendar, a member compact in the table and in full on the status line.

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"

	"aiecon/data"
)

// unfolded says whether a sweep or forecast shows its runs: when the user
// opened it, and while a filter is typed (so that a search finds them).
func (s *runsScreen) unfolded(group string) bool {
	return s.open[group] || strings.TrimSpace(s.filter.Value()) != ""
}

// sortByPlace puts a group's runs in its own order: a sweep's by point and
// replication, a forecast's by variant (in the order the forecast ran
// them), sample, period, day and slice.
func (s *runsScreen) sortByPlace(members []*data.RunSummary, forecast bool) {
	if !forecast {
		slices.SortStableFunc(members, func(a, b *data.RunSummary) int {
			return cmp.Or(cmp.Compare(a.SweepPoint, b.SweepPoint), cmp.Compare(a.Replication, b.Replication))
		})
		return
	}
	first := map[string]string{} // variant -> its first run id
	for _, m := range members {
		v := s.forecasts[m.ID].variant
		if id, ok := first[v]; !ok || m.ID < id {
			first[v] = m.ID
		}
	}
	slices.SortStableFunc(members, func(a, b *data.RunSummary) int {
		fa, fb := s.forecasts[a.ID], s.forecasts[b.ID]
		return cmp.Or(cmp.Compare(first[fa.variant], first[fb.variant]), cmp.Compare(fa.sample, fb.sample),
			cmp.Compare(fa.period, fb.period), cmp.Compare(fa.day, fb.day), cmp.Compare(fa.slice, fb.slice))
	})
}

// pointsTogether keeps a sorted sweep's runs under their points: each
// point's parent run (its lowest replication listed, the row labelled
// without #n) ranks the point by its own value, and the point's other
// replications follow it, in the sort's order among themselves. Sorted
// run by run, a point's replications scattered through the sweep
// (x2 #2 first, x2 eleventh), so that its runs could not be read
// together. members are in the sort's order.
func pointsTogether(members []*data.RunSummary) []*data.RunSummary {
	parent := map[int]*data.RunSummary{}
	for _, m := range members {
		if p, ok := parent[m.SweepPoint]; !ok || m.Replication < p.Replication {
			parent[m.SweepPoint] = m
		}
	}
	children := map[int][]*data.RunSummary{} // in the sort's order
	for _, m := range members {
		if parent[m.SweepPoint] != m {
			children[m.SweepPoint] = append(children[m.SweepPoint], m)
		}
	}
	out := make([]*data.RunSummary, 0, len(members))
	for _, p := range members {
		if parent[p.SweepPoint] == p {
			out = append(append(out, p), children[p.SweepPoint]...)
		}
	}
	return out
}

// variantsTogether keeps a sorted forecast's runs under their variants:
// each variant ranks by its run the sort puts first, and its runs (every
// sample, period, day and slice) follow in the sort's order. A forecast
// has no row that stands for its variant, as a point's first replication
// does (pointsTogether), so a variant ranks by its best run by the sort:
// the first row is still the forecast's first by it. Sorted run by run, a
// variant's samples scattered among the other variants' (owned s2 first,
// rented s1 second), so that a variant's runs could not be read together.
// members are in the sort's order.
func (s *runsScreen) variantsTogether(members []*data.RunSummary) []*data.RunSummary {
	var order []string // variants, by their first run in the sort's order
	runs := map[string][]*data.RunSummary{}
	for _, m := range members {
		v := s.forecasts[m.ID].variant
		if _, ok := runs[v]; !ok {
			order = append(order, v)
		}
		runs[v] = append(runs[v], m)
	}
	out := make([]*data.RunSummary, 0, len(members))
	for _, v := range order {
		out = append(out, runs[v]...)
	}
	return out
}

// forecastLabel names a forecast and its shape (4 quarters × 3 variants),
// so that its folded line says what its runs are; the status line adds
// the word forecast, which 80 columns have no room for.
func (s *runsScreen) forecastLabel(id string, runs int) string {
	var name, length string
	variants, periods := map[string]bool{}, 0
	for _, f := range s.forecasts {
		if f.forecast == id {
			name, length = f.name, f.periodLength
			variants[f.variant] = true
			periods = max(periods, f.period)
		}
	}
	return fmt.Sprintf("%s · %d %s%s × %d variant%s · %d run%s", name, periods, length, plural(periods),
		len(variants), plural(len(variants)), runs, plural(runs))
}

// memberLabel is the row label of a run in a sweep or forecast: compact
// in the table (owned-p5en q4 d0 h2: variant, period, representative day,
// slice of the day), in full for the status line. The sample shows only
// where the forecast drew several.
func (s *runsScreen) memberLabel(r *data.RunSummary, compact bool) string {
	f, ok := s.forecasts[r.ID]
	if !ok {
		return s.pointLabel(r, compact)
	}
	if compact {
		label := f.variant
		if f.samples > 1 {
			label += fmt.Sprintf(" s%d", f.sample)
		}
		return label + fmt.Sprintf(" %.1s%d d%d h%d", f.periodLength, f.period, f.day, f.slice)
	}
	label := f.name + ": " + f.variant
	if f.samples > 1 {
		label += fmt.Sprintf(", sample %d", f.sample)
	}
	return label + fmt.Sprintf(", %s %d, day %d, slice %d", f.periodLength, f.period, f.day, f.slice)
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
// order, those that some point gives a value (not an optimizer's scheduler
// "" on every candidate).
func (s *runsScreen) sweepKeys(id string) string {
	var all []param // every point has the sweep's parameters in its order
	set := map[string]bool{}
	for _, js := range s.params[id] {
		ps, err := parseParams(js)
		if err != nil {
			continue
		}
		all = ps
		for _, p := range telling(ps) {
			set[p.key] = true
		}
	}
	keys := slices.DeleteFunc(all, func(p param) bool { return !set[p.key] })
	return strings.Join(labelKeys(keys), " × ")
}

// pointLabel is a sweep point's row label: compact (trn1.32xl tp8 x4) in
// the table, every parameter spelled out for the status line.
func (s *runsScreen) pointLabel(r *data.RunSummary, compact bool) string {
	if js, ok := s.params[r.SweepID][r.SweepPoint]; ok {
		if ps, err := parseParams(js); err == nil && len(telling(ps)) > 0 {
			ps = telling(ps)
			label := paramsLabel(ps)
			if compact {
				label = compactParams(ps)
			}
			// The replication as the run's stored name and the sweep's
			// results number it (r2, replication 2): a 1-based #3 named
			// the run whose own header read r2.
			if r.Replication > 0 {
				label += fmt.Sprintf(" r%d", r.Replication)
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
	case row.run == nil && row.forecast:
		return "forecast " + row.label
	case row.run == nil:
		return row.label
	case row.run.SweepID != "":
		return fmt.Sprintf("%s point %d: %s", s.sweeps[row.run.SweepID].Name, row.run.SweepPoint, s.pointLabel(row.run, false))
	case row.forecast:
		return s.memberLabel(row.run, false)
	}
	return row.run.Name
}

// statusWithSelection puts the status on the left and the selection's
// full label after them. Where both do not fit, the rest of the status
// gives way to keep (the counts and the sort: the tests and the eye look
// for them); then the label is cut.
func statusWithSelection(st *styles, status, keep, label string, w int) string {
	if label == "" {
		return fitWidth(st.muted.Render(status), w)
	}
	if lipgloss.Width(status+" · "+label) > w {
		status = keep
	}
	return fitWidth(st.muted.Render(status+" · ")+label, w)
}
