package sim

import (
	"fmt"
	"strings"
	"testing"

	"aiecon/model"
)

// TestExpertWeights: a release that quantises only its routed experts
// (precision.expert_weights) decodes slower than one whose every linear
// layer is narrow and faster than a 16-bit one, since a GPT-OSS token reads
// 1.5B 16-bit weights of attention and LM head beside 3.6B of experts; and
// it holds more memory. Trainium2 dequantises 4-bit experts to bf16 at load;
// NeuronCore-v2 runs no 4-bit weights at all.
func TestExpertWeights(t *testing.T) {
	src := func(weights, experts, inst string, tp int, extra string) string {
		return oneChat("gpt-oss-120b", "weights: "+weights+", expert_weights: "+experts,
			fmt.Sprintf("instance: %s, replica: {tp: %d, max_model_len: 4096}%s", inst, tp, extra))
	}
	type result struct{ stepMs, weightGB float64 }
	step := func(weights, experts, inst string, tp int) result {
		t.Helper()
		extra := ""
		if strings.HasPrefix(inst, "trn2") {
			extra = ", pricing: capacity-block"
		}
		w, err := New(Config{Scenario: scenario(t, src(weights, experts, inst, tp, extra)), Sink: &MemorySink{}})
		if err != nil {
			t.Fatal(err)
		}
		pl := w.pools[0]
		return result{1e3 * pl.env.coster.iteration(1, 1, 1, 1000).sec, pl.arch.WeightBytesPerDevice(pl.shard) / 1e9}
	}
	allNarrow := step("int4", "int4", "p5.48xlarge", 1)
	experts := step("bf16", "int4", "p5.48xlarge", 1)
	wide := step("bf16", "bf16", "p5.48xlarge", 4)
	wideExperts := step("bf16", "int4", "p5.48xlarge", 4)
	t.Logf("H100 TP1: int4 %.2f ms %.1f GB, int4 experts %.2f ms %.1f GB; TP4: bf16 %.2f ms, int4 experts %.2f ms",
		allNarrow.stepMs, allNarrow.weightGB, experts.stepMs, experts.weightGB, wide.stepMs, wideExperts.stepMs)
	if !(experts.stepMs > 1.05*allNarrow.stepMs) || !(experts.weightGB > allNarrow.weightGB+1) {
		t.Errorf("int4 experts: %.2f ms, %.1f GB; every layer int4: %.2f ms, %.1f GB; want the experts-only release slower and larger",
			experts.stepMs, experts.weightGB, allNarrow.stepMs, allNarrow.weightGB)
	}
	if !(wideExperts.stepMs < 0.95*wide.stepMs) { // at TP4 a step is mostly fixed costs: the experts save their bytes only
		t.Errorf("TP4: int4 experts %.2f ms, bf16 %.2f ms; want 4-bit experts faster", wideExperts.stepMs, wide.stepMs)
	}
	if d, b := step("bf16", "int4", "trn2.48xlarge", 16), step("bf16", "bf16", "trn2.48xlarge", 16); d != b {
		t.Errorf("trn2: int4 experts %+v, bf16 %+v; want them dequantised to bf16 at load", d, b)
	}
	_, _, err := model.Load("inf2.yaml", []byte(src("bf16", "int4", "inf2.48xlarge", 24, "")), Catalog())
	if err == nil || !strings.Contains(err.Error(), "does not run int4 experts") {
		t.Errorf("int4 experts on inf2: %v, want them refused", err)
	}
	_, _, err = model.Load("mxfp4.yaml", []byte(src("bf16", "mxfp4", "p5.48xlarge", 1, "")), Catalog())
	if err == nil || !strings.Contains(err.Error(), "are precision.expert_weights: int4 within 3% of their bytes") {
		t.Errorf("mxfp4 experts: %v, want refused with the int4 hint", err)
	}
	_, _, err = model.Load("dense.yaml", []byte(strings.Replace(src("bf16", "int4", "p5.48xlarge", 1, ""), "gpt-oss-120b", "llama-3.1-8b", 1)), Catalog())
	if err == nil || !strings.Contains(err.Error(), "precision.expert_weights: is the format of a mixture of experts") {
		t.Errorf("expert_weights on a dense model: %v, want it refused", err)
	}
}

// TestExpertWeightsMemoryAndMixes: the load-time memory check counts the
// experts as the chips hold them (Trainium2's dequantised 4-bit experts as
// bf16), so a layout that cannot hold them is refused at load, not by the
// simulator; and a dense pool beside an MoE one ignores expert_weights
// (its Inferentia2 would refuse 4-bit experts it does not have).
func TestExpertWeightsMemoryAndMixes(t *testing.T) {
	trn2 := oneChat("gpt-oss-120b", "expert_weights: int4", "instance: trn2.48xlarge, pricing: capacity-block, replica: {tp: 4, max_model_len: 4096}")
	_, _, err := model.Load("trn2.yaml", []byte(trn2), Catalog())
	if err == nil || !strings.Contains(err.Error(), "fleet.replica.tp: gpt-oss-120b weights") || !strings.Contains(err.Error(), "; int4 experts held as bf16 on this chip)") {
		t.Errorf("GPT-OSS on trn2 at tp 4 with int4 experts: %v, want refused at load (they are held as bf16)", err)
	}
	const mix = `name: mix
horizon: 1m
model: llama-3.1-8b
precision: {expert_weights: int4}
fleet: {instance: inf2.48xlarge, replica: {tp: 8}}
pools:
  - {name: oss, model: gpt-oss-120b, fleet: {instance: p5.48xlarge, replica: {tp: 1, max_model_len: 4096}}}
routing: {rule: prompt-length, threshold: 2000, small: llama-3.1-8b, large: oss}
workloads:
  - {name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 1000, output_tokens: 100}
`
	w, err := New(Config{Scenario: scenario(t, mix), Sink: &MemorySink{}})
	if err != nil {
		t.Fatalf("a dense inf2 pool beside GPT-OSS with int4 experts: %v", err)
	}
	if dense, oss := w.pools[0].shard, w.pools[1].shard; dense.Experts != "" || oss.ExpertDType() != "int4" {
		t.Errorf("dense pool's experts %q, GPT-OSS's %q; want none and int4", dense.Experts, oss.ExpertDType())
	}
}
