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
// latency_data_decoder.csv), so the family dequantises int8 weights to the
// compute format at load: they occupy and stream as bf16.
type neuronV2 struct{}

func (neuronV2) name() string      { return StepNeuronV2 }
func (neuronV2) defaults() Serving { return neuronV2Serving }
func (neuronV2) about() string {
	return "NeuronCore-v2 (Inferentia2, Trainium1): int8 weights are dequantised to the compute format at load"
}

func (neuronV2) resident(sh llm.Shard) (llm.Shard, error) {
	for _, w := range []*llm.DType{&sh.Weights, &sh.Experts} { // an MoE release's experts alike
		if w.WeightOnly() {
			return sh, &WeightFormatError{Family: StepNeuronV2, Weights: *w, Stacks: "transformers-neuronx, NxD Inference"}
		}
		if *w == llm.INT8 {
			*w = sh.Activations
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
