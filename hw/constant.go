package hw

import (
	"fmt"

	"aiecon/model/llm"
)

// ConstantEfficiency is an Efficiency that is the same for every shape and
// dtype: a stated assumption, for when no calibration profile exists.
type ConstantEfficiency float64

// GEMM returns the constant.
func (c ConstantEfficiency) GEMM(batch, m, n, k int, dt llm.DType) float64 { return float64(c) }

// String describes the efficiency in reports and serving-constant sources.
func (c ConstantEfficiency) String() string {
	return fmt.Sprintf("constant %g (assumed, not calibrated)", float64(c))
}

// AssumedEfficiency is the fallback GEMM efficiency: 70% of the dense peak on
// tile-padded shapes. It is an assumption, not a measurement: the order of what
// large tile-aligned GEMMs reach on current accelerators (tile quantization is
// accounted for separately, so this covers the rest: pipeline bubbles, data
// movement into the engine, the epilogue). Use a calibration profile instead
// whenever one exists; the serving constants are fitted with DefaultEfficiency
// and must be refitted if it changes.
const AssumedEfficiency ConstantEfficiency = 0.7

// DefaultEfficiency is the efficiency the default serving constants
// (NeuronServing) were fitted with. TestServingDefaultsUpToDate refits with it
// and fails when the committed constants drift by more than 2%. A constant, so
// no caller can change what every other run is priced with.
const DefaultEfficiency = AssumedEfficiency
