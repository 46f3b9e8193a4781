package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/study/optimize"
)

// Optimize marks each candidate whose step-time constants do not cover it
// (optimize.Candidate.Extrapolated, runner.MainFleetGaps: what run's STEP
// TIMES EXTRAPOLATED checks, and the chip carried over), and warns when the
// choice rests on such a candidate: the best, or one rejected where it
// would otherwise have been chosen. A strategist comparing trn2 with p5
// reads which side of the comparison no measurement pins.

// extrapAxes are the axes in the order a mark lists them, with their
// letters in the EXTRAP column.
var extrapAxes = []struct{ axis, code string }{
	{hw.AxisChip, "X"}, {hw.AxisTP, "T"}, {hw.AxisSize, "S"}, {hw.AxisWeights, "W"}, {hw.AxisExperts, "E"},
	{hw.AxisMoE, "M"}, {hw.AxisPrompt, "P"}, {hw.AxisContext, "C"}, {hw.AxisBatch, "B"}, {hw.AxisSpec, "D"},
}

// extrapAxisNames are the legend's words for each axis where its name alone
// would not say it.
var extrapAxisNames = map[string]string{
	hw.AxisChip:  "chip carried over (constants fitted to other chips)",
	hw.AxisBatch: "batch (max_num_seqs)",
}

// axesOf are the axes gaps lie on, once each, in extrapAxes' order.
func axesOf(gaps []hw.Gap) []string {
	var out []string
	for _, a := range extrapAxes {
		if slices.ContainsFunc(gaps, func(g hw.Gap) bool { return g.Axis == a.axis }) {
			out = append(out, a.axis)
		}
	}
	return out
}

// extrapMark is a candidate's EXTRAP column: a letter per axis its step
// times are extrapolated on ("SB"), "-" for none.
func extrapMark(c *optimize.Candidate) string {
	var b strings.Builder
	for _, ax := range axesOf(c.Extrapolated) {
		for _, a := range extrapAxes {
			if a.axis == ax {
				b.WriteString(a.code)
			}
		}
	}
	if b.Len() == 0 {
		return "-"
	}
	return b.String()
}

// candidateOf is an evaluation's candidate, nil where the index is not one.
func candidateOf(res *optimize.Result, e *optimize.Eval) *optimize.Candidate {
	if e == nil || e.Candidate < 0 || e.Candidate >= len(res.Candidates) {
		return nil
	}
	return res.Candidates[e.Candidate]
}

// evalMark is extrapMark of an evaluation's candidate.
func evalMark(res *optimize.Result, e *optimize.Eval) string {
	if c := candidateOf(res, e); c != nil {
		return extrapMark(c)
	}
	return "-"
}

// extrapLegend says what the EXTRAP letters used by the candidates run
// mean; without any, that every one lies within its measurements.
func extrapLegend(res *optimize.Result) string {
	var gaps []hw.Gap
	for _, c := range res.Candidates {
		if c.Pruned == "" {
			gaps = append(gaps, c.Extrapolated...)
		}
	}
	axes := axesOf(gaps)
	if len(axes) == 0 {
		return "EXTRAP: - = step times within the measurements their constants were fitted to, for every candidate"
	}
	var parts []string
	for _, a := range extrapAxes {
		if slices.Contains(axes, a.axis) {
			name := a.axis
			if n, ok := extrapAxisNames[a.axis]; ok {
				name = n
			}
			parts = append(parts, a.code+" "+name)
		}
	}
	return "EXTRAP: where a candidate's step times are EXTRAPOLATED beyond the measurements their constants were fitted to " +
		"(run's STEP TIMES EXTRAPOLATED and BY TRANSFER warnings): " + strings.Join(parts, ", ") + "; - = within them; the figures are in --format json"
}

// axisWords names axes for a warning, as the legend does.
func axisWords(axes []string) string {
	out := make([]string, len(axes))
	for i, a := range axes {
		out[i] = a
		if n, ok := extrapAxisNames[a]; ok {
			out[i] = n
		}
	}
	return strings.Join(out, ", ")
}

// extrapWarnings are the warnings on extrapolated step times under the
// tables: the best's, with the figures, and the rivals' (Result.Rivals),
// one group per instance type naming its axes, and whether the choice
// between instance types rests on them.
func extrapWarnings(res *optimize.Result) []string {
	var out []string
	if c := candidateOf(res, res.Best); c != nil && len(c.Extrapolated) > 0 {
		details := make([]string, len(c.Extrapolated))
		lengths := ""
		for i, g := range c.Extrapolated {
			details[i] = g.Detail
			if g.Axis == hw.AxisPrompt || g.Axis == hw.AxisContext {
				lengths = estimatedLengths
			}
		}
		out = append(out, fmt.Sprintf("STEP TIMES EXTRAPOLATED for the best fleet: %s: %s%s; compare it with a measurement before deciding on it (docs/calibration.md).",
			c.ExtrapolatedFleet, strings.Join(details, "; "), lengths))
	}
	if w := rivalsWarning(res); w != "" {
		out = append(out, w)
	}
	return append(out, coverageWarnings(res)...)
}

// estimatedLengths says why the best fleet's prompt and context lengths
// are not run's: the search reads them from the scenario's distributions
// (about their p99) for every candidate alike, where run reads the p99 of
// the calls it served, which a cut at the distribution's max moves (6,000
// here, 6,143 in run for the same fleet, with no word why).
const estimatedLengths = " (lengths estimated from the scenario's distributions, about their p99, as for every candidate; " +
	"aiecon run of this fleet prints the p99 of the calls it served, which can differ)"

// coverageWarnings are run's warnings on constants not cross-validated on
// their chip (an estimate, carried over, thinly fitted), once per instance
// type, for every candidate evaluated (the best's first): each was ranked
// on them, the ones dearer than the best too, which lost on step times a
// measurement might change (baseline's trn2 candidates, on neuron-v3
// constants fitted to 2 rows, lost to 1 x p4de.24xlarge, and nothing said
// so). Such constants are within their measurements, so no EXTRAP letter
// marks them, yet the comparison rests on them.
func coverageWarnings(res *optimize.Result) []string {
	var out []string
	seen := map[string]bool{}
	best := candidateOf(res, res.Best)
	for _, c := range append([]*optimize.Candidate{best}, evaluatedCandidates(res)...) {
		if c == nil || c.Coverage == "" || seen[c.Instance] {
			continue
		}
		seen[c.Instance] = true
		w := fmt.Sprintf("For the %s candidates: %s", c.Instance, c.Coverage)
		if best != nil && c.Instance != best.Instance {
			w += fmt.Sprintf(" The ranking of %s, the best, above them rests on these constants.", best.Instance)
		}
		out = append(out, w)
	}
	return out
}

// evaluatedCandidates are the candidates with an evaluation that
// completed a run, in candidate order.
func evaluatedCandidates(res *optimize.Result) []*optimize.Candidate {
	ran := map[int]bool{}
	for _, e := range res.Evals {
		ran[e.Candidate] = ran[e.Candidate] || e.Runs > 0
	}
	var out []*optimize.Candidate
	for i, c := range res.Candidates {
		if ran[i] && c.Pruned == "" {
			out = append(out, c)
		}
	}
	return out
}

// rivalsWarning says which rejected candidates that would otherwise have
// been chosen rest on extrapolated constants: "" when none does.
func rivalsWarning(res *optimize.Result) string {
	var groups, types []string
	byType := map[string][]*optimize.Candidate{}
	for _, c := range res.Rivals() {
		if len(c.Extrapolated) == 0 {
			continue
		}
		if _, ok := byType[c.Instance]; !ok {
			types = append(types, c.Instance)
		}
		byType[c.Instance] = append(byType[c.Instance], c)
	}
	if len(types) == 0 {
		return ""
	}
	for _, t := range types {
		groups = append(groups, rivalGroup(t, byType[t]))
	}
	return fmt.Sprintf("STEP TIMES EXTRAPOLATED for candidates rejected %s: %s. Each missed the target on step times its constants do not cover, "+
		"so %s rests partly on extrapolation; 'aiecon run' with a candidate's layout gives the figures (step_times_extrapolations "+
		"in --format json), and a measurement of it settles the comparison (docs/calibration.md).",
		rivalsWhere(res), strings.Join(groups, "; "), choiceWhat(res, types))
}

// rivalGroup is one instance type's rivals: their TP degrees and batch
// limits, and the axes any of them is extrapolated on.
func rivalGroup(instance string, cs []*optimize.Candidate) string {
	var tps, seqs []int
	var gaps []hw.Gap
	for _, c := range cs {
		if !slices.Contains(tps, c.TP) {
			tps = append(tps, c.TP)
		}
		if !slices.Contains(seqs, c.MaxNumSeqs) {
			seqs = append(seqs, c.MaxNumSeqs)
		}
		gaps = append(gaps, c.Extrapolated...)
	}
	slices.Sort(tps)
	slices.Sort(seqs)
	return fmt.Sprintf("%s at TP %s, max_num_seqs %s (%s) on %s", instance, model.JoinInts(tps), model.JoinInts(seqs),
		plural(len(cs), "candidate"), axisWords(axesOf(gaps)))
}

// rivalsWhere says where the rivals were rejected, by the objective.
func rivalsWhere(res *optimize.Result) string {
	b := res.Best
	switch {
	case b == nil:
		return "(no fleet met the target)"
	case res.Objective == optimize.ObjectiveMargin:
		return fmt.Sprintf("where they earned more than the best's %s over %s", fmtUSD(b.MarginUSD), res.Horizon)
	}
	return fmt.Sprintf("at a fleet cost below the best's %s/h", fmtUSD(b.FleetPerHourUSD))
}

// choiceWhat names the choice the rivals weigh on: between instance types
// where they are of another type than the best, among its layouts where
// not, or the answer that no fleet met the target.
func choiceWhat(res *optimize.Result, types []string) string {
	b := res.Best
	if b == nil {
		return "the finding that no fleet met it"
	}
	others := slices.DeleteFunc(slices.Clone(types), func(t string) bool { return t == b.Layout.Instance })
	if len(others) == 0 {
		return fmt.Sprintf("the choice among %s layouts", b.Layout.Instance)
	}
	return fmt.Sprintf("the choice of %s over %s", b.Layout.Instance, strings.Join(others, " and "))
}

// printExtrapWarnings prints extrapWarnings under a WARNING heading, each
// paragraph wrapped to width (wrapWriter; 0: one line each).
func printExtrapWarnings(w io.Writer, res *optimize.Result, width int) error {
	ws := extrapWarnings(res)
	if len(ws) == 0 {
		return nil
	}
	if _, err := fmt.Fprintln(w, "\nWARNING"); err != nil {
		return err
	}
	for _, s := range ws {
		if err := fprintWrapped(w, width, "  %s\n", s); err != nil {
			return err
		}
	}
	return nil
}

// gapsJSON are a candidate's extrapolations for --format json: each axis
// with its brief and its detail, [] when covered.
func gapsJSON(c *optimize.Candidate) []any {
	out := []any{}
	if c == nil {
		return out
	}
	for _, g := range c.Extrapolated {
		out = append(out, map[string]any{"axis": g.Axis, "brief": g.Brief, "detail": g.Detail})
	}
	return out
}

// extrapNotes are extrapWarnings for --format json: [] when none.
func extrapNotes(res *optimize.Result) []string {
	if ws := extrapWarnings(res); ws != nil {
		return ws
	}
	return []string{}
}
