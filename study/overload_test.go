package study

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/runner"
	"aiecon/sim"
)

// TestSummarizeChecked: each run that counts is checked once, with its
// own point's scenario and its own KPIs, and the summary counts the runs
// (points) and samples (Monte Carlo rows) flagged; a check that fails
// leaves the summary whole, unchecked.
func TestSummarizeChecked(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	p := plan(t, `name: tiny
base: baseline
set: {horizon: 20s}
parameters:
  fleet.count: [1, 2]
replications: 2
kpis: [cost_per_mtok_usd]
`)
	id := data.NewID()
	if _, err := Register(ctx, s, p, id); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(ctx, p, Options{Store: s, SweepID: id, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	// Flag the 1-instance runs, read from the scenario handed over; the
	// KPIs must be the run's own (every scope, not only those summarised).
	check := func(l *runner.Loaded, runID string, kpis []sim.KPI) (bool, error) {
		if seen[runID] {
			t.Errorf("run %s checked twice", runID)
		}
		seen[runID] = true
		arrived := false
		for _, k := range kpis {
			arrived = arrived || k.Name == "requests_arrived" && k.Scope == "" && k.Value > 0
		}
		if !arrived {
			t.Errorf("run %s: its KPIs lack requests_arrived", runID)
		}
		// The scenario is the point's as Plan.Load resolves it (the
		// check resolves it without its YAML, from the base decoded once).
		want, err := p.Load(p.Points[l.Scenario.Fleet.Count-1], 0)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(l.Scenario, want.Scenario) {
			t.Errorf("run %s: checked with a scenario other than its point's", runID)
		}
		return l.Scenario.Fleet.Count == 1, nil
	}
	sum, err := SummarizeChecked(ctx, s, id, p, ShardSpec{}, check)
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 4 || !sum.OverloadChecked || sum.OverloadErr != nil {
		t.Fatalf("%d runs checked, checked %v (%v); want 4", len(seen), sum.OverloadChecked, sum.OverloadErr)
	}
	if got := []int{sum.Points[0].Overloaded, sum.Points[1].Overloaded}; got[0] != 2 || got[1] != 0 {
		t.Errorf("overloaded runs per point %v, want [2 0]", got)
	}
	var b strings.Builder
	if err := sum.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "RUNS  OVERLOADED  cost_per_mtok_usd") || !strings.Contains(b.String(), "\nOVERLOADED k/n: k of the point's n complete runs warn OVERLOADED or SATURATED") {
		t.Errorf("no OVERLOADED column or legend:\n%s", b.String())
	}
	bad, err := SummarizeChecked(ctx, s, id, p, ShardSpec{}, func(*runner.Loaded, string, []sim.KPI) (bool, error) {
		return false, errors.New("no such run")
	})
	if err != nil || bad.OverloadChecked || bad.OverloadErr == nil || !strings.Contains(bad.OverloadErr.Error(), "no such run") || bad.Points[0].Runs != 2 {
		t.Errorf("a failing check: err %v, checked %v, why %v; want the summary unchecked", err, bad.OverloadChecked, bad.OverloadErr)
	}
}

// TestOverloadColumn: the table marks the points (Monte Carlo rows) with
// overloaded runs in an OVERLOADED column, k/n, with a legend under it;
// without any, it is as before. CSV and JSON carry the counts wherever
// the runs were checked.
func TestOverloadColumn(t *testing.T) {
	cost := KPIRef{Name: "cost_per_mtok_usd"}
	pt := func(i, over int) PointStats {
		return PointStats{Point: Point{Index: i, Params: []Param{{Path: "fleet.count", Value: Value{YAML: "2"}}}}, Runs: 3,
			KPIs: []Interval{{N: 3, Mean: 3.35, HalfWidth: 0.09}}, Overloaded: over, HorizonS: 1200, SimS: 1200}
	}
	grid := &Summary{KPIs: []KPIRef{cost}, Units: []string{"USD/Mtok"}, Points: []PointStats{pt(0, 0), pt(1, 2)}, OverloadChecked: true}
	mc := &Summary{KPIs: []KPIRef{cost}, Units: []string{"USD/Mtok"}, Points: []PointStats{pt(0, 1)}, OverloadChecked: true,
		MonteCarlo: []GroupSpread{{Group: 0, Params: []Param{{Path: "fleet.count", Value: Value{YAML: "2"}}}, Samples: 40, Overloaded: 25,
			KPIs: []Spread{{N: 40, Mean: 4.2}}, HorizonS: math.NaN(), SimS: math.NaN()}}}
	tests := []struct {
		name string
		s    *Summary
		want []string
	}{
		{"grid", grid, []string{"POINT  fleet.count  RUNS  OVERLOADED  cost_per_mtok_usd (USD/Mtok)\n0      2            3                 3.35 ± 0.09\n" +
			"1      2            3     2/3         3.35 ± 0.09\n\nOVERLOADED k/n: k of the point's n complete runs warn"}},
		{"monte carlo", mc, []string{"ROW  fleet.count  SAMPLES  OVERLOADED  KPI", "0    2            40       25/40       cost_per_mtok_usd",
			"\nOVERLOADED k/n: in k of the row's n samples a run warns OVERLOADED or SATURATED"}},
	}
	for _, tt := range tests {
		var b strings.Builder
		if err := tt.s.WriteTable(&b); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: table lacks %q:\n%s", tt.name, w, b.String())
			}
		}
	}
	var csvGrid, csvMC strings.Builder
	if err := grid.WriteCSV(&csvGrid); err != nil {
		t.Fatal(err)
	}
	if err := mc.WriteCSV(&csvMC); err != nil {
		t.Fatal(err)
	}
	// The counts before horizon_s and sim_s, which come last (empty where
	// unknown), a Monte Carlo row's partial_samples between them.
	if !strings.Contains(csvGrid.String(), "_n,overloaded_runs,horizon_s,sim_s\n") || !strings.Contains(csvGrid.String(), ",3,2,1200,1200\n") ||
		!strings.Contains(csvMC.String(), ",replications,overloaded_samples,partial_samples,horizon_s,sim_s\n") || !strings.Contains(csvMC.String(), ",pooled,25,0,,\n") {
		t.Errorf("CSV lacks the counts:\n%s\n%s", csvGrid.String(), csvMC.String())
	}
	js, err := json.Marshal(mc.JSONView())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"overloaded_samples":25`) || !strings.Contains(string(js), `"overloaded_runs":1`) || !strings.Contains(string(js), `"overload_checked":true`) {
		t.Errorf("JSON lacks the counts: %s", js)
	}
	grid.Points[1].Overloaded = 0
	var b strings.Builder
	if err := grid.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "OVERLOADED") {
		t.Errorf("no run overloaded, yet marked:\n%s", b.String())
	}
}
