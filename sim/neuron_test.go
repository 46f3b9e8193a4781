package sim

import (
	"fmt"
	"math"
	"sort"
	"testing"

	"aiecon/hw"
	"aiecon/model/llm"
)

// TestNeuronMatchesPredictor runs single requests (where the Neuron
// scheduler's one prefill per iteration and a joint context pass are the
// same) through the simulator's Neuron scheduler and compares TTFT and TPOT
// with hw.Predict, an independent closed-form timeline built from the same
// op prices. They must agree to rounding (1e-6 relative; the simulator
// rounds iterations up to whole ns).
func TestNeuronMatchesPredictor(t *testing.T) {
	points := []hw.ServingPoint{
		{Model: "llama-3-8b", Instance: "inf2.48xlarge", TP: 24, Batch: 1, SeqLen: 8192, InputTokens: 4096, OutputTokens: 4096, WeightDType: llm.INT8, TTFTMs: 1, TPOTMs: 1},
		{Model: "llama-2-13b", Instance: "trn1.32xlarge", TP: 32, Batch: 1, SeqLen: 4096, InputTokens: 128, OutputTokens: 300, WeightDType: llm.BF16, TTFTMs: 1, TPOTMs: 1},
		{Model: "llama-3.3-70b", Instance: "trn2.48xlarge", TP: 32, Batch: 1, SeqLen: 4096, InputTokens: 1000, OutputTokens: 500, WeightDType: llm.BF16, TTFTMs: 1, TPOTMs: 1},
	}
	for _, pt := range points {
		t.Run(pt.Instance, func(t *testing.T) {
			sc := scenario(t, fmt.Sprintf(`name: burst
horizon: 1h
drain: true
model: %s
precision: {weights: %s}
fleet:
  instance: %s
  price_usd_per_hour: 1
  replica: {tp: %d, per_instance: 1, scheduler: neuron, max_num_seqs: %d, max_model_len: %d}
workloads:
  - name: b
    class: api
    arrivals: {process: burst, count: %d}
    prompt_tokens: %d
    output_tokens: %d
`, pt.Model, pt.WeightDType, pt.Instance, pt.TP, pt.Batch, pt.SeqLen, pt.Batch, pt.InputTokens, pt.OutputTokens))
			_, sink := run(t, sc)
			var ttft, tpot []float64
			for _, r := range sink.Reqs {
				ttft = append(ttft, float64(r.FirstTokenNs-r.ArrivalNs)/1e9)
				tpot = append(tpot, float64(r.FinishNs-r.FirstTokenNs)/1e9/float64(r.OutputTokens-1))
			}
			arch, _ := llm.Lookup(pt.Model)
			inst, _ := hw.InstanceByName(pt.Instance)
			chip, _ := inst.ChipSpec()
			serving, _ := hw.DefaultServing(chip.StepFamily)
			perf, err := hw.NewPerf(inst, pt.TP, hw.DefaultEfficiency, serving)
			if err != nil {
				t.Fatal(err)
			}
			pred, err := hw.Predict(pt, arch, perf)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name      string
				sim, pred float64
			}{{"TTFT p50", median(ttft), pred.TTFTS}, {"TPOT p50", median(tpot), pred.TPOTS}} {
				if rel := math.Abs(c.sim-c.pred) / c.pred; rel > 1e-6 {
					t.Errorf("%s: simulator %.6f s, predictor %.6f s (relative %.2g)", c.name, c.sim, c.pred, rel)
				}
			}
		})
	}
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
