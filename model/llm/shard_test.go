package llm

import (
	"math"
	"strings"
	"testing"
)

func TestShardValidate(t *testing.T) {
	if err := (Shard{TP: 8, Weights: INT8, Activations: BF16, KV: BF16}).Validate(); err != nil {
		t.Errorf("valid shard: %v", err)
	}
	if err := (Shard{TP: 1, Weights: INT4, Activations: BF16, KV: FP8}).Validate(); err != nil {
		t.Errorf("int4 weights: %v", err)
	}
	err := Shard{TP: 0, Weights: "int3", Activations: INT4, KV: ""}.Validate()
	if err == nil {
		t.Fatal("Validate() = nil for tp 0 and bad dtypes")
	}
	for _, w := range []string{"tp: 0 must be >= 1", `weights dtype "int3"`, `kv dtype ""`, "activations dtype int4: a weight format only"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
}

// TestInt4Weights: 4-bit weights take half a byte plus an fp16 scale per
// 128, in the linear layers only; the embedding, LM head and norms stay in
// the activations' format, as AWQ and GPTQ keep them.
func TestInt4Weights(t *testing.T) {
	a := mustLookup(t, "llama-3-8b")
	// Llama-3-8B (meta-llama/Meta-Llama-3-8B config.json): per layer
	// Q, K, V, O = 4096 x (32 + 2 x 8) x 128 + 32 x 128 x 4096 = 41,943,040 and
	// the MLP 3 x 4096 x 14336 = 176,160,768; 32 layers.
	linear := 32 * (41_943_040 + 176_160_768.0)
	outer := 2*128256*4096.0 + 4096 + 32*2*4096 // untied embedding and head, norms
	total, _ := a.Params()
	if linear+outer != total {
		t.Fatalf("linear %v + outer %v != params %v", linear, outer, total)
	}
	want := linear*(0.5+2.0/128) + outer*2
	if got := a.WeightBytes(INT4); got != want {
		t.Errorf("WeightBytes(int4) = %v, want %v", got, want)
	}
	sh := Shard{TP: 1, Weights: INT4, Activations: BF16, KV: BF16}
	if got := a.WeightBytesPerDevice(sh); got != want {
		t.Errorf("WeightBytesPerDevice(int4, TP1) = %v, want %v", got, want)
	}
	if got := sh.OuterWeights(); got != BF16 {
		t.Errorf("OuterWeights = %s, want bf16", got)
	}
	if got := (Shard{Weights: INT8, Activations: BF16}).OuterWeights(); got != INT8 {
		t.Errorf("int8 OuterWeights = %s, want int8 (unchanged)", got)
	}
	// A decode step streams the linear layers at 4 bits, the embedding, the
	// norms and the LM head at 16: those ops read what they read in bf16.
	bf16 := a.DenseOps(nil, Shard{TP: 1, Weights: BF16, Activations: BF16, KV: BF16}, 1, 1)
	for i, op := range a.DenseOps(nil, sh, 1, 1) {
		var wantBytes float64
		switch op.Name {
		case "qkv":
			wantBytes = 4096*48*128*(0.5+2.0/128) + (4096+48*128)*2
		case "lm_head", "embed", "norm_residual", "final_norm":
			wantBytes = bf16[i].Bytes
		default:
			continue
		}
		if op.Bytes != wantBytes {
			t.Errorf("%s: %v bytes, want %v", op.Name, op.Bytes, wantBytes)
		}
	}
}

func TestPerDeviceDims(t *testing.T) {
	tests := []struct {
		name                       string
		tp                         int
		heads, kvHeads, ffn, vocab int
		kvBytesPerToken            float64 // bf16, per device
	}{
		{"llama-3.1-70b", 1, 64, 8, 28672, 128256, 2 * 80 * 8 * 128 * 2},
		{"llama-3.1-70b", 8, 8, 1, 3584, 16032, 2 * 80 * 1 * 128 * 2},
		// TP 32 > 8 KV heads: each device keeps one replicated KV head.
		{"llama-3.1-70b", 32, 2, 1, 896, 4008, 2 * 80 * 1 * 128 * 2},
		// Neuron runs Llama-3-8B at TP=24: heads padded 32 -> 48, ffn 14336 -> 24 x 598.
		{"llama-3-8b", 24, 2, 1, 598, 5344, 2 * 32 * 1 * 128 * 2},
		{"mixtral-8x7b", 8, 4, 1, 1792, 4000, 2 * 32 * 1 * 128 * 2},
	}
	for _, tt := range tests {
		a := mustLookup(t, tt.name)
		sh := Shard{TP: tt.tp, Weights: BF16, Activations: BF16, KV: BF16}
		got := []int{a.HeadsPerDevice(sh), a.KVHeadsPerDevice(sh), a.FFNPerDevice(sh), a.VocabPerDevice(sh)}
		want := []int{tt.heads, tt.kvHeads, tt.ffn, tt.vocab}
		for i, field := range []string{"heads", "kv heads", "ffn", "vocab"} {
			if got[i] != want[i] {
				t.Errorf("%s TP=%d: %s per device = %d, want %d", tt.name, tt.tp, field, got[i], want[i])
			}
		}
		if got := a.KVBytesPerTokenPerDevice(sh); got != tt.kvBytesPerToken {
			t.Errorf("%s TP=%d: KV bytes/token/device = %v, want %v", tt.name, tt.tp, got, tt.kvBytesPerToken)
		}
	}
}

func TestWeightBytesPerDevice(t *testing.T) {
	a := mustLookup(t, "llama-3.1-70b")
	// TP=1: the whole model.
	if got, want := a.WeightBytesPerDevice(Shard{TP: 1, Weights: BF16}), a.WeightBytes(BF16); got != want {
		t.Errorf("TP=1: %v, want %v", got, want)
	}
	// TP=8 divides every sharded dimension: 1/8 of the model, plus 7/8 of the
	// replicated norm weights (2 per layer of 8192, and the final norm).
	total, _ := a.Params()
	norms := 80*2*8192.0 + 8192
	want := (total/8 + norms*7/8) * 1 // int8 weights: 1 byte
	if got := a.WeightBytesPerDevice(Shard{TP: 8, Weights: INT8}); relErr(got, want) > 1e-12 {
		t.Errorf("TP=8 int8: %v, want %v", got, want)
	}
	// TP=32 replicates the 8 KV heads: K and V projections take 1/8, not 1/32, per device.
	kvProj := 80 * 2 * 8192.0 * 128 // one KV head's K and V in every layer
	noKV := total - 8*kvProj
	want = (noKV/32 + norms*31/32 + kvProj) * 2
	if got := a.WeightBytesPerDevice(Shard{TP: 32, Weights: BF16}); relErr(got, want) > 1e-12 {
		t.Errorf("TP=32 bf16: %v, want %v", got, want)
	}
	// Llama-3-8B at TP=24 with int8 weights (Neuron's inf2 config), by hand:
	// per layer Q 4096x2x128 + K,V 2x4096x1x128 + O 2x128x4096 = 3,145,728,
	// MLP 3x4096x598 = 7,348,224, norms 8,192; embedding and head 2x5344x4096
	// = 43,778,048, final norm 4,096. Padding and KV replication make the 24
	// devices hold 13.5% more than the model.
	b := mustLookup(t, "llama-3-8b")
	want = 32*(3_145_728+7_348_224+8_192) + 43_778_048 + 4_096
	if got := b.WeightBytesPerDevice(Shard{TP: 24, Weights: INT8}); got != want {
		t.Errorf("llama-3-8b TP=24 int8: %v per device, want %v", got, want)
	}
}

// TestExpertFormat: a release whose routed experts alone are narrow
// (Shard.Experts) stores those in their format and everything else in
// Weights', and its expert GEMMs stream and multiply in theirs.
func TestExpertFormat(t *testing.T) {
	a, err := Lookup("gpt-oss-120b")
	if err != nil {
		t.Fatal(err)
	}
	bf16 := Shard{TP: 1, Weights: BF16, Activations: BF16, KV: BF16}
	experts := bf16
	experts.Experts = INT4
	_, routed, _ := a.paramsPerDevice(bf16)
	// 36 layers x 128 experts x 3 matrices of 2,880 x 2,880.
	if want := 36.0 * 128 * 3 * 2880 * 2880; routed != want {
		t.Fatalf("routed expert weights %.4g, want %.4g", routed, want)
	}
	if got, want := a.WeightBytesPerDevice(bf16)-a.WeightBytesPerDevice(experts), routed*(2-INT4.Bytes()); math.Abs(got-want) > 1 {
		t.Errorf("int4 experts save %.4g bytes, want %.4g", got, want)
	}
	for _, c := range []struct {
		sh               Shard
		storage, compute DType
	}{
		{bf16, BF16, BF16},
		{experts, INT4, BF16},
		{Shard{TP: 1, Weights: FP8, Compute: FP8, Activations: BF16, KV: BF16}, FP8, FP8}, // experts as the weights
		{Shard{TP: 1, Weights: FP8, Compute: FP8, Experts: INT4, Activations: BF16, KV: BF16}, INT4, BF16},
		{Shard{TP: 1, Weights: BF16, Experts: FP8, ExpertCompute: FP8, Activations: BF16, KV: BF16}, FP8, FP8},
	} {
		if c.sh.ExpertDType() != c.storage || c.sh.ExpertComputeDType() != c.compute {
			t.Errorf("%+v: experts %s computed in %s, want %s in %s", c.sh, c.sh.ExpertDType(), c.sh.ExpertComputeDType(), c.storage, c.compute)
		}
		for _, op := range a.DenseOps(nil, c.sh, 8, 8) {
			wantDType := c.sh.ComputeDType()
			if strings.HasPrefix(op.Name, "moe_gate_up") || strings.HasPrefix(op.Name, "moe_down") {
				wantDType = c.compute
			}
			if op.Kind == OpGEMM && op.Name != "router" && op.Name != "lm_head" && op.DType != wantDType {
				t.Errorf("%+v: %s in %s, want %s", c.sh, op.Name, op.DType, wantDType)
			}
		}
	}
}
