package hw

import (
	"testing"

	"aiecon/model/llm"
)

// TestFamilyElementwiseSplit: the step family says whether the norms and
// residual adds run sequence parallel. NxD Inference shards them along the
// tokens (Trainium2 and 3: a device's norm traffic falls as 1/TP);
// transformers-neuronx (Inferentia2, Trainium1, without its
// sequence_parallel_norm option), TensorRT-LLM and vLLM apply them to every
// token on every device (the same bytes per device at TP 8 as at TP 1).
func TestFamilyElementwiseSplit(t *testing.T) {
	arch, err := llm.Lookup("llama-2-70b")
	if err != nil {
		t.Fatal(err)
	}
	const tokens, tp = 2048, 8
	tests := []struct {
		chip  string
		split float64 // devices a layer's norm_residual tokens are split over
	}{
		{"Inferentia2", 1}, {"Trainium1", 1}, {"Trainium2", tp}, {"Trainium3", tp},
		{"H100", 1}, {"H200", 1}, {"B200", 1}, {"A100-80GB", 1}, {"A10G", 1},
	}
	for _, tt := range tests {
		t.Run(tt.chip, func(t *testing.T) {
			chip, err := ChipByName(tt.chip)
			if err != nil {
				t.Fatal(err)
			}
			norm := func(tp int) float64 {
				t.Helper()
				sh, err := ResidentShard(chip, llm.Shard{TP: tp, Weights: llm.BF16, Activations: llm.BF16, KV: llm.BF16})
				if err != nil {
					t.Fatal(err)
				}
				for _, op := range arch.DenseOps(nil, sh, tokens, 1) {
					if op.Name == "norm_residual" {
						return op.Bytes - 2*float64(arch.Hidden)*2 // less the norm weights every device reads
					}
				}
				t.Fatal("no norm_residual op")
				return 0
			}
			if got := norm(1) / norm(tp); got != tt.split {
				t.Errorf("%s (%s): norm_residual activation bytes at TP1 / at TP%d = %v, want %v",
					tt.chip, chip.StepFamily, tp, got, tt.split)
			}
		})
	}
}
