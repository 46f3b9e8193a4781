package hw

import (
	"strings"
	"testing"

	"aiecon/model/llm"
)

// TestNeuronV2NarrowWeights: on NeuronCore-v2, int8 and fp8 weights decode
// as fast as bf16 ones (the SDK 2.18 int8 rows are no faster), yet stay
// narrow in device memory: priced as bf16 (ResidentShard), held at their
// stored bytes (HeldShard).
func TestNeuronV2NarrowWeights(t *testing.T) {
	perf, err := NewPerf(mustInstance(t, "inf2.48xlarge"), 24, AssumedEfficiency, testServing(StepNeuronV2))
	if err != nil {
		t.Fatal(err)
	}
	arch, err := llm.Lookup("llama-2-7b")
	if err != nil {
		t.Fatal(err)
	}
	decode := func(d llm.DType) (stepS, heldBytes float64, held llm.DType) {
		t.Helper()
		sh := llm.Shard{TP: 24, Weights: d, Activations: llm.BF16, KV: llm.BF16}
		r, err := perf.ResidentShard(sh)
		if err != nil {
			t.Fatal(err)
		}
		h, err := perf.HeldShard(sh)
		if err != nil {
			t.Fatal(err)
		}
		ops := arch.IterationOps(nil, r, llm.Iteration{Decode: []llm.DecodeSeq{{Context: 1000}}})
		return perf.IterationSeconds(ops, arch.Layers, false), arch.WeightBytesPerDevice(h), h.Weights
	}
	bf16Step, bf16Bytes, _ := decode(llm.BF16)
	for _, d := range []llm.DType{llm.INT8, llm.FP8} {
		step, bytes, held := decode(d)
		if step != bf16Step {
			t.Errorf("%s weights decode in %.4g ms, bf16 in %.4g ms: want the same", d, 1e3*step, 1e3*bf16Step)
		}
		if held != d || !(bytes < 0.6*bf16Bytes) {
			t.Errorf("%s weights held as %s, %.2f GB per device (bf16 %.2f GB): want them held narrow", d, held, bytes/1e9, bf16Bytes/1e9)
		}
	}
}

// TestNeuronV2Int8WeightsFit: int8 weights count at their stored bytes when
// a layout is checked, so Llama-3.1-70B in int8 fits an inf2.24xlarge at TP8
// (about 9 GB per 16 GiB core) where bf16 (17.6 GB) does not.
func TestNeuronV2Int8WeightsFit(t *testing.T) {
	arch, err := llm.Lookup("llama-3.1-70b")
	if err != nil {
		t.Fatal(err)
	}
	chip, err := ChipByName("Inferentia2")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		weights llm.DType
		want    string
	}{
		{llm.INT8, ""},
		{llm.FP8, ""},
		{llm.BF16, "bf16 weights take 17.6 GB per device at tp 8"},
	} {
		pt := ServingPoint{Model: arch.Name, Instance: "inf2.24xlarge", TP: 8, Batch: 1, SeqLen: 2048,
			InputTokens: 128, OutputTokens: 128, WeightDType: tt.weights, TTFTMs: 1, TPOTMs: 1}
		got := WeightsDoNotFit(pt, arch, chip)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.weights, got, tt.want)
		}
	}
}
