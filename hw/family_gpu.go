package hw

import "aiecon/model/llm"

// gpuFamily is the NVIDIA GPUs (A100, H100, H200, B200 ...) as served by
// TensorRT-LLM and vLLM: one set of constants, the generations told apart by
// their catalogued peaks, bandwidths and links (docs/calibration.md says why
// one family fits better than one per generation). Weights stream in their
// stored format, and fp8 weights are multiplied in fp8 (W8A8, TensorRT-LLM's
// fp8 mode on Hopper and later).
type gpuFamily struct{}

func (gpuFamily) name() string      { return StepGPU }
func (gpuFamily) defaults() Serving { return gpuServing }
func (gpuFamily) about() string {
	return "NVIDIA GPUs (A100, H100, H200, B200): weights stream in their stored format; fp8 weights run W8A8"
}

// resident: TensorRT-LLM and vLLM run plain Megatron tensor parallelism,
// so every device applies the norms and residual adds to all the tokens
// (replicated, not sequence parallel).
func (f gpuFamily) resident(sh llm.Shard) (llm.Shard, error) {
	sh.SequenceParallel = f.sequenceParallel()
	return fp8Native(sh)
}

func (gpuFamily) sequenceParallel() bool { return false }

// held: weights stream in the format they are stored in.
func (f gpuFamily) held(sh llm.Shard) (llm.Shard, error) { return f.resident(sh) }

func (gpuFamily) fitPlan() (string, []string) { return "", nil }

func (gpuFamily) compiled() bool { return false }
