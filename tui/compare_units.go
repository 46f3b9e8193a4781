package tui

import (
	"strings"

	"aiecon/data"
	"aiecon/model/kpi"
)

// The compare screen's mark for a change between values in different
// units: ad_bid_scale multiplies the bids per click under cpc and per
// thousand impressions under cpm, so between a cpc and a cpm run its
// change is the change of unit (data.CompareRow.UnitNote), which aiecon
// compare prints as "n/a (units differ: …)". The screen's Δ cell showed
// the undefined mark, which read as a KPI one of the runs lacks.

// unitsDifferMark is the Δ cell of such a change: it fits the 10 cells
// of a Δ column, and a line above the table says what it stands for
// (unitLegend).
const unitsDifferMark = "≠ units"

// unitNote is why run i's value of r is in another unit than the
// baseline's, "" where the units agree.
func unitNote(r data.CompareRow, i int) string {
	if i < len(r.UnitNote) {
		return r.UnitNote[i]
	}
	return ""
}

// unitLegend is a line for each KPI of rows whose Δ cell of a run in
// shown is unitsDifferMark, and each reason, naming the runs: "≠ units ·
// ad bid scale, B against A: per click under cpc, per thousand
// impressions under cpm". None where the units agree.
func unitLegend(rows []data.CompareRow, shown []int) []string {
	var out []string
	for _, r := range rows {
		var order []string
		runs := map[string][]string{}
		for _, i := range shown {
			note := unitNote(r, i)
			if i == 0 || note == "" {
				continue
			}
			if _, ok := runs[note]; !ok {
				order = append(order, note)
			}
			runs[note] = append(runs[note], runLetter(i))
		}
		for _, note := range order {
			out = append(out, unitsDifferMark+" · "+kpi.Label(r.Name)+", "+strings.Join(runs[note], ", ")+" against A: "+
				strings.TrimPrefix(note, "units differ: "))
		}
	}
	return out
}

// unitLines are the unit legend wrapped to w cells.
func (s *compareScreen) unitLines(w int) []string {
	var out []string
	for _, l := range s.units {
		out = append(out, strings.Split(wrap(l, w), "\n")...)
	}
	return out
}

// ownLines are the lines between the warnings and the info line: the note
// of the runs that do not fit, where it has lines of its own, and the
// unit legend.
func (s *compareScreen) ownLines(w int) int { return len(s.fitLines(w)) + len(s.unitLines(w)) }
