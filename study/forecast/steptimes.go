package forecast

import (
	"strings"

	"aiecon/runner"
)

// stepTimes fills each fleet's step-time provenance and caveats: what its
// runs' step-time constants were fitted to (runner.StepTimesSource, of its
// first period) and the warnings aiecon run gives on them
// (runner.StepTimesCoverageWarning, StepTimesExtrapolatedWarning). A
// forecast's verdict between variants rests on those constants as much as
// a run's latency does (the built-in's owned trn2 loses twice the owned
// p5en's sessions on Trainium2 constants fitted to two measurements), so
// the report says so where a run would. Each variant's scenario is its
// first slice's in each period (first sample, first day): what the
// warnings read (instance, model, TP, formats, batch slots) is the same
// in every slice of a period; lengths are estimated from the scenario,
// as before a run. A warning that holds in some periods only names them.
func (r *Report) stepTimes(f *Forecast) {
	byVariant := make([]map[string][]int, len(f.Variants)) // warning -> the periods it holds in
	order := make([][]string, len(f.Variants))
	periods := make([][]int, len(f.Variants))
	current := make([][]string, len(f.Variants)) // the warnings of the last scenario loaded
	first := -1
	for _, j := range f.Jobs() {
		if first < 0 {
			first = j.Sample
		}
		if j.Sample != first || j.Day != 0 || j.Slice != 0 {
			continue
		}
		v := j.Variant
		if f.roadmapStepAt(f.Variants[v], j.Period) || current[v] == nil {
			// Between roadmap steps only demand, prices and contracts
			// change, which none of the warnings reads.
			l, err := f.loadJob(j)
			if err != nil {
				current[v] = nil
				continue // Execute refuses it with its error
			}
			sc := l.Scenario
			if r.Fleets[v].StepTimesSource == "" {
				r.Fleets[v].StepTimesSource = runner.StepTimesSource(sc, nil)
			}
			current[v] = []string{runner.StepTimesCoverageWarning(sc), runner.StepTimesExtrapolatedWarning(sc, nil)}
		}
		periods[v] = append(periods[v], j.Period)
		if byVariant[v] == nil {
			byVariant[v] = map[string][]int{}
		}
		for _, w := range current[v] {
			if w == "" {
				continue
			}
			if _, ok := byVariant[v][w]; !ok {
				order[v] = append(order[v], w)
			}
			byVariant[v][w] = append(byVariant[v][w], j.Period)
		}
	}
	for v, ws := range order {
		for _, w := range ws {
			if ks := byVariant[v][w]; len(ks) < len(periods[v]) {
				w = r.inPeriods(w, ks)
			}
			r.Fleets[v].StepTimeWarnings = append(r.Fleets[v].StepTimeWarnings, w)
		}
	}
}

// inPeriods names the periods a warning holds in after its head: "STEP
// TIMES EXTRAPOLATED (quarters 5-12): ...".
func (r *Report) inPeriods(w string, ks []int) string {
	head, rest, ok := strings.Cut(w, ": ")
	if !ok {
		return "(" + r.periodList(ks) + ") " + w
	}
	return head + " (" + r.periodList(ks) + "): " + rest
}
