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

func (gpuAmpere) resident(sh llm.Shard) (llm.Shard, error) { return sh, nil }

func (gpuAmpere) fitPlan() (string, []string) { return "", nil }

func (gpuAmpere) compiled() bool { return false }
