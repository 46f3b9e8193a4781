package study

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"aiecon/data"
)

// TestOriginErrorNamesTheBuilds: the refusal to resume names each other
// build with its runs, and the one to finish the sweep with.
func TestOriginErrorNamesTheBuilds(t *testing.T) {
	tests := []struct {
		runs   int
		others []data.SweepBuild
		want   string
	}{
		{3, []data.SweepBuild{{Version: "v1", Runs: 3}},
			"sweep s: its 3 complete runs were made by aiecon v1, not by this aiecon v2: "},
		{5, []data.SweepBuild{{Version: "v1", Runs: 3}, {Version: "", Runs: 1}},
			"sweep s: of its 5 complete runs, 3 were made by aiecon v1 and 1 by an aiecon that recorded no version, not by this aiecon v2: "},
		{1, []data.SweepBuild{{Version: "v1", Runs: 1}},
			"sweep s: its 1 complete run was made by aiecon v1, not by this aiecon v2: "},
		{2, []data.SweepBuild{{Version: "v1", Runs: 1}, {Version: "v0", Runs: 1}},
			"sweep s: of its 2 complete runs, 1 was made by aiecon v1 and 1 by aiecon v0, not by this aiecon v2: "},
	}
	for _, tt := range tests {
		err := &OriginError{SweepID: "s", Version: "v2", Runs: tt.runs, Others: tt.others}
		if got := err.Error(); !strings.HasPrefix(got, tt.want) || !strings.Contains(got, "finish it with aiecon v1") {
			t.Errorf("%s\nwant it to start %q and name aiecon v1 to finish it", got, tt.want)
		}
	}
}

// storedRuns resolves every replication of every point of a sweep of
// base with points values of fleet.count and reps replications, as a
// complete sweep stored them, newest first.
func storedRuns(tb testing.TB, base string, points, reps int) (*Plan, []data.SweepScenario) {
	tb.Helper()
	counts := make([]string, points)
	for i := range counts {
		counts[i] = fmt.Sprint(i + 1)
	}
	src := fmt.Sprintf("name: s\nbase: %s\nset: {horizon: 1m}\nparameters:\n  fleet.count: [%s]\nreplications: %d\n",
		base, strings.Join(counts, ", "), reps)
	sp, err := ParseSpec("s.yaml", []byte(src), tb.TempDir(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := NewPlan(sp)
	if err != nil {
		tb.Fatal(err)
	}
	var runs []data.SweepScenario
	for _, pt := range p.Points {
		for rep := range reps {
			l, err := p.Load(pt, rep)
			if err != nil {
				tb.Fatal(err)
			}
			runs = append(runs, data.SweepScenario{RunID: fmt.Sprintf("r%d-%d", pt.Index, rep), Point: pt.Index, Replication: rep,
				ResolvedYAML: string(l.Resolved)})
		}
	}
	slices.Reverse(runs)
	return p, runs
}

// TestOriginResolvesEachPointOnce: a resume compared every complete run by
// resolving its scenario, about 4 ms each (10,000 runs took 19 s on two
// cores before any output). The replications of a point differ only in
// their seed: each point is resolved once, and a run that differs anywhere,
// its seed line included, is still found, with the line a full comparison
// names.
func TestOriginResolvesEachPointOnce(t *testing.T) {
	p, runs := storedRuns(t, "baseline", 3, 4)
	c := newScenarioChecker(p)
	if d := c.check(t.Context(), runs); d != nil {
		t.Fatalf("runs resolved by this build differ: %+v", d)
	}
	if n := c.loads.Load(); n != 3 {
		t.Errorf("%d scenarios resolved for 3 points of 4 replications, want 3", n)
	}

	edited := func(i int, edit func(string) string) []data.SweepScenario {
		out := slices.Clone(runs)
		out[i].ResolvedYAML = edit(out[i].ResolvedYAML)
		return out
	}
	otherSeed := func(s string) string { return strings.Replace(s, "\nseed: ", "\nseed: 9", 1) }
	tests := []struct {
		name string
		runs []data.SweepScenario
		at   int // the run found
	}{
		{"an older run's text", edited(9, func(s string) string { return s + "# another build\n" }), 9},
		{"a seed line", edited(5, otherSeed), 5},
		{"the run its point was resolved for", edited(0, func(s string) string { return strings.Replace(s, "horizon: 1m", "horizon: 2m", 1) }), 0},
	}
	for _, tt := range tests {
		d := newScenarioChecker(p).check(t.Context(), tt.runs)
		want := compareScenario(p, tt.runs[tt.at])
		if d == nil || want == nil || *d != *want {
			t.Errorf("%s: found %+v, want %+v", tt.name, d, want)
		}
	}
}

// BenchmarkOriginCheck: the resume's check of 1,000 complete runs (10
// points of 100 replications of baseline), resolving every run as it did
// and each point once as it does.
func BenchmarkOriginCheck(b *testing.B) {
	p, runs := storedRuns(b, "baseline", 10, 100)
	b.Run("every-run", func(b *testing.B) {
		for b.Loop() {
			diffs := make([]*scenarioDiff, len(runs))
			Each(b.Context(), len(runs), runtime.GOMAXPROCS(0), func(i int) { diffs[i] = compareScenario(p, runs[i]) })
		}
	})
	b.Run("each-point", func(b *testing.B) {
		for b.Loop() {
			c := newScenarioChecker(p)
			for batch := range slices.Chunk(runs, compareBatch) {
				if c.check(b.Context(), batch) != nil {
					b.Fatal("a run differs")
				}
			}
		}
	})
}
