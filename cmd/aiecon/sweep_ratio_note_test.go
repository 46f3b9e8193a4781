package main

import (
	"strings"
	"testing"

	"aiecon/study"
)

// TestAveragedRatiosNote: the note on ratio KPIs averaged over the runs is
// true for the summary it heads. With one replication a point's value is
// its one run's ratio, pooled or not, and has no interval: the note said
// "with a t interval" (review230 F15). A Monte Carlo sample is a mean with
// no interval of its own.
func TestAveragedRatiosNote(t *testing.T) {
	rs := []string{"prefix_cache_hit_rate[model:small]"}
	cases := []struct {
		name          string
		sum           *study.Summary
		rs            []string
		want, notWant string
	}{
		{"one replication", &study.Summary{Replications: 1}, rs, "", ""},
		{"none averaged", &study.Summary{Replications: 3}, nil, "", ""},
		{"replications", &study.Summary{Replications: 3}, rs, "prefix_cache_hit_rate[model:small]: the mean of the runs' own ratios with a t interval, not pooled", ""},
		{"monte carlo", &study.Summary{Replications: 2, MonteCarlo: []study.GroupSpread{{}}}, rs, "a sample's value is the mean of its runs' own ratios, not pooled", "t interval"},
		{"monte carlo, one replication", &study.Summary{Replications: 1, MonteCarlo: []study.GroupSpread{{}}}, rs, "", ""},
	}
	for _, c := range cases {
		got := averagedRatiosNote(c.sum, c.rs)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: note %q, want one containing %q", c.name, got, c.want)
		}
		if c.notWant != "" && strings.Contains(got, c.notWant) {
			t.Errorf("%s: note %q says %q", c.name, got, c.notWant)
		}
	}
}
