package hw

import (
	"fmt"
	"math"
)

// Serving holds the per-family serving constants that the roofline alone does
// not capture. They are fitted to published serving measurements (see
// FitServing and docs/calibration.md) and may be overridden in a scenario.
type Serving struct {
	Family string `json:"family"` // "neuron" or "gpu"
	// OverheadS is the fixed cost of one scheduler iteration (kernel launches,
	// host-device synchronisation, sampling), in seconds.
	OverheadS float64 `json:"overhead_s"`
	// BWFrac is the achieved fraction of peak HBM bandwidth on memory-bound work.
	BWFrac float64 `json:"bw_frac"`
	// Source says where the values come from (a fit and its inputs, or an estimate).
	Source string `json:"source"`
	// Label is EST for both defaults: a fit is derived arithmetic, and the GPU
	// values are an estimate.
	Label Label `json:"label,omitempty"`
}

// Validate checks the ranges: OverheadS >= 0 and finite, BWFrac in (0, 1].
func (s Serving) Validate() error {
	if !(s.OverheadS >= 0) || math.IsInf(s.OverheadS, 0) {
		return fmt.Errorf("serving constants (%s): overhead_s %g must be a finite number >= 0", s.Family, s.OverheadS)
	}
	if !(s.BWFrac > 0 && s.BWFrac <= 1) {
		return fmt.Errorf("serving constants (%s): bw_frac %g must be in (0, 1]", s.Family, s.BWFrac)
	}
	return nil
}

// DefaultServing returns the default constants of a family.
func DefaultServing(family string) (Serving, error) {
	switch family {
	case FamilyNeuron:
		return NeuronServing, nil
	case FamilyGPU:
		return GPUServing, nil
	}
	return Serving{}, fmt.Errorf("unknown accelerator family %q (known: %s, %s)", family, FamilyNeuron, FamilyGPU)
}
