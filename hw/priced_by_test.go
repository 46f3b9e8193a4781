package hw

import (
	"math"
	"slices"
	"testing"

	"aiecon/model/llm"
)

// TestPricedBy: the parts PricedBy splits an iteration into sum to its time
// (IterationSeconds), each all-reduce's latency goes to collective_s, and a
// decode step at a large batch over long contexts puts the KV read under
// kv_frac while a lone short one leaves it a small share; a prefill's
// fixed cost goes to prefill_s. The THINLY FITTED warning's shares rest on
// these parts.
func TestPricedBy(t *testing.T) {
	arch, err := llm.Lookup("llama-3.1-70b")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		instance           string
		tp                 int
		batch, ctx         int
		prefill            bool
		kvAtLeast, kvBelow float64 // bounds on kv_frac's share
	}{
		{"trn2.48xlarge", 32, 16, 8191, false, 0.3, 1},
		{"trn2.48xlarge", 32, 1, 127, false, 0, 0.05},
		{"p5.48xlarge", 8, 64, 4096, false, 0.3, 1},
		{"p5.48xlarge", 8, 1, 0, true, 0, 1e-12},
	}
	for _, tt := range tests {
		inst := mustInstance(t, tt.instance)
		chip, err := inst.ChipSpec()
		if err != nil {
			t.Fatal(err)
		}
		s, err := DefaultServing(chip.StepFamily)
		if err != nil {
			t.Fatal(err)
		}
		perf := mustPerf(t, tt.instance, tt.tp, AssumedEfficiency, s)
		sh, err := perf.ResidentShard(llm.Shard{TP: tt.tp, Weights: llm.BF16, Activations: llm.BF16, KV: llm.BF16})
		if err != nil {
			t.Fatal(err)
		}
		var ops []llm.Op
		if tt.prefill {
			ops = arch.DenseOps(nil, sh, 2048, 1)
			ops = arch.PrefillAttentionOps(ops, sh, []llm.PrefillChunk{{Tokens: 2048, Last: true}})
		} else {
			ops = arch.DenseOps(nil, sh, tt.batch, tt.batch)
			ops = arch.DecodeAttentionOps(ops, sh, tt.batch, tt.batch*tt.ctx)
		}
		total, by := perf.PricedBy(ops, arch.Layers, tt.prefill)
		want := perf.IterationSeconds(ops, arch.Layers, tt.prefill)
		var sum float64
		for name, v := range by {
			if !slices.ContainsFunc(ConstantNames, func(c struct{ Name, Unit string }) bool { return c.Name == name }) {
				t.Errorf("%s: part %q is no constant", tt.instance, name)
			}
			sum += v
		}
		if math.Abs(total-want) > 1e-12*want || math.Abs(sum-total) > 1e-12*want {
			t.Errorf("%s batch %d: total %g, parts sum %g, IterationSeconds %g", tt.instance, tt.batch, total, sum, want)
		}
		var reduces float64
		for _, op := range ops {
			if op.Kind == llm.OpAllReduce && op.Group > 1 {
				reduces += float64(op.Count)
			}
		}
		if got := by["collective_s"]; math.Abs(got-reduces*s.CollectiveS) > 1e-15 {
			t.Errorf("%s: collective_s prices %g s, want %g all-reduces x %g s", tt.instance, got, reduces, s.CollectiveS)
		}
		if kv := by["kv_frac"] / total; kv < tt.kvAtLeast || kv >= tt.kvBelow {
			t.Errorf("%s batch %d context %d: kv_frac prices %.3f of the step, want [%g, %g)", tt.instance, tt.batch, tt.ctx, kv, tt.kvAtLeast, tt.kvBelow)
		}
		if tt.prefill && by["prefill_s"] != s.PrefillS {
			t.Errorf("%s prefill: prefill_s prices %g, want %g", tt.instance, by["prefill_s"], s.PrefillS)
		}
	}
}
