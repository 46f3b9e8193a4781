package hw

import "aiecon/model/llm"

// gpuAmpere is the NVIDIA Ampere GPUs (A100, A10G): the same serving
// software as gpuFamily, but a generation whose measurements the Hopper
// constants misprice (docs/calibration.md: fitted together, every A100 group
// came out 15-33% too slow), so it has constants of its own.
type gpuAmpere struct{}

func (gpuAmpere) name() string      { return StepGPUAmpere }
func (gpuAmpere) defaults() Serving { return gpuAmpereServing }
func (gpuAmpere) about() string {
	return "NVIDIA Ampere GPUs (A100, A10G): weights stream in their stored format; no fp8"
}

// resident: Ampere has no fp8 arithmetic, so fp8 activations run in bf16
// (an fp8 activation format halved the activation bytes of the roofline
// and made an A10G's prefill 34-36% faster than in bf16, on a chip that
// cannot multiply fp8). Weights and the KV cache may still be stored in
// fp8, dequantised to bf16 as they are read. The norms and residual adds run
// replicated, as on gpuFamily.
func (f gpuAmpere) resident(sh llm.Shard) (llm.Shard, error) {
	sh.SequenceParallel = f.sequenceParallel()
	if sh.Activations == llm.FP8 {
		sh.Activations = llm.BF16
	}
	for _, c := range []*llm.DType{&sh.Compute, &sh.ExpertCompute} {
		if *c == llm.FP8 {
			*c = llm.BF16
		}
	}
	return sh, nil
}

// held: weights and the KV cache stay in their stored formats; resident
// changes only the compute format.
func (f gpuAmpere) held(sh llm.Shard) (llm.Shard, error) { return f.resident(sh) }

func (gpuAmpere) sequenceParallel() bool { return false }

func (gpuAmpere) fitPlan() (string, []string) { return "", nil }

func (gpuAmpere) compiled() bool { return false }
