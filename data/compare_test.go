package data

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestHorizonWarning: runs of different horizons are warned about with
// each run's horizon in order; equal or unknown horizons are not.
func TestHorizonWarning(t *testing.T) {
	tests := []struct {
		name     string
		horizons []float64 // seconds
		want     string    // in the warning; "" for no warning
	}{
		{"same", []float64{3600, 3600}, ""},
		{"2d against 1h", []float64{172800, 3600}, "different horizons (2d, 1h): totals such as revenue"},
		{"the third differs", []float64{60, 60, 120}, "different horizons (1m, 1m, 2m)"},
		{"unknown is no difference", []float64{math.NaN(), 3600, 3600}, ""},
		{"unknown beside a difference", []float64{math.NaN(), 60, 3600}, "different horizons (?, 1m, 1h)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Comparison{}
			for _, h := range tt.horizons {
				c.Runs = append(c.Runs, RunSummary{HorizonS: h})
			}
			got := c.HorizonWarning()
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("HorizonWarning() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHorizonWarningDrained: with drain: true runs of one horizon simulate
// it plus their own drains, and their totals cover unequal times: two runs
// of 2m that simulated 166.4 s and 170.4 s (p5-chat-api at 12/s, one
// instance) are warned about with each run's time; drains within
// DrainTolerance of each other, or runs that did not drain, are not.
func TestHorizonWarningDrained(t *testing.T) {
	for _, tt := range []struct {
		name string
		sims []float64 // seconds simulated; each run's horizon is 120
		want string
	}{
		{"unequal drains", []float64{170.4, 166.4}, "different times (2m50.4s (2m + drain), 2m46.4s (2m + drain)): each drained past its horizon"},
		{"one drained", []float64{120, 130}, "different times (2m, 2m10s (2m + drain))"},
		{"drains within the tolerance", []float64{150, 150.5}, ""},
		{"no drain", []float64{120, 120}, ""},
		{"unknown", []float64{math.NaN(), math.NaN()}, ""},
	} {
		c := &Comparison{}
		for _, sim := range tt.sims {
			c.Runs = append(c.Runs, RunSummary{HorizonS: 120, SimS: sim})
		}
		got := c.HorizonWarning()
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("%s: HorizonWarning() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestSeedOnly: runs that resolved to one scenario but for the seed are
// told apart from runs of different settings, and say their deltas are
// noise.
func TestSeedOnly(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	store := func(name string, seed uint64, resolved string, version ...string) string {
		t.Helper()
		return storeResolved(t, s, name, seed, resolved, append(version, "test")[0])
	}
	a := store("a", 1, "name: x\nseed: 1\nhorizon: 1h\n")
	b := store("b", 2, "name: x\nseed: 2\nhorizon: 1h\n")
	c := store("c", 3, "name: x\nseed: 3\nhorizon: 2h\n")
	d := store("d", 1, "name: x\nseed: 1\nhorizon: 1h\n")
	e := store("e", 5, "name: x\nseed: 5\nhorizon: 1h\n", "v2")
	for _, tt := range []struct {
		ids  []string
		want bool
	}{
		{[]string{a, b}, true},
		{[]string{a, b, c}, false}, // c has another horizon
		{[]string{a, d}, false},    // one seed: the same run twice, not noise
		{[]string{a, e}, false},    // another aiecon version may count the scenario otherwise
	} {
		cmp, err := s.Compare(ctx, tt.ids)
		if err != nil {
			t.Fatal(err)
		}
		if cmp.SeedOnly != tt.want || (cmp.NoiseWarning() != "") != tt.want {
			t.Errorf("%d runs: seed only %v (%q), want %v", len(tt.ids), cmp.SeedOnly, cmp.NoiseWarning(), tt.want)
		}
	}
}

// TestFreshnessWarning: runs of which some have a training block and others
// none are warned about (their ads and commerce differ by a change of
// model, not by retraining), naming which is which; runs that agree, or
// whose scenario is unknown, are not, nor a run whose training block has
// no ads or commerce to multiply (research-licensing beside baseline was
// told its ads and commerce differed by freshness: it has neither).
func TestFreshnessWarning(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	store := func(seed uint64, resolved string) string {
		t.Helper()
		return storeResolved(t, s, "x", seed, resolved, "test")
	}
	plain := store(1, "name: x\nseed: 1\nhorizon: 1h\n")
	plain2 := store(2, "name: x\nseed: 1\nhorizon: 1h\nads:\n  ctr: 0.004\n")
	const training = "training:\n  every: 720h0m0s\n"
	trained := store(3, "name: x\nseed: 1\nhorizon: 1h\n"+training+converting)
	unknown := store(4, "")
	trainedAds := store(5, "name: x\nseed: 1\nhorizon: 1h\n"+training+"ads:\n  ctr: 0.004\n"+agentWorkload(0))
	trainedNothing := store(6, "name: x\nseed: 1\nhorizon: 1h\n"+training+agentWorkload(0))
	trainedNoAgent := store(7, "name: x\nseed: 1\nhorizon: 1h\n"+training+"ads:\n  ctr: 0.004\n")
	for _, tt := range []struct {
		name string
		ids  []string
		want string // "" for no warning
	}{
		{"retraining added", []string{plain, trained}, "run 2 has a training block"},
		{"retraining dropped", []string{trained, plain, plain2}, "run 2, run 3 have none"},
		{"none trains", []string{plain, plain2}, ""},
		{"unknown scenario", []string{trained, unknown}, ""},
		{"trained with ads", []string{plain, trainedAds}, "run 2 has a training block"},
		{"trained, nothing to multiply", []string{plain, trainedNothing}, ""},
		{"trained, ads but no agent to show them", []string{plain, trainedNoAgent}, ""},
		{"left out beside one that multiplies", []string{plain, trainedNothing, trained}, "run 3 has a training block"},
	} {
		c, err := s.Compare(ctx, tt.ids)
		if err != nil {
			t.Fatal(err)
		}
		got := c.FreshnessWarning()
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) || (got != "" && !slices.Contains(c.Warnings(), got)) {
			t.Errorf("%s: warning %q, want %q in it (and among Warnings)", tt.name, got, tt.want)
		}
	}
}

// converting is a workload block of an agent whose completed sessions
// convert: freshness multiplies its conversion.
var converting = agentWorkload(0.03)

// agentWorkload is a workload block of one agent converting at conversion.
func agentWorkload(conversion float64) string {
	return fmt.Sprintf("workloads:\n  - name: shop\n    class: agent\n    agent:\n      value: {fee: 0.01, conversion: %g}\n", conversion)
}

// storeResolved stores a short synthetic run under the given name, seed,
// resolved scenario and version, and returns its id.
func storeResolved(t *testing.T, s *Store, name string, seed uint64, resolved, version string) string {
	t.Helper()
	r := newSynthRun(seed, 10)
	w, err := s.BeginRun(context.Background(), RunInfo{Name: name, ScenarioYAML: "name: x\n", ResolvedYAML: resolved, Seed: seed, Version: version})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.play(w, 1000, true); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(1); err != nil {
		t.Fatal(err)
	}
	return w.ID()
}

// TestWarningsNaming: the warnings that name runs call run i labels[i]
// (compare's csv and json pass the ids), and "the baseline", "run 2"
// without labels, as the table heads them.
func TestWarningsNaming(t *testing.T) {
	c := &Comparison{Overloaded: []bool{false, true},
		Freshness: []sql.NullBool{{Bool: true, Valid: true}, {Bool: false, Valid: true}}}
	for _, tt := range []struct {
		labels    []string
		want, not []string
	}{
		{nil, []string{"OVERLOADED: run 2's fleet", "the baseline has a training block", "run 2 has none"}, []string{"run abc"}},
		{[]string{"run abc", "run def"}, []string{"OVERLOADED: run def's fleet", "run abc has a training block", "run def has none"},
			[]string{"run 2", "the baseline"}},
	} {
		all := strings.Join(c.WarningsNaming(tt.labels), "\n")
		for _, w := range tt.want {
			if !strings.Contains(all, w) {
				t.Errorf("labels %q: warnings lack %q:\n%s", tt.labels, w, all)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(all, w) {
				t.Errorf("labels %q: warnings say %q:\n%s", tt.labels, w, all)
			}
		}
	}
}

// TestOverloadMixWarningAgrees: the comparison's OVERLOADED warning
// agrees its verb with the fleets it names: "a load they sustains" read
// where two were flagged.
func TestOverloadMixWarningAgrees(t *testing.T) {
	for _, tt := range []struct {
		over      []bool
		want, not string
	}{
		{[]bool{false, true}, "run 2's fleet fell behind its traffic (its report warns OVERLOADED or SATURATED), so its latency, " +
			"cost per Mtok and margin describe a backlog, not a load it sustains, and", "they"},
		{[]bool{true, true, false}, "the fleets of the baseline and run 2 fell behind their traffic (their reports warn OVERLOADED or SATURATED), " +
			"so their latency, cost per Mtok and margin describe a backlog, not a load they sustain, and", "sustains"},
		// Several are a list, not possessives joined by "and" ("the
		// baseline's and run 2's and run 3's fleets").
		{[]bool{true, true, true}, "OVERLOADED: the fleets of the baseline, run 2 and run 3 fell behind their traffic", "'s"},
	} {
		got := OverloadMixWarning([]string{"the baseline", "run 2", "run 3"}, tt.over)
		if !strings.Contains(got, tt.want) || strings.Contains(got, tt.not) {
			t.Errorf("%v: %q, want %q and no %q", tt.over, got, tt.want, tt.not)
		}
	}
}
