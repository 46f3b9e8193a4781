package sim

import (
	"fmt"
	"math"
	"sort"
	"testing"

	"aiecon/hw"
	"aiecon/model/llm"
)

// TestNeuronMatchesStaticPredictor runs each published serving point as a
// burst of identical requests through the simulator's Neuron scheduler and
// compares TTFT and TPOT with hw.PredictStatic, an independent closed-form
// timeline of the same scheduler. They price the same ops, so they must agree
// to rounding (1e-6 relative; the simulator rounds iterations up to whole ns).
func TestNeuronMatchesStaticPredictor(t *testing.T) {
	for _, pt := range hw.PublishedServingPoints() {
		t.Run(pt.Instance, func(t *testing.T) {
			sc := scenario(t, fmt.Sprintf(`name: burst
horizon: 1h
drain: true
model: %s
precision: {weights: %s}
fleet:
  instance: %s
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
			serving, _ := hw.DefaultServing(hw.FamilyNeuron)
			perf, err := hw.NewPerf(inst, pt.TP, hw.DefaultEfficiency, serving)
			if err != nil {
				t.Fatal(err)
			}
			pred, err := hw.PredictStatic(pt, arch, pt.Shard(), perf)
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
