package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// A heatmap cell stands for every point at its x and y values. Where the
// sweep varies other parameters too, a cell is the mean over them (the
// optimizer's p5.48xlarge at TP 8 read $3.08/Mtok, the mean of twelve
// fleets from 1 to 4 instances, $1.41 to $4.74, none of which costs
// $3.08): the heatmap says so and over how many points, and s pins the
// other parameters to one combination of their values at a time.

// otherKeys are the parameters on neither axis that take more than one
// value, in the sweep's order.
func (s *sweepScreen) otherKeys() []string {
	var out []string
	for _, k := range s.keys_ {
		if k != s.xParam() && k != s.yParam() && len(s.axisValues(k)) > 1 {
			out = append(out, k)
		}
	}
	return out
}

// otherCombos are the distinct combinations of the other parameters'
// values among the points, ordered by each parameter's axis order.
func (s *sweepScreen) otherCombos() [][]param {
	keys := s.otherKeys()
	if len(keys) == 0 {
		return nil
	}
	rank := map[string]map[string]int{}
	for _, k := range keys {
		rank[k] = map[string]int{}
		for i, v := range s.axisValues(k) {
			rank[k][v.value] = i
		}
	}
	var out [][]param
	seen := map[string]bool{}
	for _, p := range s.points {
		combo := make([]param, len(keys))
		for i, k := range keys {
			combo[i] = p.params[k]
		}
		if id := comboID(combo); !seen[id] {
			seen[id] = true
			out = append(out, combo)
		}
	}
	slices.SortFunc(out, func(a, b []param) int {
		for i, k := range keys {
			if d := rank[k][a[i].value] - rank[k][b[i].value]; d != 0 {
				return d
			}
		}
		return 0
	})
	return out
}

// comboID is a combination's identity: its values.
func comboID(combo []param) string {
	ids := make([]string, len(combo))
	for i, q := range combo {
		ids[i] = q.value
	}
	return strings.Join(ids, "\x00")
}

// nextPin moves the heatmap to the next combination of the other
// parameters, and after the last back to the mean over all of them. Where
// there are none to pin (a sweep of two parameters, both on the axes),
// it says so in the footer: help lists s, and it did nothing.
func (s *sweepScreen) nextPin() tea.Cmd {
	n := len(s.otherCombos())
	if n < 2 {
		s.pin = -1
		if s.xParam() == "" || s.yParam() == "" {
			return notice("s (heatmap slice) pins the parameters off the heatmap's axes: this sweep has no heatmap", false)
		}
		return notice(fmt.Sprintf("s (heatmap slice) has nothing to pin: the sweep varies only %s and %s, the heatmap's axes, so each cell is one point",
			shortKey(s.xParam()), shortKey(s.yParam())), false)
	}
	s.pin++
	if s.pin >= n {
		s.pin = -1
	}
	return nil
}

// inPin says whether point p is in the combination the heatmap shows
// (every point when it averages over them).
func (s *sweepScreen) inPin(p *sweepPoint, combos [][]param) bool {
	if s.pin < 0 || s.pin >= len(combos) {
		return true
	}
	for i, k := range s.otherKeys() {
		if p.params[k].value != combos[s.pin][i].value {
			return false
		}
	}
	return true
}

// sliceLine says what a heatmap cell holds when the sweep varies other
// parameters than the axes: the mean over how many points and which
// parameters, or the combination it is pinned to. "" when a cell is one
// point.
func (s *sweepScreen) sliceLine(cells [][]heatCell, combos [][]param) string {
	keys := s.otherKeys()
	if len(combos) < 2 {
		return ""
	}
	if s.pin >= 0 && s.pin < len(combos) {
		at := make([]string, len(keys))
		for i, k := range keys {
			v := combos[s.pin][i].shown()
			if v == "" {
				v = dash
			}
			at[i] = shortKey(k) + " " + v
		}
		return fmt.Sprintf("at %s (%d of %d) · s: next", strings.Join(at, ", "), s.pin+1, len(combos))
	}
	lo, hi := 0, 0
	for _, row := range cells {
		for _, c := range row {
			if c.n > 0 && (lo == 0 || c.n < lo) {
				lo = c.n
			}
			hi = max(hi, c.n)
		}
	}
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = shortKey(k)
	}
	if hi == 1 {
		return fmt.Sprintf("a cell: one point, whose %s differ between cells · s: one combination", strings.Join(names, ", "))
	}
	n := fmt.Sprint(hi)
	if lo != hi {
		n = fmt.Sprintf("%d to %d", lo, hi)
	}
	return fmt.Sprintf("a cell: mean of %s points over %s · s: one combination", n, strings.Join(names, ", "))
}
