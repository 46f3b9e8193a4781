package forecast

import (
	"errors"
	"strings"
	"testing"

	"aiecon/runner"
)

// TestSliceFieldsRefused: a set of a field the forecast sets for every
// slice (horizon, seed, drain, a workload's start hour) did nothing, in
// the forecast's set, a variant's or a roadmap step's: it is refused at its
// line, saying what sets it in a forecast.
func TestSliceFieldsRefused(t *testing.T) {
	for _, tt := range []struct{ name, edit, with, want string }{
		{"forecast horizon", "set:\n", "set:\n  horizon: 10m\n", "test.yaml:4:12: set.horizon: the forecast sets it per slice, whatever a set gives: every slice runs day.horizon"},
		{"forecast seed", "set:\n", "set:\n  seed: 5\n", "test.yaml:4:9: set.seed: the forecast sets it per slice, whatever a set gives: each slice's run is seeded from the forecast's top-level seed"},
		{"variant drain", "    procurement: {mode: rented, min: 1, max: 6}\n", "    procurement: {mode: rented, min: 1, max: 6}\n    set: {drain: true}\n",
			"test.yaml:18:18: variants[1].set.drain: the forecast sets it per slice, whatever a set gives: no slice drains"},
		{"step seed", "variants:\n", "roadmap:\n  - {from: 2, set: {seed: 99}}\nvariants:\n", "test.yaml:13:27: roadmap[0].set.seed: the forecast sets it per slice"},
		{"variant start hour", "    procurement: {mode: rented, min: 1, max: 6}\n",
			"    procurement: {mode: rented, min: 1, max: 6}\n    set:\n      workloads[chat].arrivals.start_hour: 3\n",
			"test.yaml:19:44: variants[1].set.workloads[chat].arrivals.start_hour: the forecast sets it per slice, whatever a set gives: each slice starts at its place in the day; move the slices with day.start_hour"},
	} {
		src := strings.Replace(small, tt.edit, tt.with, 1)
		if src == small {
			t.Fatalf("%s: edit %q not found", tt.name, tt.edit)
		}
		_, err := Parse("test.yaml", []byte(src), "")
		var ie *runner.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an input error with %q", tt.name, err, tt.want)
		}
	}
}
