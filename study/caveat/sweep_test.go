package caveat

import (
	"fmt"
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/model/kpi"
	"aiecon/runner"
	"aiecon/sim"
	"aiecon/study"
)

func load(t *testing.T, sets ...string) *runner.Loaded {
	t.Helper()
	l, err := runner.Load("baseline", sets)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestSweepCommerceMixed: over runs of which some credit only incremental
// orders, the warning's share is the gross runs' and it says for how many
// runs it holds; over incremental runs alone, or runs that earned no
// commerce, there is none. A run added twice counts once.
func TestSweepCommerceMixed(t *testing.T) {
	gross, incr := load(t), load(t, "workloads[shopping-assistant].agent.value.incremental=0.25")
	run := func(commerce, revenue float64) []sim.KPI {
		return []sim.KPI{{Name: kpi.RevenueCommerceUSD, Value: commerce}, {Name: kpi.RevenueUSD, Value: revenue},
			{Name: kpi.RevenueUSD, Scope: "chat", Value: 1000}} // a workload's, not the run's
	}
	var mixed, none, free Sweep
	mixed.Add("a", gross, run(90, 100))
	mixed.Add("b", incr, run(20, 30))
	mixed.Add("c", gross, run(60, 100))
	mixed.Add("c", gross, run(60, 100))
	none.Add("a", incr, run(20, 30))
	free.Add("a", gross, run(0, 10))
	w := mixed.Commerce()
	if !strings.Contains(w, "the commerce line (75% of revenue)") || !strings.HasSuffix(w, "It holds for 2 of the 3 runs that earned commerce; "+
		"the others credit only the orders value.incremental says the assistant causes, so their margins differ from these by that as well as by the parameters swept.") {
		t.Errorf("mixed runs: %q", w)
	}
	if w := none.Commerce(); w != "" {
		t.Errorf("incremental runs warned: %q", w)
	}
	if w := free.Commerce(); w != "" {
		t.Errorf("runs without commerce warned: %q", w)
	}
	if got := mixed.Summary([]study.KPIRef{{Name: kpi.CostPerMTokUSD}}); len(got) != 0 {
		t.Errorf("a summary of no revenue KPI warned: %q", got)
	}
}

// TestSweepAbandoned: a sweep warns SESSIONS ABANDONED with run's rule,
// run by run: above a tenth of an agent workload's sessions while its SLO
// reads as met (90%, or none), naming the run of the largest share and
// how many runs would warn; a run whose SLO is missed, or under a tenth,
// does not count.
func TestSweepAbandoned(t *testing.T) {
	l := load(t)
	run := func(abandoned, completed, slo float64) []sim.KPI {
		return []sim.KPI{{Name: kpi.SessionAbandonRate, Scope: "shopping-assistant", Value: abandoned / (abandoned + completed)},
			{Name: kpi.SessionsAbandoned, Scope: "shopping-assistant", Value: abandoned},
			{Name: kpi.SessionsCompleted, Scope: "shopping-assistant", Value: completed},
			{Name: kpi.SLOAttainment, Scope: "shopping-assistant", Value: slo}}
	}
	var tally Sweep
	tally.Add("r1", l, run(503, 951, 1))   // 34.6%: warns
	tally.Add("r2", l, run(700, 300, 0.5)) // 70% at 50% SLO: OVERLOADED's to explain
	tally.Add("r3", l, run(50, 950, 1))    // 5%
	tally.Add("r4", l, run(200, 800, 0.95))
	w := tally.Abandoned()
	for _, want := range []string{"SESSIONS ABANDONED: in 2 of the 4 runs counted, as aiecon run warns; at the largest share, ",
		"shopping-assistant abandons 34.6% of its agent sessions (503 of 1,454 ended) while its SLO is met on 100.0% of its calls"} {
		if !strings.Contains(w, want) {
			t.Errorf("got %q, want it to contain %q", w, want)
		}
	}
	var calm Sweep
	calm.Add("r2", l, run(700, 300, 0.5))
	calm.Add("r3", l, run(50, 950, 1))
	if w := calm.Abandoned(); w != "" {
		t.Errorf("runs run would not warn for: %q", w)
	}
	if got := tally.Summary(nil); len(got) != 1 || !strings.HasPrefix(got[0], "SESSIONS ABANDONED") {
		t.Errorf("summary: %q", got)
	}
}

// TestSweepFleets: the points' fleets give run's step-times coverage
// warning once per instance type, and SCHEDULERS DIFFER where each type
// ran under its family's scheduler, not where the sweep varies the
// scheduler on one type.
func TestSweepFleets(t *testing.T) {
	trn, p5 := load(t), load(t, "fleet.instance=p5.48xlarge", "fleet.replica.tp=8", "fleet.replica.scheduler=vllm")
	var mixed, swept Sweep
	mixed.Add("a", trn, nil)
	mixed.Add("b", p5, nil)
	mixed.Add("c", trn, nil)
	ws := strings.Join(mixed.Fleets(), "\n")
	if runner.StepTimesCoverageWarning(trn.Scenario) == "" || strings.Count(ws, "For the trn2.48xlarge points: STEP TIMES") != 1 {
		t.Errorf("no single coverage warning for trn2: %q", ws)
	}
	if !strings.Contains(ws, "SCHEDULERS DIFFER: ") || !strings.Contains(ws, "trn2.48xlarge ran under neuron") || !strings.Contains(ws, "p5.48xlarge under vllm") {
		t.Errorf("no SCHEDULERS DIFFER: %q", ws)
	}
	swept.Add("a", trn, nil)
	swept.Add("b", load(t, "fleet.replica.scheduler=neuron-chunked"), nil)
	swept.Add("c", p5, nil)
	if ws := strings.Join(swept.Fleets(), "\n"); strings.Contains(ws, "SCHEDULERS DIFFER") {
		t.Errorf("a sweep of the scheduler warned: %q", ws)
	}
}

// TestSweepCoverageOnRead: the step-times coverage warning, ~12 ms a
// scenario, is computed only where Fleets reads it, once per scenario
// however many runs share it, so that aiecon sweep's summary (Summary
// alone) of many runs does not pay it for every run.
func TestSweepCoverageOnRead(t *testing.T) {
	calls := 0
	defer func(f func(*model.Scenario) string) { stepTimesCoverage = f }(stepTimesCoverage)
	stepTimesCoverage = func(sc *model.Scenario) string { calls++; return runner.StepTimesCoverageWarning(sc) }
	trn, p5 := load(t), load(t, "fleet.instance=p5.48xlarge", "fleet.replica.tp=8", "fleet.replica.scheduler=vllm")
	var tally Sweep
	for i := range 10 {
		tally.Add(fmt.Sprintf("t%d", i), trn, nil)
		tally.Add(fmt.Sprintf("p%d", i), p5, nil)
	}
	tally.Summary(nil)
	if calls != 0 {
		t.Errorf("Add and Summary computed the coverage warning %d times, want 0", calls)
	}
	tally.Fleets()
	tally.Fleets()
	if calls != 2 {
		t.Errorf("Fleets twice over 20 runs of 2 scenarios computed it %d times, want 2", calls)
	}
}

// TestLabel: a warning's label is its name, with the instance type of a
// coverage warning over a sweep's points.
func TestLabel(t *testing.T) {
	for in, want := range map[string]string{
		"SESSIONS ABANDONED: in 2 of the 4 runs counted":                                                           "SESSIONS ABANDONED",
		"For the trn2.48xlarge points: STEP TIMES THINLY FITTED: the neuron-v3 constants":                          "STEP TIMES THINLY FITTED (trn2.48xlarge)",
		"SCHEDULERS DIFFER: trn2.48xlarge ran under neuron (one prefill at a time, decoding paused while it runs)": "SCHEDULERS DIFFER",
	} {
		if got := Label(in); got != want {
			t.Errorf("Label(%q) = %q, want %q", in, got, want)
		}
	}
}
