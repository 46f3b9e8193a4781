// Package kernels runs real batched matrix multiplies on the host (gonum BLAS,
// float32 and float64), times them with warm-up and repetition until the spread
// is small, probes the host roofline (peak FLOP/s and memory bandwidth), and
// fits the shape-efficiency model that package hw uses to price operations.
package kernels
