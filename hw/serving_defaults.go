package hw

import "aiecon/model/llm"

// The committed step-time constants of each family: FitFamily on the public
// training set (the files of aws-neuron/aws-neuron-sdk@81ce03ae and of the
// NVIDIA course data named in docs/calibration.md, fitted with the built-in
// calibration profile on fitDate, the GPU families again on gpuFitDate,
// when their norms and residual adds came to be priced replicated, and
// neuron-v2 on neuronV2FitDate, when its did), rounded
// to four significant digits; a constant the fit pushed to its bound is 0. TestFittedDefaultsUpToDate
// refits them from ../shared/reference/serving-measurements and fails when
// they drift; TestCommittedCVUpToDate cross-validates them and fails when
// their CV record (the figure and row counts run's step-times line quotes)
// no longer reads as the refit's. docs/calibration.md has the
// cross-validation tables.

const (
	fitDate         = "2026-12-04"
	gpuFitDate      = "2026-12-06"
	neuronV2FitDate = "2026-12-07"
)

// neuronV2Serving: 59 static-batch rows of transformers-neuronx (Neuron SDK
// 2.18) on inf2.48xlarge TP24 and trn1.32xlarge TP32: Llama-2 7B/13B/70B,
// Llama-3 8B/70B, Mistral-7B, CodeLlama-13B, all dense; prompts of 128 to
// 8,192 tokens, contexts to 16,384. Six more rows of the same tables, whose
// published throughput contradicts their own latencies
// (ServingPoint.ThroughputContradicts), are predicted but not fitted. The
// norms and residual adds are priced replicated, as transformers-neuronx
// runs them (neuronV2.sequenceParallel).
var neuronV2Serving = Serving{
	Family: StepNeuronV2, PrefillS: 0.01146, LayerS: 0, CollectiveS: 6.272e-05,
	HBMFrac: 0.6191, KVFrac: 0.4819, GEMMScale: 0.4395, AttnScale: 0.02118, KVGroupExp: 0.5972, LinkFrac: 0.3649,
	CV:          "leave-one-model-out MAPE: TTFT 26.8%, TPOT 6.7% (65 rows, 59 fitted)",
	FittedChips: []string{"Inferentia2", "Trainium1"}, FittedRows: 59,
	FittedShapes:    []FittedShape{{TP: 24, MinParamsB: 6.7384, MaxParamsB: 70.554}, {TP: 32, MinParamsB: 6.7384, MaxParamsB: 70.554}},
	FittedWeights:   []llm.DType{llm.BF16, llm.INT8},
	FittedMaxPrompt: 8192, FittedMaxContext: 16384,
	FittedMinBatch: 1, FittedMaxBatch: 8, FittedStacks: []string{"transformers-neuronx"},
	Label: Estimate,
	Source: "FitFamily (" + neuronV2FitDate + ") to 59 transformers-neuronx static-batch rows of " +
		"aws-neuron/aws-neuron-sdk@81ce03ae about-neuron/benchmarks/{inf2,trn1}/{latency,throughput}_data_decoder.csv; RMS log error 0.216",
}

// neuronV2AsV3Serving: neuron-v2's 59 fitted rows (neuronV2Serving's),
// fitted with their norms and residual adds priced sequence parallel, as
// neuron-v3 structures its graphs (pricedAs): the constants neuron-v3
// takes from neuron-v2 (inheritedServing). They were neuron-v2's own
// constants until neuronV2FitDate, when that family came to be priced with
// replicated norms, as transformers-neuronx runs them; run prices no
// NeuronCore-v2 chip with them.
var neuronV2AsV3Serving = Serving{
	Family: StepNeuronV2, PrefillS: 0.01256, LayerS: 0, CollectiveS: 6.867e-05,
	HBMFrac: 0.673, KVFrac: 0.4907, GEMMScale: 0.3043, AttnScale: 0.02003, KVGroupExp: 0.6162, LinkFrac: 0.4187,
	FittedChips: []string{"Inferentia2", "Trainium1"}, FittedRows: 59,
	FittedShapes:    []FittedShape{{TP: 24, MinParamsB: 6.7384, MaxParamsB: 70.554}, {TP: 32, MinParamsB: 6.7384, MaxParamsB: 70.554}},
	FittedWeights:   []llm.DType{llm.BF16, llm.INT8},
	FittedMaxPrompt: 8192, FittedMaxContext: 16384,
	FittedMinBatch: 1, FittedMaxBatch: 8, FittedStacks: []string{"transformers-neuronx"},
	Label: Estimate,
	Source: "FitFamily (" + fitDate + ") to 59 transformers-neuronx static-batch rows of " +
		"aws-neuron/aws-neuron-sdk@81ce03ae about-neuron/benchmarks/{inf2,trn1}/{latency,throughput}_data_decoder.csv, " +
		"priced as neuron-v3 structures its graphs (norms and residual adds sequence parallel); RMS log error 0.220",
}

// trtllmData is the public copy of TensorRT-LLM 0.9's measurements.
const trtllmData = "the NVIDIA \"Sizing LLM Inference Systems\" course data (cfregly/ai-performance-engineering, " +
	"as wbing520/ai-performance-engineering@5a4d0c37a323 code/ch11_inference/inference_gpu_cluster_sizing/dataset/trt_llm_0_9_0_dli.csv)"

// gpuServing: 708 static-batch rows of TensorRT-LLM 0.9 on H100 (p5) and
// H200 (p5en): Llama-2 7B/13B/70B and Mistral-7B, fp16 and fp8, batch 1 to
// 1,536 (Llama-2-70B at TP 2 to 8), TP 1 to 8; prompts of 128 and 2,048
// tokens, contexts to 4,224 (the Mixtral rows ran with fake weights and are
// left out: no MoE).
var gpuServing = Serving{
	Family: StepGPU, PrefillS: 0.001928, LayerS: 8.127e-05, CollectiveS: 1.128e-05,
	HBMFrac: 0.9968, KVFrac: 0.8123, GEMMScale: 0.6627, AttnScale: 0.4071, KVGroupExp: 0.4291, LinkFrac: 0.7999,
	CV:          "leave-one-model-out MAPE: TTFT 5.1%, TPOT 8.8% (708 rows)",
	FittedChips: []string{"H100", "H200"}, FittedRows: 708,
	FittedShapes:    llama2GPUShapes(68.977),
	FittedWeights:   []llm.DType{llm.FP16, llm.FP8},
	FittedMaxPrompt: 2048, FittedMaxContext: 4224,
	FittedMinBatch: 1, FittedMaxBatch: 1536, FittedStacks: []string{"TensorRT-LLM 0.9.0"},
	Label:  Estimate,
	Source: "FitFamily (" + gpuFitDate + ") to 708 Llama-style TensorRT-LLM 0.9 static-batch rows on H100 and H200 of " + trtllmData + "; RMS log error 0.078",
}

// gpuAmpereServing: 205 static-batch rows of TensorRT-LLM 0.9 on A100-80GB
// (p4de): Llama-2 7B/13B/70B and Mistral-7B in fp16, TP 1 to 8; prompts of
// 128 and 2,048 tokens, contexts to 4,224, no MoE.
var gpuAmpereServing = Serving{
	Family: StepGPUAmpere, PrefillS: 0.004917, LayerS: 0.0001064, CollectiveS: 2.413e-05,
	HBMFrac: 0.8761, KVFrac: 0.8209, GEMMScale: 0.8487, AttnScale: 0.5752, KVGroupExp: 0.3033, LinkFrac: 0.604,
	CV:          "leave-one-model-out MAPE: TTFT 6.5%, TPOT 8.0% (205 rows)",
	FittedChips: []string{"A100-80GB"}, FittedRows: 205,
	FittedShapes:    llama2GPUShapes(13.016),
	FittedWeights:   []llm.DType{llm.FP16},
	FittedMaxPrompt: 2048, FittedMaxContext: 4224,
	FittedMinBatch: 1, FittedMaxBatch: 1536, FittedStacks: []string{"TensorRT-LLM 0.9.0"},
	Label:  Estimate,
	Source: "FitFamily (" + gpuFitDate + ") to 205 Llama-style TensorRT-LLM 0.9 static-batch rows on A100-80GB of " + trtllmData + "; RMS log error 0.060",
}

// neuronV3Serving: the two plain-decoding dense Trainium2 rows (Llama-3.1-8B
// TP8 in a closed loop of 2 on the vLLM Neuron plugin, Llama-3.3-70B TP64
// with a 10,000-token prompt on NxD Inference), four constants refitted over
// those fitted to neuron-v2's rows with sequence-parallel norms
// (neuronV2AsV3Serving; see neuronV3.fitPlan); the one MoE row
// (GPT-OSS-120B) is validated, not fitted (unsupported). Four constants
// from four numbers: an interpolation, not a fit that could be
// cross-validated; the closing uncertainty is the spread between these and
// neuron-v2's.
var neuronV3Serving = Serving{
	Family: StepNeuronV3, PrefillS: 0.02847, LayerS: 0, CollectiveS: 6.867e-05,
	HBMFrac: 0.506, KVFrac: 0.4907, GEMMScale: 1.063, AttnScale: 1.045, KVGroupExp: 0.6162, LinkFrac: 0.4187,
	CV:          "too few to cross-validate: 2 rows of 2 models",
	FittedChips: []string{"Trainium2"}, FittedRows: 2,
	FittedShapes:    []FittedShape{{TP: 8, MinParamsB: 8.0303, MaxParamsB: 8.0303}, {TP: 64, MinParamsB: 70.554, MaxParamsB: 70.554}},
	FittedWeights:   []llm.DType{llm.BF16},
	FittedMaxPrompt: 10000, FittedMaxContext: 11500,
	FittedMinBatch: 1, FittedMaxBatch: 2, FittedLoops: 1, FittedStacks: []string{"NxD Inference + vLLM", "vllm-neuron"},
	Label: Estimate,
	Source: "FitFamily (" + fitDate + ") of prefill_s, hbm_frac, gemm_scale and attn_scale, over neuron-v2's rows fitted with sequence-parallel norms, to 2 Trainium2 rows of " +
		"aws-neuron/aws-neuron-sdk@81ce03ae (vllm-neuron/docs/tutorials/tutorial-eagle3-speculative-decoding-llama-3-1.md, " +
		"libraries/nxd-inference/tutorials/llama70b_perf_comparison.csv)",
}

// llama2GPUShapes are the TP degrees and model sizes of the TensorRT-LLM
// static rows: Llama-2-7B to the largest model run at TP1 (Llama-2-70B in
// fp8 on H200; Llama-2-13B on A100), and Llama-2-70B alone at TP 2, 4 and 8.
func llama2GPUShapes(maxTP1ParamsB float64) []FittedShape {
	return []FittedShape{{TP: 1, MinParamsB: 6.7384, MaxParamsB: maxTP1ParamsB},
		{TP: 2, MinParamsB: 68.977, MaxParamsB: 68.977}, {TP: 4, MinParamsB: 68.977, MaxParamsB: 68.977}, {TP: 8, MinParamsB: 68.977, MaxParamsB: 68.977}}
}
