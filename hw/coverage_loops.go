package hw

import "fmt"

// LoopCheck is a published check of continuous batching: closed loops of
// clients on a serving stack that batches in flight, each simulated as
// `aiecon validate` runs it, and the mean absolute percentage errors found
// (as fractions). The committed constants are fitted to static batches,
// whose error (Serving.CV) says nothing of how the simulator admits,
// chunks and interleaves requests; a check like this does.
type LoopCheck struct {
	Chip     string // the catalog chip the loops ran on
	What     string // the loops and their stack, in words
	Rows     int
	TTFTMAPE float64
	TPOTMAPE float64
	// Tuned names what of validate's simulation of the loops was chosen by
	// minimising this very error ("" where nothing was): the step-time
	// constants are not fitted to the loops, but the check is in sample
	// for that.
	Tuned  string
	Source string
}

// String is the check in one phrase, for the step-times line: "264 NIM
// (TensorRT-LLM) loops on A100-80GB: TTFT 16.7%, TPOT 12.0%, in sample for
// validate's KV cache fraction and token budget, chosen on them".
func (c LoopCheck) String() string {
	out := fmt.Sprintf("%d %s on %s: TTFT %.1f%%, TPOT %.1f%%", c.Rows, c.What, c.Chip, 100*c.TTFTMAPE, 100*c.TPOTMAPE)
	if c.Tuned != "" {
		out += ", in sample for validate's " + c.Tuned + ", chosen on them"
	}
	return out
}

// nimLoops is the one published continuous-batching check of a GPU: NVIDIA
// NIM's closed loops of 1 to 250 clients on A100-80GB, TensorRT-LLM's
// in-flight batching beneath it, validated under the committed Ampere
// constants (docs/calibration.md, "The NIM closed loops"). The constants
// are not fitted to them, but the KV cache fraction (0.8) and the token
// budget (32,768) validate runs every GPU closed loop with were each chosen
// as the values that minimise this file's error (runner/validate.go,
// closedLoopGPUReplica and closedLoopTokenBudget; with vLLM's 8,192-token
// budget TTFT is 34.3%), so the check is in sample for them.
// TestLoopCheckUpToDate runs them again and fails when the figures drift.
var nimLoops = LoopCheck{
	Chip: "A100-80GB", What: "NIM (TensorRT-LLM) loops", Rows: 264, TTFTMAPE: 0.167, TPOTMAPE: 0.11952,
	Tuned: "KV cache fraction and token budget",
	Source: "aiecon validate on the NIM rows of wbing520/ai-performance-engineering@5a4d0c37a323 " +
		"code/ch11_inference/inference_gpu_cluster_sizing/dataset/nim.csv",
}

// ContinuousBatchingCheck is the published check of continuous batching
// nearest a step family's constants: for both GPU families the NIM loops
// on A100 (the Hopper constants share the serving software, not the chip);
// none for the Neuron families (Trainium2's constants are fitted to a loop
// of their own; no NeuronCore-v2 loop is published at hand).
func ContinuousBatchingCheck(family string) (LoopCheck, bool) {
	switch family {
	case StepGPU, StepGPUAmpere:
		return nimLoops, true
	}
	return LoopCheck{}, false
}
