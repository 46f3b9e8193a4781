package hw

import "aiecon/model/llm"

// neuronV2 is the NeuronCore-v2 family: Inferentia2 (inf2) and Trainium1
// (trn1), as served by transformers-neuronx and NxD Inference.
//
// Weights stored as int8 decode no faster than bf16 ones in the published
// Neuron SDK 2.18 measurements (Llama-2-7B in bf16 and Llama-3-8B with int8
// weights, the same shape but the vocabulary, decode at 6.47 and 7.41 ms per
// token on inf2.48xlarge TP24, 6.70 and 7.03 ms on trn1.32xlarge TP32:
// aws-neuron/aws-neuron-sdk@81ce03ae about-neuron/benchmarks/{inf2,trn1}/
// latency_data_decoder.csv). transformers-neuronx's int8 weight storage is
// there to shrink the memory footprint: the weights stay int8 in device
// memory and are dequantised to the compute format before each matmul. So
// the family prices int8 weights' operations as the compute format's
// (resident) and counts their memory at their stored bytes (held). fp8
// weights are taken alike: no published NeuronCore-v2 row measures them,
// the chip's fp8 peak is its bf16 peak (190 TFLOP/s, about-neuron/arch/
// neuron-hardware/inferentia2.rst), and streaming them at one byte predicted
// them twice as fast as bf16, which the int8 rows contradict.
type neuronV2 struct{}

func (neuronV2) name() string      { return StepNeuronV2 }
func (neuronV2) defaults() Serving { return neuronV2Serving }
func (neuronV2) about() string {
	return "NeuronCore-v2 (Inferentia2, Trainium1): int8 and fp8 weights stay narrow in memory but decode as fast as the compute format (bf16)"
}

// narrowStored reports whether the family stores weights of format d narrow
// and dequantises them before the matmul.
func narrowStored(d llm.DType) bool { return d == llm.INT8 || d == llm.FP8 }

// resident: int8 and fp8 weights are priced in the activations' format
// (above), and the norms and residual adds run replicated (sequenceParallel).
func (f neuronV2) resident(sh llm.Shard) (llm.Shard, error) {
	sh, err := f.held(sh)
	if err != nil {
		return sh, err
	}
	sh.SequenceParallel = f.sequenceParallel()
	for _, w := range []*llm.DType{&sh.Weights, &sh.Experts} { // an MoE release's experts alike
		if narrowStored(*w) {
			*w = sh.Activations
		}
	}
	return sh, nil
}

func (neuronV2) held(sh llm.Shard) (llm.Shard, error) {
	for _, w := range []llm.DType{sh.Weights, sh.Experts} {
		if w.WeightOnly() {
			return sh, &WeightFormatError{Family: StepNeuronV2, Weights: w, Stacks: "transformers-neuronx, NxD Inference"}
		}
	}
	return sh, nil
}

// fitPlan: every published NeuronCore-v2 row runs two all-reduces per layer
// at TP 24 or 32, so a fixed cost per layer and a latency per all-reduce are
// the same thing to the data (refits from different starts trade one for
// the other). The per-layer cost is held at 0 and the whole of it shows as
// collective_s, the one with the physical cause (NeuronLink round trips).
func (neuronV2) fitPlan() (string, []string) {
	return "", []string{"prefill_s", "collective_s", "hbm_frac", "kv_frac", "gemm_scale", "attn_scale", "kv_group_exp", "link_frac"}
}

func (neuronV2) compiled() bool { return true }

// sequenceParallel: every core applies the norms and residual adds to all
// the tokens, as transformers-neuronx, the stack of every published
// NeuronCore-v2 row, runs them unless its sequence_parallel_norm option is
// set (aws-neuron/transformers-neuronx src/transformers_neuronx/config.py,
// NeuronConfig; off by default). Priced sequence parallel instead, as NxD
// Inference runs them, the family's TTFT cross-validated worse whether a
// fold leaves out a model, a layer shape or a TP degree (docs/calibration.md). neuron-v3, which runs them sequence
// parallel, inherits constants fitted to these rows priced its way
// (inheritedServing).
func (neuronV2) sequenceParallel() bool { return false }
