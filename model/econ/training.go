package econ

// DefaultTrainingMFU is the model-FLOPs utilisation of a training job, 30%:
// AWS measured 15-33% on trn1.32xlarge in BF16 (GPT3-175B 33.1%, Llama2-7B
// 14.8-30.8%; aws-neuron/aws-neuron-sdk@81ce03ae
// about-neuron/benchmarks/trn1/trn1_trn1n_nlp_data.csv) [OFF].
const DefaultTrainingMFU = 0.30

// TrainingFLOPs is the compute of training a dense transformer of `params`
// parameters on `tokens` tokens: 6 x params x tokens (2 per weight per token
// forward, 4 backward; Kaplan et al. 2020, "Scaling Laws for Neural Language
// Models", §2.1). For an MoE model pass the active parameters.
func TrainingFLOPs(params, tokens float64) float64 { return 6 * params * tokens }

// LoRATrainingFLOPs is the compute of a LoRA fine-tune: the frozen weights
// take the forward pass (2 per weight per token) and the backward pass to
// the inputs (2), but no weight gradients, so 4 x params x tokens; the
// adapters train in full, 6 x adapterParams x tokens. (Hu et al. 2021,
// "LoRA", arXiv:2106.09685, §4.2, measured a 25% speed-up over full
// fine-tuning of GPT-3 175B, against the 33% this arithmetic allows.)
func LoRATrainingFLOPs(params, adapterParams, tokens float64) float64 {
	return (4*params + 6*adapterParams) * tokens
}

// TrainingDurationS is how long `flops` take on `chips` chips of
// peakFLOPSPerChip each (dense peak in the training dtype) running at model
// FLOPs utilisation mfu: flops / (chips x peak x mfu). +Inf when any of
// chips, peak or mfu is 0.
func TrainingDurationS(flops float64, chips int, peakFLOPSPerChip, mfu float64) float64 {
	return flops / (float64(chips) * peakFLOPSPerChip * mfu)
}

// LicensingFeeUSD is what retrieving `docs` licensed documents costs at a
// per-document fee: docs x feePerDocUSD.
func LicensingFeeUSD(docs int64, feePerDocUSD float64) float64 { return float64(docs) * feePerDocUSD }

// RevenueShareUSD is the part of revenueUSD owed to a licensor under a
// revenue-share agreement: revenueUSD x shareFrac.
func RevenueShareUSD(revenueUSD, shareFrac float64) float64 { return revenueUSD * shareFrac }
