package hw

import "aiecon/model/llm"

// neuronV3 is the NeuronCore-v3 and v4 family: Trainium2 (trn2) and
// Trainium3, as served by NxD Inference and the vLLM Neuron plugin. FP8
// weights run natively on its tensor engine (Trainium2: 1,299 TFLOP/s dense
// FP8, aws-neuron/aws-neuron-sdk@81ce03ae about-neuron/arch/neuron-hardware/
// trainium2.rst), so weights stream in the format they are stored in and
// fp8 weights are multiplied in fp8.
type neuronV3 struct{}

func (neuronV3) name() string      { return StepNeuronV3 }
func (neuronV3) defaults() Serving { return neuronV3Serving }
func (neuronV3) about() string {
	return "NeuronCore-v3/v4 (Trainium2, Trainium3): weights stream in their stored format; fp8 weights run W8A8"
}

// An MoE release whose experts alone are 4-bit (GPT-OSS's MXFP4) is
// dequantised to the activations' format at load, as the vLLM Neuron
// plugin's GPT-OSS tutorial serves it (aws-neuron/aws-neuron-sdk@81ce03ae
// vllm-neuron/docs/tutorials/tutorial-eagle3-speculative-decoding-gpt-oss.md):
// its experts occupy and stream as bf16. The norms and residual adds run
// sequence parallel (sequenceParallel).
func (f neuronV3) resident(sh llm.Shard) (llm.Shard, error) {
	if sh.Weights.WeightOnly() {
		return sh, &WeightFormatError{Family: StepNeuronV3, Weights: sh.Weights, Stacks: "NxD Inference, the vLLM Neuron plugin"}
	}
	sh.SequenceParallel = f.sequenceParallel()
	if sh.Experts.WeightOnly() {
		sh.Experts = sh.Activations
	}
	return fp8Native(sh)
}

// held: weights occupy device memory in the format they stream in (4-bit
// experts as the bf16 they are dequantised to at load).
func (f neuronV3) held(sh llm.Shard) (llm.Shard, error) { return f.resident(sh) }

// fitPlan: the public set has two plain-decoding dense Trainium2 rows (four
// numbers), too few for nine constants. NeuronCore-v3 runs the same
// compiler as v2, so the per-layer cost, the collective latency and link
// share, the KV bandwidth fraction and the KV group exponent are taken from
// neuron-v2's rows, fitted as this family structures its graphs (norms
// and residual adds sequence parallel: inheritedServing), and the four
// that the serving stack changes most are refitted:
// the prompt-encoding fixed cost (vLLM on NxD Inference instead of
// transformers-neuronx), the GEMM and attention scales (NxD Inference's
// kernels; a 10,000-token prefill of a 70B model is 90% GEMMs, so the GEMM
// scale is what its time pins) and the HBM fraction (2.9 TB/s per chip).
// The attention scale is held near the fit's prior, 1, rather than pinned:
// neither row separates it. Refitting the collective latency instead of the
// GEMM scale, as before, left the 70B prefill 40-49% too slow against the
// row it was fitted to (transformers-neuronx's GEMM scale, 0.28, priced its
// GEMMs), while decode fits both rows within 2% with v2's latency.
func (neuronV3) fitPlan() (string, []string) {
	return StepNeuronV2, []string{"prefill_s", "hbm_frac", "gemm_scale", "attn_scale"}
}

func (neuronV3) compiled() bool { return true }

// sequenceParallel: NxD Inference, the stack of Trainium2's rows (and
// under the vLLM Neuron plugin too), runs the norms and residual adds sequence
// parallel, each core on 1/TP of the tokens.
func (neuronV3) sequenceParallel() bool { return true }
