package sim

import (
	"math"
	"strings"
	"testing"
)

// TestMoERetrainComputeFollowsActiveParams: a retrain of a mixture of
// experts costs 6 x its ACTIVE parameters x tokens of compute (each token
// passes through its routed experts only), while its training state holds
// every parameter (16 B each). Costing the compute on the total made a
// qwen3-30b-a3b retrain 9x too dear; a dense model's active and total agree.
func TestMoERetrainComputeFollowsActiveParams(t *testing.T) {
	for _, tc := range []struct {
		model, tp string
		set       string // training fields added
		moe       bool
	}{
		{"qwen3-30b-a3b", "4", "", true},
		{"qwen3-30b-a3b", "4", "kind: lora, ", true},
		{"llama-3.1-8b", "1", "", false},
	} {
		src := strings.NewReplacer("llama-3.1-8b", tc.model, "tp: 1,", "tp: "+tc.tp+",",
			"training: {", "training: {"+tc.set, "where: fleet-idle", "where: dedicated, instance: p5.48xlarge, instances: 1").Replace(gangFleet)
		sc := scenario(t, src)
		arch, err := sc.Arch()
		if err != nil {
			t.Fatal(err)
		}
		total, active := arch.Params()
		if tc.moe != (active < total/2) {
			t.Fatalf("%s: total %.4g, active %.4g: not the kind of model the case needs", tc.model, total, active)
		}
		w, err := New(Config{Scenario: sc, Sink: &MemorySink{}})
		if err != nil {
			t.Fatal(err)
		}
		m, tr := w.training, sc.Training
		want := 6 * active * tr.Tokens
		if tr.Kind == "lora" {
			want = (4*active + 6*m.mem.AdapterParams) * tr.Tokens
		}
		if math.Abs(m.flopsPerRetrain-want) > 1e-9*want {
			t.Errorf("%s %s: %.4g FLOPs per retrain, want %.4g (from the %.4g active parameters, not the %.4g total)",
				tc.model, tr.Kind, m.flopsPerRetrain, want, active, total)
		}
		if tr.Params != total {
			t.Errorf("%s: training.params %.4g, want the model's total %.4g (the state holds every weight)", tc.model, tr.Params, total)
		}
	}
}
