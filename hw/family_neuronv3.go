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

func (neuronV3) resident(sh llm.Shard) llm.Shard { return fp8Native(sh) }

// fitPlan: the public set has three plain-decoding Trainium2 rows (six
// numbers), too few for eight constants. NeuronCore-v3 runs the same
// compiler as v2, so the per-layer cost, the KV bandwidth fraction, the KV
// group exponent and the GEMM scale are taken from neuron-v2, and the four
// that differ most between the serving stacks and that the trn2 rows pin
// are refitted: the
// prompt-encoding fixed cost (vLLM on NxD Inference instead of
// transformers-neuronx), the attention scale (NxD Inference's fused
// attention kernels), the collective latency (NeuronLink-v3, TP 8 to 64) and
// the HBM fraction (2.9 TB/s per chip).
func (neuronV3) fitPlan() (string, []string) {
	return StepNeuronV2, []string{"prefill_s", "collective_s", "hbm_frac", "attn_scale"}
}

func (neuronV3) compiled() bool { return true }
