// Package hw is the hardware side of aiecon: a catalog of accelerators and
// instances in which every number carries its source and label (official,
// third-party or estimate), and a performance model that prices an llm.Op on
// a device as a roofline (compute and memory bounds) times an efficiency that
// package kernels calibrates with real batched matmul runs, plus tile
// quantization, collectives and fixed per-iteration overheads.
//
// The map of the package:
//
//	fact.go, chip.go, instance.go      Fact (value, unit, source, label), Chip, Instance,
//	                                   the default scheduler per accelerator family
//	catalog*.go                        the catalog itself and its lookups
//	device.go, perf.go, constant.go    Device, Perf (OpSeconds, IterationSeconds, Work), ConstantEfficiency
//	serving*.go                        Serving constants per family and their defaults
//	points.go, static.go, fit.go       published serving points, the static-batch Neuron
//	                                   predictor and the fit of the serving constants
//	                                   (docs/calibration.md)
//	profile.go                         Profile: a calibration (host GEMM fits, imported
//	                                   device timings, serving constants), the built-in one
//	gemm_model.go                      GEMMModel: the host's time and efficiency per GEMM shape
//	imported.go                        ImportedCalibration: interpolation of device timings
//	profile_store.go                   saving and loading profiles in a directory the
//	                                   caller names (ProfileDir); nothing here reads the
//	                                   environment
package hw
