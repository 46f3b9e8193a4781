package optimize

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/study"
)

// TestCandidatesCarryTheirExtrapolation: each candidate is checked against
// the measurements its family's constants were fitted to as it would run
// (its own TP degree, max_num_seqs and scheduler defaults, the lengths
// bounded from the scenario), with the axes it lies outside them on; a
// covered one carries none.
func TestCandidatesCarryTheirExtrapolation(t *testing.T) {
	const src = `
name: x
model: MODEL
fleet: {instance: p5.48xlarge, pricing: on-demand, replica: {tp: 2}}
workloads:
  - {name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: {dist: lognormal, median: 1000, p99: PROMPT}, output_tokens: 200, slo: {ttft: 2s}}
`
	tests := []struct {
		name, model, prompt, instance string
		tp, seqs                      int
		wantFleet                     string
		wantAxes                      []string
		wantDetail                    string
	}{
		{"covered", "llama-3.1-8b", "2000", "p5.48xlarge", 2, 64, "", nil, ""},
		{"prompts past the GPU rows' 2,048", "llama-3.1-8b", "3000", "p5.48xlarge", 2, 64, "llama-3.1-8b at TP 2 on p5.48xlarge (gpu constants)",
			[]string{hw.AxisPrompt}, "prompts to 3,000 tokens, while the measurements they were fitted to reached 2,048"},
		{"long prompts", "llama-3.1-8b", "9000", "p5.48xlarge", 2, 64, "llama-3.1-8b at TP 2 on p5.48xlarge (gpu constants)",
			[]string{hw.AxisPrompt, hw.AxisContext}, "prompts to 9,000 tokens, while the measurements they were fitted to reached 2,048"},
		{"MoE on dense constants", "mixtral-8x7b", "2000", "p5.48xlarge", 2, 64, "mixtral-8x7b at TP 2 on p5.48xlarge (gpu constants)",
			[]string{hw.AxisMoE}, "a mixture of experts, while every measurement they were fitted to served a dense model"},
		{"chip carried over", "llama-3.1-8b", "2000", "p6-b200.48xlarge", 2, 64, "llama-3.1-8b at TP 2 on p6-b200.48xlarge (gpu constants)",
			[]string{hw.AxisChip}, "constants carried over to B200 from measurements of H100 and H200"},
		// On inf2 the Neuron scheduler's max_model_len, 16,384, cuts the
		// 40,000-token prompts to 16,383 (past neuron-v2's longest row,
		// 8,192, but their contexts within 2x its longest), and 16
		// sequences are within 2x of its batches of 8: only the prompts
		// are flagged, at 16,383, where the file's p5 fleet, unbounded,
		// would have read 40,000.
		{"inf2 cut to its max_model_len", "llama-3.1-8b", "40000", "inf2.48xlarge", 24, 16, "llama-3.1-8b at TP 24 on inf2.48xlarge (neuron-v2 constants)",
			[]string{hw.AxisPrompt}, "prompts to 16,383 tokens, while the measurements they were fitted to reached 8,192"},
		{"inf2 past its batches", "llama-3.1-8b", "3000", "inf2.48xlarge", 24, 32, "llama-3.1-8b at TP 24 on inf2.48xlarge (neuron-v2 constants)",
			[]string{hw.AxisBatch}, "batches of up to 32 sequences, while the measurements they were fitted to ran 1 to 8 at once"},
	}
	for _, tt := range tests {
		y := strings.NewReplacer("MODEL", tt.model, "PROMPT", tt.prompt).Replace(src)
		o, err := newOptimizer(Options{Base: study.Base{Name: "x.yaml", Source: []byte(y)}, Store: openStore(t), SLOTarget: 0.99,
			Instances: []string{tt.instance}, TP: []int{tt.tp}, MaxNumSeqs: []int{tt.seqs}})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if err := o.candidates(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		c := o.res.Candidates[0]
		var axes, details []string
		for _, g := range c.Extrapolated {
			axes, details = append(axes, g.Axis), append(details, g.Detail)
		}
		if c.Pruned != "" || c.ExtrapolatedFleet != tt.wantFleet || fmt.Sprint(axes) != fmt.Sprint(tt.wantAxes) ||
			!strings.Contains(strings.Join(details, "; "), tt.wantDetail) {
			t.Errorf("%s: pruned %q, %q on %q: %q; want %q on %q: %q", tt.name, c.Pruned, c.ExtrapolatedFleet, axes, details,
				tt.wantFleet, tt.wantAxes, tt.wantDetail)
		}
	}
}

// TestRivals: a rival is a candidate other than the best's whose complete
// evaluation missed the target where it would otherwise have won (cheaper
// under cost, a higher margin under margin); with no best, every
// candidate whose evaluation completed and missed.
func TestRivals(t *testing.T) {
	ev := func(c int, usd, margin float64, feasible bool, runs int) *Eval {
		return &Eval{Candidate: c, FleetPerHourUSD: usd, MarginUSD: margin, Feasible: feasible, Runs: runs, SessionAbandon: math.NaN()}
	}
	cands := func() []*Candidate {
		var out []*Candidate
		for _, in := range []string{"trn2.48xlarge", "p5.48xlarge", "p4de.24xlarge", "inf2.48xlarge"} {
			out = append(out, &Candidate{Layout: Layout{Instance: in}})
		}
		return out
	}
	tests := []struct {
		name      string
		objective string
		evals     []*Eval
		best      int // index into evals, -1 for none
		want      []string
	}{
		{"cost: the cheaper miss, not the dearer nor the best's own", ObjectiveCost,
			[]*Eval{ev(0, 35, 10, false, 1), ev(1, 39, 100, true, 1), ev(1, 20, 50, false, 1), ev(2, 50, 10, false, 1)}, 1,
			[]string{"trn2.48xlarge"}},
		{"cost: a feasible cheaper fleet or a failed run is no rival", ObjectiveCost,
			[]*Eval{ev(0, 35, 10, true, 1), ev(1, 39, 100, true, 1), ev(2, 10, 10, false, 0)}, 1, nil},
		{"cost: a candidate that met the target dearer, missed cheaper", ObjectiveCost,
			[]*Eval{ev(3, 13, 10, false, 1), ev(3, 26, 10, true, 1), ev(1, 20, 100, true, 1)}, 2, []string{"inf2.48xlarge"}},
		{"margin: the miss that earned more, not the cheaper one that earned less", ObjectiveMargin,
			[]*Eval{ev(0, 35, 120, false, 1), ev(1, 39, 100, true, 1), ev(2, 15, 90, false, 1)}, 1, []string{"trn2.48xlarge"}},
		{"no best: every complete miss", ObjectiveCost,
			[]*Eval{ev(2, 15, 90, false, 1), ev(0, 35, 120, false, 1), ev(3, 1, 1, false, 0)}, -1, []string{"trn2.48xlarge", "p4de.24xlarge"}},
	}
	for _, tt := range tests {
		r := &Result{Objective: tt.objective, Candidates: cands(), Evals: tt.evals}
		if tt.best >= 0 {
			r.Best = tt.evals[tt.best]
		}
		var got []string
		for _, c := range r.Rivals() {
			got = append(got, c.Instance)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: rivals %q, want %q", tt.name, got, tt.want)
		}
	}
}
