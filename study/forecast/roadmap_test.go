package forecast

import (
	"strings"
	"testing"
)

// TestRoadmapAppliesByPeriod: roadmap steps apply in the order of their
// periods, the forecast's before a variant's within one period, whatever
// order the file lists them in. Applied in list order, a step from
// period 3 listed before one from 2 never took effect, and a variant's
// step from 2 undid the forecast's from 4.
func TestRoadmapAppliesByPeriod(t *testing.T) {
	f := parse(t, `name: order
base: baseline
periods: {count: 4, length: quarter}
day: {slices: 1, horizon: 1m}
roadmap:
  - {from: 3, set: {fleet.replica.max_num_seqs: 8}}
  - {from: 2, set: {fleet.replica.max_num_seqs: 12}}
  - {from: 4, set: {fleet.replica.max_num_seqs: 10}}
variants:
  - {name: plain, procurement: {mode: rented}}
  - {name: early, procurement: {mode: rented}, roadmap: [{from: 2, set: {fleet.replica.max_num_seqs: 6}}]}
  - {name: tie, procurement: {mode: rented}, roadmap: [{from: 4, set: {fleet.replica.max_num_seqs: 14}}]}
`)
	want := map[string][]string{
		"plain": {"", "12", "8", "10"},
		"early": {"", "6", "8", "10"},  // the forecast's step from 4 follows the variant's from 2
		"tie":   {"", "12", "8", "14"}, // within a period the variant's step follows the forecast's
	}
	for _, j := range f.Jobs() {
		got := ""
		for _, s := range j.Sets {
			if v, ok := strings.CutPrefix(s, "fleet.replica.max_num_seqs="); ok {
				got = v // the last set of a path wins
			}
		}
		name := f.Variants[j.Variant].Name
		if w := want[name][j.Period-1]; got != w {
			t.Errorf("%s, period %d: max_num_seqs %q, want %q", name, j.Period, got, w)
		}
	}
}
