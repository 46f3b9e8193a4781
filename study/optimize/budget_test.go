package optimize

import (
	"context"
	"errors"
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/runner"
	"aiecon/study"
)

// TestEvalsPerCandidateBoundsTheSearch: the estimate's evaluations a
// candidate are at least what a cost search makes, wherever its smallest
// feasible count lies (never feasible too), so the refusal is not
// estimated short, and at most two more.
func TestEvalsPerCandidateBoundsTheSearch(t *testing.T) {
	for _, maxN := range []int{1, 2, 3, 20, 256, 1000} {
		most := 0
		for need := 1; need <= maxN+1; need++ {
			o := &optimizer{opts: Options{Objective: ObjectiveCost, MaxCount: maxN}}
			c := &Candidate{PriceUSDPerHour: 10}
			got := drive(t, o, c, 1e300, func(n int) bool { return n >= need }, func(int) float64 { return 0 })
			most = max(most, len(got))
		}
		if bound := evalsPerCandidate(maxN, ObjectiveCost); most > bound || bound > most+2 {
			t.Errorf("max count %d: searches made up to %d evaluations, estimate %d", maxN, most, bound)
		}
	}
}

// TestSearchPastMaxRunsRefused: --replications 10000 with --max-count
// 100000 started some 600,000 runs of round 1, tens of hours, with nothing
// said; it is refused before anything is stored, naming the product and
// what to lower, as a sweep past study.MaxRuns is. A search within it
// announces its size before round 1.
func TestSearchPastMaxRunsRefused(t *testing.T) {
	src, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	store := openStore(t)
	base := study.Base{Ref: "baseline", Name: "baseline", Source: src}
	// A cancelled context: were the search not refused, it would stop at
	// round 1 with the context's error, not run for hours.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	planned := false
	_, err = Run(ctx, Options{Base: base, Store: store, Replications: 10000, MaxCount: 100000,
		Planned: func(Estimate) { planned = true }})
	var ie *runner.InputError
	if !errors.As(err, &ie) || planned {
		t.Fatalf("want an input error before the search is announced, got %v (announced: %v)", err, planned)
	}
	for _, want := range []string{"x up to 34 evaluations each", "x 10000 replications", "more than the 1000000 a search may have", "is an upper bound", "lower --replications"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q lacks %q", err, want)
		}
	}
	if ids, err := store.Sweeps(context.Background()); err != nil || len(ids) != 0 {
		t.Errorf("a refused search stored sweeps %v (%v)", ids, err)
	}
	// Within the budget: announced with round 1's exact runs, then run
	// (here stopped at once by the cancelled context).
	var est Estimate
	_, _ = Run(ctx, Options{Base: base, Store: store, Instances: []string{"trn2.48xlarge"}, TP: []int{16, 32}, MaxNumSeqs: []int{16},
		Replications: 3, Planned: func(e Estimate) { est = e }})
	if est.Candidates != 2 || est.FirstRound != 6 || est.Runs != 6*evalsPerCandidate(DefaultMaxCount, ObjectiveCost) {
		t.Errorf("announced %+v, want 2 candidates, 6 runs in round 1", est)
	}
}

// TestEstimateStringPlurals: one evaluation, candidate or replication is
// singular; the size line read "up to 1 evaluations a candidate"
// (review213 B4).
func TestEstimateStringPlurals(t *testing.T) {
	one := Estimate{Candidates: 1, Replications: 1, EvalsPerCandidate: 1, MaxCount: 1, FirstRound: 1, Runs: 1}.String()
	for _, want := range []string{"1 candidate to search", "x 1 replication: 1 run in round 1", "up to 1 evaluation a candidate"} {
		if !strings.Contains(one, want) {
			t.Errorf("%q lacks %q", one, want)
		}
	}
	many := Estimate{Candidates: 2, Replications: 3, EvalsPerCandidate: 4, MaxCount: 8, FirstRound: 6, Runs: 24}.String()
	for _, want := range []string{"2 candidates to search", "x 3 replications: 6 runs in round 1", "up to 4 evaluations a candidate"} {
		if !strings.Contains(many, want) {
			t.Errorf("%q lacks %q", many, want)
		}
	}
}
