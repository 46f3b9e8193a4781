package hw

import "aiecon/model/llm"

// Efficiency is the fraction of the roofline bound a GEMM-shaped operation
// achieves: roofline time / real time, in (0, 1]. The calibration profile that
// kernels/ fits from real batched matmul runs implements it; the transfer
// assumption (documented in docs/calibration.md) is that this fraction, as a
// function of shape, carries over from the host to the accelerator once the
// shape is padded to the accelerator's tiles.
type Efficiency interface {
	GEMM(batch, m, n, k int, dt llm.DType) float64
}
