package runner

import (
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model/llm"
)

// TestUnrunnableLayoutTPDegrees: validate runs the degrees transformers-neuronx
// runs on NeuronCore-v2 (TP12 on inf2, TP4 on trn1) and still refuses one
// the chip does not list or the instance's cores cannot hold.
func TestUnrunnableLayoutTPDegrees(t *testing.T) {
	for _, tt := range []struct {
		model, instance string
		tp              int
		want            string // "" runnable, else a fragment of the reason
	}{
		{"llama-2-7b", "inf2.24xlarge", 12, ""},
		{"llama-2-13b", "inf2.48xlarge", 12, ""},
		{"llama-2-7b", "trn1.32xlarge", 4, ""},
		{"llama-2-7b", "inf2.24xlarge", 24, "tp 24 is not a degree inf2.24xlarge supports (allowed: 1, 2, 4, 8, 12)"},
		{"llama-2-7b", "trn1.32xlarge", 12, "tp 12 is not a degree trn1.32xlarge supports"},
		{"llama-2-7b", "inf2.8xlarge", 4, "tp 4 is not a degree inf2.8xlarge supports (allowed: 1, 2)"},
	} {
		arch, err := llm.Lookup(tt.model)
		if err != nil {
			t.Fatal(err)
		}
		pt := hw.ServingPoint{Model: tt.model, Instance: tt.instance, TP: tt.tp, Batch: 1, SeqLen: 2048,
			InputTokens: 128, OutputTokens: 128, WeightDType: llm.BF16, TTFTMs: 1, TPOTMs: 1}
		got := unrunnableLayout(pt, arch)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s on %s TP%d: %q, want %q", tt.model, tt.instance, tt.tp, got, tt.want)
		}
	}
}
