package forecast

import (
	"testing"

	"aiecon/internal/fielddiff"
	"aiecon/model"
	"aiecon/runner"
)

// TestResolvedYAMLRoundTrips: the resolved scenario a run stores (what
// `aiecon show RUN --yaml=resolved` prints) loads back as the scenario the
// run ran, field for field, for every built-in scenario and variant and
// every slice of the built-in forecasts' first and last periods, whose
// arrival rates the forecast scales (11.250413596244188/s, which the
// resolved scenario wrote 11.2504/s, so that a rerun of it read $1,042 of
// revenue where the run had read $1,046).
func TestResolvedYAMLRoundTrips(t *testing.T) {
	var ls []*runner.Loaded
	for _, name := range model.BuiltinNames() {
		vs, err := runner.LoadVariants(name, nil, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ls = append(ls, vs...)
	}
	for _, name := range BuiltinNames() {
		f, err := Load(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, j := range f.Jobs() {
			if j.Period != 1 && j.Period != f.Spec.Periods.Count {
				continue
			}
			l, err := f.describedJob(j)
			if err != nil {
				t.Fatalf("%s, job %+v: %v", name, j, err)
			}
			ls = append(ls, l)
		}
	}
	for _, l := range ls {
		back, err := runner.LoadSource("resolved.yaml", l.Resolved, l.TraceDir, nil)
		if err != nil {
			t.Fatalf("%s: the resolved scenario does not load: %v\n%s", l.Scenario.Name, err, l.Resolved)
		}
		if diff := fielddiff.First(l.Scenario, back.Scenario); diff != "" {
			t.Errorf("%s: the resolved scenario reads back otherwise: %s", l.Scenario.Name, diff)
		}
	}
}
