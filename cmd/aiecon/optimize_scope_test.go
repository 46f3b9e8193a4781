package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"aiecon/model"
	"aiecon/study/optimize"
)

// scopeResult is a search that met no target on a candidate searched to
// 16 instances, its SLO attainment flat from 4 up (model-mix's 70B pool read
// 84.1% to 84.8% from 1 to 256 instances), on a scenario with pools or
// not, and with variants or not.
func scopeResult(pools, variants bool) *optimize.Result {
	sc := &model.Scenario{Name: "mix", Seed: 1, Model: model.ModelRef{Name: "big"}}
	held := 0.0
	if pools {
		sc.Pools = []model.Pool{{Name: "small", Fleet: model.Fleet{Instance: "trn2.48xlarge", Count: 1, Pricing: "capacity-block"}}}
		small := "small"
		sc.Routing = &model.Routing{Rule: model.RuleSmallFirst, Small: small, Large: "big"}
		held = 35.76
	}
	if variants {
		sc.Variants = []model.Variant{{Name: "p5", Set: yaml.MapSlice{{Key: "fleet.instance", Value: "p5.48xlarge"},
			{Key: "fleet.replica.tp", Value: 8}, {Key: "fleet.pricing", Value: "on-demand"}}},
			{Name: "trn2", Set: yaml.MapSlice{{Key: "fleet.instance", Value: "trn2.48xlarge"}}}}
	}
	c := &optimize.Candidate{Layout: optimize.Layout{Instance: "trn2.48xlarge", TP: 32, MaxNumSeqs: 16}, PriceUSDPerHour: 35.76}
	var evs []*optimize.Eval
	for i, n := range []int{1, 2, 4, 8, 16} {
		att := map[int]float64{1: 0.7, 2: 0.8}[n]
		if att == 0 {
			att = 0.842
		}
		evs = append(evs, &optimize.Eval{Count: n, Point: i, Layout: c.Layout, Runs: 1, Attainment: att, FleetPerHourUSD: 35.76 * float64(n),
			HeldPerHourUSD: held, CostPerHourUSD: 35.76*float64(n) + held})
	}
	return &optimize.Result{Objective: optimize.ObjectiveCost, SLOTarget: 0.99, Replications: 1, Horizon: 10 * model.Minute, MaxCount: 16,
		SLOs: []string{"chat"}, Candidates: []*optimize.Candidate{c}, Evals: evs, Scenario: sc}
}

// TestOptimizeSaysWhatItSizes: the report names the pool it sizes and the
// pools it holds with their cost apart (model-mix's FLEET/H counted the 8B
// pool's $35.76 unsaid), says that variants are not applied and the --set
// that sizes each (gpu-vs-trainium's p5 was priced at the base's Capacity
// Blocks rate), says how many replications each figure averages, and,
// where SLO attainment stopped rising with the count, says a larger
// --max-count is no remedy and why, rather than advise one.
func TestOptimizeSaysWhatItSizes(t *testing.T) {
	tests := []struct {
		name            string
		pools, variants bool
		reps            int
		want, notWant   []string
	}{
		{"pools held", true, false, 1, []string{
			"POOLS HELD: the search sizes the main pool, big (fleet.*), alone; the scenario's other pools are held as it sets them: small (1 x trn2.48xlarge, capacity-block pricing)",
			"the held pools' cost ($35.76/h in every evaluation) is in TOTAL/H only",
			"FLEET/H is what the main pool's instances cost", "TOTAL/H adds the held pools",
			"NO FLEET MET THE TARGET: SLO attainment stopped rising with the count (trn2.48xlarge tp 32 max_num_seqs 16, 84.2% at 4 instances, 84.2% at 16)",
			"a larger --max-count is no remedy", "under small-first routing every request is answered by small first",
			"--set pools[small].fleet.count=N"},
			[]string{"raise --max-count", "VARIANTS NOT APPLIED", "replications"}},
		{"one pool, flat", false, false, 1, []string{"a larger --max-count is no remedy: what misses is each request's own service time"},
			[]string{"raise --max-count", "POOLS HELD", "held pools"}},
		{"variants", false, true, 3, []string{
			"VARIANTS NOT APPLIED: the search sizes the base scenario",
			"p5 (--set fleet.pricing=on-demand); trn2 (only the layout and count the search varies)",
			"10m simulated per evaluation, each over 3 replications, seeds 1 to 3 (margins their means, SLO attainment pooled; --format json gives each one's 95% interval)"},
			[]string{"fleet.instance=p5", "POOLS HELD"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := scopeResult(tt.pools, tt.variants)
			res.Replications = tt.reps
			var out strings.Builder
			if err := printOptimize(&out, res, "", 0); err != nil {
				t.Fatal(err)
			}
			got := out.String()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("has %q:\n%s", w, got)
				}
			}
			js, err := json.Marshal(optimizeJSON(res, ""))
			if err != nil {
				t.Fatal(err)
			}
			if tt.pools && !strings.Contains(string(js), `"held_pools_cost_per_hour_usd":35.76`) || !strings.Contains(string(js), `"scope_notes":[`) {
				t.Errorf("JSON lacks the held pools' cost or the scope notes: %s", js)
			}
		})
	}
}
