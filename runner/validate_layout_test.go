package runner

import (
	"context"
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

// TestValidateRefusesStaticKV: a Neuron static batch whose compiled KV
// cache (batch x seq_len) cannot sit beside the weights is refused at its
// row, naming the fields and the sizes, where it used to be simulated on
// the tokens its sequences hold (review192 F3); --skip-unknown skips it and
// scores the rest of the file.
func TestValidateRefusesStaticKV(t *testing.T) {
	pt := hw.ServingPoint{Model: "llama-3.1-70b", Instance: "inf2.48xlarge", TP: 24, Batch: 64, SeqLen: 32768,
		InputTokens: 2000, OutputTokens: 100, WeightDType: llm.BF16, TTFTMs: 1000, TPOTMs: 50, File: "t2.csv", Line: 3}
	_, err := Validate(context.Background(), []hw.ServingPoint{pt}, ValidateOptions{})
	want := "t2.csv:3 (llama-3.1-70b on inf2.48xlarge TP24 BS64"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "batch 64 (compiled as 64) x seq_len 32768 tokens, takes 85.9 GB per device") {
		t.Fatalf("%v, want the row refused at %s for its static KV cache", err, want)
	}
	rep, err := Validate(context.Background(), []hw.ServingPoint{pt}, ValidateOptions{SkipUnknown: true})
	if err != nil || len(rep.Skipped) != 1 || !strings.Contains(rep.Skipped[0].Reason, "static KV cache") {
		t.Fatalf("--skip-unknown: %+v, %v, want the row skipped for its static KV cache", rep, err)
	}
}
