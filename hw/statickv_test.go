package hw

import (
	"strings"
	"testing"

	"aiecon/model/llm"
)

// TestStaticKVDoesNotFit: on a compiled chip a static batch's KV cache is
// the compiled batch (padded to a power of two) x the compiled seq_len, not
// the tokens its sequences hold. Llama-3.1-70B at TP24 on inf2.48xlarge
// (40,960 B of KV per token per NeuronCore, about 10.6 GB left beside the
// weights): a batch of 64 compiled for 32,768 tokens needs 86 GB per core
// though its 2,100-token sequences need 5.5 GB; a batch of 24 at 9,000
// tokens fits as 24 slots (8.8 GB) but not as the 32 it is compiled as
// (11.8 GB), while 24 at 8,000 fits even as 32 (10.5 GB). A GPU's paged cache holds only the tokens, and a loop is sized
// by its scenario (model.PlanReplicaMemory).
func TestStaticKVDoesNotFit(t *testing.T) {
	for _, tt := range []struct {
		name, model, instance string
		tp, batch, seqLen     int
		in, out               int
		dtype                 llm.DType
		clients               int    // a closed loop of this many clients; 0 a static batch
		want                  string // "" fits, else a fragment of the reason
	}{
		{"review192 repro", "llama-3.1-70b", "inf2.48xlarge", 24, 64, 32768, 2000, 100, llm.BF16, 0,
			"batch 64 (compiled as 64) x seq_len 32768 tokens, takes 85.9 GB per device beside 6.2 GB of weights, more than the 10.6 GB left"},
		{"padded past memory", "llama-3.1-70b", "inf2.48xlarge", 24, 24, 9000, 2000, 100, llm.BF16, 0, "batch 24 (compiled as 32) x seq_len 9000"},
		{"padded within memory", "llama-3.1-70b", "inf2.48xlarge", 24, 24, 8000, 2000, 100, llm.BF16, 0, ""},
		{"trn1 refused", "llama-3.1-70b", "trn1.32xlarge", 32, 16, 32768, 2000, 100, llm.BF16, 0, "compiled as 16"},
		{"trn2 refused", "llama-3.1-70b", "trn2.48xlarge", 64, 128, 131072, 2000, 100, llm.BF16, 0, "compiled as 128"},
		{"paged GPU", "llama-3.1-70b", "p5.48xlarge", 8, 64, 32768, 2000, 100, llm.FP8, 0, ""},
		{"closed loop", "llama-3.1-70b", "inf2.48xlarge", 24, 64, 32768, 2000, 100, llm.BF16, 64, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			arch, err := llm.Lookup(tt.model)
			if err != nil {
				t.Fatal(err)
			}
			chip, err := mustInstance(t, tt.instance).ChipSpec()
			if err != nil {
				t.Fatal(err)
			}
			pt := ServingPoint{Model: tt.model, Instance: tt.instance, TP: tt.tp, Batch: tt.batch, SeqLen: tt.seqLen,
				InputTokens: tt.in, OutputTokens: tt.out, WeightDType: tt.dtype, TTFTMs: 1, TPOTMs: 1, Concurrency: tt.clients}
			got := StaticKVDoesNotFit(pt, arch, chip)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("%q, want %q", got, tt.want)
			}
		})
	}
}

// TestStaticKVFitsEveryMeasuredRow: the published Neuron rows ran on the
// hardware, so their compiled KV caches fitted: none is refused.
func TestStaticKVFitsEveryMeasuredRow(t *testing.T) {
	var checked int
	for _, f := range []string{"neuron.csv", "neuron-llama3.csv"} {
		for _, pt := range readShared(t, f) {
			arch, err := llm.Lookup(pt.Model)
			if err != nil {
				t.Fatal(err)
			}
			chip, err := mustInstance(t, pt.Instance).ChipSpec()
			if err != nil {
				t.Fatal(err)
			}
			if reason := StaticKVDoesNotFit(pt, arch, chip); reason != "" {
				t.Errorf("%s line %d: %s", f, pt.Line, reason)
			}
			checked++
		}
	}
	if checked < 60 {
		t.Errorf("%d rows checked, want the 70 of the two files", checked)
	}
}
