package sim

import (
	"fmt"
	"math"
	"testing"
)

// TestBucketingOff checks enable_bucketing: false on a Neuron replica: a
// short request's decode steps attend over the whole max_model_len, so its
// TPOT is the cost of a decode step at that one bucket, above its TPOT with
// the default buckets.
func TestBucketingOff(t *testing.T) {
	tpot := map[string]float64{}
	var w *World
	for _, opt := range []string{"", ", enable_bucketing: false"} {
		src := fmt.Sprintf(`name: buckets
horizon: 10m
drain: true
model: llama-3.1-8b
fleet:
  instance: trn2.48xlarge
  pricing: capacity-block
  replica: {tp: 8, per_instance: 1, scheduler: neuron, max_num_seqs: 4, max_model_len: 16384%s}
workloads:
  - name: b
    class: api
    arrivals: {process: burst, count: 1}
    prompt_tokens: 200
    output_tokens: 101
`, opt)
		var sink *MemorySink
		var err error
		sink = &MemorySink{}
		if w, err = New(Config{Scenario: scenario(t, src), Sink: sink}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Run(t.Context()); err != nil {
			t.Fatal(err)
		}
		r := sink.Reqs[0]
		tpot[opt] = float64(r.FinishNs-r.FirstTokenNs) / 1e9 / 100
	}
	off := tpot[", enable_bucketing: false"]
	step := w.coster.neuronDecode(1, 16384).sec
	t.Logf("TPOT %.3f ms with buckets, %.3f ms without; one step over 16384 keys %.3f ms", tpot[""]*1e3, off*1e3, step*1e3)
	if math.Abs(off/step-1) > 1e-6 {
		t.Errorf("TPOT without buckets %.6f ms, want one decode step over max_model_len %.6f ms", off*1e3, step*1e3)
	}
	if off <= tpot[""] {
		t.Errorf("TPOT without buckets %.6f ms, not above %.6f ms with them", off*1e3, tpot[""]*1e3)
	}
}
