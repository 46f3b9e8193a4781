// Package kernels runs real batched matrix multiplies on the host (gonum BLAS,
// float32 and float64), times them with warm-up and repetition until the spread
// is small, probes the host roofline (peak FLOP/s and memory bandwidth), and
// fits the shape-efficiency model that package hw uses to price operations.
//
// Files:
//
//	gemm.go       GEMM32, GEMM64: a batch of independent products over the cores
//	workload.go   Arena and Workload: operands cycled so every call reads DRAM
//	timing.go     Measure: the timing harness (drops samples slowed by other processes)
//	machine.go    DescribeMachine: CPU model, cores, GOMAXPROCS, L3
//	roofline.go   ProbePeak (square GEMMs) and ProbeBandwidth (STREAM triad)
//	grid.go       FullGrid and QuickGrid: the serving shapes, scaled to the host
//	fit.go        FitGEMMModel, FitHost, MAPE, HoldOut: the efficiency model's fit
//	calibrate.go  Calibrate and Refit: probes, grid, fit and serving constants into an hw.Profile
//	import.go     ReadImportFile: kernel timings measured on a real accelerator
//
// docs/calibration.md ("Kernel efficiency and the transfer assumption") says
// what is measured, how the model is chosen and fitted, and what carrying host
// efficiencies over to an accelerator assumes.
package kernels
